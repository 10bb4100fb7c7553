"""Match trees (search.core.query) written in each engine's syntax: FTS5 MATCH and tsquery.

Tokens hold only letters, digits, "_" and "." (search.core.analysis), so quoting them is
enough: no adviser's text ever reaches either syntax unquoted.
"""

from __future__ import annotations


def fts5(tree) -> str | None:
    """Return the FTS5 MATCH expression of a match tree (None if it only excludes)."""
    expr, negs = _fts5(tree)
    if expr is None:
        return None
    return _with_negs(expr, negs)


def _with_negs(expr: str, negs: list[str]) -> str:
    # FTS5's NOT is binary ("a NOT b"): exclusions hang off what is asked for.
    return "".join([f"({expr})", *(f" NOT ({n})" for n in negs)]) if negs else expr


def _fts5(node) -> tuple[str | None, list[str]]:
    kind = node[0]
    if kind == "phrase":
        return '"' + " ".join(node[1]) + '"', []
    if kind == "prefix":
        return f'"{node[1]}"*', []
    if kind == "not":
        inner = fts5(node[1])
        return None, ([inner] if inner else [])
    parts = [_fts5(c) for c in node[1]]
    if kind == "and":
        pos = [e for e, _n in parts if e is not None]
        negs = [n for _e, ns in parts for n in ns]
        if not pos:
            return None, negs
        return (pos[0] if len(pos) == 1 else " AND ".join(f"({e})" for e in pos)), negs
    # OR: a branch that only excludes cannot stand on its own in FTS5; it is left out.
    alts = [_with_negs(e, ns) for e, ns in parts if e is not None]
    if not alts:
        return None, []
    return (alts[0] if len(alts) == 1 else " OR ".join(f"({e})" for e in alts)), []


def tsquery(tree) -> str:
    """Return the PostgreSQL tsquery text of a match tree (cast with ::tsquery, no parser)."""
    kind = tree[0]
    if kind == "phrase":
        return "(" + " <-> ".join(f"'{t}'" for t in tree[1]) + ")"
    if kind == "prefix":
        return f"'{tree[1]}':*"
    if kind == "not":
        return f"!{tsquery(tree[1])}"
    op = " & " if kind == "and" else " | "
    return "(" + op.join(tsquery(c) for c in tree[1]) + ")"


def tokens_of(tree) -> list[str]:
    """Return every token a tree names (for document frequencies)."""
    if tree[0] == "phrase":
        return list(tree[1])
    if tree[0] == "prefix":
        return []
    if tree[0] == "not":
        return tokens_of(tree[1])
    return [t for c in tree[1] for t in tokens_of(c)]
