"""Documents from files, folders, record corpora and stdin.

One entry point, :func:`read_documents`, turns paths into a stream of
:class:`Document`. Plain text and HTML files are one document each; JSONL, CSV
and Parquet files hold one document per record. Everything streams: a corpus
larger than memory is read a record at a time.

A bad document never stops a run: it is reported through ``on_warning`` as one
line naming the file (and line) and skipped, and reading goes on.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from .decode import DecodeError, decode, sniff_encoding
from .errors import InputError

META_FIELDS = ("date", "source", "title", "region")
"""Document metadata carried through to every hit when a record has it."""

TEXT_FORMATS = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html"}
RECORD_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
FORMATS = {**TEXT_FORMATS, **RECORD_FORMATS}

Warn = Callable[[str], None]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Document:
    """A text to scan, with the identifier and metadata its hits will carry."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: which fields hold the text and the identifier."""

    text_field: str = "text"
    id_field: str = "id"
    input_format: str | None = None


@dataclass(frozen=True)
class Chunk:
    """Input that one process can read on its own.

    A whole file (``data`` is ``None``: the reader opens ``name``), or a run of
    whole lines of a JSONL stream already read (``data``, starting at line
    ``first_line``). Splitting JSONL into chunks is what lets several processes
    share one large corpus file and still number its lines right.
    """

    name: str
    fmt: str
    data: bytes | None = None
    first_line: int = 1
    size: int = 0


CHUNK_BYTES = 1 << 20


def read_documents(
    paths: Iterable[str | Path],
    options: ReadOptions | None = None,
    on_warning: Warn | None = None,
    on_progress: Progress | None = None,
) -> Iterator[Document]:
    """Every document under ``paths`` (``"-"`` is stdin), in argument then path order.

    Raises :class:`InputError` before reading anything if a path does not exist.
    """
    options = options or ReadOptions()
    warn = on_warning or (lambda _: None)
    for chunk in chunks(input_files(paths), options, warn):
        yield from read_chunk(chunk, options, warn)
        if on_progress:
            on_progress(chunk.size)


def chunks(files: Iterable[str], options: ReadOptions, warn: Warn) -> Iterator[Chunk]:
    """The chunks of every input file; JSONL streams are cut at line ends."""
    for name in files:
        fmt = options.input_format or ("text" if name == "-" else format_of(name) or "text")
        if fmt == "jsonl":
            yield from _jsonl_chunks(name, warn)
        elif name == "-":
            data = sys.stdin.buffer.read()
            yield Chunk(name, fmt, data, size=len(data))
        else:
            yield Chunk(name, fmt, size=Path(name).stat().st_size)


def read_chunk(chunk: Chunk, options: ReadOptions, warn: Warn) -> Iterator[Document]:
    """The documents in one chunk; a file that cannot be read is a warning."""
    if chunk.data is not None:
        yield from _read_bytes(chunk.name, chunk.data, chunk.fmt, options, warn, first_line=chunk.first_line)
        return
    try:
        with _open(chunk.name) as stream:
            if chunk.fmt in RECORD_FORMATS.values():
                yield from _records(chunk.name, stream, chunk.fmt, options, warn)
            else:
                yield from _read_bytes(chunk.name, stream.read(), chunk.fmt, options, warn)
    except (OSError, EOFError, zlib.error) as exc:
        warn(f"{chunk.name}: cannot read ({exc}); skipped")


def input_files(paths: Iterable[str | Path]) -> list[str]:
    """The files a list of arguments names, folders searched for known formats.

    Raises :class:`InputError` if a path does not exist.
    """
    names = [str(p) for p in paths]
    for path in names:
        if path != "-" and not Path(path).exists():
            msg = f"{path}: no such file or folder"
            raise InputError(msg)
    files = []
    for path in names:
        if Path(path).is_dir():
            found = (p for p in Path(path).rglob("*") if p.is_file() and format_of(p) is not None)
            files.extend(sorted(str(p) for p in found if not any(part.startswith(".") for part in p.parts)))
        else:
            files.append(path)
    return files


def format_of(path: str | Path) -> str | None:
    """The reader for a path by its suffix (``.gz`` looks through), or ``None``."""
    suffixes = Path(path).suffixes
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1].lower()) if suffixes else None


def total_size(paths: Iterable[str]) -> int:
    """Bytes on disk of the named files, for a progress bar's total."""
    return sum(Path(p).stat().st_size for p in paths if p != "-")


def _jsonl_chunks(name: str, warn: Warn) -> Iterator[Chunk]:
    line = 1
    rest = b""
    try:
        with nullcontext(sys.stdin.buffer) if name == "-" else _open(name) as stream:
            while block := stream.read(CHUNK_BYTES):
                cut = block.rfind(b"\n") + 1
                if not cut:
                    rest += block
                    continue
                data, rest = rest + block[:cut], block[cut:]
                yield Chunk(name, "jsonl", data, line, len(data))
                line += data.count(b"\n")
    except (OSError, EOFError, zlib.error) as exc:
        warn(f"{name}: cannot read ({exc}); skipped")
        return
    if rest:
        yield Chunk(name, "jsonl", rest, line, len(rest))


def _open(path: str) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if path.endswith(".gz") else open(path, "rb")


def _read_bytes(
    name: str, data: bytes, fmt: str, options: ReadOptions, warn: Warn, *, first_line: int = 1
) -> Iterator[Document]:
    if fmt in RECORD_FORMATS.values():
        yield from _records(name, io.BytesIO(data), fmt, options, warn, first_line=first_line)
        return
    try:
        decoded = decode(data)
    except DecodeError as exc:
        warn(f"{name}: {exc}; skipped")
        return
    if decoded.warning:
        warn(f"{name}: {decoded.warning}")
    if fmt == "html":
        yield from _html(name, decoded.text, warn)
    elif decoded.text:
        yield Document(name, decoded.text)


def _html(name: str, html: str, warn: Warn) -> Iterator[Document]:
    """The page's main text, as trafilatura finds it; offsets refer to that text."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if not isinstance(extracted, trafilatura.settings.Document) or not extracted.text:
        warn(f"{name}: no main text found in the HTML; skipped")
        return
    meta = {"title": extracted.title, "date": extracted.date}
    yield Document(name, extracted.text, {k: v for k, v in meta.items() if v})


def _records(
    name: str, stream: IO[bytes], fmt: str, options: ReadOptions, warn: Warn, *, first_line: int = 1
) -> Iterator[Document]:
    if fmt == "jsonl":
        rows = _jsonl_rows(name, stream, warn, first_line)
    elif fmt == "csv":
        rows = _csv_rows(name, stream, warn)
    else:
        rows = _parquet_rows(name, stream, options, warn)
    for where, row in rows:
        document = _record_document(name, where, row, options, warn)
        if document is not None:
            yield document


def _record_document(name: str, where: str, row: dict[str, Any], options: ReadOptions, warn: Warn) -> Document | None:
    text = row.get(options.text_field)
    if not isinstance(text, str):
        problem = "has no" if text is None else "has a non-text"
        warn(f"{where}: record {problem} '{options.text_field}' field; skipped")
        return None
    doc_id = row.get(options.id_field)
    meta = {key: str(row[key]) for key in META_FIELDS if row.get(key) not in (None, "")}
    return Document(where if doc_id in (None, "") else str(doc_id), text, meta)


def _jsonl_rows(name: str, stream: IO[bytes], warn: Warn, first_line: int) -> Iterator[tuple[str, dict[str, Any]]]:
    for number, raw in enumerate(stream, start=first_line):
        where = f"{name}:{number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            warn(f"{where}: invalid UTF-8 bytes replaced with U+FFFD")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"{where}: invalid JSON ({exc.msg} at column {exc.colno}); skipped")
            continue
        if not isinstance(row, dict):
            warn(f"{where}: a JSONL record must be an object; skipped")
            continue
        yield where, row


def _csv_rows(name: str, stream: IO[bytes], warn: Warn) -> Iterator[tuple[str, dict[str, Any]]]:
    sample = stream.read(1 << 16)
    stream.seek(0)  # files, gzip members and stdin's buffer all seek
    text = io.TextIOWrapper(stream, encoding=sniff_encoding(sample), errors="replace", newline="")
    try:
        yield from _csv_records(name, csv.reader(text), warn)
    finally:
        text.detach()


def _csv_records(name: str, reader: Any, warn: Warn) -> Iterator[tuple[str, dict[str, Any]]]:
    header: list[str] | None = None
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            warn(f"{name}:{reader.line_num}: unreadable CSV {'row' if header else 'header'} ({exc}); skipped")
            if header is None:
                return
            continue
        where = f"{name}:{reader.line_num}"
        if header is None:
            header = values
        elif len(values) != len(header):
            warn(f"{where}: expected {len(header)} fields, got {len(values)}; skipped")
        else:
            yield where, dict(zip(header, values, strict=True))


def _parquet_rows(
    name: str, stream: IO[bytes], options: ReadOptions, warn: Warn
) -> Iterator[tuple[str, dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(stream)
        wanted = {options.text_field, options.id_field, *META_FIELDS}
        columns = [c for c in parquet.schema_arrow.names if c in wanted]
        number = 0
        for batch in parquet.iter_batches(columns=columns, batch_size=2048):
            for row in batch.to_pylist():
                number += 1
                yield f"{name}:{number}", row
    except (pa.ArrowException, OSError) as exc:
        warn(f"{name}: unreadable Parquet ({exc}); skipped")
