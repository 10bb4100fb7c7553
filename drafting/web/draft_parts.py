"""A long draft's page shows one part at a time: whole chapters, about PART_ARTICLES articles."""

from __future__ import annotations

# Small enough that a part loads and edits quickly; the table of contents lists every part.
PART_ARTICLES = 300


def _count(node) -> int:
    return (node.kind == "article") + sum(_count(c) for c in node.children)


def _ids(node) -> set[int]:
    out = {node.id}
    for child in node.children:
        out |= _ids(child)
    return out


def draft_parts(roots: list) -> list[list]:
    """Split a draft's top-level nodes into parts of whole divisions, ~PART_ARTICLES each."""
    parts: list[list] = []
    current: list = []
    count = 0
    for node in roots:
        n = _count(node)
        if current and count + n > PART_ARTICLES:
            parts.append(current)
            current, count = [], 0
        current.append(node)
        count += n
    if current:
        parts.append(current)
    return parts


def part_to_show(parts: list[list], asked: int | None, at: int | None) -> int:
    """Return the part (from 1) holding provision `at`, else the one asked for, within range."""
    wanted = asked or 1
    if at:
        for n, part in enumerate(parts, 1):
            if any(at in _ids(node) for node in part):
                wanted = n
    return min(max(1, wanted), len(parts) or 1)
