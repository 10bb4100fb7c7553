"""What both engines' SQL shares: the columns of search_doc, ranking constants, list parameters."""

from __future__ import annotations

from sqlalchemy import bindparam, text

COLUMNS = (
    "id key kind project_id draft_id owner_code version path law level rank jurisdiction date "
    "year validity label seq chapter text"
).split()
# Superseded and expired statutes rank below the law in force that matches as well.
STALE_FACTOR = 0.5
COUNT_CAP = 5000  # document frequencies are counted up to this; beyond, a word is common


def bound(sql: str, params: dict):
    """Return a text() clause with list parameters expanded (IN :name)."""
    clause = text(sql)
    lists = [bindparam(k, expanding=True) for k, v in params.items() if isinstance(v, list)]
    return clause.bindparams(*lists) if lists else clause
