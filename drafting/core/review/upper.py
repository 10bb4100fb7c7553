"""The higher-level law of a review, indexed in memory: repetition, fines for the same conduct."""

from __future__ import annotations

import re

from drafting.core.review.amounts import Fine, envelope, fine_spans, fines
from drafting.core.review.model import UpperArticle
from drafting.core.review.ngrams import NgramIndex, coverage, normalise

REPEAT_N, REPEAT_SAMPLE = 6, 3
MIN_REPEAT_CHARS = 24
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
        self.texts = [normalise(a.text) for a in articles]
        self.repeats = NgramIndex(REPEAT_N, REPEAT_SAMPLE).build(self.texts)
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

    def repeated(self, text: str, limit: int = 8) -> tuple[UpperArticle, float] | None:
        """Return the upper article that text repeats most and the share repeated, if any."""
        norm = normalise(text)
        if len(norm) < MIN_REPEAT_CHARS:
            return None
        best: tuple[float, int] | None = None
        for doc, _score in self.repeats.overlap(norm, limit):
            share = coverage(norm, self.texts[doc])
            key = (share, -len(self.texts[doc]))
            if best is None or key > (best[0], -len(self.texts[best[1]])):
                best = (share, doc)
        if best is None:
            return None
        return self.articles[best[1]], best[0]

    def same_conduct(
        self, text: str, limit: int = 5
    ) -> list[tuple[UpperArticle, list[Fine], float]]:
        """Return upper articles fining the conduct text describes, most similar first (cosine)."""
        query = conduct(text)
        if len(query) < 6:
            return []
        norm_q = self.fine_index.weight(query)
        out = []
        for doc, score in self.fine_index.overlap(query, limit):
            norm_d = self.norms.get(doc)
            if norm_d is None:
                norm_d = self.norms[doc] = self.fine_index.weight(self.conducts[doc])
            cosine = score / ((norm_q * norm_d) ** 0.5 or 1)
            out.append((self.articles[self.fine_rows[doc]], self.fines[doc], cosine))
        out.sort(key=lambda x: -x[2])
        return out


def exceeds(mine: list[Fine], upper: list[Fine]) -> list[tuple[Fine, tuple[float, float | None]]]:
    """Return my fines whose range goes beyond the upper range of the same kind."""
    bounds = envelope(upper)
    out = []
    for f in mine:
        if f.kind not in bounds:
            continue
        lo, hi = bounds[f.kind]
        above = hi is not None and (f.hi is None or f.hi > hi)
        below = f.lo < lo
        if above or below:
            out.append((f, (lo, hi)))
    return out
