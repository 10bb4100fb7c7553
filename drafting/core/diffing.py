"""Character-level diffs that read well in Chinese."""

from __future__ import annotations

from diff_match_patch import diff_match_patch


def diff(old: str, new: str) -> list[tuple[int, str]]:
    """Return diff-match-patch operations from `old` to `new`, cleaned up for human reading."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    ops = dmp.diff_main(old or "", new or "")
    dmp.diff_cleanupSemantic(ops)
    return ops
