"""Near matches of pasted text: candidates holding its rarest tokens, ranked by how many."""

from __future__ import annotations

from collections.abc import Callable

from search.core.analysis import fold, phrase_tokens

NEAR_REQUIRED = 6  # a near match must hold one of the paste's this many rarest tokens


def near_query(paste: str, doc_frequency: Callable[[list[str]], dict[str, int]]) -> tuple | None:
    """Return the match tree of text that nearly holds a paste: one of its rarest tokens.

    A character or two changed breaks at most four tokens, so requiring one of the rarest six
    keeps the source among the candidates while reading only short lists; the rest rank.
    """
    grams = list(dict.fromkeys(phrase_tokens(paste)))
    if len(grams) < 2:
        return None
    df = doc_frequency(grams)
    known = [g for g in grams if df.get(g, 0) > 0]
    if not known:
        return None
    rare = sorted(known, key=lambda g: df[g])[:NEAR_REQUIRED]
    return (
        "and",
        [("or", [("phrase", (g,)) for g in rare]), ("or", [("phrase", (g,)) for g in known])],
    )


def coverage(paste: str, text: str) -> float:
    """Return the share of a paste's tokens that a text holds (1.0: all of them)."""
    grams = set(phrase_tokens(paste))
    if not grams:
        return 0.0
    return len(grams & set(phrase_tokens(fold(text)[0]))) / len(grams)
