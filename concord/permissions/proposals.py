"""Proposals (议案, 建议, experts' and citizens' opinions): who sees, records, answers and links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from concord.permissions.clauses import either
from concord.permissions.roles import STAFF_ROLES, active, is_staff_of
from concord.permissions.workspace import leads, require_sees_project, sees_project
from drafting.errors import NotFound, NotPermitted

if TYPE_CHECKING:
    from comments.proposals.models import Proposal
    from concord.accounts.models import User
    from drafting.models import Draft

RECORDERS = ("admin", "drafter", "commenter")


def on_seen_project(user: User, proposal):
    """Return whether the proposal belongs to a project the user sees (SQL for the class)."""
    if isinstance(proposal, type):
        from drafting.models import Project

        return proposal.project.has(sees_project(user, Project))
    return proposal.project is not None and sees_project(user, proposal.project)


def sees_proposal(user: User, proposal: Proposal) -> bool:
    """The recording jurisdiction sees its proposals; a project's participants see its ones."""
    return either(
        proposal.jurisdiction_code == user.jurisdiction_code, on_seen_project(user, proposal)
    )


def proposals_filter(user: User):
    """Return the SQL condition on Proposal of `sees_proposal`, for lists."""
    from comments.proposals.models import Proposal

    return sees_proposal(user, Proposal)


def may_record(user: User, jurisdiction_code: str) -> bool:
    """Staff (drafters, commenters, admins) record proposals of their own jurisdiction."""
    return active(user) and user.role in RECORDERS and user.jurisdiction_code == jurisdiction_code


def may_answer(user: User, proposal: Proposal) -> bool:
    """The recording jurisdiction's drafters and admins change status, office and reply."""
    return is_staff_of(user, proposal.jurisdiction_code)


def may_link(user: User, proposal: Proposal, draft: Draft) -> bool:
    """Drafters and admins of the proposal's or the draft's jurisdiction, or of the lead."""
    if not active(user) or user.role not in STAFF_ROLES:
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


def require_may_link(user: User, proposal: Proposal, draft: Draft) -> None:
    """Refuse with 404 a draft the user cannot see, with 403 one they may not link."""
    require_sees_project(user, draft.project)
    if not may_link(user, proposal, draft):
        raise NotPermitted(_("只有提出地区、文本所属地区或牵头地区的起草人员可以关联条款。"))


def require_may_answer(user: User, proposal: Proposal) -> None:
    """Refuse with 403 a change of handling by someone outside the recording jurisdiction."""
    if not may_answer(user, proposal):
        raise NotPermitted(_("只有登记地区的起草人员可以办理和答复。"))
