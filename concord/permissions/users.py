"""Users: who manages whose accounts, and who may hand out which role (issue 21).

An admin manages the users of their own jurisdiction; the platform admin manages every
jurisdiction's users and admins and adds jurisdictions. Nobody raises anyone above their own rank,
nor changes someone ranked above them. (The last active admin of a jurisdiction stays: a count,
kept in concord/accounts/management.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.permissions.roles import active, is_admin

if TYPE_CHECKING:
    from concord.accounts.models import User

# Who may hand out which role: nobody raises anyone above their own rank.
ROLE_RANK = {"commenter": 1, "adviser": 1, "drafter": 2, "admin": 3}


def rank(role: str, platform: bool) -> int:
    """Return a role's rank; the platform admin ranks above a jurisdiction's admins."""
    return ROLE_RANK.get(role, 0) + (1 if platform and role == "admin" else 0)


def is_platform_admin(user: User | None) -> bool:
    """The platform admin manages jurisdictions and every city's admins."""
    return active(user) and is_admin(user) and user.platform_admin


def may_manage_users(user: User | None, code: str) -> bool:
    """An admin manages the users of their own jurisdiction; the platform admin everyone's."""
    return (
        active(user) and is_admin(user) and (user.platform_admin or code == user.jurisdiction_code)
    )


def may_manage_user(user: User | None, target: User) -> bool:
    """Managing one user: their jurisdiction's admin, never someone ranked above oneself."""
    return may_manage_users(user, target.jurisdiction_code) and rank(
        target.role, target.platform_admin
    ) <= rank(user.role, user.platform_admin)


def may_grant(user: User | None, role: str, platform: bool = False) -> bool:
    """A role may be given only by someone of at least that rank."""
    return active(user) and rank(role, platform) <= rank(user.role, user.platform_admin)
