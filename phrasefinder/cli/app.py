"""The ``phrasefinder`` command: parses arguments, calls the library, prints.

Exit codes: 0 the run completed (warnings included), 1 invalid lexicon,
2 bad usage or a path that does not exist.
"""

from __future__ import annotations

import io
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich import box
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from ..errors import InputError, LexiconError
from ..ingest.documents import ReadOptions
from ..lexicon.load import Lexicon, validate

if TYPE_CHECKING:
    from ..ingest.documents import Document
    from ..mine.candidates import Candidate
    from ..review.queue import Queue
    from ..scan.hit import Hit
    from ..scan.pipeline import Batch

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Find political formulas (提法) in Chinese texts.")
lexicon_app = typer.Typer(no_args_is_help=True, help="Validate and summarize lexicons.")
app.add_typer(lexicon_app, name="lexicon")

err = Console(stderr=True, highlight=False)

LexiconOption = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", "-l", help="Lexicon file or folder (repeatable). Default: the bundled lexicons/."),
]


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


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
) -> None:
    """Scan documents and report every formula found, with offsets into the original text."""
    from ..ingest.documents import FORMATS, input_files, total_size
    from ..scan.hitfiles import RENDERERS, RowWriter, format_for
    from ..scan.pipeline import scan_paths
    from ..scan.scanner import Scanner
    from ..scan.stats import STATS_COLUMNS, stats_schema

    if input_format is not None and input_format not in set(FORMATS.values()):
        _usage(f"unknown input format '{input_format}' (expected one of: {', '.join(sorted(set(FORMATS.values())))})")
    stats_format = format_for(str(stats)) if stats else None
    if stats and not stats_format:
        _usage(f"{stats}: --stats needs a .jsonl, .csv or .parquet file name")
    chosen = (
        fmt.value
        if fmt
        else format_for(str(output) if output else None) or ("table" if sys.stdout.isatty() and not output else "jsonl")
    )
    scanner = Scanner(_load(lexicon), overlap=overlap.value, context=context)
    options = ReadOptions(text_field=text_field, id_field=id_field, input_format=input_format)
    render = RENDERERS.get(chosen)
    totals: Counter[str] = Counter()
    started = time.perf_counter()

    def warn(message: str) -> None:
        totals["warnings"] += 1
        err.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True, highlight=False)

    files = _or_exit(lambda: input_files(paths, warn, exclude=[p for p in (output, stats) if p]))
    undated: set[str] = set()
    with _progress(total_size(files)) as advance, _sink(output) as stream, _sink(stats, stdout=False) as stats_stream:
        hits = _HitOutput(chosen, stream, to_terminal=output is None)
        per_document = RowWriter(stats_stream, stats_format or "jsonl", STATS_COLUMNS, stats_schema())
        for batch in scan_paths(
            scanner, files, options, jobs=jobs, body_only=body_only, render=render, stats=bool(stats), on_warning=warn
        ):
            for message in batch.warnings:
                warn(message)
            for name, value in batch.undated.items() - undated:
                undated.add(name)
                warn(f"{name}: cannot read the date '{value}' (and maybe others); kept as text in --stats")
            per_document.write(batch.stats)
            totals.update(documents=batch.documents, characters=batch.characters, hits=batch.hits_count)
            advance(batch.size)
            hits.add(batch)
        hits.close()
        per_document.close()
    seconds = time.perf_counter() - started
    err.print(
        f"{totals['documents']:,} documents, {totals['characters']:,} characters, "
        f"{totals['hits']:,} hits, {totals['warnings']:,} warnings, {seconds:.2f} s"
    )


class _HitOutput:
    """Where scan's hits go: bytes the workers rendered (JSONL, CSV), Parquet row groups, or a table."""

    def __init__(self, fmt: str, stream: IO[bytes], *, to_terminal: bool) -> None:
        from ..scan.hit import COLUMNS, hit_schema
        from ..scan.hitfiles import RowWriter, csv_header

        self.stream, self.to_terminal = stream, to_terminal
        self.table = _HitTable() if fmt == "table" else None
        self.parquet = RowWriter(stream, "parquet", COLUMNS, hit_schema(COLUMNS)) if fmt == "parquet" else None
        if fmt == "csv":
            stream.write(csv_header())

    def add(self, batch: Batch) -> None:
        if self.table:
            self.table.add(batch.hits)
        elif self.parquet:
            self.parquet.write([h.as_dict() for h in batch.hits])
        else:
            self.stream.write(batch.rendered)

    def close(self) -> None:
        if self.parquet:
            self.parquet.close()
        if self.table:
            _print_table(self.table, None if self.to_terminal else self.stream)


class CandidateFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"


@app.command()
def mine(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin (read as scan reads them).")],
    lexicon: LexiconOption = None,
    top: Annotated[int, typer.Option(min=1, help="How many candidates to report and queue.")] = 100,
    fmt: Annotated[
        CandidateFormat | None, typer.Option("--format", "-f", help="Default: table on a terminal, jsonl otherwise.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write candidates here instead of stdout.")
    ] = None,
    min_freq: Annotated[
        int | None,
        typer.Option(min=1, help="Fewest occurrences for a statistical candidate. Default: 2, more on big corpora."),
    ] = None,
    text_field: Annotated[str, typer.Option(help="Record field holding the text.")] = "text",
    id_field: Annotated[str, typer.Option(help="Record field holding the document id.")] = "id",
    input_format: Annotated[str | None, typer.Option(help="Read every input as this format.")] = None,
) -> None:
    """Propose formula-like phrases not in the lexicons yet, and queue them for review."""
    from ..ingest.documents import input_files, read_documents
    from ..mine.candidates import mine as mine_candidates
    from ..review.queue import Queue

    lexicons = _load(lexicon)
    queue = Queue(_queue_folder(lexicon))
    options = ReadOptions(text_field=text_field, id_field=id_field, input_format=input_format)
    warnings: list[str] = []
    files = _or_exit(lambda: input_files(paths, warnings.append, exclude=[output] if output else []))

    def documents() -> Iterator[Document]:
        return read_documents(files, options, on_warning=warnings.append)

    started = time.perf_counter()
    candidates = mine_candidates(documents, lexicons, decided=queue.decided_phrases(), top=top, min_freq=min_freq)
    for message in dict.fromkeys(warnings):  # each document is read twice: say it once
        err.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True, highlight=False)
    added = queue.add(candidates)
    chosen = fmt.value if fmt else ("table" if sys.stdout.isatty() and not output else "jsonl")
    with _sink(output) as stream:
        _write_candidates(candidates, chosen, stream)
    err.print(
        f"{len(candidates):,} candidates, {added:,} new in {queue.pending_path}, {time.perf_counter() - started:.2f} s"
    )


def _queue_folder(lexicon: list[Path] | None) -> Path:
    """The lexicon set's first folder: where its review queue and decision log live."""
    first = lexicon[0] if lexicon else _default_lexicon()
    return first if first.is_dir() else first.parent


def _write_candidates(candidates: list[Candidate], fmt: str, stream: IO[bytes]) -> None:
    import json

    records = [c.as_dict() for c in candidates]
    if fmt == "jsonl":
        stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    elif fmt == "yaml":
        import yaml

        stream.write(yaml.safe_dump(records, allow_unicode=True, sort_keys=False).encode())
    elif fmt == "csv":
        import csv

        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["id", "phrase", "score", "freq", "docs", "signals", "forms", "example"])
        for c in candidates:
            example = c.examples[0] if c.examples else None
            shown = f"{example.left}[{example.matched}]{example.right}" if example else ""
            writer.writerow(
                [c.id, c.phrase, f"{c.score:.2f}", c.freq, c.docs, ";".join(c.signals), ";".join(c.forms), shown]
            )
        stream.write(text.getvalue().encode())
    else:
        table = Table(header_style="bold", box=box.SIMPLE_HEAD)
        for name in ("#", "phrase", "score", "freq", "docs", "signals", "example"):
            table.add_column(name, overflow="fold")
        for rank, c in enumerate(candidates, 1):
            example = c.examples[0] if c.examples else None
            shown = (
                f"{escape(example.left[-8:])}[bold red]{escape(example.matched)}[/]{escape(example.right[:8])}"
                if example
                else ""
            )
            table.add_row(str(rank), c.phrase, f"{c.score:.1f}", str(c.freq), str(c.docs), " ".join(c.signals), shown)
        Console(highlight=False).print(table)


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
    from ..report.tables import ReportOptions, build, load_hits, load_stats

    options = ReportOptions(
        by=by.value, entries=tuple(entry or ()), categories=tuple(category or ()), all_hits=all_hits,
        dedupe=dedupe, count=count.value, include_nested=include_nested, top=top, concordance_lines=lines,
    )  # fmt: skip
    with _status("reporting"):
        built = _or_exit(lambda: build(load_hits(hits), load_stats(stats) if stats else None, options, _load(lexicon)))
        written = _or_exit(lambda: write(built, output, options))
    for note in built.notes:
        err.print(f"[yellow]note:[/] {escape(note)}", soft_wrap=True, highlight=False)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(built.summary, ensure_ascii=False, indent=2))
    summary = built.summary
    err.print(
        f"{summary['hits']:,} hits of {summary['entries']:,} formulas in {summary['documents_with_hits']:,} of "
        f"{summary['documents']:,} documents; {len(written)} files in {output}/ (open {output / 'index.html'})",
        soft_wrap=True,
    )


review_app = typer.Typer(help="Decide on mined candidates: accept them into a lexicon or reject them.")
app.add_typer(review_app, name="review")


KEYS = "[bold]a[/]ccept  [bold]e[/]dit and accept  [bold]r[/]eject  [bold]s[/]kip  [bold]u[/]ndo  [bold]q[/]uit"


@review_app.callback(invoke_without_command=True)
def review(ctx: typer.Context, lexicon: LexiconOption = None) -> None:
    """On a terminal, walk the pending candidates one key at a time (a, e, r, s, u, q)."""
    if ctx.invoked_subcommand:
        return
    if not sys.stdin.isatty():
        _usage("interactive review needs a terminal; use 'review list', 'review accept' or 'review reject'")
    from ..review.queue import Queue

    paths = lexicon or [_default_lexicon()]
    _ReviewSession(Queue(_queue_folder(paths)), paths).run()


class _ReviewSession:
    """The interactive loop: show a candidate, read one key, act, repeat."""

    def __init__(self, queue: Queue, paths: list[Path]) -> None:
        self.queue, self.paths = queue, paths
        self.console = Console(highlight=False)
        self.skipped: set[str] = set()
        self.decided: list[str] = []

    def run(self) -> None:
        while True:
            waiting = [c for c in self.queue.pending() if c["id"] not in self.skipped]
            if not waiting:
                self.console.print("Nothing left to review.")
                return
            self.show(waiting[0], len(waiting))
            key = typer.getchar()
            if key == "q":
                return
            self.act(key, waiting[0])

    def show(self, candidate: dict[str, Any], left: int) -> None:
        self.console.rule(f"{left} pending")
        self.console.print(f"[bold]{escape(candidate['phrase'])}[/]  {candidate['id']}")
        self.console.print(
            f"score {candidate['score']:.1f}  freq {candidate['freq']}  docs {candidate['docs']}  "
            f"signals: {' '.join(candidate['signals']) or '-'}  forms: {' / '.join(candidate.get('forms', []))}"
        )
        for example in candidate.get("examples", []):
            self.console.print(
                f"  {escape(example['left'])}[bold red]{escape(example['matched'])}[/]{escape(example['right'])}"
                f"  [dim]{escape(example['doc_id'])}[/]"
            )
        self.console.print(KEYS)

    def act(self, key: str, candidate: dict[str, Any]) -> None:
        from ..review.queue import ReviewError, accept, reject, undo

        try:
            if key in ("a", "e"):
                answers = self.ask_entry(candidate, edit=key == "e")
                entry, target = accept(self.queue, self.paths, candidate["id"], **answers)
                self.decided.append(candidate["id"])
                self.console.print(f"accepted as {entry.id} into {target}")
            elif key == "r":
                reason = typer.prompt("reason", default="", show_default=False) or None
                reject(self.queue, candidate["id"], reason=reason)
                self.decided.append(candidate["id"])
                self.console.print("rejected")
            elif key == "s":
                self.skipped.add(candidate["id"])
            elif key == "u" and self.decided:
                undone = self.decided.pop()
                undo(self.queue, self.paths, undone)
                self.skipped.discard(undone)
                self.console.print(f"undone: {undone} is pending again")
        except (ReviewError, LexiconError) as exc:
            self.console.print(f"[red]not done:[/] {escape(str(exc))}")

    def ask_entry(self, candidate: dict[str, Any], edit: bool) -> dict[str, Any]:
        from ..review.queue import suggest_target

        phrase = typer.prompt("phrase", default=candidate["phrase"]) if edit else None
        category = typer.prompt("category", default="slogan")
        return {
            "phrase": phrase,
            "category": category,
            "entry_id": typer.prompt("id", default=candidate["id"]),
            "level": typer.prompt("level", default="other"),
            "region": typer.prompt("region", default="", show_default=False) or None,
            "into": Path(typer.prompt("into", default=str(suggest_target(self.paths, category)))),
        }


@review_app.command("list")
def review_list(lexicon: LexiconOption = None) -> None:
    """List the pending candidates, best first."""
    from ..review.queue import Queue

    queue = Queue(_queue_folder(lexicon))
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    for name in ("id", "phrase", "score", "freq", "docs", "signals"):
        table.add_column(name, overflow="fold")
    pending = queue.pending()
    for c in pending:
        table.add_row(c["id"], c["phrase"], f"{c['score']:.1f}", str(c["freq"]), str(c["docs"]), " ".join(c["signals"]))
    Console(highlight=False).print(table)
    err.print(f"{len(pending):,} pending in {queue.pending_path}")


@review_app.command("accept")
def review_accept(
    candidate: Annotated[str, typer.Argument(help="The candidate id (c-…), as 'review list' shows it.")],
    category: Annotated[str, typer.Option(help="The entry's category.")],
    entry_id: Annotated[str | None, typer.Option("--id", help="The entry id. Default: the candidate id.")] = None,
    level: Annotated[str | None, typer.Option(help="national, provincial, municipal, county or other.")] = None,
    region: Annotated[str | None, typer.Option(help="Region of a local formula.")] = None,
    phrase: Annotated[str | None, typer.Option(help="The phrase as it should stand (edited).")] = None,
    first_seen: Annotated[
        str | None, typer.Option(help="When the formula was first put forward (YYYY[-MM[-DD]]).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Where it is attested. Default: the document it was mined from.")
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="A note for curators. Default: the candidate id and signals.")
    ] = None,
    variant: Annotated[list[str] | None, typer.Option(help="Another written form (repeatable).")] = None,
    member: Annotated[list[str] | None, typer.Option(help="A member of an enumerated formula (repeatable).")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="A longer phrase that is not this formula (repeatable).")
    ] = None,
    into: Annotated[Path | None, typer.Option(help="The lexicon file that receives the entry.")] = None,
    lexicon: LexiconOption = None,
) -> None:
    """Add a candidate to a lexicon file (comments and order kept) and log the decision."""
    from ..review.queue import Queue, ReviewError, accept

    paths = lexicon or [_default_lexicon()]
    queue = Queue(_queue_folder(paths))
    try:
        entry, target = accept(
            queue, paths, candidate, category=category, entry_id=entry_id, phrase=phrase, into=into,
            level=level, region=region, first_seen=first_seen, source=source, note=note,
            variants=variant, members=member, exclude=exclude,
        )  # fmt: skip
    except ReviewError as exc:
        _usage(str(exc))
    except LexiconError as exc:
        for problem in exc.problems:
            err.print(str(problem), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    typer.echo(f"accepted {candidate} as '{entry.id}' ({entry.phrase}) into {target}")


@review_app.command("reject")
def review_reject(
    candidate: Annotated[str, typer.Argument(help="The candidate id (c-…).")],
    reason: Annotated[str | None, typer.Option(help="Why, for the decision log.")] = None,
    lexicon: LexiconOption = None,
) -> None:
    """Reject a candidate: logged, and never proposed again."""
    from ..review.queue import Queue, ReviewError, reject

    try:
        record = reject(Queue(_queue_folder(lexicon)), candidate, reason=reason)
    except ReviewError as exc:
        _usage(str(exc))
    typer.echo(f"rejected {candidate} ({record['phrase']})")


def _default_lexicon() -> Path:
    from ..lexicon.load import default_path

    return default_path()


LexiconPaths = Annotated[
    list[Path] | None, typer.Argument(help="Lexicon files or folders. Default: the bundled lexicons/.")
]


@lexicon_app.command("check")
def lexicon_check(paths: LexiconPaths = None) -> None:
    """Validate lexicons: one line per problem (file:line: message), exit 1 if any."""
    lexicon, problems = _or_exit(lambda: validate(paths or None))
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {len(lexicon)} entries in {len(lexicon.files)} files")


@lexicon_app.command("stats")
def lexicon_stats(paths: LexiconPaths = None) -> None:
    """Count entries by category, level and file."""
    lexicon = _load(paths)
    console = Console(highlight=False)
    for title, counts in (
        ("category", Counter(e.category for e in lexicon)),
        ("level", Counter(e.level or "-" for e in lexicon)),
        ("file", Counter(e.path for e in lexicon)),
    ):
        table = Table(title=f"entries by {title}", title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column(title)
        table.add_column("entries", justify="right")
        for key, count in counts.most_common():
            table.add_row(key, str(count))
        table.add_row("[bold]total", f"[bold]{sum(counts.values())}")
        console.print(table)


class _HitTable:
    """Hits as a concordance: where, which formula, and the words either side aligned on it."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []

    def add(self, hits: list[Hit]) -> None:
        self.hits.extend(hits)

    def render(self, width: int) -> Table:
        table = Table(header_style="bold", pad_edge=False, box=None, caption_justify="left")
        table.caption = "flags: N nested, B boilerplate, R repeat, F fails its sense rule, A ambiguous"
        columns: list[tuple[str, JustifyMethod]] = [
            ("doc", "left"), ("formula", "left"), ("at", "right"), ("flags", "left"),
            ("left", "right"), ("matched", "left"), ("right", "left"),
        ]  # fmt: skip
        widths = {"doc": 14, "formula": 14, "matched": 14}
        for name, justify in columns:
            table.add_column(name, justify=justify, no_wrap=True, overflow="ellipsis", max_width=widths.get(name))
        side = max(4, (width - 64) // 4)  # characters of context each side; CJK takes two cells
        for hit in self.hits:
            flags = "".join(
                f
                for f, on in (
                    ("N", hit.nested), ("B", hit.boilerplate), ("R", hit.repeat),
                    ("F", hit.sense == "failed"), ("A", hit.sense == "ambiguous"),
                )
                if on
            )  # fmt: skip
            formula = hit.phrase + (f"/{hit.member}" if hit.member else "")
            left, right = _flat(hit.context_left)[-side:], _flat(hit.context_right)[:side]
            table.add_row(
                Path(hit.doc_id).name or hit.doc_id,
                formula,
                str(hit.start),
                flags,
                left,
                f"[bold red]{_flat(hit.matched)}",
                right,
            )
        return table


def _print_table(table: _HitTable, stream: IO[bytes] | None) -> None:
    if stream is None:
        console = Console(highlight=False)
        console.print(table.render(console.width))
        return
    text = io.TextIOWrapper(stream, encoding="utf-8")
    console = Console(file=text, highlight=False, width=200)
    console.print(table.render(console.width))
    text.flush()
    text.detach()


def _flat(text: str) -> str:
    return escape(" ".join(text.split()))


def _load(paths: list[Path] | None) -> Lexicon:
    try:
        return Lexicon.load(paths or None)
    except LexiconError as exc:
        for problem in exc.problems:
            err.print(str(problem), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except InputError as exc:
        _usage(str(exc))


def _or_exit(call: Callable[[], T]) -> T:
    try:
        return call()
    except InputError as exc:
        _usage(str(exc))


def _usage(message: str) -> NoReturn:
    err.print(f"[red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar by bytes read, on stderr, only when stderr is a terminal."""
    if not err.is_terminal or total == 0:
        yield lambda _: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    # No refresh thread (auto_refresh=False): a single-threaded parent may fork its workers.
    columns = ("scanning", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("scan", total=total)

        def advance(nbytes: int) -> None:
            bar.advance(task, nbytes)
            bar.refresh()

        yield advance


def _status(message: str) -> AbstractContextManager[object]:
    """A spinner on stderr for work with no measurable progress, only when stderr is a terminal."""
    return err.status(message) if err.is_terminal else nullcontext()


@contextmanager
def _sink(output: Path | None, *, stdout: bool = True) -> Iterator[IO[bytes]]:
    """``output`` opened for writing; stdout when it is ``None`` (or a null stream, with ``stdout=False``)."""
    if output is None:
        yield sys.stdout.buffer if stdout else io.BytesIO()
        return
    try:
        stream = open(output, "wb")  # noqa: SIM115 - closed below, once it is known to be open
    except OSError as exc:
        _usage(f"{output}: cannot write ({exc.strerror})")
    with stream:
        yield stream
