"""The formats phrasefinder reads and writes, told by a file's suffix.

One enum for both directions: documents are read from any of them (through
``.gz``), hits and per-document statistics are written in the record formats.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class Format(StrEnum):
    text = "text"
    html = "html"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


SUFFIXES = {
    ".txt": Format.text, ".md": Format.text, ".html": Format.html, ".htm": Format.html,
    ".jsonl": Format.jsonl, ".ndjson": Format.jsonl, ".csv": Format.csv, ".parquet": Format.parquet,
    ".pq": Format.parquet,
}  # fmt: skip
RECORDS = (Format.jsonl, Format.csv, Format.parquet)
"""The formats of records: documents one per record, and every file of hits or statistics."""


def format_of(path: str | Path | None, *, records: bool = False) -> Format | None:
    """The format a file name says, or ``None``.

    A document may be gzipped (``corpus.jsonl.gz`` is JSONL); with ``records``
    only a plain record format counts, as for the hits and statistics files.

    >>> format_of("corpus.JSONL.gz"), format_of("hits.pq", records=True), format_of("page.html", records=True)
    (<Format.jsonl: 'jsonl'>, <Format.parquet: 'parquet'>, None)
    """
    if not path:
        return None
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes[-1:] == [".gz"] and not records:
        suffixes = suffixes[:-1]
    found = SUFFIXES.get(suffixes[-1]) if suffixes else None
    return found if found in RECORDS or not records else None
