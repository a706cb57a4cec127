"""``scan`` on a Dask cluster: a Parquet dataset of hits, one file per input partition, equal to one process's.

The client lists and cuts the input (:mod:`phrasefinder.ingest.partitions`), sends the scanner to each
worker once, and submits one task per partition; each worker reads its partition straight from the
files (a shared folder or object storage), scans it and writes ``part-NNNNNN.parquet`` itself. Only
partition descriptions go out and summaries come back: no document and no hit crosses the network.
Read in file-name order, the dataset is row for row what ``scan -f parquet`` writes on one process.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, ScanError
from ..files import locked
from ..ingest.chunks import ReadOptions, is_url, printable
from ..ingest.partitions import BLOCK_BYTES, Partition
from ..scan.pipeline import Job
from ..scan.stats import undated_warning
from .cluster import client_for, require_dask
from .inputs import expand, partitions_of
from .manifest import Manifest, PartitionDone

if TYPE_CHECKING:
    from ..lexicon import Lexicon
    from ..scan.engines import Name
    from ..scan.scanner import Overlap


@dataclass(frozen=True)
class ScanSummary:
    """What a cluster run scanned: the totals a one-process run prints, and how many partitions it skipped
    because an earlier run with the same lexicon and options had written them whole."""

    documents: int
    characters: int
    hits: int
    warnings: int
    partitions: int
    skipped: int


def scan_dataset(
    inputs: Iterable[str | Path],
    lexicon: Lexicon,
    output: str | Path,
    *,
    client: Any,
    stats: str | Path | None = None,
    overlap: Overlap = "all",
    context: int = 20,
    engine: Name = "ahocorasick_rs",
    body_only: bool = False,
    options: ReadOptions | None = None,
    include_text: bool = False,
    block: int = BLOCK_BYTES,
    on_warning: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ScanSummary:
    """Scan ``inputs`` (paths, folders, globs, fsspec URLs) on ``client``'s cluster into the folder ``output``.

    ``client`` is a ``distributed.Client``, or a scheduler (``"local:2"``, ``"tcp://head:8786"``) to connect
    to once the inputs and outputs are found usable.

    The options mean what they mean to :class:`~phrasefinder.Scanner` and ``scan``; ``stats`` is a folder
    for the per-document rows. ``on_warning`` gets every warning, in input order, as one process says
    them; ``on_progress`` input bytes done and in all, once the input is planned and after each partition.
    A partition already in ``output``'s
    manifest under the same settings is not scanned again. Raises :class:`InputError` for bad usage and
    :class:`ScanError` when a partition cannot be done (its workers kept dying).
    """
    require_dask()
    warnings = 0

    def warn(message: str) -> None:
        nonlocal warnings
        warnings += 1
        if on_warning:
            on_warning(message)

    folders = [Path(output), *([Path(stats)] if stats else [])]
    for folder in folders:
        if folder.exists() and not folder.is_dir():
            msg = f"{folder}: with a scheduler, the output is a folder (a Parquet dataset), not a file"
            raise InputError(msg)
    files = expand(inputs, warn, folders, include_text=include_text)
    _refuse(files, folders)
    run = _Run(
        Job(options or ReadOptions(), body_only, None, bool(stats)), (lexicon, overlap, context, engine),
        Path(output), Path(stats) if stats else None, block,
    )  # fmt: skip
    with client_for(client) as connected:  # a scheduler that does not answer leaves no folder behind
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        with locked(Path(output) / ".phrasefinder-scan.lock", f"scan -o {output}"):  # one run at a time per folder
            done, skipped = run.scan(connected, files, warn, on_progress or (lambda _done, _total: None))
    return ScanSummary(
        documents=sum(r.documents for r in done),
        characters=sum(r.characters for r in done),
        hits=sum(r.hits for r in done),
        warnings=warnings,
        partitions=len(done),
        skipped=skipped,
    )


@dataclass(frozen=True)
class _Run:
    """One run's settings: what its hits depend on besides the input, and where they go."""

    job: Job
    scanner: tuple[Lexicon, Overlap, int, Name]
    output: Path
    stats: Path | None
    block: int

    def scan(
        self, client: Any, files: list[str], warn: Callable[[str], None], progress: Callable[[int, int], None]
    ) -> tuple[list[PartitionDone], int]:
        """Every partition done (in input order), and how many an earlier run had done already."""
        from .worker import ScannerPlugin, scan_partition

        fingerprint = self.fingerprint()
        manifest = Manifest(self.output, fingerprint)
        partitions = partitions_of(client, files, self.job.options, self.block)
        earlier = manifest.done()
        plugin = f"phrasefinder-scanner-{fingerprint[:16]}"
        client.register_plugin(ScannerPlugin(plugin, *self.scanner), name=plugin)
        results = _Results(partitions, manifest, warn, progress)
        futures = {}
        run = uuid.uuid4().hex[:8]
        for partition in partitions:
            hits, rows = _files_of(partition, self.output, self.stats)
            previous = earlier.get(partition.key())
            if previous is not None and previous.files == tuple(f for f in (hits, rows) if f):
                results.done[partition.index] = previous  # written whole by an earlier run with these settings
            else:
                task = (scan_partition, plugin, partition, self.job, hits, rows)
                futures[client.submit(*task, key=f"phrasefinder-scan-{run}-{partition.index}")] = partition
        skipped = len(results.done)
        results.gather(futures)
        done = [results.done[p.index] for p in partitions]
        manifest.rewrite(done)
        for folder in (self.output, *([self.stats] if self.stats else [])):
            _tidy(folder, {Path(f).name for r in done for f in r.files})
        return done, skipped

    def fingerprint(self) -> str:
        """What the hits depend on besides the input: the lexicon's entries and every option."""
        lexicon, *options = self.scanner
        settings = repr((lexicon.entries, *options, self.job))
        return hashlib.sha256(settings.encode("utf-8", "backslashreplace")).hexdigest()


def _refuse(files: list[str], folders: list[Path]) -> None:
    """Stdin, an input inside an output folder, or one folder for hits and statistics: refused before any work."""
    if "-" in files:
        msg = "-: a cluster's workers cannot read stdin; give files"
        raise InputError(msg)
    if len(folders) == 2 and folders[0].resolve() == folders[1].resolve():
        msg = f"{folders[1]}: --stats needs a folder of its own, not the hits folder"
        raise InputError(msg)
    for folder in (f.resolve() for f in folders):
        inside = next((f for f in files if not is_url(f) and folder in Path(f).resolve().parents), None)
        if inside:
            msg = (
                f"{folder}: holds the input {printable(inside)}; an output never overwrites an input (write elsewhere)"
            )
            raise InputError(msg)


def hits_frame(output: str | Path) -> Any:
    """The hits a cluster run wrote, as a ``dask.dataframe`` (one partition per file, in input order)."""
    require_dask()
    import dask.dataframe as dd

    files = sorted(str(p) for p in Path(output).glob("part-*.parquet"))
    if not files:
        msg = f"{output}: no hits dataset here (scan --scheduler … -o {output} writes one)"
        raise InputError(msg)
    return dd.read_parquet(files)


def _files_of(partition: Partition, output: Path, stats: Path | None) -> tuple[str, str | None]:
    name = f"part-{partition.index:06d}.parquet"
    return str((output / name).resolve()), str((stats / name).resolve()) if stats else None


@dataclass
class _Results:
    """Partitions done, by index: recorded in the manifest as each arrives, their warnings said in input order."""

    partitions: list[Partition]
    manifest: Manifest
    warn: Callable[[str], None]
    progress: Callable[[int, int], None]
    done: dict[int, PartitionDone] = field(default_factory=dict)
    _said: set[str] = field(default_factory=set)
    _shown: int = 0

    def gather(self, futures: dict[Any, Partition]) -> None:
        from distributed import as_completed

        self._say_ready()
        total = sum(p.size for p in self.partitions)
        done = sum(r.size for r in self.done.values())
        self.progress(done, total)
        try:
            for future in as_completed(futures):
                partition = futures[future]
                try:
                    finished = future.result()
                except Exception as exc:
                    raise _failed(partition, exc) from None
                self.done[partition.index] = finished
                self.manifest.record(finished)
                self._say_ready()
                done += finished.size
                self.progress(done, total)
        finally:  # on an error, the work still queued is dropped rather than left running
            for future in futures:
                future.cancel()

    def _say_ready(self) -> None:
        """The warnings of every partition done whose predecessors are all done; an unreadable date once a file."""
        while self._shown < len(self.partitions) and self.partitions[self._shown].index in self.done:
            for note in self.done[self.partitions[self._shown].index].notes:
                if note[0] == "warning":
                    self.warn(note[1])
                elif note[1] not in self._said:
                    self._said.add(note[1])
                    self.warn(undated_warning(note[1], note[2]))
            self._shown += 1


def _failed(partition: Partition, exc: Exception) -> Exception:
    """A task's own error as it is (bad output folder); a partition whose workers kept dying as a ScanError."""
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        where = printable(partition.name or ", ".join(partition.files[:3]))
        return ScanError(f"workers died (killed, or out of memory) each time they scanned {where}; the run is stopped")
    return exc


def _tidy(folder: Path, kept: set[str]) -> None:
    """Partition files this run did not write (an earlier run over more input) and temporary files left by
    workers that died are removed, so the folder holds exactly this run's dataset."""
    for path in folder.glob("part-*.parquet"):
        if path.name not in kept:
            path.unlink()
    for path in folder.glob(".part-*.tmp"):
        path.unlink(missing_ok=True)
