"""Deciding comments where the work is: 待我处理, a round, an article's panel, 应用's preview.

A decision form says where it was sent from (`origin`: panel, attention, round:<id>); a refused
decision comes back on that page with the message beside its field and the choice kept, and a
decision with 「应用」 first shows the resulting text as a diff, editable, on the preview page.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from comments.consultation.models import DECISION_NAMES, SCOPES
from comments.consultation.services import (
    adoption,
    comment_views,
    commenting,
    dispositions,
    overview,
    worklist,
)
from comments.consultation.web import forms, pages
from comments.consultation.web.pages import bp
from comments.opinions.services import supervision
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.opinions import may_supervise
from concord.web.auth import login_required
from concord.web.form_errors import FormErrors
from drafting.errors import BadInput, ConcordError
from drafting.web.html_diffs import diff_html


@bp.get("/comments/attention")
@login_required
def attention():
    """Show what needs the user's attention: pending comments to decide inline, rounds, replies."""
    return attention_page()


def attention_page(errors: FormErrors | None = None, status: int = 200):
    """Render 待我处理, with a refused decision's errors beside their fields."""
    s = request_session()
    late = []
    if may_supervise(g.user, g.user.jurisdiction_code):
        late = supervision.late_follow_ups(s, g.user, g.user.jurisdiction_code, forms.today())
    return render_template(
        "consultation/attention.html",
        todo=overview.attention(s, g.user, forms.today()),
        late_follow_ups=late,
        pending=worklist.pending(s, g.user),
        decisions=DECISION_NAMES,
        errors=errors or FormErrors(),
        origin="attention",
    ), status


def _origin_page(comment, errors: FormErrors, status: int):
    """Render the page a decision form was sent from, with its errors."""
    s = request_session()
    origin = request.form.get("origin", "panel")
    if origin == "attention":
        return attention_page(errors, status)
    if origin.startswith("round:"):
        return pages.render_round(s, comment.round, errors, status)
    view = comment_views.view_one(s, comment)
    if view.article_id is None:
        return pages.render_round(s, comment.round, errors, status)
    return pages.panel_page(s, comment.round.draft_id, view.article_id, errors, status)


def _after(comment):
    """Return where to go after a decision: back where the form was, at the next comment."""
    origin = request.form.get("origin", "panel")
    if origin == "attention":
        return redirect(url_for("comments.attention", _anchor="pending"))
    if origin.startswith("round:"):
        url = url_for("comments.round_page", round_id=comment.round_id, _anchor="pending")
        return redirect(url)
    return redirect(pages.back_to(comment))


@bp.post("/comments/<int:comment_id>/disposition")
@login_required
def comment_decide(comment_id: int):
    """Decide a comment; with 「应用」, show the resulting text first (nothing written yet)."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    form_id = f"decide{comment.id}"
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "")
    try:
        with unit_of_work(s):
            if forms.truthy(request.form.get("apply")):
                # Check the decision and reason now, so that the preview is only a preview.
                if decision not in ("adopted", "partly_adopted"):
                    raise BadInput(_("只有采纳或部分采纳的意见可以应用到条文。"), field="decision")
                if decision != "adopted" and not reason.strip():
                    raise BadInput(_("除“采纳”外，处理意见须说明理由。"), field="reason")
                return adopt_page(comment)
            dispositions.build_disposition(s, g.user, comment, decision=decision, reason=reason)
    except ConcordError as err:
        if err.status == 404:
            raise
        errors = FormErrors.from_error(err, form_id, request.form)
        if err.details.get("current"):
            errors.add(None, _("当前条文：{text}", text=err.details["current"]["text"]))
        return _origin_page(comment, errors, err.status)
    flash(_("已记录处理意见。"))
    return _after(comment)


@bp.get("/comments/<int:comment_id>/adopt")
@login_required
def adopt_preview(comment_id: int):
    """Show what adopting a comment writes, as a diff against the current text, editable."""
    s = request_session()
    return adopt_page(commenting.get_comment(s, g.user, comment_id))


def adopt_page(comment, errors: FormErrors | None = None, status: int = 200):
    """Render 应用's preview: scope, each paragraph's diff and box, decision and reason."""
    s = request_session()
    values = request.values
    scope = values.get("replaces") or None
    plan = adoption.plan_adoption(s, g.user, comment, scope if scope in SCOPES else None)
    errors = errors or FormErrors("adopt", values)
    paragraphs = []
    for change in plan.changes:
        text = errors.value_for("adopt", f"text-{change.provision_id}", change.result)
        paragraphs.append({"change": change, "text": text, "diff": diff_html(change.current, text)})
    return render_template(
        "consultation/adopt.html",
        comment=comment,
        view=comment_views.view_one(s, comment),
        draft=comment.round.draft,
        project=comment.round.draft.project,
        plan=plan,
        paragraphs=paragraphs,
        scopes=SCOPES,
        decision=values.get("decision") or "adopted",
        reason=values.get("reason", ""),
        origin=values.get("origin", "panel"),
        errors=errors,
    ), status


@bp.post("/comments/<int:comment_id>/adopt")
@login_required
def adopt_confirm(comment_id: int):
    """Write what the drafter confirmed on the preview, with the decision: one revision each."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    f = request.form
    texts: dict[int, str] = {}
    bases: dict[int, int | None] = {}
    try:
        with unit_of_work(s):
            for key in f:
                if key.startswith("text-"):
                    pid = forms.parse_id(key[5:], _("条款")) or 0
                    texts[pid] = f[key]
                    bases[pid] = forms.parse_id(f.get(f"base-{pid}"), _("修订"))
            if not texts:
                raise BadInput(_("请确认应用后的条文。"), field="text")
            dispositions.build_disposition(
                s,
                g.user,
                comment,
                decision=f.get("decision", ""),
                reason=f.get("reason", ""),
                apply=True,
                scope=f.get("replaces") or None,
                texts=texts,
                bases=bases,
            )
    except ConcordError as err:
        if err.status == 404:
            raise
        errors = FormErrors.from_error(err, "adopt", f)
        if err.details.get("current"):
            errors.add(None, _("当前条文：{text}", text=err.details["current"]["text"]))
        return adopt_page(comment, errors, err.status)
    flash(_("已记录处理意见，并已应用到条文。"))
    return _after(comment)
