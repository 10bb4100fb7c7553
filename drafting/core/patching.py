"""Carry a change of the common text (协同文本) into a partner city's adapted text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

from drafting.core.placenames import derive_names, name_stems


@dataclass
class Hunk:
    """One change of the common text: where it was, what it removed and what it inserted."""

    index: int
    start: int
    removed: str
    inserted: str
    context: str

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "removed": self.removed,
            "inserted": self.inserted,
            "context": self.context,
        }


@dataclass
class Propagation:
    """The city's text after propagation and how it went: clean, fuzzy or failed."""

    text: str
    status: str
    applied_hunks: list[Hunk] = field(default_factory=list)
    failed_hunks: list[Hunk] = field(default_factory=list)


def _engine(city_text: str) -> diff_match_patch:
    dmp = diff_match_patch()
    # A city's own articles shift the common ones by thousands of characters; the default
    # distance of 1,000 would reject an exact match that far away.
    dmp.Match_Distance = max(1000, 2 * len(city_text))
    # Stricter than the defaults (0.5), so a hunk is refused rather than put in the wrong place.
    dmp.Match_Threshold = 0.35
    dmp.Patch_DeleteThreshold = 0.35
    return dmp


def _own_stem(text: str, stems: Iterable[str], other: str) -> str | None:
    """Return the place-name stem used most in `text` and not at all in `other`."""
    counts = Counter({s: text.count(s) for s in stems if s in text and s not in other})
    return counts.most_common(1)[0][0] if counts else None


def localise(
    common: str, city_text: str, names: Iterable[str]
) -> tuple[str, str | None, str | None]:
    """Write the city's place name where the common text has its own (徐州 → 宿迁)."""
    stems = name_stems(names)
    theirs = _own_stem(common, stems, city_text)
    ours = _own_stem(city_text, stems, common)
    if theirs and ours:
        return common.replace(theirs, ours), theirs, ours
    return common, theirs, ours


def _hunks(dmp: diff_match_patch, patches: list) -> list[Hunk]:
    out = []
    for k, patch in enumerate(patches):
        context = "".join(t for op, t in patch.diffs if op != dmp.DIFF_INSERT)
        out.append(
            Hunk(
                k,
                patch.start1,
                _pieces(dmp, patch, dmp.DIFF_DELETE),
                _pieces(dmp, patch, dmp.DIFF_INSERT),
                context,
            )
        )
    return out


def _pieces(dmp: diff_match_patch, patch, op: int) -> str:
    """Return a patch's deleted or inserted text, separate pieces joined by an ellipsis."""
    pieces: list[str] = []
    gap = True
    for kind, text in patch.diffs:
        if kind == op:
            if gap:
                pieces.append("")
            pieces[-1] += text
            gap = False
        elif kind == dmp.DIFF_EQUAL:
            gap = True
    return "…".join(pieces)


def _apply_exactly(dmp: diff_match_patch, patches: list, text: str) -> str | None:
    """Apply patches where they were made, with their context unchanged, or return None."""
    for patch in patches:
        source = "".join(t for op, t in patch.diffs if op != dmp.DIFF_INSERT)
        target = "".join(t for op, t in patch.diffs if op != dmp.DIFF_DELETE)
        # Earlier patches have been applied, so this one's place is its place in the new text.
        at = patch.start2
        if text[at : at + len(source)] != source:
            return None
        text = text[:at] + target + text[at + len(source) :]
    return text


def propagate(
    old_common: str, new_common: str, city_text: str, *, names: Iterable[str] = ()
) -> Propagation:
    """Apply the change from old_common to new_common to a city's text derived from old_common.

    `clean`: every hunk applied where it was made with its context unchanged; `fuzzy`: every hunk
    applied, some after the city's own changes around it; `failed`: some hunk found no place, and
    the city's text is returned unchanged. Place names are mapped to the city's first, so a change
    to a sentence naming 徐州市 applies to the one naming 宿迁市.
    """
    names = tuple(names) or tuple(derive_names([], [old_common, city_text]))
    old, theirs, ours = localise(old_common, city_text, names)
    new = new_common.replace(theirs, ours) if theirs and ours else new_common
    dmp = _engine(city_text)
    patches = dmp.patch_make(old, new)
    hunks = _hunks(dmp, patches)
    if not patches:
        return Propagation(city_text, "clean")
    exact = _apply_exactly(dmp, patches, city_text)
    if exact is not None:
        return Propagation(exact, "clean", hunks)
    # patch_apply pads and shifts the patches it is given, so it gets copies.
    text, results = dmp.patch_apply(dmp.patch_deepCopy(patches), city_text)
    applied = [h for h, ok in zip(hunks, results, strict=True) if ok]
    failed = [h for h, ok in zip(hunks, results, strict=True) if not ok]
    if failed:
        return Propagation(city_text, "failed", applied, failed)
    return Propagation(text, "fuzzy", applied)


def describe(hunk: Hunk) -> str:
    """Return a one-line account of a hunk for messages (第2处修改: 删除“…”，增加“…”)."""
    parts = []
    if hunk.removed:
        parts.append(f"删除“{_short(hunk.removed)}”")
    if hunk.inserted:
        parts.append(f"增加“{_short(hunk.inserted)}”")
    return f"第{hunk.index + 1}处修改：" + "，".join(parts)


def _short(text: str, limit: int = 30) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
