"""Projects and drafts: who sees a project, who coordinates it, who writes which text.

- users: `may_create_project` (who manages users: concord/permissions/users.py);
- projects (`sees_project` underlies everything): `may_manage_project` (participants, audit log),
  `may_record_stage`, `may_create_draft`, `may_pin`, and `projects_filter` for lists;
- drafts: `may_view_draft`, `may_edit_draft` (text, structure, versions, imports, and the
  decisions that change the text: comments decided, common-text changes accepted),
  `may_decide_review` (confirming or dismissing legality review findings).

An admin sees every project but acts, like its drafters, for their own jurisdiction only.
Services call `require(allowed, user, project)`: a refusal is 404 when the user may not see the
project at all (nobody learns it exists), 403 when they see it but may not do this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from concord.i18n import gettext as _
from concord.permissions.clauses import either
from concord.permissions.roles import active, is_admin, is_staff_of
from drafting.errors import NotFound, NotPermitted

if TYPE_CHECKING:
    from concord.accounts.models import User
    from drafting.models import Draft, Project


def may_create_project(user: User | None, lead_code: str | None = None) -> bool:
    """Drafters start projects their own jurisdiction leads; admins start any project."""
    if not active(user):
        return False
    if is_admin(user):
        return True
    return user.role == "drafter" and (lead_code is None or lead_code == user.jurisdiction_code)


def participates(project, code: str):
    """Return whether the jurisdiction takes part (a bool for a project, SQL for the class)."""
    if isinstance(project, type):
        from drafting.models import Participant

        return project.participants.any(Participant.jurisdiction_code == code)
    return code in project.participant_codes()


def sees_project(user: User, project: Project) -> bool:
    """Participants' users and admins see a project; nobody else learns it exists."""
    return either(is_admin(user), participates(project, user.jurisdiction_code))


def projects_filter(user: User | None):
    """Return the SQL condition on Project of `may_view_project`, for lists."""
    from drafting.models import Project

    if not active(user):
        return False
    return sees_project(user, Project)


def leads(user: User, project: Project) -> bool:
    """Return whether the user belongs to the project's lead jurisdiction."""
    return user.jurisdiction_code == project.lead_code


def may_view_project(user: User | None, project: Project) -> bool:
    """Return whether an active user sees the project."""
    return active(user) and sees_project(user, project)


def coordinates(user: User | None, project: Project) -> bool:
    """The lead jurisdiction's drafters and admins coordinate the whole project."""
    return may_view_project(user, project) and is_staff_of(user, project.lead_code)


def drafts_for(user: User | None, project: Project, code: str) -> bool:
    """A jurisdiction's drafters and admins write that jurisdiction's texts."""
    return may_view_project(user, project) and is_staff_of(user, code)


def may_manage_project(user: User | None, project: Project) -> bool:
    """Adding participants and reading the audit log: the coordinators."""
    return coordinates(user, project)


def may_record_stage(user: User | None, project: Project, code: str) -> bool:
    """A city records its own stages; the coordinators record anyone's."""
    return coordinates(user, project) or drafts_for(user, project, code)


def may_create_draft(user: User | None, project: Project, code: str, common: bool) -> bool:
    """A city creates its own drafts; the common text is the coordinators'."""
    if common:
        return coordinates(user, project)
    return drafts_for(user, project, code)


def may_pin(user: User | None, project: Project, city_draft: Draft) -> bool:
    """Pairing a city's article with the common text concerns both sides."""
    return coordinates(user, project) or drafts_for(user, project, city_draft.jurisdiction_code)


def may_view_draft(user: User | None, draft: Draft) -> bool:
    """Whoever sees the project reads its drafts."""
    return may_view_project(user, draft.project)


def may_edit_draft(user: User | None, draft: Draft) -> bool:
    """Only the draft's own jurisdiction changes its text, or decides what changes it."""
    return drafts_for(user, draft.project, draft.jurisdiction_code)


def may_decide_review(user: User | None, draft: Draft) -> bool:
    """Legal advisers who see the project, and the draft's own drafters, decide review findings."""
    return may_edit_draft(user, draft) or (may_view_draft(user, draft) and user.role == "adviser")


def refuse(user: User | None, project: Project | None, message: str | None = None) -> NoReturn:
    """Raise NotFound for a project the user may not see, else NotPermitted (with `message`)."""
    if project is not None and user is not None and not sees_project(user, project):
        raise NotFound(_("找不到该项目。"))
    raise NotPermitted(message or _("您的角色或所属地区无权执行此操作。"))


def require(
    allowed: bool, user: User | None, project: Project | None = None, message: str | None = None
) -> None:
    """Refuse (404 or 403, see `refuse`) unless `allowed`."""
    if not allowed:
        refuse(user, project, message)


def require_sees_project(user: User, project: Project | None) -> Project:
    """Return the project, or raise NotFound when it is missing or hidden from the user."""
    if project is None or not sees_project(user, project):
        raise NotFound(_("找不到该项目。"))
    return project
