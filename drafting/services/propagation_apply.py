"""Carry a structure change of the common text into a city's draft, within the caller's transaction.

Each change goes through the structure building blocks (`add_`, `remove_`, `relocate_provision`),
so numbering follows and internal citations are rewritten as for any hand-made change.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from drafting.core.numbering import renumber_citations
from drafting.core.tree import Node
from drafting.errors import Conflict
from drafting.models import Draft, Provision, Revision
from drafting.services.article_tools import divide_article, join_next
from drafting.services.drafts import load_tree
from drafting.services.editing import write_text
from drafting.services.propagation_change import Change
from drafting.services.structure import add_provision, relocate_provision, remove_provision


def apply_structure(
    session: Session, user: User, draft: Draft, change: Change, *, reason: str
) -> int | None:
    """Make the city's draft follow a structure change; return the last revision written."""
    if change.status == "already":
        return None
    if change.kind == "inserted":
        return insert_article(session, user, draft, change, reason=reason)
    if change.kind == "deleted":
        for pid in change.city_ids:
            remove_provision(session, user, pid, reason=reason)
        return _last_revision(session, change.city_ids[-1]) if change.city_ids else None
    if change.kind == "moved":
        place = dict(change.place)
        for pid in change.city_ids:
            relocate_provision(session, user, pid, reason=reason, **place)
            place = {"after": pid}
        return _last_revision(session, change.city_ids[-1])
    if change.kind == "heading":
        return _apply_heading(session, user, draft, change, reason=reason)
    if change.kind == "split":
        article, _found = divide_article(
            session, user, draft, change.city_ids[0], at=change.place["at"], reason=reason
        )
        return article.revision_id
    if change.kind == "merged":
        join_next(session, user, draft, change.city_ids[0], reason=reason)
        return _last_revision(session, change.city_ids[0])
    raise Conflict(_("这类修改需手工处理。"))


def _last_revision(session: Session, pid: int) -> int | None:
    prov = session.get(Provision, pid)
    return prov.revision_id if prov is not None else None


def insert_article(
    session: Session, user: User, draft: Draft, change: Change, *, reason: str, text: str = ""
) -> int:
    """Insert the common text's new article (with the city's names) where the change places it."""
    node = change.node
    if text.strip():
        node = article_from_lines(text)
    article, _changes = add_provision(
        session, user, draft, kind="article", text=node.text or "", reason=reason, **change.place
    )
    created = [article.id]

    def add_children(parent_id: int, children: list[Node]) -> None:
        for child in children:
            prov, _found = add_provision(
                session,
                user,
                draft,
                kind=child.kind,
                text=child.text or "",
                parent=parent_id,
                reason=reason,
            )
            created.append(prov.id)
            add_children(prov.id, child.children)

    add_children(article.id, node.children)
    # The common text cites its own numbers: write the city's numbers of the same articles.
    tree = load_tree(session, draft)
    mapping = {num: tree.nodes[pid].num for num, pid in change.cited.items() if pid in tree.nodes}
    if node.num is not None:
        mapping[node.num] = tree.nodes[article.id].num
    mapping = {old: new for old, new in mapping.items() if old != new}
    for pid in created:
        prov = session.get(Provision, pid)
        new_text, _found = renumber_citations(prov.text or "", mapping)
        if new_text != (prov.text or ""):
            prov.text = new_text
            session.get(Revision, prov.revision_id).text = new_text
    session.flush()
    return session.get(Provision, created[-1]).revision_id


def article_from_lines(text: str) -> Node:
    """Return an article edited before applying: its first line, then one clause per line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    article = Node(kind="article", text=lines[0] if lines else "")
    article.children = [Node(kind="clause", text=line) for line in lines[1:]]
    return article


def _apply_heading(session: Session, user: User, draft: Draft, change: Change, *, reason: str):
    if change.action == "renamed":
        return write_text(
            session,
            user,
            change.city_ids[0],
            text=change.proposed,
            action="propagate",
            reason=reason,
        ).id
    if change.action == "removed":
        division = change.city_ids[0]
        tree = load_tree(session, draft)
        after = division
        for child in list(tree.nodes[division].children):
            relocate_provision(session, user, child.id, after=after, reason=reason)
            after = child.id
        remove_provision(session, user, division, reason=reason)
        return _last_revision(session, division)
    prov, _changes = add_provision(
        session,
        user,
        draft,
        kind=change.division,
        text=change.proposed,
        reason=reason,
        **change.place,
    )
    previous = None
    for pid in change.gather:
        if previous is None:
            relocate_provision(session, user, pid, parent=prov.id, at_start=True, reason=reason)
        else:
            relocate_provision(session, user, pid, after=previous, reason=reason)
        previous = pid
    return prov.revision_id
