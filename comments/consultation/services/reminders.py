"""Reminders of rounds closing within 3 days, to the invited cities' users.

`concord notify due` runs `send_reminders` (daily, from cron); each reminder carries a key, so a
second run on the same day, or the next, adds nothing that was already sent.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.consultation.models import Round
from concord.notifications.events import notify, users_of

SOON = timedelta(days=3)


def send_reminders(session: Session, today: date) -> int:
    """Remind the invited cities of rounds that close within 3 days; return how many."""
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
    session.commit()
    return added
