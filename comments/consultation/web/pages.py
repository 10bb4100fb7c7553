"""Comment pages: rounds, a round's overview, an article's comment panel, my lists, exports."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from comments.consultation.models import (
    CHANNEL_NAMES,
    CHANNELS,
    DECISION_NAMES,
    DECISIONS,
    KIND_NAMES,
    KINDS,
    SCOPE_NAMES,
)
from comments.consultation.services import (
    comment_views,
    commenting,
    exports,
    overview,
    rounds,
    worklist,
)
from comments.consultation.web import forms
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from concord.web import fields
from concord.web.auth import login_required
from concord.web.downloads import download
from concord.web.form_errors import FormErrors
from drafting.errors import ConcordError, NotFound
from drafting.services.drafts import get_draft, get_provision, load_tree

bp = Blueprint("comments", __name__)


@bp.get("/drafts/<int:draft_id>/rounds")
@login_required
def round_list(draft_id: int):
    """List a draft's consultation rounds, with the form that opens one."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    return _rounds_page(s, draft)


def _rounds_page(s, draft, errors: FormErrors | None = None, status: int = 200):
    return render_template(
        "consultation/rounds.html",
        draft=draft,
        project=draft.project,
        rounds=rounds.rounds_of(s, draft),
        today=forms.today(),
        may_open=rules.may_run_rounds(g.user, draft),
        errors=errors or FormErrors(),
    ), status


@bp.post("/drafts/<int:draft_id>/rounds")
@login_required
def round_open(draft_id: int):
    """Open a round from the form; a refused form is shown again with the reason."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    try:
        with unit_of_work(s):
            round_ = rounds.build_round(
                s,
                g.user,
                draft,
                title=request.form.get("title", ""),
                opens=fields.required_date(request.form.get("opens"), _("开始日期"), "opens"),
                closes=fields.required_date(request.form.get("closes"), _("截止日期"), "closes"),
                invited=request.form.getlist("invited"),
                visibility=request.form.get("visibility", "shared"),
                version_id=forms.parse_id(request.form.get("version"), _("版本")),
            )
    except ConcordError as err:
        if err.status == 404:
            raise
        return _rounds_page(s, draft, FormErrors.from_error(err, "round", request.form), err.status)
    flash(_("已发起征求意见“{title}”。", title=round_.title))
    return redirect(url_for("comments.round_page", round_id=round_.id))


@bp.get("/rounds/<int:round_id>")
@login_required
def round_page(round_id: int):
    """Show a round: pending comments to decide, articles × jurisdictions, filtered comments."""
    s = request_session()
    return render_round(s, rounds.get_round(s, g.user, round_id))


def render_round(s, round_, errors: FormErrors | None = None, status: int = 200):
    """Render a round's page, with a refused form's errors beside their fields."""
    draft = round_.draft
    tree = load_tree(s, draft)
    view = overview.round_overview(s, g.user, round_, tree)
    filters = forms.parse_filters(request.args)
    filters.round_id = round_.id
    listed = None
    if any((filters.jurisdiction, filters.status, filters.article, filters.kind)):
        listed = comment_views.comments_of_draft(s, g.user, draft, filters, tree=tree)
    today = forms.today()
    may_decide = rules.may_decide(g.user, draft)
    return render_template(
        "consultation/round.html",
        round=round_,
        draft=draft,
        project=draft.project,
        view=view,
        filters=filters,
        listed=listed,
        articles=tree.articles(),
        kinds=KINDS,
        decisions=DECISIONS,
        today=today,
        may_decide=may_decide,
        may_run=rules.may_run_rounds(g.user, draft),
        may_comment=rules.comment_refusal(g.user, round_, today) is None,
        first_article=tree.articles()[0] if tree.articles() else None,
        pending=worklist.pending(s, g.user, round_=round_) if may_decide else [],
        errors=errors or FormErrors(),
        origin=f"round:{round_.id}",
    ), status


@bp.get("/drafts/<int:draft_id>/provisions/<int:provision_id>/comments")
@login_required
def article_panel(draft_id: int, provision_id: int):
    """Show an article beside its comments, with the forms to comment, record and decide."""
    s = request_session()
    return panel_page(s, draft_id, provision_id)


def panel_page(s, draft_id: int, provision_id: int, errors: FormErrors | None = None, status=200):
    """Render an article's comment panel, with a refused form's errors beside their fields."""
    draft = get_draft(s, g.user, draft_id)
    tree = load_tree(s, draft)
    article = tree.nodes.get(provision_id)
    if article is None or article.kind != "article":
        raise NotFound(_("该条款不存在或已被删除。"))
    filters = comment_views.Filters(article=article.id)
    views = comment_views.comments_of_draft(s, g.user, draft, filters, tree=tree)
    today = forms.today()
    draft_rounds = rounds.rounds_of(s, draft)
    open_rounds = [r for r in draft_rounds if rules.comment_refusal(g.user, r, today) is None]
    closed_reason = None
    if not open_rounds:
        closed_reason = (
            rules.comment_refusal(g.user, draft_rounds[0], today)
            if draft_rounds
            else _("该文本尚未发起征求意见。")
        )
    targets = [(article, 0)]
    stack = [(c, 1) for c in article.children]
    while stack:
        node, depth = stack.pop(0)
        targets.append((node, depth))
        stack[0:0] = [(c, depth + 1) for c in node.children]
    return render_template(
        "consultation/article.html",
        draft=draft,
        project=draft.project,
        article=article,
        targets=targets,
        full_label=tree.full_label,
        views=views,
        open_rounds=open_rounds,
        all_rounds=draft_rounds,
        closed_reason=closed_reason,
        may_decide=rules.may_decide(g.user, draft),
        may_record=rules.may_record(g.user, draft),
        participants=draft.project.participants,
        kinds=KINDS,
        channels=[c for c in CHANNELS if c != "online"],
        decisions=DECISIONS,
        errors=errors or FormErrors(),
        today=today,
        origin="panel",
    ), status


@bp.post("/drafts/<int:draft_id>/provisions/<int:provision_id>/comments")
@login_required
def comment_add(draft_id: int, provision_id: int):
    """Add a comment (or record one from paper); a refused form comes back with the reason."""
    s = request_session()
    draft = get_draft(s, g.user, draft_id)
    f = request.form
    try:
        with unit_of_work(s):
            target = get_provision(s, g.user, forms.parse_id(f.get("provision"), _("条款")) or 0)
            if target.draft_id != draft.id:
                raise NotFound(_("该条款不存在或已被删除。"))
            round_id = forms.parse_id(f.get("round"), _("轮次"))
            round_ = rounds.get_round(s, g.user, round_id) if round_id else None
            common = dict(
                body=f.get("body", ""),
                kind=f.get("kind", "general"),
                quote=f.get("quote"),
                proposed_text=f.get("proposed_text"),
                replaces=f.get("replaces") or None,
                today=forms.today(),
            )
            commenting.submit_comment(
                s,
                g.user,
                target,
                round_,
                channel=f.get("channel", ""),
                jurisdiction=f.get("jurisdiction", ""),
                unit=f.get("unit", ""),
                received_on=fields.optional_date(
                    f.get("received_on"), _("收到日期"), "received_on"
                ),
                **common,
            )
    except ConcordError as err:
        if err.status == 404:
            raise
        errors = FormErrors.from_error(err, f.get("form", "new"), f)
        return panel_page(s, draft_id, provision_id, errors, err.status)
    flash(_("意见已提交。"))
    return redirect(url_for("comments.article_panel", draft_id=draft_id, provision_id=provision_id))


def back_to(comment) -> str:
    """Return the address of a comment on its article's panel (or its round, when deleted)."""
    view = comment_views.view_one(request_session(), comment)
    if view.article_id is None:
        return url_for("comments.round_page", round_id=comment.round_id)
    return url_for(
        "comments.article_panel",
        draft_id=comment.round.draft_id,
        provision_id=view.article_id,
        _anchor=f"c{comment.id}",
    )


@bp.post("/comments/<int:comment_id>/reply")
@login_required
def comment_reply(comment_id: int):
    """Reply in a comment's thread."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    commenting.reply(s, g.user, comment, body=request.form.get("body", ""), today=forms.today())
    flash(_("已回复。"))
    return redirect(back_to(comment))


@bp.get("/comments/outcomes")
@login_required
def outcomes():
    """Show what became of the comments the user's city sent, with the reasons."""
    s = request_session()
    return render_template("consultation/outcomes.html", comments=overview.outcomes(s, g.user))


@bp.get("/rounds/<int:round_id>/export")
@login_required
def round_export(round_id: int):
    """Download the round's 意见采纳情况表 or 征求意见汇总表 as .docx or CSV."""
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


def decision_label(code: str | None) -> str:
    """Return a decision's name in the request's language (待处理 when there is none)."""
    return _(DECISION_NAMES[code]) if code in DECISION_NAMES else _("待处理")


def kind_label(code: str) -> str:
    """Return a comment kind's name in the request's language."""
    return _(KIND_NAMES[code]) if code in KIND_NAMES else code


def channel_label(code: str) -> str:
    """Return a channel's name in the request's language."""
    return _(CHANNEL_NAMES[code]) if code in CHANNEL_NAMES else code


def scope_label(code: str) -> str:
    """Return what a proposal replaces, in the request's language."""
    return _(SCOPE_NAMES[code]) if code in SCOPE_NAMES else code
