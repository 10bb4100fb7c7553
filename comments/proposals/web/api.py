"""/api/v1 endpoints for proposals and their links to provisions."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from comments.proposals.services import links, proposals
from comments.proposals.services.fields import read_fields
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.web.auth import token_required
from drafting.errors import BadInput
from drafting.services import projects
from drafting.web.api import json_body

api = Blueprint("proposal_api", __name__, url_prefix="/api/v1")


@api.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


def fields_or_400(data: dict):
    """Return the proposal fields of a request, or raise BadInput naming every bad field."""
    fields, errors = read_fields(data)
    if errors:
        raise BadInput(
            "；".join(e.message for e in errors), fields={e.field: e.message for e in errors}
        )
    return fields


@api.post("/proposals")
def proposal_create():
    """Record a proposal or opinion."""
    s = request_session()
    with unit_of_work(s):
        proposal = proposals.add_proposal(s, g.user, fields_or_400(json_body()))
    return jsonify(proposals.proposal_json(g.user, proposal, [])), 201


@api.get("/proposals")
def proposal_list():
    """List the proposals the caller may see (`project`, `kind` filters)."""
    s = request_session()
    project = None
    if request.args.get("project"):
        project = projects.get_project(s, g.user, request.args["project"])
    items = proposals.visible_proposals(s, g.user, project=project, kind=request.args.get("kind"))
    return jsonify({"proposals": [proposals.proposal_json(g.user, p) for p in items]})


@api.get("/proposals/<int:proposal_id>")
def proposal_get(proposal_id: int):
    """Return a proposal with its links (current label and text of each provision)."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    return jsonify(proposals.proposal_json(g.user, proposal, links.links_of(s, g.user, proposal)))


@api.post("/proposals/<int:proposal_id>/links")
def link_create(proposal_id: int):
    """Link the proposal to a provision (`provision`, `note`)."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    data = json_body()
    if data.get("provision") in (None, ""):
        raise BadInput(_("缺少 provision（条款编号）。"))
    with unit_of_work(s):
        view = links.add_link(
            s, g.user, proposal, data.get("provision"), note=str(data.get("note") or "")
        )
    return jsonify(view.to_json()), 201
