"""Drafts as trees of provisions: create, load with derived numbering, export, copy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions.lookup import find_visible
from concord.permissions.workspace import may_create_draft, may_view_draft, require
from drafting.core.numbering import make_label
from drafting.core.tree import DIVISIONS, Document, Node
from drafting.errors import BadInput
from drafting.models import Draft, Jurisdiction, Project, Provision, Revision
from drafting.services import audit

# Which kinds may hold which: None stands for the top level of the draft.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    "part": {None},
    "chapter": {None, "part"},
    "section": {"chapter"},
    "article": {None, "part", "chapter", "section"},
    "clause": {"article"},
    "item": {"article", "clause"},
    "subitem": {"item"},
}
TEXT_KINDS = ("article", "clause", "item", "subitem")


@dataclass
class DraftTree:
    """A draft's live provisions as numbered Nodes, with lookups by provision id."""

    draft: Draft
    roots: list[Node]
    nodes: dict[int, Node] = field(default_factory=dict)
    parent_of: dict[int, int | None] = field(default_factory=dict)

    def articles(self) -> list[Node]:
        """Return the articles in reading order."""
        return [n for n in self.walk() if n.kind == "article"]

    def walk(self):
        """Yield every node in reading order."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def article_of(self, pid: int) -> Node | None:
        """Return the article that contains provision `pid` (itself if it is one)."""
        while pid is not None:
            node = self.nodes[pid]
            if node.kind == "article":
                return node
            if node.kind in DIVISIONS:
                return None
            pid = self.parent_of[pid]
        return None

    def divisions_of(self, pid: int) -> list[Node]:
        """Return the divisions (编/章/节) around a provision, outermost first."""
        out = []
        parent = self.parent_of.get(pid)
        while parent is not None:
            node = self.nodes[parent]
            if node.kind in DIVISIONS:
                out.append(node)
            parent = self.parent_of[parent]
        return list(reversed(out))

    def full_label(self, pid: int) -> str:
        """Return a citation-style label such as 第十二条第二款第（三）项."""
        parts: list[str] = []
        while pid is not None:
            node = self.nodes[pid]
            if node.kind == "clause":
                parts.append(f"第{_cn(node.num)}款")
            elif node.kind == "item":
                parts.append(f"第{node.label}项")
            elif node.kind == "subitem":
                parts.append(f"第{node.num}目")
            else:
                parts.append(node.label or "")
                if node.kind == "article" or node.kind in DIVISIONS:
                    break
            pid = self.parent_of[pid]
        return "".join(reversed(parts))

    def document(self) -> Document:
        """Return the draft as a plain Document, for export."""
        return Document(title=self.draft.title, meta=list(self.draft.meta or []), body=self.roots)


def _cn(num: int | None) -> str:
    from drafting.core.numbering import to_chinese

    return to_chinese(num or 0)


def number_tree(roots: list[Node]) -> None:
    """Derive every node's number and label from its position (articles run through the draft)."""
    article_no = 0

    def walk(nodes: list[Node]) -> None:
        nonlocal article_no
        counters: dict[str, int] = {}
        for node in nodes:
            if node.kind == "article":
                article_no += 1
                node.num = article_no
            else:
                counters[node.kind] = counters.get(node.kind, 1 if node.kind == "clause" else 0) + 1
                node.num = counters[node.kind]
            node.sub = None
            node.label = make_label(node.kind, node.num)
            walk(node.children)

    walk(roots)


def load_tree(session: Session, draft: Draft) -> DraftTree:
    """Load a draft's live provisions in one query and number them."""
    rows = session.execute(
        select(
            Provision.id,
            Provision.parent_id,
            Provision.kind,
            Provision.heading,
            Provision.text,
            Provision.revision_id,
        )
        .where(Provision.draft_id == draft.id, Provision.deleted.is_(False))
        .order_by(Provision.position, Provision.id)
    ).all()
    tree = DraftTree(draft=draft, roots=[])
    for pid, parent_id, kind, heading, text, rev in rows:
        tree.nodes[pid] = Node(kind=kind, heading=heading, text=text, id=pid, revision=rev)
        tree.parent_of[pid] = parent_id
    for pid, parent_id, *_rest in rows:
        node = tree.nodes[pid]
        if parent_id is None:
            tree.roots.append(node)
        elif parent_id in tree.nodes:
            tree.nodes[parent_id].children.append(node)
    number_tree(tree.roots)
    return tree


def draft_json(session: Session, draft: Draft, tree: DraftTree | None = None) -> dict:
    """Return the draft as the `parse` tree, each node with its stable id, revision and label."""
    tree = tree or load_tree(session, draft)
    return {
        "id": draft.id,
        "project": draft.project_id,
        "jurisdiction": draft.jurisdiction_code,
        "common": draft.is_common,
        "title": draft.title,
        "meta": list(draft.meta or []),
        "body": [n.to_json() for n in tree.roots],
        "versions": [
            {"id": v.id, "name": v.name, "created_at": v.created_at.isoformat()}
            for v in draft.versions
        ],
    }


def get_draft(session: Session, user: User, draft_id: int | str) -> Draft:
    """Return a draft the user may see; 404 otherwise."""
    return find_visible(
        session,
        Draft,
        draft_id,
        _("找不到该文本。"),
        lambda d: require(may_view_draft(user, d), user, d.project),
    )


def get_provision(session: Session, user: User, provision_id: int | str) -> Provision:
    """Return a provision of a draft the user may see; 404 otherwise."""
    return find_visible(
        session,
        Provision,
        provision_id,
        _("找不到条款 {id}。", id=provision_id),
        lambda p: require(may_view_draft(user, p.draft), user, p.draft.project),
    )


def store_document(session: Session, draft: Draft, doc: Document, user: User | None) -> int:
    """Store a parsed document's nodes as the draft's provisions, each with a first revision.

    Rows go in with one multi-row INSERT per tree level (and one for the revisions), not one
    ORM object at a time: a 3,000-article text holds SQLite's write lock for a second or two.
    """
    session.add(draft)
    session.flush()
    now = utcnow()
    author = user.id if user else None
    level: list[tuple[int | None, list[Node]]] = [(None, list(doc.body))]
    stored: list[dict] = []
    while level:
        rows, children = [], []
        for parent_id, nodes in level:
            for index, node in enumerate(nodes):
                division = node.kind in DIVISIONS
                rows.append(
                    {
                        "draft_id": draft.id,
                        "parent_id": parent_id,
                        "kind": node.kind,
                        "position": float(index + 1),
                        "heading": (node.heading or "") if division else None,
                        "text": None if division else (node.text or ""),
                        "deleted": False,
                        "created_at": now,
                    }
                )
                children.append(node.children)
        if not rows:
            break
        ids = session.scalars(
            insert(Provision).returning(Provision.id, sort_by_parameter_order=True), rows
        ).all()
        for pid, row in zip(ids, rows, strict=True):
            stored.append({**row, "id": pid})
        level = [(pid, kids) for pid, kids in zip(ids, children, strict=True) if kids]
    if not stored:
        return 0
    revision_ids = session.scalars(
        insert(Revision).returning(Revision.id, sort_by_parameter_order=True),
        [
            {
                "provision_id": row["id"],
                "action": "create",
                "text": row["text"],
                "heading": row["heading"],
                "reason": "",
                "merged": False,
                "author_id": author,
                "created_at": now,
            }
            for row in stored
        ],
    ).all()
    session.execute(
        update(Provision),
        [
            {"id": row["id"], "revision_id": rid}
            for row, rid in zip(stored, revision_ids, strict=True)
        ],
    )
    return len(stored)


def add_draft(
    session: Session,
    user: User,
    project: Project,
    *,
    jurisdiction: str,
    document: Document,
    title: str | None = None,
    common: bool = False,
    source: Draft | None = None,
) -> Draft:
    """Add a draft of `jurisdiction` in `project` from a parsed document; flush only."""
    jurisdiction = (jurisdiction or "").strip()
    if jurisdiction not in project.participant_codes():
        raise BadInput(_("{code} 不是本项目的参与地区。", code=jurisdiction or "—"))
    if common and jurisdiction != project.lead_code:
        raise BadInput(_("协同文本由牵头地区维护。"))
    require(may_create_draft(user, project, jurisdiction, common), user, project)
    if common and any(d.is_common for d in project.drafts):
        raise BadInput(_("本项目已有协同文本；请在原文本上修改或保存新版本。"))
    title = (title or document.title or "").strip()
    if not title:
        raise BadInput(_("文本标题不能为空。"))
    draft = Draft(
        project=project,
        jurisdiction_code=jurisdiction,
        title=title[:200],
        meta=list(document.meta),
        is_common=common,
        source_draft_id=source.id if source else None,
        created_by_id=user.id,
    )
    session.add(draft)
    store_document(session, draft, document, user)
    articles = sum(1 for _ in document.articles())
    audit.record(
        session,
        user,
        "draft.create",
        project=project,
        obj=draft,
        summary=_("新建文本《{title}》（{n} 条）", title=title, n=articles),
    )
    session.flush()
    return draft


def substitute_names(text: str, old: Jurisdiction, new: Jurisdiction) -> str:
    """Replace one city's name by another's in a text; 本市 and other cities stay as they are."""
    if not text:
        return text
    short_old = re.sub(r"(市|省|县|区|自治州|地区|盟)$", "", old.name)
    short_new = re.sub(r"(市|省|县|区|自治州|地区|盟)$", "", new.name)
    text = text.replace(old.name, new.name)
    # The short name only where it clearly names the city's own bodies (徐州市 is handled above).
    return re.sub(rf"{re.escape(short_old)}(?=(?:市|地区|人民|人大))", short_new, text)


def derive_from_common(
    session: Session, user: User, project: Project, *, jurisdiction: str
) -> Draft:
    """Create a city's draft as a copy of the common text with the lead's names replaced."""
    common = next((d for d in project.drafts if d.is_common), None)
    if common is None:
        raise BadInput(_("本项目还没有协同文本。"))
    target = session.get(Jurisdiction, jurisdiction)
    if target is None:
        raise BadInput(_("未知的行政区划代码“{code}”。", code=jurisdiction))
    lead = session.get(Jurisdiction, common.jurisdiction_code)
    snapshot = draft_json(session, common)
    tree = load_tree(session, common)
    for node in tree.walk():
        if node.text:
            node.text = substitute_names(node.text, lead, target)
        if node.heading:
            node.heading = substitute_names(node.heading, lead, target)
    title = re.sub(r"[（(]协同文本[）)]", "", common.title).strip()
    title = substitute_names(title, lead, target)
    if not title.startswith(target.name):
        title = target.name + title
    doc = Document(title=title, meta=[], body=tree.roots)
    draft = add_draft(
        session, user, project, jurisdiction=target.code, document=doc, title=title, source=common
    )
    # Later changes of the common text are offered from the text the city started with.
    draft.based_on_snapshot = {"body": snapshot["body"]}
    if common.versions:
        draft.based_on_version_id = common.versions[-1].id
    session.commit()
    return draft
