"""The search store: `search_doc` rows and their full-text index, on SQLite or PostgreSQL.

The analysis is the same for both engines (search.core); only the SQL differs: an FTS5
table on SQLite (search.store.sqlite), a tsvector column with a GIN index on PostgreSQL
(search.store.postgres). Every function takes the caller's connection, so index entries
commit in the caller's transaction, together with the change they follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection

from search.core.analysis import fold, index_tokens
from search.store import postgres, sqlite
from search.store.common import COLUMNS, COUNT_CAP, bound

__all__ = ["COLUMNS", "bound"]


def engine_of(conn: Connection):
    """Return the module that speaks this connection's full-text dialect."""
    return postgres if conn.dialect.name == "postgresql" else sqlite


def head_and_body(doc: dict) -> tuple[list[str], list[str]]:
    """Return the index tokens of an article's heading (law, chapter, label) and of its text."""
    head = " ".join(str(doc.get(k) or "") for k in ("law", "chapter", "label"))
    return index_tokens(fold(head)[0]), index_tokens(fold(doc.get("text") or "")[0])


def write_docs(conn: Connection, docs: Iterable[dict]) -> int:
    """Add articles to the store (their keys must be new); return how many."""
    rows = [{c: d.get(c) for c in COLUMNS if c != "id"} for d in docs]
    if not rows:
        return 0
    eng = engine_of(conn)
    for row, new_id in zip(rows, eng.allocate_ids(conn, len(rows)), strict=True):
        row["id"] = new_id
    eng.insert(conn, rows, [head_and_body(r) for r in rows])
    return len(rows)


def delete_docs(conn: Connection, where: str, params: dict | None = None) -> int:
    """Remove the articles matching an SQL condition on search_doc (alias d); return how many."""
    return engine_of(conn).delete(conn, where, params or {}, head_and_body)


def delete_keys(conn: Connection, keys: Iterable[str]) -> int:
    """Remove articles by key."""
    keys = list(keys)
    if not keys:
        return 0
    n = 0
    for i in range(0, len(keys), 500):
        n += delete_docs(conn, "d.key IN :keys", {"keys": keys[i : i + 500]})
    return n


def analyze(conn: Connection) -> None:
    """Tidy the index after a bulk import (FTS5 optimize; PostgreSQL statistics)."""
    engine_of(conn).analyze(conn)


def clear(conn: Connection) -> None:
    """Remove every article and its index entries (tests, full rebuilds)."""
    engine_of(conn).clear(conn)


def select_docs(
    conn: Connection,
    tree,
    where: str,
    params: dict,
    *,
    by_date: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """Return the best articles matching a match tree and an SQL filter, and how many match."""
    return engine_of(conn).select(conn, tree, where, params, by_date, limit, offset)


def doc_frequencies(conn: Connection, tokens: list[str]) -> dict[str, int]:
    """Return in how many articles each token occurs (counted up to COUNT_CAP)."""
    return engine_of(conn).doc_frequencies(conn, list(dict.fromkeys(tokens)), COUNT_CAP)


def count_matches(conn: Connection, tree, cap: int = COUNT_CAP) -> int:
    """Return how many articles a match tree finds, counted up to cap."""
    return engine_of(conn).count(conn, tree, cap)


def law_rows(conn: Connection, path: str) -> list[dict]:
    """Return the articles of one law (or draft, or version) in order."""
    sql = text(
        f"SELECT {', '.join('d.' + c for c in COLUMNS)} FROM search_doc d "
        "WHERE d.path = :path ORDER BY d.seq, d.id"
    )
    return [dict(r._mapping) for r in conn.execute(sql, {"path": path})]
