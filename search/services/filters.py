"""Search filters as SQL on search_doc (alias d): scope, level, place, years, validity."""

from __future__ import annotations

from concord.i18n import gettext as _
from drafting.errors import BadInput
from search.statutes import NATIONAL

KINDS = ("precedent", "draft", "proposal", "opinion")
WORKSPACE = ("draft", "proposal", "opinion")
OWN_RECORDS = ("proposal", "opinion")


def as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def filter_sql(
    *,
    kind,
    projects,
    own_jurisdiction: str | None = None,
    level=None,
    jurisdiction=None,
    year_from=None,
    year_to=None,
    in_force_only=False,
) -> tuple[str, dict] | None:
    """Return the SQL condition and parameters of a search's scope and filters (None: nothing)."""
    kinds = [k for k in as_list(kind) if k != "all"] or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadInput(_("未知的检索范围：{k}（可选：{all}）", k=unknown[0], all=", ".join(KINDS)))
    allowed = [int(p) for p in as_list(projects) if p.isdigit()]
    params: dict = {}
    scopes: list[str] = []
    if "precedent" in kinds:
        scopes.append("d.kind = 'precedent'")
    workspace = [k for k in kinds if k != "precedent"]
    if workspace and allowed:
        # Workspace documents only ever come back for the caller's own projects.
        params["ws_kinds"], params["projects"] = workspace, allowed
        scopes.append("(d.kind IN :ws_kinds AND d.project_id IN :projects)")
    own = [k for k in workspace if k in OWN_RECORDS]
    if own and own_jurisdiction:
        # Proposals and opinions are also seen by the jurisdiction that recorded them.
        params["own_kinds"], params["own"] = own, str(own_jurisdiction)
        scopes.append("(d.kind IN :own_kinds AND d.owner_code = :own)")
    if not scopes:
        return None
    parts = ["(" + " OR ".join(scopes) + ")"]
    levels = as_list(level)
    if levels:
        params["levels"] = levels
        parts.append("d.level IN :levels")
    places = [NATIONAL if j == "国家" else j for j in as_list(jurisdiction)]
    if places:
        params["places"] = places
        parts.append("d.jurisdiction IN :places")
    if year_from not in (None, "") or year_to not in (None, ""):
        lo, hi = year_bound(year_from), year_bound(year_to)
        if lo is not None and hi is not None and lo > hi:
            raise BadInput(_("起始年份 {lo} 晚于截止年份 {hi}。", lo=lo, hi=hi))
        if lo is not None:
            params["year_from"] = lo
            parts.append("d.year >= :year_from")
        if hi is not None:
            params["year_to"] = hi
            parts.append("d.year <= :year_to")
    if in_force_only:
        parts.append("d.validity NOT IN ('expired', 'superseded')")
    return " AND ".join(parts), params


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
