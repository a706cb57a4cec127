"""Documents from files, folders, record corpora and stdin.

One entry point, :func:`read_documents`, turns paths into a stream of
:class:`Document`. Plain text and HTML files are one document each; JSONL, CSV
and Parquet files hold one document per record. Input is cut into chunks of
about a megabyte that one process can read on its own, so a corpus larger than
memory streams, and several processes can share one large file.

A bad document never stops a run: it is reported through ``on_warning`` as one
line naming the file (and line) and skipped, and reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from ..errors import InputError
from ..text.decode import ASCII_COMPATIBLE, DecodeError, decode, sniff_encoding
from .formats import format_of

META_FIELDS = ("date", "source", "title", "region")
"""Document metadata carried through to every hit when a record has it."""

CHUNK_BYTES = 1 << 20

Warn = Callable[[str], None]
Row = tuple[str, dict[str, Any]]

_SURROGATE = re.compile("[\ud800-\udfff]")


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

    One of: a whole text or HTML file (nothing but ``name``: the reader opens
    it); stdin's bytes (``data``); a run of whole JSONL lines (``data`` in
    ``encoding``, starting at line ``first_line``); or records a CSV or Parquet
    reader already parsed (``rows``). ``size`` is the input bytes it stands for.
    """

    name: str
    fmt: str
    data: bytes | None = None
    rows: list[Row] | None = None
    first_line: int = 1
    encoding: str = "utf-8"
    size: int = 0


def read_documents(
    paths: Iterable[str | Path],
    options: ReadOptions | None = None,
    on_warning: Warn | None = None,
) -> Iterator[Document]:
    """Every document under ``paths`` (``"-"`` is stdin), in argument then path order.

    Raises :class:`InputError` before reading anything if a path does not exist.
    """
    options = options or ReadOptions()
    warn = on_warning or (lambda _: None)
    for chunk in chunks(input_files(paths, warn), options, warn):
        yield from read_chunk(chunk, options, warn)


def input_files(paths: Iterable[str | Path], warn: Warn, exclude: Iterable[str | Path] = ()) -> list[str]:
    """The files a list of arguments names; folders are searched for known formats.

    Hidden files and folders inside a folder argument are passed over, and so
    are the ``exclude`` paths (a run's own output file). Raises
    :class:`InputError` if a path does not exist.
    """
    names = [str(p) for p in paths]
    for path in names:
        if path != "-" and not Path(path).exists():
            msg = f"{path}: no such file or folder"
            raise InputError(msg)
    skip = {Path(p).resolve() for p in exclude}
    files: list[str] = []
    for path in names:
        found = _walk(path, warn) if Path(path).is_dir() else [path]
        files.extend(f for f in found if f == "-" or Path(f).resolve() not in skip)
    return files


def total_size(paths: Iterable[str]) -> int:
    """Bytes on disk of the named files, for a progress bar's total."""
    return sum(Path(p).stat().st_size for p in paths if p != "-")


def chunks(files: Iterable[str], options: ReadOptions, warn: Warn) -> Iterator[Chunk]:
    """The chunks of every input file, in order."""
    for name in files:
        fmt = options.input_format or ("text" if name == "-" else format_of(name) or "text")
        if fmt == "jsonl":
            yield from _jsonl_chunks(name, warn)
        elif fmt in ("csv", "parquet"):
            yield from _record_chunks(name, fmt, options, warn)
        elif name == "-":
            data = sys.stdin.buffer.read()
            yield Chunk(name, fmt, data, size=len(data))
        else:
            yield Chunk(name, fmt, size=Path(name).stat().st_size)


def read_chunk(chunk: Chunk, options: ReadOptions, warn: Warn) -> Iterator[Document]:
    """The documents in one chunk; what cannot be read is a warning."""
    if chunk.rows is not None:
        rows: Iterable[Row] = chunk.rows
    elif chunk.fmt == "jsonl":
        rows = _jsonl_rows(chunk, warn)
    else:
        yield from _text_document(chunk, warn)
        return
    for where, row in rows:
        document = _record_document(where, row, options, warn)
        if document is not None:
            yield document


def _walk(folder: str, warn: Warn) -> list[str]:
    def unreadable(error: OSError) -> None:
        warn(f"{error.filename}: cannot read folder ({error.strerror}); skipped")

    found: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, f) for f in files if not f.startswith(".") and format_of(f))
    return sorted(found)


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    return cast(IO[bytes], gzip.open(path, "rb")) if path.lower().endswith(".gz") else open(path, "rb")


def _text_document(chunk: Chunk, warn: Warn) -> Iterator[Document]:
    """A text or HTML file (or stdin) as one document."""
    if chunk.data is not None:
        data = chunk.data
    else:
        try:
            with _open(chunk.name) as stream:
                data = stream.read()
        except (OSError, EOFError, zlib.error) as exc:
            warn(f"{chunk.name}: cannot read ({exc}); skipped")
            return
    try:
        decoded = decode(data)
    except DecodeError as exc:
        warn(f"{chunk.name}: {exc}; skipped")
        return
    if decoded.warning:
        warn(f"{chunk.name}: {decoded.warning}")
    doc_id = _printable(chunk.name)
    if chunk.fmt == "html":
        yield from _html(doc_id, decoded.text, warn)
    elif decoded.text:
        yield Document(doc_id, decoded.text)


def _html(name: str, html: str, warn: Warn) -> Iterator[Document]:
    """The page's main text, as trafilatura finds it; offsets refer to that text."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if not isinstance(extracted, trafilatura.settings.Document) or not extracted.text:
        warn(f"{name}: no main text found in the HTML; skipped")
        return
    meta = {"title": extracted.title, "date": extracted.date}
    yield Document(name, extracted.text, {k: v for k, v in meta.items() if v})


def _record_document(where: str, row: dict[str, Any], options: ReadOptions, warn: Warn) -> Document | None:
    text = row.get(options.text_field)
    if not isinstance(text, str):
        problem = "has no" if text is None else "has a non-text"
        warn(f"{where}: record {problem} '{options.text_field}' field; skipped")
        return None
    if _SURROGATE.search(text):  # a JSON escape of half an emoji: unencodable, so replaced one for one
        text = _SURROGATE.sub("\ufffd", text)
        warn(f"{where}: lone surrogate code points replaced with U+FFFD")
    doc_id = row.get(options.id_field)
    meta = {key: _printable(str(row[key])) for key in META_FIELDS if row.get(key) not in (None, "")}
    return Document(where if doc_id in (None, "") else _printable(str(doc_id)), text, meta)


def _printable(text: str) -> str:
    """Text that can be written as UTF-8: undecodable file-name bytes and lone surrogates escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if _SURROGATE.search(text) else text


def _jsonl_chunks(name: str, warn: Warn) -> Iterator[Chunk]:
    """Runs of whole lines, about a megabyte each, in an encoding where b"\\n" is a line end."""
    line = 1
    pending: list[bytes] = []
    try:
        with _open(name) as raw:
            first = raw.read(CHUNK_BYTES)
            encoding = sniff_encoding(first)
            stream = _as_utf8(raw, first, encoding)
            if encoding not in ASCII_COMPATIBLE:
                encoding = "utf-8"
            for block in stream:
                cut = block.rfind(b"\n") + 1
                if not cut:
                    pending.append(block)
                    continue
                data = b"".join([*pending, block[:cut]])
                pending = [block[cut:]]
                yield Chunk(name, "jsonl", data, first_line=line, encoding=encoding, size=len(data))
                line += data.count(b"\n")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        where = "" if line == 1 else f" after line {line - 1}"
        warn(f"{name}: cannot read{where} ({exc}); the rest of the file is skipped")
        return
    data = b"".join(pending)
    if data:
        yield Chunk(name, "jsonl", data, first_line=line, encoding=encoding, size=len(data))


def _as_utf8(raw: IO[bytes], first: bytes, encoding: str) -> Iterator[bytes]:
    """Blocks of the stream; UTF-16/32 (where a newline is not one byte) re-encoded as UTF-8."""
    blocks = iter(lambda: raw.read(CHUNK_BYTES), b"")
    if encoding in ASCII_COMPATIBLE:
        yield first
        yield from blocks
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for block in (first, *blocks):
        yield decoder.decode(block).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _jsonl_rows(chunk: Chunk, warn: Warn) -> Iterator[Row]:
    assert chunk.data is not None
    for number, raw in enumerate(chunk.data.split(b"\n"), start=chunk.first_line):
        where = f"{chunk.name}:{number}"
        if not raw.strip():
            continue
        line = raw.decode(chunk.encoding, errors="replace")
        if "\ufffd" in line and "\ufffd" not in raw.decode(chunk.encoding, errors="ignore"):
            warn(f"{where}: invalid {chunk.encoding} bytes replaced with U+FFFD")
        try:
            row = json.loads(line.lstrip("\ufeff"))
        except (ValueError, RecursionError) as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            warn(f"{where}: invalid JSON ({reason}); skipped")
            continue
        if not isinstance(row, dict):
            warn(f"{where}: a JSONL record must be an object; skipped")
            continue
        yield where, row


def _record_chunks(name: str, fmt: str, options: ReadOptions, warn: Warn) -> Iterator[Chunk]:
    """CSV and Parquet records, parsed here and shipped in batches of about a megabyte of text."""
    try:
        with _open(name) as raw:
            stream = io.BytesIO(raw.read()) if name == "-" else raw
            rows = _csv_rows(name, stream, warn) if fmt == "csv" else _parquet_rows(name, stream, options, warn)
            batch: list[Row] = []
            chars = done = 0
            for row in rows:
                batch.append(row)
                chars += len(str(row[1].get(options.text_field) or ""))
                if chars >= CHUNK_BYTES:
                    position = max(done, _position(raw))  # Parquet reads seek about
                    yield Chunk(name, fmt, rows=batch, size=position - done)
                    batch, chars, done = [], 0, position
            yield Chunk(name, fmt, rows=batch, size=max(0, _size(name) - done))
    except (OSError, EOFError, zlib.error) as exc:
        warn(f"{name}: cannot read ({exc}); the rest of the file is skipped")


def _position(raw: IO[bytes]) -> int:
    """Bytes of the file consumed so far (compressed bytes for gzip)."""
    inner = getattr(raw, "fileobj", None)
    return int((inner or raw).tell())


def _size(name: str) -> int:
    return 0 if name == "-" else Path(name).stat().st_size


def _csv_rows(name: str, stream: IO[bytes], warn: Warn) -> Iterator[Row]:
    sample = stream.read(1 << 16)
    stream.seek(0)  # files, gzip members and stdin's copy all seek
    encoding = sniff_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(sys.maxsize)  # a long article is one field
    reader = csv.reader(text)
    header: list[str] | None = None
    try:
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                warn(f"{name}:{start}: unreadable CSV {'row' if header else 'header'} ({exc}); skipped")
                if header is None:
                    return
                continue
            if header is None:
                header = values
            elif len(values) != len(header):
                warn(f"{name}:{start}: expected {len(header)} fields, got {len(values)}; skipped")
            else:
                if any("\ufffd" in v for v in values):
                    warn(f"{name}:{start}: invalid {encoding} bytes replaced with U+FFFD")
                yield f"{name}:{start}", dict(zip(header, values, strict=True))
    finally:
        text.detach()


def _parquet_rows(name: str, stream: IO[bytes], options: ReadOptions, warn: Warn) -> Iterator[Row]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(stream)
        names = parquet.schema_arrow.names
        if options.text_field not in names:
            warn(f"{name}: no '{options.text_field}' column (columns: {', '.join(names)}); skipped")
            return
        wanted = {options.text_field, options.id_field, *META_FIELDS}
        number = 0
        for batch in parquet.iter_batches(columns=[c for c in names if c in wanted], batch_size=2048):
            for row in batch.to_pylist():
                number += 1
                yield f"{name}:{number}", row
    except (pa.ArrowException, OSError) as exc:
        warn(f"{name}: unreadable Parquet ({exc}); skipped")
