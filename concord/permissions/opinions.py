"""Residents' opinions (民情民意) and stations: who sees and who handles them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from concord.permissions.roles import active, is_admin, is_staff_of
from drafting.errors import NotFound, NotPermitted

if TYPE_CHECKING:
    from concord.accounts.models import User


def sees_opinions(user: User | None, jurisdiction_code: str) -> bool:
    """Staff of the recording jurisdiction, and admins, see its opinions; others learn nothing."""
    return active(user) and (is_admin(user) or user.jurisdiction_code == jurisdiction_code)


def handles_opinions(user: User | None, jurisdiction_code: str) -> bool:
    """Drafters and admins of the jurisdiction triage, reply, and set up stations and deadlines."""
    return is_staff_of(user, jurisdiction_code)


def require_sees(user: User | None, jurisdiction_code: str) -> None:
    """Raise NotFound unless the user sees the jurisdiction's opinions."""
    if not sees_opinions(user, jurisdiction_code):
        raise NotFound(_("找不到该意见或联络站。"))


def require_handles(user: User | None, jurisdiction_code: str) -> None:
    """Raise NotFound for outsiders, NotPermitted for those who see but may not handle."""
    require_sees(user, jurisdiction_code)
    if not handles_opinions(user, jurisdiction_code):
        raise NotPermitted(_("只有本地区的起草人员或管理员可以办理群众意见。"))
