"""A compact in-memory index of character n-grams: one sorted array of (hash, document) keys.

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


def normalise(text: str) -> str:
    """Return text without spaces and punctuation, its own name (本条例, 本法) made one."""
    return _NOT_WORD.sub("", _SELF.sub("本法", text))


def grams(text: str, n: int) -> set[str]:
    """Return the distinct character n-grams of a normalised text."""
    return {text[i : i + n] for i in range(len(text) - n + 1)}


class NgramIndex:
    """Documents (numbered from 0) by their character n-grams, optionally a 1/sample subset."""

    def __init__(self, n: int, sample: int = 1):
        self.n, self.sample = n, sample
        self.keys = array("q")
        self.size = 0

    def _hashes(self, text: str) -> set[int]:
        out = {hash(g) & _HASH_MASK for g in grams(text, self.n)}
        return out if self.sample == 1 else {h for h in out if h % self.sample == 0}

    def build(self, texts: list[str]) -> NgramIndex:
        """Index texts (already normalised); document i is texts[i]."""
        keys: list[int] = []
        for doc, text in enumerate(texts):
            keys.extend((h << _DOC_BITS) | doc for h in self._hashes(text))
        keys.sort()
        self.keys = array("q", keys)
        self.size = len(texts)
        return self

    def postings(self, h: int) -> array:
        """Return the keys of the documents holding the n-gram hash h."""
        lo = bisect_left(self.keys, h << _DOC_BITS)
        hi = bisect_left(self.keys, (h + 1) << _DOC_BITS)
        return self.keys[lo:hi]

    def overlap(self, text: str, limit: int, max_df: int = 5000) -> list[tuple[int, float]]:
        """Return up to limit documents sharing the most n-grams with text, IDF-weighted."""
        scores: Counter = Counter()
        for h in self._hashes(text):
            keys = self.postings(h)
            if not keys or len(keys) > max_df:
                continue
            weight = math.log(1 + self.size / len(keys))
            for k in keys:
                scores[k & _DOC_MASK] += weight
        return scores.most_common(limit)

    def weight(self, text: str) -> float:
        """Return the summed IDF weight of text's n-grams (a cosine's norm)."""
        total = 0.0
        for h in self._hashes(text):
            df = len(self.postings(h))
            total += math.log(1 + self.size / max(df, 1)) if df else math.log(1 + self.size)
        return total


def coverage(part: str, whole: str, n: int = 4) -> float:
    """Return the share of part's n-grams that whole holds too (both normalised)."""
    a = grams(part, n)
    if not a:
        return 0.0
    return len(a & grams(whole, n)) / len(a)
