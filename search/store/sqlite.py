"""The store on SQLite: a contentless FTS5 table `search_fts` whose rowid is search_doc.id."""

from __future__ import annotations

from sqlalchemy import text

from search.core.match import fts5
from search.store.common import COLUMNS, STALE_FACTOR, bound

# bm25 weights of the columns: a word in the law's title or the article's label counts more.
WEIGHTS = "2.0, 1.0"


def allocate_ids(conn, n: int) -> list[int]:
    """Return n unused ids: SQLite lets one writer in at a time, so max(id) stays ours."""
    # A write first, so that this transaction holds the write lock before reading max(id).
    conn.execute(text("UPDATE search_import SET id = id WHERE id = 0"))
    start = conn.execute(text("SELECT coalesce(max(id), 0) FROM search_doc")).scalar_one()
    return list(range(start + 1, start + 1 + n))


def insert(conn, rows: list[dict], tokens: list[tuple[list[str], list[str]]]) -> None:
    """Insert rows and their index entries."""
    cols = ", ".join(COLUMNS)
    conn.execute(
        bound(f"INSERT INTO search_doc ({cols}) VALUES (:{', :'.join(COLUMNS)})", {}), rows
    )
    conn.execute(
        text("INSERT INTO search_fts (rowid, head, body) VALUES (:id, :head, :body)"),
        [
            {"id": r["id"], "head": " ".join(h), "body": " ".join(b)}
            for r, (h, b) in zip(rows, tokens, strict=True)
        ],
    )


def delete(conn, where: str, params: dict, head_and_body) -> int:
    """Delete matching rows; a contentless index is told the tokens each row had."""
    rows = (
        conn.execute(
            bound(
                f"SELECT d.id, d.law, d.chapter, d.label, d.text FROM search_doc d WHERE {where}",
                params,
            ),
            params,
        )
        .mappings()
        .all()
    )
    if not rows:
        return 0
    entries = []
    for r in rows:
        head, body = head_and_body(r)
        entries.append({"id": r["id"], "head": " ".join(head), "body": " ".join(body)})
    conn.execute(
        text(
            "INSERT INTO search_fts (search_fts, rowid, head, body) "
            "VALUES ('delete', :id, :head, :body)"
        ),
        entries,
    )
    ids = [r["id"] for r in rows]
    for i in range(0, len(ids), 500):
        conn.execute(
            bound("DELETE FROM search_doc WHERE id IN :ids", {"ids": ids}),
            {"ids": ids[i : i + 500]},
        )
    return len(rows)


def clear(conn) -> None:
    """Empty the index and the rows."""
    conn.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
    conn.execute(text("DELETE FROM search_doc"))


def select(conn, tree, where, params, by_date, limit, offset):
    """Return (rows, total) of the matching articles, best (or newest) first."""
    expr = fts5(tree)
    if expr is None:
        return [], 0
    score = (
        f"bm25(search_fts, {WEIGHTS}) * (CASE WHEN d.validity IN ('superseded', 'expired') "
        f"THEN {STALE_FACTOR} ELSE 1.0 END)"
    )
    order = "date DESC, seq, id" if by_date else "score, rank, id"
    # FTS5's ranking functions refuse a window function beside them: rank in a CTE first.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT {', '.join('d.' + c for c in COLUMNS)}, {score} AS score "
        "FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH :match AND ({where})) "
        f"SELECT *, count(*) OVER () AS total FROM m ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    args = {**params, "match": expr, "limit": limit, "offset": offset}
    out, total = [], 0
    for r in conn.execute(bound(sql, params), args).mappings():
        row = dict(r)
        total = row.pop("total")
        row["score"] = -float(row["score"] or 0.0)
        out.append(row)
    if not out and offset:
        total = count(conn, tree, 10**9, where, params)
    return out, total


def count(conn, tree, cap: int, where: str = "1=1", params: dict | None = None) -> int:
    """Return how many articles match, up to cap."""
    expr = fts5(tree)
    if expr is None:
        return 0
    params = params or {}
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM search_fts JOIN search_doc d ON d.id = "
        f"search_fts.rowid WHERE search_fts MATCH :match AND ({where}) LIMIT :cap)"
    )
    return conn.execute(bound(sql, params), {**params, "match": expr, "cap": cap}).scalar_one()


def doc_frequencies(conn, tokens: list[str], cap: int) -> dict[str, int]:
    """Read document frequencies from the FTS5 vocabulary."""
    if not tokens:
        return {}
    rows = conn.execute(
        bound("SELECT term, doc FROM search_vocab WHERE term IN :terms", {"terms": tokens}),
        {"terms": tokens},
    )
    return {t: min(n, cap) for t, n in rows}
