"""The comments endpoints of /api/v1: rounds, comments, replies, dispositions, exports."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from comments.consultation.services import (
    adoption,
    comment_revisions,
    comment_views,
    commenting,
    dispositions,
    exports,
    overview,
    round_lifecycle,
    rounds,
)
from comments.consultation.web import forms
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import token_required
from concord.web.downloads import download
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
    with unit_of_work(s):
        round_ = rounds.build_round(
            s,
            g.user,
            draft,
            title=_text(data, "title") or "",
            opens=fields.required_date(data.get("opens"), "opens"),
            closes=fields.required_date(data.get("closes"), "closes"),
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
        replaces=_text(data, "replaces"),
        today=forms.today(),
    )
    comment = commenting.submit_comment(
        s,
        g.user,
        provision,
        round_,
        channel=str(data.get("channel") or "online"),
        jurisdiction=str(data.get("jurisdiction") or ""),
        unit=_text(data, "unit") or "",
        received_on=fields.optional_date(data.get("received_on"), "received_on"),
        **common,
    )
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
    text = _text(data, "text")
    texts = bases = None
    if text is not None:
        # The drafter's own wording of the paragraph commented on (after GET …/adoption).
        texts = {comment.provision_id: text}
        bases = {comment.provision_id: forms.parse_id(data.get("base_revision"), "base_revision")}
    with unit_of_work(s):
        disposition = dispositions.build_disposition(
            s,
            g.user,
            comment,
            decision=str(data.get("decision") or ""),
            reason=_text(data, "reason") or "",
            apply=forms.truthy(data.get("apply")),
            scope=_text(data, "replaces"),
            texts=texts,
            bases=bases,
        )
    return jsonify(
        {
            "comment": comment.id,
            "disposition": disposition.decision,
            "reason": disposition.reason,
            "applied_revision": disposition.applied_revision_id,
        }
    )


@bp.get("/comments/<int:comment_id>/adoption")
def comment_adoption(comment_id: int):
    """Preview what adopting the comment writes: each paragraph's current and resulting text."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    plan = adoption.plan_adoption(s, g.user, comment, request.args.get("replaces") or None)
    return jsonify(plan.to_json())


@bp.patch("/rounds/<int:round_id>")
def round_change(round_id: int):
    """Close a round now (`"open": false`), extend it (`closes`) or reopen it (`"open": true`)."""
    s = request_session()
    round_ = rounds.get_round(s, g.user, round_id)
    data = json_body()
    opened = data.get("open")
    if opened is not None and not isinstance(opened, bool):
        raise BadInput(_("open 应为 true 或 false。"), field="open")
    closes = data.get("closes")
    round_lifecycle.change_round(
        s,
        g.user,
        round_,
        open=opened,
        closes=fields.required_date(closes, "closes") if closes else None,
        today=forms.today(),
    )
    return jsonify(rounds.round_json(round_, forms.today()))


@bp.patch("/comments/<int:comment_id>")
def comment_revise(comment_id: int):
    """The author edits a comment until it is decided (`body`, `quote`, `proposed_text`, …)."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    data = json_body()
    comment_revisions.revise_comment(
        s,
        g.user,
        comment,
        body=_text(data, "body"),
        quote=_text(data, "quote"),
        proposed_text=_text(data, "proposed_text"),
        replaces=_text(data, "replaces"),
    )
    return jsonify(comment_views.comment_json(comment_views.view_one(s, comment)))


@bp.delete("/comments/<int:comment_id>")
def comment_withdraw(comment_id: int):
    """The author withdraws a comment until it is decided; it stays listed as withdrawn."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    comment_revisions.withdraw_comment(s, g.user, comment)
    return jsonify(comment_views.comment_json(comment_views.view_one(s, comment)))


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
