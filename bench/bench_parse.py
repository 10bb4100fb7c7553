"""Parse the whole shared corpus and print throughput (MB/s), files, articles and time."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from drafting.core.parsing import parse_text
from drafting.errors import BadDocument

CORPUS = Path(
    os.environ.get("CONCORD_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)


def main() -> int:
    """Time parse_text over every corpus file, reading the files first so only parsing counts."""
    files = sorted(CORPUS.rglob("*.md"))
    if not files:
        print(f"no corpus at {CORPUS} (set CONCORD_CORPUS)", file=sys.stderr)
        return 2
    texts = [(str(f.relative_to(CORPUS)), f.read_text(encoding="utf-8")) for f in files]
    size = sum(len(t.encode("utf-8")) for _, t in texts)
    articles = warnings = refused = 0
    start = time.perf_counter()
    for name, text in texts:
        try:
            doc = parse_text(text, filename=name)
        except BadDocument:
            refused += 1
            continue
        articles += sum(1 for _ in doc.articles())
        warnings += len(doc.warnings)
    elapsed = time.perf_counter() - start
    print(f"files     {len(texts)} ({refused} without articles, refused as BadDocument)")
    print(f"articles  {articles}")
    print(f"warnings  {warnings}")
    print(f"size      {size / 1e6:.1f} MB")
    print(f"time      {elapsed:.2f} s")
    print(f"speed     {size / 1e6 / elapsed:.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
