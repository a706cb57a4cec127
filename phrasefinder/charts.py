"""The report's pictures, drawn with Matplotlib as SVG and PNG, with Chinese labels that render.

Matplotlib's default font has no Chinese glyphs: every label would come out
as a row of identical boxes. :func:`cjk_font` finds an installed CJK font
(``make setup`` installs Debian's Noto CJK) and every chart asks for it first,
with DejaVu Sans behind it for Latin text and digits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import parse_date

if TYPE_CHECKING:
    import polars as pl
    from matplotlib.figure import Figure

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "PingFang SC", "Microsoft YaHei",
    "SimHei", "Heiti SC", "AR PL UMing CN",
)  # fmt: skip
"""Fonts with Chinese glyphs, in order of preference (Linux, macOS, Windows)."""

COLOURS = ("#c0392b", "#2c7fb8", "#e67e22", "#27ae60", "#8e44ad", "#7f8c8d", "#d35400", "#16a085", "#2c3e50")


@cache
def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, or ``None`` (charts would show boxes for Chinese)."""
    from matplotlib import font_manager

    found = _first_cjk(font_manager.fontManager)
    if found is None:  # Matplotlib caches the font list: a font installed after that cache is not in it yet
        for path in font_manager.findSystemFonts():
            if any(mark in Path(path).name.lower() for mark in ("cjk", "wqy", "sourcehan", "droidsansfallback")):
                font_manager.fontManager.addfont(path)
        found = _first_cjk(font_manager.fontManager)
    return found


def _first_cjk(manager: Any) -> str | None:
    installed = {font.name for font in manager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def trend_chart(trends: pl.DataFrame, entries: list[str], value: str, folder: Path) -> list[Path]:
    """One line per entry over the periods: the rate per 10,000 characters where known, else hits."""
    import numpy as np
    import polars as pl

    periods = sorted(trends["period"].unique().drop_nulls().to_list())
    if not periods:
        return _undated(folder / "trend")
    with _figure(width=10, height=5) as figure:
        axes = figure.subplots()
        for colour, entry in zip(_cycle(), entries, strict=False):
            rows = trends.filter(pl.col("entry_id") == entry).sort("period")
            if rows.height == 0:
                continue
            starts = np.array([_start(p) for p in rows["period"]], dtype="datetime64[D]")
            axes.plot(starts, rows[value].to_list(), marker="o", markersize=3, color=colour,
                      label=rows["phrase"][0], linewidth=1.6)  # fmt: skip
        axes.set_ylabel(_value_label(value))
        axes.set_title(f"Top formulas over time ({_value_label(value)})")
        if axes.lines:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        axes.grid(axis="y", alpha=0.3)
        return _save(figure, folder / "trend")


def heat_map(trends: pl.DataFrame, entries: list[str], value: str, folder: Path) -> list[Path]:
    """Entries down, periods across, the rate as colour: where each formula was hot."""
    import numpy as np
    import polars as pl

    periods = sorted(trends["period"].unique().drop_nulls().to_list())
    if not periods:
        return _undated(folder / "heatmap")
    rows = trends.filter(pl.col("entry_id").is_in(entries))
    phrases = dict(zip(rows["entry_id"], rows["phrase"], strict=True))
    matrix = np.zeros((len(entries), len(periods)))
    for entry, period, number in rows.select("entry_id", "period", value).iter_rows():
        matrix[entries.index(entry), periods.index(period)] = number or 0
    with _figure(width=10, height=max(3.0, 0.32 * len(entries) + 1.5)) as figure:
        axes = figure.subplots()
        image = axes.imshow(matrix, aspect="auto", cmap="YlOrRd", interpolation="nearest")
        axes.set_yticks(range(len(entries)), [phrases.get(e, e) for e in entries])
        _period_axis(axes, periods)
        figure.colorbar(image, ax=axes, label=_value_label(value), shrink=0.8)
        axes.set_title(f"Formulas × {_period_name(periods)}")
        return _save(figure, folder / "heatmap")


def timeline(first_seen: pl.DataFrame, entries: list[str], folder: Path) -> list[Path]:
    """When each formula first appears in the corpus (filled) and when the lexicon says it was coined (hollow)."""
    import polars as pl

    rows = first_seen.filter(pl.col("entry_id").is_in(entries)).with_columns(
        pl.col("first_date").map_elements(_day, return_dtype=pl.Date).alias("seen"),
        pl.col("lexicon_first_seen").map_elements(_day, return_dtype=pl.Date).alias("said"),
    ).filter(pl.col("seen").is_not_null()).sort("seen", descending=True)  # fmt: skip
    with _figure(width=10, height=max(3.0, 0.3 * rows.height + 1.5)) as figure:
        axes = figure.subplots()
        for y, (seen, said) in enumerate(rows.select("seen", "said").iter_rows()):
            if said is not None:
                axes.plot([said, seen], [y, y], color="#bbbbbb", linewidth=1, zorder=1)
                axes.scatter([said], [y], facecolors="none", edgecolors=COLOURS[1], zorder=2)
            axes.scatter([seen], [y], color=COLOURS[0], zorder=3)
        axes.set_yticks(range(rows.height), rows["phrase"].to_list())
        axes.scatter([], [], color=COLOURS[0], label="first in this corpus")
        axes.scatter([], [], facecolors="none", edgecolors=COLOURS[1], label="first_seen in the lexicon")
        axes.legend(loc="upper right", frameon=False)
        axes.grid(axis="x", alpha=0.3)
        axes.set_title("First appearances")
        return _save(figure, folder / "first_seen")


def _start(period: str) -> dt.date:
    """The first day of a period label (``2019``, ``2019-Q3``, ``2019-10``, ``2019-10-01``): time runs to scale."""
    year, _, quarter = period.partition("-Q")
    if quarter:
        return dt.date(int(year), 3 * int(quarter) - 2, 1)
    date = parse_date(period)
    assert date is not None, period
    return date.day


def _undated(stem: Path) -> list[Path]:
    """What a trend chart shows when no document is dated precisely enough for the period."""
    with _figure(width=10, height=1.5) as figure:
        figure.text(0.5, 0.5, "No dated documents: trends need dates (scan --stats, or records with a date field)",
                    ha="center", va="center")  # fmt: skip
        return _save(figure, stem)


def _day(text: str | None) -> dt.date | None:
    date = parse_date(text)
    return date.day if date else None


@contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    """A figure drawn with the CJK font first, outside pyplot's global state."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    families = [f for f in (cjk_font(), "DejaVu Sans") if f]
    settings: Any = {"font.family": families, "svg.fonttype": "path", "axes.unicode_minus": False, "svg.hashsalt": "pf"}
    with mpl.rc_context(settings):
        yield Figure(figsize=(width, height), layout="constrained")


def _save(figure: Figure, stem: Path) -> list[Path]:
    paths = [stem.with_suffix(".svg"), stem.with_suffix(".png")]
    figure.savefig(paths[0], metadata={"Date": None})
    figure.savefig(paths[1], dpi=150)
    return paths


def _period_axis(axes: Any, periods: list[str]) -> None:
    step = max(1, len(periods) // 16)
    ticks = list(range(0, len(periods), step))
    axes.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right")


def _period_name(periods: list[str]) -> str:
    return "periods" if not periods else {4: "years", 7: "months", 10: "days"}.get(len(periods[0]), "quarters")


def _value_label(value: str) -> str:
    return {"per_10k_chars": "hits per 10,000 characters", "hits": "hits"}[value]


def _cycle() -> Iterator[str]:
    while True:
        yield from COLOURS
