"""The manifest of a dataset being written: which partitions are whole, under which lexicon and options.

``_manifest.jsonl`` sits in the hits folder (Dask, Spark and ``report`` pass over names starting with
``_``). A line is appended, synced, once a partition's files are renamed into place, so a run stopped at
any point has a line for every partition written whole and for no other; a line cut short by a crash is
not read. A run started again with the same folder skips the partitions listed with its own
fingerprint (lexicon, options) and input stamp, and ends by rewriting the manifest with its lines alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..files import atomic_write

MANIFEST = "_manifest.jsonl"


@dataclass(frozen=True)
class PartitionDone:
    """What scanning one partition wrote and found; ``notes`` are its warnings in order, each
    ``["warning", message]`` or ``["undated", file, date]`` (said once per file, over the whole run)."""

    key: str
    files: tuple[str, ...]
    documents: int = 0
    characters: int = 0
    hits: int = 0
    size: int = 0
    notes: list[list[str]] = field(default_factory=list)


class Manifest:
    """The manifest of the dataset in ``folder``, for a run whose settings hash to ``fingerprint``."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.path = folder / MANIFEST
        self.fingerprint = fingerprint

    def done(self) -> dict[str, PartitionDone]:
        """Partitions written whole by a run with this fingerprint, by key, whose files are all still there."""
        found: dict[str, PartitionDone] = {}
        for record in self._records():
            if record.pop("fingerprint", None) != self.fingerprint:
                continue
            try:
                done = PartitionDone(**{**record, "files": tuple(record["files"])})
            except (TypeError, KeyError):
                continue
            if all(os.path.isfile(f) for f in done.files):
                found[done.key] = done
        return found

    def record(self, done: PartitionDone) -> None:
        """Append one partition's line, synced before this returns."""
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(self._line(done))
            stream.flush()
            os.fsync(stream.fileno())

    def rewrite(self, partitions: list[PartitionDone]) -> None:
        """The manifest of a finished run: its partitions' lines alone, replaced whole."""
        atomic_write(self.path, "".join(self._line(p) for p in partitions))

    def _line(self, done: PartitionDone) -> str:
        return json.dumps({"fingerprint": self.fingerprint, **asdict(done)}, ensure_ascii=False) + "\n"

    def _records(self) -> list[dict[str, Any]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        records = []
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:  # the last line of a run killed while appending it
                continue
            if isinstance(record, dict):
                records.append(record)
        return records
