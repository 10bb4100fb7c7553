"""Editing provisions' text: edits merged three ways, a whole article's form, restore, history.

The `apply_*` and `write_text` building blocks only flush: the caller makes the user's action one
transaction with `concord.db.unit_of_work`. `edit_article` and `restore_revision` are whole
actions and open their own unit (joining the caller's, if one is open).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.db import unit_of_work, utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_TEXT
from concord.permissions.workspace import may_edit_draft, require
from drafting.core.merge import merge
from drafting.errors import BadInput, ConcordError, Conflict, NotFound, StaleRevision
from drafting.models import Draft, Provision, Revision
from drafting.services import audit
from drafting.services.drafts import DIVISIONS, DraftTree


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


def clean_text(text: str | None, *, kind: str) -> str:
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


def locked_provision(session: Session, provision_id: int) -> Provision:
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


def current_value(prov_or_rev) -> str:
    """Return the heading of a division or the text of a provision (or revision)."""
    return (prov_or_rev.heading if prov_or_rev.heading is not None else prov_or_rev.text) or ""


def new_revision(
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
    """Record the provision's (new) value as a revision of `action`; flush only."""
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
    prov = locked_provision(session, provision_id)
    return new_revision(session, prov, user, action=action, value=text, reason=reason)


def apply_edit(
    session: Session,
    user: User,
    provision_id: int,
    *,
    text: str,
    base_revision: int | None,
    reason: str = "",
) -> EditResult:
    """Change a provision's text, merged with edits since `base_revision`; flush only."""
    prov = locked_provision(session, provision_id)
    require(may_edit_draft(user, prov.draft), user, prov.draft.project)
    if prov.deleted:
        raise Conflict(_("该条款已被删除，不能再修改。"))
    yours = clean_text(text, kind=prov.kind)
    current = session.get(Revision, prov.revision_id)
    if base_revision is None:
        raise BadInput(_("缺少 base_revision：请说明修改基于哪个修订。"))
    base = session.get(Revision, base_revision)
    if base is None or base.provision_id != prov.id:
        raise BadInput(_("base_revision {r} 不是该条款的修订。", r=base_revision))
    theirs = current_value(prov)
    merged = False
    if base.id != current.id:
        result = merge(current_value(base), theirs, yours)
        if not result.clean:
            raise StaleRevision(
                _("该条款在您编辑期间已被他人修改，且修改位置重叠，请对照后重新提交。"),
                current={"revision": current.id, "text": theirs},
                base={"revision": base.id, "text": current_value(base)},
                yours={"text": yours},
            )
        yours, merged = result.text, True
    rev = new_revision(
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
    return EditResult(revision=rev.id, merged=merged, text=yours)


@dataclass
class ParagraphEdit:
    """One paragraph of an article's edit form: its new text and the revision it was based on."""

    provision_id: int
    text: str
    base_revision: int | None


def edit_article(
    session: Session,
    user: User,
    draft: Draft,
    edits: list[ParagraphEdit],
    *,
    reason: str = "",
    labels: dict[int, str] | None = None,
) -> int:
    """Save an article's changed paragraphs together: all of them, or none (and say why).

    Paragraphs submitted unchanged are skipped. Conflicting paragraphs raise one StaleRevision
    listing each (`conflicts`); any other refusal names the paragraph (`labels`).
    """
    # Each paragraph's edit checks the right to edit (apply_edit), before anything is saved.
    labels = labels or {}
    changed = 0
    conflicts: list[dict] = []
    with unit_of_work(session):
        for edit in edits:
            prov = session.get(Provision, edit.provision_id)
            if prov is None or prov.draft_id != draft.id:
                raise NotFound(_("找不到条款 {id}。", id=edit.provision_id))
            current = current_value(prov)
            if edit.text.strip() == current.strip() and edit.base_revision == prov.revision_id:
                continue
            try:
                apply_edit(
                    session,
                    user,
                    edit.provision_id,
                    text=edit.text,
                    base_revision=edit.base_revision,
                    reason=reason,
                )
            except StaleRevision as err:
                conflicts.append({"provision": edit.provision_id, **err.details})
                continue
            except ConcordError as err:
                label = labels.get(edit.provision_id, "")
                raise type(err)(f"{label}：{err.message}" if label else err.message) from None
            changed += 1
        if conflicts:
            raise StaleRevision(
                _("该条款在您编辑期间已被他人修改，且修改位置重叠，请对照后重新提交。"),
                conflicts=conflicts,
            )
    return changed


def restore_revision(
    session: Session, user: User, provision_id: int, revision_id: int, *, reason: str = ""
) -> EditResult:
    """Make an earlier revision's text current again, as a new revision."""
    prov = locked_provision(session, provision_id)
    require(may_edit_draft(user, prov.draft), user, prov.draft.project)
    if prov.deleted:
        raise Conflict(_("该条款已被删除，不能恢复其修订。"))
    old = session.get(Revision, revision_id)
    if old is None or old.provision_id != prov.id:
        raise NotFound(_("找不到该修订。"))
    before = current_value(prov)
    value = current_value(old)
    with unit_of_work(session):
        rev = new_revision(
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


def revisions_by_id(session: Session, ids: list[int]) -> dict[int, Revision]:
    """Return the given revisions by id (the bases a history page diffs against)."""
    if not ids:
        return {}
    return {r.id: r for r in session.scalars(select(Revision).where(Revision.id.in_(ids)))}


def provision_of_revision(session: Session, revision_id: int) -> int | None:
    """Return the id of the provision a revision belongs to, or None for an unknown revision."""
    rev = session.get(Revision, revision_id)
    return rev.provision_id if rev else None


def latest_change(
    session: Session, tree: DraftTree, article_id: int
) -> tuple[Revision, str, str] | None:
    """Return an article's latest revision with the texts before and after it."""
    revs = article_history(session, tree, article_id)
    if not revs:
        return None
    latest = revs[0]
    base = session.get(Revision, latest.base_id) if latest.base_id else None
    return latest, current_value(base) if base else "", current_value(latest)
