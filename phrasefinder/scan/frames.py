"""Frames in, frames out: scanning a table of documents.

For notebooks: the analyst's frame of articles goes in — Polars (eager or
lazy), pandas or an Arrow table — and a frame of hits of the same kind comes
out, with each article's own columns (date, paper, page …) joined back on in
their original types, the id included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from ..errors import InputError
from ..ingest.documents import Document
from .hit import HIT_FIELDS
from .hitfiles import hit_schema

if TYPE_CHECKING:
    from .scanner import Scanner

BATCH_ROWS = 2_000
_ROW = "__phrasefinder_row"


def scan_frame(scanner: Scanner, frame: Any, text: str, id: str | None) -> Any:  # noqa: A002
    """See :meth:`Scanner.scan_frame`: hits in the kind of frame given (a LazyFrame gives a DataFrame)."""
    kind = type(frame).__module__.split(".")[0]
    if kind == "pandas":
        return _hits_of(scanner, pl.from_pandas(frame), text, id).to_pandas()
    if kind == "pyarrow":
        return _hits_of(scanner, pl.from_arrow(frame), text, id).to_arrow()
    if isinstance(frame, pl.DataFrame | pl.LazyFrame):
        return _hits_of(scanner, frame, text, id)
    msg = f"scan_frame takes a Polars, pandas or Arrow table, not {type(frame).__name__}"
    raise InputError(msg)


def _hits_of(scanner: Scanner, frame: pl.DataFrame | pl.LazyFrame | Any, text: str, id: str | None) -> pl.DataFrame:  # noqa: A002
    lazy = frame.lazy().with_row_index(_ROW)
    schema = lazy.collect_schema()
    for column in (text, id):
        if column is not None and column not in schema:
            msg = f"the frame has no column '{column}' (columns: {', '.join(schema.names()[1:])})"
            raise InputError(msg)
    carried = [_ROW, *(c for c in schema.names() if c not in (_ROW, text, id))]
    types = {_ROW: schema[_ROW], **hit_schema()}
    parts = [
        pl.DataFrame(schema=types).join(lazy.select(carried).head(0).collect(), on=_ROW, how="left", suffix="_doc")
    ]
    for batch in lazy.collect_batches(chunk_size=BATCH_ROWS):
        hits = pl.DataFrame(_batch_hits(scanner, batch, text, id), schema=types, orient="row")
        parts.append(hits.join(batch.select(carried), on=_ROW, how="left", suffix="_doc", maintain_order="left"))
    hits = pl.concat(parts).drop(_ROW)
    return hits.with_columns(pl.col("doc_id").cast(schema[id])) if id is not None else hits


def _batch_hits(scanner: Scanner, batch: pl.DataFrame, text: str, id: str | None) -> list[tuple[object, ...]]:  # noqa: A002
    """One tuple per hit: the row it came from, then the hit's fields."""
    ids = batch[id].cast(pl.String) if id is not None else (batch[_ROW] + 1).cast(pl.String)
    rows = []
    for row, doc_id, body in zip(batch[_ROW], ids, batch[text], strict=True):
        for hit in scanner.scan(Document(doc_id or "", body or "")):
            rows.append((row, *hit[: len(HIT_FIELDS)]))
    return rows
