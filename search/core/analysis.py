"""Chinese text analysis for the search index: folding, jieba words and character bigrams."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterator

import jieba
from whoosh.analysis import Token, Tokenizer

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


class _Base(Tokenizer):
    def _tokens(self, text: str) -> Iterator[tuple[str, int, int]]:
        raise NotImplementedError

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        folded, index = fold(value)
        for text, pos, start, end in self._tokens(folded):
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                if index is not None:
                    start, end = index[start], index[end]
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class JiebaTokenizer(_Base):
    """Yield jieba's dictionary words of a folded text (default mode, no HMM guessing).

    The light mode indexes about twice as fast as search mode; the parts of long words that
    search mode would add are found through the bigram field, which matches any substring.
    Positions are character offsets; exact phrases use the bigram field instead.
    """

    def _tokens(self, text):
        init_jieba()
        start = 0
        for w in jieba.cut(text, HMM=False):
            end = start + len(w)
            if _WORD.search(w):
                yield w.strip(), start, start, end
            start = end


class BigramTokenizer(_Base):
    """Yield bigrams of units at consecutive positions, so a phrase is a run of bigrams."""

    def _tokens(self, text):
        prev = None
        pos = 0
        for m in _UNIT.finditer(text):
            u = m.group()
            if prev is not None:
                yield prev[0] + u, pos - 1, prev[1], m.end()
            if _LATIN.match(u):
                # A Latin word or number is searchable on its own too (e.g. "gdp", "2020").
                yield u, pos, m.start(), m.end()
            prev = (u, m.start())
            pos += 1
        if pos == 1 and prev is not None and not _LATIN.match(prev[0]):
            yield prev[0], 0, prev[1], prev[1] + len(prev[0])


def JiebaAnalyzer():  # noqa: N802 - named like the analyzers in whoosh.analysis
    """Return the analyzer of the article text field."""
    return JiebaTokenizer()


def BigramAnalyzer():  # noqa: N802 - named like the analyzers in whoosh.analysis
    """Return the analyzer of the exact-phrase field."""
    return BigramTokenizer()
