"""Editing provisions: text edits with three-way merge, structure changes, citations, restore."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.core.merge import merge
from drafting.core.numbering import renumber_citations
from drafting.db import utcnow
from drafting.errors import BadInput, Conflict, NotFound, StaleRevision
from drafting.i18n import gettext as _
from drafting.models import Draft, Provision, Revision, User
from drafting.services import audit
from drafting.services.drafts import ALLOWED_PARENTS, DIVISIONS, TEXT_KINDS, DraftTree, load_tree
from drafting.services.permissions import require

MAX_TEXT = 20_000
MAX_ARTICLES = 3_000  # drafting.web.responses.MAX_ARTICLES: the same stated limit


@dataclass
class EditResult:
    """The outcome of an accepted edit."""

    revision: int
    merged: bool
    text: str
    citations: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "revision": self.revision,
            "merged": self.merged,
            "text": self.text,
            "citations": self.citations,
        }


def finish(session: Session) -> None:
    """Commit, unless the change is one step of a larger one that must land whole."""
    if session.info.get("one_transaction"):
        session.flush()
    else:
        session.commit()


def _clean(text: str | None, *, kind: str) -> str:
    """Normalise submitted text: line endings, surrounding blanks; refuse empty or huge text."""
    if not isinstance(text, str):
        raise BadInput(_("缺少文本内容（text）。"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip(" \n\t\u3000")
    if not text:
        if kind in DIVISIONS:
            raise BadInput(_("标题不能为空。"))
        raise BadInput(_("条文内容不能为空；如需删除该条款，请使用删除。"))
    if len(text) > MAX_TEXT:
        raise BadInput(_("文本过长（上限 {n} 字）。", n=MAX_TEXT))
    if "\n" in text and kind != "article":
        raise BadInput(_("一个款、项或标题只能有一段；请插入新的款或项。"))
    return text


def _locked(session: Session, provision_id: int) -> Provision:
    """Return the provision locked for update, so concurrent edits take turns."""
    prov = session.execute(
        select(Provision)
        .where(Provision.id == provision_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if prov is None:
        raise NotFound(_("找不到条款 {id}。", id=provision_id))
    return prov


def _value(prov_or_rev) -> str:
    return (prov_or_rev.heading if prov_or_rev.heading is not None else prov_or_rev.text) or ""


def _new_revision(
    session: Session,
    prov: Provision,
    user: User | None,
    *,
    action: str,
    value: str | None = None,
    base_id: int | None = None,
    reason: str = "",
    merged: bool = False,
) -> Revision:
    if value is not None:
        if prov.kind in DIVISIONS:
            prov.heading = value
        else:
            prov.text = value
    rev = Revision(
        provision_id=prov.id,
        base_id=base_id if base_id is not None else prov.revision_id,
        action=action,
        text=prov.text,
        heading=prov.heading,
        reason=reason[:2000],
        merged=merged,
        author_id=user.id if user else None,
    )
    session.add(rev)
    session.flush()
    prov.revision_id = rev.id
    prov.draft.updated_at = utcnow()
    return rev


def write_text(
    session: Session, user: User, provision_id: int, *, text: str, action: str, reason: str = ""
) -> Revision:
    """Record a new text for a provision as a revision of `action`, within the caller's change.

    For changes decided elsewhere (a propagated common-text change, an adopted comment) that
    need no merge check; the caller checks rights, audits and commits.
    """
    prov = _locked(session, provision_id)
    return _new_revision(session, prov, user, action=action, value=text, reason=reason)


def edit_provision(
    session: Session,
    user: User,
    provision_id: int,
    *,
    text: str,
    base_revision: int | None,
    reason: str = "",
) -> EditResult:
    """Change a provision's text; merge with edits made since `base_revision`, or refuse."""
    prov = _locked(session, provision_id)
    require(user, "draft.edit", prov.draft)
    if prov.deleted:
        raise Conflict(_("该条款已被删除，不能再修改。"))
    yours = _clean(text, kind=prov.kind)
    current = session.get(Revision, prov.revision_id)
    if base_revision in (None, ""):
        raise BadInput(_("缺少 base_revision：请说明修改基于哪个修订。"))
    try:
        base = session.get(Revision, int(base_revision))
    except (TypeError, ValueError):
        base = None
    if base is None or base.provision_id != prov.id:
        raise BadInput(_("base_revision {r} 不是该条款的修订。", r=base_revision))
    theirs = _value(prov)
    merged = False
    if base.id != current.id:
        result = merge(_value(base), theirs, yours)
        if not result.clean:
            raise StaleRevision(
                _("该条款在您编辑期间已被他人修改，且修改位置重叠，请对照后重新提交。"),
                current={"revision": current.id, "text": theirs},
                base={"revision": base.id, "text": _value(base)},
                yours={"text": yours},
            )
        yours, merged = result.text, True
    rev = _new_revision(
        session,
        prov,
        user,
        action="edit",
        value=yours,
        base_id=current.id,
        reason=reason,
        merged=merged,
    )
    audit.record(
        session,
        user,
        "provision.edit",
        project=prov.draft.project_id,
        obj=prov,
        summary=_(
            "修改《{title}》条款（修订 {rev}{m}）",
            title=prov.draft.title,
            rev=rev.id,
            m=_("，已自动合并") if merged else "",
        ),
        before=theirs,
        after=yours,
    )
    finish(session)
    return EditResult(revision=rev.id, merged=merged, text=yours)


@dataclass
class Numbering:
    """Article numbers by provision id, and item numbers of articles whose items are unambiguous."""

    articles: dict[int, int]
    items: dict[int, dict[int, int]]


def _numbering(tree: DraftTree) -> Numbering:
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
) -> list[dict]:
    """Rewrite internal citations after articles or items moved; return what changed or broke.

    `written_for_new` is a provision just inserted: its text already cites the new numbers.
    """
    tree = load_tree(session, draft)
    after = _numbering(tree)
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
        if node.kind not in TEXT_KINDS or not node.text or node.id == written_for_new:
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
            _new_revision(
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
    if after not in (None, ""):
        anchor = session.get(Provision, _as_id(after, "after"))
        if anchor is None or anchor.draft_id != draft.id or anchor.deleted:
            raise BadInput(_("after 指向的条款 {id} 不在本文本中。", id=after))
        parent_id = anchor.parent_id
        sibling: Provision | None = anchor
    elif parent not in (None, ""):
        holder = session.get(Provision, _as_id(parent, "parent"))
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


def _as_id(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadInput(_("{name} 应为条款编号（整数）。", name=name)) from None


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


def insert_provision(
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
    require(user, "draft.edit", draft)
    if kind not in ALLOWED_PARENTS:
        raise BadInput(_("未知的条款类型“{kind}”。", kind=kind))
    value = _clean(text, kind=kind)
    tree = load_tree(session, draft)
    if kind == "article" and len(tree.articles()) >= MAX_ARTICLES:
        raise BadInput(_("每个文本最多 {max} 条。", max=MAX_ARTICLES))
    before = _numbering(tree)
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
    _new_revision(session, prov, user, action="create", reason=reason, base_id=None)
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
    finish(session)
    return prov, changes


def delete_provision(
    session: Session, user: User, provision_id: int, *, reason: str = ""
) -> list[dict]:
    """Delete a provision and what it holds; its history stays, citations of it are reported."""
    prov = _locked(session, provision_id)
    draft = prov.draft
    require(user, "draft.edit", draft)
    if prov.deleted:
        raise Conflict(_("该条款已被删除。"))
    tree = load_tree(session, draft)
    label = tree.full_label(prov.id)
    before = _numbering(tree)
    doomed = [prov.id]
    for pid in doomed:
        doomed.extend(n.id for n in tree.nodes[pid].children)
    for pid in doomed:
        p = session.get(Provision, pid)
        p.deleted = True
        _new_revision(session, p, user, action="delete", reason=reason)
    changes = follow_citations(session, user, draft, before, reason=_("删除条款后引用条号随之调整"))
    audit.record(
        session,
        user,
        "provision.delete",
        project=draft.project_id,
        obj=prov,
        summary=_("删除《{title}》{label}", title=draft.title, label=label),
        before=_value(prov),
    )
    finish(session)
    return changes


def move_provision(
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
    prov = _locked(session, provision_id)
    draft = prov.draft
    require(user, "draft.edit", draft)
    if prov.deleted:
        raise Conflict(_("该条款已被删除。"))
    if after in (None, "") and parent in (None, "") and not at_start:
        raise BadInput(_("请说明移到哪里：after（移到该条款之后）或 parent（移到该章节之首）。"))
    tree = load_tree(session, draft)
    before_label = tree.full_label(prov.id)
    if after not in (None, "") and _as_id(after, "after") == prov.id:
        raise BadInput(_("不能把条款移到它自己之后。"))
    before = _numbering(tree)
    if after in (None, "") and parent not in (None, ""):
        holder = session.get(Provision, _as_id(parent, "parent"))
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
    _new_revision(session, prov, user, action="move", reason=reason)
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
    finish(session)
    return changes


def restore_revision(
    session: Session, user: User, provision_id: int, revision_id: int, *, reason: str = ""
) -> EditResult:
    """Make an earlier revision's text current again, as a new revision."""
    prov = _locked(session, provision_id)
    require(user, "draft.edit", prov.draft)
    if prov.deleted:
        raise Conflict(_("该条款已被删除，不能恢复其修订。"))
    old = session.get(Revision, revision_id)
    if old is None or old.provision_id != prov.id:
        raise NotFound(_("找不到该修订。"))
    before = _value(prov)
    value = _value(old)
    rev = _new_revision(
        session,
        prov,
        user,
        action="restore",
        value=value,
        reason=reason or _("恢复修订 {r}", r=old.id),
    )
    audit.record(
        session,
        user,
        "provision.restore",
        project=prov.draft.project_id,
        obj=prov,
        summary=_("恢复修订 {r}", r=old.id),
        before=before,
        after=value,
    )
    finish(session)
    return EditResult(revision=rev.id, merged=False, text=value)


def history(session: Session, provision: Provision) -> list[Revision]:
    """Return a provision's revisions, oldest first."""
    return list(
        session.scalars(
            select(Revision).where(Revision.provision_id == provision.id).order_by(Revision.id)
        )
    )


def article_history(session: Session, tree: DraftTree, article_id: int) -> list[Revision]:
    """Return the revisions of an article and of its clauses, items and sub-items, newest first."""
    ids = [article_id]
    for pid in ids:
        if pid in tree.nodes:
            ids.extend(n.id for n in tree.nodes[pid].children)
    return list(
        session.scalars(
            select(Revision).where(Revision.provision_id.in_(ids)).order_by(Revision.id.desc())
        )
    )
