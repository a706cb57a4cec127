"""What a person sees on a terminal: the hit and candidate tables, progress, and where output goes."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import typer
from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table

from ..errors import InputError, LexiconError, ReviewError
from ..files import atomic_output
from .app import err, shown

if TYPE_CHECKING:
    from ..mine.candidates import Candidate
    from ..review.queue import Queue
    from ..scan.hit import Hit
    from ..scan.pipeline import Batch

T = TypeVar("T")


class HitTable:
    """Hits as a concordance: where, which formula, and the words either side aligned on it."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []

    def add(self, batch: Batch) -> None:
        self.hits.extend(batch.hits)

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
                shown(Path(hit.doc_id).name or hit.doc_id),
                shown(formula),
                str(hit.start),
                flags,
                left,
                f"[bold red]{_flat(hit.matched)}",
                right,
            )
        return table


def print_table(table: HitTable, stream: IO[bytes] | None) -> None:
    _print(table.render, stream)


def _print(render: Callable[[int], Any], stream: IO[bytes] | None) -> None:
    """A table rendered for the terminal's width on stdout, or 200 columns wide into ``stream`` (``-o``)."""
    if stream is None:
        console = Console(highlight=False)
        console.print(render(console.width))
        return
    text = io.TextIOWrapper(stream, encoding="utf-8")
    console = Console(file=text, highlight=False, width=200)
    console.print(render(console.width))
    text.flush()
    text.detach()


def _flat(text: str) -> str:
    return shown(" ".join(text.split()))


KEYS = "[bold]a[/]ccept  [bold]e[/]dit and accept  {}[bold]r[/]eject  [bold]s[/]kip  [bold]u[/]ndo  [bold]q[/]uit"
VARIANT_KEY = "accept as [bold]v[/]ariant of '{}'  "
"""Offered only for a candidate ``mine`` found to be a form of a known entry."""


class ReviewSession:
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
        self.console.print(f"[bold]{shown(candidate['phrase'])}[/]  {shown(candidate['id'])}")
        self.console.print(
            f"score {candidate['score']:.1f}  freq {candidate['freq']}  docs {candidate['docs']}  "
            f"signals: {' '.join(candidate['signals']) or '-'}  forms: {' / '.join(candidate.get('forms', []))}"
        )
        for example in candidate.get("examples", []):
            self.console.print(
                f"  {shown(example['left'])}[bold red]{shown(example['matched'])}[/]{shown(example['right'])}"
                f"  [dim]{shown(example['doc_id'])}[/]"
            )
        variant_of = candidate.get("variant_of")
        self.console.print(KEYS.format(VARIANT_KEY.format(shown(variant_of)) if variant_of else ""))

    def act(self, key: str, candidate: dict[str, Any]) -> None:
        from ..review.queue import accept, accept_variant, reject, undo

        try:
            if key in ("a", "e"):
                answers = self.ask_entry(candidate, edit=key == "e")
                entry, target = accept(self.queue, self.paths, candidate["id"], **answers)
                self.decided.append(candidate["id"])
                self.console.print(f"accepted as {entry.id} into {target}")
            elif key == "v":
                entry, target = accept_variant(self.queue, self.paths, candidate["id"])
                self.decided.append(candidate["id"])
                self.console.print(f"accepted as a variant of {entry.id} in {target}")
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
        except (ReviewError, LexiconError) as exc:  # the session goes on: the curator reads why and decides again
            self.console.print(f"[red]not done:[/] {shown(str(exc))}")

    def ask_entry(self, candidate: dict[str, Any], edit: bool) -> dict[str, Any]:
        """The entry's fields, each offered with the default its evidence gives; ``-`` clears the region."""
        from ..review.suggest import suggest

        phrase = typer.prompt("phrase", default=candidate["phrase"]) if edit else None
        default = suggest(candidate, self.paths, phrase=phrase)
        category = typer.prompt("category", default=default.category)
        entry_id = typer.prompt("id", default=default.entry_id)
        level = typer.prompt("level", default=default.level)
        answer = typer.prompt("region (- for none)", default=default.region or "-")
        region = None if answer == "-" else answer
        into = suggest(candidate, self.paths, phrase=phrase, category=category, level=level, region=region).into
        return {
            "phrase": phrase,
            "category": category,
            "entry_id": entry_id,
            "level": level,
            "region": region,
            "into": Path(typer.prompt("into", default=str(into))),
        }


def candidate_table(candidates: list[Candidate], stream: IO[bytes] | None = None) -> None:
    """The candidates, best first, with the phrase highlighted in its first example (on stdout, or into ``stream``)."""
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    for name in ("#", "phrase", "score", "freq", "docs", "signals", "example"):
        table.add_column(name, overflow="fold")
    for rank, c in enumerate(candidates, 1):
        example = c.examples[0] if c.examples else None
        context = (
            f"{shown(example.left[-8:])}[bold red]{shown(example.matched)}[/]{shown(example.right[:8])}"
            if example
            else ""
        )
        table.add_row(
            str(rank), shown(c.phrase), f"{c.score:.1f}", str(c.freq), str(c.docs), " ".join(c.signals), context
        )
    _print(lambda _: table, stream)


def explanation(candidate: Candidate) -> None:
    """Why the candidate ranked where it did: each feature's value and what it added to the score."""
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, title=f"{candidate.id} {shown(candidate.phrase)}")
    for name, justify in (("feature", "left"), ("value", "right"), ("contribution", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for term in candidate.terms:
        table.add_row(term.name, f"{term.value:g}", f"{term.contribution:+.3f}")
    table.add_row("score", "", f"{candidate.score:.3f}", style="bold")
    Console(highlight=False).print(table)
    Console(highlight=False).print(
        f"ranked by {candidate.ranking}" + (f"; a form of {candidate.variant_of}" if candidate.variant_of else "")
    )


@contextmanager
def progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar by bytes read, on stderr, only when stderr is a terminal: ``advance(bytes)``."""
    if total == 0:
        yield lambda _: None
        return
    done = 0
    with progress_to() as update:

        def advance(nbytes: int) -> None:
            nonlocal done
            done += nbytes
            update(done, total)

        yield advance


@contextmanager
def progress_to() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, only when stderr is a terminal: ``update(bytes done, bytes in all)``, for
    work whose size is known only once it has begun (a cluster run plans its partitions first)."""
    if not err.is_terminal:
        yield lambda _done, _total: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    # No refresh thread (auto_refresh=False): a single-threaded parent may fork its workers.
    columns = ("scanning", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("scan", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            bar.refresh()

        yield update


@contextmanager
def passes(names: tuple[str, ...]) -> Iterator[Callable[[Iterable[T]], Iterator[T]]]:
    """Progress of a run that reads its input more than once, on stderr, only when stderr is a terminal.

    Yields a wrapper for each pass's iterator, in order: the first pass counts
    what it reads; every later one has that count as its total.
    """
    if not err.is_terminal:
        yield iter
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        seen = {"passes": 0, "items": 0}

        def counted(items: Iterable[T]) -> Iterator[T]:
            number = seen["passes"]
            seen["passes"] += 1
            total = seen["items"] if number else None
            name = names[min(number, len(names) - 1)]
            task = bar.add_task(f"pass {number + 1}/{len(names)}: {name}", total=total)
            count = 0
            for item in items:
                yield item
                count += 1
                bar.advance(task)
            seen["items"] = count
            bar.update(task, total=count, completed=count)

        yield counted


def status(message: str) -> AbstractContextManager[object]:
    """A spinner on stderr for work with no measurable progress, only when stderr is a terminal."""
    return err.status(message) if err.is_terminal else nullcontext()


def output_format(given: str | None, output: Path | None, by_name: Callable[[str], str | None], names: str) -> str:
    """The format asked for; else the one ``-o``'s name says (``names`` lists them; another name is an error,
    before any work is done); else a table on a terminal and JSON lines for a pipe."""
    if given:
        return given
    if output is None:
        return "table" if sys.stdout.isatty() else "jsonl"
    found = by_name(str(output))
    if found is None:
        msg = f"{output}: cannot tell the output format from the name; use {names}, or give -f"
        raise InputError(msg)
    return found


@contextmanager
def sink(output: Path | None, *, stdout: bool = True) -> Iterator[IO[bytes]]:
    """``output`` written whole or not at all; stdout when it is ``None`` (or a null stream, with ``stdout=False``)."""
    if output is None:
        yield sys.stdout.buffer if stdout else io.BytesIO()
        return
    with atomic_output(output) as stream:
        yield stream
