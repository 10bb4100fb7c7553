"""Character-level differences between two texts, as ("=", "-", "+", text) segments."""

from __future__ import annotations

from difflib import SequenceMatcher


def segments(old: str, new: str) -> list[tuple[str, str]]:
    """Return the edit from `old` to `new` as (op, text) pairs: "=" kept, "-" removed, "+" added."""
    out: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", old[a1:a2]))
            continue
        if a2 > a1:
            out.append(("-", old[a1:a2]))
        if b2 > b1:
            out.append(("+", new[b1:b2]))
    return out


def bigrams(text: str) -> set[str]:
    """Return the character bigrams of a text's CJK and alphanumeric runs."""
    chars = [c for c in text if c.isalnum()]
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """Return the cosine-like overlap of a proposal's bigrams `a` and a provision's `b`."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) ** 0.5 * len(b) ** 0.5)
