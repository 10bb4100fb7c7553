"""Who may see and handle residents' opinions: one rule per decision, pages and API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from drafting.errors import NotFound, NotPermitted

if TYPE_CHECKING:
    from concord.accounts.models import User


def sees_opinions(user: User | None, jurisdiction_code: str) -> bool:
    """Staff of the recording jurisdiction, and admins, see its opinions; others learn nothing."""
    if user is None or not user.active:
        return False
    return user.role == "admin" or user.jurisdiction_code == jurisdiction_code


def sees_contact(user: User | None, jurisdiction_code: str) -> bool:
    """Only the station's own jurisdiction sees a resident's contact details."""
    return (
        user is not None
        and user.active
        and user.jurisdiction_code == jurisdiction_code
        and user.role in ("admin", "drafter")
    )


def handles_opinions(user: User | None, jurisdiction_code: str) -> bool:
    """Drafters and admins of the jurisdiction triage, reply, and set up stations and deadlines."""
    return (
        user is not None
        and user.active
        and user.jurisdiction_code == jurisdiction_code
        and user.role in ("admin", "drafter")
    )


def require_sees(user: User | None, jurisdiction_code: str) -> None:
    """Raise NotFound unless the user sees the jurisdiction's opinions."""
    if not sees_opinions(user, jurisdiction_code):
        raise NotFound(_("找不到该意见或联络站。"))


def require_handles(user: User | None, jurisdiction_code: str) -> None:
    """Raise NotFound for outsiders, NotPermitted for those who see but may not handle."""
    require_sees(user, jurisdiction_code)
    if not handles_opinions(user, jurisdiction_code):
        raise NotPermitted(_("只有本地区的起草人员或管理员可以办理群众意见。"))
