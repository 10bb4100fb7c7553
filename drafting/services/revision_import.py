"""Bring a revised text (a new round's Word file, say) into an existing draft as edits.

Articles are paired with the draft's by content, so an article keeps its identity, comments and
history when the new text renumbers, moves or rewords it; unmatched articles are inserted or
deleted. Divisions (编/章/节) are paired through the articles they hold: a renamed chapter
keeps its identity and gets a revision, a new chapter is inserted, an emptied one deleted, and
one that disappeared but still holds articles is kept and named in the summary. Every change
becomes an ordinary revision, and the whole import is one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.workspace import may_edit_draft, require
from drafting.core.comparison import longest_increasing_subsequence, pairs_by_content
from drafting.core.tree import DIVISIONS, Document, Node, iter_articles
from drafting.models import Draft
from drafting.services import audit
from drafting.services.drafts import DraftTree, load_tree
from drafting.services.editing import apply_edit
from drafting.services.structure import add_provision, relocate_provision, remove_provision


@dataclass
class ImportSummary:
    """What bringing in a revised text changed."""

    edited: int = 0
    inserted: int = 0
    deleted: int = 0
    moved: int = 0
    divisions_renamed: int = 0
    divisions_added: int = 0
    divisions_deleted: int = 0
    divisions_kept: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = _(
            "修改 {e} 处，新增 {i} 条，删除 {d} 条，移动 {m} 条",
            e=self.edited,
            i=self.inserted,
            d=self.deleted,
            m=self.moved,
        )
        if self.divisions_renamed or self.divisions_added or self.divisions_deleted:
            text += _(
                "；章节：改名 {r} 处，新增 {a} 处，删除 {x} 处",
                r=self.divisions_renamed,
                a=self.divisions_added,
                x=self.divisions_deleted,
            )
        if self.divisions_kept:
            text += _(
                "；修改稿中没有的章节仍含条文，已保留：{names}",
                names="、".join(self.divisions_kept),
            )
        return text


class _Draft:
    """The draft being changed, its tree reloaded only after a structure change."""

    def __init__(self, session: Session, draft: Draft):
        self.session, self.draft = session, draft
        self._tree: DraftTree | None = None

    @property
    def tree(self) -> DraftTree:
        if self._tree is None:
            self._tree = load_tree(self.session, self.draft)
        return self._tree

    def changed_structure(self) -> None:
        self._tree = None


def _shape(node: Node) -> list[str]:
    out: list[str] = []

    def walk(n: Node) -> None:
        for c in n.children:
            out.append(c.kind)
            walk(c)

    walk(node)
    return out


def _flat(node: Node) -> list[Node]:
    out = [node]
    for c in node.children:
        out.extend(_flat(c))
    return out


def _divisions(nodes: list[Node], parent: Node | None = None) -> list[tuple[Node, Node | None]]:
    """Return the divisions in reading order, each with the division that holds it."""
    out: list[tuple[Node, Node | None]] = []
    for node in nodes:
        if node.kind in DIVISIONS:
            out.append((node, parent))
            out.extend(_divisions(node.children, node))
    return out


def _pair_divisions(
    old_chains: list[list[Node]],
    new_chains: list[list[Node]],
    match: dict[int, int],
    old: list[tuple[Node, Node | None]],
    new: list[tuple[Node, Node | None]],
) -> dict[int, Node]:
    """Pair new divisions (by id()) with the draft's: by the articles they share, then heading."""
    votes: Counter[tuple[int, int]] = Counter()
    for j, i in match.items():
        for n in new_chains[j]:
            for o in old_chains[i]:
                if n.kind == o.kind:
                    votes[id(n), o.id] += 1
    for n, _p in new:
        for o, _q in old:
            if n.kind == o.kind and (n.heading or "").strip() == (o.heading or "").strip():
                votes[id(n), o.id] += 1000
    by_id = {o.id: o for o, _q in old}
    pairs: dict[int, Node] = {}
    taken: set[int] = set()
    for (n_key, o_id), _count in votes.most_common():
        if n_key not in pairs and o_id not in taken:
            pairs[n_key] = by_id[o_id]
            taken.add(o_id)
    return pairs


def _insert_children(session, user, draft, parent_id: int, new: Node, reason: str) -> None:
    for child in new.children:
        prov, _changes = add_provision(
            session,
            user,
            draft,
            kind=child.kind,
            text=child.text or "",
            parent=parent_id,
            reason=reason,
        )
        _insert_children(session, user, draft, prov.id, child, reason)


def update_from_document(
    session: Session, user: User, draft: Draft, doc: Document, *, reason: str = ""
) -> ImportSummary:
    """Turn the draft into `doc` with the fewest edits that keep matched articles' identities."""
    require(may_edit_draft(user, draft), user, draft.project)
    # Every step below only flushes: the revised text lands whole or not at all.
    try:
        summary = _update(session, user, draft, doc, reason)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return summary


def _update(
    session: Session, user: User, draft: Draft, doc: Document, reason: str
) -> ImportSummary:
    summary = ImportSummary()
    state = _Draft(session, draft)
    tree = state.tree
    old = tree.articles()
    old_chains = [tree.divisions_of(a.id) for a in old]
    new_pairs = list(iter_articles(doc.body, []))
    new = [a for a, _d in new_pairs]
    match: dict[int, int] = {}
    for olds, news in pairs_by_content(old, new):
        if len(olds) == 1 and len(news) == 1:
            match[news[0]] = olds[0]
    matched_old = set(match.values())
    old_divisions = _divisions(tree.roots)
    new_divisions = _divisions(doc.body)
    paired = _pair_divisions(
        old_chains, [d for _a, d in new_pairs], match, old_divisions, new_divisions
    )
    # Articles that keep their relative order stay; the others are moved into place.
    order = sorted(match)
    keep_idx = longest_increasing_subsequence([match[j] for j in order])
    staying = {match[order[k]] for k in keep_idx}

    for i, article in enumerate(old):
        if i not in matched_old:
            remove_provision(session, user, article.id, reason=reason)
            state.changed_structure()
            summary.deleted += 1

    # Divisions: rename the paired ones, insert the new ones where they belong.
    division_id: dict[int, int] = {}
    previous_sibling: dict[int | None, int] = {}
    for node, parent in new_divisions:
        parent_id = division_id.get(id(parent)) if parent is not None else None
        mine = paired.get(id(node))
        if mine is not None:
            if (mine.heading or "").strip() != (node.heading or "").strip():
                apply_edit(
                    session,
                    user,
                    mine.id,
                    text=node.heading or "",
                    base_revision=mine.revision,
                    reason=reason,
                )
                summary.divisions_renamed += 1
            division_id[id(node)] = mine.id
        else:
            after = previous_sibling.get(parent_id)
            prov, _c = add_provision(
                session,
                user,
                draft,
                kind=node.kind,
                text=node.heading or "",
                after=after,
                parent=parent_id if after is None else None,
                at_start=after is None,
                reason=reason,
            )
            state.changed_structure()
            division_id[id(node)] = prov.id
            summary.divisions_added += 1
        previous_sibling[parent_id] = division_id[id(node)]

    previous: tuple[int, int | None] | None = None
    for j, new_article in enumerate(new):
        chain = new_pairs[j][1]
        target = division_id[id(chain[-1])] if chain else None
        if previous is not None and previous[1] == target:
            place: dict = {"after": previous[0]}
        else:
            place = {"parent": target, "at_start": True}
        if j in match:
            pid = old[match[j]].id
            if match[j] not in staying or state.tree.parent_of.get(pid) != target:
                relocate_provision(session, user, pid, **place, reason=reason)
                state.changed_structure()
                summary.moved += 1
            summary.edited += _edit_article(session, user, state, pid, new_article, reason)
        else:
            prov, _c = add_provision(
                session,
                user,
                draft,
                kind="article",
                text=new_article.text or "",
                **place,
                reason=reason,
            )
            _insert_children(session, user, draft, prov.id, new_article, reason)
            state.changed_structure()
            pid = prov.id
            summary.inserted += 1
        previous = (pid, target)

    # Divisions the revised text no longer has: deleted when emptied, else kept and named.
    kept = set(division_id.values())
    for node, _parent in reversed(old_divisions):
        if node.id in kept:
            continue
        current = state.tree.nodes.get(node.id)
        if current is None:
            continue
        if current.children:
            label = state.tree.full_label(node.id)
            summary.divisions_kept.append(f"{label} {node.heading or ''}".strip())
            continue
        remove_provision(session, user, node.id, reason=reason)
        state.changed_structure()
        summary.divisions_deleted += 1
    summary.divisions_kept.reverse()

    if doc.meta and doc.meta != list(draft.meta or []):
        draft.meta = list(doc.meta)
    audit.record(
        session,
        user,
        "draft.import",
        project=draft.project_id,
        obj=draft,
        summary=_("导入修改后的文本：{s}", s=summary.describe()),
    )
    return summary


def _edit_article(
    session: Session, user: User, state: _Draft, pid: int, new_article: Node, reason: str
) -> int:
    """Bring a matched article's text and paragraphs into line; return 1 if it changed."""
    current = state.tree.nodes[pid]
    changed = 0
    if _shape(current) == _shape(new_article):
        for mine, theirs in zip(_flat(current), _flat(new_article), strict=True):
            if (mine.text or "") != (theirs.text or ""):
                result = apply_edit(
                    session,
                    user,
                    mine.id,
                    text=theirs.text or "",
                    base_revision=mine.revision,
                    reason=reason,
                )
                # Keep the loaded tree current instead of loading it again.
                mine.text, mine.revision = result.text, result.revision
                changed += 1
        return changed
    if (current.text or "") != (new_article.text or ""):
        apply_edit(
            session,
            user,
            pid,
            text=new_article.text or "",
            base_revision=current.revision,
            reason=reason,
        )
    for child in current.children:
        remove_provision(session, user, child.id, reason=reason)
    _insert_children(session, user, state.draft, pid, new_article, reason)
    state.changed_structure()
    return 1
