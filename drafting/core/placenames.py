"""Place names in regulation texts: 徐州市 in one city's text is 宿迁市 in another's.

Texts are compared with every participant's name replaced by a placeholder (`neutralise`), and a
difference that is only a name is shown as such (`jurisdiction_diff`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

SUFFIXES = ("自治州", "自治县", "自治区", "市", "省", "县", "区")
_SUFFIX_RE = "|".join(SUFFIXES)
# Characters that never occur in a place name but often precede one (由徐州市…, 设区的市…).
_STOP = set("本各该全设的级上下市省县区城超都在由向经对和与及或等为从自将把被按据其所并报请会同和")
_GOV = "人民政府|人民代表大会|人大常委会|行政区域|人民法院|人民检察院|监察委员会"


def name_stems(names: Iterable[str]) -> dict[str, str]:
    """Map each place-name stem (徐州) to the suffix it was given with (市), 市 by default."""
    stems: dict[str, str] = {}
    for name in names:
        name = name.strip()
        suffix = next((s for s in SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), "")
        stem = name[: len(name) - len(suffix)] if suffix else name
        if len(stem) >= 2 and not stem.startswith("本"):
            stems.setdefault(stem, suffix or "市")
    return stems


def _names_pattern(names: Iterable[str]) -> tuple[re.Pattern, dict[str, str]]:
    stems = name_stems(names)
    alts = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    own = f"|(?P<stem>{alts})(?P<suffix>{_SUFFIX_RE})?" if alts else ""
    # 本区域 is "this area", not "this district".
    return re.compile(f"本(?P<own>市|省|县|区)(?!域){own}"), stems


def _canonical(m: re.Match, stems: dict[str, str]) -> str:
    if m.group("own"):
        return m.group("own")
    return m.group("suffix") or stems[m.group("stem")]


def neutralise(text: str, names: Iterable[str] = ()) -> str:
    """Replace jurisdiction references (本市, 徐州市, 宿迁) by their level (市) for comparison."""
    pattern, stems = _names_pattern(names)
    return pattern.sub(lambda m: _canonical(m, stems), text)


def jurisdiction_diff(a: str, b: str, names: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """Diff two texts into (op, a_part, b_part) spans; op `jurisdiction` marks name-only changes.

    Ops are difflib's equal/replace/delete/insert plus `jurisdiction`, where the two parts differ
    only by jurisdiction names (本市 | 徐州市, 徐州市人民政府 | 宿迁市人民政府).
    """
    pattern, stems = _names_pattern(names)

    def tokens(text: str) -> tuple[list[str], list[str]]:
        canon: list[str] = []
        orig: list[str] = []
        pos = 0
        for m in pattern.finditer(text):
            canon.extend(text[pos : m.start()])
            orig.extend(text[pos : m.start()])
            canon.append(_canonical(m, stems))
            orig.append(m.group())
            pos = m.end()
        canon.extend(text[pos:])
        orig.extend(text[pos:])
        return canon, orig

    ca, oa = tokens(a)
    cb, ob = tokens(b)
    spans: list[tuple[str, str, str]] = []

    def add(op: str, x: str, y: str) -> None:
        if spans and spans[-1][0] == op:
            _, px, py = spans.pop()
            x, y = px + x, py + y
        spans.append((op, x, y))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ca, cb, autojunk=False).get_opcodes():
        if op != "equal":
            add(op, "".join(oa[i1:i2]), "".join(ob[j1:j2]))
            continue
        for x, y in zip(oa[i1:i2], ob[j1:j2], strict=True):
            add("equal" if x == y else "jurisdiction", x, y)
    return _cleanup(spans)


def _cleanup(spans: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Fold a short equality between two edits into one replacement (编制 | 制定, not 编/制/定)."""
    edits = ("replace", "delete", "insert")
    out: list[tuple[str, str, str]] = []
    for span in spans:
        out.append(span)
        while (
            len(out) >= 3
            and out[-1][0] in edits
            and out[-3][0] in edits
            and (
                out[-2][0] == "equal"
                and len(out[-2][1]) <= min(max(map(len, out[-1][1:])), max(map(len, out[-3][1:])))
            )
        ):
            x, e, y = out[-3:]
            del out[-3:]
            out.append(("replace", x[1] + e[1] + y[1], x[2] + e[2] + y[2]))
            # The new replacement may now absorb an edit before it.
            if len(out) >= 2 and out[-2][0] in edits:
                x, y = out[-2:]
                del out[-2:]
                out.append(("replace", x[1] + y[1], x[2] + y[2]))
    return out


def derive_names(titles: Sequence[str], texts: Iterable[str] = ()) -> list[str]:
    """Guess the jurisdiction names of parallel regulations from their titles and texts."""
    found: Counter[str] = Counter()
    for title in titles:
        m = re.match(rf"^([\u4e00-\u9fff]{{2,8}}?(?:{_SUFFIX_RE}))", title)
        if m and not m.group(1).startswith(("中华", "全国", "国家")):
            found[m.group(1)] += 3
    # Titles that share a subject (嘉兴市…条例, 衢州市…条例) differ exactly by the place name.
    if len(titles) > 1:
        common = len(_common_suffix(titles))
        for title in titles:
            head = title[: len(title) - common]
            if title[len(head) : len(head) + 1] in SUFFIXES:
                head = title[: len(head) + 1]
            if common >= 2 and 2 <= len(head) <= 8 and _is_han(head):
                found[head] += 3
    for text in texts:
        for m in re.finditer(rf"(?=({_SUFFIX_RE})(?:{_GOV}))", text):
            start = m.start()
            stem = text[max(0, start - 2) : start]
            if len(stem) == 2 and not set(stem) & _STOP and _is_han(stem):
                found[stem + m.group(1)] += 1
    return sorted(name for name, n in found.items() if n >= 2)


def _common_suffix(strings: Sequence[str]) -> str:
    first = strings[0]
    n = 0
    while n < len(first) and all(len(s) > n and s[-1 - n] == first[-1 - n] for s in strings):
        n += 1
    return first[len(first) - n :]


def _is_han(s: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in s)


# ---------------------------------------------------------------- similarity


def neutraliser(names: Iterable[str]) -> Callable[[str], str]:
    """Return `neutralise` for a fixed list of names, compiled once for many texts."""
    pattern, found = _names_pattern(names)
    return lambda text: pattern.sub(lambda m: _canonical(m, found), text)
