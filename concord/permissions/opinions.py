"""Residents' opinions (民情民意) and stations: who sees and who handles them."""

from __future__ import annotations

from datetime import UTC, datetime
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


def may_rate(status: str, replied_at: datetime | None, last_rated_at: datetime | None) -> bool:
    """A resident rates a reply once: after it is replied or closed, not again for that reply."""
    if status not in ("replied", "closed") or replied_at is None:
        return False
    return last_rated_at is None or _utc(last_rated_at) < _utc(replied_at)


def may_change_opinion(status: str) -> bool:
    """A closed opinion is read-only until it is reopened."""
    return status != "closed"


def may_reopen(user: User | None, jurisdiction_code: str, status: str) -> bool:
    """The jurisdiction's handlers reopen an opinion once it is replied or closed."""
    return handles_opinions(user, jurisdiction_code) and status in ("replied", "closed")


def manages_offices(user: User | None, jurisdiction_code: str) -> bool:
    """The jurisdiction's handlers keep its directory of handling offices."""
    return handles_opinions(user, jurisdiction_code)


def may_supervise(user: User | None, jurisdiction_code: str) -> bool:
    """The jurisdiction's handlers put its suggestions and opinions under key supervision."""
    return handles_opinions(user, jurisdiction_code)


def office_takes(
    office_jurisdiction: str,
    office_active: bool,
    handlings: list[str],
    jurisdiction: str,
    handling: str | None,
) -> bool:
    """An opinion goes only to an active office of its jurisdiction that takes its handling."""
    if office_jurisdiction != jurisdiction or not office_active:
        return False
    return not handlings or handling is None or handling in handlings


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
