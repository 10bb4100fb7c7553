"""The /api/v1 endpoints of stations, residents' opinions and the quarterly report."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request, url_for

from comments.opinions.services import offices, stations, triage
from concord.clock import today as beijing_today
from concord.db import request_session
from concord.i18n import gettext as _
from concord.web import fields, public_address
from concord.web.auth import token_required
from drafting.errors import BadInput
from drafting.web.api import json_body

bp = Blueprint("opinion_api", __name__, url_prefix="/api/v1")


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


def public_url(code: str) -> str:
    """Return the absolute address of a station's public intake page."""
    return public_address.public_url(url_for("intake.form", code=code))


@bp.post("/stations")
def station_create():
    """Create a station (`kind: station`) or a deputy's code (`kind: deputy`)."""
    data = json_body()
    station = stations.create_station(
        request_session(),
        g.user,
        kind=str(data.get("kind") or "station"),
        name=str(data.get("name") or ""),
        jurisdiction=str(data.get("jurisdiction") or g.user.jurisdiction_code),
        district=str(data.get("district") or ""),
    )
    return jsonify(stations.station_json(station, public_url(station.code))), 201


@bp.get("/stations/<int:station_id>/qr")
def station_qr(station_id: int):
    """Return the QR code of a station's public page as PNG or SVG."""
    station = stations.get_station(request_session(), g.user, station_id)
    data, mimetype = stations.qr(public_url(station.code), request.args.get("format", "png"))
    return Response(data, mimetype=mimetype)


def optional_text(data: dict, name: str) -> str | None:
    """Return a string field, None when absent, BadInput when it is not text."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(_("{f} 应为文本。", f=name), field=name)
    return value


@bp.get("/opinions")
def opinion_list():
    """List a jurisdiction's opinions, optionally by status."""
    jurisdiction = request.args.get("jurisdiction") or g.user.jurisdiction_code
    today = beijing_today()
    items = triage.list_opinions(
        request_session(), g.user, jurisdiction, status=request.args.get("status") or None
    )
    return jsonify({"opinions": [triage.opinion_json(i, g.user, today) for i in items]})


@bp.post("/opinions/<int:opinion_id>/triage")
def opinion_triage(opinion_id: int):
    """Record a handling type, assignee, difficulty, deadline or reply."""
    data = json_body()
    close = data.get("close", False)
    if not isinstance(close, bool):
        raise BadInput(_("close 应为 true 或 false。"), field="close")
    office = data.get("office")
    if office is not None and (not isinstance(office, int) or isinstance(office, bool)):
        raise BadInput(_("office 应为承办单位的编号。"), field="office")
    step = triage.Triage(
        handling=optional_text(data, "handling"),
        assignee=optional_text(data, "assignee"),
        difficulty=optional_text(data, "difficulty"),
        deadline=fields.optional_date(data.get("deadline"), "deadline"),
        reply=optional_text(data, "reply"),
        note=optional_text(data, "note") or "",
        close=close,
        office_id=office,
    )
    intake = triage.triage_opinion(request_session(), g.user, opinion_id, step)
    return jsonify(triage.opinion_json(intake, g.user, beijing_today()))


@bp.post("/opinions/<int:opinion_id>/suggestion")
def opinion_suggestion(opinion_id: int):
    """Turn an opinion into a deputy's suggestion, or feed it into `suggestion` (an id)."""
    data = json_body()
    target = data.get("suggestion")
    if target is not None and not isinstance(target, int):
        raise BadInput(_("suggestion 应为代表建议的编号。"), field="suggestion")
    proposal = triage.feed_suggestion(request_session(), g.user, opinion_id, suggestion_id=target)
    return jsonify({"id": proposal.id, "kind": proposal.kind, "title": proposal.title}), 201


@bp.get("/offices")
def office_list():
    """List a jurisdiction's handling offices (the caller's by default)."""
    jurisdiction = request.args.get("jurisdiction") or g.user.jurisdiction_code
    items = offices.offices_of(request_session(), g.user, jurisdiction)
    return jsonify({"offices": [offices.office_json(o) for o in items]})


@bp.post("/offices")
def office_create():
    """Add a handling office to the caller's jurisdiction's directory."""
    data = json_body()
    handlings = data.get("handlings") or []
    office = offices.add_office(
        request_session(),
        g.user,
        str(data.get("jurisdiction") or g.user.jurisdiction_code),
        name=str(data.get("name") or ""),
        kind=str(data.get("kind") or "department"),
        handlings=handlings,
    )
    return jsonify(offices.office_json(office)), 201


@bp.get("/reports/quarterly")
def quarterly_report():
    """Return the 民情民意专报 of a jurisdiction and quarter as HTML, JSON or .docx."""
    from comments.opinions.web.pages import report_response

    return report_response(
        request.args.get("jurisdiction") or g.user.jurisdiction_code,
        request.args.get("quarter", ""),
        request.args.get("format", "html"),
    )
