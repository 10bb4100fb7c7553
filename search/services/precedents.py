"""Search services: precedent and workspace search, similar provisions, a whole law."""

from __future__ import annotations

import time
from collections.abc import Iterable

from concord.i18n import gettext as _
from concord.permissions.search import sees_document
from drafting.errors import BadInput, NotFound
from search import store
from search.core import snippets
from search.core.analysis import fold, phrase_tokens, units, words
from search.core.phrases import coverage, near_query
from search.core.query import FUNCTION_CHARS, matching_query, parse, pastes
from search.services.filters import as_list, filter_sql
from search.services.import_state import read_state, with_notice

SORTS = ("relevance", "date")
MAX_LIMIT = 100
GROUP_POOL = 200  # grouping by law looks at this many best articles
GROUP_ARTICLES = 3
NEAR_POOL = 50  # near matches of a paste re-ranked by how much of it they hold
SIMILAR_TERMS = 12
LABELS = {"in_force": "现行有效", "superseded": "已被修订", "expired": "已失效"}


def _conn(session):
    from sqlalchemy.orm import Session

    return session.connection() if isinstance(session, Session) else session


def index_state(session) -> dict:
    """Return the import state of the statutes with a notice for the adviser, if any."""
    return with_notice(read_state(_conn(session)))


def _positive_int(value, name: str, maximum: int | None = None) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise BadInput(_("{name} 应为整数，收到“{v}”。", name=name, v=value)) from None
    if n < 1:
        raise BadInput(_("{name} 至少为 1。", name=name))
    return min(n, maximum) if maximum else n


def _hit(row: dict, pat) -> dict:
    out = {
        "law": row["law"],
        "label": row["label"],
        "jurisdiction": row["jurisdiction"],
        "level": row["level"],
        "date": row["date"],
        "path": row["path"],
        "score": round(float(row.get("score") or 0.0), 3),
        "snippet": snippets.snippet(row["text"], pat),
        "key": row["key"],
        "kind": row["kind"],
        "chapter": row["chapter"],
        "seq": row["seq"],
        "in_force": row["validity"] not in ("expired", "superseded"),
        "validity": row["validity"],
    }
    if out["kind"] != "precedent":
        out.update(
            project=None if row["project_id"] is None else str(row["project_id"]),
            draft=None if row["draft_id"] is None else str(row["draft_id"]),
            version=row["version"],
        )
    return out


def search(
    session,
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
    own_jurisdiction: str | None = None,
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
    tree = matching_query(parsed)
    if tree is None:
        raise BadInput(_("检索式只有排除词（NOT …），请再加一个要查找的词。"))
    where = filter_sql(
        kind=kind,
        projects=projects,
        own_jurisdiction=own_jurisdiction,
        level=level,
        jurisdiction=jurisdiction,
        year_from=year_from,
        year_to=year_to,
        in_force_only=in_force_only,
    )
    conn = _conn(session)
    state = index_state(conn)
    out = {
        "query": q,
        "total": 0,
        "took_ms": 0.0,
        "hits": [],
        "page": page,
        "limit": limit,
        "relaxed": False,
        "index": {k: state[k] for k in ("state", "done", "total")},
        "notices": _state_notices(state, kind) + parsed.notices,
    }
    if group_by_law:
        out["groups"], out["total_groups"] = [], 0
    if where is None:
        out["took_ms"] = _ms(started)
        return out
    sql, params = where
    by_date = sort == "date"
    pool = GROUP_POOL if group_by_law else 0
    wanted = max(page * limit, pool)

    def run(t, n=wanted):
        return store.select_docs(conn, t, sql, params, by_date=by_date, limit=n)

    rows, total = run(tree)
    pasted = pastes(parsed.node)
    if not rows and len(pasted) == 1 and not by_date:
        # No article holds the paste whole: rank those holding most of it (a character or
        # two changed, a clause left out).
        near = near_query(pasted[0], lambda grams: store.doc_frequencies(conn, grams))
        if near is not None:
            rows, total = run(near, max(wanted, NEAR_POOL))
            if rows:
                head = sorted(
                    rows[:NEAR_POOL],
                    key=lambda r: (-round(coverage(pasted[0], r["text"]), 2), -r["score"]),
                )
                rows = head + rows[NEAR_POOL:]
                out["near"] = True
                out["notices"].append(_("没有条文包含粘贴的全部文字，以下为最接近的条文。"))
    if not rows:
        relaxed = matching_query(parsed, relaxed=True)
        if relaxed is not None and relaxed != tree:
            rows, total = run(relaxed)
            out["relaxed"] = bool(rows)
    pat = snippets.pattern(parsed.highlights)
    out["total"] = total
    start = (page - 1) * limit
    out["hits"] = [_hit(r, pat) for r in rows[start : start + limit]]
    if group_by_law:
        out["groups"], out["total_groups"] = _group_hits(rows, pat, page, limit)
    out["took_ms"] = _ms(started)
    return out


def _state_notices(state: dict, kind) -> list[str]:
    if "notice" not in state or (state["state"] == "missing" and "precedent" not in kinds_of(kind)):
        return []
    return [state["notice"]]


def kinds_of(kind) -> list[str]:
    """Return the kinds a `kind` argument names (all of them for None or "all")."""
    from search.services.filters import KINDS

    return [k for k in as_list(kind) if k != "all"] or list(KINDS)


def _group_hits(rows, pat, page: int, limit: int) -> tuple[list[dict], int]:
    """Group the best articles by law, best law first, each with its best articles."""
    groups: dict[str, dict] = {}
    for r in rows[:GROUP_POOL]:
        g = groups.get(r["path"])
        if g is None:
            g = groups[r["path"]] = {
                "law": r["law"],
                "path": r["path"],
                "level": r["level"],
                "jurisdiction": r["jurisdiction"],
                "date": r["date"],
                "in_force": r["validity"] not in ("expired", "superseded"),
                "validity": r["validity"],
                "score": round(float(r.get("score") or 0.0), 3),
                "count": 0,
                "rows": [],
            }
        g["count"] += 1
        if len(g["rows"]) < GROUP_ARTICLES:
            g["rows"].append(r)
    ordered = list(groups.values())
    start = (page - 1) * limit
    shown = ordered[start : start + limit]
    # Snippets only for the groups on this page: they are most of a search's work.
    for g in shown:
        g["hits"] = [_hit(r, pat) for r in g.pop("rows")]
    return shown, len(ordered)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def key_terms(conn, text: str, n: int = SIMILAR_TERMS) -> list[str]:
    """Return the words of text that say most about it: frequent in it, rare elsewhere."""
    folded = fold(text[:5000])[0]
    tf: dict[str, int] = {}
    for w in words(folded):
        if len(units(w)) > 1 and not all(ch in FUNCTION_CHARS for ch in w):
            tf[w] = tf.get(w, 0) + 1
    candidates = sorted(tf, key=lambda w: (-tf[w] * len(w), w))[:30]
    scored = []
    for w in candidates:
        df = store.count_matches(conn, ("phrase", tuple(phrase_tokens(w))))
        if df:
            scored.append((tf[w] / df, w))
    return [w for _s, w in sorted(scored, reverse=True)[:n]]


def similar_provisions(
    session,
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
    conn = _conn(session)
    where = filter_sql(kind=kind, projects=projects)
    if where is None:
        return []
    terms = key_terms(conn, text)
    if not terms:
        return []
    sql, params = where
    if exclude_path:
        sql, params = f"{sql} AND d.path <> :exclude", {**params, "exclude": exclude_path}
    tree = ("or", [("phrase", tuple(phrase_tokens(t))) for t in terms])
    rows, _total = store.select_docs(conn, tree, sql, params, limit=limit)
    pat = snippets.pattern([units(t) for t in terms])
    best = rows[0]["score"] if rows else 1.0
    hits = []
    for r in rows:
        hit = _hit(r, pat)
        hit["similarity"] = round(r["score"] / best, 3) if best else 0.0
        hit["rank"] = r["rank"]
        hits.append(hit)
    # The panel reads top-down from the 上位法 an adviser must respect.
    hits.sort(key=lambda h: (h["rank"], -h["score"]))
    return hits


def law_articles(
    session, path: str, *, projects: Iterable | None = None, own_jurisdiction: str | None = None
) -> dict:
    """Return a whole law (or draft) by path: its details and all its articles in order."""
    if not path:
        raise BadInput(_("缺少法规路径（path）。"))
    allowed = set(as_list(projects))
    docs = [
        d
        for d in store.law_rows(_conn(session), path)
        if sees_document(d, allowed, own_jurisdiction)
    ]
    if not docs:
        raise NotFound(_("找不到法规：{path}", path=path))
    first = docs[0]
    return {
        "law": first["law"],
        "path": path,
        "level": first["level"],
        "jurisdiction": first["jurisdiction"],
        "date": first["date"],
        "in_force": first["validity"] not in ("expired", "superseded"),
        "validity": first["validity"],
        "validity_label": LABELS.get(first["validity"], ""),
        "kind": first["kind"],
        "articles": [
            {
                "key": d["key"],
                "label": d["label"],
                "chapter": d["chapter"],
                "text": d["text"],
                "seq": d["seq"],
            }
            for d in docs
        ],
    }


def related_articles(session, text: str, *, project_id: int, limit: int = 40) -> dict[int, set]:
    """Return, per draft of a project, the ids of the articles the store finds closest to text."""
    try:
        hits = similar_provisions(session, text, limit=limit, kind="draft", projects=[project_id])
    except BadInput:
        return {}
    out: dict[int, set] = {}
    for h in hits:
        kind, draft, article = (h["key"].split(":") + ["", ""])[:3]
        if kind == "draft" and draft.isdigit() and article.isdigit():
            out.setdefault(int(draft), set()).add(int(article))
    return out
