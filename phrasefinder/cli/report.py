"""``phrasefinder report``: hits into tables, charts and a page."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..lexicon import Lexicon
from .app import LexiconOption, app, err, shown
from .console import status


class Period(StrEnum):
    year = "year"
    quarter = "quarter"
    month = "month"
    day = "day"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class CountRule(StrEnum):
    phrase = "phrase"
    members = "members"
    all = "all"


@app.command()
def report(
    hits: Annotated[list[Path], typer.Argument(help="Hits files (.jsonl, .csv, .parquet) or folders of them.")],
    stats: Annotated[
        Path | None, typer.Option(help="The per-document file 'scan --stats' wrote: rates and empty periods.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the report into.")] = Path("reports"),
    by: Annotated[Period, typer.Option(help="Period of trends.csv and the charts.")] = Period.month,
    entry: Annotated[list[str] | None, typer.Option(help="Only this entry id (repeatable).")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Only this category (repeatable).")] = None,
    all_hits: Annotated[bool, typer.Option("--all-hits", help="Count hits flagged boilerplate or repeat too.")] = False,
    dedupe: Annotated[
        bool, typer.Option("--dedupe", help="Count near-duplicate documents once (needs --stats).")
    ] = False,
    count: Annotated[
        CountRule,
        typer.Option(help="phrase: occurrences of the formula; members: of its members; all: both."),
    ] = CountRule.phrase,
    include_nested: Annotated[
        bool, typer.Option("--include-nested", help="Also count a hit that lies inside a longer formula's hit.")
    ] = False,
    top: Annotated[int, typer.Option(min=1, help="Entries in the trend chart (x3 in the heat map).")] = 8,
    lines: Annotated[int, typer.Option(min=1, help="Concordance lines per entry on the page.")] = 20,
    lexicon: LexiconOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="json: print the summary to stdout for scripts.")
    ] = ReportFormat.text,
) -> None:
    """Turn hits into frequency, trend, intensity, first-appearance and co-occurrence tables, charts and a page."""
    import json

    from ..report.publish import write
    from ..report.tables import ReportOptions, build
    from ..scan.hitfiles import hit_files, load_hits, load_stats

    options = ReportOptions(
        by=by.value, entries=tuple(entry or ()), categories=tuple(category or ()), all_hits=all_hits,
        dedupe=dedupe, count=count.value, include_nested=include_nested, top=top, concordance_lines=lines,
    )  # fmt: skip
    with status("reporting"):
        built = build(load_hits(hits), load_stats(stats) if stats else None, options, Lexicon.load(lexicon or None))
        written = write(built, output, options, inputs=[*hit_files(hits), *([stats] if stats else [])])
    for note in built.notes:
        err.print(f"[yellow]note:[/] {shown(note)}", soft_wrap=True, highlight=False)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(built.summary, ensure_ascii=False, indent=2))
    summary = built.summary
    err.print(
        f"{summary['hits']:,} hits of {summary['entries']:,} formulas in {summary['documents_with_hits']:,} of "
        f"{summary['documents']:,} documents; {len(written)} files in {shown(str(output))}/ "
        f"(open {shown(str(output / 'index.html'))})",
        soft_wrap=True,
    )
