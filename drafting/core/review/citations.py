"""Citations of other statutes (《…》第N条) checked against the statutes the workspace holds."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drafting.core.numbering import NUM_RE, parse_numeral
from drafting.core.review.model import LawVersion

_CITE = re.compile(
    rf"《(?P<title>(?:[^《》]|《[^《》]{{1,40}}》){{2,80}}?)》(?:[（(](?P<year>\d{{4}})年?[^）)]{{0,6}}[）)])?"
    rf"(?:第(?P<num>{NUM_RE})条(?:之(?P<sub>{NUM_RE}))?)?"
)
_YEAR_BEFORE = re.compile(r"(\d{4})年(?:修正|修订|版|公布)?的$")
_STATUTE = re.compile(r"(?:法|法典|条例|规定|办法|规则|细则|决定)$")
_PREFIX = "中华人民共和国"
_VERSION_NOTE = re.compile(r"[（(][^）)]*[）)]$")


def title_key(title: str) -> str:
    """Return the key a statute's title is looked up by (no 中华人民共和国, no version note)."""
    title = _VERSION_NOTE.sub("", title.strip())
    return title[len(_PREFIX) :] if title.startswith(_PREFIX) else title


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation in a text: the law's title, article number (if any), a version year (if any)."""

    title: str
    num: int | None
    sub: int | None
    year: int | None
    words: str

    @property
    def label(self) -> str:
        """Return the cited article's label as written in the statutes (第十二条), or ''."""
        from drafting.core.numbering import article_label

        return article_label(self.num, self.sub) if self.num else ""


def citations(text: str) -> list[Citation]:
    """Return the statute citations of text, in order."""
    out = []
    for m in _CITE.finditer(text):
        title = m.group("title")
        if not _STATUTE.search(title):
            continue
        year = m.group("year")
        if not year:
            before = _YEAR_BEFORE.search(text[max(0, m.start() - 10) : m.start()])
            year = before.group(1) if before else None
        num = parse_numeral(m.group("num")) if m.group("num") else None
        sub = parse_numeral(m.group("sub")) if m.group("sub") else None
        out.append(Citation(title, num, sub, int(year) if year else None, m.group(0)))
    return out


@dataclass(frozen=True, slots=True)
class CitationCheck:
    """The outcome for one citation: kind, the version it rests on, the cited article's texts."""

    citation: Citation
    kind: str
    version: LawVersion | None = None
    current: LawVersion | None = None
    old_text: str = ""
    new_text: str = ""


def check(
    cite: Citation,
    versions: list[LawVersion],
    current: LawVersion | None,
    article_text: Callable[[LawVersion, str], str | None],
) -> CitationCheck | None:
    """Return what is wrong with a citation, or None: not found, past the end, or outdated."""
    if not versions:
        return CitationCheck(cite, "citation_not_found")
    if current is None:
        return CitationCheck(cite, "citation_outdated", version=max(versions, key=_date))
    label = cite.label
    if cite.year is not None:
        cited = [v for v in versions if v.date and int(v.date[:4]) <= cite.year]
        old = max(cited, key=_date) if cited else None
        if old is not None and old.key != current.key and label:
            before, after = article_text(old, label), article_text(current, label)
            if before is not None and before != after:
                return CitationCheck(cite, "citation_outdated", old, current, before, after or "")
    if label and article_text(current, label) is None:
        older = [v for v in versions if v.key != current.key and article_text(v, label) is not None]
        if older:
            old = max(older, key=_date)
            before = article_text(old, label) or ""
            return CitationCheck(cite, "citation_outdated", old, current, before)
        return CitationCheck(cite, "citation_not_found", current=current)
    return None


def _date(v: LawVersion) -> str:
    return v.date or ""
