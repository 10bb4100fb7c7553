"""The JSON API under /api/v1: the same services and permissions as the pages."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from . import projects
from .auth import token_required
from .db import request_session
from .errors import BadInput
from .i18n import gettext as _

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """Return the request's JSON object, or its form fields for multipart requests."""
    if request.mimetype == "multipart/form-data" or request.mimetype.endswith("urlencoded"):
        return request.form.to_dict()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput(_("请求体应为 JSON 对象。"))
    return data


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


@bp.get("/projects")
def project_list():
    """List the caller's projects."""
    items = projects.visible_projects(request_session(), g.user)
    return jsonify({"projects": [projects.project_json(p) for p in items]})


@bp.post("/projects")
def project_create():
    """Create a project (`title`, `lead`, `participants`)."""
    data = json_body()
    participants = data.get("participants") or []
    if not isinstance(participants, list):
        raise BadInput(_("participants 应为行政区划代码的列表。"))
    project = projects.create_project(
        request_session(),
        g.user,
        title=str(data.get("title") or ""),
        subject=str(data.get("subject") or ""),
        lead=str(data.get("lead") or g.user.jurisdiction_code),
        participants=[str(c) for c in participants],
    )
    return jsonify(projects.project_json(project)), 201


@bp.get("/projects/<int:project_id>")
def project_get(project_id: int):
    """Return one project."""
    project = projects.get_project(request_session(), g.user, project_id)
    return jsonify(projects.project_json(project))
