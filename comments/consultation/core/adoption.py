"""What an adopted proposal does to the text: its scope, the resulting text, no duplicated words.

A comment's proposed text replaces the quoted words (`quote`), the paragraph commented on
(`clause`: an article's first paragraph, a clause or an item) or the whole article
(`provision`: every paragraph, one per line). When the commenter did not say, the text
decides: a proposal that repeats most of the paragraph outside the quote is a rewrite of the
paragraph, not of the quoted words (the garbling this module exists to prevent).
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

SCOPES = ("quote", "clause", "provision")
# A proposal repeating at least this share of the paragraph outside the quote rewrites it.
REWRITE_SHARE = 0.5
# A run of 6 characters or more written twice in a row (本条例适用于本条例适用于).
REPEATED_RUN = re.compile(r"(.{6,}?)\1", flags=re.S)
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def proposal_lines(proposed: str) -> list[str]:
    """Return the proposal's paragraphs, without blank lines and surrounding blanks."""
    return [line.strip(" \t\u3000") for line in proposed.split("\n") if line.strip(" \t\u3000")]


def outside_share(text: str, quote: str, proposed: str) -> float:
    """Return the share of `text` outside `quote` that the proposal repeats (runs of 2 or more)."""
    start = text.find(quote) if quote else -1
    outside = text if start < 0 else text[:start] + text[start + len(quote) :]
    outside = outside.strip()
    if not outside:
        return 1.0  # the quote is the whole paragraph: replacing either is the same
    matcher = SequenceMatcher(None, outside, proposed, autojunk=False)
    kept = sum(b.size for b in matcher.get_matching_blocks() if b.size >= 2)
    return kept / len(outside)


def infer_scope(text: str, quote: str | None, proposed: str, *, paragraphs: int = 1) -> str:
    """Return what a proposal replaces when its author did not say: quote, clause or provision."""
    whole = (
        "provision" if paragraphs > 1 and len(proposal_lines(proposed)) == paragraphs else "clause"
    )
    if not quote or whole == "provision":
        return whole
    return whole if outside_share(text, quote, proposed) >= REWRITE_SHARE else "quote"


def replace_span(text: str, start: int, end: int, proposed: str) -> str:
    """Return `text` with [start, end) replaced by the proposed words."""
    return text[:start] + proposed + text[end:]


def strip_label(line: str, label: str) -> str:
    """Return a proposal line without the item label (（一）, 1.) the paragraph already has."""
    if label and line.startswith(label):
        return line[len(label) :].lstrip(" \u3000")
    return line


def _sentences(text: str) -> Counter:
    return Counter(s.strip() for s in SENTENCE.findall(text) if len(s.strip()) >= 4)


def duplication(before: str, after: str) -> str | None:
    """Return words that `after` repeats and `before` did not (doubled 。, a sentence, a run)."""
    for doubled in ("。。", "；；", "，，"):
        if doubled in after and doubled not in before:
            return doubled
    earlier = _sentences(before)
    for sentence, n in _sentences(after).items():
        if n > 1 and n > earlier[sentence]:
            return sentence
    for match in REPEATED_RUN.finditer(after):
        if match.group(0) not in before:
            return match.group(1)
    return None
