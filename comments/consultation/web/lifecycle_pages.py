"""Pages of a round's and a comment's life: close, extend, reopen; edit and withdraw a comment."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from comments.consultation.models import KINDS
from comments.consultation.services import (
    comment_revisions,
    comment_views,
    commenting,
    round_lifecycle,
    rounds,
)
from comments.consultation.web import forms, pages
from comments.consultation.web.pages import bp
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import login_required
from concord.web.form_errors import FormErrors
from drafting.errors import BadInput, ConcordError


@bp.post("/rounds/<int:round_id>/lifecycle")
@login_required
def round_change(round_id: int):
    """Close a round now, move its closing date, or reopen it; a refusal shows beside the field."""
    s = request_session()
    round_ = rounds.get_round(s, g.user, round_id)
    action = request.form.get("action", "")
    try:
        with unit_of_work(s):
            closes = request.form.get("closes")
            closes = fields.required_date(closes, _("截止日期"), "closes") if closes else None
            if action == "close":
                round_lifecycle.change_round(s, g.user, round_, open=False, today=forms.today())
                flash(_("已截止本轮征求意见。"))
            elif action == "extend":
                if closes is None:
                    raise BadInput(_("请选择新的截止日期。"), field="closes")
                round_lifecycle.change_round(s, g.user, round_, closes=closes, today=forms.today())
                flash(_("截止日期已改为 {d}。", d=closes.isoformat()))
            elif action == "reopen":
                round_lifecycle.change_round(
                    s, g.user, round_, open=True, closes=closes, today=forms.today()
                )
                flash(_("已重新开放本轮征求意见。"))
            else:
                raise BadInput(_("请说明要截止、延期还是重新开放。"), field="action")
    except ConcordError as err:
        if err.status == 404:
            raise
        errors = FormErrors.from_error(err, "lifecycle", request.form)
        return pages.render_round(s, round_, errors, err.status)
    return redirect(url_for("comments.round_page", round_id=round_.id))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def comment_edit(comment_id: int):
    """The author changes a comment's wording until it is decided; the earlier one is kept."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    errors = FormErrors("edit", {})
    status = 200
    if request.method == "POST":
        f = request.form
        try:
            with unit_of_work(s):
                comment_revisions.revise_comment(
                    s,
                    g.user,
                    comment,
                    body=f.get("body", ""),
                    quote=f.get("quote", ""),
                    proposed_text=f.get("proposed_text", ""),
                    replaces=f.get("replaces", ""),
                )
        except ConcordError as err:
            if err.status == 404:
                raise
            errors, status = FormErrors.from_error(err, "edit", f), err.status
        else:
            flash(_("意见已修改。"))
            return redirect(pages.back_to(comment))
    if not errors.values:
        errors.values = {
            "body": comment.body,
            "quote": comment.quote or "",
            "proposed_text": comment.proposed_text or "",
            "replaces": comment.replaces or "",
        }
    view = comment_views.view_one(s, comment)
    return render_template(
        "consultation/edit.html",
        comment=comment,
        view=view,
        draft=comment.round.draft,
        project=comment.round.draft.project,
        kinds=KINDS,
        errors=errors,
    ), status


@bp.post("/comments/<int:comment_id>/withdraw")
@login_required
def comment_withdraw(comment_id: int):
    """The author withdraws a comment before it is decided."""
    s = request_session()
    comment = commenting.get_comment(s, g.user, comment_id)
    comment_revisions.withdraw_comment(s, g.user, comment)
    flash(_("意见已撤回。"))
    return redirect(pages.back_to(comment))
