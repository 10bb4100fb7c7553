"""Quarters as residents' opinions are reported: 2026Q4 is October to December 2026."""

from __future__ import annotations

import re
from datetime import date, timedelta


def parse_quarter(text: str) -> tuple[date, date] | None:
    """Return the first and last day of a quarter written 2026Q4, or None."""
    m = re.fullmatch(r"\s*(\d{4})\s*[Qq]\s*([1-4])\s*", text or "")
    if not m:
        return None
    year, q = int(m.group(1)), int(m.group(2))
    if not 1900 <= year <= 2999:  # 0000Q1 or 9999Q4 would be past what dates can hold
        return None
    first = date(year, 3 * q - 2, 1)
    after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first, after - timedelta(days=1)


def quarter_of(day: date) -> str:
    """Return the quarter a day falls in, written 2026Q4."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_label(quarter: str) -> str:
    """Return 2026年第四季度 for 2026Q4."""
    year, q = quarter.upper().split("Q")
    return f"{year}年第{'一二三四'[int(q) - 1]}季度"


def add_working_days(start: date, days: int) -> date:
    """Return the day `days` working days (Monday to Friday) after `start`."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
