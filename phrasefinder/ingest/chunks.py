"""Input cut into chunks that one process can read on its own.

Whole text and HTML files, stdin's bytes, runs of about a megabyte of whole
JSONL lines, or batches of CSV and Parquet records parsed here: so a corpus
larger than memory streams, and several processes can share one large file.
What cannot be read is reported through ``warn`` as one line naming the file
(and line), and reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import errno
import gzip
import io
import itertools
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import InputError
from ..text.decode import ASCII_COMPATIBLE, sniff_encoding
from .formats import RECORDS, format_of

META_FIELDS = ("date", "source", "title", "region")
"""Document metadata carried through to every hit when a record has it."""

CHUNK_BYTES = 1 << 20

MAX_DOCUMENT = 32 << 20
"""The most bytes one document may have (``--max-document-mb``): a longer text is read in parts cut at line
ends, so a 200 MB one-line file or a gzip bomb costs a bounded amount of memory, not all of it."""

Warn = Callable[[str], None]
Row = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class RowGroups:
    """Some row groups of a Parquet file, and the number (from 1) of the first record in them."""

    groups: tuple[int, ...]
    first_row: int


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: which fields hold the text and the identifier."""

    text_field: str = "text"
    id_field: str = "id"
    input_format: str | None = None
    max_document: int = MAX_DOCUMENT


@dataclass(frozen=True)
class Chunk:
    """Input that one process can read on its own.

    One of: a whole text or HTML file (nothing but ``name``: the reader opens
    it); stdin's bytes (``data``); a run of whole JSONL lines (``data`` in
    ``encoding``, starting at line ``first_line``); or records a CSV or Parquet
    reader already parsed (``rows``). ``size`` is the input bytes it stands for;
    ``part`` numbers the parts of a stdin text longer than a document may be
    (0: the whole of it).
    """

    name: str
    fmt: str
    data: bytes | None = None
    rows: list[Row] | None = None
    first_line: int = 1
    encoding: str = "utf-8"
    size: int = 0
    part: int = 0


def input_files(
    paths: Iterable[str | Path], warn: Warn, exclude: Iterable[str | Path] = (), *, include_text: bool = False
) -> list[str]:
    """The files a list of arguments names; folders are searched for known formats.

    Hidden files and folders inside a folder argument are passed over, and so
    are the ``exclude`` paths (a run's own output file). A folder holding
    record files (JSONL, CSV, Parquet) is a corpus of records: its prose files
    (a README.md, notes.txt) are passed over with one warning, unless
    ``include_text``. Anything that is not a
    regular file — a FIFO, a device, a dangling link or a link loop — is
    skipped with one warning: reading it would hang, never end, or crash.
    Raises :class:`InputError` if a path does not exist.
    """
    names = [str(p) for p in paths]
    for path in names:
        if path != "-" and not os.path.lexists(path):
            msg = f"{path}: no such file or folder"
            raise InputError(msg)
    skip = {Path(p).resolve() for p in exclude}
    files: list[str] = []
    for path in names:
        found = _walk(path, warn) if Path(path).is_dir() else [path]
        found = [f for f in found if f == "-" or not (_irregular(f, warn) or Path(f).resolve() in skip)]
        files.extend(found if include_text or not Path(path).is_dir() else _records_only(path, found, warn))
    return files


def _records_only(folder: str, found: list[str], warn: Warn) -> list[str]:
    """The files found, less the prose that sits beside records in the same folder: a corpus's README is
    not one of its documents (a folder of texts next to a folder of records keeps its texts)."""
    with_records = {os.path.dirname(f) for f in found if format_of(f) in RECORDS}
    prose = [f for f in found if format_of(f) not in RECORDS and os.path.dirname(f) in with_records]
    if not prose:
        return found
    shown = ", ".join(printable(f) for f in prose[:3]) + (" …" if len(prose) > 3 else "")
    warn(f"{folder}: {len(prose)} text file(s) beside the records passed over ({shown}); --include-text reads them")
    skipped = set(prose)
    return [f for f in found if f not in skipped]


def _irregular(name: str, warn: Warn) -> bool:
    """Whether ``name`` is not a regular file (said in a warning): only regular files have an end to read to."""
    try:
        mode = os.stat(name).st_mode
    except OSError as exc:
        dangling = "a dangling link" if os.path.islink(name) else exc.strerror
        warn(f"{printable(name)}: cannot read ({'a link loop' if exc.errno == errno.ELOOP else dangling}); skipped")
        return True
    if stat.S_ISREG(mode):
        return False
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket"
    warn(f"{printable(name)}: {kind}, not a regular file; skipped")
    return True


def printable(text: str) -> str:
    """Text that can be written as UTF-8: undecodable file-name bytes and lone surrogates escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def total_size(paths: Iterable[str]) -> int:
    """Bytes on disk of the named files, for a progress bar's total."""
    return sum(Path(p).stat().st_size for p in paths if p != "-")


def chunks(files: Iterable[str], options: ReadOptions, warn: Warn) -> Iterator[Chunk]:
    """The chunks of every input file, in order."""
    for name in files:
        fmt = options.input_format or ("text" if name == "-" else format_of(name) or "text")
        if fmt == "jsonl":
            yield from _jsonl_chunks(name, options.max_document, warn)
        elif fmt in ("csv", "parquet"):
            yield from record_chunks(name, fmt, options, warn)
        elif name == "-":
            for number, (data, last) in enumerate(parts(sys.stdin.buffer, options.max_document), 1):
                part = 0 if number == 1 and last else number
                yield Chunk(name, fmt, data, size=len(data), part=part)
        else:
            yield Chunk(name, fmt, size=file_size(name))


def parts(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """The stream in parts of at most ``limit`` bytes, cut after a line end where there is one; each with
    whether it is the last. Memory holds one part, however long the stream (a gzip bomb included).

    A UTF-16 or UTF-32 text (with its BOM) is re-encoded as UTF-8 first, so that no cut falls inside a
    character and every part decodes on its own.
    """
    first = stream.read(limit + 1)
    if len(first) <= limit:
        if first:
            yield first, True
        return
    wide = sniff_encoding(first) if first.startswith(_WIDE_BOMS) else None
    blocks = _as_utf8(stream, first, wide) if wide else itertools.chain([first], iter(lambda: stream.read(limit), b""))
    held: list[bytes] = []
    size = 0
    for block in blocks:
        held.append(block)
        size += len(block)
        while size > limit:
            buffer = b"".join(held)
            cut = _cut(buffer, limit)
            yield buffer[:cut], False
            held, size = [buffer[cut:]], len(buffer) - cut
    if size:
        yield b"".join(held), True


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
"""The BOMs of UTF-16 and UTF-32, where a newline is more than one byte."""


def _cut(buffer: bytes, limit: int) -> int:
    """Where to end a part: after the last line end within ``limit``, else at a UTF-8 character boundary."""
    cut = buffer.rfind(b"\n", 0, limit) + 1
    if cut:
        return cut
    cut = limit
    while cut > 0 and buffer[cut] & 0xC0 == 0x80:  # not inside a multi-byte character
        cut -= 1
    return cut or limit


def _walk(folder: str, warn: Warn) -> list[str]:
    def unreadable(error: OSError) -> None:
        warn(f"{error.filename}: cannot read folder ({error.strerror}); skipped")

    found: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, f) for f in files if not f.startswith(".") and format_of(f))
    return sorted(found)


def too_long(where: str, limit: int) -> str:
    """The warning for a record longer than a document may be."""
    return f"{where}: a record over {megabytes(limit)} MB (--max-document-mb); skipped"


def megabytes(limit: int) -> str:
    """A byte count as ``--max-document-mb`` gives it: ``32``, ``0.01``."""
    return f"{limit / (1 << 20):.3g}"


def open_input(path: str) -> AbstractContextManager[IO[bytes]]:
    """The file's bytes (gunzipped for ``.gz``); an fsspec URL (``s3://``, ``file://``) on a cluster run."""
    if path == "-":
        return sys.stdin.buffer
    if is_url(path):
        import fsspec

        return cast(AbstractContextManager[IO[bytes]], fsspec.open(path, "rb", compression="infer"))
    return cast(IO[bytes], gzip.open(path, "rb")) if path.lower().endswith(".gz") else open(path, "rb")


def is_url(path: str) -> bool:
    """Whether an input names a file through fsspec (``s3://bucket/a.jsonl``) rather than a local path."""
    return "://" in path


def file_size(path: str) -> int:
    """Bytes of one input file, local or an fsspec URL."""
    if is_url(path):
        import fsspec

        filesystem, inner = fsspec.core.url_to_fs(path)
        return int(filesystem.size(inner))
    return Path(path).stat().st_size


def _jsonl_chunks(name: str, limit: int, warn: Warn) -> Iterator[Chunk]:
    """Runs of whole lines, about a megabyte each, in an encoding where b"\\n" is a line end.

    A line longer than ``limit`` is dropped as it streams by, with a warning: it is never held whole.
    """
    line = 1
    pending: list[bytes] = []
    held = 0  # bytes in pending; -1 while a line too long is being passed over
    try:
        with open_input(name) as raw:
            first = raw.read(CHUNK_BYTES)
            encoding = sniff_encoding(first)
            stream = _as_utf8(raw, first, encoding)
            if encoding not in ASCII_COMPATIBLE:
                encoding = "utf-8"
            for whole in stream:
                block = whole
                if held < 0:
                    end = block.find(b"\n") + 1
                    if not end:
                        continue
                    warn(too_long(f"{printable(name)}:{line}", limit))
                    line, held, block = line + 1, 0, block[end:]
                cut = block.rfind(b"\n") + 1
                if not cut:
                    pending.append(block)
                    held += len(block)
                    if held > limit:
                        pending, held = [], -1
                    continue
                data = b"".join([*pending, block[:cut]])
                pending, held = [block[cut:]], len(block) - cut
                yield Chunk(name, "jsonl", data, first_line=line, encoding=encoding, size=len(data))
                line += data.count(b"\n")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        where = "" if line == 1 else f" after line {line - 1}"
        warn(f"{name}: cannot read{where} ({exc}); the rest of the file is skipped")
        return
    if held < 0:  # the file ended inside the line being passed over
        warn(too_long(f"{printable(name)}:{line}", limit))
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


def record_chunks(
    name: str, fmt: str, options: ReadOptions, warn: Warn, row_groups: RowGroups | None = None
) -> Iterator[Chunk]:
    """CSV and Parquet records, parsed here and shipped in batches of about a megabyte of text;
    ``row_groups`` (a cluster's partition) reads only those of a Parquet file."""
    try:
        with open_input(name) as raw:
            stream = io.BytesIO(raw.read()) if name == "-" else raw
            rows = (
                _csv_rows(name, stream, options.max_document, warn)
                if fmt == "csv"
                else _parquet_rows(name, stream, options, warn, row_groups)
            )
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
    return 0 if name == "-" else file_size(name)


def _csv_rows(name: str, stream: IO[bytes], limit: int, warn: Warn) -> Iterator[Row]:
    """Records with the line they start on. Strict: a quote never closed is a warning naming where it
    opened, not a record that silently swallows the rest of the file."""
    sample = stream.read(1 << 16)
    stream.seek(0)  # files, gzip members and stdin's copy all seek
    encoding = sniff_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(limit)  # a long article is one field; a runaway one (a quote never closed) stops
    reader = csv.reader(text, strict=True)
    header: list[str] | None = None
    try:
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = "a quote opened here is never closed" if "end of data" in str(exc) else str(exc)
                warn(f"{name}:{start}: unreadable CSV {'row' if header else 'header'} ({reason}); skipped")
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


def _parquet_rows(
    name: str, stream: IO[bytes], options: ReadOptions, warn: Warn, row_groups: RowGroups | None = None
) -> Iterator[Row]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(stream)
        names = parquet.schema_arrow.names
        if options.text_field not in names:
            warn(f"{name}: no '{options.text_field}' column (columns: {', '.join(names)}); skipped")
            return
        kind = parquet.schema_arrow.field(options.text_field).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            warn(f"{name}: the '{options.text_field}' column holds {kind}, not text; skipped")  # once, not per row
            return
        wanted = {options.text_field, options.id_field, *META_FIELDS}
        groups, number = (None, 0) if row_groups is None else (list(row_groups.groups), row_groups.first_row - 1)
        columns = [c for c in names if c in wanted]
        for batch in parquet.iter_batches(columns=columns, batch_size=2048, row_groups=groups):
            for row in batch.to_pylist():
                number += 1
                yield f"{name}:{number}", row
    except (pa.ArrowException, OSError) as exc:
        warn(f"{name}: unreadable Parquet ({exc}); skipped")
