"""Reminders that depend on the date: rounds closing soon, replies due, opinions overdue.

`concord notify due` runs `send_reminders` (daily, from cron); each reminder carries a key, so a
second run on the same day, or the next, adds nothing that was already sent.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.models import Round
from comments.models.proposals import Proposal
from drafting.notifications import notify, users_of

OPEN = ("received", "handling")
SOON = timedelta(days=3)
HANDLERS = ("admin", "drafter")


def send_reminders(session: Session, today: date) -> int:
    """Notify whoever must act on what closes or falls due within 3 days; return how many."""
    added = 0
    rounds = session.scalars(
        select(Round).where(
            Round.opens <= today, Round.closes >= today, Round.closes <= today + SOON
        )
    )
    for round_ in rounds:
        codes = round_.invited_codes()
        added += notify(
            session,
            "round_closing",
            users_of(*codes, roles=("admin", "drafter", "commenter")),
            subject=f"{round_.draft.title}·{round_.title}",
            url=f"/drafts/{round_.draft_id}",
            key=f"round_closing:{round_.id}",
        )
    due = session.scalars(
        select(Proposal).where(
            Proposal.status.in_(OPEN),
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
