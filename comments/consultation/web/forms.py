"""Parsing request fields shared by the pages and the API: dates, ids, booleans, filters."""

from __future__ import annotations

from datetime import date

from comments.consultation.services.comment_views import Filters
from concord import clock
from concord.i18n import gettext as _
from drafting.errors import BadInput


def parse_id(value, field: str) -> int | None:
    """Return an optional integer id or refuse naming the field."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadInput(_("{field} 应为编号（整数）。", field=field)) from None


def truthy(value) -> bool:
    return str(value).lower() in ("true", "1", "yes", "on")


def parse_codes(value, field: str = "invited") -> list[str]:
    """Return jurisdiction codes from a list or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [c for c in value.replace("，", ",").split(",") if c.strip()]
    if isinstance(value, list):
        return [str(c) for c in value]
    raise BadInput(_("{field} 应为行政区划代码的列表。", field=field))


def parse_filters(args) -> Filters:
    """Return comment filters from query arguments (jurisdiction, status, article, kind, round)."""
    return Filters(
        jurisdiction=args.get("jurisdiction") or None,
        status=args.get("status") or None,
        article=parse_id(args.get("article"), "article"),
        kind=args.get("kind") or None,
        round_id=parse_id(args.get("round"), "round"),
    )


def today() -> date:
    """Return today's date in Beijing, where rounds open and close."""
    return clock.today()
