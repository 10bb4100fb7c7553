"""Plain data for a parsed regulation: the tree that parsing produces and exports consume."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

KINDS = ("part", "chapter", "section", "article", "clause", "item", "subitem")
DIVISIONS = ("part", "chapter", "section")


@dataclass
class Node:
    """One provision: a division (编/章/节), an article (条), clause, item or sub-item."""

    kind: str
    num: int | None = None
    label: str | None = None
    heading: str | None = None
    text: str | None = None
    sub: int | None = None
    line: int | None = None
    children: list[Node] = field(default_factory=list)
    id: int | None = None
    revision: int | None = None

    def to_json(self) -> dict:
        """Return the CONTRACT.md `parse --json` shape of this node."""
        out: dict = {"kind": self.kind, "num": self.num}
        if self.sub:
            out["sub"] = self.sub
        if self.label is not None:
            out["label"] = self.label
        if self.kind in DIVISIONS:
            out["heading"] = self.heading or ""
        else:
            out["text"] = self.text or ""
        if self.id is not None:
            out["id"] = self.id
        if self.revision is not None:
            out["revision"] = self.revision
        out["children"] = [c.to_json() for c in self.children]
        return out


@dataclass
class ParseWarning:
    """Something odd in the source, such as a skipped or repeated number, with its line."""

    line: int
    message: str

    def to_json(self) -> dict:
        return {"line": self.line, "message": self.message}


@dataclass
class Document:
    """A parsed regulation: title, adoption-history lines, body tree and warnings."""

    title: str = ""
    meta: list[str] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def to_json(self) -> dict:
        """Return the CONTRACT.md `parse --json` object."""
        return {
            "title": self.title,
            "meta": list(self.meta),
            "body": [n.to_json() for n in self.body],
            "warnings": [w.to_json() for w in self.warnings],
        }

    def articles(self) -> Iterator[tuple[Node, list[Node]]]:
        """Yield each article with the divisions (编/章/节) that contain it, outermost first."""
        yield from iter_articles(self.body, [])


def iter_articles(nodes: list[Node], divisions: list[Node]) -> Iterator[tuple[Node, list[Node]]]:
    """Yield (article, enclosing divisions) in reading order."""
    for node in nodes:
        if node.kind == "article":
            yield node, divisions
        elif node.kind in DIVISIONS:
            yield from iter_articles(node.children, [*divisions, node])


def article_text(article: Node) -> str:
    """Return an article's whole text: its paragraphs, items and sub-items, one per line."""
    lines: list[str] = []

    def walk(node: Node) -> None:
        if node.kind == "article":
            lines.append(node.text or "")
        elif node.kind == "clause":
            lines.append(node.text or "")
        else:
            lines.append(f"{node.label or ''}{node.text or ''}")
        for child in node.children:
            walk(child)

    walk(article)
    return "\n".join(lines)
