"""Overviews: a round's articles × jurisdictions, counts per article, and each user's lists."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from comments.consultation.models import Comment, Disposition, Round, RoundInvitation
from concord.accounts.models import User
from concord.permissions import consultation as rules
from concord.permissions.workspace import sees_project
from drafting.models import Draft, Jurisdiction
from drafting.services.drafts import DraftTree, load_tree


@dataclass
class Cell:
    """Comments of one jurisdiction on one article: how many, how many still undecided."""

    total: int = 0
    undecided: int = 0


@dataclass
class Overview:
    """A round's comments counted by article (rows) and jurisdiction (columns)."""

    round: Round
    jurisdictions: list[Jurisdiction]
    rows: list[tuple[object, dict[str, Cell]]]
    totals: dict[str, Cell]
    decisions: Counter = field(default_factory=Counter)
    deleted: dict[str, Cell] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.totals.values())

    @property
    def undecided(self) -> int:
        return sum(c.undecided for c in self.totals.values())


def round_overview(
    session: Session, user: User, round_: Round, tree: DraftTree | None = None
) -> Overview:
    """Count the round's comments the user may read by article and jurisdiction, in one query."""
    rules.require_sees(user, round_.draft)
    tree = tree or load_tree(session, round_.draft)
    query = (
        select(
            Comment.provision_id,
            Comment.jurisdiction_code,
            Disposition.decision,
            func.count(),
        )
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(Comment.round_id == round_.id, Comment.parent_id.is_(None))
        .group_by(Comment.provision_id, Comment.jurisdiction_code, Disposition.decision)
    )
    query = query.where(rules.comments_filter(user, round_.draft, round_))
    cells: dict[int | None, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    totals: dict[str, Cell] = defaultdict(Cell)
    decisions: Counter = Counter()
    codes = set(round_.invited_codes()) | {round_.draft.jurisdiction_code}
    for pid, code, decision, n in session.execute(query):
        article = tree.article_of(pid) if pid in tree.nodes else None
        cell = cells[article.id if article else None][code]
        cell.total += n
        totals[code].total += n
        if decision is None:
            cell.undecided += n
            totals[code].undecided += n
        decisions[decision or "undecided"] += n
        codes.add(code)
    names = {
        j.code: j for j in session.scalars(select(Jurisdiction).where(Jurisdiction.code.in_(codes)))
    }
    lead = round_.draft.jurisdiction_code
    ordered = sorted(codes, key=lambda c: (c != lead, c))
    rows = [(a, cells.get(a.id, {})) for a in tree.articles()]
    return Overview(
        round=round_,
        jurisdictions=[names[c] for c in ordered if c in names],
        rows=rows,
        totals=dict(totals),
        decisions=decisions,
        deleted=dict(cells.get(None, {})),
    )


def counts_by_provision(session: Session, user: User, draft: Draft) -> dict[int, Cell]:
    """Return, per provision id, how many comments (and undecided ones) the user may read."""
    rules.require_sees(user, draft)
    query = (
        select(Comment.provision_id, Disposition.id.is_(None), func.count())
        .join(Round, Comment.round_id == Round.id)
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(Round.draft_id == draft.id, Comment.parent_id.is_(None))
        .group_by(Comment.provision_id, Disposition.id.is_(None))
    )
    query = query.where(rules.comments_filter(user, draft))
    out: dict[int, Cell] = defaultdict(Cell)
    for pid, undecided, n in session.execute(query):
        out[pid].total += n
        if undecided:
            out[pid].undecided += n
    return dict(out)


def article_count(counts: dict[int, Cell], article) -> Cell:
    """Sum the counts of an article node and everything inside it."""
    total = Cell()
    stack = [article]
    while stack:
        node = stack.pop()
        cell = counts.get(node.id)
        if cell is not None:
            total.total += cell.total
            total.undecided += cell.undecided
        stack.extend(node.children)
    return total


@dataclass
class Attention:
    """What needs a user's attention: open rounds, comments to decide, replies to their comments."""

    open_rounds: list[Round]
    to_decide: list[tuple[Draft, int]]
    replies: list[Comment]


def attention(session: Session, user: User, today: date) -> Attention:
    """Return the rounds open to the user's city, undecided comments they decide, new replies."""
    invited = list(
        session.scalars(
            select(Round)
            .join(RoundInvitation, RoundInvitation.round_id == Round.id)
            .where(RoundInvitation.jurisdiction_code == user.jurisdiction_code)
            .order_by(Round.closes)
        )
    )
    open_rounds = [
        r
        for r in invited
        if sees_project(user, r.draft.project) and rules.comment_refusal(user, r, today) is None
    ]
    to_decide: list[tuple[Draft, int]] = []
    # Whether the user decides is the rule's to say (a commenter of the city does not).
    rows = session.execute(
        select(Round.draft_id, func.count())
        .select_from(Comment)
        .join(Round, Comment.round_id == Round.id)
        .join(Draft, Round.draft_id == Draft.id)
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(
            Draft.jurisdiction_code == user.jurisdiction_code,
            Comment.parent_id.is_(None),
            Disposition.id.is_(None),
        )
        .group_by(Round.draft_id)
    ).all()
    for draft_id, n in rows:
        draft = session.get(Draft, draft_id)
        if rules.may_decide(user, draft):
            to_decide.append((draft, n))
    root = aliased(Comment)
    replies = list(
        session.scalars(
            select(Comment)
            .join(root, Comment.parent_id == root.id)
            .where(root.author_id == user.id, Comment.author_id != user.id)
            .order_by(Comment.id.desc())
            .limit(50)
        )
    )
    return Attention(open_rounds=open_rounds, to_decide=to_decide, replies=replies)


def outcomes(session: Session, user: User) -> list[Comment]:
    """Return the comments sent as the user's jurisdiction, with what became of them."""
    rows = session.scalars(
        select(Comment)
        .where(Comment.jurisdiction_code == user.jurisdiction_code, Comment.parent_id.is_(None))
        .options(selectinload(Comment.disposition), selectinload(Comment.round))
        .order_by(Comment.round_id.desc(), Comment.id)
    )
    return [c for c in rows if sees_project(user, c.round.draft.project)]
