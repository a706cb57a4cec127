"""The hits file, and the per-document statistics beside it: their schema, writing a batch at a time, reading back.

Every format has the same columns in the same order (:data:`COLUMNS`), so a
file written by one run can be read back by ``report`` or by Polars directly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from ..errors import InputError
from ..files import files_in
from ..ingest.formats import format_of
from .hit import COLUMNS, HIT_FIELDS, Hit
from .stats import STATS_COLUMNS

if TYPE_CHECKING:
    import polars as pl

    from .pipeline import Batch

_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps builds an encoder per call for non-default options
PARQUET_ROW_GROUP = 10_000
TYPED = {"start": "int", "end": "int", "characters": "int", "hits": "int",
         "nested": "bool", "boilerplate": "bool", "repeat": "bool"}  # fmt: skip
"""The columns of hits and stats that are not text, and their type; one table for every reader and writer."""
_FLAGS = [COLUMNS.index(name) for name, kind in TYPED.items() if kind == "bool"]


def render_jsonl(hits: list[Hit]) -> bytes:
    """One JSON object per hit, UTF-8, Chinese left readable."""
    return jsonl_lines(dict(zip(COLUMNS, h, strict=True)) for h in hits)


def csv_header(columns: tuple[str, ...] = COLUMNS) -> bytes:
    """The header row of :func:`render_csv`."""
    return csv_lines([columns])


def render_csv(hits: list[Hit]) -> bytes:
    """RFC 4180 rows, one per hit, empty cells for missing values, flags ``true``/``false`` as JSON writes them."""
    rows = []
    for hit in hits:
        row = list(hit)
        for i in _FLAGS:
            row[i] = "true" if row[i] else "false"
        rows.append(row)
    return csv_lines(rows)


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    """One JSON object per line, UTF-8."""
    return b"".join(map(_json_line, rows))


def _json_line(row: dict[str, Any]) -> bytes:
    """orjson writes it (7x the stdlib on hits); a row it refuses (a lone surrogate) is written by the
    stdlib with the surrogate escaped."""
    try:
        return orjson.dumps(row) + b"\n"
    except orjson.JSONEncodeError:
        return (_to_json(row) + "\n").encode("utf-8", "backslashreplace")


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV rows of cells in column order (``None`` an empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8", "backslashreplace")


RENDERERS = {"jsonl": render_jsonl, "csv": render_csv}
"""Formats rendered where hits are found (in the worker, with ``--jobs``)."""


class ParquetWriter:
    """Parquet in row groups of rows given in column order, so memory holds one group, not the whole run.

    Written with pyarrow from columns (a hit is already a row of them), and pyarrow is imported at the first
    group: a run's ``-j`` workers are forked before it, as for JSONL.
    """

    def __init__(self, stream: IO[bytes], columns: tuple[str, ...] = COLUMNS) -> None:
        self._stream, self._columns = stream, columns
        self._rows: list[Sequence[Any]] = []
        self._writer: Any = None

    def write(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:  # at the first group, or at the close of a run without rows: the columns
            types = {"int": pa.int64(), "bool": pa.bool_()}
            columns = [(name, types.get(TYPED.get(name, ""), pa.large_string())) for name in self._columns]
            self._writer = pq.ParquetWriter(self._stream, pa.schema(columns))
        schema = self._writer.schema
        if self._rows:
            cells = zip(*self._rows, strict=True)
            arrays = [pa.array(column, type=field.type) for column, field in zip(cells, schema, strict=True)]
            self._writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            self._rows = []


class RowWriter:
    """Rows of known columns into a JSONL, CSV or Parquet stream, a batch at a time."""

    def __init__(self, stream: IO[bytes], fmt: str, columns: tuple[str, ...]) -> None:
        self._stream, self._fmt, self._columns = stream, fmt, columns
        self._parquet = ParquetWriter(stream, columns) if fmt == "parquet" else None
        if fmt == "csv":
            stream.write(csv_header(columns))

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self._fmt == "jsonl":
            self._stream.write(jsonl_lines(rows))
            return
        cells = [[row.get(c) for c in self._columns] for row in rows]
        if self._parquet:
            self._parquet.write(cells)
        else:
            self._stream.write(csv_lines(cells))

    def close(self) -> None:
        if self._parquet:
            self._parquet.close()


class HitSink:
    """A run's hits into one stream: the bytes workers already rendered (JSONL, CSV), or Parquet row groups."""

    def __init__(self, fmt: str, stream: IO[bytes]) -> None:
        self.stream = stream
        self.parquet = ParquetWriter(stream) if fmt == "parquet" else None
        if fmt == "csv":
            stream.write(csv_header())

    def add(self, batch: Batch) -> None:
        if self.parquet:
            self.parquet.write(batch.hits)
        else:
            self.stream.write(batch.rendered)

    def close(self) -> None:
        if self.parquet:
            self.parquet.close()


OPTIONAL = ("title", "region", "source", "fingerprint", "kind", "sense", "date_precision")
"""Columns a file may lack: metadata a corpus did not have, and what hits files before these columns did not say."""


def hit_schema(columns: tuple[str, ...] = HIT_FIELDS) -> dict[str, Any]:
    """Polars column types of hits: offsets are integers, flags booleans, the rest text."""
    import polars as pl

    types = {"int": pl.Int64, "bool": pl.Boolean}
    return {name: types.get(TYPED.get(name, ""), pl.String) for name in columns}


def stats_schema() -> dict[str, Any]:
    """Polars column types of the stats rows."""
    return hit_schema(STATS_COLUMNS)


def load_hits(paths: Sequence[str | Path]) -> pl.LazyFrame:
    """Hits files (JSONL, CSV or Parquet as ``scan`` writes them; folders are searched) as one lazy frame."""
    import polars as pl

    frames = [_scan_file(path, COLUMNS, hit_schema(COLUMNS)) for path in hit_files(paths)]
    return pl.concat(frames, how="vertical") if frames else pl.LazyFrame(schema=hit_schema(COLUMNS))


def load_stats(path: str | Path) -> pl.LazyFrame:
    """The per-document statistics ``scan --stats`` wrote: one file, or the folder a cluster run wrote."""
    import polars as pl

    if not Path(path).exists():
        msg = f"{path}: no such stats file (scan --stats writes it)"
        raise InputError(msg)
    frames = [_scan_file(file, STATS_COLUMNS, stats_schema()) for file in hit_files([path])]
    return pl.concat(frames, how="vertical") if frames else pl.LazyFrame(schema=stats_schema())


def hit_files(paths: Sequence[str | Path]) -> list[Path]:
    """The hits files the arguments name: files as given, folders searched for .jsonl, .csv and .parquet.

    In a folder, names starting with ``_`` or ``.`` are not data (a dataset's manifest, a temporary file),
    as Dask, Spark and Arrow read datasets.
    """
    return files_in(paths, lambda p: not p.name.startswith(("_", ".")) and format_of(p.name, records=True) is not None)


def _scan_file(path: Path, columns: tuple[str, ...], schema: dict[str, Any]) -> pl.LazyFrame:
    import polars as pl

    fmt = format_of(path.name, records=True)
    if fmt is None:
        msg = f"{path}: unknown format (expected .jsonl, .csv or .parquet)"
        raise InputError(msg)
    if path.stat().st_size == 0:
        return pl.LazyFrame(schema=schema)
    present = _columns_of(path, fmt)
    missing = [c for c in columns if c not in present and c not in OPTIONAL]
    if missing:
        msg = f"{path}: not written by phrasefinder scan (no column {', '.join(missing)})"
        raise InputError(msg)
    if fmt == "jsonl":
        frame = pl.scan_ndjson(path, schema={c: schema[c] for c in present if c in schema})
    elif fmt == "csv":
        frame = pl.scan_csv(path, schema_overrides={c: schema[c] for c in present if c in schema})
    else:
        frame = pl.scan_parquet(path)
    frame = frame.select(pl.col(c).cast(t) if c in present else pl.lit(None, t).alias(c) for c, t in schema.items())
    if "kind" in schema and "kind" not in present:  # written before hits said what they are
        member = pl.col("member").is_null()
        frame = frame.with_columns(kind=pl.when(member).then(pl.lit("phrase")).otherwise(pl.lit("member")))
    return frame


def _columns_of(path: Path, fmt: str) -> list[str]:
    import json

    import polars as pl

    try:
        if fmt == "parquet":
            return list(pl.read_parquet_schema(path))
        with path.open(encoding="utf-8") as stream:
            first = stream.readline()
        return list(json.loads(first)) if fmt == "jsonl" else pl.read_csv(path, n_rows=0).columns
    except (ValueError, OSError, pl.exceptions.PolarsError) as exc:
        msg = f"{path}:1: cannot read ({exc})"
        raise InputError(msg) from None
