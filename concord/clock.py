"""The one clock: instants stored in UTC, shown in Beijing time (UTC+8); days are Beijing's."""

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


def shown(moment: datetime | None, *, seconds: bool = False) -> str:
    """Return a stored instant as people read it, in Beijing time: 2026-12-06 15:22."""
    if moment is None:
        return ""
    return beijing(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def shown_day(moment: datetime | None) -> str:
    """Return the Beijing calendar day of a stored instant: 2026-12-06."""
    return "" if moment is None else beijing(moment).strftime("%Y-%m-%d")
