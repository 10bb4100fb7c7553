"""The reconciliation endpoints of /api/v1: the matrix, pins and propagation of common changes."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from concord.db import request_session
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import token_required
from drafting.services import matrix as reconciliation
from drafting.services import pins as alignment_pins
from drafting.services import projects, propagation, propagation_decisions
from drafting.web.api import json_body

bp = Blueprint("reconciliation_api", __name__, url_prefix="/api/v1")


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


def _pin_json(pin) -> dict:
    return {
        "id": pin.id,
        "project": pin.project_id,
        "draft": pin.draft_id,
        "common": pin.common_provision_id,
        "city": pin.city_provision_id,
        "created_by": pin.created_by.username if pin.created_by else None,
        "created_at": pin.created_at.isoformat(),
    }


@bp.get("/projects/<int:project_id>/reconciliation")
def matrix(project_id: int):
    """Return the reconcile groups of the project's drafts, members as provision ids and labels."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    result = reconciliation.project_reconciliation(s, g.user, project)
    body = result.to_json()
    body["pins"] = [_pin_json(p) for p in result.pins]
    return jsonify(body)


@bp.post("/projects/<int:project_id>/reconciliation/pins")
def pin(project_id: int):
    """Pin a city article (`city`) to a common-text article (`common`); either may be null."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    data = json_body()
    created = alignment_pins.pin_alignment(
        s,
        g.user,
        project,
        draft=fields.required_id(
            data.get("draft"), "draft", _("draft 应为本项目中一个地区文本的编号。")
        ),
        common=fields.optional_id(data.get("common"), "common"),
        city=fields.optional_id(data.get("city"), "city"),
    )
    return jsonify(_pin_json(created)), 201


@bp.delete("/reconciliation/pins/<int:pin_id>")
def unpin(pin_id: int):
    """Remove a pin."""
    removed = alignment_pins.unpin_alignment(request_session(), g.user, pin_id)
    return jsonify({"deleted": removed.id})


@bp.get("/projects/<int:project_id>/propagation")
def pending(project_id: int):
    """Return the common-text changes each city (or `?draft=`) has yet to accept or decline."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    draft_id = request.args.get("draft", type=int)
    draft = next((d for d in project.drafts if d.id == draft_id), None)
    changes = propagation.pending_changes(s, g.user, project, draft=draft)
    return jsonify({"changes": [c.to_json() for c in changes]})


def _decision_json(d) -> dict:
    return {
        "id": d.id,
        "draft": d.draft_id,
        "common": d.common_provision_id,
        "decision": d.decision,
        "status": d.status,
        "revision": d.city_revision_id,
        "reason": d.reason,
        "decided_by": d.decided_by.username if d.decided_by else None,
        "decided_at": d.decided_at.isoformat(),
    }


@bp.post("/projects/<int:project_id>/propagation/accept")
def accept(project_id: int):
    """Apply a common-text change (`draft`, `common`) to the city's article."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    data = json_body()
    decision = propagation_decisions.accept_change(
        s,
        g.user,
        project,
        draft=fields.required_id(data.get("draft"), "draft"),
        common=fields.required_id(data.get("common"), "common"),
        city_revision=fields.optional_id(data.get("city_revision"), "city_revision"),
        reason=str(data.get("reason") or ""),
    )
    return jsonify(_decision_json(decision)), 201


@bp.post("/projects/<int:project_id>/propagation/decline")
def decline(project_id: int):
    """Record that a city keeps its text despite a common-text change, with a `reason`."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    data = json_body()
    decision = propagation_decisions.decline_change(
        s,
        g.user,
        project,
        draft=fields.required_id(data.get("draft"), "draft"),
        common=fields.required_id(data.get("common"), "common"),
        reason=fields.text(data.get("reason")),
    )
    return jsonify(_decision_json(decision)), 201
