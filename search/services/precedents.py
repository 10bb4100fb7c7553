"""Search services: precedent and workspace search, similar provisions, a whole law."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable

from whoosh import collectors
from whoosh import query as wq
from whoosh.sorting import FieldFacet

from concord.i18n import gettext as _
from concord.permissions.search import sees_document
from drafting.errors import BadInput, NotFound
from search.core import snippets
from search.core.phrases import coverage, near_query
from search.core.query import matching_query, parse, pastes
from search.index import check_index, open_index, read_status
from search.services.filters import as_list, docset, filter_query

SORTS = ("relevance", "date")
MAX_LIMIT = 100
GROUP_POOL = 200  # grouping by law looks at this many best articles
GROUP_ARTICLES = 3
NEAR_POOL = 50  # near matches of a paste re-ranked by how much of it they hold

_local = threading.local()


def _searcher(index_dir):
    """Return this thread's searcher on index_dir, refreshed to the latest commit."""
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    key = str(index_dir)
    entry = cache.get(key)
    if entry is None:
        entry = cache[key] = [_open_searcher(index_dir), OrderedDict()]
    elif not _up_to_date(entry[0], index_dir):
        # Searchers are snapshots: reopen to see what other workers committed. Not refresh():
        # it reuses segment readers and so misses deletions made in an unchanged segment.
        entry[0].close()
        del cache[key]
        entry = cache[key] = [_open_searcher(index_dir), OrderedDict()]
    return entry[0], entry[1]


def _open_searcher(index_dir):
    ix = open_index(index_dir, create=False)
    check_index(ix, index_dir)
    return ix.searcher()


def _up_to_date(searcher, index_dir) -> bool:
    try:
        return searcher.up_to_date()
    except Exception:  # the table of contents went missing or is damaged: reopen and report
        return False


def index_state(index_dir) -> dict:
    """Return the import state of the index with a notice for the adviser, if any."""
    st = read_status(index_dir)
    if st["state"] == "building":
        st["notice"] = _(
            "法规索引正在建立：已处理 {done} / {total} 个文件，结果可能不完整，请稍后再试。",
            done=st["done"],
            total=st["total"],
        )
    elif st["state"] == "interrupted":
        st["notice"] = _(
            "法规索引上次未建完（已处理 {done} / {total} 个文件）：请运行 {cmd} 补全。",
            done=st["done"],
            total=st["total"],
            cmd=st["mend"],
        )
    return st


def close_searchers() -> None:
    """Close this thread's cached searchers (tests and shutdown)."""
    for s, _filters in getattr(_local, "searchers", {}).values():
        s.close()
    _local.searchers = {}


def _positive_int(value, name: str, maximum: int | None = None) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise BadInput(_("{name} 应为整数，收到“{v}”。", name=name, v=value)) from None
    if n < 1:
        raise BadInput(_("{name} 至少为 1。", name=name))
    return min(n, maximum) if maximum else n


def _score(score) -> float:
    # Sorted by date, Whoosh hands back the sort key instead of a relevance score.
    return round(float(score), 3) if isinstance(score, int | float) else 0.0


def _hit(fields: dict, score, pat) -> dict:
    out = {
        "law": fields.get("law", ""),
        "label": fields.get("label", ""),
        "jurisdiction": fields.get("jurisdiction", ""),
        "level": fields.get("level", ""),
        "date": fields.get("date", ""),
        "path": fields.get("path", ""),
        "score": _score(score),
        "snippet": snippets.snippet(fields.get("text", ""), pat),
        "key": fields.get("key", ""),
        "kind": fields.get("kind", ""),
        "chapter": fields.get("chapter", ""),
        "seq": fields.get("seq"),
        "in_force": fields.get("validity") != "expired",
    }
    if out["kind"] != "precedent":
        out.update(
            project=fields.get("project"),
            draft=fields.get("draft"),
            version=fields.get("version", ""),
        )
    return out


def search(
    index_dir,
    q: str,
    *,
    limit: int = 20,
    page: int = 1,
    level=None,
    jurisdiction=None,
    year_from=None,
    year_to=None,
    in_force_only: bool = False,
    sort: str = "relevance",
    kind="precedent",
    projects: Iterable | None = None,
    group_by_law: bool = False,
) -> dict:
    """Search articles; return the CONTRACT.md `search --json` object (plus paging extras)."""
    started = time.perf_counter()
    limit = _positive_int(limit, "limit", MAX_LIMIT)
    page = _positive_int(page, "page")
    if sort not in SORTS:
        raise BadInput(_("未知的排序方式“{s}”（可选 relevance 或 date）。", s=sort))
    parsed = parse(q)
    if parsed.node is None:
        raise BadInput(_("请输入检索词，或用引号括起的短语。"))
    query = matching_query(parsed)
    if query is None:
        raise BadInput(_("检索式只有排除词（NOT …），请再加一个要查找的词。"))
    filter_q = filter_query(
        kind=kind,
        projects=projects,
        level=level,
        jurisdiction=jurisdiction,
        year_from=year_from,
        year_to=year_to,
        in_force_only=in_force_only,
    )
    state = index_state(index_dir)
    out = {
        "query": q,
        "total": 0,
        "took_ms": 0.0,
        "hits": [],
        "page": page,
        "limit": limit,
        "relaxed": False,
        "index": {k: state[k] for k in ("state", "done", "total")},
        "notices": ([state["notice"]] if "notice" in state else []) + parsed.notices,
    }
    if filter_q is None:
        out["took_ms"] = _ms(started)
        return out
    searcher, filters = _searcher(index_dir)
    allowed = docset(searcher, filters, filter_q)
    if not allowed:
        # Whoosh reads an empty filter as "no filter": never let that widen the scope.
        out["took_ms"] = _ms(started)
        return out
    sortedby = [FieldFacet("date", reverse=True), FieldFacet("seq")] if sort == "date" else None
    wanted = max(page * limit, GROUP_POOL if group_by_law else 0)
    results = _collect(searcher, query, wanted, allowed, sortedby)
    pasted = pastes(parsed.node)
    if results.is_empty() and len(pasted) == 1 and sortedby is None:
        # No article holds the paste whole: rank those holding most of it (a character or
        # two changed, a clause left out).
        near = near_query(pasted[0], lambda g: searcher.doc_frequency("chars", g))
        if near is not None:
            near_results = _collect(searcher, near, max(wanted, NEAR_POOL), allowed)
            if not near_results.is_empty():
                return _finish_near(
                    out, near_results, pasted[0], parsed, page, limit, started, group_by_law
                )
    if results.is_empty():
        relaxed = matching_query(parsed, relaxed=True)
        if relaxed is not None and repr(relaxed) != repr(query):
            results = _collect(searcher, relaxed, wanted, allowed, sortedby)
            out["relaxed"] = not results.is_empty()
    pat = snippets.pattern(parsed.highlights)
    out["total"] = len(results)
    start = (page - 1) * limit
    out["hits"] = [_hit(h.fields(), h.score, pat) for h in results[start : start + limit]]
    if group_by_law:
        out["groups"], out["total_groups"] = _groups(results, pat, page, limit)
    out["took_ms"] = _ms(started)
    return out


def _finish_near(out, results, paste, parsed, page, limit, started, group_by_law) -> dict:
    """Fill out with near matches of a paste, those holding most of it first."""
    pool = [(h.fields(), h.score) for h in results]
    head = sorted(
        pool[:NEAR_POOL], key=lambda fs: (-round(coverage(paste, fs[0].get("text", "")), 2), -fs[1])
    )
    ranked = head + pool[NEAR_POOL:]
    pat = snippets.pattern(parsed.highlights)
    out["total"] = len(results)
    out["near"] = True
    out["notices"].append(_("没有条文包含粘贴的全部文字，以下为最接近的条文。"))
    start = (page - 1) * limit
    out["hits"] = [_hit(f, score, pat) for f, score in ranked[start : start + limit]]
    if group_by_law:
        out["groups"], out["total_groups"] = _group_hits(ranked, pat, page, limit)
    out["took_ms"] = _ms(started)
    return out


def _collect(searcher, q, limit: int, allowed: set, sortedby=None, mask=None):
    """Run q and return Results with an exact total."""
    if sortedby:
        c = searcher.collector(limit=limit, sortedby=sortedby, filter=allowed, mask=mask)
    else:
        # Whoosh's default block-quality pruning undercounts `total` (and was no faster here).
        c = collectors.FilterCollector(
            collectors.TopCollector(limit=limit, usequality=False, replace=0),
            allow=allowed,
            restrict=mask,
        )
    searcher.search_with_collector(q, c)
    return c.results()


def _groups(results, pat, page: int, limit: int) -> tuple[list[dict], int]:
    """Group the best articles by law, best law first, each with its best articles."""
    return _group_hits([(h.fields(), h.score) for h in results[:GROUP_POOL]], pat, page, limit)


def _group_hits(ranked, pat, page: int, limit: int) -> tuple[list[dict], int]:
    groups: dict[str, dict] = {}
    for f, score in ranked[:GROUP_POOL]:
        g = groups.get(f["path"])
        if g is None:
            g = groups[f["path"]] = {
                "law": f.get("law", ""),
                "path": f["path"],
                "level": f.get("level", ""),
                "jurisdiction": f.get("jurisdiction", ""),
                "date": f.get("date", ""),
                "in_force": f.get("validity") != "expired",
                "score": _score(score),
                "count": 0,
                "hits": [],
            }
        g["count"] += 1
        if len(g["hits"]) < GROUP_ARTICLES:
            g["hits"].append(_hit(f, score, pat))
    ordered = list(groups.values())
    start = (page - 1) * limit
    return ordered[start : start + limit], len(ordered)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def similar_provisions(
    index_dir,
    text: str,
    *,
    limit: int = 10,
    exclude_path=None,
    kind="precedent",
    projects: Iterable | None = None,
) -> list[dict]:
    """Return the articles closest to text by key terms, higher-level law (上位法) first."""
    limit = _positive_int(limit, "limit", MAX_LIMIT)
    if not text or not text.strip():
        raise BadInput(_("没有可比较的文本。"))
    searcher, filters = _searcher(index_dir)
    # Single characters (的, 和, 处) say little about what a provision is about.
    terms = [
        (t, w)
        for t, w in searcher.key_terms_from_text("text", text[:5000], numterms=20)
        if len(t) > 1
    ][:12]
    if not terms:
        return []
    q = wq.Or([wq.Term("text", t, boost=w) for t, w in terms])
    filter_q = filter_query(kind=kind, projects=projects)
    if filter_q is None:
        return []
    allowed = docset(searcher, filters, filter_q)
    if not allowed:
        return []  # an empty filter would mean "everything" to Whoosh
    mask = wq.Term("path", exclude_path) if exclude_path else None
    results = _collect(searcher, q, limit, allowed, mask=mask)
    pat = snippets.pattern([[t] for t, _ in terms])
    best = results[0].score if len(results) else 1.0
    hits = []
    for h in results:
        hit = _hit(h.fields(), h.score, pat)
        hit["similarity"] = round(h.score / best, 3) if best else 0.0
        hit["rank"] = h.get("rank", 99)
        hits.append(hit)
    # The panel reads top-down from the 上位法 an adviser must respect.
    hits.sort(key=lambda h: (h["rank"], -h["score"]))
    return hits


def law_articles(index_dir, path: str, *, projects: Iterable | None = None) -> dict:
    """Return a whole law (or draft) by path: its details and all its articles in order."""
    if not path:
        raise BadInput(_("缺少法规路径（path）。"))
    searcher, _filters = _searcher(index_dir)
    docs = [searcher.stored_fields(n) for n in searcher.document_numbers(path=path)]
    allowed = set(as_list(projects))
    docs = [d for d in docs if sees_document(d, allowed)]
    if not docs:
        raise NotFound(_("找不到法规：{path}", path=path))
    docs.sort(key=lambda d: d.get("seq") or 0)
    first = docs[0]
    return {
        "law": first.get("law", ""),
        "path": path,
        "level": first.get("level", ""),
        "jurisdiction": first.get("jurisdiction", ""),
        "date": first.get("date", ""),
        "in_force": first.get("validity") != "expired",
        "kind": first.get("kind"),
        "articles": [
            {
                "key": d.get("key"),
                "label": d.get("label", ""),
                "chapter": d.get("chapter", ""),
                "text": d.get("text", ""),
                "seq": d.get("seq"),
            }
            for d in docs
        ],
    }
