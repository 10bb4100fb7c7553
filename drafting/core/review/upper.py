"""The higher-level law of a review, indexed in memory: repetition, fines for the same conduct."""

from __future__ import annotations

import re
from collections.abc import Callable

from drafting.core.review.amounts import Fine, envelope, fine_spans, fines
from drafting.core.review.model import UpperArticle
from drafting.core.review.ngrams import ClauseIndex, NgramIndex, coverage, normalise

MIN_REPEAT_CHARS = 24
HELD_WEIGHT = 0.75  # a conduct wholly held by an upper paragraph counts as this much similarity
_CONDUCT_NOISE = re.compile(
    r"违反本(?:条例|法|规定|办法)[^，。；]{0,24}?规定|由[^，。；]{0,30}?(?:部门|机关|机构)"
    r"|责令(?:限期)?改正|情节严重的|逾期不改正的|没收违法所得|给予警告|有违法所得的"
)


def paragraphs(text: str) -> list[str]:
    """Return an article's paragraphs (款), each with the items (项) that follow it."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and re.match(r"^[（(][一二三四五六七八九十]+[）)]|^[0-9]+[.．、]", line):
            out[-1] += "\n" + line
        elif line.strip():
            out.append(line)
    return out


def conduct(text: str) -> str:
    """Return the conduct a penalty article describes: its text without fines and boilerplate."""
    spans = fine_spans(text)
    kept, last = [], 0
    for a, b in spans:
        kept.append(text[last:a])
        last = b
    kept.append(text[last:])
    return normalise(_CONDUCT_NOISE.sub("", "".join(kept)))


class UpperLaw:
    """Articles of higher-level law with the indexes a review needs (built once, then shared)."""

    def __init__(self, articles: list[UpperArticle]):
        self.articles = articles
        self.repeats = ClauseIndex().build([a.text for a in articles])
        self.fine_rows: list[int] = []
        self.fines: list[list[Fine]] = []
        conducts = []
        for i, a in enumerate(articles):
            if "罚款" not in a.text:
                continue
            # Each paragraph fines its own conduct: 第八十四条's second paragraph is not its first.
            for para in paragraphs(a.text):
                found = fines(para)
                if found:
                    self.fine_rows.append(i)
                    self.fines.append(found)
                    conducts.append(conduct(para))
        self.conducts = conducts
        self.fine_index = NgramIndex(2).build(conducts)
        self.norms: dict[int, float] = {}

    def scope(self, allowed: Callable[[UpperArticle], bool]) -> UpperScope:
        """Return the part of this law that allowed admits (a level's and province's upper law)."""
        return UpperScope(self, bytes(1 if allowed(a) else 0 for a in self.articles))

    def repeated(
        self, text: str, limit: int = 8, mask: bytes | None = None
    ) -> tuple[UpperArticle, float] | None:
        """Return the upper article that text repeats most and the share repeated, if any."""
        norm = normalise(text)
        if len(norm) < MIN_REPEAT_CHARS:
            return None
        best: tuple[float, int] | None = None
        for doc, _score in self.repeats.overlap(text, limit, mask):
            share = coverage(norm, normalise(self.articles[doc].text))
            # Ties go to the shorter upper article: the one the text repeats most closely.
            key = (share, -len(self.articles[doc].text))
            if best is None or key > (best[0], -len(self.articles[best[1]].text)):
                best = (share, doc)
        if best is None:
            return None
        return self.articles[best[1]], best[0]

    def same_conduct(
        self, text: str, limit: int = 20, fine_mask: bytes | None = None
    ) -> list[tuple[UpperArticle, list[Fine], float, float]]:
        """Return upper paragraphs fining the conduct text describes, most similar first (cosine).

        fine_mask is over the fining paragraphs (UpperScope.fine_mask).
        """
        query = conduct(text)
        if len(query) < 6:
            return []
        norm_q = self.fine_index.weight(query)
        out = []
        for doc, score in self.fine_index.overlap(query, limit, fine_mask):
            norm_d = self.norms.get(doc)
            if norm_d is None:
                norm_d = self.norms[doc] = self.fine_index.weight(self.conducts[doc])
            cosine = score / ((norm_q * norm_d) ** 0.5 or 1)
            # How much of the draft's conduct the upper paragraph holds: a long upper paragraph
            # that names the same conduct among others has a low cosine but holds it all.
            held = score / (norm_q or 1)
            art = self.articles[self.fine_rows[doc]]
            out.append((art, self.fines[doc], cosine, held))
        out.sort(key=lambda x: -max(x[2], x[3] * HELD_WEIGHT))
        return out


class UpperScope:
    """The higher-level law of one level and province: a mask over the articles of an UpperLaw."""

    def __init__(self, law: UpperLaw, mask: bytes):
        self.law, self.mask = law, mask
        self.fine_mask = bytes(mask[row] for row in law.fine_rows)
        self.articles = [a for a, m in zip(law.articles, mask, strict=True) if m]

    def repeated(self, text: str) -> tuple[UpperArticle, float] | None:
        """Return the upper article of this scope that text repeats most, and how much."""
        return self.law.repeated(text, mask=self.mask)

    def same_conduct(self, text: str) -> list[tuple[UpperArticle, list[Fine], float, float]]:
        """Return this scope's upper articles fining the conduct text describes."""
        return self.law.same_conduct(text, fine_mask=self.fine_mask)


def exceeds(mine: list[Fine], upper: list[Fine]) -> list[tuple[Fine, tuple[float, float | None]]]:
    """Return my fines whose range goes beyond the upper range of the same kind."""
    bounds = envelope(upper)
    out = []
    for f in mine:
        if f.kind not in bounds:
            continue
        lo, hi = bounds[f.kind]
        same_who = [u for u in upper if f.who and u.who == f.who]
        if same_who and f.kind in envelope(same_who):
            # 对个人处… is held to the upper law's range for individuals, not for units.
            lo, hi = envelope(same_who)[f.kind]
        above = hi is not None and (f.hi is None or f.hi > hi)
        below = f.lo < lo
        if above or below:
            out.append((f, (lo, hi)))
    return out
