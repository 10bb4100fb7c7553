"""Recurring concerns (规律性关键问题): how well the grouping finds them, and how fast.

Run: python bench/bench_concerns.py [--scale 3000].
Quality: bench/concerns_labelled.json holds opinions written about 13 known problems in several
wordings (near-identical and same-subject) plus singletons. Each method groups them; purity is the
share of grouped opinions that belong to their group's majority problem (a singleton put in a
group counts against it), recall the share of the problems' opinions found in their problem's
best group. Speed: the labelled texts repeated with small changes up to `--scale` opinions, as a
busy city's quarter. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from comments.opinions.core.grouping import (  # noqa: E402
    average_linkage,
    group_texts,
    purity_and_recall,
    similarities,
    tfidf,
)
from comments.opinions.services.concern_terms import concern_terms  # noqa: E402
from comments.opinions.services.concerns import THRESHOLD  # noqa: E402


def single_linkage(terms, threshold):
    """The obvious alternative: link any two texts at least `threshold` alike, take components."""
    sims = similarities(tfidf(terms), threshold)
    parent = list(range(len(terms)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sims:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(terms)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def words_only(text):
    return [t for t in concern_terms(text) if not t.startswith("~")]


def bigrams_only(text):
    return [t for t in concern_terms(text) if t.startswith("~")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=3000)
    args = parser.parse_args()
    data = json.loads((ROOT / "bench" / "concerns_labelled.json").read_text(encoding="utf-8"))
    texts = [o["text"] for o in data["opinions"]]
    labels = [o["label"] for o in data["opinions"]]
    problems = len({x for x in labels if x})
    print(
        f"labelled set: {len(texts)} opinions, {problems} problems, {labels.count(None)} singletons"
    )
    print(f"{'method':58} {'purity':>7} {'recall':>7} {'groups':>7}")
    both = [concern_terms(t) for t in texts]
    rows = [
        (f"words + bigrams, average linkage ≥ {THRESHOLD} (used)", both, "avg", THRESHOLD),
        ("words + bigrams, average linkage ≥ 0.10", both, "avg", 0.10),
        ("words + bigrams, average linkage ≥ 0.15", both, "avg", 0.15),
        (
            f"jieba words only, average linkage ≥ {THRESHOLD}",
            [words_only(t) for t in texts],
            "avg",
            THRESHOLD,
        ),
        (
            f"bigrams only, average linkage ≥ {THRESHOLD}",
            [bigrams_only(t) for t in texts],
            "avg",
            THRESHOLD,
        ),
        ("words + bigrams, single linkage ≥ 0.12 (components)", both, "single", 0.12),
        ("words + bigrams, single linkage ≥ 0.20 (components)", both, "single", 0.20),
    ]
    for name, terms, how, threshold in rows:
        if how == "avg":
            groups = group_texts(terms, threshold=threshold)
        else:
            groups = single_linkage(terms, threshold)
        purity, recall = purity_and_recall(groups, labels)
        found = sum(1 for g in groups if len(g) > 1)
        print(f"{name:58} {purity:7.3f} {recall:7.3f} {found:7d}")

    rng = random.Random(23)
    fillers = ["", "请尽快处理。", "谢谢！", "多次反映了。", "希望重视。"]
    big = [rng.choice(texts) + rng.choice(fillers) for _ in range(args.scale)]
    started = time.perf_counter()
    terms = [concern_terms(t) for t in big]
    tokenised = time.perf_counter()
    sims = similarities(tfidf(terms), 0.05)
    paired = time.perf_counter()
    groups = average_linkage(len(terms), sims, THRESHOLD)
    done = time.perf_counter()
    found = sum(1 for g in groups if len(g) > 1)
    print(
        f"\n{args.scale} opinions: tokenise {tokenised - started:.2f} s, similar pairs "
        f"{paired - tokenised:.2f} s ({len(sims)} pairs), average linkage "
        f"{done - paired:.2f} s, {found} groups"
    )
    started = time.perf_counter()
    single_linkage(terms, 0.2)
    print(f"single linkage on the same terms: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
