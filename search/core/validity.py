"""Which version of a law is in force: the newer replaces the older unless the data says otherwise.

This is the one place of that rule. The statute import applies it to every imported law, the
search ranks and labels by it, and the legality review (issue 19) imports it:

    from search.core.validity import Statute, supersession, is_current
    replaced = supersession(statutes)          # {older key: key of the version in force}
    is_current(statute, replaced)              # in force: not expired, not replaced

Two statutes are versions of one law when their titles (spaces and a trailing 「（2017年修正）」
left out) and jurisdictions are equal. The data "says otherwise" when the newer version is itself
marked expired (废止/失效): it then replaces nothing. Undated statutes replace nothing and are
replaced by nothing, and versions of the same date replace each other not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

IN_FORCE, SUPERSEDED, EXPIRED = "in_force", "superseded", "expired"
_EDITION = re.compile(r"[（(][^（()）]*(?:修正|修订|修改|年)[^（()）]*[)）]$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Statute:
    """What the rule needs to know of one statute: a stable key (e.g. its corpus path)."""

    key: str
    title: str
    jurisdiction: str
    date: str = ""  # ISO date of this version (adoption or last amendment); "" unknown
    expired: bool = False  # the source marks it 废止/失效


def law_identity(title: str, jurisdiction: str) -> tuple[str, str]:
    """Return what versions of one law share: the title without spaces or edition, the place."""
    name = _SPACE.sub("", title or "")
    name = _EDITION.sub("", name)
    return name, (jurisdiction or "").strip()


def supersession(statutes: Iterable[Statute]) -> dict[str, str]:
    """Map the key of each replaced statute to the key of the newest version in force after it."""
    versions: dict[tuple[str, str], list[Statute]] = {}
    for s in statutes:
        if s.date and s.title:
            versions.setdefault(law_identity(s.title, s.jurisdiction), []).append(s)
    out: dict[str, str] = {}
    for group in versions.values():
        if len(group) < 2:
            continue
        live = sorted((s for s in group if not s.expired), key=lambda s: (s.date, s.key))
        if not live:
            continue
        for s in group:
            newer = [t for t in live if t.date > s.date]
            if newer:
                out[s.key] = newer[-1].key
    return out


def is_current(statute: Statute, superseded: Mapping[str, str]) -> bool:
    """Tell whether a statute is in force: not marked expired and not replaced by a newer one."""
    return not statute.expired and statute.key not in superseded


def validity(statute: Statute, superseded: Mapping[str, str]) -> str:
    """Return `in_force`, `superseded` (a newer version replaces it) or `expired`."""
    if statute.expired:
        return EXPIRED
    return SUPERSEDED if statute.key in superseded else IN_FORCE
