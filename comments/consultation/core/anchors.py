"""Re-finding a comment's quoted span in a provision's later text (diff-match-patch match)."""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# current: the provision is as the commenter saw it, or the quote is still there verbatim;
# moved: the quote was found again, approximately, in the edited text;
# earlier: the text changed and the quote (or, without a quote, the text) is not there any more;
# deleted: the provision was deleted.
STATES = ("current", "moved", "earlier", "deleted")


@dataclass
class Anchor:
    """Where a comment's quote stands in the provision's current text."""

    state: str
    start: int | None = None
    end: int | None = None
    found: str = ""


def locate(quote: str, text: str, *, near: int = 0) -> tuple[int, int] | None:
    """Return (start, end) of `quote` in `text`: verbatim first, then a close fuzzy match."""
    if not quote or not text:
        return None
    at = text.find(quote, max(0, near - len(quote)))
    if at < 0:
        at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    dmp = diff_match_patch()
    dmp.Match_MaxBits = 0  # Python integers are unbounded: match quotes of any length
    dmp.Match_Threshold = 0.35
    dmp.Match_Distance = max(1000, len(text))
    loc = dmp.match_main(text, quote, min(max(near, 0), len(text)))
    if loc < 0:
        return None
    # Extend the match to the span the quote now covers, by aligning quote and text there.
    window = text[loc : loc + len(quote) * 2]
    diffs = dmp.diff_main(quote, window)
    end = loc + dmp.diff_xIndex(diffs, len(quote) - 1) + 1
    start = loc
    span = text[start:end]
    if not span or _similarity(dmp, quote, span) < 0.6:
        return None
    return start, end


def _similarity(dmp: diff_match_patch, a: str, b: str) -> float:
    diffs = dmp.diff_main(a, b)
    return 1 - dmp.diff_levenshtein(diffs) / max(len(a), len(b), 1)


def anchor(
    *,
    quote: str | None,
    seen_text: str,
    seen_revision: int | None,
    current_text: str | None,
    current_revision: int | None,
    deleted: bool,
    quote_start: int | None = None,
) -> Anchor:
    """Return where a comment stands now against its provision's current text."""
    if deleted or current_text is None:
        return Anchor("deleted")
    unchanged = seen_revision is not None and seen_revision == current_revision
    if not quote:
        if unchanged or seen_text == current_text:
            return Anchor("current")
        return Anchor("earlier")
    span = locate(quote, current_text, near=quote_start or 0)
    if span is None:
        return Anchor("earlier")
    found = current_text[span[0] : span[1]]
    return Anchor("current" if found == quote else "moved", span[0], span[1], found)
