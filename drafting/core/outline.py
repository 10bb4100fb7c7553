"""A text's outline (divisions and articles in reading order) and which articles moved between two.

Structure changes of the common text are found by comparing the outline at a city's reference
point with the current one, both carrying the common text's stable provision ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from drafting.core.tree import DIVISIONS, Node, article_text


@dataclass(frozen=True)
class Entry:
    """An article or a division (编/章/节) of an outline, with the division that holds it."""

    id: int
    kind: str
    container: int | None
    text: str
    label: str = ""


def outline(roots: Iterable[Node]) -> list[Entry]:
    """Return the divisions and articles of a tree in reading order (nodes without ids skipped)."""
    out: list[Entry] = []

    def walk(nodes: Iterable[Node], container: int | None) -> None:
        for node in nodes:
            if node.kind == "article":
                if node.id is not None:
                    out.append(Entry(node.id, "article", container, article_text(node), node.label))
            elif node.kind in DIVISIONS:
                if node.id is not None:
                    out.append(Entry(node.id, node.kind, container, node.heading or "", node.label))
                walk(node.children, node.id if node.id is not None else container)

    walk(roots, None)
    return out


def kept_in_order(before: list[int], after: list[int], weight: dict[int, int]) -> set[int]:
    """Return the heaviest set of ids that keep their relative order from `before` to `after`.

    A weighted longest common subsequence: the ids outside it are the ones that moved. Ids that
    were never moved by hand weigh more, so a swap is told as a move of the article moved.
    """
    shared = set(before) & set(after)
    a = [i for i in before if i in shared]
    b = [i for i in after if i in shared]
    n, m = len(a), len(b)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        row, below = best[x], best[x + 1]
        for y in range(m - 1, -1, -1):
            if a[x] == b[y]:
                row[y] = below[y + 1] + weight.get(a[x], 1)
            else:
                row[y] = max(below[y], row[y + 1])
    kept: set[int] = set()
    x = y = 0
    while x < n and y < m:
        if a[x] == b[y]:
            kept.add(a[x])
            x, y = x + 1, y + 1
        elif best[x + 1][y] >= best[x][y + 1]:
            x += 1
        else:
            y += 1
    return kept


def moved_articles(
    reference: list[Entry], current: list[Entry], moved_by_hand: set[int] = frozenset()
) -> set[int]:
    """Return the ids of articles present in both outlines whose place changed.

    An article moved when it left the order of the others, or went to another division that
    existed at the reference point (an article gathered into a new division travels with it).
    """
    ref = {e.id: e for e in reference}
    cur = {e.id: e for e in current}
    before = [e.id for e in reference if e.kind == "article"]
    after = [e.id for e in current if e.kind == "article"]
    weight = {i: 1 if i in moved_by_hand else 2 for i in before}
    kept = kept_in_order(before, after, weight)
    out = {i for i in before if i in cur and i not in kept}
    for i in kept:
        old, new = ref[i].container, cur[i].container
        if old != new and (new is None or new in ref) and (old is None or old in cur):
            out.add(i)
    return out
