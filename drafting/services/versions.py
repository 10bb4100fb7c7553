"""Named versions (征求意见稿, 第二稿 …) and the 修改对照表 between versions or drafts."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.workspace import may_edit_draft, may_view_draft, require
from drafting.core.comparison import Row, compare, nodes_from_json
from drafting.core.tree import Node
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Draft, Version
from drafting.services import audit
from drafting.services.drafts import draft_json, load_tree


def create_version(
    session: Session, user: User, draft: Draft, *, name: str, note: str = ""
) -> Version:
    """Snapshot the whole draft under a name such as 征求意见稿."""
    require(may_edit_draft(user, draft), user, draft.project)
    name = (name or "").strip()
    if not name:
        raise BadInput(_("版本名称不能为空。"))
    if len(name) > 80:
        raise BadInput(_("版本名称不能超过 80 个字符。"))
    exists = session.scalar(
        select(Version).where(Version.draft_id == draft.id, Version.name == name)
    )
    if exists is not None:
        raise Conflict(_("本文本已有名为“{name}”的版本。", name=name))
    snapshot = draft_json(session, draft)
    snapshot.pop("versions", None)
    version = Version(draft=draft, name=name, note=note, snapshot=snapshot, created_by_id=user.id)
    session.add(version)
    audit.record(
        session,
        user,
        "version.create",
        project=draft.project_id,
        obj=draft,
        summary=_("《{title}》保存为“{name}”", title=draft.title, name=name),
    )
    session.commit()
    return version


def version_state(draft: Draft) -> dict:
    """Return the draft's last named version and whether the text changed since it was saved."""
    if not draft.versions:
        return {"last": None, "changed": True}
    last = draft.versions[-1]
    return {"last": last, "changed": draft.updated_at > last.created_at}


def version_document(session: Session, draft: Draft, version_id: int):
    """Return one of the draft's named versions and its text as a document, for export.

    `draft` is one the user may see (`drafts.get_draft`); the version must be one of its own.
    """
    from drafting.core.tree import Document

    version = session.get(Version, version_id)
    if version is None or version.draft_id != draft.id:
        raise NotFound(_("找不到版本 {ref}。", ref=version_id))
    snap = version.snapshot
    body = nodes_from_json(snap.get("body", []))
    return version, Document(
        title=snap.get("title", draft.title), meta=snap.get("meta", []), body=body
    )


@dataclass
class Side:
    """One side of a comparison: a label for the column header, the title and the tree."""

    label: str
    title: str
    body: list[Node]
    draft: Draft


def side_of(session: Session, user: User, draft: Draft, ref: str | None) -> Side:
    """Resolve `current`, `v<id>`/`version:<id>` or `d<id>`/`draft:<id>` to a text to compare."""
    from drafting.services.drafts import get_draft

    ref = (ref or "current").strip()
    if ref in ("", "current"):
        tree = load_tree(session, draft)
        return Side(_("当前文本"), draft.title, tree.roots, draft)
    kind, _sep, raw = ref.partition(":")
    if not raw:
        kind, raw = ref[:1], ref[1:]
        if kind.isdigit():
            # A bare number is one of this draft's versions if it has one, else a draft.
            kind, raw = ("v" if any(str(v.id) == ref for v in draft.versions) else "d"), ref
    kind = {"version": "v", "draft": "d"}.get(kind, kind)
    if kind == "v":
        version = session.get(Version, int(raw)) if raw.isdigit() else None
        if version is None:
            raise NotFound(_("找不到版本 {ref}。", ref=ref))
        require(may_view_draft(user, version.draft), user, version.draft.project)
        snap = version.snapshot
        return Side(
            version.name, snap.get("title", ""), nodes_from_json(snap["body"]), version.draft
        )
    if kind == "d":
        other = get_draft(session, user, raw) if raw.isdigit() else None
        if other is None:
            raise NotFound(_("找不到文本 {ref}。", ref=ref))
        tree = load_tree(session, other)
        return Side(other.jurisdiction.name, other.title, tree.roots, other)
    raise BadInput(_("无法识别的比较对象“{ref}”：应为 current、v<版本号> 或 d<文本号>。", ref=ref))


def comparison(
    session: Session, user: User, draft: Draft, *, old: str | None, new: str | None = "current"
) -> tuple[Side, Side, list[Row]]:
    """Compare two texts of a project: versions of one draft by id, other drafts by content."""
    left = side_of(session, user, draft, old)
    right = side_of(session, user, draft, new)
    if left.draft.project_id != right.draft.project_id:
        raise BadInput(_("只能比较同一项目中的文本。"))
    same_lineage = left.draft.id == right.draft.id
    names = _place_names(session, left.draft, right.draft)
    rows = compare(left.body, right.body, by_id=same_lineage, names=names)
    return left, right, rows


def _place_names(session: Session, *drafts: Draft) -> list[str]:
    names = {d.jurisdiction.name for d in drafts}
    for d in drafts:
        names.update(p.jurisdiction.name for p in d.project.participants)
    return sorted(names)


def comparison_docx(left: Side, right: Side, rows: list[Row], *, include_unchanged: bool) -> bytes:
    """Return the 修改对照表 as .docx bytes."""
    from drafting.files.comparison_docx import write_comparison

    buffer = io.BytesIO()
    write_comparison(buffer, left, right, rows, include_unchanged=include_unchanged)
    return buffer.getvalue()
