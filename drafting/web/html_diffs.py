"""Character-level diffs as HTML: <ins> and <del>, everything else escaped."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from drafting.core.diffing import diff


def diff_html(old: str, new: str) -> Markup:
    """Return `new` with insertions in <ins> and deletions in <del>, everything else escaped."""
    out = []
    for op, chunk in diff(old, new):
        text = escape(chunk).replace("\n", "<br>")
        if op == 1:
            out.append(f"<ins>{text}</ins>")
        elif op == -1:
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    return Markup("".join(out))


def side_html(old: str, new: str) -> tuple[Markup, Markup]:
    """Return the old text with deletions struck and the new text with insertions marked."""
    left, right = [], []
    for op, chunk in diff(old, new):
        text = escape(chunk).replace("\n", "<br>")
        if op == 0:
            left.append(text)
            right.append(text)
        elif op == -1:
            left.append(f"<del>{text}</del>")
        else:
            right.append(f"<ins>{text}</ins>")
    return Markup("".join(left)), Markup("".join(right))
