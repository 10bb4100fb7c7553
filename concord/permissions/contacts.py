"""Residents' contact details: one rule for opinions from the public form and for those recorded
with proposals, on every surface (lists, detail pages, API, exports, search)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.permissions.roles import is_staff_of

if TYPE_CHECKING:
    from concord.accounts.models import User


def sees_contact(user: User | None, jurisdiction_code: str) -> bool:
    """Only the drafters and admins of the recording (station's) jurisdiction see a contact."""
    return is_staff_of(user, jurisdiction_code)
