"""Record, read, list and answer proposals (议案, 代表建议, 民情民意, 专家意见) and their chain."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comments.proposals.models import FEEDS, Proposal, ProposalLink, is_overdue
from comments.proposals.services.fields import ProposalFields, kind_names, status_names
from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions import proposals as rules
from concord.permissions.contacts import sees_contact
from concord.permissions.lookup import find_visible
from concord.permissions.workspace import require_sees_project, sees_project
from drafting.errors import BadInput, Conflict, NotFound, NotPermitted
from drafting.models import Draft, Jurisdiction, Project, Provision
from drafting.services import audit


def display_name(proposal: Proposal) -> str:
    """Return e.g. 代表建议第0123号 (or the title when the proposal has no number)."""
    kind = kind_names().get(proposal.kind, proposal.kind)
    if proposal.number:
        number = proposal.number
        if not number.startswith("第") and not number[0].isdigit():
            return number  # it carries its own prefix, e.g. 民情民意第2025-041号
        # "代表建议第0123号", but "Deputy's suggestion 第0123号" in English.
        return f"{kind}{number}" if "\u2e80" <= kind[-1] else f"{kind} {number}"
    return f"{kind}《{proposal.title}》"


def get_proposal(session: Session, user: User, proposal_id: int | str) -> Proposal:
    """Return a proposal the user may see; 404 otherwise."""
    return find_visible(
        session,
        Proposal,
        proposal_id,
        _("找不到该建议或意见。"),
        lambda p: rules.require_sees_proposal(user, p),
    )


def visible_proposals(
    session: Session,
    user: User,
    *,
    project: Project | None = None,
    kind: str | None = None,
) -> list[Proposal]:
    """Return the proposals the user may see, newest first, optionally of one project or kind."""
    query = select(Proposal).order_by(Proposal.received_on.desc(), Proposal.id.desc())
    if project is not None:  # one the user sees (projects.get_project)
        linked = (
            select(ProposalLink.proposal_id)
            .join(Provision, Provision.id == ProposalLink.provision_id)
            .join(Draft, Draft.id == Provision.draft_id)
            .where(Draft.project_id == project.id)
        )
        query = query.where(or_(Proposal.project_id == project.id, Proposal.id.in_(linked)))
    if kind:
        query = query.where(Proposal.kind == kind)
    return list(session.scalars(query.where(rules.proposals_filter(user))))


def projects_for(session: Session, user: User) -> list[Project]:
    """Return the projects the user may see, for choosing a proposal's project."""
    return [
        p for p in session.scalars(select(Project).order_by(Project.id)) if sees_project(user, p)
    ]


def _check_chain(session: Session, user: User, proposal: Proposal | None, kind: str, target_id):
    """Return the proposal that `kind` feeds into, refusing unknown, hidden or circular targets."""
    if target_id is None:
        return None
    target = session.get(Proposal, target_id)
    if target is None or not rules.sees_proposal(user, target):
        raise NotFound(_("fed_into：找不到编号为 {id} 的建议或议案。", id=target_id))
    if target.kind not in FEEDS.get(kind, ()):
        names = kind_names()
        raise BadInput(
            _(
                "fed_into：{kind}不能汇入{target}（民情民意汇入代表建议或议案，代表建议汇入议案）。",
                kind=names.get(kind, kind),
                target=names.get(target.kind, target.kind),
            )
        )
    node = target
    while node is not None:
        if proposal is not None and node.id == proposal.id:
            raise BadInput(_("fed_into：汇入关系不能成环。"))
        node = node.fed_into
    return target


def add_proposal(session: Session, user: User, fields: ProposalFields) -> Proposal:
    """Check and add one proposal to the session without committing (imports add many)."""
    code = fields.jurisdiction or user.jurisdiction_code
    if session.get(Jurisdiction, code) is None:
        raise BadInput(_("jurisdiction：未知的行政区划代码 {code}。", code=code))
    if not rules.may_record(user, code):
        raise NotPermitted(_("只能登记本地区的建议和意见。"))
    project = None
    if fields.project is not None:
        project = require_sees_project(user, session.get(Project, fields.project))
    target = _check_chain(session, user, None, fields.kind, fields.fed_into)
    if fields.number and session.scalar(
        select(Proposal.id).where(
            Proposal.jurisdiction_code == code,
            Proposal.kind == fields.kind,
            Proposal.session == fields.session,
            Proposal.number == fields.number,
        )
    ):
        raise Conflict(_("编号 {number} 在本地区本届次已登记过，不能重复。", number=fields.number))
    proposal = Proposal(
        kind=fields.kind,
        number=fields.number,
        title=fields.title,
        text=fields.text,
        submitters=fields.submitters,
        delegation=fields.delegation,
        jurisdiction_code=code,
        project=project,
        session=fields.session,
        between_sessions=fields.between_sessions,
        received_on=fields.received_on or utcnow().date(),
        channel=fields.channel,
        status=fields.status,
        office=fields.office,
        deadline=fields.deadline,
        contact=fields.contact,
        fed_into=target,
        recorded_by_id=user.id,
    )
    session.add(proposal)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            _("编号 {number} 在本地区本届次已登记过，不能重复。", number=fields.number)
        ) from None
    audit.record(
        session,
        user,
        "proposal.record",
        project=project,
        obj=proposal,
        summary=_("登记{name}：{title}", name=display_name(proposal), title=proposal.title),
    )
    return proposal


def answer_proposal(
    session: Session,
    user: User,
    proposal: Proposal,
    *,
    status: str,
    office: str,
    deadline: date | None,
    reply: str,
    fed_into: int | None,
) -> Proposal:
    """Change a proposal's handling: status, office, deadline, reply, and what it fed into."""
    rules.require_may_answer(user, proposal)
    if status not in status_names():
        raise BadInput(_("status 应为 received、handling、replied 或 closed。"))
    proposal.fed_into = _check_chain(session, user, proposal, proposal.kind, fed_into)
    if reply and reply != proposal.reply:
        proposal.replied_at = utcnow()
    proposal.status = status
    proposal.office = office
    proposal.deadline = deadline
    proposal.reply = reply
    proposal.updated_at = utcnow()
    audit.record(
        session,
        user,
        "proposal.answer",
        project=proposal.project_id,
        obj=proposal,
        summary=_(
            "办理{name}：{status}", name=display_name(proposal), status=status_names()[status]
        ),
    )
    session.commit()
    return proposal


def seen_by(user: User, items: list[Proposal]) -> list[Proposal]:
    """Keep the proposals the user may see."""
    return [p for p in items if rules.sees_proposal(user, p)]


def chain_of(user: User, proposal: Proposal) -> tuple[list[Proposal], list[Proposal]]:
    """Return what the proposal fed into (nearest first) and everything that fed it, depth first,
    of what the user may see."""
    up: list[Proposal] = []
    node = proposal.fed_into
    while node is not None and node not in up:
        up.append(node)
        node = node.fed_into
    down: list[Proposal] = []
    stack = list(reversed(proposal.fed_by))
    while stack:
        node = stack.pop()
        if node in down:
            continue
        down.append(node)
        stack.extend(reversed(node.fed_by))
    return seen_by(user, up), seen_by(user, down)


def proposal_json(user: User, proposal: Proposal, links: list | None = None) -> dict:
    """Return the API shape of a proposal; the contact only for the recording jurisdiction."""
    out = {
        "id": proposal.id,
        "kind": proposal.kind,
        "number": proposal.number,
        "name": display_name(proposal),
        "title": proposal.title,
        "text": proposal.text,
        "submitters": proposal.submitters or [],
        "delegation": proposal.delegation,
        "jurisdiction": proposal.jurisdiction_code,
        "project": proposal.project_id,
        "session": proposal.session,
        "between_sessions": proposal.between_sessions,
        "date": proposal.received_on.isoformat() if proposal.received_on else None,
        "channel": proposal.channel,
        "status": proposal.status,
        "office": proposal.office,
        "deadline": proposal.deadline.isoformat() if proposal.deadline else None,
        "overdue": is_overdue(proposal),
        "reply": proposal.reply,
        "replied_at": proposal.replied_at.isoformat() if proposal.replied_at else None,
        "fed_into": proposal.fed_into_id,
        "fed_by": [p.id for p in seen_by(user, proposal.fed_by)],
    }
    if sees_contact(user, proposal.jurisdiction_code):
        out["contact"] = proposal.contact
    if links is not None:
        out["links"] = [link.to_json() for link in links]
    return out
