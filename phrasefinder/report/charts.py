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

from ..text.dates import parse_date, period_bounds

if TYPE_CHECKING:
    import polars as pl
    from matplotlib.figure import Figure

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "PingFang SC", "Microsoft YaHei",
    "SimHei", "Heiti SC", "AR PL UMing CN",
)  # fmt: skip
"""Fonts with Chinese glyphs, in order of preference (Linux, macOS, Windows)."""

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#000000", "#e377c2", "#8c564b", "#17becf", "#bcbd22", "#ff7f0e", "#9467bd")
"""Matplotlib's tab10 and black: the eight of them farthest apart in CIELAB first (ΔE ≥ 41), one per trend line."""

PERIOD_NAMES = {"year": "years", "quarter": "quarters", "month": "months", "day": "days"}


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
    """One line per entry over the periods: the rate per 10,000 characters where known, else hits.

    Periods the corpus covers only in part are shaded: their hit counts are not
    comparable with full periods.
    """
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
            starts = np.array([period_bounds(p)[0] for p in rows["period"]], dtype="datetime64[D]")
            axes.plot(starts, rows[value].to_list(), marker="o", markersize=3, color=colour,
                      label=rows["phrase"][0], linewidth=1.6)  # fmt: skip
        partial = trends.filter(pl.col("partial")).select("period").unique().sort("period")["period"].to_list()
        for i, period in enumerate(partial):
            start, end = period_bounds(period)
            axes.axvspan(_x(start), _x(end), color="#000000", alpha=0.07, linewidth=0,
                         label="partial period (corpus covers part of it)" if i == 0 else None)  # fmt: skip
        axes.set_ylabel(_value_label(value))
        axes.set_title(f"Top formulas over time ({_value_label(value)})")
        if axes.lines:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        axes.grid(axis="y", alpha=0.3)
        return _save(figure, folder / "trend")


def heat_map(trends: pl.DataFrame, entries: list[str], value: str, folder: Path, by: str) -> list[Path]:
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
        axes.set_title(f"Formulas × {PERIOD_NAMES[by]}")
        return _save(figure, folder / "heatmap")


def timeline(first_seen: pl.DataFrame, entries: list[str], folder: Path, corpus_start: dt.date | None) -> list[Path]:
    """When each formula first appears in the corpus (filled) and when the lexicon says it was coined (hollow).

    A dashed line marks the corpus's first document: a first appearance on it
    says only that the formula is at least that old.
    """
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
                axes.scatter([said], [y], facecolors="none", edgecolors=COLOURS[0], zorder=2)
            axes.scatter([seen], [y], color=COLOURS[1], zorder=3)
        axes.set_yticks(range(rows.height), rows["phrase"].to_list())
        axes.scatter([], [], color=COLOURS[1], label="first in this corpus")
        axes.scatter([], [], facecolors="none", edgecolors=COLOURS[0], label="first_seen in the lexicon")
        if corpus_start is not None:
            axes.axvline(_x(corpus_start), color="#555555", linestyle="--", linewidth=1,
                         label=f"corpus starts ({corpus_start.isoformat()})")  # fmt: skip
        axes.legend(loc="upper right", frameon=False)
        axes.grid(axis="x", alpha=0.3)
        axes.set_title("First appearances")
        return _save(figure, folder / "first_seen")


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


def _value_label(value: str) -> str:
    return {"per_10k_chars": "hits per 10,000 characters", "hits": "hits"}[value]


def _cycle() -> Iterator[str]:
    while True:
        yield from COLOURS


def _x(day: dt.date) -> float:
    """A day as Matplotlib's date axis places it."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]
