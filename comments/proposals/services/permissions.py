"""Who may see, record, answer and link proposals; built on the project rules of drafting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from drafting.errors import NotFound, NotPermitted
from drafting.services.permissions import leads, sees_project

if TYPE_CHECKING:
    from comments.proposals.models import Proposal
    from concord.accounts.models import User
    from drafting.models import Draft, Project

RECORDERS = ("admin", "drafter", "commenter")


def sees_proposal(user: User, proposal: Proposal) -> bool:
    """The recording jurisdiction sees its proposals; a project's participants see its ones."""
    if user.jurisdiction_code == proposal.jurisdiction_code:
        return True
    return proposal.project is not None and sees_project(user, proposal.project)


def sees_contact(user: User, proposal: Proposal) -> bool:
    """A citizen's contact stays with the jurisdiction that recorded it, admins included."""
    return user.jurisdiction_code == proposal.jurisdiction_code


def may_record(user: User, jurisdiction_code: str) -> bool:
    """Staff record proposals of their own jurisdiction; admins record for any."""
    if user.role == "admin":
        return True
    return user.role in RECORDERS and user.jurisdiction_code == jurisdiction_code


def may_answer(user: User, proposal: Proposal) -> bool:
    """The recording jurisdiction's drafters and admins change status, office and reply."""
    return user.jurisdiction_code == proposal.jurisdiction_code and user.role in (
        "admin",
        "drafter",
    )


def may_link(user: User, proposal: Proposal, draft: Draft) -> bool:
    """Drafters of the proposal's or the draft's jurisdiction, or of the lead, link them."""
    if user.role == "admin":
        return True
    if user.role != "drafter":
        return False
    return user.jurisdiction_code in (
        proposal.jurisdiction_code,
        draft.jurisdiction_code,
    ) or leads(user, draft.project)


def require_sees_proposal(user: User, proposal: Proposal | None) -> Proposal:
    """Return the proposal, or raise NotFound when it is missing or hidden from the user."""
    if proposal is None or not sees_proposal(user, proposal):
        raise NotFound(_("找不到该建议或意见。"))
    return proposal


def require_sees_project(user: User, project: Project | None) -> Project:
    """Return the project, or raise NotFound when it is missing or hidden from the user."""
    if project is None or not sees_project(user, project):
        raise NotFound(_("找不到该项目。"))
    return project


def require_may_link(user: User, proposal: Proposal, draft: Draft) -> None:
    """Refuse with 404 a draft the user cannot see, with 403 one they may not link."""
    require_sees_project(user, draft.project)
    if not may_link(user, proposal, draft):
        raise NotPermitted(_("只有提出地区、文本所属地区或牵头地区的起草人员可以关联条款。"))


def require_may_answer(user: User, proposal: Proposal) -> None:
    """Refuse with 403 a change of handling by someone outside the recording jurisdiction."""
    if not may_answer(user, proposal):
        raise NotPermitted(_("只有登记地区的起草人员可以办理和答复。"))
