"""Turn submitted strings (form fields, JSON values, query arguments) into typed values.

Pages and the API parse with the same functions, so a bad value gets the same message naming its
field; services only ever see ints, dates, booleans and None.
"""

from __future__ import annotations

from datetime import date

from concord.i18n import gettext as _
from drafting.errors import BadInput

_NONE = (None, "", "none", "null")
_TRUE = ("true", "1", "yes", "on")


def optional_id(value, name: str) -> int | None:
    """Return an integer id, or None for a missing, empty or "none" value."""
    if isinstance(value, str):
        value = value.strip()
    if value in _NONE:
        return None
    if isinstance(value, bool):
        raise BadInput(_("{name} 应为条款编号（整数）。", name=name))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadInput(_("{name} 应为条款编号（整数）。", name=name)) from None


def required_id(value, name: str, message: str | None = None) -> int:
    """Return an integer id; a missing or malformed value is refused naming the field."""
    parsed = optional_id(value, name)
    if parsed is None:
        raise BadInput(message or _("缺少 {name}。", name=name))
    return parsed


def optional_date(value, name: str, field: str | None = None) -> date | None:
    """Return a date given as YYYY-MM-DD (form or JSON), or None when empty.

    A malformed date is refused naming it (`name`, shown to the user) beside its form field
    (`field`, `name` by default).
    """
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadInput(
            _("{field} 不是有效日期（YYYY-MM-DD）：“{v}”。", field=name, v=value),
            field=field or name,
        ) from None


def required_date(value, name: str, field: str | None = None) -> date:
    """Return a date given as YYYY-MM-DD; a missing or malformed one is refused naming it."""
    parsed = optional_date(value, name, field)
    if parsed is None:
        raise BadInput(_("缺少日期 {field}（YYYY-MM-DD）。", field=name), field=field or name)
    return parsed


def flag(value) -> bool:
    """Return whether a checkbox or JSON value means yes."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in _TRUE


def text(value) -> str:
    """Return a submitted value as a string ('' when missing)."""
    return "" if value is None else str(value)
