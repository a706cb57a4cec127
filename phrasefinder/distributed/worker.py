"""What runs on a Dask worker: the scanner, built once per worker, and one partition scanned into its files.

The scanner travels as a worker plugin: its lexicon and options are sent to each worker once (a worker
that joins later, or replaces one that died, gets it too) and the automaton is built there, once. A
partition's hits and statistics are written by the worker that scanned it, each to a temporary name
renamed into place, so a task Dask runs again after a worker died replaces a file, never adds to one.
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from distributed import WorkerPlugin, get_worker

from ..files import atomic_output
from ..ingest.partitions import Partition, partition_chunks
from ..scan.hitfiles import HitSink, RowWriter
from ..scan.pipeline import Job, scan_task
from ..scan.stats import STATS_COLUMNS
from .manifest import PartitionDone

if TYPE_CHECKING:
    from ..lexicon import Lexicon
    from ..scan.engines import Name
    from ..scan.scanner import Overlap, Scanner


class ScannerPlugin(WorkerPlugin):
    """The run's scanner on every worker, under a name unique to its lexicon and options."""

    def __init__(self, name: str, lexicon: Lexicon, overlap: Overlap, context: int, engine: Name) -> None:
        self.name = name
        self._settings = (lexicon, overlap, context, engine)
        self.scanner: Scanner | None = None

    def setup(self, worker: Any) -> None:
        from ..scan.scanner import Scanner

        lexicon, overlap, context, engine = self._settings
        self.scanner = Scanner(lexicon, overlap=overlap, context=context, engine=engine)


def scan_partition(plugin: str, partition: Partition, job: Job, hits: str, stats: str | None) -> PartitionDone:
    """Scan one partition into the Parquet file ``hits`` (and ``stats``): what it found, for the manifest."""
    scanner = cast(ScannerPlugin, get_worker().plugins[plugin]).scanner
    assert scanner is not None  # set up when the plugin was registered
    notes: list[list[str]] = []
    undated: set[str] = set()
    done = {"documents": 0, "characters": 0, "hits": 0}
    with (
        atomic_output(Path(hits)) as hit_stream,
        atomic_output(Path(stats)) if stats else nullcontext(io.BytesIO()) as stats_stream,
    ):
        sink = HitSink("parquet", hit_stream)
        per_document = RowWriter(stats_stream, "parquet", STATS_COLUMNS)
        for chunk in partition_chunks(partition, job.options, lambda message: notes.append(["warning", message])):
            batch = scan_task(scanner, job, [chunk])
            notes.extend(["warning", message] for message in batch.warnings)
            for name, value in batch.undated.items():
                if name not in undated:
                    undated.add(name)
                    notes.append(["undated", name, value])
            sink.add(batch)
            per_document.write(batch.stats)
            done["documents"] += batch.documents
            done["characters"] += batch.characters
            done["hits"] += batch.hits_count
        sink.close()
        per_document.close()
    files = (hits, stats) if stats else (hits,)
    return PartitionDone(partition.key(), files, size=partition.size, notes=notes, **done)
