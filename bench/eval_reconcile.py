"""Measure article alignment against evaluation sets whose truth is known.

Real local regulations from ../shared/corpus play the common text; each partner city's version
is derived from it with recorded edits (renamed jurisdictions, inserted, deleted, moved, split
and merged articles, a fifth of the words rewritten), so every aligned pair can be checked.

    python bench/eval_reconcile.py [--docs 40] [--versions 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from drafting.core.alignment import Article, align

CITIES = ["徐州", "宿迁", "淮北", "宿州", "商丘", "临沂", "嘉兴", "衢州", "湖州", "绍兴"]
ARTICLE_RE = re.compile(r"^第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?\s*")
HEADING_RE = re.compile(r"^#+\s|^第[零〇一二两三四五六七八九十百千]+[编章节]")
# Which edits each evaluation set applies, as rates per article.
SETS: dict[str, dict[str, float]] = {
    "renamed": {"rename": 1.0},
    "insert_delete": {"rename": 1.0, "insert": 0.08, "delete": 0.08},
    "move": {"rename": 1.0, "move": 0.06},
    "split_merge": {"rename": 1.0, "split": 0.06, "merge": 0.06},
    "rewrite20": {"rename": 1.0, "rewrite": 0.3},
    "mixed": {
        "rename": 1.0,
        "insert": 0.05,
        "delete": 0.05,
        "move": 0.03,
        "split": 0.03,
        "merge": 0.03,
        "rewrite": 0.15,
    },
}


def corpus_dir() -> Path | None:
    """Return the shared corpus folder, or None when it is absent."""
    path = Path(
        os.environ.get("CONCORD_CORPUS")
        or Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    return path if (path / "manifest.tsv").exists() else None


def read_articles(path: Path) -> list[str]:
    """Return a corpus file's articles as texts, paragraphs joined by newlines."""
    text = path.read_text(encoding="utf-8")
    text = text.split("<!-- INFO END -->", 1)[-1]
    articles: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or HEADING_RE.match(line):
            continue
        m = ARTICLE_RE.match(line)
        if m:
            articles.append([line[m.end() :]])
        elif articles:
            articles[-1].append(line)
    return ["\n".join(a) for a in articles]


def local_regulations(
    corpus: Path, *, min_articles: int = 12, max_articles: int = 400
) -> list[Path]:
    """Return the corpus's local regulations with a workable number of articles, sorted."""
    out = []
    for row in (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if cols[0].startswith("local/") and min_articles <= int(cols[7]) <= max_articles:
            out.append(corpus / cols[0])
    return sorted(out)


@dataclass
class Piece:
    """An article of a derived version and the common-text articles it came from."""

    text: str
    origin: frozenset[int]


def rename(text: str, city: str, rng: random.Random) -> str:
    """Write a city's own names where the common text says 本市 or 市人民政府."""
    text = re.sub(r"本市", lambda m: f"{city}市" if rng.random() < 0.5 else "本市", text)
    return re.sub(
        r"(?<![\u4e00-\u9fff])市(?=人民政府)|(?<=[由经向和与])市(?=人民政府)", f"{city}市", text
    )


def rewrite(text: str, share: float, vocab: list[str], rng: random.Random) -> str:
    """Replace about `share` of the two-character words of a text with words from elsewhere."""
    chars = list(text)
    for i in range(0, len(chars) - 1, 2):
        if rng.random() < share and chars[i].isalnum() and chars[i + 1].isalnum():
            chars[i : i + 2] = list(rng.choice(vocab))
    return "".join(chars)


def derive(
    common: list[str],
    edits: dict[str, float],
    city: str,
    donors: list[str],
    vocab: list[str],
    rng: random.Random,
) -> list[Piece]:
    """Return a city's version of the common text with the given edit rates applied."""
    pieces = [Piece(t, frozenset([i])) for i, t in enumerate(common)]
    n = len(pieces)
    for _ in range(round(edits.get("delete", 0) * n)):
        if len(pieces) > 3:
            pieces.pop(rng.randrange(len(pieces)))
    for _ in range(round(edits.get("merge", 0) * n)):
        k = rng.randrange(len(pieces) - 1)
        a, b = pieces[k], pieces[k + 1]
        if len(a.origin) == len(b.origin) == 1:
            pieces[k : k + 2] = [Piece(a.text + "\n" + b.text, a.origin | b.origin)]
    for _ in range(round(edits.get("split", 0) * n)):
        k = rng.randrange(len(pieces))
        cuts = [m.end() for m in re.finditer(r"[。；\n]", pieces[k].text[:-1])]
        if cuts and len(pieces[k].origin) == 1:
            cut = min(cuts, key=lambda c: abs(c - len(pieces[k].text) / 2))
            text, origin = pieces[k].text, pieces[k].origin
            pieces[k : k + 1] = [
                Piece(text[:cut].strip(), origin),
                Piece(text[cut:].strip(), origin),
            ]
    for _ in range(round(edits.get("move", 0) * n)):
        piece = pieces.pop(rng.randrange(len(pieces)))
        # A move worth detecting goes some distance, not next door.
        pieces.insert(rng.randrange(len(pieces) + 1), piece)
    for _ in range(round(edits.get("insert", 0) * n)):
        pieces.insert(rng.randrange(len(pieces) + 1), Piece(rng.choice(donors), frozenset()))
    for piece in pieces:
        if piece.origin and rng.random() < edits.get("rewrite", 0):
            piece.text = rewrite(piece.text, 0.2, vocab, rng)
        if edits.get("rename"):
            piece.text = rename(piece.text, city, rng)
    return pieces


def truth_pairs(versions: list[list[Piece]]) -> set[tuple[int, int, int, int]]:
    """Return every pair of articles of different versions whose origins are connected.

    A merge in one version joins two common articles into one group for every version, so
    origins that share a merged article count as one (the best any grouping can do).
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for version in versions:
        for piece in version:
            first, *rest = sorted(piece.origin) or [None]
            for other in rest:
                parent[find(other)] = find(first)
    out = set()
    for a in range(len(versions)):
        for b in range(a + 1, len(versions)):
            for i, p in enumerate(versions[a]):
                roots = {find(o) for o in p.origin}
                for j, q in enumerate(versions[b]):
                    if roots & {find(o) for o in q.origin}:
                        out.add((a, i, b, j))
    return out


def predicted_pairs(groups, n: int) -> set[tuple[int, int, int, int]]:
    """Return every pair of articles of different versions that share a group."""
    out = set()
    for g in groups:
        for a in range(n):
            for b in range(a + 1, n):
                out.update((a, i, b, j) for i in g.members[a] for j in g.members[b])
    return out


def evaluate(
    corpus: Path,
    *,
    docs: int = 40,
    versions: int = 4,
    seed: int = 7,
    sets: dict[str, dict[str, float]] = SETS,
) -> dict[str, tuple[float, float, int]]:
    """Return precision, recall and the number of true pairs for each evaluation set."""
    rng = random.Random(seed)
    paths = local_regulations(corpus)
    chosen = rng.sample(paths, min(docs, len(paths)))
    texts = [read_articles(p) for p in chosen]
    donors = [a for t in texts for a in t]
    vocab = [w for a in donors[:2000] for w in re.findall(r"[\u4e00-\u9fff]{2}", a)]
    names = [c + "市" for c in CITIES[:versions]]
    results = {}
    for set_name, edits in sets.items():
        hit = pred = true = 0
        for k, common in enumerate(texts):
            if len(common) < 4:
                continue
            others = [d for i, t in enumerate(texts) if i != k for d in t]
            built = [[Piece(t, frozenset([i])) for i, t in enumerate(common)]]
            built += [
                derive(common, edits, CITIES[v], others, vocab, rng) for v in range(1, versions)
            ]
            arts = [[Article(j, "", p.text) for j, p in enumerate(v)] for v in built]
            groups = align(arts, names=names)
            truth = truth_pairs(built)
            got = predicted_pairs(groups, versions)
            hit += len(truth & got)
            pred += len(got)
            true += len(truth)
        results[set_name] = (hit / pred if pred else 1.0, hit / true if true else 1.0, true)
    return results


def main(argv: list[str] | None = None) -> int:
    """Print precision and recall of aligned article pairs for each evaluation set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--versions", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if corpus is None:
        print("corpus not found: set CONCORD_CORPUS or provide ../shared/corpus", file=sys.stderr)
        return 2
    results = evaluate(corpus, docs=args.docs, versions=args.versions, seed=args.seed)
    print(f"{'set':<15}{'precision':>10}{'recall':>10}{'pairs':>8}")
    for name, (p, r, n) in results.items():
        print(f"{name:<15}{p:>10.3f}{r:>10.3f}{n:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
