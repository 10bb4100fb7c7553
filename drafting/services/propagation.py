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

from concord.accounts.models import User
from concord.clock import shown
from concord.i18n import gettext as _
from drafting.core.comparison import nodes_from_json
from drafting.core.patching import Hunk, Propagation, describe, propagate
from drafting.core.placenames import neutralise
from drafting.core.tree import Node, article_text
from drafting.models import Draft, Project, PropagationDecision
from drafting.services.drafts import DraftTree
from drafting.services.matrix import Matrix, project_reconciliation

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


def write_back(tree: DraftTree, ids: list[int], text: str) -> list[tuple[Node, str]] | None:
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
    """Return the common-text changes each city (or one city) has not yet accepted or declined.

    For one city only the common text and that city's draft are aligned, not the whole project.
    """
    if matrix is None:
        matrix = project_reconciliation(
            session, user, project, cities=[draft] if draft is not None else None
        )
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
    return shown(decision.decided_at)


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
        if write_back(city.tree, ids, result.text) is None:
            change.status = "structure"
    return change
