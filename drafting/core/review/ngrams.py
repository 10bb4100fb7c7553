"""Compact in-memory indexes of texts: one sorted array of (hash, document) keys.

A dict of lists for the ~100,000 articles of the shared corpus takes hundreds of megabytes;
the sorted array takes eight bytes a posting, and a lookup is two bisections.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections import Counter

_DOC_BITS = 20
_DOC_MASK = (1 << _DOC_BITS) - 1
_HASH_MASK = (1 << 43) - 1
_NOT_WORD = re.compile(r"[\W_]+")
_SELF = re.compile(r"本(?:条例|法|规定|办法|细则|规则|决定)")
_CLAUSE = re.compile(r"[，,。；;：:、！？\n]+")


def normalise(text: str) -> str:
    """Return text without spaces and punctuation, its own name (本条例, 本法) made one."""
    return _NOT_WORD.sub("", _SELF.sub("本法", text))


def grams(text: str, n: int) -> set[str]:
    """Return the distinct character n-grams of a normalised text."""
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def clause_keys(text: str) -> list[str]:
    """Return the normalised clauses (split at punctuation) of a raw text, 4 characters or more."""
    out = []
    for part in _CLAUSE.split(text):
        norm = normalise(part)
        if len(norm) >= 4:
            out.append(norm)
    return out


class KeyIndex:
    """Documents (numbered from 0) by hashed keys that subclasses draw from a text."""

    def __init__(self):
        self.keys = array("q")
        self.size = 0

    def hashes(self, text: str) -> set[int]:
        """Return the hashed keys of text."""
        raise NotImplementedError

    def build(self, texts: list[str]) -> KeyIndex:
        """Index texts; document i is texts[i]."""
        keys: list[int] = []
        for doc, text in enumerate(texts):
            keys.extend((h << _DOC_BITS) | doc for h in self.hashes(text))
        keys.sort()
        self.keys = array("q", keys)
        self.size = len(texts)
        return self

    def postings(self, h: int) -> array:
        """Return the keys of the documents holding the hashed key h."""
        lo = bisect_left(self.keys, h << _DOC_BITS)
        hi = bisect_left(self.keys, (h + 1) << _DOC_BITS)
        return self.keys[lo:hi]

    def overlap(
        self, text: str, limit: int, mask: bytes | None = None, max_df: int = 5000
    ) -> list[tuple[int, float]]:
        """Return up to limit documents (of those mask allows) sharing the most keys with text.

        Shared keys count by their IDF; mask[doc] is 1 for the documents that may be returned.
        """
        scores: Counter = Counter()
        for h in self.hashes(text):
            keys = self.postings(h)
            if not keys or len(keys) > max_df:
                continue
            weight = math.log(1 + self.size / len(keys))
            for k in keys:
                doc = k & _DOC_MASK
                if mask is None or mask[doc]:
                    scores[doc] += weight
        return scores.most_common(limit)

    def weight(self, text: str) -> float:
        """Return the summed IDF weight of text's keys (a cosine's norm)."""
        total = 0.0
        for h in self.hashes(text):
            df = len(self.postings(h))
            total += math.log(1 + self.size / max(df, 1))
        return total


class NgramIndex(KeyIndex):
    """Normalised texts by their character n-grams."""

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def hashes(self, text: str) -> set[int]:
        """Return the hashed n-grams of a normalised text."""
        n = self.n
        return {hash(text[i : i + n]) & _HASH_MASK for i in range(len(text) - n + 1)}


class ClauseIndex(KeyIndex):
    """Raw texts by their whole clauses: a few keys an article, to find near-copies fast."""

    def hashes(self, text: str) -> set[int]:
        """Return the hashed normalised clauses of a raw text."""
        return {hash(c) & _HASH_MASK for c in clause_keys(text)}


def coverage(part: str, whole: str, n: int = 4) -> float:
    """Return the share of part's n-grams that whole holds too (both normalised)."""
    a = grams(part, n)
    if not a:
        return 0.0
    return len(a & grams(whole, n)) / len(a)
