"""Writing hits as JSONL, CSV or Parquet, a batch at a time.

Every format has the same columns in the same order (:data:`COLUMNS`), so a
file written by one run can be read back by ``report`` or by Polars directly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from .hit import COLUMNS, Hit, hit_schema

if TYPE_CHECKING:
    from .pipeline import Batch

_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps builds an encoder per call for non-default options
PARQUET_ROW_GROUP = 50_000


def render_jsonl(hits: list[Hit]) -> bytes:
    """One JSON object per hit, UTF-8, Chinese left readable."""
    return jsonl_lines(h.as_dict() for h in hits)


def csv_header(columns: tuple[str, ...] = COLUMNS) -> bytes:
    """The header row of :func:`render_csv`."""
    return csv_lines([dict(zip(columns, columns, strict=True))], columns)


def render_csv(hits: list[Hit]) -> bytes:
    """RFC 4180 rows, one per hit, empty cells for missing values, flags ``true``/``false`` as JSON writes them."""
    return csv_lines(
        [{k: _BOOLEANS.get(v, v) if isinstance(v, bool) else v for k, v in h.as_dict().items()} for h in hits]
    )


_BOOLEANS = {True: "true", False: "false"}


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(_to_json(row) + "\n" for row in rows).encode("utf-8", "backslashreplace")


def csv_lines(rows: Iterable[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    buffer = io.StringIO()
    csv.DictWriter(buffer, columns).writerows(rows)
    return buffer.getvalue().encode("utf-8", "backslashreplace")


RENDERERS = {"jsonl": render_jsonl, "csv": render_csv}
"""Formats rendered where hits are found (in the worker, with ``--jobs``)."""


class ParquetWriter:
    """Parquet in row groups, so memory holds one group of rows, not the whole run."""

    def __init__(self, stream: IO[bytes], schema: dict[str, Any] | None = None) -> None:
        import pyarrow.parquet as pq

        self._schema = schema or hit_schema(COLUMNS)
        self._rows: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(stream, self._table([]).schema)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._table(self._rows))
            self._rows = []

    def _table(self, rows: list[dict[str, Any]]) -> Any:
        import polars as pl

        return pl.DataFrame(rows, schema=self._schema, orient="row").to_arrow()


class RowWriter:
    """Rows of known columns into a JSONL, CSV or Parquet stream, a batch at a time."""

    def __init__(self, stream: IO[bytes], fmt: str, columns: tuple[str, ...], schema: dict[str, Any]) -> None:
        self._stream, self._fmt, self._columns = stream, fmt, columns
        self._parquet = ParquetWriter(stream, schema) if fmt == "parquet" else None
        if fmt == "csv":
            stream.write(csv_header(columns))

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self._parquet:
            self._parquet.write(rows)
        else:
            self._stream.write(csv_lines(rows, self._columns) if self._fmt == "csv" else jsonl_lines(rows))

    def close(self) -> None:
        if self._parquet:
            self._parquet.close()


class HitSink:
    """A run's hits into one stream: the bytes workers already rendered (JSONL, CSV), or Parquet row groups."""

    def __init__(self, fmt: str, stream: IO[bytes]) -> None:
        self.stream = stream
        self.parquet = RowWriter(stream, "parquet", COLUMNS, hit_schema(COLUMNS)) if fmt == "parquet" else None
        if fmt == "csv":
            stream.write(csv_header())

    def add(self, batch: Batch) -> None:
        if self.parquet:
            self.parquet.write([h.as_dict() for h in batch.hits])
        else:
            self.stream.write(batch.rendered)

    def close(self) -> None:
        if self.parquet:
            self.parquet.close()
