"""Search filters: scope (precedents, the caller's projects), level, place, years, validity."""

from __future__ import annotations

from collections import OrderedDict

from whoosh import query as wq

from concord.i18n import gettext as _
from drafting.errors import BadInput
from search.index import KINDS, NATIONAL

CACHED_FILTERS = 64


def docset(searcher, filters: OrderedDict, q: wq.Query) -> set:
    # Filters repeat across queries; caching their doc sets saves reading big postings lists.
    key = repr(q)
    found = filters.get(key)
    if found is None:
        found = set(searcher.docs_for_query(q))
        filters[key] = found
        if len(filters) > CACHED_FILTERS:
            filters.popitem(last=False)
    else:
        filters.move_to_end(key)
    return found


def as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def filter_query(
    *,
    kind,
    projects,
    level=None,
    jurisdiction=None,
    year_from=None,
    year_to=None,
    in_force_only=False,
) -> wq.Query | None:
    kinds = [k for k in as_list(kind) if k != "all"] or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadInput(_("未知的检索范围：{k}（可选：{all}）", k=unknown[0], all=", ".join(KINDS)))
    allowed = as_list(projects)
    scopes: list[wq.Query] = []
    if "precedent" in kinds:
        scopes.append(wq.Term("kind", "precedent"))
    workspace = [k for k in kinds if k != "precedent"]
    if workspace and allowed:
        # Workspace documents only ever come back for the caller's own projects.
        scopes.append(
            wq.And(
                [
                    wq.Or([wq.Term("kind", k) for k in workspace]),
                    wq.Or([wq.Term("project", p) for p in allowed]),
                ]
            )
        )
    if not scopes:
        return None
    parts: list[wq.Query] = [wq.Or(scopes) if len(scopes) > 1 else scopes[0]]
    levels = as_list(level)
    if levels:
        parts.append(wq.Or([wq.Term("level", v) for v in levels]))
    places = [NATIONAL if j == "国家" else j for j in as_list(jurisdiction)]
    if places:
        parts.append(wq.Or([wq.Term("jurisdiction", v) for v in places]))
    if year_from is not None or year_to is not None:
        lo, hi = year_bound(year_from), year_bound(year_to)
        if lo is not None and hi is not None and lo > hi:
            raise BadInput(_("起始年份 {lo} 晚于截止年份 {hi}。", lo=lo, hi=hi))
        parts.append(wq.NumericRange("year", lo, hi))
    if in_force_only:
        parts.append(wq.Not(wq.Term("validity", "expired")))
    return wq.And(parts) if len(parts) > 1 else parts[0]


def year_bound(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise BadInput(_("“{v}”不是年份。", v=value)) from None
    if not 1900 <= year <= 2200:
        raise BadInput(_("年份 {y} 不在合理范围内。", y=year))
    return year
