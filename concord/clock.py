"""Times as residents and stations read them: Beijing time (UTC+8), the official clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(moment: datetime) -> datetime:
    """Return a stored moment (UTC; naive ones from SQLite are UTC too) in Beijing time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING)


def day_starts(day: date) -> datetime:
    """Return the first moment of a Beijing calendar day, in UTC as the database stores it."""
    return datetime.combine(day, time.min, tzinfo=BEIJING).astimezone(UTC)


def today() -> date:
    """Return today's date in Beijing."""
    return datetime.now(BEIJING).date()
