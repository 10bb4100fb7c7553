"""The comments endpoints of /api/v1: rounds, comments, replies, dispositions, exports."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from comments.consultation.services import (
    comment_views,
    commenting,
    dispositions,
    exports,
    overview,
    rounds,
)
from comments.consultation.web import forms
from concord.db import request_session
from concord.i18n import gettext as _
from concord.web.auth import token_required
from drafting.errors import BadInput
from drafting.services.drafts import get_draft, get_provision
from drafting.web.api import json_body

bp = Blueprint("comments_api", __name__, url_prefix="/api/v1")


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


def _text(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(_("{field} 应为文本。", field=name))
    return value


@bp.post("/drafts/<int:draft_id>/rounds")
def round_open(draft_id: int):
    """Open a consultation round (`title`, `opens`, `closes`, `invited`, `visibility`)."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    data = json_body()
    round_ = rounds.open_round(
        s,
        g.user,
        draft,
        title=_text(data, "title") or "",
        opens=forms.parse_date(data.get("opens"), "opens"),
        closes=forms.parse_date(data.get("closes"), "closes"),
        invited=forms.parse_codes(data.get("invited")),
        visibility=str(data.get("visibility") or "shared"),
        version_id=forms.parse_id(data.get("version"), "version"),
    )
    return jsonify(rounds.round_json(round_, forms.today())), 201


@bp.get("/drafts/<int:draft_id>/rounds")
def round_list(draft_id: int):
    """List a draft's rounds."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    today = forms.today()
    return jsonify({"rounds": [rounds.round_json(r, today) for r in rounds.rounds_of(s, draft)]})


@bp.get("/rounds/<int:round_id>")
def round_get(round_id: int):
    """Return a round with its comment counts by article and jurisdiction."""
    s = request_session()
    round_ = rounds.get_round(s, g.user, round_id)
    view = overview.round_overview(s, g.user, round_)
    body = rounds.round_json(round_, forms.today())
    body["total"] = view.total
    body["undecided"] = view.undecided
    body["articles"] = [
        {
            "provision": a.id,
            "label": a.label,
            "counts": {
                code: {"total": c.total, "undecided": c.undecided} for code, c in cells.items()
            },
        }
        for a, cells in view.rows
        if cells
    ]
    return jsonify(body)


@bp.post("/provisions/<int:provision_id>/comments")
def comment_add(provision_id: int):
    """Comment as the caller's jurisdiction, or record one from paper (`channel`, `unit`)."""
    s = request_session()
    provision = get_provision(s, g.user, provision_id)
    data = json_body()
    round_id = forms.parse_id(data.get("round"), "round")
    round_ = rounds.get_round(s, g.user, round_id) if round_id else None
    proposed = _text(data, "proposed_text")
    kind = str(data.get("kind") or ("amend" if proposed else "general"))
    common = dict(
        body=_text(data, "body") or "",
        kind=kind,
        quote=_text(data, "quote"),
        proposed_text=proposed,
        today=forms.today(),
    )
    channel = str(data.get("channel") or "online")
    if channel != "online":
        if round_ is None:
            raise BadInput(_("代为录入意见须指明轮次（round）。"))
        comment = commenting.record_comment(
            s,
            g.user,
            provision,
            round_,
            jurisdiction=str(data.get("jurisdiction") or ""),
            unit=_text(data, "unit") or "",
            channel=channel,
            received_on=forms.parse_date(data.get("received_on"), "received_on"),
            **common,
        )
    else:
        comment = commenting.add_comment(s, g.user, provision, round_=round_, **common)
    return jsonify(comment_views.comment_json(comment_views.view_one(s, comment))), 201


@bp.get("/drafts/<int:draft_id>/comments")
def comment_list(draft_id: int):
    """List the draft's comments the caller may read, filtered by city, status, article, kind."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    views = comment_views.comments_of_draft(s, g.user, draft, forms.parse_filters(request.args))
    return jsonify({"comments": [comment_views.comment_json(v) for v in views]})


@bp.post("/comments/<int:comment_id>/replies")
def comment_reply(comment_id: int):
    """Reply in a comment's thread (`body`)."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    answer = commenting.reply(
        s, g.user, comment, body=_text(json_body(), "body") or "", today=forms.today()
    )
    return jsonify({"id": answer.id, "parent": comment.id, "body": answer.body}), 201


@bp.post("/comments/<int:comment_id>/disposition")
def comment_decide(comment_id: int):
    """Decide a comment (`decision`, `reason`, `apply`)."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    data = json_body()
    disposition = dispositions.decide(
        s,
        g.user,
        comment,
        decision=str(data.get("decision") or ""),
        reason=_text(data, "reason") or "",
        apply=forms.truthy(data.get("apply")),
    )
    return jsonify(
        {
            "comment": comment.id,
            "disposition": disposition.decision,
            "reason": disposition.reason,
            "applied_revision": disposition.applied_revision_id,
        }
    )


@bp.get("/rounds/<int:round_id>/export")
def round_export(round_id: int):
    """Return the 意见采纳情况表 (or, with table=summary, the 征求意见汇总表) as .docx or CSV."""
    s = request_session()
    round_ = rounds.get_round(s, g.user, round_id)
    data, name = exports.export_round(
        s,
        g.user,
        round_,
        fmt=request.args.get("format", "docx"),
        table=request.args.get("table", "dispositions"),
    )
    return download(data, name)


def download(data: bytes, filename: str) -> Response:
    """Return bytes as an attachment with a UTF-8 file name."""
    from urllib.parse import quote

    # Werkzeug adds "; charset=utf-8" to text/* types itself.
    mimetype = (
        "text/csv"
        if filename.endswith(".csv")
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = Response(data, mimetype=mimetype)
    ascii_name = filename.encode("ascii", "ignore").decode() or "concord"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
