"""Time article alignment against a naive all-pairs difflib alignment of the same input.

    python bench/bench_reconcile.py [--full]

Inputs are corpus articles (synthetic text when ../shared/corpus is absent) with the edits of
eval_reconcile's `mixed` set. The naive method compares every article of every version with
every article of the first by SequenceMatcher.ratio(); at 10 x 300 that takes minutes, so
without --full it is timed on a sample of rows of the first version and scaled up.
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_reconcile import CITIES, SETS, corpus_dir, derive, local_regulations, read_articles  # noqa: E402

from drafting.core.alignment import Article, align  # noqa: E402


def base_articles(n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Return n articles to play the common text and a pool of other articles to insert."""
    corpus = corpus_dir()
    if corpus is None:
        words = [chr(0x4E00 + rng.randrange(3000)) for _ in range(4000)]
        pool = ["".join(rng.choices(words, k=rng.randint(30, 200))) + "。" for _ in range(2 * n)]
        return pool[:n], pool[n:]
    paths = local_regulations(corpus)
    rng.shuffle(paths)
    pool: list[str] = []
    for path in paths:
        pool.extend(read_articles(path))
        if len(pool) >= 2 * n:
            break
    return pool[:n], pool[n:]


def build(n_versions: int, n_articles: int, seed: int = 1) -> list[list[Article]]:
    """Return n_versions versions of an n_articles common text with mixed edits."""
    rng = random.Random(seed)
    common, donors = base_articles(n_articles, rng)
    vocab = [a[i : i + 2] for a in donors[:500] for i in range(0, len(a) - 1, 2)]
    texts = [common] + [
        [p.text for p in derive(common, SETS["mixed"], CITIES[v % len(CITIES)], donors, vocab, rng)]
        for v in range(1, n_versions)
    ]
    return [[Article(j, "", t) for j, t in enumerate(v)] for v in texts]


def naive(versions: list[list[Article]], rows: int | None = None) -> tuple[float, int]:
    """Align each version to the first by best SequenceMatcher ratio; return seconds and rows."""
    pivot = versions[0][:rows] if rows else versions[0]
    matches = {}
    start = time.perf_counter()
    for v, version in enumerate(versions[1:], 1):
        for a in pivot:
            best, score = None, 0.5
            for b in version:
                r = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False).ratio()
                if r > score:
                    best, score = b.key, r
            matches[v, a.key] = best
    return time.perf_counter() - start, len(pivot)


def timed_align(versions: list[list[Article]], repeat: int) -> float:
    """Return the best of `repeat` wall times of align() on the versions."""
    names = [c + "市" for c in CITIES]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        align(versions, names=names)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print alignment and naive times for 10 x 300 and 6 x 60 articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="time the naive method on all rows")
    parser.add_argument("--rows", type=int, default=20, help="naive sample rows at 10 x 300")
    args = parser.parse_args(argv)
    print("corpus:", corpus_dir() or "absent (synthetic text)")
    for n_versions, n_articles, rows in (
        (10, 300, None if args.full else args.rows),
        (6, 60, None),
    ):
        versions = build(n_versions, n_articles)
        ours = timed_align(versions, 3)
        slow, done = naive(versions, rows)
        scale = len(versions[0]) / done
        label = "" if scale == 1 else f" (timed on {done} rows, scaled x{scale:.1f})"
        print(
            f"{n_versions} x {n_articles}: align {ours * 1000:.1f} ms; "
            f"naive difflib {slow * scale:.2f} s{label}; ratio {slow * scale / ours:.0f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
