"""The small menu beside each article (insert before/after, move, delete, split, merge) and restore.

After each action the draft page opens at the article changed, highlighted, with the messages
beside it. The routes sit on the draft pages' blueprint (`drafts.*`).
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import login_required
from drafting.errors import BadInput
from drafting.services import article_tools, drafts
from drafting.web.draft_pages import bp

ACTIONS = ("insert", "move", "delete", "split", "merge")


def flash_citations(changes: list[dict]) -> None:
    """Tell the user which citations followed the renumbering and which now point nowhere."""
    for change in changes:
        if change["broken"]:
            flash(
                _(
                    "{where}引用的“{old}”已被删除，请检查。",
                    where=change["where"],
                    old=change["old"],
                )
            )
        else:
            flash(
                _(
                    "{where}：引用“{old}”已改为“{new}”。",
                    where=change["where"],
                    old=change["old"],
                    new=change["new"],
                )
            )


def back_to(draft_id: int, provision_id: int | None):
    """Return to the draft page at the provision changed, which it highlights."""
    if provision_id is None:
        return redirect(url_for("drafts.draft_page", draft_id=draft_id))
    return redirect(
        url_for("drafts.draft_page", draft_id=draft_id, at=provision_id, changed=provision_id)
        + f"#p{provision_id}"
    )


@bp.post("/drafts/<int:draft_id>/articles/<int:provision_id>/<action>")
@login_required
def article_action(draft_id: int, provision_id: int, action: str):
    """Carry out one action of an article's menu."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    form = request.form
    reason = form.get("reason", "")
    if action not in ACTIONS:
        raise BadInput(_("未知的操作。"))
    changed: int | None = provision_id
    if action == "insert":
        prov, changes = article_tools.insert_near(
            s,
            g.user,
            draft,
            provision_id,
            before=form.get("where") == "before",
            text=form.get("text", ""),
            reason=reason,
        )
        changed = prov.id
        flash(_("已插入新的一条。"))
    elif action == "move":
        changes = article_tools.move_after_number(
            s, g.user, draft, provision_id, target=form.get("target", "")
        )
        flash(_("已移动。"))
    elif action == "delete":
        neighbour = fields.optional_id(form.get("neighbour"), "neighbour")
        changes = article_tools.delete_with_reason(
            s, g.user, draft, provision_id, reason=reason, confirmed=form.get("confirm") == "1"
        )
        changed = neighbour
        flash(_("已删除；可在页末“已删除的条文”中查看理由或恢复。"))
    elif action == "split":
        with unit_of_work(s):
            prov, changes = article_tools.divide_article(
                s,
                g.user,
                draft,
                provision_id,
                at=fields.required_id(form.get("at"), "at"),
                reason=reason,
            )
        flash(_("已拆分为两条。"))
    else:
        with unit_of_work(s):
            changes = article_tools.join_next(s, g.user, draft, provision_id, reason=reason)
        flash(_("已与下一条合并。"))
    flash_citations(changes)
    return back_to(draft.id, changed)


@bp.post("/drafts/<int:draft_id>/provisions/<int:provision_id>/undelete")
@login_required
def undelete(draft_id: int, provision_id: int):
    """Bring a deleted provision back, with its comments and links."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    prov = drafts.get_provision(s, g.user, provision_id)
    if prov.draft_id != draft.id:
        raise BadInput(_("该条款不在本文本中。"))
    changes = article_tools.restore_provision(
        s, g.user, provision_id, reason=request.form.get("reason", "")
    )
    flash(_("已恢复。"))
    flash_citations(changes)
    return back_to(draft.id, provision_id)
