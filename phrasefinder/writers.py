"""Writing hits as JSONL, CSV or Parquet, a batch at a time.

Every format has the same columns in the same order (:data:`COLUMNS`), so a
file written by one run can be read back by ``report`` or by Polars directly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .hit import COLUMNS, Hit, hit_schema

FORMATS = ("jsonl", "csv", "parquet")
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps builds an encoder per call for non-default options
PARQUET_ROW_GROUP = 50_000


def format_for(path: str | None) -> str | None:
    """The output format a file name asks for by its suffix, if any."""
    suffix = Path(path).suffix.lstrip(".").lower() if path else ""
    return {"ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix) if suffix in (*FORMATS, "ndjson", "pq") else None


def render_jsonl(hits: list[Hit]) -> bytes:
    """One JSON object per hit, UTF-8, Chinese left readable."""
    return "".join(_to_json(h.as_dict()) + "\n" for h in hits).encode("utf-8", "backslashreplace")


def csv_header() -> bytes:
    """The header row of :func:`render_csv`."""
    return _csv_lines([dict(zip(COLUMNS, COLUMNS, strict=True))])


def render_csv(hits: list[Hit]) -> bytes:
    """RFC 4180 rows, one per hit, empty cells for missing values."""
    return _csv_lines([h.as_dict() for h in hits])


def _csv_lines(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    csv.DictWriter(buffer, COLUMNS).writerows(rows)
    return buffer.getvalue().encode("utf-8", "backslashreplace")


RENDERERS = {"jsonl": render_jsonl, "csv": render_csv}
"""Formats rendered where hits are found (in the worker, with ``--jobs``)."""


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
