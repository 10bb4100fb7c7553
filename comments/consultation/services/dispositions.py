"""Deciding what becomes of a comment, and applying an adopted proposal through the merge path."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comments.consultation.models import DECISIONS, Comment, Disposition
from comments.consultation.services import notices
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Revision
from drafting.services import audit
from drafting.services.editing import apply_edit

DECISION_NAMES = {
    "adopted": "采纳",
    "partly_adopted": "部分采纳",
    "not_adopted": "未采纳",
    "covered_elsewhere": "已在其他条款体现",
}


def decide(
    session: Session,
    user: User,
    comment: Comment,
    *,
    decision: str,
    reason: str = "",
    apply: bool = False,
) -> Disposition:
    """Record the drafting city's decision on a comment; with `apply`, write its proposed text."""
    disposition = build_disposition(
        session, user, comment, decision=decision, reason=reason, apply=apply
    )
    session.commit()
    return disposition


def build_disposition(
    session: Session,
    user: User,
    comment: Comment,
    *,
    decision: str,
    reason: str = "",
    apply: bool = False,
) -> Disposition:
    """Check and add a disposition (and the applied revision) to the session; the caller commits."""
    draft = comment.round.draft
    if not rules.sees_comment(user, comment):
        raise NotFound(_("找不到该意见。"))
    rules.require_may_decide(user, draft)
    if comment.parent_id is not None:
        raise BadInput(_("回复不需要处理意见，请处理原意见。"))
    if decision not in DECISIONS:
        raise BadInput(
            _("decision 应为 adopted、partly_adopted、not_adopted 或 covered_elsewhere。")
        )
    reason = (reason or "").strip()
    if decision != "adopted" and not reason:
        raise BadInput(_("除“采纳”外，处理意见须说明理由（reason）。"))
    if len(reason) > 5000:
        raise BadInput(_("理由过长（上限 {n} 字）。", n=5000))
    applied = None
    if apply:
        applied = _apply(session, user, comment, decision)
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


def proposed_full_text(comment: Comment) -> str:
    """Return the provision's text as the comment proposes it, on the text the commenter saw."""
    proposed = comment.proposed_text or ""
    if comment.quote and comment.quote_start is not None:
        start = comment.quote_start
        return (
            comment.seen_text[:start] + proposed + comment.seen_text[start + len(comment.quote) :]
        )
    return proposed


def _apply(session: Session, user: User, comment: Comment, decision: str) -> Revision:
    """Write the proposed text as a revision based on the one the commenter saw (merged, or 409)."""
    if decision not in ("adopted", "partly_adopted"):
        raise BadInput(_("只有采纳或部分采纳的意见可以应用到条文。"))
    if comment.kind != "amend" or not comment.proposed_text:
        raise BadInput(_("只有附建议条文的修改意见可以直接应用；其他意见请在条文中手工修改。"))
    if comment.disposition is not None and comment.disposition.applied_revision_id:
        raise Conflict(
            _("该意见已应用到条文（修订 {rev}）。", rev=comment.disposition.applied_revision_id)
        )
    provision = comment.provision
    if provision.deleted:
        raise Conflict(_("该条款已被删除，不能应用意见。"))
    # One user action: the edit only flushes; the disposition commits both together.
    result = apply_edit(
        session,
        user,
        provision.id,
        text=proposed_full_text(comment),
        base_revision=comment.revision_id or provision.revision_id,
        reason=_("采纳意见 #{id}", id=comment.id),
    )
    revision = session.get(Revision, result.revision)
    revision.action = "apply"
    return revision
