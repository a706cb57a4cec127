"""Scanning input files end to end, on one process or several, with identical output.

The parent process only cuts the input into chunks (whole files, or 1 MB runs
of JSONL lines) and writes what comes back. Each chunk is read, decoded,
scanned and, for JSONL and CSV output, rendered by whichever process takes it,
so the work that costs spreads over every core. Results are taken in chunk
order, with at most a few chunks in flight per worker: output is the same as
with one process, and memory stays flat however large the corpus.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ScanError
from ..ingest.chunks import Chunk, ReadOptions, chunks, total_size
from ..ingest.documents import read_chunk
from .stats import document_stats

if TYPE_CHECKING:
    from .hit import Hit
    from .scanner import Scanner

Render = Callable[[list["Hit"]], bytes]

TASK_BYTES = 1 << 20
IN_FLIGHT_PER_JOB = 4
SMALL_INPUT = TASK_BYTES
"""Bytes of input per job below which ``-j N`` scans in one process: workers would only add their start-up."""


@dataclass
class Batch:
    """What scanning one task of chunks produced."""

    documents: int = 0
    characters: int = 0
    hits_count: int = 0
    hits: list[Hit] = field(default_factory=list)
    rendered: bytes = b""
    warnings: list[str] = field(default_factory=list)
    size: int = 0
    stats: list[dict[str, Any]] = field(default_factory=list)
    undated: dict[str, str] = field(default_factory=dict)
    """Input file -> the first date in it that could not be read."""


@dataclass(frozen=True)
class Job:
    """Everything a process needs to turn chunks into batches."""

    options: ReadOptions
    body_only: bool
    render: Render | None
    stats: bool


def scan_paths(
    scanner: Scanner,
    files: Iterable[str],
    options: ReadOptions,
    *,
    jobs: int = 1,
    body_only: bool = False,
    render: Render | None = None,
    stats: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[Batch]:
    """Scan every document in ``files`` (from :func:`input_files`); one :class:`Batch` per task, in order.

    ``render`` (a module-level function, so it can travel to a worker) turns
    hits into output bytes where they are found; ``body_only`` drops hits
    flagged boilerplate or repeat; ``stats`` adds one row of
    :func:`~phrasefinder.stats.document_stats` per document.
    """
    warn = on_warning or (lambda _: None)
    job = Job(options, body_only, render, stats)
    files = list(files)
    tasks = _tasks(chunks(files, options, warn))
    if jobs <= 1 or _small(files, jobs):
        for alone in tasks:
            yield scan_task(scanner, job, alone)
        return
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(scanner, job)) as pool:
        pending: deque[tuple[Future[Batch], list[Chunk]]] = deque()
        task: list[Chunk] = []  # the one being submitted, if submitting is what fails
        try:
            for task in tasks:
                pending.append((pool.submit(_scan_in_worker, task), task))
                if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    yield _oldest(pending)
            while pending:
                yield _oldest(pending)
        except BrokenProcessPool:
            raise _died([*(t for _, t in pending), task]) from None
        except GeneratorExit:  # the reader stopped early (a closed pipe): drop the queued work, do not finish it
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _small(files: list[str], jobs: int) -> bool:
    """Input too small to give each worker a task: starting workers would cost more than they save."""
    return "-" not in files and total_size(files) < jobs * SMALL_INPUT


def _oldest(pending: deque[tuple[Future[Batch], list[Chunk]]]) -> Batch:
    """The oldest task's batch, taken off the queue once it is in hand (so a failure can still name it)."""
    batch = pending[0][0].result()
    pending.popleft()
    return batch


def _died(tasks: list[list[Chunk]]) -> ScanError:
    """A worker that died (killed, out of memory) stops the run with the inputs in flight named: never a hang."""
    names = list(dict.fromkeys(chunk.name for task in tasks for chunk in task))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    where = f" while scanning {shown}" if names else ""
    return ScanError(f"a worker process died (killed, or out of memory){where}; the run is stopped")


def _start_method() -> str:
    """fork where it is safe, spawn elsewhere.

    fork starts a worker with the scanner already built (measured: -j 2 went
    from 1.24x to 1.39x of -j 1 on People's Daily), but copies the parent's
    locks mid-state: it is used only when the parent runs no other thread and
    has not loaded a library with native thread pools (Polars, Arrow).
    """
    single = threading.active_count() == 1 and not {"polars", "pyarrow"} & sys.modules.keys()
    return "fork" if single and "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _tasks(stream: Iterable[Chunk]) -> Iterator[list[Chunk]]:
    """Chunks grouped up to about a megabyte, so small files do not cost a round trip each."""
    task: list[Chunk] = []
    size = 0
    for chunk in stream:
        task.append(chunk)
        size += chunk.size
        if size >= TASK_BYTES:
            yield task
            task, size = [], 0
    if task:
        yield task


def scan_task(scanner: Scanner, job: Job, task: list[Chunk]) -> Batch:
    """Read, scan and (if ``job.render``) render one task of chunks: the unit of work of ``-j`` and of a cluster."""
    batch = Batch(size=sum(chunk.size for chunk in task))
    for chunk in task:
        for document in read_chunk(chunk, job.options, batch.warnings.append):
            try:
                hits = scanner.scan(document)
            except Exception as exc:  # one document's failure must not lose the rest of the run
                batch.warnings.append(f"{document.id}: cannot scan ({type(exc).__name__}: {exc}); skipped")
                continue
            if job.body_only:
                hits = [h for h in hits if not (h.boilerplate or h.repeat)]
            batch.documents += 1
            batch.characters += len(document.text)
            batch.hits_count += len(hits)
            batch.hits.extend(hits)
            if job.stats:
                row = document_stats(document, hits)
                batch.stats.append(row)
                if row["date"] is not None and row["date_precision"] is None:
                    batch.undated.setdefault(chunk.name, row["date"])
    if job.render is not None:
        batch.rendered, batch.hits = job.render(batch.hits), []
    return batch


_worker: tuple[Scanner, Job] | None = None


def _start_worker(scanner: Scanner, job: Job) -> None:
    global _worker  # noqa: PLW0603 - one scanner per worker process: the parent's when forked, else rebuilt once
    _worker = (scanner, job)


def _scan_in_worker(task: list[Chunk]) -> Batch:
    assert _worker is not None
    return scan_task(*_worker, task)
