"""Fines as statutes write them: 五千元以上五万元以下, 违法所得一倍以上五倍以下, 每日…."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from drafting.core.numbering import parse_numeral

_NUM = r"[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿]+"
# The words between 处 and 罚款: amounts, multiples or percentages of a base, 以上/以下/至.
_FINE = re.compile(r"(?:并|可以|可|应当)?处(?:以)?(?P<span>[^，。；：处罚\n]{1,48}?)(?:的)?罚款")
_AMOUNT = re.compile(rf"(?P<n>{_NUM})(?P<wan>万|千)?(?P<unit>元|倍)(?P<q>以上|以下)?")
_PERCENT = re.compile(rf"百分之(?P<n>{_NUM})(?P<q>以上|以下)?")
_FRACTION = re.compile(rf"(?P<n>{_NUM})(?:至|到|-|—|～)(?P<m>{_NUM})(?P<wan>万|千)?(?P<unit>元|倍)")
_PER_DAY = re.compile(r"(每日|按日|每天|日处|按天)")
_BASE_NOISE = re.compile(r"^(?:其|对其|对|单位|个人|相当于)|[的其]$")


@dataclass(frozen=True, slots=True)
class Fine:
    """A fine range: unit 元, 倍 (of base) or % (of base); hi None means no upper limit."""

    unit: str
    lo: float
    hi: float | None
    base: str
    per_day: bool
    text: str
    who: str = ""  # 单位 or 个人 when the statute fines them differently

    @property
    def kind(self) -> tuple[str, str, bool]:
        """Return what makes two fines comparable: unit, base and whether per day."""
        return self.unit, self.base, self.per_day


def number(text: str) -> float:
    """Return the value of a numeral as statutes write amounts (五千, 1.5, 二十万, 一亿)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return float(text)
    if "亿" in text:
        high, _, low = text.partition("亿")
        return number(high or "一") * 1e8 + (number(low) if low else 0)
    return float(parse_numeral(text))


def _value(n: str, wan: str | None) -> float:
    scale = {"万": 1e4, "千": 1e3}.get(wan or "", 1)
    return number(n) * scale


def parse_span(span: str, before: str = "") -> Fine | None:
    """Return the fine written in span (the words between 处 and 罚款), or None."""
    span = span.strip()
    per_day = bool(_PER_DAY.search(before[-8:] + span))
    m = _FRACTION.search(span)
    try:
        if m:
            unit = m.group("unit")
            lo, hi = _value(m.group("n"), m.group("wan")), _value(m.group("m"), m.group("wan"))
            return Fine(unit, lo, hi, _base(span[: m.start()], unit), per_day, span)
        percents = list(_PERCENT.finditer(span))
        if percents:
            return _range("%", percents, span, per_day, percents[0].start())
        amounts = list(_AMOUNT.finditer(span))
        if amounts:
            unit = amounts[0].group("unit")
            return _range(unit, amounts, span, per_day, amounts[0].start())
    except ValueError:
        return None
    return None


def _range(unit: str, matches: list[re.Match], span: str, per_day: bool, start: int) -> Fine:
    values = []
    for m in matches[:2]:
        wan = m.groupdict().get("wan")
        values.append((_value(m.group("n"), wan), m.group("q")))
    if len(values) == 2:
        lo, hi = values[0][0], values[1][0]
    else:
        value, q = values[0]
        lo, hi = (0.0, value) if q == "以下" else (value, None) if q == "以上" else (value, value)
    return Fine(unit, lo, hi, _base(span[:start], unit), per_day, span)


def _base(prefix: str, unit: str) -> str:
    if unit == "元":
        return ""
    if "违法所得" in prefix:
        return "违法所得"
    base = prefix.strip("，、 ")
    for _ in range(3):
        base = _BASE_NOISE.sub("", base)
    return base[-6:]


_WHO = re.compile(r"(单位|个人)[^，。；单个]{0,8}$")


def fines(text: str) -> list[Fine]:
    """Return every fine that text sets, in order, with whom it fines when the text says."""
    out = []
    for m in _FINE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        fine = parse_span(m.group("span"), before)
        if fine is not None:
            who = _WHO.search(before)
            out.append(replace(fine, who=who.group(1)) if who else fine)
    return out


def envelope(items: list[Fine]) -> dict[tuple[str, str, bool], tuple[float, float | None]]:
    """Return, per comparable kind, the lowest minimum and the highest maximum of the fines."""
    out: dict[tuple[str, str, bool], tuple[float, float | None]] = {}
    for f in items:
        lo, hi = out.get(f.kind, (f.lo, f.hi))
        hi = None if hi is None or f.hi is None else max(hi, f.hi)
        out[f.kind] = (min(lo, f.lo), hi)
    return out


def fine_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of the fines in text (to leave them out of a conduct)."""
    return [m.span() for m in _FINE.finditer(text)]
