"""The 修改对照表: two texts compared article by article, as rows for HTML and .docx."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from drafting.core.tree import DIVISIONS, Node, article_text, iter_articles


@dataclass
class Row:
    """One line of the table: an article before and after, with what happened to it."""

    status: str  # unchanged, modified, added, deleted, moved
    old_label: str | None
    new_label: str | None
    old_text: str
    new_text: str
    note: str = ""
    chapter: str = ""

    @property
    def changed(self) -> bool:
        """Return whether the text changed or moved (renumbering alone is not a change)."""
        return self.status != "unchanged"

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "old_label": self.old_label,
            "new_label": self.new_label,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "note": self.note,
        }


def _articles(body: list[Node]) -> list[tuple[Node, str]]:
    out = []
    for article, divisions in iter_articles(body, []):
        chapter = " ".join(f"{d.label or ''} {d.heading or ''}".strip() for d in divisions)
        out.append((article, chapter))
    return out


def longest_increasing_subsequence(seq: list[int]) -> set[int]:
    """Return the indexes of a longest increasing subsequence (articles that kept their order)."""
    import bisect

    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(seq)
    for i, value in enumerate(seq):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tails_at.append(i)
        else:
            tails[k] = value
            tails_at[k] = i
        prev[i] = tails_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def pairs_by_id(old: list[Node], new: list[Node]) -> list[tuple[int | None, int | None]]:
    """Pair the articles of two versions of one draft by their stable provision ids."""
    new_index = {a.id: j for j, a in enumerate(new)}
    pairs = [(i, new_index.get(a.id)) for i, a in enumerate(old)]
    seen = {j for _i, j in pairs if j is not None}
    pairs += [(None, j) for j in range(len(new)) if j not in seen]
    return pairs


def pairs_by_content(
    old: list[Node], new: list[Node], names: Iterable[str] = ()
) -> list[tuple[list[int], list[int]]]:
    """Pair the articles of two different drafts by content (reconciliation alignment)."""
    from drafting.core.alignment import Article, align

    versions = [
        [Article(key=i, label=a.label or "", text=article_text(a)) for i, a in enumerate(arts)]
        for arts in (old, new)
    ]
    groups = align(versions, names=tuple(names))
    return [(list(g.members.get(0, [])), list(g.members.get(1, []))) for g in groups]


def compare(
    old_body: list[Node], new_body: list[Node], *, by_id: bool = True, names: Iterable[str] = ()
) -> list[Row]:
    """Compare two texts article by article, in the new text's order with deletions in place."""
    old = _articles(old_body)
    new = _articles(new_body)
    old_nodes = [a for a, _c in old]
    new_nodes = [a for a, _c in new]
    if by_id:
        groups = [
            ([i] if i is not None else [], [j] if j is not None else [])
            for i, j in pairs_by_id(old_nodes, new_nodes)
        ]
    else:
        groups = pairs_by_content(old_nodes, new_nodes, names)
    matched = [(g[0][0], g[1][0]) for g in groups if g[0] and g[1]]
    kept_order = longest_increasing_subsequence([j for _i, j in sorted(matched)])
    moved_old = {i for k, (i, _j) in enumerate(sorted(matched)) if k not in kept_order}

    rows: list[tuple[float, Row]] = []
    last_new = -1.0
    for olds, news in sorted(groups, key=lambda g: g[0][0] if g[0] else 10**9):
        old_text = "\n".join(article_text(old_nodes[i]) for i in olds)
        new_text = "\n".join(article_text(new_nodes[j]) for j in news)
        old_label = "、".join(old_nodes[i].label or "" for i in olds) or None
        new_label = "、".join(new_nodes[j].label or "" for j in news) or None
        chapter = new[news[0]][1] if news else old[olds[0]][1]
        if not news:
            status, key = "deleted", last_new + 0.5
        else:
            key = float(news[0])
            last_new = key
            if not olds:
                status = "added"
            elif olds[0] in moved_old:
                status = "moved"
            elif old_text == new_text:
                status = "unchanged"
            else:
                status = "modified"
        note = ""
        if olds and news and (old_label != new_label or status == "moved"):
            note = f"原{old_label}"
        if len(olds) > 1:
            note = f"由原{old_label}合并"
        elif len(news) > 1:
            note = f"由原{old_label}拆分"
        if status == "moved" and old_text != new_text:
            note += "，内容有修改"
        rows.append((key, Row(status, old_label, new_label, old_text, new_text, note, chapter)))
    # Rows follow the new text; a deleted article sits just after its predecessor's row.
    rows.sort(key=lambda r: r[0])
    return [r for _k, r in rows]


def summary(rows: list[Row]) -> dict[str, int]:
    """Count rows by status."""
    out = {"unchanged": 0, "modified": 0, "added": 0, "deleted": 0, "moved": 0}
    for row in rows:
        out[row.status] += 1
    return out


def nodes_from_json(body: list[dict]) -> list[Node]:
    """Rebuild Nodes from the stored JSON of a version snapshot."""

    def build(d: dict) -> Node:
        return Node(
            kind=d["kind"],
            num=d.get("num"),
            label=d.get("label"),
            heading=d.get("heading") if d["kind"] in DIVISIONS else None,
            text=d.get("text") if d["kind"] not in DIVISIONS else None,
            sub=d.get("sub"),
            id=d.get("id"),
            revision=d.get("revision"),
            children=[build(c) for c in d.get("children", [])],
        )

    return [build(d) for d in body]
