"""What the queue marks beside each opinion: reopened, rated, under key supervision, late checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comments.opinions.models import OpinionIntake, OpinionRating, Supervision
from comments.opinions.services.satisfaction import Satisfaction, count_ratings, latest_ratings
from comments.opinions.services.supervision import LateFollowUp, overdue_follow_ups
from comments.proposals.models import Proposal
from concord.accounts.models import User
from concord.permissions.opinions import require_sees


@dataclass
class QueueMarks:
    """The jurisdiction's 满意率 and reopened count, and each listed opinion's marks."""

    satisfaction: Satisfaction
    reopened: int
    ratings: dict[int, str] = field(default_factory=dict)
    supervised: set[int] = field(default_factory=set)
    late_follow_ups: list[LateFollowUp] = field(default_factory=list)

    @property
    def late_ids(self) -> set[int]:
        """Return the ids of the opinions whose follow-ups are overdue."""
        return {x.proposal_id for x in self.late_follow_ups}


def queue_marks(
    session: Session, user: User, jurisdiction: str, shown: list[int], today: date
) -> QueueMarks:
    """Return the queue's figures for the jurisdiction and the marks of the opinions shown."""
    require_sees(user, jurisdiction)
    rated_ids = session.scalars(
        select(OpinionRating.proposal_id)
        .join(Proposal, Proposal.id == OpinionRating.proposal_id)
        .where(Proposal.jurisdiction_code == jurisdiction)
        .distinct()
    ).all()
    latest = latest_ratings(session, rated_ids)
    reopened = session.scalar(
        select(func.count())
        .select_from(OpinionIntake)
        .join(Proposal, Proposal.id == OpinionIntake.proposal_id)
        .where(Proposal.jurisdiction_code == jurisdiction, OpinionIntake.reopened > 0)
    )
    supervised = set(
        session.scalars(select(Supervision.proposal_id).where(Supervision.proposal_id.in_(shown)))
    )
    return QueueMarks(
        satisfaction=count_ratings(latest.values()),
        reopened=reopened or 0,
        ratings={pid: r.rating for pid, r in latest.items() if pid in set(shown)},
        supervised=supervised,
        late_follow_ups=overdue_follow_ups(session, jurisdiction, today),
    )
