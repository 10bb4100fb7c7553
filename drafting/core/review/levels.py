"""Levels of a document under review and what higher-level law (上位法) applies to each."""

from __future__ import annotations

LEVELS = (
    "law",
    "administrative-regulation",
    "provincial-regulation",
    "city-regulation",
    "rules",
    "normative-document",
)
DEFAULT_LEVEL = "city-regulation"
LEVEL_NAMES = {
    "law": "法律",
    "administrative-regulation": "行政法规",
    "provincial-regulation": "省级地方性法规",
    "city-regulation": "设区的市地方性法规",
    "rules": "规章",
    "normative-document": "规范性文件",
}
# Statute levels (as the corpus names them) that are higher-level law for each level; the
# province's own 地方性法规 are added for levels below it (PROVINCE_IS_UPPER).
NATIONAL_UPPER = {
    "law": ("宪法",),
    "administrative-regulation": ("宪法", "法律"),
    "provincial-regulation": ("宪法", "法律", "行政法规"),
    "city-regulation": ("宪法", "法律", "行政法规"),
    "rules": ("宪法", "法律", "行政法规"),
    "normative-document": ("宪法", "法律", "行政法规", "部门规章"),
}
PROVINCE_IS_UPPER = {"city-regulation", "rules", "normative-document"}
LOCAL_LEVEL = "地方性法规"
# Levels below law whose repetition of upper law is a finding (立法法 第八十二条 and its spirit).
REPEAT_CHECKED = {
    "administrative-regulation",
    "provincial-regulation",
    "city-regulation",
    "rules",
    "normative-document",
}


def is_level(level: str) -> bool:
    """Return whether level is one of LEVELS."""
    return level in LEVELS


def upper_levels(level: str) -> tuple[tuple[str, ...], bool]:
    """Return the national statute levels above level and whether the province's are too."""
    return NATIONAL_UPPER[level], level in PROVINCE_IS_UPPER
