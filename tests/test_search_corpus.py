"""Known-item search on the real corpus: text pasted from an article finds that article.

The store holds a seeded subset (the laws the sampled articles come from plus distractor
laws; 220 s for both tests on the loaded 2-core machine); `bench/bench_search.py` measures
the whole corpus.
"""

from __future__ import annotations

import csv
import random
import re

import pytest

from concord.db import make_engine
from drafting.core.tree import article_text
from drafting.errors import BadDocument
from drafting.files.reading import parse_path
from search import store
from search.core.analysis import fold, units
from search.importer import import_directory
from search.services.precedents import search
from tests.helpers import corpus_or_skip

pytestmark = pytest.mark.corpus

SEED = 20240628
TARGET_LAWS = 40
DISTRACTOR_LAWS = 80
SAMPLES = 200
STRETCHES = 150
_CLAUSE = re.compile(r"[^，。；：、,;:！？!?（）()“”\"《》\s]{8,}")


def _articles(path):
    try:
        doc = parse_path(path)
    except BadDocument:
        return []
    return [(a.label, article_text(a)) for a, _ in doc.articles()]


def distinctive_phrase(text: str, df: dict[str, int]) -> str | None:
    """Return the 8-16 character stretch of text whose bigrams are rarest in the collection."""
    best, best_score = None, 0.0
    for m in _CLAUSE.finditer(text):
        clause = m.group()
        for start in range(0, max(1, len(clause) - 15), 4):
            piece = clause[start : start + 16]
            grams = {piece[i : i + 2] for i in range(len(piece) - 1)}
            score = sum(1.0 / df.get(g, 1) for g in grams)
            if score > best_score:
                best, best_score = piece, score
    return best


@pytest.fixture(scope="module")
def known_items(tmp_path_factory, database_url):
    """Import the subset once; return (a connection, [(query phrase, path, label)], stretches)."""
    corpus = corpus_or_skip()
    with (corpus / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if int(r["articles"] or 0) >= 5]
    rng = random.Random(SEED)
    chosen = rng.sample(rows, TARGET_LAWS + DISTRACTOR_LAWS)
    src = tmp_path_factory.mktemp("corpus")
    laws = {}
    for r in chosen:
        target = src / r["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(corpus / r["file"])
        laws[r["file"]] = _articles(corpus / r["file"])
    with (src / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerows(chosen)

    df: dict[str, int] = {}
    folded = []
    for arts in laws.values():
        for _, text in arts:
            t = fold(text)[0]
            folded.append(t)
            for g in {t[i : i + 2] for i in range(len(t) - 1)}:
                df[g] = df.get(g, 0) + 1
    haystack = "\x00".join(folded)
    candidates = [
        (r["file"], label, text)
        for r in chosen[:TARGET_LAWS]
        for label, text in laws[r["file"]]
        if len(text) >= 30
    ]
    rng.shuffle(candidates)
    items = []
    for path, label, text in candidates:
        phrase = distinctive_phrase(text, df)
        # A phrase found in two articles (a repeated provision) has no single right answer.
        if phrase and haystack.count(fold(phrase)[0]) == 1:
            items.append((phrase, path, label))
        if len(items) == SAMPLES:
            break
    # Random 16-character stretches of random paragraphs, as an adviser pastes them.
    joined = "\x00".join("".join(units(t)) for t in folded)
    stretches = []
    for path, label, text in candidates:
        line = rng.choice(text.splitlines())
        if len(line) < 20:
            continue
        start = rng.randrange(len(line) - 16)
        piece = line[start : start + 16]
        key = "".join(units(fold(piece)[0]))
        if len(key) >= 8 and joined.count(key) == 1:
            stretches.append((piece, path, label))
        if len(stretches) == STRETCHES:
            break
    engine = make_engine(database_url)
    with engine.begin() as conn:  # what earlier tests left behind
        store.clear(conn)
        conn.exec_driver_sql("DELETE FROM statute_file")
    stats = import_directory(engine, src)
    assert stats.files == len(chosen)
    with engine.connect() as conn:
        yield conn, items, stretches
    engine.dispose()


def reciprocal_rank(index_dir, q: str, path: str, label: str) -> float:
    hits = search(index_dir, q, limit=10)["hits"]
    for rank, hit in enumerate(hits, 1):
        if hit["path"] == path and hit["label"] == label:
            return 1.0 / rank
    return 0.0


def mrr(index_dir, items, quote: bool) -> float:
    total = 0.0
    for p, path, label in items:
        q = '"' + p.replace('"', " ") + '"' if quote else p
        total += reciprocal_rank(index_dir, q, path, label)
    return total / len(items)


def test_distinctive_phrase_finds_its_article(known_items):
    index_dir, items, _stretches = known_items
    assert len(items) == SAMPLES
    quoted, plain = mrr(index_dir, items, True), mrr(index_dir, items, False)
    print(f"\nrarest stretches, MRR@10 of {len(items)}: quoted {quoted:.3f}, plain {plain:.3f}")
    assert quoted >= 0.99
    assert plain >= 0.98


def test_pasted_stretch_finds_its_article(known_items):
    index_dir, _items, stretches = known_items
    assert len(stretches) >= 100
    quoted, plain = mrr(index_dir, stretches, True), mrr(index_dir, stretches, False)
    print(f"\nrandom stretches, MRR@10 of {len(stretches)}: quoted {quoted:.3f}, plain {plain:.3f}")
    assert quoted >= 0.99
    assert plain >= 0.98
