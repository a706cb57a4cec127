"""``phrasefinder scan``: documents in, hits out."""

from __future__ import annotations

import time
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from ..files import refuse_overwrite
from ..ingest.chunks import MAX_DOCUMENT, ReadOptions
from ..ingest.partitions import BLOCK_BYTES
from ..lexicon import Lexicon
from .app import IncludeTextOption, LexiconOption, MaxDocumentOption, app, err, warning
from .console import HitTable, output_format, print_table, progress, progress_to, sink


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class MatchEngine(StrEnum):
    ahocorasick_rs = "ahocorasick_rs"
    pyahocorasick = "pyahocorasick"


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        help="Run on Dask: a scheduler's address (tcp://host:8786) or local:N (N worker processes here); "
        "-o and --stats then name folders of Parquet files, one per input partition.",
    ),
]


class OverlapMode(StrEnum):
    all = "all"
    longest = "longest"


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.", show_default=False)],
    lexicon: LexiconOption = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from -o's suffix, else table on a terminal, jsonl otherwise.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write hits here instead of stdout.")] = None,
    overlap: Annotated[
        OverlapMode, typer.Option(help="all: every occurrence, nested ones flagged; longest: leftmost-longest only.")
    ] = OverlapMode.all,
    context: Annotated[int, typer.Option(min=0, help="Characters of context on each side.")] = 20,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes; output is identical to -j 1.")
    ] = 1,
    body_only: Annotated[bool, typer.Option("--body-only", help="Drop hits flagged boilerplate or repeat.")] = False,
    text_field: Annotated[str, typer.Option(help="Record field holding the text (JSONL, CSV, Parquet).")] = "text",
    id_field: Annotated[str, typer.Option(help="Record field holding the document id.")] = "id",
    input_format: Annotated[
        str | None,
        typer.Option(
            help="Read every input as this format (text, html, jsonl, csv, parquet); needed for stdin records."
        ),
    ] = None,
    stats: Annotated[
        Path | None,
        typer.Option(help="Also write one row per document (date, characters, hits…) here: .jsonl, .csv or .parquet."),
    ] = None,
    engine: Annotated[
        MatchEngine, typer.Option(help="The automaton: ahocorasick_rs (Rust, the default) or pyahocorasick; same hits.")
    ] = MatchEngine.ahocorasick_rs,
    include_text: IncludeTextOption = False,
    max_document_mb: MaxDocumentOption = MAX_DOCUMENT / (1 << 20),
    scheduler: SchedulerOption = None,
    partition_mb: Annotated[
        float, typer.Option("--partition-mb", min=0.001, help="With --scheduler: input MB per task (one partition).")
    ] = BLOCK_BYTES / (1 << 20),
) -> None:
    """Scan documents and report every formula found, with offsets into the original text."""
    from ..ingest.chunks import input_files, total_size
    from ..ingest.formats import Format, format_of
    from ..scan.hitfiles import RENDERERS, HitSink, RowWriter
    from ..scan.pipeline import scan_paths
    from ..scan.scanner import Scanner
    from ..scan.stats import STATS_COLUMNS, undated_warning

    if input_format is not None and input_format not in set(Format):
        msg = f"unknown input format '{input_format}' (expected one of: {', '.join(Format)})"
        raise InputError(msg)
    options = ReadOptions(
        text_field=text_field, id_field=id_field, input_format=input_format,
        max_document=int(max_document_mb * (1 << 20)),
    )  # fmt: skip
    if scheduler is not None:
        settings = {
            "overlap": overlap.value, "context": context, "engine": engine.value, "body_only": body_only,
            "block": int(partition_mb * (1 << 20)),
        }  # fmt: skip
        _on_cluster(
            scheduler, paths, Lexicon.load(lexicon or None), output, stats, fmt, options, include_text, settings
        )
        return
    stats_format = format_of(str(stats), records=True) if stats else None
    if stats and not stats_format:
        msg = f"{stats}: --stats needs a .jsonl, .csv or .parquet file name"
        raise InputError(msg)
    chosen = output_format(
        fmt.value if fmt else None, output, lambda name: format_of(name, records=True), ".jsonl, .csv or .parquet"
    )
    scanner = Scanner(Lexicon.load(lexicon or None), overlap=overlap.value, context=context, engine=engine.value)
    render = RENDERERS.get(chosen)
    totals: Counter[str] = Counter()
    started = time.perf_counter()

    def warn(message: str) -> None:
        totals["warnings"] += 1
        warning(message)

    files = input_files(paths, warn, exclude=[p for p in (output, stats) if p], include_text=include_text)
    refuse_overwrite([output, stats], [*paths, *files])  # a file named as input, or reached in a folder
    undated: set[str] = set()
    with progress(total_size(files)) as advance, sink(output) as stream, sink(stats, stdout=False) as stats_stream:
        hits = HitTable() if chosen == "table" else HitSink(chosen, stream)
        per_document = RowWriter(stats_stream, stats_format or "jsonl", STATS_COLUMNS)
        for batch in scan_paths(
            scanner, files, options, jobs=jobs, body_only=body_only, render=render, stats=bool(stats), on_warning=warn
        ):
            for message in batch.warnings:
                warn(message)
            for name, value in batch.undated.items():
                if name in undated:
                    continue
                undated.add(name)
                warn(undated_warning(name, value))
            per_document.write(batch.stats)
            totals.update(documents=batch.documents, characters=batch.characters, hits=batch.hits_count)
            advance(batch.size)
            hits.add(batch)
        if isinstance(hits, HitTable):
            print_table(hits, None if output is None else stream)
        else:
            hits.close()
        per_document.close()
    seconds = time.perf_counter() - started
    err.print(
        f"{totals['documents']:,} documents, {totals['characters']:,} characters, "
        f"{totals['hits']:,} hits, {totals['warnings']:,} warnings, {seconds:.2f} s"
    )


def _on_cluster(
    scheduler: str,
    paths: list[str],
    lexicon: Lexicon,
    output: Path | None,
    stats: Path | None,
    fmt: OutputFormat | None,
    options: ReadOptions,
    include_text: bool,
    settings: dict[str, Any],
) -> None:
    """``scan --scheduler``: the hits as a Parquet dataset in the folder ``-o``, scanned by the cluster's workers."""
    from ..distributed import scan_dataset

    if output is None:
        msg = "--scheduler writes a Parquet dataset: give -o FOLDER (and --stats FOLDER for the statistics)"
        raise InputError(msg)
    if fmt not in (None, OutputFormat.parquet):
        msg = f"--scheduler writes Parquet (a dataset in {output}/), not {fmt.value}"
        raise InputError(msg)
    started = time.perf_counter()
    with progress_to() as update:
        summary = scan_dataset(
            paths, lexicon, output, client=scheduler, stats=stats, options=options, include_text=include_text,
            on_warning=warning, on_progress=update, **settings,
        )  # fmt: skip
    skipped = f", {summary.skipped:,} of {summary.partitions:,} partitions already written" if summary.skipped else ""
    err.print(
        f"{summary.documents:,} documents, {summary.characters:,} characters, {summary.hits:,} hits, "
        f"{summary.warnings:,} warnings, {time.perf_counter() - started:.2f} s ({summary.partitions:,} partitions"
        f"{skipped})"
    )
