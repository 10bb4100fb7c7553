"""Parsing time against the number of lines: 1k, 10k and 100k lines of several shapes.

Linear parsing takes about 10x the time for 10x the lines; the script prints each shape's times
and the ratio 100k/10k, and exits 1 if a ratio passes 12 (the issue-24 bar). CPU time
(best of 3) rather than wall time: the machine is shared and wall time swings with its load.
Usage: python bench/bench_parse_lines.py [--max 100000]
"""

from __future__ import annotations

import gc
import sys
import time

from drafting.core.parsing import parse_text


def shapes(n: int) -> dict[str, str]:
    """Return texts of n short lines: one long article, many articles, items, stray paragraphs."""
    return {
        "one article, n paragraphs": "第一条　总则。\n" + "".join(f"第{i}段。\n" for i in range(n)),
        "n articles": "".join(f"第{i}条　内容{i}。\n" for i in range(1, n + 1)),
        "one article, n items": "第一条　下列：\n" + "".join(f"（{i}）项{i}；\n" for i in range(n)),
        "n lines before any article": "标题\n"
        + "".join(f"说明{i}\n" for i in range(n))
        + "第一条　x。",
        "n chapters": "".join(f"第{i}章　章{i}\n第{i}条　x。\n" for i in range(1, n // 2 + 1)),
    }


def timed(text: str, runs: int = 3) -> float:
    """Return the best of `runs` CPU times of parse_text on `text` (the machine is shared)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        parse_text(text)
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str]) -> int:
    """Print a table of times per shape and size and the growth from 10k to 100k lines."""
    top = int(argv[argv.index("--max") + 1]) if "--max" in argv else 100_000
    sizes = [s for s in (1_000, 10_000, 100_000) if s <= top]
    print(f"{'shape':32}" + "".join(f"{n:>10,}" for n in sizes) + "   ratio (last/previous)")
    worst = 0.0
    texts = {n: shapes(n) for n in sizes}
    for name in shapes(1):
        times = [timed(texts[n][name]) for n in sizes]
        ratio = times[-1] / times[-2] if len(times) > 1 and times[-2] > 0 else 0.0
        worst = max(worst, ratio)
        cells = "".join(f"{t:>9.3f}s" for t in times)
        print(f"{name:32}{cells}   {ratio:5.1f}x")
    print(f"worst ratio for 10x the lines: {worst:.1f}x (bar: 12x)")
    return 0 if worst <= 12 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
