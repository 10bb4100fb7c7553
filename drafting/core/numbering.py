"""Chinese numerals, provision labels and the renumbering of internal citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2, "○": 0, "Ｏ": 0}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
# A character class matching any Chinese numeral, for building other patterns.
NUMERAL = "零〇○一二两三四五六七八九十百千万"
NUM_RE = f"[{NUMERAL}]+|[0-9]+"


@lru_cache(maxsize=4096)
def parse_numeral(text: str) -> int:
    """Return the value of a Chinese (or Arabic) numeral such as 一百零五, 二十, 两, 一〇五."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    if all(c in _DIGIT_VALUE for c in text) and len(text) > 1:
        # Digit-by-digit spelling (二〇二四) carries no units.
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))
    total = 0
    if "万" in text:
        high, _, text = text.partition("万")
        total = parse_numeral(high or "一") * 10000
        if not text:
            return total
    section = 0
    digit: int | None = None
    for char in text:
        if char in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[char]
        elif char in _UNIT_VALUE:
            # A bare unit (十二) means one of it.
            section += (1 if digit is None else digit) * _UNIT_VALUE[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


@lru_cache(maxsize=4096)
def to_chinese(n: int) -> str:
    """Return the customary Chinese numeral for n (十二, 一百零五, 一千零一十)."""
    if n < 0:
        raise ValueError("negative numeral")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _below_10000(low)
        return to_chinese(high) + "万" + rest
    return _below_10000(n)


def _below_10000(n: int) -> str:
    out = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out.append("零")
            out.append(DIGITS[d] + unit)
            zero = False
        else:
            zero = True
    return "".join(out)


def article_label(num: int, sub: int | None = None) -> str:
    """Return an article label: 第十二条, or 第十条之一 for an inserted article."""
    return f"第{to_chinese(num)}条" + (f"之{to_chinese(sub)}" if sub else "")


def chapter_label(num: int) -> str:
    """Return a chapter label such as 第三章."""
    return f"第{to_chinese(num)}章"


def section_label(num: int) -> str:
    """Return a section label such as 第二节."""
    return f"第{to_chinese(num)}节"


def part_label(num: int) -> str:
    """Return a part label such as 第一编."""
    return f"第{to_chinese(num)}编"


def item_label(num: int) -> str:
    """Return an item label such as （三）."""
    return f"（{to_chinese(num)}）"


def subitem_label(num: int) -> str:
    """Return a sub-item label such as 3."""
    return f"{num}."


LABEL_MAKERS = {
    "part": part_label,
    "chapter": chapter_label,
    "section": section_label,
    "article": article_label,
    "item": item_label,
    "subitem": subitem_label,
}


def make_label(kind: str, num: int, sub: int | None = None) -> str | None:
    """Return the label of a provision of the given kind, or None for a clause (款)."""
    if kind == "article":
        return article_label(num, sub)
    maker = LABEL_MAKERS.get(kind)
    return maker(num) if maker else None


# --- citations ------------------------------------------------------------------------------

_N = f"(?:{NUM_RE})"
CITATION_RE = re.compile(
    rf"第(?P<art>{_N})条(?:之(?P<sub>{_N}))?"
    rf"(?:至第(?P<to>{_N})条(?:之(?P<tosub>{_N}))?)?"
    rf"(?:第(?P<clause>{_N})款)?"
    rf"(?:第(?P<item>[（(](?:{_N})[）)]|{_N})项)?"
)
# Words that make a following 第X条 a citation of this very text.
_SELF = re.compile(r"本(?:实施)?(?:条例|法|规定|办法|细则|规则|决定|准则|章程)$")
# Words that end the name of another instrument: 刑法第X条, 《…》第X条.
_OTHER = re.compile(r"(?:》|[法例定则法令约程]|宪法|实施细则|若干规定)$")
# Words that continue a list of citations of the same instrument.
_JOIN = re.compile(r"(?:、|和|及|以及|或者|或|与|，|,)?")


@dataclass(frozen=True)
class Citation:
    """A citation of an article of this text, such as 本条例第十二条第二款第（三）项."""

    start: int
    end: int
    article: int
    sub: int | None = None
    to: int | None = None
    to_sub: int | None = None
    clause: int | None = None
    item: int | None = None
    text: str = ""


class CitationChange(NamedTuple):
    """One rewritten citation; `new` is None when the cited article was deleted."""

    old: str
    new: str | None
    position: int


def find_citations(text: str) -> list[Citation]:
    """Return the citations of this text's own articles, leaving out other laws' articles."""
    found: list[Citation] = []
    prev_end = -1
    prev_internal = True
    for m in CITATION_RE.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        between = text[prev_end : m.start()] if prev_end >= 0 else None
        if _SELF.search(before):
            internal = True
        elif between is not None and _JOIN.fullmatch(between):
            internal = prev_internal
        elif _OTHER.search(before):
            internal = False
        else:
            internal = True
        prev_end, prev_internal = m.end(), internal
        if not internal:
            continue
        item = m.group("item")
        found.append(
            Citation(
                start=m.start(),
                end=m.end(),
                article=parse_numeral(m.group("art")),
                sub=_opt(m.group("sub")),
                to=_opt(m.group("to")),
                to_sub=_opt(m.group("tosub")),
                clause=_opt(m.group("clause")),
                item=_opt(item.strip("（()）")) if item else None,
                text=m.group(0),
            )
        )
    return found


def _opt(numeral: str | None) -> int | None:
    return parse_numeral(numeral) if numeral else None


Target = int | tuple[int, int | None] | None


def _lookup(article_map: dict, num: int, sub: int | None) -> tuple[bool, Target]:
    """Return (known, target) for an article, trying (num, sub) before num."""
    if sub is not None and (num, sub) in article_map:
        return True, article_map[(num, sub)]
    if num in article_map:
        target = article_map[num]
        # An inserted 之一 article moves with the article it follows.
        if sub is not None and isinstance(target, int):
            return True, (target, sub)
        return True, target
    return False, None


def _split(target: Target) -> tuple[int, int | None]:
    return target if isinstance(target, tuple) else (target, None)  # type: ignore[return-value]


def renumber_citations(
    text: str,
    article_map: dict,
    item_maps: dict[int, dict[int, int | None]] | None = None,
) -> tuple[str, list[CitationChange]]:
    """Rewrite internal citations after renumbering; report deleted targets as broken.

    `article_map` maps an old article number (or (num, sub)) to its new number, (num, sub),
    or None when the article was deleted. `item_maps` maps an old article number to a map of
    its old item numbers to new ones.
    """
    out: list[str] = []
    changes: list[CitationChange] = []
    pos = 0
    for cite in find_citations(text):
        known, target = _lookup(article_map, cite.article, cite.sub)
        to_known, to_target = (
            _lookup(article_map, cite.to, cite.to_sub) if cite.to is not None else (False, None)
        )
        items = (item_maps or {}).get(cite.article, {})
        item_known = cite.item is not None and cite.item in items
        if not (known or to_known or item_known):
            continue
        if (
            (known and target is None)
            or (to_known and to_target is None)
            or (item_known and items[cite.item] is None)
        ):
            changes.append(CitationChange(cite.text, None, cite.start))
            continue
        new = _rewrite(cite, target if known else None, to_target if to_known else None, items)
        if new != cite.text:
            out.append(text[pos : cite.start])
            out.append(new)
            pos = cite.end
            changes.append(CitationChange(cite.text, new, cite.start))
    out.append(text[pos:])
    return "".join(out), changes


def _rewrite(cite: Citation, target: Target, to_target: Target, items: dict) -> str:
    num, sub = _split(target) if target is not None else (cite.article, cite.sub)
    new = article_label(num, sub)
    if cite.to is not None:
        to_num, to_sub = _split(to_target) if to_target is not None else (cite.to, cite.to_sub)
        new += "至" + article_label(to_num, to_sub)
    if cite.clause is not None:
        new += f"第{to_chinese(cite.clause)}款"
    if cite.item is not None:
        item = items.get(cite.item, cite.item)
        # Keep the source's own way of writing the item: 第（三）项 or 第三项.
        bracketed = "（" in cite.text or "(" in cite.text
        new += f"第（{to_chinese(item)}）项" if bracketed else f"第{to_chinese(item)}项"
    return new


# ---------------------------------------------------------------- citations across texts

_LABEL = re.compile(rf"第({NUM_RE})条(?:之({NUM_RE}))?")


def label_number(label: str) -> tuple[int, int | None] | None:
    """Return the (number, 之N) of a label such as 第十条之一, or None."""
    m = _LABEL.fullmatch(label.strip())
    if not m:
        return None
    return parse_numeral(m.group(1)), parse_numeral(m.group(2)) if m.group(2) else None


def cite_groups(text: str, by_number: dict) -> str:
    """Replace citations of the text's own articles by the groups of the articles they cite."""
    out, pos = [], 0
    for cite in find_citations(text):
        group = by_number.get((cite.article, cite.sub))
        if group is None or cite.to is not None:
            continue
        out += [text[pos : cite.start], f"〔{group}〕", _LABEL.sub("", cite.text, count=1)]
        pos = cite.end
    return "".join(out) + text[pos:]
