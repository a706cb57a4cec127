"""``phrasefinder lexicon``: validate and summarize lexicon sets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from ..lexicon import Lexicon, init, validate
from .app import app

lexicon_app = typer.Typer(no_args_is_help=True, help="Validate and summarize lexicons.")
app.add_typer(lexicon_app, name="lexicon")


LexiconPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Lexicon files or folders. Default: $PHRASEFINDER_LEXICONS, else the bundled lexicons/."),
]


@lexicon_app.command("init")
def lexicon_init(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder for the working set.")],
    empty: Annotated[bool, typer.Option("--empty", help="An empty set instead of a copy of the bundled one.")] = False,
) -> None:
    """Make a writable lexicon set: a copy of the bundled lexicons with their review queue, or an empty set."""
    files = init(folder, empty=empty)
    typer.echo(f"{files} lexicon files in {folder}; use it with -l {folder} or PHRASEFINDER_LEXICONS={folder}")


@lexicon_app.command("check")
def lexicon_check(paths: LexiconPaths = None) -> None:
    """Validate lexicons: one line per problem (file:line: message), exit 1 if any."""
    lexicon, problems = validate(paths or None)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {len(lexicon)} entries in {len(lexicon.files)} files")


@lexicon_app.command("stats")
def lexicon_stats(paths: LexiconPaths = None) -> None:
    """Count entries by category, level and file."""
    lexicon = Lexicon.load(paths or None)
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
