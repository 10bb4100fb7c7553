"""The review of one document: every article checked against its level and the higher-level law."""

from __future__ import annotations

import re
from typing import Protocol

from drafting.core.numbering import NUM_RE, parse_numeral
from drafting.core.review import measures
from drafting.core.review.amounts import fines
from drafting.core.review.citations import check, citations, title_key
from drafting.core.review.levels import LEVEL_NAMES, REPEAT_CHECKED
from drafting.core.review.model import Article, Finding, LawVersion, UpperArticle
from drafting.core.review.upper import HELD_WEIGHT, UpperScope, exceeds, paragraphs

# Conduct similarity (IDF-weighted bigram cosine) above which two penalty articles are taken to
# fine the same conduct; above FINE_SURE an excess is a violation, between them for review.
FINE_SAME = 0.42
FINE_SURE = 0.55
REPEAT_SHARE = 0.8
_OWN_CITE = re.compile(rf"本(?:条例|法|规定|办法|细则|规则)第({NUM_RE})条")

PENALTY = "本条设定了{what}，{level}不得设定这种行政处罚（行政处罚法{article}）。"
COERCION = "本条设定了{what}，{level}不得设定这种行政强制措施（行政强制法第十条）。"
LICENSE = (
    "本条设定了行政许可（“{what}”）：请确认上位法是否已有规定、"
    "{level}可否设定（行政许可法{article}）。"
)
FINE = (
    "本条罚款“{what}”超出《{law}》{upper_label}对同一行为规定的“{theirs}”"
    "（行政处罚法第十二条第二款）。"
)
REPEAT = (
    "本条与《{law}》{upper_label}基本相同（{share}% 相同），"
    "上位法已有规定的一般不作重复规定（立法法第八十二条）。"
)
NOT_FOUND = "引用的《{what}》不在已导入的法规中：请核对名称。"
PAST_END = "引用的《{what}》{cited}不存在：现行版本（{date}）只有 {count} 条。"
OUTDATED = "引用的《{what}》{cited}是 {old} 版的条文，现行版本（{date}）已修改。"
EXPIRED = "引用的《{what}》已失效（{old} 版）：请核对是否已被新法取代。"
MESSAGES = (PENALTY, COERCION, LICENSE, FINE, REPEAT, NOT_FOUND, PAST_END, OUTDATED, EXPIRED)


class Statutes(Protocol):
    """What the review reads from the statute store besides the indexed upper law."""

    def quote(self, law: str, label: str) -> UpperArticle | None: ...

    def versions(self, key: str) -> list[LawVersion]: ...

    def current(self, key: str) -> LawVersion | None: ...

    def article(self, version: LawVersion, label: str) -> UpperArticle | None: ...


def review(
    articles: list[Article], level: str, upper: UpperScope, statutes: Statutes, title: str = ""
) -> list[Finding]:
    """Return the findings of a document of level, article by article in reading order."""
    by_num = {}
    for a in articles:
        m = re.match(rf"第({NUM_RE})条$", a.label or "")
        if m:
            by_num[parse_numeral(m.group(1))] = a
    out: list[Finding] = []
    for a in articles:
        found = [
            *_measures(a, level, statutes),
            *_fines(a, upper, by_num),
            *_repeats(a, level, upper),
            *_citations(a, statutes, title),
        ]
        for f in found:
            f.provision = a.id
        out.extend(found)
    return out


def _measures(a: Article, level: str, statutes: Statutes) -> list[Finding]:
    name = LEVEL_NAMES[level]
    out = []
    article = measures.PENALTY_ARTICLE.get(level, "")
    for m in measures.not_allowed(level, measures.penalties(a.text), measures.PENALTY_ALLOWED):
        params = {"what": m.name, "level": name, "article": article}
        upper = statutes.quote(measures.PENALTY_LAW, article)
        out.append(Finding(a.label, "penalty_not_allowed", "violation", PENALTY, params, upper))
    for m in measures.not_allowed(level, measures.coercions(a.text), measures.COERCION_ALLOWED):
        params = {"what": m.name, "level": name}
        upper = statutes.quote(measures.COERCION_LAW, "第十条")
        out.append(Finding(a.label, "coercion_not_allowed", "violation", COERCION, params, upper))
    severity = measures.LICENSE_SEVERITY.get(level)
    if severity:
        for m in measures.licences(a.text):
            article = measures.LICENSE_ARTICLE[level]
            params = {"what": m.words, "level": name, "article": article}
            upper = statutes.quote(measures.LICENSE_LAW, article)
            out.append(Finding(a.label, "license_review", severity, LICENSE, params, upper))
    return out


def _fines(a: Article, upper: UpperScope, by_num: dict[int, Article]) -> list[Finding]:
    out: list[Finding] = []
    for para in paragraphs(a.text):
        mine = fines(para)
        if mine:
            out.extend(_fine(a, para, mine, upper, by_num))
    return out


def _fine(a: Article, para: str, mine: list, upper: UpperScope, by_num: dict) -> list[Finding]:
    text = para
    for m in _OWN_CITE.finditer(para):
        cited = by_num.get(parse_numeral(m.group(1)))
        if cited is not None and cited is not a:
            text += "\n" + cited.text
    for art, theirs, cosine, held in upper.same_conduct(text):
        similarity = max(cosine, held * HELD_WEIGHT)
        if similarity < FINE_SAME:
            break
        if not {f.kind for f in mine} & {f.kind for f in theirs}:
            continue
        sure = similarity >= FINE_SURE
        out = []
        for f, (_lo, hi) in exceeds(mine, theirs):
            # Above the upper maximum is the clear case; a lower minimum is for the adviser.
            above = hi is not None and (f.hi is None or f.hi > hi)
            severity = "violation" if sure and above else "review"
            same = [t.text for t in theirs if t.kind == f.kind]
            own = [t.text for t in theirs if t.kind == f.kind and f.who and t.who == f.who]
            params = {
                "what": f.text,
                "law": art.law,
                "upper_label": art.label,
                "theirs": "、".join(dict.fromkeys(own or same)),
            }
            out.append(Finding(a.label, "fine_exceeds_upper_law", severity, FINE, params, art))
        return out
    return []


def _repeats(a: Article, level: str, upper: UpperScope) -> list[Finding]:
    if level not in REPEAT_CHECKED:
        return []
    hit = upper.repeated(a.text)
    if hit is None or hit[1] < REPEAT_SHARE:
        return []
    art, share = hit
    params = {"what": "", "law": art.law, "upper_label": art.label, "share": round(share * 100)}
    return [Finding(a.label, "repeats_upper_law", "review", REPEAT, params, art)]


def _citations(a: Article, statutes: Statutes, title: str) -> list[Finding]:
    out = []
    seen = set()
    own = title_key(title) if title else ""
    for cite in citations(a.text):
        key = title_key(cite.title)
        if key == own or (key, cite.num, cite.sub, cite.year) in seen:
            continue
        seen.add((key, cite.num, cite.sub, cite.year))
        result = check(cite, statutes.versions(key), statutes.current(key), _texts(statutes))
        if result is None:
            continue
        what = cite.title
        if result.kind == "citation_not_found" and result.current is None:
            severity = "review" if cite.title.startswith("中华人民共和国") else "note"
            out.append(Finding(a.label, result.kind, severity, NOT_FOUND, {"what": what}))
        elif result.kind == "citation_not_found":
            cur = result.current
            params = {"what": what, "cited": cite.label, "date": cur.date, "count": cur.articles}
            out.append(Finding(a.label, result.kind, "violation", PAST_END, params))
        elif result.current is None:
            params = {"what": what, "old": result.version.date if result.version else ""}
            out.append(Finding(a.label, "citation_outdated", "review", EXPIRED, params))
        else:
            params = {
                "what": what,
                "cited": cite.label,
                "old": result.version.date if result.version else "",
                "date": result.current.date,
            }
            quoted = statutes.article(result.current, cite.label)
            out.append(Finding(a.label, "citation_outdated", "review", OUTDATED, params, quoted))
    return out


def _texts(statutes: Statutes):
    def text(version: LawVersion, label: str) -> str | None:
        art = statutes.article(version, label)
        return art.text if art is not None else None

    return text
