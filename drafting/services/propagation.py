"""Offer each city the changes of the common text since it last synchronised, to apply or decline.

A reworded article is offered per common-text article: its current text against its text at the
city's reference point, which is the text the city last accepted or declined for that article,
else the common text the city draft was adapted from (`based_on_snapshot`), else the version it
was adapted from, else its latest named version. The change is carried over with
propagate.propagate on the whole article (all its paragraphs joined, so a hunk keeps its context
across paragraphs) and written back paragraph by paragraph only when the city's article keeps its
paragraph count: provisions of two drafts share no ids below the article, so pairing clause with
clause would be guesswork whenever a city has added or dropped a paragraph. Inserted, deleted and
moved articles and new, renamed or removed divisions are found in `propagation_structure`.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.clock import shown
from concord.i18n import gettext as _
from drafting.core.comparison import nodes_from_json
from drafting.core.numbering import renumber_citations
from drafting.core.outline import Entry, outline
from drafting.core.patching import Propagation, propagate
from drafting.core.placenames import neutralise
from drafting.core.tree import Node, article_text
from drafting.models import Draft, Project, PropagationDecision, Provision
from drafting.services.drafts import DraftTree
from drafting.services.matrix import Matrix, project_reconciliation
from drafting.services.propagation_change import (
    APPLICABLE,
    TEXT_KINDS,
    Change,
    newest_revision,
    subtree,
)
from drafting.services.propagation_structure import Decisions, structural_changes

__all__ = ["APPLICABLE", "Change", "pending_changes", "write_back"]
_SPACE = re.compile(r"\s+")


def latest_decisions(session: Session, drafts: list[Draft]) -> Decisions:
    """Return the latest decision per (city draft id, common provision id, kind)."""
    out: Decisions = {}
    if not drafts:
        return out
    rows = session.scalars(
        select(PropagationDecision)
        .where(PropagationDecision.draft_id.in_([d.id for d in drafts]))
        .order_by(PropagationDecision.id)
    )
    for row in rows:
        out[row.draft_id, row.common_provision_id, row.kind or "modified"] = row
    return out


def text_decision(
    decisions: Decisions, draft_id: int, common_id: int
) -> PropagationDecision | None:
    """Return the latest decision that fixed the article's text the city synchronised with."""
    found = [decisions.get((draft_id, common_id, k)) for k in TEXT_KINDS]
    found = [d for d in found if d is not None]
    return max(found, key=lambda d: d.id) if found else None


def reference_outline(common: Draft, city: Draft) -> tuple[str, list[Entry]]:
    """Return the name and outline of the common text as it stood at the city's reference point.

    That is the text the city was adapted from, else the common text's version it was adapted
    from, else its latest named version; no outline when there is none.
    """
    if city.based_on_snapshot:
        version = city.based_on_version
        name = version.name if version is not None else _("改编时的协同文本")
        return name, outline(nodes_from_json(city.based_on_snapshot.get("body", [])))
    version = city.based_on_version
    if version is None or version.draft_id != common.id:
        if not common.versions:
            return "", []
        version = common.versions[-1]
    return version.name, outline(nodes_from_json(version.snapshot.get("body", [])))


def renumbered_texts(session: Session, reference: list[Entry], tree: DraftTree) -> dict[int, str]:
    """Return the reference's article texts with citations written in today's numbers.

    An article whose only difference is a citation renumbered by the common text's own
    insertions or deletions is then not offered: the city's renumbering follows its own. A
    citation of a deleted article keeps the number it had when deleted, the number it would
    have now.
    """
    articles = [e for e in reference if e.kind == "article"]
    now = {a.id: a.num for a in tree.articles()}
    now.update(would_be_numbers(session, tree, [e.id for e in articles if e.id not in now]))
    mapping = {
        number: now[e.id]
        for number, e in enumerate(articles, start=1)
        if e.id in now and now[e.id] != number
    }
    return {e.id: renumber_citations(e.text, mapping)[0] if mapping else e.text for e in articles}


def would_be_numbers(session: Session, tree: DraftTree, ids: list[int]) -> dict[int, int]:
    """Return the number each deleted article would have if it stood where it stood."""
    out: dict[int, int] = {}
    for pid in ids:
        prov = session.get(Provision, pid)
        if prov is None or prov.kind != "article":
            continue
        siblings = session.scalars(
            select(Provision)
            .where(
                Provision.draft_id == prov.draft_id,
                Provision.deleted.is_(False),
                Provision.kind == "article",
                Provision.parent_id.is_(None)
                if prov.parent_id is None
                else Provision.parent_id == prov.parent_id,
            )
            .order_by(Provision.position, Provision.id)
        ).all()
        before = [s for s in siblings if (s.position, s.id) < (prov.position, prov.id)]
        after = [s for s in siblings if (s.position, s.id) > (prov.position, prov.id)]
        if before and before[-1].id in tree.nodes:
            out[pid] = tree.nodes[before[-1].id].num + 1
        elif after and after[0].id in tree.nodes:
            out[pid] = tree.nodes[after[0].id].num
    return out


def write_back(tree: DraftTree, ids: list[int], text: str) -> list[tuple[Node, str]] | None:
    """Split a propagated article text back onto the city's paragraphs, or None if it won't fit."""
    nodes = [n for pid in ids for n in subtree(tree.nodes[pid])]
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
    decisions = latest_decisions(session, [c.draft for c in cities])
    out: list[Change] = []
    for city in cities:
        name, reference = reference_outline(common.draft, city.draft)
        ref_texts = renumbered_texts(session, reference, common.tree)
        v = matrix.column_of(city.draft.id)
        structural = structural_changes(
            session, matrix, v, reference, decisions, reference_name=name
        )
        split_or_merged = {c.common_id for c in structural if c.kind in ("split", "merged")}
        for article in common.tree.articles():
            decided = text_decision(decisions, city.draft.id, article.id)
            if decided is not None:
                old_text = decided.common_text
                ref_name = _(
                    "{who}于 {at} {what}的文本",
                    who=_name(decided),
                    at=_day(decided),
                    what=_("接受") if decided.decision == "accepted" else _("拒绝"),
                )
            elif article.id in ref_texts:
                old_text, ref_name = ref_texts[article.id], name
            else:
                continue
            new_text = article_text(article)
            if old_text == new_text or article.id in split_or_merged:
                continue
            row = matrix.row_of(article.id)
            out.append(_change(matrix, city, v, article, old_text, new_text, ref_name, row))
        out.extend(structural)
    return out


def _name(decision: PropagationDecision) -> str:
    return decision.decided_by.name if decision.decided_by else _("系统")


def _day(decision: PropagationDecision) -> str:
    return shown(decision.decided_at)


def _change(matrix, city, v, article, old_text, new_text, reference, row) -> Change:
    ids = list(row.cells[v].keys) if row is not None else []
    nodes = [n for pid in ids for n in subtree(city.tree.nodes[pid])]
    city_text = city.text(ids) if ids else ""
    change = Change(
        city=city.draft,
        common_id=article.id,
        common_label=article.label or "",
        common_revision=newest_revision(subtree(article)),
        old_text=old_text,
        new_text=new_text,
        reference=reference,
        city_ids=ids,
        city_label=row.cells[v].label if row is not None else "",
        city_text=city_text,
        city_revision=newest_revision(nodes) if nodes else None,
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
