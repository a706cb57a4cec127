"""Scanning on several processes with output identical to one process.

Documents are read in the parent and sent to workers in batches; results come
back in submission order. At most a few batches are in flight per worker, so
memory stays flat however large the corpus.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .hit import Hit
    from .lexicon import Lexicon
    from .readers import Document
    from .scanner import Overlap, Scanner

BATCH_CHARS = 200_000
IN_FLIGHT_PER_JOB = 4

_worker: Scanner | None = None


def scan_parallel(scanner: Scanner, documents: Iterable[Document], jobs: int) -> Iterator[tuple[Document, list[Hit]]]:
    """Like ``scanner.scan_documents(documents)``, spread over ``jobs`` processes."""
    # spawn, not fork: the parent may hold threads (Arrow, Polars) that fork would copy mid-lock.
    context = multiprocessing.get_context("spawn")
    options = (scanner.lexicon, scanner.overlap, scanner.context)
    with context.Pool(jobs, initializer=_start, initargs=options) as pool:
        pending: deque[tuple[list[Document], AsyncResult[list[list[Hit]]]]] = deque()
        for batch in _batches(documents):
            pending.append((batch, pool.apply_async(_scan_batch, (batch,))))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    batch: list[Document] = []
    size = 0
    for document in documents:
        batch.append(document)
        size += len(document.text)
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _collect(batch: list[Document], result: AsyncResult[list[list[Hit]]]) -> Iterator[tuple[Document, list[Hit]]]:
    yield from zip(batch, result.get(), strict=True)


def _start(lexicon: Lexicon, overlap: Overlap, context: int) -> None:
    from .scanner import Scanner

    global _worker  # noqa: PLW0603 - one scanner per worker process, built once
    _worker = Scanner(lexicon, overlap=overlap, context=context)


def _scan_batch(batch: list[Document]) -> list[list[Hit]]:
    assert _worker is not None
    return [_worker.scan(document) for document in batch]
