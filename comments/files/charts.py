"""Bar charts for the 民情民意专报, drawn by matplotlib with a font that has Chinese glyphs."""

from __future__ import annotations

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from comments.files.poster import cjk_font_path  # noqa: E402


@cache
def _font() -> font_manager.FontProperties | None:
    path = cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path)


def bar_chart(title: str, counts: list[tuple[str, int]], *, colour: str = "#9b1c1c") -> bytes:
    """Return a horizontal bar chart of labelled counts as a PNG, largest first from the top."""
    font = _font()
    rows = list(reversed(counts)) or [("—", 0)]
    fig = Figure(figsize=(6.4, 0.45 * len(rows) + 1.1), dpi=110)
    ax = fig.add_subplot()
    bars = ax.barh(range(len(rows)), [n for _label, n in rows], color=colour)
    ax.set_yticks(range(len(rows)), [label for label, _n in rows], fontproperties=font)
    ax.set_title(title, fontproperties=font, fontsize=13)
    ax.bar_label(bars, padding=3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.margins(x=0.12)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
