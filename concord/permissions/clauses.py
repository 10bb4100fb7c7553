"""Combinators that evaluate a rule on an object, or build its SQL filter on the mapped class.

A rule written as `either(is_admin(user), Draft.jurisdiction_code == code)` is a plain bool when
given an instance and an SQL condition when given the class: the check and the filter are one
definition.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement


def either(*parts):
    """Return the disjunction of bools, or of SQL conditions when any part is one."""
    if all(isinstance(p, bool) for p in parts):
        return any(parts)
    if any(p is True for p in parts):
        return true()
    return or_(*(p for p in parts if not isinstance(p, bool)))


def both(*parts):
    """Return the conjunction of bools, or of SQL conditions when any part is one."""
    if all(isinstance(p, bool) for p in parts):
        return all(parts)
    if any(p is False for p in parts):
        return false()
    return and_(*(p for p in parts if not isinstance(p, bool)))


def among(value, values: Iterable):
    """Return `value in values` for a plain value, `value IN (...)` for a column."""
    values = list(values)
    if isinstance(value, ColumnElement) or hasattr(value, "in_"):
        return value.in_(values)
    return value in values
