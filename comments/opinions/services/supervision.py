"""重点督办: a suggestion or opinion under key supervision, its supervisor and follow-up dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from comments.opinions.models import FollowUp, OpinionEvent, OpinionIntake, Supervision
from comments.proposals.models import Proposal
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.opinions import may_supervise, require_sees
from drafting.errors import BadInput, NotFound, NotPermitted
from drafting.services import audit

SUPERVISED_KINDS = ("opinion", "suggestion")
MAX_FOLLOW_UPS = 24


@dataclass
class LateFollowUp:
    """A follow-up date passed without the supervisor's check."""

    proposal_id: int
    kind: str
    title: str
    supervisor: str
    due: date
    days_late: int
    tracking_number: str | None


def _supervisable(session: Session, user: User, proposal_id: int) -> Proposal:
    p = session.get(Proposal, proposal_id)
    if p is None or p.kind not in SUPERVISED_KINDS:
        raise NotFound(_("找不到该意见或建议。"))
    require_sees(user, p.jurisdiction_code)
    if not may_supervise(user, p.jurisdiction_code):
        raise NotPermitted(_("只有本地区的起草人员或管理员可以安排重点督办。"))
    return p


def supervision_of(session: Session, proposal_id: int) -> Supervision | None:
    """Return the key supervision of a suggestion or opinion, if any."""
    return session.scalar(
        select(Supervision)
        .where(Supervision.proposal_id == proposal_id)
        .options(selectinload(Supervision.follow_ups))
    )


def supervise(
    session: Session,
    user: User,
    proposal_id: int,
    *,
    supervisor: str,
    follow_ups: list[date],
    note: str = "",
    today: date,
) -> Supervision:
    """Put a suggestion or opinion under key supervision, or change its supervisor and dates."""
    p = _supervisable(session, user, proposal_id)
    supervisor = (supervisor or "").strip()
    if not supervisor or len(supervisor) > 80:
        raise BadInput(_("请填写督办人（不超过 80 字）。"), field="supervisor")
    dates = sorted(set(follow_ups))
    if not dates or len(dates) > MAX_FOLLOW_UPS:
        raise BadInput(_("请填写 1 到 {n} 个跟进日期。", n=MAX_FOLLOW_UPS), field="follow_ups")
    current = supervision_of(session, proposal_id)
    if current is None:
        current = Supervision(proposal_id=p.id, supervisor=supervisor, started_by_id=user.id)
        session.add(current)
    kept = {f.due for f in current.follow_ups}
    if any(d < today for d in dates if d not in kept):
        raise BadInput(_("新的跟进日期不能早于今天。"), field="follow_ups")
    current.supervisor = supervisor
    current.note = (note or "").strip()[:2000]
    for f in list(current.follow_ups):
        if f.due not in dates and f.done_on is None:
            current.follow_ups.remove(f)
    current.follow_ups.extend(FollowUp(due=d) for d in dates if d not in kept)
    summary = _("重点督办：督办人 {s}，跟进日期 {d}", s=supervisor, d="、".join(map(str, dates)))
    intake = session.get(OpinionIntake, p.id)
    if intake is not None:
        intake.events.append(OpinionEvent(user_id=user.id, action="supervision", summary=summary))
    audit.record(session, user, "proposal.supervision", obj=p, summary=summary[:500])
    session.commit()
    return current


def follow_up_done(
    session: Session, user: User, follow_up_id: int, *, note: str, today: date
) -> FollowUp:
    """Record that the supervisor followed up on a date, with what was found."""
    f = session.get(FollowUp, follow_up_id)
    if f is None:
        raise NotFound(_("找不到该跟进事项。"))
    sup = session.get(Supervision, f.supervision_id)
    p = _supervisable(session, user, sup.proposal_id)
    f.done_on = today
    f.note = (note or "").strip()[:2000]
    audit.record(session, user, "proposal.follow_up", obj=p, summary=f"{f.due}: {f.note}"[:500])
    session.commit()
    return f


def late_follow_ups(
    session: Session, user: User, jurisdiction: str, today: date, *, until: date | None = None
) -> list[LateFollowUp]:
    """Return follow-ups due before today (or `until`) and not yet done, most overdue first."""
    require_sees(user, jurisdiction)
    return overdue_follow_ups(session, jurisdiction, today, until=until)


def overdue_follow_ups(
    session: Session, jurisdiction: str, today: date, *, until: date | None = None
) -> list[LateFollowUp]:
    """`late_follow_ups` for a caller that has already checked who asks (the queue, the 专报)."""
    rows = session.execute(
        select(FollowUp, Supervision, Proposal, OpinionIntake.tracking_number)
        .join(Supervision, Supervision.id == FollowUp.supervision_id)
        .join(Proposal, Proposal.id == Supervision.proposal_id)
        .outerjoin(OpinionIntake, OpinionIntake.proposal_id == Proposal.id)
        .where(
            Proposal.jurisdiction_code == jurisdiction,
            FollowUp.done_on.is_(None),
            FollowUp.due < min(today, until or today),
        )
        .order_by(FollowUp.due)
    ).all()
    return [
        LateFollowUp(p.id, p.kind, p.title, s.supervisor, f.due, (today - f.due).days, number)
        for f, s, p, number in rows
    ]
