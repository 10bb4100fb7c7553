"""A resident's verdict on a reply (满意 / 基本满意 / 不满意), and reopening an opinion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comments.opinions.core import tracking
from comments.opinions.core.quarters import add_working_days
from comments.opinions.models import (
    RATING_NAMES,
    RATINGS,
    OpinionEvent,
    OpinionIntake,
    OpinionRating,
)
from comments.opinions.services.intake import Throttled
from concord.accounts.models import User
from concord.clock import beijing
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_REMARK
from concord.permissions.opinions import (
    may_change_opinion,
    may_rate,
    may_reopen,
    require_handles,
)
from drafting.errors import BadInput, Conflict, NotFound
from drafting.services import audit

# One address may rate this many times in the window: enough for a family's opinions.
RATINGS_PER_CLIENT = 5
RATING_WINDOW = timedelta(minutes=10)


@dataclass
class Satisfaction:
    """The latest verdict on each rated opinion, counted; 满意率 counts 满意 and 基本满意."""

    rated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0

    @property
    def rate(self) -> float | None:
        """Return the share of rated opinions whose residents are (basically) satisfied."""
        if not self.rated:
            return None
        return (self.satisfied + self.basically_satisfied) / self.rated

    @property
    def percent(self) -> str:
        """Return 满意率 as shown, e.g. 83%, or — when nothing is rated."""
        return "—" if self.rate is None else f"{round(100 * self.rate)}%"

    def as_json(self) -> dict:
        """Return the counts as the API gives them."""
        return {
            "rated": self.rated,
            "satisfied": self.satisfied,
            "basically_satisfied": self.basically_satisfied,
            "unsatisfied": self.unsatisfied,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


def latest_ratings(session: Session, opinion_ids) -> dict[int, OpinionRating]:
    """Return each opinion's latest rating, by opinion id."""
    ids = list(opinion_ids)
    out: dict[int, OpinionRating] = {}
    for start in range(0, len(ids), 500):
        rows = session.scalars(
            select(OpinionRating)
            .where(OpinionRating.proposal_id.in_(ids[start : start + 500]))
            .order_by(OpinionRating.id)
        )
        out.update({r.proposal_id: r for r in rows})
    return out


def count_ratings(ratings) -> Satisfaction:
    """Count a collection of ratings (one per opinion)."""
    counts = Counter(r.rating for r in ratings)
    return Satisfaction(
        rated=sum(counts.values()),
        satisfied=counts["satisfied"],
        basically_satisfied=counts["basically_satisfied"],
        unsatisfied=counts["unsatisfied"],
    )


def rate_reply(
    session: Session,
    typed_number: str,
    rating: str,
    remark: str = "",
    *,
    client_hash: str,
    reopen_days: int = 15,
    now: datetime | None = None,
) -> OpinionIntake:
    """Record a resident's rating of the reply, by tracking number; 不满意 reopens the opinion."""
    now = now or utcnow()
    recent = session.scalar(
        select(func.count())
        .select_from(OpinionRating)
        .where(OpinionRating.client_hash == client_hash, OpinionRating.at > now - RATING_WINDOW)
    )
    if recent >= RATINGS_PER_CLIENT:
        raise Throttled(_("评价太频繁了，请稍后再试。"))
    number = tracking.normalise(typed_number)
    intake = None
    if number is not None:
        intake = session.scalar(
            select(OpinionIntake).where(OpinionIntake.tracking_number == number)
        )
    if intake is None:
        raise NotFound(_("没有找到这个受理编号，请核对后重新输入。"))
    if rating not in RATINGS:
        raise BadInput(_("请选择满意、基本满意或不满意。"), field="rating")
    remark = (remark or "").strip()
    if len(remark) > MAX_REMARK:
        raise BadInput(_("意见说明不能超过 {n} 字。", n=MAX_REMARK), field="remark")
    p = intake.proposal
    last = latest_ratings(session, [intake.proposal_id]).get(intake.proposal_id)
    if not may_rate(p.status, p.replied_at, last.at if last else None):
        raise Conflict(_("答复之后才能评价，每次答复只能评价一次。"))
    session.add(
        OpinionRating(
            proposal_id=intake.proposal_id,
            rating=rating,
            remark=remark,
            client_hash=client_hash,
            at=now,
        )
    )
    verdict = _(RATING_NAMES[rating])
    intake.events.append(
        OpinionEvent(at=now, action="rating", summary=_("群众评价：{r}", r=verdict), public=True)
    )
    if remark:
        intake.events.append(
            OpinionEvent(at=now, action="rating", summary=_("群众意见：{t}", t=remark))
        )
    if rating == "unsatisfied":
        _reopen(intake, now, add_working_days(beijing(now).date(), reopen_days))
        intake.events.append(
            OpinionEvent(
                at=now, action="reopen", summary=_("群众不满意，已重新办理。"), public=True
            )
        )
    session.commit()
    return intake


def reopen_opinion(
    session: Session,
    user: User,
    opinion_id: int,
    reason: str,
    *,
    deadline: date,
    now: datetime | None = None,
) -> OpinionIntake:
    """Put a replied or closed opinion back into the queue, with a reason that is audited."""
    now = now or utcnow()
    intake = session.get(OpinionIntake, opinion_id)
    if intake is None:
        raise NotFound(_("找不到该意见或联络站。"))
    p = intake.proposal
    require_handles(user, p.jurisdiction_code)
    if not may_reopen(user, p.jurisdiction_code, p.status):
        raise Conflict(_("只有已答复或已办结的意见可以重新办理。"))
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("请说明重新办理的理由。"), field="reason")
    if len(reason) > MAX_REMARK:
        raise BadInput(_("理由不能超过 {n} 字。", n=MAX_REMARK), field="reason")
    _reopen(intake, now, deadline)
    intake.events.append(
        OpinionEvent(at=now, user_id=user.id, action="reopen", summary=_("重新办理"), public=True)
    )
    intake.events.append(
        OpinionEvent(
            at=now, user_id=user.id, action="note", summary=_("重新办理的理由：{t}", t=reason)
        )
    )
    audit.record(session, user, "opinion.reopen", obj=p, summary=reason[:500])
    session.commit()
    return intake


def _reopen(intake: OpinionIntake, now: datetime, deadline: date) -> None:
    p = intake.proposal
    p.status = "handling"
    p.deadline = deadline
    p.updated_at = now
    intake.reopened = (intake.reopened or 0) + 1


def is_read_only(status: str) -> bool:
    """Whether an opinion's triage form is closed until it is reopened."""
    return not may_change_opinion(status)


@dataclass
class PublicRating:
    """What the tracking page shows of ratings: the last verdict and whether one is due now."""

    last: str | None
    last_remark: str
    may_rate: bool


def public_rating(session: Session, typed_number: str) -> PublicRating | None:
    """Return the rating state of a submission by its number, None when not found."""
    number = tracking.normalise(typed_number)
    intake = None
    if number is not None:
        intake = session.scalar(
            select(OpinionIntake).where(OpinionIntake.tracking_number == number)
        )
    if intake is None:
        return None
    last = latest_ratings(session, [intake.proposal_id]).get(intake.proposal_id)
    p = intake.proposal
    return PublicRating(
        last=last.rating if last else None,
        last_remark=last.remark if last else "",
        may_rate=may_rate(p.status, p.replied_at, last.at if last else None),
    )


def ratings_of(session: Session, opinion_id: int) -> list[OpinionRating]:
    """Return every rating of an opinion, oldest first (staff see them on the opinion)."""
    return list(
        session.scalars(
            select(OpinionRating)
            .where(OpinionRating.proposal_id == opinion_id)
            .order_by(OpinionRating.id)
        )
    )
