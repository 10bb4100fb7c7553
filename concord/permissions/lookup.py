"""Finding one object a user asked for: the id read, the row fetched, its rule asked, or 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from drafting.errors import NotFound

T = TypeVar("T")


def find_visible(
    session: Session, model: type[T], ident: object, message: str, check: Callable[[T], object]
) -> T:
    """Return row `ident` of `model` if the rule `check` lets the user see it.

    A malformed or unknown id is refused with NotFound(`message`), and so is a row for which
    `check` returns False; a `require…` rule passed as `check` refuses in its own words (404 or,
    where the user sees the project, 403).
    """
    try:
        row = session.get(model, int(ident))
    except (TypeError, ValueError):
        row = None
    if row is None or check(row) is False:
        raise NotFound(message)
    return row
