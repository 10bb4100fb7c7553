"""Group similar short texts: TF-IDF over words and character bigrams, average-linkage merging.

Plain Python: the caller supplies each text's terms (jieba words, bigrams), so the grouping is
testable without a tokenizer. Two texts are close when they share rare terms; groups merge while
the mean similarity between all their members stays above a threshold, which keeps a chain of
pairwise look-alikes (路灯 → 路口 → 路口停车) from gluing unrelated complaints together.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

Vector = dict[str, float]


# Texts assumed besides those given when weighing terms: in a quarter of five opinions, a word
# three of them share is still telling, not as common as a word in most of a thousand.
BACKGROUND = 50


def tfidf(docs: Sequence[Sequence[str]], background: int = BACKGROUND) -> list[Vector]:
    """Return unit-length TF-IDF vectors of term lists; rarer terms weigh more."""
    df: Counter[str] = Counter()
    for terms in docs:
        df.update(set(terms))
    n = len(docs) + background
    out = []
    for terms in docs:
        tf = Counter(terms)
        vec = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({t: w / norm for t, w in vec.items() if w > 0})
    return out


def similarities(vectors: Sequence[Vector], floor: float) -> dict[tuple[int, int], float]:
    """Return cosine similarities at or above `floor` of every pair (i < j) sharing a term."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((i, w))
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        if len(entries) > 1:
            for a in range(len(entries)):
                i, wi = entries[a]
                for j, wj in entries[a + 1 :]:
                    sums[(i, j)] += wi * wj
    return {pair: s for pair, s in sums.items() if s >= floor}


def average_linkage(
    n: int, sims: dict[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Merge items into groups while the mean pairwise similarity between two groups ≥ threshold.

    Pairs missing from `sims` count as 0. Returns every group (singletons included), each sorted,
    largest first. A heap of candidate merges, stale entries skipped: O(pairs · log pairs).
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # Sum of similarities between two current groups, both ways round.
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), sim in sims.items():
        links[i][j] = links[j][i] = sim
    version = [0] * n
    heap = [(-sim, i, j, 0, 0) for (i, j), sim in sims.items() if sim >= threshold]
    heapq.heapify(heap)
    while heap:
        _neg, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue  # one side has merged since this candidate was pushed
        members[a].extend(members.pop(b))
        version[a] += 1
        for x, total in links.pop(b).items():
            del links[x][b]
            if x != a:
                links[a][x] = links[x][a] = links[a].get(x, 0.0) + total
        links[a].pop(b, None)
        size = len(members[a])
        for x, total in links[a].items():
            mean = total / (size * len(members[x]))
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(a, x), max(a, x), *_versions(version, a, x)))
    groups = [sorted(g) for g in members.values()]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _versions(version: list[int], a: int, x: int) -> tuple[int, int]:
    return (version[a], version[x]) if a < x else (version[x], version[a])


def group_texts(
    terms: Sequence[Sequence[str]], *, threshold: float = 0.2, floor: float = 0.05
) -> list[list[int]]:
    """Return groups of similar texts (indices), largest first, singletons included."""
    vectors = tfidf(terms)
    return average_linkage(len(terms), similarities(vectors, floor), threshold)


def top_terms(terms: Sequence[Sequence[str]], group: Sequence[int], k: int = 3) -> list[str]:
    """Return the terms most of a group's texts share, rarest overall first among equals."""
    df: Counter[str] = Counter()
    for t in terms:
        df.update(set(t))
    inside: Counter[str] = Counter()
    for i in group:
        inside.update(set(terms[i]))
    ranked = sorted(inside, key=lambda t: (-inside[t], df[t], t))
    return ranked[:k]


def purity_and_recall(
    predicted: Sequence[Sequence[int]], labels: Sequence[str | None]
) -> tuple[float, float]:
    """Score predicted groups (of two or more) against labels; None labels are singletons.

    Purity: share of the items placed in groups that belong to their group's majority label
    (singletons put in a group count against it). Recall: share of labelled items that sit in
    the group holding most of their label, among groups of two or more.
    """
    grouped = [g for g in predicted if len(g) > 1]
    placed = sum(len(g) for g in grouped)
    right = 0
    best_of: dict[str, int] = defaultdict(int)
    for g in grouped:
        counts = Counter(labels[i] for i in g if labels[i] is not None)
        if counts:
            right += counts.most_common(1)[0][1]
        for label, c in counts.items():
            best_of[label] = max(best_of[label], c)
    labelled = Counter(x for x in labels if x is not None)
    purity = right / placed if placed else 1.0
    recall = sum(best_of.values()) / sum(labelled.values()) if labelled else 1.0
    return purity, recall
