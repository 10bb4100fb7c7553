"""The project's reconciliation matrix (逐条比对): every city's articles against the common text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.workspace import may_view_project, require
from drafting.core.alignment import CELL_STATUSES, Article, Group, align
from drafting.core.numbering import cite_groups
from drafting.core.numbering import label_number as article_number
from drafting.core.placenames import neutralise
from drafting.core.tree import article_text
from drafting.errors import NotFound
from drafting.models import AlignmentPin, Draft, Project
from drafting.services.drafts import DraftTree, load_tree

_SPACE = re.compile(r"\s+")


@dataclass
class Column:
    """One text of the matrix: the common text (or the pivot draft) or a city's draft."""

    draft: Draft
    tree: DraftTree
    articles: list[Article]

    @cached_property
    def by_key(self) -> dict[int, Article]:
        """Return the column's articles by provision id (built once)."""
        return {a.key: a for a in self.articles}

    def text(self, keys: list[int]) -> str:
        """Return the joined text of some of this column's articles."""
        by_key = self.by_key
        return "\n".join(by_key[k].text for k in keys)


@dataclass
class Cell:
    """A column's articles in one row, with their status against the pivot (None for the pivot)."""

    keys: list[int]
    labels: list[str]
    status: str | None

    @property
    def label(self) -> str:
        return "、".join(self.labels)


@dataclass
class Row:
    """One aligned group of articles: a cell per column, pivot first."""

    group: Group
    cells: list[Cell]
    chapter: str | None
    pinned: bool = False

    @property
    def key(self) -> int:
        """Return a provision id that identifies this row in links (the pivot's article first)."""
        return next(k for c in self.cells for k in c.keys)

    @property
    def status(self) -> str:
        """Return the CONTRACT `reconcile` status: identical, equivalent, modified or partial."""
        if not self.cells[0].keys or any(not c.keys for c in self.cells):
            return "partial"
        statuses = {c.status for c in self.cells[1:]}
        if statuses <= {"identical"}:
            return "identical"
        if statuses <= {"identical", "equivalent"}:
            return "equivalent"
        return "modified"


@dataclass
class Matrix:
    """The aligned articles of a project's texts, with the pins that shaped it."""

    project: Project
    columns: list[Column]
    rows: list[Row]
    names: list[str]
    pivot_is_common: bool
    pins: list[AlignmentPin] = field(default_factory=list)

    @property
    def pivot(self) -> Column:
        return self.columns[0]

    @property
    def cities(self) -> list[Column]:
        return self.columns[1:]

    def summary(self) -> list[tuple[Column, dict[str, int]]]:
        """Count each city's cells by status."""
        out = []
        for v, column in enumerate(self.columns[1:], start=1):
            counts = dict.fromkeys(CELL_STATUSES, 0)
            for row in self.rows:
                status = row.cells[v].status
                if status:
                    # A split or merged article is counted once per article of the city.
                    counts[status] += max(1, len(row.cells[v].keys))
            out.append((column, counts))
        return out

    def row_of(self, provision_id: int) -> Row | None:
        """Return the row holding an article, by its provision id."""
        return next((r for r in self.rows if any(provision_id in c.keys for c in r.cells)), None)

    def column_of(self, draft_id: int) -> int | None:
        """Return the index of a draft's column."""
        return next((v for v, c in enumerate(self.columns) if c.draft.id == draft_id), None)

    def pins_of(self, row: Row) -> list[AlignmentPin]:
        """Return the pins that involve the row's articles."""
        keys = {k for c in row.cells for k in c.keys}
        return [
            p for p in self.pins if p.common_provision_id in keys or p.city_provision_id in keys
        ]

    def to_json(self) -> dict:
        """Return the CONTRACT `reconcile` object with drafts, provision ids and labels."""
        return {
            "project": self.project.id,
            "pivot": self.pivot.draft.id,
            "common": self.pivot_is_common,
            "documents": [
                {
                    "draft": c.draft.id,
                    "jurisdiction": c.draft.jurisdiction_code,
                    "title": c.draft.title,
                    "common": c.draft.is_common,
                }
                for c in self.columns
            ],
            "groups": [
                {
                    "members": {
                        str(self.columns[v].draft.id): [
                            {"id": k, "label": lab}
                            for k, lab in zip(cell.keys, cell.labels, strict=True)
                        ]
                        for v, cell in enumerate(row.cells)
                    },
                    "cells": {
                        str(self.columns[v].draft.id): cell.status
                        for v, cell in enumerate(row.cells)
                        if v
                    },
                    "status": row.status,
                    "similarity": row.group.similarity,
                    "notes": row.group.notes,
                    "pinned": row.pinned,
                }
                for row in self.rows
            ],
            "summary": {str(column.draft.id): counts for column, counts in self.summary()},
        }


def place_names(project: Project) -> list[str]:
    """Return the participants' jurisdiction names, which differ legitimately between texts."""
    names = {p.jurisdiction.name for p in project.participants} | {project.lead.name}
    return sorted(names)


def _chapter(tree: DraftTree, pid: int) -> str | None:
    chapters = [d for d in tree.divisions_of(pid) if d.kind == "chapter"]
    if not chapters:
        return None
    return f"{chapters[-1].label or ''}　{chapters[-1].heading or ''}".strip()


def _column(session: Session, draft: Draft) -> Column:
    tree = load_tree(session, draft)
    articles = [
        Article(key=n.id, label=n.label or "", text=article_text(n), chapter=_chapter(tree, n.id))
        for n in tree.articles()
    ]
    return Column(draft, tree, articles)


def ordered_drafts(project: Project) -> tuple[list[Draft], bool]:
    """Return the project's drafts, common text (or else the first draft) first, cities after."""
    order = {p.jurisdiction_code: k for k, p in enumerate(project.participants)}
    drafts = list(project.drafts)
    common = next((d for d in drafts if d.is_common), None)
    pivot = common or (drafts[0] if drafts else None)
    if pivot is None:
        return [], False
    others = sorted(
        (d for d in drafts if d.id != pivot.id),
        key=lambda d: (order.get(d.jurisdiction_code, len(order)), d.id),
    )
    return [pivot, *others], common is not None


def project_pins(session: Session, project: Project) -> list[AlignmentPin]:
    """Return a project's alignment pins, oldest first."""
    return list(
        session.scalars(
            select(AlignmentPin)
            .where(AlignmentPin.project_id == project.id)
            .order_by(AlignmentPin.id)
        )
    )


def project_reconciliation(
    session: Session, user: User, project: Project, *, cities: list[Draft] | None = None
) -> Matrix:
    """Align the project's texts article by article, the common text first, pins applied.

    `cities`: align only these cities' drafts with the pivot (one city's decision needs no more).
    """
    require(may_view_project(user, project), user, project)
    drafts, has_common = ordered_drafts(project)
    if not drafts:
        raise NotFound(_("本项目还没有文本，无法逐条比对。"))
    if cities is not None:
        wanted = {d.id for d in cities}
        drafts = [drafts[0], *(d for d in drafts[1:] if d.id in wanted)]
    columns = [_column(session, d) for d in drafts]
    names = place_names(project)
    pins = project_pins(session, project)
    index = {c.draft.id: v for v, c in enumerate(columns)}
    keys = [c.by_key for c in columns]
    forced = []
    detached = []
    for pin in pins:
        v = index.get(pin.draft_id)
        if not v:
            continue
        common_ok = pin.common_provision_id in keys[0]
        city_ok = pin.city_provision_id in keys[v]
        # Pins of articles deleted since, or of an earlier pivot, no longer apply.
        if common_ok and city_ok:
            forced.append((0, pin.common_provision_id, v, pin.city_provision_id))
        elif pin.common_provision_id is None and city_ok:
            detached.append((v, None, pin.city_provision_id))
        elif pin.city_provision_id is None and common_ok:
            detached.append((v, pin.common_provision_id, None))
    groups = align([c.articles for c in columns], names=names, pins=forced)
    for v, common_key, city_key in detached:
        _detach(groups, len(columns), v, common_key=common_key, city_key=city_key)
    rows = _rows(columns, groups, names)
    pinned = {p.common_provision_id for p in pins} | {p.city_provision_id for p in pins}
    pinned.discard(None)
    for row in rows:
        row.pinned = any(k in pinned for c in row.cells for k in c.keys)
    return Matrix(project, columns, rows, names, has_common, pins)


def _detach(
    groups: list[Group], n: int, v: int, *, common_key: int | None, city_key: int | None
) -> None:
    """Take a city's article out of its group (it has no counterpart), into a row of its own."""
    for k, group in enumerate(groups):
        mine = group.members.get(v, [])
        if city_key is not None and city_key in mine and group.members.get(0):
            moved = [city_key]
        elif common_key is not None and common_key in group.members.get(0, []) and mine:
            moved = list(mine)
        else:
            continue
        group.members[v] = [key for key in mine if key not in moved]
        members: dict[int, list] = {w: [] for w in range(n)}
        members[v] = moved
        groups.insert(k + 1, Group(members, "partial", 0.0, ["pinned"]))
        return


def _comparable(text: str, names: list[str], by_number: dict) -> str:
    return _SPACE.sub("", cite_groups(neutralise(text, names), by_number))


def _rows(columns: list[Column], groups: list[Group], names: list[str]) -> list[Row]:
    # Internal citations follow renumbering, so they are compared by the row they cite.
    row_of: list[dict] = [{} for _ in columns]
    for r, group in enumerate(groups):
        for v, keys in group.members.items():
            for key in keys:
                row_of[v][key] = r
    by_number = [
        {article_number(a.label): row_of[v].get(a.key) for a in c.articles}
        for v, c in enumerate(columns)
    ]
    rows = []
    for group in groups:
        if not any(group.members.values()):
            continue
        pivot_keys = list(group.members.get(0, []))
        pivot_text = columns[0].text(pivot_keys)
        cells = []
        for v, column in enumerate(columns):
            keys = list(group.members.get(v, []))
            labels = [column.by_key[k].label for k in keys]
            if v == 0:
                status = None
            elif pivot_keys and keys:
                text = column.text(keys)
                if _SPACE.sub("", text) == _SPACE.sub("", pivot_text):
                    status = "identical"
                elif _comparable(text, names, by_number[v]) == _comparable(
                    pivot_text, names, by_number[0]
                ):
                    status = "equivalent"
                else:
                    status = "modified"
            elif pivot_keys:
                status = "missing"
            elif keys:
                status = "city_only"
            else:
                status = None
            cells.append(Cell(keys, labels, status))
        first = next(c for c in cells if c.keys)
        column = columns[cells.index(first)]
        chapter = column.by_key[first.keys[0]].chapter
        rows.append(Row(group, cells, chapter))
    return rows
