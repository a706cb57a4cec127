"""Writing hits as JSONL, CSV or Parquet, a batch at a time.

Every format has the same columns in the same order (:data:`COLUMNS`), so a
file written by one run can be read back by ``report`` or by Polars directly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Protocol

from .errors import InputError
from .hit import COLUMNS, Hit, hit_schema

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_ROW_GROUP = 50_000


class HitWriter(Protocol):
    """Something hits can be written to, batch after batch, then closed."""

    def write(self, hits: Iterable[Hit]) -> None: ...

    def close(self) -> None: ...


def format_for(path: str | None) -> str | None:
    """The output format a file name asks for by its suffix, if any."""
    suffix = Path(path).suffix.lstrip(".").lower() if path else ""
    return {"ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix) if suffix in (*FORMATS, "ndjson", "pq") else None


def open_writer(fmt: str, stream: IO[bytes]) -> HitWriter:
    """A writer of ``fmt`` on a binary stream (a file, or stdout's buffer)."""
    if fmt == "jsonl":
        return JsonlWriter(stream)
    if fmt == "csv":
        return CsvWriter(stream)
    if fmt == "parquet":
        return ParquetWriter(stream)
    msg = f"unknown output format '{fmt}' (expected one of: {', '.join(FORMATS)})"
    raise InputError(msg)


class _TextWriter:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def _put(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))

    def close(self) -> None:
        self.stream.flush()


class JsonlWriter(_TextWriter):
    """One JSON object per hit, UTF-8, Chinese left readable."""

    def write(self, hits: Iterable[Hit]) -> None:
        self._put("".join(json.dumps(h.as_dict(), ensure_ascii=False) + "\n" for h in hits))


class CsvWriter(_TextWriter):
    """RFC 4180 CSV with a header row; empty cells for missing values."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(stream)
        self._buffer = _LineBuffer()
        self._csv = csv.DictWriter(self._buffer, COLUMNS)
        self._csv.writeheader()
        self._put(self._buffer.take())

    def write(self, hits: Iterable[Hit]) -> None:
        self._csv.writerows(h.as_dict() for h in hits)
        self._put(self._buffer.take())


class _LineBuffer:
    """The minimal file ``csv`` writes to, emptied after each batch."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def take(self) -> str:
        text, self._parts = "".join(self._parts), []
        return text


class ParquetWriter:
    """Parquet in row groups, so memory holds one group of hits, not the whole run."""

    def __init__(self, stream: IO[bytes]) -> None:
        import pyarrow.parquet as pq

        self._rows: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(stream, self._table([]).schema)

    def write(self, hits: Iterable[Hit]) -> None:
        self._rows.extend(h.as_dict() for h in hits)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._table(self._rows))
            self._rows = []

    @staticmethod
    def _table(rows: list[dict[str, Any]]) -> Any:
        import polars as pl

        return pl.DataFrame(rows, schema=hit_schema(COLUMNS), orient="row").to_arrow()
