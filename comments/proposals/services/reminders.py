"""Reminders of proposals whose reply falls due within 3 days and of overdue opinions.

`concord notify due` runs `send_reminders` (daily, from cron); each reminder carries a key, so a
second run adds nothing that was already sent.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.proposals.models import OPEN_STATUSES, Proposal
from concord.notifications.events import notify, users_of

SOON = timedelta(days=3)
HANDLERS = ("admin", "drafter")


def send_reminders(session: Session, today: date) -> int:
    """Remind the recording jurisdiction's handlers of replies due and opinions overdue."""
    added = 0
    due = session.scalars(
        select(Proposal).where(
            Proposal.status.in_(OPEN_STATUSES),
            Proposal.deadline.is_not(None),
            Proposal.deadline <= today + SOON,
        )
    )
    for p in due:
        overdue = p.kind == "opinion" and p.deadline < today
        if p.kind == "opinion" and not overdue:
            continue
        event = "opinion_overdue" if overdue else "proposal_reply_due"
        added += notify(
            session,
            event,
            users_of(p.jurisdiction_code, roles=HANDLERS),
            subject=p.title,
            url=f"/opinions/{p.id}" if p.kind == "opinion" else f"/proposals/{p.id}",
            key=f"{event}:{p.id}",
        )
    session.commit()
    return added
