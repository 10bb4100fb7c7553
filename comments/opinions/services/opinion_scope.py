"""Which opinions belong to a period: every channel (public form, proposals pages, imports)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, or_

from comments.opinions.models import OpinionIntake
from comments.proposals.models import Proposal
from concord.clock import day_starts


def received_between(first: date, last: date):
    """Return the SQL condition: an opinion received from `first` to `last` (Beijing days).

    Opinions sent by code count by their submission moment; those recorded on the proposals
    pages or imported count by the day they were received, else by when they were recorded.
    Use with `Proposal` outer-joined to `OpinionIntake`.
    """
    start, end = day_starts(first), day_starts(last + timedelta(days=1))
    by_code = and_(
        OpinionIntake.proposal_id.is_not(None),
        OpinionIntake.submitted_at >= start,
        OpinionIntake.submitted_at < end,
    )
    by_day = and_(
        OpinionIntake.proposal_id.is_(None),
        Proposal.received_on.is_not(None),
        Proposal.received_on >= first,
        Proposal.received_on <= last,
    )
    by_record = and_(
        OpinionIntake.proposal_id.is_(None),
        Proposal.received_on.is_(None),
        Proposal.created_at >= start,
        Proposal.created_at < end,
    )
    return or_(by_code, by_day, by_record)
