"""Adviser query syntax (words, "phrases", AND/OR/NOT) turned into Whoosh queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher

from drafting.errors import BadInput
from drafting.i18n import gettext as _
from search.core.analysis import bigrams, fold, search_words, units, words

MAX_QUERY = 500
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
    if q is None:
        q = ""
    if len(q) > MAX_QUERY:
        raise BadInput(_("检索式过长（超过 {n} 个字符）。", n=MAX_QUERY))
    notices: list[str] = []
    tokens = _lex(unicodedata.normalize("NFKC", q), notices)
    p = _Parser(tokens, notices)
    node = p.parse()
    out = Parsed(node, notices)
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
        if self.peek() == "not":
            self.i += 1
            if self.peek() in (None, ")", "or", "and"):
                return None  # a lone NOT means nothing
            inner = self.parse_unary()
            return ("not", inner) if inner is not None else None
        return self.parse_atom()

    def parse_atom(self):
        kind, text = self.tokens[self.i]
        self.i += 1
        if kind == "(":
            node = self.parse_or()
            if self.peek() == ")":
                self.i += 1
            else:
                self.notices.append(_("括号不成对，已忽略。"))
            return node
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
    elif kind in ("and", "or"):
        for child in node[1]:
            _collect_highlights(child, out)
    # NOT parts are not highlighted: they are, by definition, absent.


def _words(text: str) -> list[str]:
    folded = fold(text)[0]
    ws = [w for w in words(folded) if units(w)]
    return [w for w in ws if not (len(w) == 1 and w in FUNCTION_CHARS)] or ws


def has_positive(node) -> bool:
    """Tell whether the query asks for something rather than only excluding."""
    if node is None:
        return False
    kind = node[0]
    if kind in ("word", "phrase"):
        return True
    if kind == "not":
        return False
    if kind == "or":
        return all(has_positive(c) for c in node[1])
    return any(has_positive(c) for c in node[1])


def _cover(n: int) -> list[int]:
    """Return offsets of bigrams that cover n+1 units without gaps: 0, 2, 4 … and the last."""
    offsets = list(range(0, n, 2))
    if offsets[-1] != n - 1:
        offsets.append(n - 1)
    return offsets


class Run(wq.Phrase):
    """A run of units matched by non-overlapping bigrams at exact offsets.

    Whoosh's own Phrase builds span objects for every candidate and was the largest cost of a
    query; a run only needs the covering bigrams and one set lookup per bigram.
    """

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        offsets = _cover(len(self.words))
        subs = []
        for i in offsets:
            if (self.fieldname, self.words[i]) not in reader:
                return NullMatcher()
            subs.append((i, wq.Term(self.fieldname, self.words[i]).matcher(searcher, context)))
        return _RunMatcher(subs, self.boost)


class _RunMatcher(WrappingMatcher):
    def __init__(self, subs, boost=1.0):
        child = subs[0][1]
        for _pos, m in subs[1:]:
            child = IntersectionMatcher(child, m)
        super().__init__(child, boost)
        self.subs = subs
        self._align()

    def _aligned(self) -> bool:
        first = self.subs[0][1].value_as("positions")
        rest = [(i, set(m.value_as("positions"))) for i, m in self.subs[1:]]
        return any(all(p + i in ps for i, ps in rest) for p in first)

    def _align(self) -> None:
        while self.child.is_active() and not self._aligned():
            self.child.next()

    def copy(self):
        return _RunMatcher([(i, m.copy()) for i, m in self.subs], self.boost)

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self):
        return False  # block maxima ignore the position check

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def reset(self):
        self.child.reset()
        self._align()

    def next(self):
        self.child.next()
        self._align()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._align()


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
        leaves = [q for q in (_leaf(n) for n in _positive_leaves(node)) if q is not None]
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
    if node[0] in ("word", "phrase"):
        if node[0] == "word":
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
    """Return the jieba search-mode terms that rank matches (BM25 on text and title)."""
    terms: list[str] = []
    for leaf in _positive_leaves(node):
        for t in search_words(fold(leaf[1])[0]):
            if t not in terms and not (len(t) == 1 and t in FUNCTION_CHARS):
                terms.append(t)
    if not terms:
        return None
    return wq.Or([wq.Term(f, t) for t in terms for f in ("text", "law")])


def matching_query(parsed: Parsed, *, relaxed: bool = False) -> wq.Query | None:
    """Combine the boolean match with relevance terms; None when nothing can match."""
    if not has_positive(parsed.node):
        return None
    required = to_query(parsed.node, relaxed=relaxed)
    if required is None:
        return None
    scoring = scoring_query(parsed.node)
    return wq.AndMaybe(required, scoring) if scoring is not None else required
