"""Writing a report into a folder: the CSVs, the charts and two static pages that open from disk.

The pages use no script and no network: every picture and table they show is
a file beside them, so the folder can be zipped, mailed or committed as is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..files import atomic_write, locked
from ..text.dates import period_bounds
from .charts import heat_map, timeline, trend_chart
from .tables import TIERS, Report, ReportOptions, concordance_sample

if TYPE_CHECKING:
    import polars as pl

TABLE_ROWS = 50
"""Rows of each table the page shows; the CSVs have all."""


STAGING = ".report-"
"""The prefix of the folder a report is built in, inside the folder it goes to."""

MANIFEST = ".phrasefinder-report"
"""The names of the files the last report wrote into a folder: the next one removes those it does not write."""


def write(report: Report, folder: Path, options: ReportOptions, inputs: Iterable[Path] = ()) -> list[Path]:
    """Write every output of ``report`` into ``folder`` (created if needed), whole; the paths written.

    The report is built in a temporary folder inside ``folder`` and its files
    are then renamed into place, so a run killed while building leaves the
    previous report as it was (a kill in the milliseconds of the renames can
    leave a mix, which the manifest lets the next report clear); files of the previous report that this one does
    not write are removed (only those: the folder may hold other things). A
    second report into the same folder waits for the first. An ``inputs`` file
    that the report would replace is refused, and nothing is replaced.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = locked(folder / f"{MANIFEST}.lock", str(folder))  # a second report into the folder waits
        with lock, tempfile.TemporaryDirectory(prefix=STAGING, dir=_swept(folder)) as staging:
            names = [path.name for path in _write_all(report, Path(staging), options)]
            previous = _manifest(folder)
            _refuse_inputs(folder, set(names) | previous, inputs)
            # Named before they land, so that a kill during the renames leaves nothing the next report misses.
            atomic_write(folder / MANIFEST, "".join(f"{name}\n" for name in sorted(previous | set(names))))
            for name in names:
                os.replace(Path(staging) / name, folder / name)
            for stale in previous - set(names):
                (folder / stale).unlink(missing_ok=True)
            atomic_write(folder / MANIFEST, "".join(f"{name}\n" for name in names))
    except OSError as exc:
        msg = f"{folder}: cannot write the report ({exc.strerror})"
        raise InputError(msg) from None
    return [folder / name for name in names]


def _swept(folder: Path) -> Path:
    """``folder``, cleared of what a killed report left (call with the lock held: no other report is building)."""
    for leftover in folder.glob(f"{STAGING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return folder


def _manifest(folder: Path) -> set[str]:
    path = folder / MANIFEST
    names = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    return {n for n in names if n and "/" not in n and not n.startswith(".")}


def _refuse_inputs(folder: Path, names: set[str], inputs: Iterable[Path]) -> None:
    """Refuse an input that is (or links to) a file the report would replace."""
    replaced = {(folder / name).resolve() for name in names}
    for source in inputs:
        if source.resolve() in replaced:
            msg = f"{source}: is an input, and the report into {folder} would replace it; write the report elsewhere"
            raise InputError(msg)


def _write_all(report: Report, folder: Path, options: ReportOptions) -> list[Path]:
    written = []
    for name, table in report.tables.items():
        path = folder / f"{name}.csv"
        table.lazy().select(_inert(table.schema)).collect().write_csv(path)
        written.append(path)
    concordance = folder / "concordance.csv"
    lines = report.concordance.drop("day", "start", "end")
    lines.select(_inert(lines.collect_schema())).sink_csv(concordance)
    written.append(concordance)
    written += _charts(report, folder, options)
    written += _pages(report, folder, options, [p.name for p in written if p.suffix == ".csv"])
    return written


FORMULA_START = r"^[=+\-@\t\r]"
"""What a spreadsheet takes for a formula at the start of a cell (OWASP's CSV-injection rule)."""


def _inert(schema: Any) -> list[pl.Expr]:
    """Every column, a text cell that a spreadsheet would run as a formula prefixed with ``'``.

    These CSVs are for people, who open them in Excel or LibreOffice: a title
    ``=HYPERLINK(…)`` scraped from a page must show, not run. The hits files
    stay exact (they are for programs); the README says so.
    """
    import polars as pl

    return [
        pl.when(pl.col(name).str.contains(FORMULA_START)).then("'" + pl.col(name)).otherwise(pl.col(name)).alias(name)
        if dtype == pl.String
        else pl.col(name)
        for name, dtype in schema.items()
    ]


def _charts(report: Report, folder: Path, options: ReportOptions) -> list[Path]:
    import polars as pl

    tables = report.tables
    if tables["frequency"].height == 0:
        return []
    value = "per_10k_chars" if report.summary["characters"] else "hits"
    chosen = list(options.entries) or _busiest(tables["trends"])
    frequent = tables["frequency"].filter(pl.col("hits") > 0)["entry_id"].to_list()
    start = report.summary["first_date"] and period_bounds(report.summary["first_date"])[0]
    return [
        *trend_chart(tables["trends"], chosen[: options.top], value, folder),
        *heat_map(tables["trends"], chosen[: options.top * 3], value, folder, options.by),
        *timeline(tables["first_seen"], (list(options.entries) or frequent)[: options.top * 4], folder, start),
    ]


def _busiest(trends: pl.DataFrame) -> list[str]:
    """Entries by their hits in dated periods: what the trend charts can show, busiest first."""
    import polars as pl

    totals = trends.group_by("entry_id").agg(pl.col("hits").sum()).filter(pl.col("hits") > 0)
    return totals.sort(["hits", "entry_id"], descending=[True, False])["entry_id"].to_list()


def _pages(report: Report, folder: Path, options: ReportOptions, csvs: list[str]) -> list[Path]:
    import polars as pl
    from jinja2 import Environment, PackageLoader

    environment = Environment(loader=PackageLoader("phrasefinder.report", "templates"), autoescape=True)
    environment.filters.update(num=_number, pct=_percent, dec=_decimal)
    css = (files("phrasefinder.report") / "templates" / "base.css").read_text(encoding="utf-8")
    tables = report.tables
    first_seen = tables["first_seen"]
    index = environment.get_template("index.html").render(
        css=css,
        version=version("phrasefinder"),
        summary=report.summary,
        notes=report.notes,
        files=[*csvs, "concordance.html"],
        tiers=TIERS[:-1],
        frequency=_rows(tables["frequency"].filter(pl.col("hits") > 0).head(TABLE_ROWS)),
        **_intensity_grid(tables["intensity"], tables["frequency"]["entry_id"].head(20).to_list()),
        disagreements=_rows(first_seen.filter(pl.col("agreement").str.starts_with("earlier"))),
        censored=first_seen.filter(pl.col("at_corpus_start")).height,
        cooccurrence=_rows(tables["cooccurrence"].head(20)),
        breakdowns={
            name.removeprefix("by_"): _rows(table.sort("hits", descending=True).head(20))
            for name, table in tables.items()
            if name.startswith("by_")
        },
    )
    sample = concordance_sample(report, options.concordance_lines)
    hits = dict(tables["frequency"].select("entry_id", "hits").iter_rows())
    entries = [
        {"entry_id": entry, "phrase": lines["phrase"][0], "hits": hits.get(entry, 0), "lines": _rows(lines)}
        for entry, lines in ((key[0], group) for key, group in sample.group_by("entry_id", maintain_order=True))
    ]
    entries.sort(key=lambda e: -int(e["hits"]))
    concordance = environment.get_template("concordance.html").render(
        css=css, lines=options.concordance_lines, entries=entries, rule=report.summary["rule"]
    )
    pages = {"index.html": index, "concordance.html": concordance}
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in pages]


def _intensity_grid(intensity: pl.DataFrame, entries: list[str], years: int = 8) -> dict[str, Any]:
    """The last ``years`` years of the top entries, one row of tier cells per entry."""
    import polars as pl

    shown = sorted(intensity["year"].unique().drop_nulls().to_list())[-years:]
    rows = intensity.filter(pl.col("entry_id").is_in(entries) & pl.col("year").is_in(shown))
    by_entry = {key[0]: _rows(group.sort("year")) for key, group in rows.group_by("entry_id")}
    grid = [(by_entry[e][0]["phrase"], by_entry[e]) for e in entries if e in by_entry]
    sizes = dict(intensity.select("year", "year_documents").unique().iter_rows())
    return {"years": [(year, sizes.get(year, 0)) for year in shown], "intensity": grid}


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}" if value >= 0.001 or value == 0 else f"{value:.2%}"


def _decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
