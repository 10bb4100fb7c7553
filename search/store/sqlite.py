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


def analyze(conn) -> None:
    """Merge the FTS5 segments of a bulk import into one, as a bare build would leave them."""
    conn.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))


def clear(conn) -> None:
    """Empty the index and the rows."""
    conn.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
    conn.execute(text("DELETE FROM search_doc"))


def select(conn, tree, where, params, by_date, limit, offset):
    """Return (rows, total) of the matching articles, best (or newest) first."""
    expr = fts5(tree)
    if expr is None:
        return [], 0
    stale = f"CASE WHEN d.validity IN ('superseded', 'expired') THEN {STALE_FACTOR} ELSE 1.0 END"
    order = "k.date DESC, k.seq, k.id" if by_date else "k.score, k.rank, k.id"
    # Rank ids only (FTS5's functions refuse a window beside them), filter on the small
    # columns, and read whole rows for the page alone.
    sql = (
        "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, "
        f"{WEIGHTS}) AS bm FROM search_fts WHERE search_fts MATCH :match), "
        f"k AS (SELECT m.id, m.bm * {stale} AS score, d.date, d.seq, d.rank FROM m "
        f"CROSS JOIN search_doc d ON d.id = m.id WHERE {where}), "
        f"top AS (SELECT k.id, k.score, count(*) OVER () AS total FROM k ORDER BY {order} "
        "LIMIT :limit OFFSET :offset) "
        f"SELECT {', '.join('d.' + c for c in COLUMNS)}, top.score, top.total "
        "FROM top CROSS JOIN search_doc d ON d.id = top.id"
    )
    args = {**params, "match": expr, "limit": limit, "offset": offset}
    out, total = [], 0
    for r in conn.execute(bound(sql, params), args).mappings():
        row = dict(r)
        total = row.pop("total")
        row["score"] = -float(row["score"] or 0.0)
        out.append(row)
    if by_date:
        out.sort(key=lambda r: (r["date"], -r["seq"], -r["id"]), reverse=True)
    else:
        out.sort(key=lambda r: (-r["score"], r["rank"], r["id"]))
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
        "SELECT count(*) FROM (SELECT 1 FROM search_fts CROSS JOIN search_doc d ON d.id = "
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
