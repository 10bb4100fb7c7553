"""Bar charts for the 民情民意专报, drawn by matplotlib with a font that has Chinese glyphs."""

from __future__ import annotations

import io
from functools import cache, lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from comments.opinions.files.poster import cjk_font_path  # noqa: E402


@cache
def _font() -> font_manager.FontProperties | None:
    path = cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    # Latin letters and digits from DejaVu, Chinese from the CJK font (some lack digits).
    return font_manager.FontProperties(family=["DejaVu Sans", name])


def bar_chart(title: str, counts: list[tuple[str, int]], *, colour: str = "#9b1c1c") -> bytes:
    """Return a horizontal bar chart of labelled counts as a PNG, largest first from the top."""
    return _bar_chart(title, tuple(counts), colour)


@lru_cache(maxsize=64)  # a report viewed again, or downloaded after viewing, is not redrawn
def _bar_chart(title: str, counts: tuple[tuple[str, int], ...], colour: str) -> bytes:
    font = _font()
    rows = list(reversed(counts)) or [("—", 0)]
    height = 0.42 * len(rows) + 1.0
    fig = Figure(figsize=(6.4, height), dpi=110)
    # Fixed margins instead of tight_layout, which draws the figure twice: labels of up to
    # eight characters at 10 pt fit in 1.35 inches.
    longest = max(len(label) for label, _n in rows)
    left = min(0.45, (0.25 + 0.15 * max(longest, 2)) / 6.4)
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.55 / height, bottom=0.45 / height)
    ax = fig.add_subplot()
    bars = ax.barh(range(len(rows)), [n for _label, n in rows], color=colour)
    ax.set_yticks(range(len(rows)), [label for label, _n in rows], fontproperties=font)
    ax.set_title(title, fontproperties=font, fontsize=13)
    ax.bar_label(bars, padding=3)
    # The bars carry their numbers, so no x axis: half the drawing time goes to axes and ticks.
    ax.xaxis.set_visible(False)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.margins(x=0.12)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def forget_drawn() -> None:
    """Empty the cache of drawn charts (benchmarks measure drawing, not the cache)."""
    _bar_chart.cache_clear()
