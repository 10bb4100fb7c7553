"""Write a Document in the corpus Markdown format, which parse_text reads back."""

from __future__ import annotations

from drafting.core.lines import INFO_END
from drafting.core.tree import DIVISIONS, Document, Node


def document_to_markdown(doc: Document) -> str:
    """Return the document as corpus-format Markdown: title, 题注 lines, headings, paragraphs."""
    out: list[str] = [f"# {doc.title}" if doc.title else "", ""]
    for line in doc.meta:
        out += [line, ""]
    out += [INFO_END, ""]
    for node in doc.body:
        _write(node, 2, out)
    return "\n".join(out).lstrip("\n")


def _write(node: Node, level: int, out: list[str]) -> None:
    if node.kind in DIVISIONS:
        words = [w for w in (node.label, node.heading) if w]
        # An unnumbered part (民法典's 物权编) is read back from a level-one heading only.
        hashes = 1 if node.kind == "part" and not node.label else min(level, 6)
        out += ["#" * hashes + " " + " ".join(words), ""]
        for child in node.children:
            _write(child, level + 1, out)
        return
    if node.kind == "article":
        out += [f"{node.label} {node.text or ''}".rstrip(), ""]
    elif node.kind == "clause":
        out += [node.text or "", ""]
    else:
        out += [f"{node.label or ''}{node.text or ''}", ""]
    for child in node.children:
        _write(child, level, out)
