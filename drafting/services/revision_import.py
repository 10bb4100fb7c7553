"""Bring a revised text (a new round's Word file, say) into an existing draft as edits.

Articles are paired with the draft's by content, so an article keeps its identity, comments and
history when the new text renumbers, moves or rewords it; unmatched articles are inserted or
deleted. Every change becomes an ordinary revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from drafting.core.comparison import pairs_by_content
from drafting.core.tree import DIVISIONS, Document, Node, iter_articles
from drafting.i18n import gettext as _
from drafting.models import Draft, User
from drafting.services import audit
from drafting.services.drafts import DraftTree, load_tree
from drafting.services.editing import apply_edit
from drafting.services.permissions import may_edit_draft, require
from drafting.services.structure import add_provision, relocate_provision, remove_provision


@dataclass
class ImportSummary:
    """What bringing in a revised text changed."""

    edited: int = 0
    inserted: int = 0
    deleted: int = 0
    moved: int = 0

    def describe(self) -> str:
        return _(
            "修改 {e} 处，新增 {i} 条，删除 {d} 条，移动 {m} 条",
            e=self.edited,
            i=self.inserted,
            d=self.deleted,
            m=self.moved,
        )


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


def _chapter_for(tree: DraftTree, headings: list[str]) -> int | None:
    """Return the draft's division whose heading matches the innermost given heading."""
    for heading in reversed(headings):
        for node in tree.walk():
            if node.kind in DIVISIONS and (node.heading or "").strip() == heading.strip():
                return node.id
    return None


def _place(session: Session, draft: Draft, previous_id: int | None, headings: list[str]) -> dict:
    """Say where an article goes: after the one placed before it, else first in its chapter."""
    if previous_id is not None:
        return {"after": previous_id}
    return {"parent": _chapter_for(load_tree(session, draft), headings), "at_start": True}


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
    tree = load_tree(session, draft)
    old = tree.articles()
    new_pairs = list(iter_articles(doc.body, []))
    new = [a for a, _d in new_pairs]
    groups = pairs_by_content(old, new)
    match: dict[int, int] = {}
    for olds, news in groups:
        if len(olds) == 1 and len(news) == 1:
            match[news[0]] = olds[0]
    matched_old = set(match.values())
    # Articles that keep their relative order stay; the others are moved into place.
    from drafting.core.comparison import longest_increasing_subsequence

    order = sorted(match)
    keep_idx = longest_increasing_subsequence([match[j] for j in order])
    staying = {match[order[k]] for k in keep_idx}
    for i, article in enumerate(old):
        if i not in matched_old:
            remove_provision(session, user, article.id, reason=reason)
            summary.deleted += 1
    previous_id: int | None = None
    for j, new_article in enumerate(new):
        headings = [d.heading or "" for d in new_pairs[j][1]]
        if j in match:
            old_article = old[match[j]]
            pid = old_article.id
            if match[j] not in staying:
                place = _place(session, draft, previous_id, headings)
                relocate_provision(session, user, pid, **place, reason=reason)
                summary.moved += 1
            current = load_tree(session, draft).nodes[pid]
            if _shape(current) == _shape(new_article):
                for mine, theirs in zip(_flat(current), _flat(new_article), strict=True):
                    if (mine.text or "") != (theirs.text or ""):
                        apply_edit(
                            session,
                            user,
                            mine.id,
                            text=theirs.text or "",
                            base_revision=mine.revision,
                            reason=reason,
                        )
                        summary.edited += 1
            else:
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
                _insert_children(session, user, draft, pid, new_article, reason)
                summary.edited += 1
            previous_id = pid
        else:
            place = _place(session, draft, previous_id, headings)
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
            summary.inserted += 1
            previous_id = prov.id
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
