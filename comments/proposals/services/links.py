"""Links from proposals to provisions: made on stable ids, read with the current label and text."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comments.proposals.core.textdiff import bigrams, segments, similarity
from comments.proposals.models import Proposal, ProposalLink
from comments.proposals.services.proposals import display_name
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import proposals as rules
from concord.permissions.workspace import sees_project
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Draft, Project, Provision
from drafting.services import audit
from drafting.services.drafts import DraftTree, load_tree


class Trees:
    """Numbered trees of drafts, loaded once per draft for a page or a report."""

    def __init__(self, session: Session):
        self.session = session
        self.trees: dict[int, DraftTree] = {}

    def of(self, draft: Draft) -> DraftTree:
        if draft.id not in self.trees:
            self.trees[draft.id] = load_tree(self.session, draft)
        return self.trees[draft.id]


def node_text(tree: DraftTree, pid: int) -> str:
    """Return a provision's text with that of its clauses and items, one paragraph per line."""
    node = tree.nodes[pid]
    lines: list[str] = []

    def walk(n, top: bool) -> None:
        value = n.heading if n.kind in ("part", "chapter", "section") else n.text
        prefix = n.label if (not top and n.kind in ("item", "subitem")) else ""
        if value:
            lines.append(f"{prefix}{value}")
        for child in n.children:
            walk(child, False)

    walk(node, True)
    return "\n".join(lines)


@dataclass
class LinkView:
    """A link as a reader sees it now: where the provision is, its text, and what changed."""

    link: ProposalLink
    draft: Draft
    deleted: bool
    label: str
    text: str
    changes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.link.text_at_link

    @property
    def renumbered(self) -> bool:
        return bool(self.link.label_at_link) and self.label != self.link.label_at_link

    def to_json(self) -> dict:
        return {
            "id": self.link.id,
            "proposal": self.link.proposal_id,
            "provision": self.link.provision_id,
            "draft": self.draft.id,
            "draft_title": self.draft.title,
            "jurisdiction": self.draft.jurisdiction_code,
            "deleted": self.deleted,
            "label": self.label,
            "text": self.text,
            "label_at_link": self.link.label_at_link,
            "text_at_link": self.link.text_at_link,
            "revision_at_link": self.link.revision_id,
            "changed": self.changed,
            "note": self.link.note,
            "created_at": self.link.created_at.isoformat(),
        }


def view_link(trees: Trees, link: ProposalLink) -> LinkView:
    """Return the link with its provision's current label and text, or the deletion."""
    prov = link.provision
    tree = trees.of(prov.draft)
    if prov.deleted or prov.id not in tree.nodes:
        return LinkView(
            link=link,
            draft=prov.draft,
            deleted=True,
            label=link.label_at_link,
            text=link.text_at_link,
        )
    text = node_text(tree, prov.id)
    return LinkView(
        link=link,
        draft=prov.draft,
        deleted=False,
        label=tree.full_label(prov.id),
        text=text,
        changes=segments(link.text_at_link, text) if text != link.text_at_link else [],
    )


def links_of(session: Session, user: User, proposal: Proposal) -> list[LinkView]:
    """Return the proposal's links to provisions of drafts the user can see, in draft order."""
    trees = Trees(session)
    views = [
        view_link(trees, link)
        for link in proposal.links
        if sees_project(user, link.provision.draft.project)
    ]
    return sorted(views, key=lambda v: (not v.draft.is_common, v.draft.id, v.link.id))


def _provision(session: Session, user: User, provision_id) -> Provision:
    try:
        prov = session.get(Provision, int(provision_id))
    except (TypeError, ValueError):
        raise BadInput(_("provision 应为条款编号（整数）。")) from None
    if prov is None:
        raise NotFound(_("找不到条款 {id}。", id=provision_id))
    return prov


def add_link(
    session: Session, user: User, proposal: Proposal, provision_id, *, note: str = ""
) -> LinkView:
    """Check and add one link without committing (the demo adds many)."""
    prov = _provision(session, user, provision_id)
    rules.require_may_link(user, proposal, prov.draft)
    if prov.deleted:
        raise Conflict(_("该条款已被删除，不能关联。"))
    project = prov.draft.project
    if proposal.project_id is not None and proposal.project_id != project.id:
        raise BadInput(
            _(
                "provision：该条款属于另一个立法项目，本件已关联到《{title}》。",
                title=proposal.project.title,
            )
        )
    if session.scalar(
        select(ProposalLink.id).where(
            ProposalLink.proposal_id == proposal.id, ProposalLink.provision_id == prov.id
        )
    ):
        raise Conflict(_("本件已关联该条款。"))
    tree = load_tree(session, prov.draft)
    link = ProposalLink(
        proposal=proposal,
        provision=prov,
        revision_id=prov.revision_id,
        label_at_link=tree.full_label(prov.id),
        text_at_link=node_text(tree, prov.id),
        note=note.strip(),
        created_by_id=user.id,
    )
    if proposal.project_id is None:
        proposal.project = project
    session.add(link)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(_("本件已关联该条款。")) from None
    audit.record(
        session,
        user,
        "proposal.link",
        project=project,
        obj=proposal,
        summary=_(
            "{name}关联《{title}》{label}",
            name=display_name(proposal),
            title=prov.draft.title,
            label=link.label_at_link,
        ),
    )
    trees = Trees(session)
    trees.trees[prov.draft_id] = tree
    return view_link(trees, link)


def unlink(session: Session, user: User, proposal: Proposal, link_id: int) -> None:
    """Remove one link of the proposal."""
    link = session.get(ProposalLink, link_id)
    if link is None or link.proposal_id != proposal.id:
        raise NotFound(_("找不到该关联。"))
    rules.require_may_link(user, proposal, link.provision.draft)
    audit.record(
        session,
        user,
        "proposal.unlink",
        project=link.provision.draft.project_id,
        obj=proposal,
        summary=_("{name}取消关联{label}", name=display_name(proposal), label=link.label_at_link),
    )
    session.delete(link)
    session.commit()


@dataclass
class Badge:
    """A proposal shown beside an article it inspired."""

    proposal_id: int
    name: str
    title: str


def badges_for_draft(session: Session, draft: Draft) -> dict[int, list[Badge]]:
    """Return, per provision id of the draft, the proposals linked to it (for "inspired by")."""
    rows = session.execute(
        select(ProposalLink.provision_id, Proposal)
        .join(Proposal, Proposal.id == ProposalLink.proposal_id)
        .join(Provision, Provision.id == ProposalLink.provision_id)
        .where(Provision.draft_id == draft.id, Provision.deleted.is_(False))
        .order_by(Proposal.id)
    ).all()
    out: dict[int, list[Badge]] = {}
    for pid, proposal in rows:
        out.setdefault(pid, []).append(Badge(proposal.id, display_name(proposal), proposal.title))
    return out


def proposals_for_provision(session: Session, user: User, prov: Provision) -> list[dict]:
    """Return the proposals linked to a provision, for the provision API."""
    links = session.scalars(
        select(ProposalLink).where(ProposalLink.provision_id == prov.id).order_by(ProposalLink.id)
    ).all()
    return [
        {
            "id": link.proposal.id,
            "kind": link.proposal.kind,
            "number": link.proposal.number,
            "title": link.proposal.title,
            "note": link.note,
            "label_at_link": link.label_at_link,
            "changed_since_link": link.revision_id != prov.revision_id,
        }
        for link in links
        if rules.sees_proposal(user, link.proposal)
    ]


@dataclass
class Suggestion:
    """A provision whose text resembles the proposal's."""

    draft: Draft
    provision_id: int
    label: str
    text: str
    score: float


def suggest_provisions(
    session: Session, user: User, proposal: Proposal, *, project: Project | None = None, limit=8
) -> list[Suggestion]:
    """Return the articles and clauses of the project most similar to the proposal's text.

    The search store picks the candidate articles; their clauses are then scored here.
    """
    from search.services.precedents import related_articles

    project = project or proposal.project
    if project is None or not sees_project(user, project):
        return []
    wanted = bigrams(f"{proposal.title}\n{proposal.text}")
    candidates = related_articles(
        session, f"{proposal.title}\n{proposal.text}", project_id=project.id
    )
    linked = {link.provision_id for link in proposal.links}
    found: list[Suggestion] = []
    for draft in project.drafts:
        if draft.id not in candidates or not rules.may_link(user, proposal, draft):
            continue
        tree = load_tree(session, draft)
        for node in tree.walk():
            if node.kind not in ("article", "clause") or node.id in linked:
                continue
            article = node if node.kind == "article" else tree.article_of(node.id)
            if article is None or article.id not in candidates[draft.id]:
                continue
            text = node_text(tree, node.id)
            score = similarity(wanted, bigrams(text))
            if score > 0:
                found.append(Suggestion(draft, node.id, tree.full_label(node.id), text, score))
    found.sort(key=lambda s: (-s.score, not s.draft.is_common, s.draft.id))
    # Cities often keep the common text's wording: offer each wording once, the common text first.
    out, seen = [], set()
    for s in found:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out[:limit]


@dataclass
class LinkChoices:
    """The drafts a proposal may be linked to, and the provisions of the chosen one."""

    drafts: list[Draft]
    draft: Draft | None
    options: list[tuple[int, str, str]]


def link_choices(session: Session, user: User, proposal: Proposal, draft_id=None) -> LinkChoices:
    """Return the drafts the user may link the proposal to and the chosen draft's clauses."""
    if proposal.project is not None:
        projects = [proposal.project]
    else:
        projects = list(session.scalars(select(Project).order_by(Project.id)))
    drafts = [
        d
        for p in projects
        if sees_project(user, p)
        for d in sorted(p.drafts, key=lambda d: (not d.is_common, d.id))
        if rules.may_link(user, proposal, d)
    ]
    chosen = None
    try:
        wanted = int(draft_id) if draft_id not in (None, "") else None
    except (TypeError, ValueError):
        wanted = None
    chosen = next((d for d in drafts if d.id == wanted), drafts[0] if drafts else None)
    options: list[tuple[int, str, str]] = []
    if chosen is not None:
        tree = load_tree(session, chosen)
        for node in tree.walk():
            if node.kind in ("article", "clause", "item"):
                text = (node.text or "")[:40]
                options.append((node.id, tree.full_label(node.id), text))
    return LinkChoices(drafts=drafts, draft=chosen, options=options)
