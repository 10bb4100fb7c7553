"""The store on PostgreSQL: a `tsv` tsvector column of search_doc with a GIN index.

Vectors and queries are written as tsvector/tsquery literals built by search.core, so no
text search parser or configuration touches the tokens (CJK included, whatever the locale).
"""

from __future__ import annotations

from sqlalchemy import text

from search.core.match import tsquery
from search.store.common import COLUMNS, STALE_FACTOR, bound

MAX_POSITION = 16383  # PostgreSQL's largest position in a tsvector; later tokens are dropped


def vector(head: list[str], body: list[str]) -> str:
    """Return the tsvector literal: heading tokens weighted A, a gap, then the text's."""
    positions: dict[str, list[str]] = {}
    for i, tok in enumerate(head, 1):
        positions.setdefault(tok, []).append(f"{i}A")
    start = len(head) + 2  # no phrase runs from the heading into the text
    for i, tok in enumerate(body[: MAX_POSITION - start], start):
        positions.setdefault(tok, []).append(str(i))
    return " ".join(f"'{t}':{','.join(p)}" for t, p in positions.items())


def allocate_ids(conn, n: int) -> list[int]:
    """Return n ids from the sequence."""
    rows = conn.execute(
        text("SELECT nextval('search_doc_id_seq') FROM generate_series(1, :n)"), {"n": n}
    )
    return [r[0] for r in rows]


def insert(conn, rows: list[dict], tokens: list[tuple[list[str], list[str]]]) -> None:
    """Insert rows with their vectors."""
    cols = ", ".join(COLUMNS)
    values = ", ".join(f":{c}" for c in COLUMNS)
    conn.execute(
        text(f"INSERT INTO search_doc ({cols}, tsv) VALUES ({values}, CAST(:tsv AS tsvector))"),
        [{**r, "tsv": vector(h, b)} for r, (h, b) in zip(rows, tokens, strict=True)],
    )


def delete(conn, where: str, params: dict, _head_and_body) -> int:
    """Delete matching rows (their vectors go with them)."""
    return conn.execute(bound(f"DELETE FROM search_doc d WHERE {where}", params), params).rowcount


def analyze(conn) -> None:
    """Refresh the planner's statistics after a bulk import (else it may scan every row)."""
    conn.execute(text("ANALYZE search_doc"))


def clear(conn) -> None:
    """Empty the store."""
    conn.execute(text("DELETE FROM search_doc"))


def select(conn, tree, where, params, by_date, limit, offset):
    """Return (rows, total) of the matching articles, best (or newest) first."""
    stale = f"CASE WHEN d.validity IN ('superseded', 'expired') THEN {STALE_FACTOR} ELSE 1.0 END"
    order = "k.date DESC, k.seq, k.id" if by_date else "k.score DESC, k.rank, k.id"
    # Rank and count on the small columns; whole rows are read for the page alone.
    sql = (
        f"WITH k AS (SELECT d.id, ts_rank(d.tsv, q.q) * {stale} AS score, d.date, d.seq, d.rank "
        "FROM search_doc d, (SELECT CAST(:match AS tsquery) AS q) q "
        f"WHERE d.tsv @@ q.q AND ({where})), "
        f"top AS (SELECT k.id, k.score, count(*) OVER () AS total FROM k ORDER BY {order} "
        "LIMIT :limit OFFSET :offset) "
        f"SELECT {', '.join('d.' + c for c in COLUMNS)}, top.score, top.total "
        "FROM top JOIN search_doc d ON d.id = top.id"
    )
    args = {**params, "match": tsquery(tree), "limit": limit, "offset": offset}
    out, total = [], 0
    for r in conn.execute(bound(sql, params), args).mappings():
        row = dict(r)
        total = row.pop("total")
        row["score"] = float(row["score"] or 0.0)
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
    params = params or {}
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM search_doc d WHERE d.tsv @@ CAST(:match AS tsquery) "
        f"AND ({where}) LIMIT :cap) x"
    )
    return conn.execute(
        bound(sql, params), {**params, "match": tsquery(tree), "cap": cap}
    ).scalar_one()


def doc_frequencies(conn, tokens: list[str], cap: int) -> dict[str, int]:
    """Count, per token, the articles holding it (up to cap), in one round trip."""
    if not tokens:
        return {}
    sql = text(
        "SELECT t, (SELECT count(*) FROM (SELECT 1 FROM search_doc d WHERE d.tsv @@ "
        "CAST(quote_literal(t) AS tsquery) LIMIT :cap) x) FROM unnest(CAST(:tokens AS text[])) t"
    )
    return {t: n for t, n in conn.execute(sql, {"tokens": tokens, "cap": cap})}
