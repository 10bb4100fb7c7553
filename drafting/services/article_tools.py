"""The article menu's actions: insert before, move after 第N条, delete with a reason, split, merge,
and bring a deleted provision back from its history.

Each is one user action and one transaction (`divide_article` and `join_next` only flush, and the
caller commits them with `concord.db.unit_of_work`); they are built from the structure building
blocks, so numbering follows and internal citations are rewritten as for any other change.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.workspace import may_edit_draft, require
from drafting.core.numbering import label_number
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Draft, Provision, Revision
from drafting.services import audit
from drafting.services.drafts import load_tree
from drafting.services.editing import current_value, locked_provision, new_revision
from drafting.services.structure import (
    add_provision,
    follow_citations,
    numbering_of,
    relocate_provision,
    remove_provision,
)


def _article(session: Session, user: User, draft: Draft, provision_id: int):
    tree = load_tree(session, draft)
    node = tree.nodes.get(provision_id)
    if node is None:
        raise NotFound(_("找不到条款 {id}。", id=provision_id))
    require(may_edit_draft(user, draft), user, draft.project)
    return tree, node


def insert_near(
    session: Session,
    user: User,
    draft: Draft,
    provision_id: int,
    *,
    before: bool,
    text: str,
    reason: str = "",
) -> tuple[Provision, list[dict]]:
    """Insert an article just before or after another, and commit."""
    tree, node = _article(session, user, draft, provision_id)
    place: dict = {"after": provision_id}
    if before:
        parent = tree.parent_of.get(provision_id)
        siblings = tree.nodes[parent].children if parent is not None else tree.roots
        index = next(i for i, n in enumerate(siblings) if n.id == provision_id)
        place = (
            {"after": siblings[index - 1].id} if index > 0 else {"parent": parent, "at_start": True}
        )
    result = add_provision(session, user, draft, kind=node.kind, text=text, reason=reason, **place)
    session.commit()
    return result


def move_after_number(
    session: Session, user: User, draft: Draft, provision_id: int, *, target: str
) -> list[dict]:
    """Move an article after the article numbered `target` (12 or 第十二条), and commit."""
    tree, _node = _article(session, user, draft, provision_id)
    raw = (target or "").strip()
    number = int(raw) if raw.isascii() and raw.isdigit() else (label_number(raw) or (None,))[0]
    anchor = next((a for a in tree.articles() if a.num == number), None)
    if anchor is None:
        raise BadInput(_("没有“{target}”这一条：请写条号，如 12 或 第十二条。", target=raw))
    if anchor.id == provision_id:
        raise BadInput(_("不能把条款移到它自己之后。"))
    changes = relocate_provision(session, user, provision_id, after=anchor.id)
    session.commit()
    return changes


def delete_with_reason(
    session: Session, user: User, draft: Draft, provision_id: int, *, reason: str, confirmed: bool
) -> list[dict]:
    """Delete a provision after the user confirmed and gave a reason, kept in its history."""
    _article(session, user, draft, provision_id)
    reason = (reason or "").strip()
    if not confirmed:
        raise BadInput(_("请勾选“确认删除”。"))
    if not reason:
        raise BadInput(_("请填写删除理由，它将保存在修订历史中。"))
    changes = remove_provision(session, user, provision_id, reason=reason)
    session.commit()
    return changes


def divide_article(
    session: Session, user: User, draft: Draft, provision_id: int, *, at: int, reason: str = ""
) -> tuple[Provision, list[dict]]:
    """Split an article before one of its further paragraphs (款), which opens a new article."""
    tree, node = _article(session, user, draft, provision_id)
    clauses = [c for c in node.children if c.kind == "clause"]
    start = next((i for i, c in enumerate(clauses) if c.id == at), None)
    if node.kind != "article" or start is None:
        raise BadInput(_("请选择从本条的哪一款起拆为新的一条。"))
    opening = clauses[start]
    reason = reason or _("拆分{label}", label=node.label)
    article, changes = add_provision(
        session, user, draft, kind="article", text=opening.text or "", after=node.id, reason=reason
    )
    previous = None
    for item in opening.children:
        _follow(session, user, item.id, article.id, previous, reason)
        previous = item.id
    for clause in clauses[start + 1 :]:
        _follow(session, user, clause.id, article.id, previous, reason)
        previous = clause.id
    remove_provision(session, user, opening.id, reason=reason)
    return article, changes


def _follow(session, user, pid: int, parent: int, previous: int | None, reason: str) -> None:
    if previous is None:
        relocate_provision(session, user, pid, parent=parent, at_start=True, reason=reason)
    else:
        relocate_provision(session, user, pid, after=previous, reason=reason)


def join_next(
    session: Session, user: User, draft: Draft, provision_id: int, *, reason: str = ""
) -> list[dict]:
    """Merge the next article into this one: its paragraphs become this article's last ones."""
    tree, node = _article(session, user, draft, provision_id)
    articles = tree.articles()
    index = next(i for i, a in enumerate(articles) if a.id == provision_id)
    if index + 1 >= len(articles):
        raise BadInput(_("{label}是最后一条，没有可合并的下一条。", label=node.label))
    following = articles[index + 1]
    if tree.parent_of.get(following.id) != tree.parent_of.get(node.id):
        raise BadInput(_("{label}在另一章节中，不能合并。", label=following.label))
    reason = reason or _("将{b}并入{a}", a=node.label, b=following.label)
    clause, _found = add_provision(
        session,
        user,
        draft,
        kind="clause",
        text=following.text or "",
        parent=node.id,
        reason=reason,
    )
    previous = None
    for child in following.children:
        if child.kind == "item":
            _follow(session, user, child.id, clause.id, previous, reason)
            previous = child.id
    previous = clause.id
    for child in following.children:
        if child.kind == "clause":
            relocate_provision(session, user, child.id, after=previous, reason=reason)
            previous = child.id
    return remove_provision(session, user, following.id, reason=reason)


def deleted_articles(session: Session, draft: Draft) -> list[tuple[Provision, Revision]]:
    """Return the draft's deleted articles and divisions with the revision that deleted them."""
    rows = session.execute(
        select(Provision, Revision)
        .join(Revision, Revision.id == Provision.revision_id)
        .where(
            Provision.draft_id == draft.id,
            Provision.deleted.is_(True),
            Provision.kind.in_(("part", "chapter", "section", "article")),
        )
        .order_by(Revision.id.desc())
    )
    return [(p, r) for p, r in rows.all()]


def restore_provision(
    session: Session, user: User, provision_id: int, *, reason: str = ""
) -> list[dict]:
    """Bring a deleted provision back where it stood, with what was deleted with it, and commit.

    It keeps its id, so its comments, proposal links and history come back with it.
    """
    prov = locked_provision(session, provision_id)
    draft = prov.draft
    require(may_edit_draft(user, draft), user, draft.project)
    if not prov.deleted:
        raise Conflict(_("该条款没有被删除。"))
    parent = session.get(Provision, prov.parent_id) if prov.parent_id is not None else None
    if parent is not None and parent.deleted:
        raise Conflict(_("该条款所在的章节也已删除，请先恢复章节。"))
    deleted_at = prov.revision_id or 0
    before = numbering_of(load_tree(session, draft))
    back = [prov]
    queue = [prov.id]
    while queue:
        children = session.scalars(
            select(Provision).where(Provision.parent_id == queue.pop(), Provision.deleted)
        ).all()
        # Only what was deleted with it (or after): a clause deleted earlier stays deleted.
        for child in children:
            if (child.revision_id or 0) >= deleted_at:
                back.append(child)
                queue.append(child.id)
    reason = reason or _("从修订历史恢复")
    for p in back:
        p.deleted = False
        new_revision(session, p, user, action="restore", reason=reason)
    # A text untouched since the deletion still cites the provision by its old number (the
    # deletion left that citation as it was, reported broken): it is right again as it stands.
    untouched = frozenset(
        session.scalars(
            select(Provision.id).where(
                Provision.draft_id == draft.id,
                Provision.deleted.is_(False),
                Provision.revision_id < deleted_at,
            )
        )
    )
    changes = follow_citations(
        session, user, draft, before, reason=_("恢复条款后引用条号随之调整"), keep=untouched
    )
    label = load_tree(session, draft).full_label(prov.id)
    audit.record(
        session,
        user,
        "provision.restore",
        project=draft.project_id,
        obj=prov,
        summary=_("恢复《{title}》已删除的{label}", title=draft.title, label=label),
        after=current_value(prov),
    )
    session.commit()
    return changes


def deletion_reason(session: Session, provision_id: int) -> str:
    """Return the reason given when a provision was last deleted."""
    latest = session.scalar(
        select(func.max(Revision.id)).where(
            Revision.provision_id == provision_id, Revision.action == "delete"
        )
    )
    return session.get(Revision, latest).reason if latest else ""
