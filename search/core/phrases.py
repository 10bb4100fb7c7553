"""Runs of character bigrams as Whoosh queries: exact phrases and near matches of pasted text."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher

from search.core.analysis import bigrams, fold

NEAR_REQUIRED = 6  # a near match must hold one of the paste's this many rarest bigrams


def _cover(n: int) -> list[int]:
    """Return offsets of bigrams that cover n+1 units without gaps: 0, 2, 4 … and the last."""
    offsets = list(range(0, n, 2))
    if offsets[-1] != n - 1:
        offsets.append(n - 1)
    return offsets


class Run(wq.Phrase):
    """A run of units matched by non-overlapping bigrams at exact offsets.

    Whoosh's own Phrase builds span objects for every candidate and was the largest cost of a
    query; a run only needs the covering bigrams and one set lookup per bigram.
    """

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        offsets = _cover(len(self.words))
        subs = []
        for i in offsets:
            if (self.fieldname, self.words[i]) not in reader:
                return NullMatcher()
            subs.append((i, wq.Term(self.fieldname, self.words[i]).matcher(searcher, context)))
        return _RunMatcher(subs, self.boost)


class _RunMatcher(WrappingMatcher):
    def __init__(self, subs, boost=1.0):
        child = subs[0][1]
        for _pos, m in subs[1:]:
            child = IntersectionMatcher(child, m)
        super().__init__(child, boost)
        self.subs = subs
        self._align()

    def _aligned(self) -> bool:
        first = self.subs[0][1].value_as("positions")
        rest = [(i, set(m.value_as("positions"))) for i, m in self.subs[1:]]
        return any(all(p + i in ps for i, ps in rest) for p in first)

    def _align(self) -> None:
        while self.child.is_active() and not self._aligned():
            self.child.next()

    def copy(self):
        return _RunMatcher([(i, m.copy()) for i, m in self.subs], self.boost)

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self):
        return False  # block maxima ignore the position check

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def reset(self):
        self.child.reset()
        self._align()

    def next(self):
        self.child.next()
        self._align()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._align()


def near_query(paste: str, doc_frequency) -> wq.Query | None:
    """Match text that nearly holds a paste: one of its rarest bigrams, ranked by all of them.

    A character or two changed breaks at most four bigrams, so requiring one of the rarest
    six keeps the source among the candidates while reading only short postings lists.
    """
    grams = list(dict.fromkeys(bigrams(paste)))
    if len(grams) < 2:
        return None
    known = [g for g in grams if doc_frequency(g) > 0]
    if not known:
        return None
    rare = sorted(known, key=doc_frequency)[:NEAR_REQUIRED]
    return wq.AndMaybe(
        wq.Or([wq.Term("chars", g) for g in rare]),
        wq.Or([wq.Term("chars", g) for g in known]),
    )


def coverage(paste: str, text: str) -> float:
    """Return the share of a paste's bigrams that a text holds (1.0: all of them)."""
    grams = set(bigrams(paste))
    if not grams:
        return 0.0
    return len(grams & set(bigrams(fold(text)[0]))) / len(grams)
