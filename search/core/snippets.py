"""Snippets: the best window of an article with the query's words in <b>…</b>, HTML-escaped."""

from __future__ import annotations

import html
import re

from search.core.analysis import fold

WIDTH = 120
ELLIPSIS = "…"
MAX_SPANS = 200  # enough to place the window; keeps long texts cheap


def pattern(highlights: list[list[str]]) -> re.Pattern | None:
    """Compile the units of each word or phrase, allowing punctuation and spaces between them."""
    alts = sorted(
        {r"[\W_]*".join(re.escape(u) for u in us) for us in highlights if us}, key=len, reverse=True
    )
    return re.compile("|".join(alts)) if alts else None


def snippet(text: str, pat: re.Pattern | None, width: int = WIDTH) -> str:
    """Return the window of text with most distinct matches, escaped, matches in <b>."""
    text = text.replace("\n", " ")
    spans = _spans(text, pat)
    if not spans:
        return html.escape(text[:width]) + (ELLIPSIS if len(text) > width else "")
    start, end = _best_window(text, spans, width)
    parts = [ELLIPSIS] if start > 0 else []
    pos = start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s < pos:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append(f"<b>{html.escape(text[s:e])}</b>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)


def _spans(text: str, pat: re.Pattern | None) -> list[tuple[int, int, str]]:
    if pat is None:
        return []
    folded, index = fold(text)
    out: list[tuple[int, int, str]] = []
    for m in pat.finditer(folded):
        s, e = m.span()
        if s == e:
            continue
        if index is not None:
            s, e = index[s], index[e]
        if out and out[-1][1] == s:
            # Adjacent words read as one highlight: <b>防治结合</b>, not <b>防治</b><b>结合</b>.
            out[-1] = (out[-1][0], e, out[-1][2] + m.group())
        else:
            out.append((s, e, m.group()))
        if len(out) >= MAX_SPANS:
            break
    return out


def _best_window(text: str, spans, width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    best = None
    for s, _, _ in spans:
        start = max(0, min(s - width // 4, len(text) - width))
        end = start + width
        inside = [m for a, b, m in spans if a >= start and b <= end]
        key = (len(set(inside)), len(inside), -start)
        if best is None or key > best[0]:
            best = (key, start, end)
    return best[1], best[2]
