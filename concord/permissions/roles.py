"""The user's standing, the ground every rule stands on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concord.accounts.models import User

# Those who write a jurisdiction's texts and handle what is said about them; an admin acts in
# their own jurisdiction exactly as its drafters do (and manages its users besides).
STAFF_ROLES = ("admin", "drafter")
# Whoever may send a comment when their jurisdiction is invited: advisers like anyone else.
COMMENTING_ROLES = ("admin", "drafter", "commenter", "adviser")


def active(user: User | None) -> bool:
    """Return whether the user exists and may sign in."""
    return user is not None and user.active


def is_admin(user: User) -> bool:
    """Return whether the user administers (sees every project, manages users)."""
    return user.role == "admin"


def is_staff_of(user: User | None, jurisdiction_code: str) -> bool:
    """Return whether the user is an active drafter or admin of that jurisdiction."""
    return active(user) and user.role in STAFF_ROLES and user.jurisdiction_code == jurisdiction_code
