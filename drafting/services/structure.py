"""Changing a draft's structure: insert, delete and move provisions; citations follow.

Numbers are derived from position (`drafts.number_tree`), so a structure change renumbers what
follows it and `follow_citations` rewrites the internal citations (第十二条第（三）项) that moved.
The `add_/remove_/relocate_provision` building blocks only flush: the caller makes the user's
action one transaction with `concord.db.unit_of_work` (a split, a merge or a revision import
that uses several of them is still one).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.limits import MAX_ARTICLES
from concord.permissions.workspace import may_edit_draft, require
from drafting.core.numbering import renumber_citations
from drafting.errors import BadInput, Conflict
from drafting.models import Draft, Provision
from drafting.services import audit
from drafting.services.drafts import ALLOWED_PARENTS, DIVISIONS, TEXT_KINDS, DraftTree, load_tree
from drafting.services.editing import clean_text, current_value, locked_provision, new_revision


@dataclass
class Numbering:
    """Article numbers by provision id, and item numbers of articles whose items are unambiguous."""

    articles: dict[int, int]
    items: dict[int, dict[int, int]]


def numbering_of(tree: DraftTree) -> Numbering:
    """Return the article and item numbers of a draft, to compare before and after a change."""
    items: dict[int, dict[int, int]] = {}
    for article in tree.articles():
        holders = [article, *[c for c in article.children if c.kind == "clause"]]
        with_items = [h for h in holders if any(c.kind == "item" for c in h.children)]
        # 第十二条第（三）项 only names the article, so follow it when one paragraph has items.
        if len(with_items) == 1:
            items[article.id] = {c.id: c.num for c in with_items[0].children if c.kind == "item"}
    return Numbering({n.id: n.num for n in tree.articles()}, items)


def follow_citations(
    session: Session,
    user: User | None,
    draft: Draft,
    before: Numbering,
    *,
    reason: str,
    written_for_new: int | None = None,
    keep: frozenset[int] = frozenset(),
) -> list[dict]:
    """Rewrite internal citations after articles or items moved; return what changed or broke.

    `written_for_new` is a provision just inserted, `keep` texts that already cite the new numbers.
    """
    tree = load_tree(session, draft)
    after = numbering_of(tree)
    article_map = {
        num: after.articles.get(pid)
        for pid, num in before.articles.items()
        if after.articles.get(pid) != num
    }
    item_maps: dict[int, dict[int, int | None]] = {}
    for article_id, old_items in before.items.items():
        new_items = after.items.get(article_id, {})
        changed = {
            num: new_items.get(pid) for pid, num in old_items.items() if new_items.get(pid) != num
        }
        if changed and article_id in before.articles:
            item_maps[before.articles[article_id]] = changed
    if not article_map and not item_maps:
        return []
    changes: list[dict] = []
    provisions = {
        p.id: p
        for p in session.scalars(
            select(Provision).where(Provision.draft_id == draft.id, Provision.deleted.is_(False))
        )
    }
    for node in tree.walk():
        if node.kind not in TEXT_KINDS or not node.text or node.id in {written_for_new, *keep}:
            continue
        new_text, found = renumber_citations(node.text, article_map, item_maps)
        for change in found:
            changes.append(
                {
                    "provision": node.id,
                    "where": tree.full_label(node.id),
                    "old": change.old,
                    "new": change.new,
                    "broken": change.new is None,
                }
            )
        if new_text != node.text:
            new_revision(
                session,
                provisions[node.id],
                user,
                action="renumber",
                value=new_text,
                reason=reason,
            )
            node.text = new_text
    return changes


def _siblings(session: Session, draft_id: int, parent_id: int | None) -> list[Provision]:
    query = select(Provision).where(
        Provision.draft_id == draft_id,
        Provision.deleted.is_(False),
        Provision.parent_id.is_(None) if parent_id is None else Provision.parent_id == parent_id,
    )
    return list(session.scalars(query.order_by(Provision.position, Provision.id)))


def _position_after(siblings: list[Provision], after: Provision | None) -> float:
    """Return a position just after `after` (or first), renumbering positions if they crowd."""
    if after is None:
        first = siblings[0].position if siblings else 1.0
        return first - 1.0
    index = next(i for i, s in enumerate(siblings) if s.id == after.id)
    if index == len(siblings) - 1:
        return after.position + 1.0
    nxt = siblings[index + 1].position
    if nxt - after.position < 1e-6:
        for i, s in enumerate(siblings):
            s.position = float(i + 1)
        return after.position + 0.5
    return (after.position + nxt) / 2


def _resolve_place(
    session: Session, draft: Draft, kind: str, *, after: int | None, parent: int | None
) -> tuple[int | None, Provision | None]:
    """Return (parent id, sibling to follow) for a new or moved provision of `kind`."""
    if after is not None:
        anchor = session.get(Provision, after)
        if anchor is None or anchor.draft_id != draft.id or anchor.deleted:
            raise BadInput(_("after 指向的条款 {id} 不在本文本中。", id=after))
        parent_id = anchor.parent_id
        sibling: Provision | None = anchor
    elif parent is not None:
        holder = session.get(Provision, parent)
        if holder is None or holder.draft_id != draft.id or holder.deleted:
            raise BadInput(_("parent 指向的条款 {id} 不在本文本中。", id=parent))
        parent_id = holder.id
        siblings = _siblings(session, draft.id, parent_id)
        if kind == "item":
            # Items of an article's first paragraph come before its further paragraphs (款).
            before_clause = [s for s in siblings if s.kind != "clause"]
            sibling = before_clause[-1] if before_clause else None
        else:
            sibling = siblings[-1] if siblings else None
    else:
        parent_id, sibling = None, (_siblings(session, draft.id, None) or [None])[-1]
    parent_kind = session.get(Provision, parent_id).kind if parent_id is not None else None
    if parent_kind not in ALLOWED_PARENTS.get(kind, set()):
        raise BadInput(
            _(
                "{kind}不能放在{where}之下。",
                kind=_kind_name(kind),
                where=_kind_name(parent_kind) if parent_kind else _("文本顶层"),
            )
        )
    return parent_id, sibling


def _kind_name(kind: str | None) -> str:
    names = {
        "part": "编",
        "chapter": "章",
        "section": "节",
        "article": "条",
        "clause": "款",
        "item": "项",
        "subitem": "目",
    }
    return names.get(kind or "", kind or "")


def add_provision(
    session: Session,
    user: User,
    draft: Draft,
    *,
    kind: str,
    text: str,
    after: int | None = None,
    parent: int | None = None,
    at_start: bool = False,
    reason: str = "",
) -> tuple[Provision, list[dict]]:
    """Insert a provision after a sibling, or at the end (`at_start`: the start) of a parent."""
    require(may_edit_draft(user, draft), user, draft.project)
    if kind not in ALLOWED_PARENTS:
        raise BadInput(_("未知的条款类型“{kind}”。", kind=kind))
    value = clean_text(text, kind=kind)
    tree = load_tree(session, draft)
    if kind == "article" and len(tree.articles()) >= MAX_ARTICLES:
        raise BadInput(_("每个文本最多 {max} 条。", max=MAX_ARTICLES))
    before = numbering_of(tree)
    parent_id, sibling = _resolve_place(session, draft, kind, after=after, parent=parent)
    if at_start:
        sibling = None
    siblings = _siblings(session, draft.id, parent_id)
    if sibling is None and kind == "item" and siblings:
        position = siblings[0].position - 1.0
    else:
        position = _position_after(siblings, sibling)
    division = kind in DIVISIONS
    prov = Provision(
        draft_id=draft.id,
        parent_id=parent_id,
        kind=kind,
        position=position,
        heading=value if division else None,
        text=None if division else value,
    )
    session.add(prov)
    session.flush()
    new_revision(session, prov, user, action="create", reason=reason, base_id=None)
    changes = follow_citations(
        session,
        user,
        draft,
        before,
        reason=_("插入条款后引用条号随之调整"),
        written_for_new=prov.id,
    )
    tree = load_tree(session, draft)
    audit.record(
        session,
        user,
        "provision.insert",
        project=draft.project_id,
        obj=prov,
        summary=_("在《{title}》插入 {label}", title=draft.title, label=tree.full_label(prov.id)),
        after=value,
    )
    return prov, changes


def remove_provision(
    session: Session, user: User, provision_id: int, *, reason: str = ""
) -> list[dict]:
    """Delete a provision and what it holds; its history stays, citations of it are reported."""
    prov = locked_provision(session, provision_id)
    draft = prov.draft
    require(may_edit_draft(user, draft), user, draft.project)
    if prov.deleted:
        raise Conflict(_("该条款已被删除。"))
    tree = load_tree(session, draft)
    label = tree.full_label(prov.id)
    before = numbering_of(tree)
    doomed = [prov.id]
    for pid in doomed:
        doomed.extend(n.id for n in tree.nodes[pid].children)
    for pid in doomed:
        p = session.get(Provision, pid)
        p.deleted = True
        new_revision(session, p, user, action="delete", reason=reason)
    changes = follow_citations(session, user, draft, before, reason=_("删除条款后引用条号随之调整"))
    audit.record(
        session,
        user,
        "provision.delete",
        project=draft.project_id,
        obj=prov,
        summary=_("删除《{title}》{label}", title=draft.title, label=label),
        before=current_value(prov),
    )
    return changes


def relocate_provision(
    session: Session,
    user: User,
    provision_id: int,
    *,
    after: int | None = None,
    parent: int | None = None,
    at_start: bool = False,
    reason: str = "",
) -> list[dict]:
    """Move a provision after another, or to the start of a parent (of the draft: `at_start`)."""
    prov = locked_provision(session, provision_id)
    draft = prov.draft
    require(may_edit_draft(user, draft), user, draft.project)
    if prov.deleted:
        raise Conflict(_("该条款已被删除。"))
    if after is None and parent is None and not at_start:
        raise BadInput(_("请说明移到哪里：after（移到该条款之后）或 parent（移到该章节之首）。"))
    tree = load_tree(session, draft)
    before_label = tree.full_label(prov.id)
    if after is not None and after == prov.id:
        raise BadInput(_("不能把条款移到它自己之后。"))
    before = numbering_of(tree)
    if after is None and parent is not None:
        holder = session.get(Provision, parent)
        if holder is None or holder.draft_id != draft.id or holder.deleted:
            raise BadInput(_("parent 指向的条款 {id} 不在本文本中。", id=parent))
        parent_id, sibling = holder.id, None
        parent_kind = holder.kind
        if parent_kind not in ALLOWED_PARENTS[prov.kind]:
            raise BadInput(
                _(
                    "{kind}不能放在{where}之下。",
                    kind=_kind_name(prov.kind),
                    where=_kind_name(parent_kind),
                )
            )
    else:
        parent_id, sibling = _resolve_place(session, draft, prov.kind, after=after, parent=None)
        if at_start:
            sibling = None
    # A provision cannot move inside itself.
    ancestor = parent_id
    while ancestor is not None:
        if ancestor == prov.id:
            raise BadInput(_("不能把条款移到它自己的下级。"))
        ancestor = tree.parent_of.get(ancestor)
    siblings = [s for s in _siblings(session, draft.id, parent_id) if s.id != prov.id]
    prov.parent_id = parent_id
    prov.position = _position_after(siblings, sibling)
    new_revision(session, prov, user, action="move", reason=reason)
    changes = follow_citations(session, user, draft, before, reason=_("移动条款后引用条号随之调整"))
    after_label = load_tree(session, draft).full_label(prov.id)
    audit.record(
        session,
        user,
        "provision.move",
        project=draft.project_id,
        obj=prov,
        summary=_(
            "将《{title}》{old}移至{new}", title=draft.title, old=before_label, new=after_label
        ),
    )
    return changes
