"""Offer each city the changes of the common text since it last synchronised, to apply or decline.

A change is offered per common-text article: its current text against its text at the city's
reference point, which is the text the city last accepted or declined for that article, else
the common text's version the city draft was adapted from, else its latest named version. The
change is carried over with propagate.propagate on the whole article (all its paragraphs
joined, so a hunk keeps its context across paragraphs)
and written back paragraph by paragraph only when the city's article keeps its paragraph count:
provisions of two drafts share no ids below the article, so pairing clause with clause would
be guesswork whenever a city has added or dropped a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.core.alignment import neutralise
from drafting.core.comparison import nodes_from_json
from drafting.core.patching import Hunk, Propagation, describe, propagate
from drafting.core.tree import Node, article_text
from drafting.errors import BadInput, Conflict, NotFound
from drafting.i18n import gettext as _
from drafting.models import Draft, Project, PropagationDecision, User
from drafting.services import audit
from drafting.services.drafts import DraftTree
from drafting.services.editing import write_text
from drafting.services.matrix import Matrix, project_reconciliation
from drafting.services.permissions import may_edit_draft, require

# clean / fuzzy apply; failed, structure, no_counterpart cannot be applied; already needs nothing.
APPLICABLE = ("clean", "fuzzy", "already")
_SPACE = re.compile(r"\s+")


@dataclass
class Change:
    """One common-text article changed since a city's reference point, and how it would apply."""

    city: Draft
    common_id: int
    common_label: str
    common_revision: int
    old_text: str
    new_text: str
    reference: str
    city_ids: list[int]
    city_label: str
    city_text: str
    city_revision: int | None
    status: str
    proposed: str | None
    failed: list[Hunk]
    applied: list[Hunk]

    @property
    def applicable(self) -> bool:
        return self.status in APPLICABLE

    def failures(self) -> list[str]:
        """Return a readable line per hunk that found no place in the city's text."""
        return [describe(h) for h in self.failed]

    def to_json(self) -> dict:
        return {
            "draft": self.city.id,
            "jurisdiction": self.city.jurisdiction_code,
            "common": {"id": self.common_id, "label": self.common_label},
            "common_revision": self.common_revision,
            "reference": self.reference,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "city": [{"id": i} for i in self.city_ids],
            "city_label": self.city_label,
            "city_text": self.city_text,
            "city_revision": self.city_revision,
            "status": self.status,
            "proposed": self.proposed,
            "failed_hunks": [h.to_json() for h in self.failed],
            "applied_hunks": [h.to_json() for h in self.applied],
        }


def _subtree(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out.extend(_subtree(child))
    return out


def _newest_revision(nodes: list[Node]) -> int:
    return max((n.revision or 0) for n in nodes)


def latest_decisions(
    session: Session, drafts: list[Draft]
) -> dict[tuple[int, int], PropagationDecision]:
    """Return the latest decision per (city draft id, common provision id)."""
    out: dict[tuple[int, int], PropagationDecision] = {}
    if not drafts:
        return out
    rows = session.scalars(
        select(PropagationDecision)
        .where(PropagationDecision.draft_id.in_([d.id for d in drafts]))
        .order_by(PropagationDecision.id)
    )
    for row in rows:
        out[row.draft_id, row.common_provision_id] = row
    return out


def _version_texts(common: Draft, city: Draft | None = None) -> tuple[str, dict[int, str]]:
    """Return the reference version's name and its articles' texts by provision id.

    That is the common text's version the city was adapted from, else its latest one.
    """
    version = city.based_on_version if city is not None else None
    if version is None or version.draft_id != common.id:
        if not common.versions:
            return "", {}
        version = common.versions[-1]
    texts: dict[int, str] = {}
    stack = nodes_from_json(version.snapshot.get("body", []))
    while stack:
        node = stack.pop()
        if node.kind == "article" and node.id is not None:
            texts[node.id] = article_text(node)
        else:
            stack.extend(node.children)
    return version.name, texts


def _write_back(tree: DraftTree, ids: list[int], text: str) -> list[tuple[Node, str]] | None:
    """Split a propagated article text back onto the city's paragraphs, or None if it won't fit."""
    nodes = [n for pid in ids for n in _subtree(tree.nodes[pid])]
    lines = text.split("\n")
    if len(lines) != len(nodes):
        return None
    out = []
    for node, line in zip(nodes, lines, strict=True):
        if node.kind in ("item", "subitem"):
            if not line.startswith(node.label or ""):
                return None
            line = line[len(node.label or "") :]
        if not line.strip():
            return None
        out.append((node, line))
    return out


def pending_changes(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: Draft | None = None,
    matrix: Matrix | None = None,
) -> list[Change]:
    """Return the common-text changes each city (or one city) has not yet accepted or declined."""
    matrix = matrix or project_reconciliation(session, user, project)
    if not matrix.pivot_is_common:
        return []
    common = matrix.pivot
    cities = [c for c in matrix.cities if draft is None or c.draft.id == draft.id]
    references = {c.draft.id: _version_texts(common.draft, c.draft) for c in cities}
    decisions = latest_decisions(session, [c.draft for c in cities])
    out: list[Change] = []
    for article in common.tree.articles():
        new_text = article_text(article)
        row = matrix.row_of(article.id)
        for city in cities:
            v = matrix.column_of(city.draft.id)
            decided = decisions.get((city.draft.id, article.id))
            if decided is not None:
                old_text = decided.common_text
                reference = _(
                    "{who}于 {at} {what}的文本",
                    who=_name(decided),
                    at=_day(decided),
                    what=_("接受") if decided.decision == "accepted" else _("拒绝"),
                )
            elif article.id in references[city.draft.id][1]:
                version_name, version_texts = references[city.draft.id]
                old_text, reference = version_texts[article.id], version_name
            else:
                continue
            if old_text == new_text:
                continue
            out.append(_change(matrix, city, v, article, old_text, new_text, reference, row))
    return out


def _name(decision: PropagationDecision) -> str:
    return decision.decided_by.name if decision.decided_by else _("系统")


def _day(decision: PropagationDecision) -> str:
    return decision.decided_at.strftime("%Y-%m-%d %H:%M")


def _change(matrix, city, v, article, old_text, new_text, reference, row) -> Change:
    ids = list(row.cells[v].keys) if row is not None else []
    nodes = [n for pid in ids for n in _subtree(city.tree.nodes[pid])]
    city_text = city.text(ids) if ids else ""
    change = Change(
        city=city.draft,
        common_id=article.id,
        common_label=article.label or "",
        common_revision=_newest_revision(_subtree(article)),
        old_text=old_text,
        new_text=new_text,
        reference=reference,
        city_ids=ids,
        city_label=row.cells[v].label if row is not None else "",
        city_text=city_text,
        city_revision=_newest_revision(nodes) if nodes else None,
        status="no_counterpart",
        proposed=None,
        failed=[],
        applied=[],
    )
    if not ids:
        return change
    flat = _SPACE.sub("", neutralise(city_text, matrix.names))
    if flat == _SPACE.sub("", neutralise(new_text, matrix.names)):
        change.status, change.proposed = "already", city_text
        return change
    result: Propagation = propagate(old_text, new_text, city_text, names=matrix.names)
    change.failed, change.applied = result.failed_hunks, result.applied_hunks
    change.status = result.status
    if result.status != "failed":
        change.proposed = result.text
        if _write_back(city.tree, ids, result.text) is None:
            change.status = "structure"
    return change


def _find(
    session: Session, user: User, project: Project, draft_id: int, common_id: int
) -> tuple[Draft, Change]:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.project_id != project.id or draft.is_common:
        raise NotFound(_("找不到该地区文本。"))
    require(may_edit_draft(user, draft), user, draft.project)
    change = next(
        (
            c
            for c in pending_changes(session, user, project, draft=draft)
            if c.common_id == common_id
        ),
        None,
    )
    if change is None:
        raise Conflict(_("该条文没有待处理的协同文本修改（可能已被处理）。"))
    return draft, change


def accept_change(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: int,
    common: int,
    city_revision: int | None = None,
    reason: str = "",
) -> PropagationDecision:
    """Apply a common-text change to the city's article as 'propagate' revisions, and record it."""
    city_draft, change = _find(session, user, project, draft, common)
    if city_revision is not None and change.city_revision != city_revision:
        raise Conflict(_("本市条文在您查看后已被修改，请重新查看后再同步。"))
    if not change.applicable:
        raise Conflict(
            _(
                "{label}的修改无法自动同步到{city}文本，请手工修改或拒绝。",
                label=change.common_label,
                city=city_draft.jurisdiction.name,
            )
        )
    from drafting.services.drafts import load_tree

    tree = load_tree(session, city_draft)
    reason = reason.strip() or _("同步协同文本{label}的修改", label=change.common_label)
    last = None
    for node, line in _write_back(tree, change.city_ids, change.proposed) or []:
        current = node.text or ""
        if line == current:
            continue
        last = write_text(session, user, node.id, text=line, action="propagate", reason=reason)
    return _decide(
        session,
        user,
        project,
        city_draft,
        change,
        "accepted",
        reason,
        city_revision_id=last.id if last else None,
        summary=_(
            "{city}接受协同文本{label}的修改（{status}），同步至本市{own}",
            city=city_draft.jurisdiction.name,
            label=change.common_label,
            status=change.status,
            own=change.city_label,
        ),
        before=change.city_text,
        after=change.proposed,
    )


def decline_change(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: int,
    common: int,
    reason: str,
) -> PropagationDecision:
    """Record that the city keeps its text despite a common-text change, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("请说明不同步的理由。"))
    city_draft, change = _find(session, user, project, draft, common)
    return _decide(
        session,
        user,
        project,
        city_draft,
        change,
        "declined",
        reason,
        summary=_(
            "{city}不同步协同文本{label}的修改：{reason}",
            city=city_draft.jurisdiction.name,
            label=change.common_label,
            reason=reason,
        ),
        before=change.old_text,
        after=change.new_text,
    )


def _decide(
    session: Session,
    user: User,
    project: Project,
    city_draft: Draft,
    change: Change,
    decision: str,
    reason: str,
    *,
    summary: str,
    before: str,
    after: str,
    city_revision_id: int | None = None,
) -> PropagationDecision:
    """Record a city's decision on a common-text change, with its audit entry, and commit."""
    record = PropagationDecision(
        draft_id=city_draft.id,
        common_provision_id=change.common_id,
        common_revision_id=change.common_revision,
        common_text=change.new_text,
        decision=decision,
        status=change.status,
        city_revision_id=city_revision_id,
        reason=reason[:2000],
        decided_by_id=user.id,
    )
    session.add(record)
    session.flush()
    action = "propagation.accept" if decision == "accepted" else "propagation.decline"
    audit.record(
        session,
        user,
        action,
        project=project,
        obj=record,
        summary=summary,
        before=before,
        after=after,
    )
    session.commit()
    return record


def decision_log(
    session: Session, project: Project, *, limit: int = 100
) -> list[PropagationDecision]:
    """Return the project's propagation decisions, newest first."""
    ids = [d.id for d in project.drafts]
    if not ids:
        return []
    return list(
        session.scalars(
            select(PropagationDecision)
            .where(PropagationDecision.draft_id.in_(ids))
            .order_by(PropagationDecision.id.desc())
            .limit(limit)
        )
    )


def may_decide(user: User, project: Project) -> dict[int, bool]:
    """Return, per city draft id, whether the user may accept or decline its changes."""
    return {d.id: may_edit_draft(user, d) for d in project.drafts if not d.is_common}
