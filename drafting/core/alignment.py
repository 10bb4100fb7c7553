"""Align parallel regulations article by article (区域协同立法的文本比对), by content not number."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from drafting.core.numbering import cite_groups, label_number
from drafting.core.placenames import derive_names, neutraliser
from drafting.core.tree import Document, article_text

# Tuned on bench/eval_reconcile.py: unrelated articles of one regulation share boilerplate
# bigrams (应当, 部门, 人民政府) and score about 0.1-0.3; a counterpart with a fifth of its
# words rewritten still scores above 0.5.
THRESHOLD = 0.4
FLOOR = 0.2
GAIN = 0.01
CONTAINED = 0.5
# A city's cell against the pivot's, in the order summaries show them.
CELL_STATUSES = ("identical", "equivalent", "modified", "missing", "city_only")


@dataclass(frozen=True)
class Article:
    """One article of one version: a stable key, its label (第三条), text and chapter heading."""

    key: Hashable
    label: str
    text: str
    chapter: str | None = None


Version = Sequence[Article]


@dataclass
class Group:
    """Articles of several versions that correspond; `members` maps version index to keys."""

    members: dict[int, list[Hashable]]
    status: str
    similarity: float
    notes: list[str] = field(default_factory=list)


_NONWORD = re.compile(r"[^\w]|_")


def bigrams(neutral: str) -> frozenset[str]:
    """Return the character bigrams of a neutralised text, ignoring punctuation and spaces."""
    s = _NONWORD.sub("", neutral)
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i : i + 2] for i in range(len(s) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Return the Dice coefficient of two bigram sets."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


# ---------------------------------------------------------------- alignment


@dataclass
class _Slot:
    """A row of the alignment being built: the members so far and the text it is compared by."""

    members: dict[int, list[int]]
    grams: frozenset[str]
    notes: set[str] = field(default_factory=set)


def _candidates(slots: list[_Slot], grams: list[frozenset[str]]) -> dict[tuple[int, int], float]:
    """Return Dice scores at least FLOOR between slots and articles, via an inverted index."""
    postings: dict[str, list[int]] = {}
    for s, slot in enumerate(slots):
        for g in slot.grams:
            postings.setdefault(g, []).append(s)
    sizes = [len(slot.grams) for slot in slots]
    out: dict[tuple[int, int], float] = {}
    empty: list[int] = []
    for j, b in enumerate(grams):
        if not b:
            continue
        # Counter over a chain of postings counts shared bigrams in C, which keeps the
        # all-pairs comparison of 10 x 300 articles well under a second.
        counts = Counter(chain.from_iterable(postings.get(g, empty) for g in b))
        nb = len(b)
        for s, c in counts.items():
            score = 2 * c / (sizes[s] + nb)
            if score >= FLOOR:
                out[s, j] = score
    return out


def _chain(pairs: dict[tuple[int, int], float], n_slots: int) -> list[tuple[int, int]]:
    """Return the order-preserving set of pairs with the largest total score above THRESHOLD."""
    by_j: dict[int, list[tuple[int, float]]] = {}
    for (s, j), score in pairs.items():
        if score >= THRESHOLD:
            by_j.setdefault(j, []).append((s, score))
    # Fenwick tree over slot positions holding (best total, item) for prefix maxima.
    tree: list[tuple[float, int]] = [(0.0, -1)] * (n_slots + 1)
    items: list[tuple[int, int, int]] = []  # (slot, article, previous item)
    best: tuple[float, int] = (0.0, -1)
    for j in sorted(by_j):
        row = []
        for s, score in by_j[j]:
            i, top = s, (0.0, -1)
            while i > 0:
                if tree[i][0] > top[0]:
                    top = tree[i]
                i -= i & -i
            # Small bonus for exact matches keeps identical twins paired in order.
            row.append((s, top[0] + score - THRESHOLD + (1e-6 if score == 1 else 0), top[1]))
        for s, total, prev in row:
            items.append((s, j, prev))
            entry = (total, len(items) - 1)
            if total > best[0]:
                best = entry
            i = s + 1
            while i <= n_slots:
                if tree[i][0] < total:
                    tree[i] = entry
                i += i & -i
    out = []
    k = best[1]
    while k >= 0:
        s, j, k = items[k]
        out.append((s, j))
    return out[::-1]


def _align_version(
    slots: list[_Slot], v: int, grams: list[frozenset[str]], pinned: dict[int, int]
) -> list[_Slot]:
    """Add version v's articles (by position) to the slots; return the new slot list."""
    taken = set(pinned.values())
    pairs = {
        (s, j): score
        for (s, j), score in _candidates(slots, grams).items()
        if s not in taken and j not in pinned
    }
    match: dict[int, int] = dict(pinned)  # article -> slot
    for s, j in _chain(pairs, len(slots)):
        match[j] = s
    _absorb_splits(slots, grams, match)
    merged = _absorb_merges(slots, grams, match, pinned)

    # Moves: articles left over on both sides that still match well, best pairs first.
    used = set(match.values()) | merged
    moved: set[int] = set()
    for score, s, j in sorted(((sc, s, j) for (s, j), sc in pairs.items()), reverse=True):
        if score >= THRESHOLD and j not in match and s not in used:
            match[j] = s
            used.add(s)
            moved.add(j)
            slots[s].notes.add("moved")
    _absorb_splits(slots, grams, match)

    for j, s in match.items():
        slots[s].members.setdefault(v, []).append(j)
    for s in merged:
        slots[s].members = {}  # absorbed into a neighbour
    # Unmatched articles become new slots, placed after the slot of the article before them;
    # moved articles are no guide to where their neighbours belong.
    after: dict[int, list[_Slot]] = {}
    anchor = -1
    moved_slots = {match[j] for j in moved}
    for j in range(len(grams)):
        if j not in match:
            after.setdefault(anchor, []).append(_Slot({v: [j]}, grams[j]))
        elif match[j] not in moved_slots:
            anchor = match[j]
    out = after.get(-1, [])
    for s, slot in enumerate(slots):
        if slot.members:
            out.append(slot)
        out.extend(after.get(s, []))
    return out


def _absorb_splits(slots: list[_Slot], grams: list[frozenset[str]], match: dict[int, int]) -> None:
    """Join an unmatched article to its matched neighbour when together they match better."""
    for j, s in sorted(match.items()):
        whole = slots[s].grams
        parts = grams[j]
        current = dice(whole, parts)
        for step in (1, -1):
            k = j + step
            while 0 <= k < len(grams) and k not in match:
                joined = parts | grams[k]
                gain = dice(whole, joined)
                if gain < current + GAIN or _contained(grams[k], whole) < CONTAINED:
                    break
                match[k] = s
                slots[s].notes.add("split")
                parts, current = joined, gain
                k += step


def _absorb_merges(
    slots: list[_Slot], grams: list[frozenset[str]], match: dict[int, int], pinned: dict[int, int]
) -> set[int]:
    """Join an unmatched slot to its matched neighbour when together they match one article."""
    used = Counter(match.values())
    merged: set[int] = set()
    for j, s in sorted(match.items()):
        if used[s] != 1 or j in pinned:
            continue
        whole = grams[j]
        current = dice(slots[s].grams, whole)
        for step in (1, -1):
            t = s + step
            while 0 <= t < len(slots) and t not in used and t not in merged:
                joined = slots[s].grams | slots[t].grams
                gain = dice(joined, whole)
                if gain < current + GAIN or _contained(slots[t].grams, whole) < CONTAINED:
                    break
                for w, keys in slots[t].members.items():
                    slots[s].members.setdefault(w, []).extend(keys)
                slots[s].grams = joined
                slots[s].notes.add("merged")
                merged.add(t)
                current = gain
                t += step
    return merged


def align(
    versions: Sequence[Version],
    *,
    names: Iterable[str] = (),
    pins: Iterable[tuple[int, Hashable, int, Hashable]] = (),
) -> list[Group]:
    """Align versions' articles by content into groups, in the first version's reading order.

    Each later version is aligned against the rows built so far (the first version plus the
    extra articles of the versions before it) with an order-preserving chain over bigram
    similarity, then moved, split and merged articles are recognised. A pin (i, key_i, j, key_j)
    forces two articles into one group.
    """
    names = tuple(names)
    neutral_text = neutraliser(names)
    neutral = [[neutral_text(a.text) for a in v] for v in versions]
    grams = [[bigrams(t) for t in v] for v in neutral]
    position = [{a.key: j for j, a in enumerate(v)} for v in versions]
    forced: dict[int, list[tuple[int, int, int]]] = {}
    for i, ki, j, kj in pins:
        if i == j:
            raise ValueError("a pin joins articles of two different versions")
        if i > j:
            i, ki, j, kj = j, kj, i, ki
        try:
            forced.setdefault(j, []).append((i, position[i][ki], position[j][kj]))
        except (KeyError, IndexError) as exc:
            raise ValueError(f"pinned article not found: {exc}") from None

    slots: list[_Slot] = []
    for v, vgrams in enumerate(grams):
        pinned = {}
        for i, pi, pj in forced.get(v, []):
            s = next(s for s, slot in enumerate(slots) if pi in slot.members.get(i, ()))
            pinned[pj] = s
        slots = _align_version(slots, v, vgrams, pinned)

    # Internal citations follow renumbering (本条例第七条 becomes 第八条 after an insertion), so
    # they are compared by the group of the article they cite, not by its number.
    slot_of = [{} for _ in versions]
    for s, slot in enumerate(slots):
        for v, js in slot.members.items():
            for j in js:
                slot_of[v][j] = s
    for v, texts in enumerate(neutral):
        by_number = {label_number(a.label): slot_of[v][j] for j, a in enumerate(versions[v])}
        neutral[v] = [cite_groups(t, by_number) for t in texts]

    groups = []
    for slot in slots:
        members = {
            v: [versions[v][j].key for j in sorted(slot.members.get(v, []))]
            for v in range(len(versions))
        }
        texts = {
            v: (
                "\n".join(versions[v][j].text for j in sorted(js)),
                "\n".join(neutral[v][j] for j in sorted(js)),
            )
            for v, js in slot.members.items()
            if js
        }
        status, similarity = _judge(texts, len(versions))
        groups.append(Group(members, status, similarity, sorted(slot.notes)))
    return groups


_SPACE = re.compile(r"\s+")


def _judge(texts: dict[int, tuple[str, str]], n: int) -> tuple[str, float]:
    """Return a group's status and its lowest similarity to the first version present.

    `equivalent` covers texts that differ only by jurisdiction names and by the numbers of
    internal citations that follow renumbering.
    """
    present = sorted(texts)
    if len(present) < 2:
        return "partial", 0.0
    raw = {_SPACE.sub("", texts[v][0]) for v in present}
    flat = {_SPACE.sub("", texts[v][1]) for v in present}
    ref = bigrams(texts[present[0]][1])
    similarity = min(dice(ref, bigrams(texts[v][1])) for v in present[1:])
    if len(present) < n:
        return "partial", round(similarity, 3)
    if len(raw) == 1:
        return "identical", 1.0
    if len(flat) == 1:
        return "equivalent", 1.0
    # Bigrams ignore punctuation, so a text changed only there would otherwise show 1.0.
    return "modified", min(round(similarity, 3), 0.999)


# ---------------------------------------------------------------- documents


def document_articles(doc: Document) -> list[Article]:
    """Return a parsed document's articles keyed by position, with their chapter headings."""
    out = []
    for k, (node, divisions) in enumerate(doc.articles()):
        chapter = next((d.heading for d in reversed(divisions) if d.kind == "chapter"), None)
        label = node.label or (f"第{node.num}条" if node.num is not None else "")
        out.append(Article(k, label, article_text(node), chapter))
    return out


def reconcile_documents(
    named_docs: Sequence[tuple[str, Document]],
    *,
    names: Iterable[str] = (),
    pins: Iterable[tuple[int, Hashable, int, Hashable]] = (),
) -> dict:
    """Return the CONTRACT.md `reconcile --json` object for parsed documents."""
    versions = [document_articles(doc) for _, doc in named_docs]
    names = tuple(names) or tuple(
        derive_names(
            [doc.title for _, doc in named_docs],
            ("\n".join(a.text for a in v) for v in versions),
        )
    )
    labels = [[a.label for a in v] for v in versions]
    groups = align(versions, names=names, pins=pins)
    return {
        "documents": [name for name, _ in named_docs],
        "groups": [
            {
                "members": {
                    named_docs[v][0]: [labels[v][k] for k in g.members[v]]
                    for v in range(len(named_docs))
                },
                "status": g.status,
                "similarity": g.similarity,
            }
            for g in groups
        ],
    }
