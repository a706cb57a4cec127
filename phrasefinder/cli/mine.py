"""``phrasefinder mine``: formula candidates from a corpus, queued for review."""

from __future__ import annotations

import time
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from ..ingest.chunks import MAX_DOCUMENT, ReadOptions
from ..lexicon import Lexicon
from .app import IncludeTextOption, LexiconOption, MaxDocumentOption, app, err, shown, warning
from .console import candidate_table, explanation, output_format, passes, sink

if TYPE_CHECKING:
    from ..ingest.documents import Document
    from ..mine.candidates import Candidate


SUFFIXES = {".jsonl": "jsonl", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}


def _format_of(name: str) -> str | None:
    """The candidate format a file name says."""
    return SUFFIXES.get(Path(name).suffix.lower())


def _explained(candidates: list[Candidate], wanted: str, top: int) -> Candidate:
    """The candidate ``--explain`` names, by id or by phrase."""
    from ..text.normalize import normalize_phrase

    for candidate in candidates:
        if wanted == candidate.id or normalize_phrase(wanted) == candidate.phrase:
            return candidate
    msg = f"{wanted}: not among the top {top:,} candidates of this run (raise --top, or check the id)"
    raise InputError(msg)


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
    include_text: IncludeTextOption = False,
    max_document_mb: MaxDocumentOption = MAX_DOCUMENT / (1 << 20),
    scheduler: Annotated[
        str | None,
        typer.Option(help="Count on Dask: a scheduler's address (tcp://host:8786) or local:N; the same candidates."),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(help="Print why the candidate with this id (or phrase) ranked where it did, and queue nothing."),
    ] = None,
) -> None:
    """Propose formula-like phrases not in the lexicons yet, and queue them for review."""
    from ..ingest.chunks import input_files
    from ..ingest.documents import read_documents
    from ..mine.candidates import mine as mine_candidates
    from ..mine.candidates import write_candidates
    from ..review.queue import Queue

    chosen = output_format(
        fmt.value if fmt else None,
        output,
        lambda name: SUFFIXES.get(Path(name).suffix.lower()),
        ".jsonl, .csv or .yaml",
    )
    lexicons = Lexicon.load(lexicon or None)
    queue = Queue.of(lexicon)
    queue.check_writable()  # before the mining, not after it
    queue.recover()
    options = ReadOptions(
        text_field=text_field, id_field=id_field, input_format=input_format,
        max_document=int(max_document_mb * (1 << 20)),
    )  # fmt: skip
    warnings: list[str] = []
    started = time.perf_counter()
    decided, rejected = queue.decided_phrases(), queue.rejected_phrases()
    if scheduler is not None:
        from ..distributed import mine_dataset

        candidates = mine_dataset(
            paths, lexicons, client=scheduler, decided=decided, rejected=rejected, top=top, min_freq=min_freq,
            options=options, include_text=include_text, exclude=[output] if output else [],
            on_warning=warnings.append,
        )  # fmt: skip
    else:
        files = input_files(paths, warnings.append, exclude=[output] if output else [], include_text=include_text)
        with passes(("counting", "evidence")) as counted:

            def documents() -> Iterator[Document]:
                return counted(read_documents(files, options, on_warning=warnings.append))

            candidates = mine_candidates(
                documents, lexicons, decided=decided, rejected=rejected, top=top, min_freq=min_freq
            )
    for message in dict.fromkeys(warnings):  # each document is read twice: say it once
        warning(message)
    if explain is not None:
        explanation(_explained(candidates, explain, top))
        return
    with sink(output) as stream:
        if chosen == "table":
            candidate_table(candidates, None if output is None else stream)
        else:
            write_candidates(candidates, chosen, stream)
    added = queue.add(candidates)  # after the output: a queue that cannot be written loses no candidates
    err.print(
        f"{len(candidates):,} candidates, {added:,} new in {shown(str(queue.pending_path))}, "
        f"{time.perf_counter() - started:.2f} s",
        soft_wrap=True,
    )
