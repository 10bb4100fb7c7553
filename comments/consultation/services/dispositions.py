"""Deciding what becomes of a comment, and applying an adopted proposal through the merge path."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comments.consultation.models import DECISION_NAMES, DECISIONS, Comment, Disposition
from comments.consultation.services import notices
from comments.consultation.services.adoption import write_adoption
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.limits import MAX_BODY
from concord.permissions import consultation as rules
from drafting.errors import BadInput, Conflict, NotFound
from drafting.services import audit


def build_disposition(
    session: Session,
    user: User,
    comment: Comment,
    *,
    decision: str,
    reason: str = "",
    apply: bool = False,
    scope: str | None = None,
    texts: dict[int, str] | None = None,
    bases: dict[int, int | None] | None = None,
) -> Disposition:
    """Record the drafting city's decision on a comment; with `apply`, write its proposed text.

    `texts` (paragraph id -> text, with `bases`) are what the drafter confirmed on the preview;
    without them the text computed for `scope` (or the comment's own) is written. Flushes only:
    the caller commits the decision and the edit together (`concord.db.unit_of_work`).
    """
    draft = comment.round.draft
    if not rules.sees_comment(user, comment):
        raise NotFound(_("找不到该意见。"))
    rules.require_may_decide(user, draft)
    if comment.parent_id is not None:
        raise BadInput(_("回复不需要处理意见，请处理原意见。"))
    if decision not in DECISIONS:
        raise BadInput(_("请选择处理结果。"), field="decision")
    reason = (reason or "").strip()
    if comment.withdrawn_at is not None:
        raise Conflict(_("该意见已被撤回，无需处理。"))
    if decision != "adopted" and not reason:
        raise BadInput(_("除“采纳”外，处理意见须说明理由。"), field="reason")
    if len(reason) > MAX_BODY:
        raise BadInput(_("理由过长（上限 {n} 字）。", n=MAX_BODY), field="reason")
    applied = None
    if apply:
        if decision not in ("adopted", "partly_adopted"):
            raise BadInput(_("只有采纳或部分采纳的意见可以应用到条文。"), field="decision")
        # One user action: the edit only flushes; the disposition commits both together.
        applied = write_adoption(session, user, comment, scope=scope, texts=texts, bases=bases)
    disposition = comment.disposition
    before = None
    if disposition is None:
        disposition = Disposition(comment=comment)
        session.add(disposition)
    else:
        before = f"{DECISION_NAMES[disposition.decision]}：{disposition.reason}"
    disposition.decision = decision
    disposition.reason = reason
    disposition.decided_by_id = user.id
    if applied is not None:
        disposition.applied_revision_id = applied.id
    session.flush()
    audit.record(
        session,
        user,
        "comment.decide",
        project=draft.project_id,
        obj=comment,
        summary=_(
            "处理{city}对{label}的意见 #{id}：{decision}",
            city=comment.jurisdiction.name,
            label=comment.seen_label,
            id=comment.id,
            decision=_(DECISION_NAMES[decision]),
        )
        + (_("，已应用为修订 {rev}", rev=applied.id) if applied is not None else ""),
        before=before,
        after=f"{DECISION_NAMES[decision]}：{reason}",
    )
    notices.comment_decided(session, user, comment)
    return disposition
