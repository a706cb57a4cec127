"""Documents from files, folders, record corpora and stdin.

One entry point, :func:`read_documents`, turns paths into a stream of
:class:`Document`: plain text and HTML files are one document each; JSONL, CSV
and Parquet files hold one document per record. The input is read chunk by
chunk (:mod:`.chunks`), so memory does not grow with the corpus.

A bad document never stops a run: it is reported through ``on_warning`` as one
line naming the file (and line) and skipped, and reading goes on.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import DecodeError
from ..text.decode import decode
from .chunks import (
    META_FIELDS,
    Chunk,
    ReadOptions,
    Row,
    Warn,
    chunks,
    input_files,
    megabytes,
    open_input,
    parts,
    printable,
    too_long,
)

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Document:
    """A text to scan, with the identifier and metadata its hits will carry."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


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


def read_chunk(chunk: Chunk, options: ReadOptions, warn: Warn) -> Iterator[Document]:
    """The documents in one chunk; what cannot be read is a warning."""
    if chunk.rows is not None:
        rows: Iterable[Row] = chunk.rows
    elif chunk.fmt == "jsonl":
        rows = _jsonl_rows(chunk, options, warn)
    else:
        yield from _text_document(chunk, options, warn)
        return
    for where, row in rows:
        document = _record_document(where, row, options, warn)
        if document is not None:
            yield document


def _text_document(chunk: Chunk, options: ReadOptions, warn: Warn) -> Iterator[Document]:
    """A text or HTML file (or stdin) as one document; a text longer than a document may be, as parts."""
    if chunk.data is not None:
        yield from _text_part(chunk.name, chunk.fmt, chunk.data, chunk.part, warn)
        return
    name, over = printable(chunk.name), f"over {megabytes(options.max_document)} MB (--max-document-mb)"
    try:
        with open_input(chunk.name) as stream:
            for number, (data, last) in enumerate(parts(stream, options.max_document), 1):
                if number == 1 and not last:
                    if chunk.fmt == "html":
                        warn(f"{name}: an HTML page {over}; skipped")
                        return
                    warn(f"{name}: {over}; read in parts cut at line ends, {name}#1, #2 …")
                yield from _text_part(chunk.name, chunk.fmt, data, 0 if number == 1 and last else number, warn)
    except (OSError, EOFError, zlib.error) as exc:
        warn(f"{name}: cannot read ({exc}); skipped")


def _text_part(name: str, fmt: str, data: bytes, part: int, warn: Warn) -> Iterator[Document]:
    """One document from a text's bytes; ``part`` (if not 0) is its place among the text's parts."""
    doc_id = printable(name) + (f"#{part}" if part else "")
    try:
        decoded = decode(data)
    except DecodeError as exc:
        warn(f"{doc_id}: {exc}; skipped")
        return
    if decoded.warning:
        warn(f"{doc_id}: {decoded.warning}")
    if fmt == "html":
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
    doc_id = row.get(options.id_field)
    meta = {key: printable(str(row[key])) for key in META_FIELDS if row.get(key) not in (None, "")}
    return Document(where if doc_id in (None, "") else printable(str(doc_id)), text, meta)


def _fast(raw: bytes) -> Any:
    """The record orjson reads from a clean UTF-8 line, else ``None``: anything odd (bad bytes, a lone
    surrogate, a BOM, invalid JSON) takes the stdlib path, which says exactly what is wrong."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def _line(raw: bytes, encoding: str, where: str, warn: Warn) -> str:
    """One JSONL line in the file's encoding; a line that is not, read in the encoding it is in.

    Files concatenated from several sources mix GB18030 records into a UTF-8 file: each such line
    is decoded on its own (with a warning) rather than losing its hits to U+FFFD.
    """
    line = raw.decode(encoding, errors="replace")
    if "\ufffd" not in line or "\ufffd" in raw.decode(encoding, errors="ignore"):
        return line
    try:
        own = decode(raw)
    except DecodeError:
        own = None
    if own is not None and own.encoding != encoding and own.warning is None:
        warn(f"{where}: a {own.encoding} line in a {encoding} file; read as {own.encoding}")
        return own.text
    warn(f"{where}: invalid {encoding} bytes replaced with U+FFFD")
    return line


def _jsonl_rows(chunk: Chunk, options: ReadOptions, warn: Warn) -> Iterator[Row]:
    assert chunk.data is not None
    limit = options.max_document
    for number, raw in enumerate(chunk.data.split(b"\n"), start=chunk.first_line):
        where = f"{chunk.name}:{number}"
        if not raw.strip():
            continue
        if len(raw) > limit:
            warn(too_long(where, limit))
            continue
        row = fast = _fast(raw) if chunk.encoding == "utf-8" else None  # the common case, at library speed
        if row is None:
            line = _line(raw, chunk.encoding, where, warn)
        try:
            row = row if row is not None else json.loads(line.lstrip("\ufeff"))
        except (ValueError, RecursionError) as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            warn(f"{where}: invalid JSON ({reason}); skipped")
            continue
        if not isinstance(row, dict):
            warn(f"{where}: a JSONL record must be an object; skipped")
            continue
        text = row.get(options.text_field)
        if fast is None and isinstance(text, str) and _SURROGATE.search(text):
            # a JSON escape of half an emoji (orjson refuses those, so only the stdlib's records have them)
            row[options.text_field] = _SURROGATE.sub("\ufffd", text)
            warn(f"{where}: lone surrogate code points replaced with U+FFFD")
        yield where, row
