"""Adviser query syntax (words, "phrases", AND/OR/NOT) turned into Whoosh queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from concord.i18n import gettext as _
from search.core.analysis import bigrams, fold, strip_controls, units, words
from search.core.phrases import Run

MAX_QUERY = 2000  # characters read; a longer paste is cut with a notice
MAX_LEAVES = 64  # words and phrases used; the rest are dropped with a notice
PASTE_UNITS = 8  # an unquoted run this long is pasted text: found as a phrase, nearly or exactly
PASTE_MAX_UNITS = 64  # a longer paste is matched on its beginning
MAX_DEPTH = 16  # brackets nested deeper are ignored
MAX_SCORING = 16  # words that rank a match; a long paste is ranked on its first ones
OPERATORS = {
    "AND": "and",
    "&&": "and",
    "与": "and",
    "且": "and",
    "OR": "or",
    "||": "or",
    "或": "or",
    "NOT": "not",
    "非": "not",
}
_LATIN_UNIT = re.compile(r"[a-z0-9]")
QUOTES = {'"': '"', "“": "”", "”": "“", "「": "」", "『": "』"}
# Single characters too common to mean anything as a search word.
FUNCTION_CHARS = set("的了和与及或在是等之其对为以于由")


@dataclass
class Parsed:
    """A parsed query: its syntax tree, notices about what was ignored, words to highlight."""

    node: tuple | None
    notices: list[str] = field(default_factory=list)
    highlights: list[list[str]] = field(default_factory=list)


def parse(q: str) -> Parsed:
    """Parse an adviser's query tolerantly, never failing on syntax; empty gives node None."""
    notices: list[str] = []
    q = strip_controls(q or "")
    if len(q) > MAX_QUERY:
        q = q[:MAX_QUERY]
        notices.append(_("检索式过长，只使用了前 {n} 个字符。", n=MAX_QUERY))
    tokens = _lex(unicodedata.normalize("NFKC", q), notices)
    leaves = [i for i, t in enumerate(tokens) if t[0] in ("word", "phrase")]
    if len(leaves) > MAX_LEAVES:
        tokens = tokens[: leaves[MAX_LEAVES]]
        notices.append(_("检索词过多，只使用了前 {n} 个。", n=MAX_LEAVES))
    p = _Parser(tokens, notices)
    node = p.parse()
    out = Parsed(node, list(dict.fromkeys(notices)))
    _collect_highlights(node, out.highlights)
    return out


def _lex(q: str, notices: list[str]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            close = QUOTES[ch]
            j = q.find(close, i + 1)
            if j < 0:
                notices.append(_("引号不成对：其后的内容已按短语检索。"))
                j = n
            if q[i + 1 : j].strip():
                tokens.append(("phrase", q[i + 1 : j]))
            i = j + 1
        elif ch in "()":
            tokens.append((ch, ch))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in QUOTES and q[j] not in "()":
                j += 1
            word = q[i:j]
            i = j
            if word in OPERATORS:
                tokens.append((OPERATORS[word], word))
            elif word.startswith("-") and len(word) > 1:
                tokens.append(("not", "-"))
                tokens.append(("word", word[1:]))
            else:
                word = word.lstrip("+")
                if word:
                    tokens.append(("word", word))
    return tokens


class _Parser:
    """Recursive descent that skips what it cannot use instead of raising."""

    def __init__(self, tokens, notices):
        self.tokens = tokens
        self.i = 0
        self.notices = notices
        self.depth = 0

    def peek(self):
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def parse(self):
        parts = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                parts.append(node)
            if self.peek() == ")":
                self.notices.append(_("括号不成对，已忽略。"))
                self.i += 1
        return _combine("and", parts)

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() == "or":
            self.i += 1
            parts.append(self.parse_and())
        return _combine("or", [p for p in parts if p is not None])

    def parse_and(self):
        parts = []
        while self.peek() not in (None, ")", "or"):
            if self.peek() == "and":
                self.i += 1
                continue
            node = self.parse_unary()
            if node is not None:
                parts.append(node)
        return _combine("and", parts)

    def parse_unary(self):
        negations = 0
        while self.peek() == "not":
            self.i += 1
            negations += 1
        if negations and self.peek() in (None, ")", "or", "and"):
            return None  # a lone NOT means nothing
        node = self.parse_atom()
        if node is None or negations % 2 == 0:
            return node
        return ("not", node)

    def parse_atom(self):
        kind, text = self.tokens[self.i]
        self.i += 1
        if kind == "(":
            if self.depth >= MAX_DEPTH:
                return None  # deeper brackets add nothing an adviser means; ignore them
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            else:
                self.notices.append(_("括号不成对，已忽略。"))
            return node
        if kind == "word" and len(units(fold(text)[0])) >= PASTE_UNITS:
            return ("paste", text)
        if kind in ("word", "phrase"):
            return (kind, text)
        return None


def _combine(op, parts):
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return (op, parts)


def _collect_highlights(node, out: list[list[str]]) -> None:
    if node is None:
        return
    kind = node[0]
    if kind == "word":
        for w in _words(node[1]):
            out.append(units(w))
    elif kind == "phrase":
        us = units(fold(node[1])[0])
        if us:
            out.append(us)
    elif kind == "paste":
        us = paste_units(node[1])
        out.append(us)
        # A near match differs somewhere: its matching pieces are highlighted instead.
        out.extend(us[i : i + 4] for i in range(0, len(us), 4))
    elif kind in ("and", "or"):
        for child in node[1]:
            _collect_highlights(child, out)
    # NOT parts are not highlighted: they are, by definition, absent.


def _words(text: str) -> list[str]:
    folded = fold(text)[0]
    ws = _join_lone_characters([w for w in words(folded) if units(w)])
    return [w for w in ws if not (len(w) == 1 and w in FUNCTION_CHARS)] or ws


def _join_lone_characters(ws: list[str]) -> list[str]:
    """Join runs of single characters jieba does not know as words (河/长/制 → 河长制).

    A lone character matches nearly every article; the run is what the adviser typed.
    """
    out: list[str] = []
    run: list[str] = []
    for w in [*ws, ""]:
        if len(w) == 1 and not _LATIN_UNIT.match(w) and w not in FUNCTION_CHARS:
            run.append(w)
            continue
        if run:
            out.append("".join(run))
            run = []
        if w:
            out.append(w)
    return out


def paste_units(text: str) -> list[str]:
    """Return the units of pasted text that the search uses (its beginning if very long)."""
    return units(fold(text)[0])[:PASTE_MAX_UNITS]


def pastes(node) -> list[str]:
    """Return the pasted runs of text (long unquoted runs) a query asks for."""
    if node is None or node[0] == "not":
        return []
    if node[0] == "paste":
        return [" ".join(paste_units(node[1]))]
    if node[0] in ("and", "or"):
        return [p for c in node[1] for p in pastes(c)]
    return []


def has_positive(node) -> bool:
    """Tell whether the query asks for something rather than only excluding."""
    if node is None:
        return False
    kind = node[0]
    if kind in ("word", "phrase", "paste"):
        return True
    if kind == "not":
        return False
    if kind == "or":
        return all(has_positive(c) for c in node[1])
    return any(has_positive(c) for c in node[1])


def _chars_match(text: str) -> wq.Query | None:
    """Match a folded text as a substring, whatever the word boundaries around it."""
    us = units(text)
    if not us:
        return None
    if len(us) == 1:
        u = us[0]
        if re.match(r"[a-z0-9]", u):
            return wq.Term("chars", u)
        # The bigram field has no single characters: any bigram starting with it will do.
        return wq.Or([wq.Term("text", u), wq.Term("law", u), wq.Prefix("chars", u)])
    grams = bigrams(text)
    if len(grams) == 1:
        return wq.Term("chars", grams[0])
    return Run("chars", grams)


def to_query(node, *, relaxed: bool = False) -> wq.Query | None:
    """Build the matching query: every word (AND) or, relaxed, any word (OR)."""
    if relaxed:
        nodes = list(_positive_leaves(node))
        # Any of the words, but not any single character: that would match nearly everything.
        nodes = [n for n in nodes if len(units(fold(n[1])[0])) > 1] or nodes
        leaves = [q for q in (_leaf(n) for n in nodes) if q is not None]
        if not leaves:
            return None
        # Relaxing turns AND into OR but still honours what the adviser excluded.
        excluded = [q for q in (_build(n) for n in _negated(node)) if q is not None]
        if excluded:
            # And+Not rather than AndNot: Whoosh's AndNot ignored the exclusion in testing.
            return wq.And([wq.Or(leaves), wq.Not(wq.Or(excluded))])
        return wq.Or(leaves)
    return _build(node)


def _negated(node):
    if node is None:
        return
    if node[0] == "not":
        yield node[1]
    elif node[0] in ("and", "or"):
        for c in node[1]:
            yield from _negated(c)


def _positive_leaves(node):
    if node is None:
        return
    if node[0] in ("word", "phrase", "paste"):
        if node[0] in ("word", "paste"):
            for w in _words(node[1]):
                yield ("phrase", w)
        else:
            yield node
    elif node[0] in ("and", "or"):
        for c in node[1]:
            yield from _positive_leaves(c)


def _leaf(node) -> wq.Query | None:
    return _chars_match(fold(node[1])[0])


def _build(node) -> wq.Query | None:
    kind = node[0]
    if kind == "phrase":
        return _leaf(node)
    if kind == "paste":
        return _chars_match(" ".join(paste_units(node[1])))
    if kind == "word":
        ws = _words(node[1])
        # Lone characters depend on how jieba happened to cut: they rank, but only a query
        # made of nothing else requires them.
        ws = [w for w in ws if len(units(w)) > 1 or re.match(r"[a-z0-9]", w)] or ws
        parts = [q for q in (_chars_match(w) for w in ws) if q is not None]
        return wq.And(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if kind == "not":
        inner = _build(node[1])
        return wq.Not(inner) if inner is not None else None
    children = [q for q in (_build(c) for c in node[1]) if q is not None]
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return wq.And(children) if kind == "and" else wq.Or(children)


def scoring_query(node) -> wq.Query | None:
    """Return the jieba words that rank matches (BM25 on text and title).

    Words as the index cuts them (default mode): search mode's extra parts would only add
    long postings lists to walk for every match.
    """
    terms: list[str] = []
    for leaf in _positive_leaves(node):
        for t in words(fold(leaf[1])[0]):
            if t not in terms and not (len(t) == 1 and t in FUNCTION_CHARS):
                terms.append(t)
    if not terms:
        return None
    return wq.Or([wq.Term(f, t) for t in terms[:MAX_SCORING] for f in ("text", "law")])


def matching_query(parsed: Parsed, *, relaxed: bool = False) -> wq.Query | None:
    """Combine the boolean match with relevance terms; None when nothing can match."""
    if not has_positive(parsed.node):
        return None
    required = to_query(parsed.node, relaxed=relaxed)
    if required is None:
        return None
    scoring = scoring_query(parsed.node)
    return wq.AndMaybe(required, scoring) if scoring is not None else required
