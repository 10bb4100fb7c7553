"""Three-way merge of a provision's text: keep both edits when they touch different places."""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch


@dataclass(frozen=True)
class MergeResult:
    """The merged text, or None when the two edits overlap."""

    text: str | None

    @property
    def clean(self) -> bool:
        return self.text is not None


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    return dmp


def _edits(base: str, other: str) -> list[tuple[int, int, str]]:
    """Return `other` as edits of `base`: (start, end, replacement) in base positions."""
    dmp = _dmp()
    diffs = dmp.diff_main(base, other)
    dmp.diff_cleanupSemantic(diffs)
    edits: list[tuple[int, int, str]] = []
    pos = 0
    for op, chunk in diffs:
        if op == 0:
            pos += len(chunk)
        elif op == -1:
            if edits and edits[-1][1] == pos:
                start, _end, text = edits.pop()
                edits.append((start, pos + len(chunk), text))
            else:
                edits.append((pos, pos + len(chunk), ""))
            pos += len(chunk)
        else:
            if edits and edits[-1][1] == pos:
                start, end, text = edits.pop()
                edits.append((start, end, text + chunk))
            else:
                edits.append((pos, pos, chunk))
    return edits


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    # Touching edits count as overlapping: two insertions at one place have no agreed order,
    # and an insertion right next to a replacement usually rewrites the same phrase.
    return a[0] <= b[1] and b[0] <= a[1]


def merge(base: str, theirs: str, yours: str) -> MergeResult:
    """Merge `yours` into `theirs`, both edited from `base`; None where the edits collide."""
    if yours == base or yours == theirs:
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(yours)
    their_edits = _edits(base, theirs)
    your_edits = _edits(base, yours)
    if any(_overlap(a, b) for a in their_edits for b in your_edits):
        return MergeResult(None)
    dmp = _dmp()
    their_diffs = dmp.diff_main(base, theirs)
    dmp.diff_cleanupSemantic(their_diffs)
    merged = theirs
    # Apply from the end so that earlier positions stay valid; positions map from base to
    # theirs through their diff, which is exact because no edit of theirs is nearby.
    for start, end, text in sorted(your_edits, reverse=True):
        a = dmp.diff_xIndex(their_diffs, start)
        b = dmp.diff_xIndex(their_diffs, end)
        merged = merged[:a] + text + merged[b:]
    return MergeResult(merged)
