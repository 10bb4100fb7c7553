"""The one place that decides what a user may see and do; pages and the API both ask here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafting.errors import NotFound, NotPermitted
from drafting.i18n import gettext as _

if TYPE_CHECKING:
    from drafting.models import Draft, Project, User


def sees_project(user: User, project: Project) -> bool:
    """Participants' users and admins see a project; nobody else learns it exists."""
    return user.role == "admin" or user.jurisdiction_code in project.participant_codes()


def leads(user: User, project: Project) -> bool:
    """Return whether the user belongs to the project's lead jurisdiction."""
    return user.jurisdiction_code == project.lead_code


def can(user: User | None, action: str, obj=None) -> bool:
    """Return whether `user` may perform `action` on `obj`."""
    if user is None or not user.active:
        return False
    admin = user.role == "admin"
    if action == "project.create":
        return admin or user.role == "drafter"
    if action == "project.view":
        return sees_project(user, obj)
    if action in ("project.manage", "audit.view"):
        return sees_project(user, obj) and (admin or (user.role == "drafter" and leads(user, obj)))
    if action == "stage.record":
        project, code = obj
        if not sees_project(user, project):
            return False
        if admin or (user.role == "drafter" and leads(user, project)):
            return True
        return user.role == "drafter" and user.jurisdiction_code == code
    if action == "draft.view":
        return sees_project(user, obj.project)
    if action == "draft.create":
        project, code, common = obj
        if not sees_project(user, project):
            return False
        if admin:
            return True
        if common:
            return user.role == "drafter" and leads(user, project)
        return user.role == "drafter" and user.jurisdiction_code == code
    if action == "draft.edit":
        draft: Draft = obj
        if not sees_project(user, draft.project):
            return False
        if admin:
            return True
        return user.role == "drafter" and user.jurisdiction_code == draft.jurisdiction_code
    if action == "draft.comment":
        return sees_project(user, obj.project) and user.role in ("admin", "drafter", "commenter")
    if action == "comment.decide":
        draft = obj
        return sees_project(user, draft.project) and (
            admin or (user.role == "drafter" and user.jurisdiction_code == draft.jurisdiction_code)
        )
    if action == "alignment.pin":
        # Pairing a city's article with the common text concerns both sides.
        project, city_draft = obj
        if not sees_project(user, project):
            return False
        if admin:
            return True
        return user.role == "drafter" and (
            leads(user, project) or user.jurisdiction_code == city_draft.jurisdiction_code
        )
    if action == "propagation.decide":
        draft = obj
        return sees_project(user, draft.project) and (
            admin or (user.role == "drafter" and user.jurisdiction_code == draft.jurisdiction_code)
        )
    if action == "user.manage":
        return admin
    raise ValueError(f"unknown action {action!r}")


def require(user: User | None, action: str, obj=None) -> None:
    """Raise NotFound for what the user may not see, NotPermitted for what they may not do."""
    if can(user, action, obj):
        return
    project = _project_of(obj)
    if project is not None and user is not None and not sees_project(user, project):
        raise NotFound(_("找不到该项目。"))
    raise NotPermitted(_("您的角色或所属地区无权执行此操作。"))


def _project_of(obj):
    from drafting.models import Draft, Project

    if isinstance(obj, Project):
        return obj
    if isinstance(obj, Draft):
        return obj.project
    if isinstance(obj, tuple) and obj and isinstance(obj[0], Project):
        return obj[0]
    return None
