"""Chinese text analysis for the search store: folding, jieba words and unit-bigram tokens."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata

import jieba

_jieba_lock = threading.Lock()
_jieba_ready = False

# A unit is what phrase matching counts: one CJK character, or a run of Latin letters/digits.
_UNIT = re.compile(r"[a-z0-9]+(?:[._][a-z0-9]+)*|[^\W\d_a-z]", re.UNICODE)
_WORD = re.compile(r"[^\W_]", re.UNICODE)
_LATIN = re.compile(r"[a-z0-9]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def init_jieba() -> None:
    """Load jieba's dictionary once, quietly, with its cache in a writable folder."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        jieba.setLogLevel(logging.WARNING)
        # The default cache folder may be read-only under a service account.
        tmp = os.environ.get("CONCORD_JIEBA_CACHE") or tempfile.gettempdir()
        jieba.dt.tmp_dir = tmp
        jieba.initialize()
        _jieba_ready = True


def fold(text: str) -> tuple[str, list[int] | None]:
    """Return text NFKC-folded and lower-cased, with a map to original offsets if lengths differ."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        return folded, None
    # Rare (ligatures, ㈠ and the like): fold char by char to keep offsets for highlighting.
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = unicodedata.normalize("NFKC", ch).lower()
        out.append(f)
        index.extend([i] * len(f))
    index.append(len(text))
    return "".join(out), index


def strip_controls(text: str) -> str:
    """Replace control and invisible formatting characters with spaces."""
    return _CONTROLS.sub(" ", text)


def units(text: str) -> list[str]:
    """Split folded text into phrase units: CJK characters and Latin/digit runs."""
    return _UNIT.findall(text)


def bigrams(text: str) -> list[str]:
    """Return the phrase-field terms of a folded text: bigrams of consecutive units."""
    us = units(text)
    if len(us) == 1:
        return us
    return [a + b for a, b in zip(us, us[1:], strict=False)]


def words(text: str) -> list[str]:
    """Return jieba's default (non-overlapping) words of a folded text, punctuation dropped."""
    init_jieba()
    return [w for w in jieba.cut(text, HMM=False) if _WORD.search(w)]


def search_words(text: str) -> list[str]:
    """Return jieba's search-mode words of a folded text: words and their dictionary parts."""
    init_jieba()
    return [w.strip() for w in jieba.cut_for_search(text, HMM=True) if _WORD.search(w)]


LATIN_MAX = 64  # characters of a Latin/digit run kept in a token


def unit_token(unit: str) -> str:
    """Return how a unit starts an index token: a Latin run gets "_" so "gdp" is not "gdpr"."""
    return unit[:LATIN_MAX] + "_" if _LATIN.match(unit) else unit


def index_tokens(text: str) -> list[str]:
    """Return the index tokens of a folded text: one per unit, that unit joined to the next.

    Consecutive units give consecutive tokens, so a phrase is a run of tokens, and every unit
    begins the token at its own position (the last one stands alone), so one character or word
    is a prefix query.
    """
    us = units(text)
    out = [unit_token(a) + b[:LATIN_MAX] for a, b in zip(us, us[1:], strict=False)]
    if us:
        out.append(unit_token(us[-1]))
    return out


def phrase_tokens(text: str) -> list[str]:
    """Return the tokens a folded phrase of two or more units must have in a row."""
    us = units(text)
    return [unit_token(a) + b[:LATIN_MAX] for a, b in zip(us, us[1:], strict=False)]
