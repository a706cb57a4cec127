"""Input cut into partitions: pieces of a corpus that one worker of a cluster reads, scans and writes alone.

A partition is whole files read exactly as ``scan`` reads them (text, HTML, CSV, gzip, a file not worth
cutting; small files are grouped up to a block), a byte range of a JSONL file whose lines start in it, or
a run of a Parquet file's row groups. Cutting needs file sizes, the first megabyte of a large JSONL file
(its encoding) and Parquet footers: the client never reads the corpus. The first line number of a JSONL
range is what :func:`count_lines` of the ranges before it adds up to, counted on the workers, so record
ids and warnings name the same lines as one process does.

A CSV file is never cut: a quoted field may hold a newline, so a line end is not a record end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..text.decode import ASCII_COMPATIBLE, sniff_encoding
from .chunks import (
    CHUNK_BYTES,
    Chunk,
    ReadOptions,
    RowGroups,
    Warn,
    chunks,
    file_size,
    is_url,
    open_input,
    record_chunks,
)
from .documents import Document, read_chunk
from .formats import format_of

BLOCK_BYTES = 64 << 20
"""Input bytes per partition: enough text that a task's start-up is lost in its scanning (about 6 s of
work on one core), few enough that a worker holds the hits of one partition at a time."""


@dataclass(frozen=True)
class Partition:
    """One task's input: ``files`` read whole, or a slice of the file ``name``.

    A slice is either the lines starting in bytes ``[start, end)`` of a JSONL file in ``encoding``, the
    first of them line ``first_line``, or the Parquet ``row_groups``. ``stamp`` is the size and
    modification time of what it reads, so a manifest tells a changed input from one scanned before.
    """

    index: int
    files: tuple[str, ...] = ()
    name: str = ""
    start: int = 0
    end: int = 0
    first_line: int = 1
    encoding: str = "utf-8"
    row_groups: RowGroups | None = None
    size: int = 0
    stamp: str = ""

    @property
    def is_range(self) -> bool:
        return bool(self.name) and self.row_groups is None

    def key(self) -> str:
        """What the partition reads, as a manifest names it."""
        if self.files:
            return f"{self.stamp} files {len(self.files)} {' '.join(self.files)}"
        if self.row_groups is not None:
            return f"{self.stamp} rows {self.name} {','.join(map(str, self.row_groups.groups))}"
        return f"{self.stamp} bytes {self.name} {self.start}-{self.end} {self.first_line}"


def plan(files: list[str], options: ReadOptions, block: int = BLOCK_BYTES) -> list[Partition]:
    """Partitions of ``files`` (from :func:`~.chunks.input_files`) in input order, each about ``block`` bytes.

    JSONL ranges after the first of a file still have ``first_line`` 1: :func:`numbered` sets it.
    """
    planned: list[Partition] = []
    group: list[str] = []
    size = 0
    for name in files:
        length = file_size(name)
        slices = _slices(name, length, options, block) if length > block else None
        if slices is None and size + length <= block:
            group.append(name)
            size += length
            continue
        if group:
            planned.append(_whole(len(planned), group, size))
        group, size = ([], 0) if slices else ([name], length)
        for piece in slices or ():
            planned.append(replace(piece, index=len(planned)))
    if group:
        planned.append(_whole(len(planned), group, size))
    return planned


def numbered(partitions: list[Partition], lines: dict[int, int]) -> list[Partition]:
    """The partitions with each JSONL range's ``first_line`` set, from ``lines`` (index -> lines starting in it,
    as :func:`count_lines` gives them) of every range before it in the same file."""
    numbered_: list[Partition] = []
    line, name = 1, ""
    for partition in partitions:
        if partition.is_range:
            line = 1 if partition.name != name or partition.start == 0 else line
            name = partition.name
            numbered_.append(replace(partition, first_line=line))
            line += lines.get(partition.index, 0)
        else:
            numbered_.append(partition)
    return numbered_


def to_count(partitions: list[Partition]) -> list[Partition]:
    """The JSONL ranges whose line count :func:`numbered` needs: those another range of the same file follows."""
    after = [*partitions[1:], None]
    return [p for p, n in zip(partitions, after, strict=True) if p.is_range and n and n.is_range and n.name == p.name]


def count_lines(partition: Partition) -> int:
    """How many lines start in a JSONL range's bytes: line ``p`` starts where ``p == 0`` or byte ``p - 1`` is
    a newline. Reads the range once, at the speed of the disk."""
    lines = 1 if partition.start == 0 else 0
    begin = max(partition.start - 1, 0)
    with open_input(partition.name) as raw:
        raw.seek(begin)
        left = partition.end - 1 - begin
        while left > 0:
            block = raw.read(min(CHUNK_BYTES, left))
            if not block:
                break
            lines += block.count(b"\n")
            left -= len(block)
    return lines


def partition_chunks(partition: Partition, options: ReadOptions, warn: Warn) -> Iterator[Chunk]:
    """The chunks of one partition, as :func:`~.chunks.chunks` cuts them for the same input."""
    if partition.files:
        yield from chunks(partition.files, options, warn)
    elif partition.row_groups is not None:
        yield from record_chunks(partition.name, "parquet", options, warn, partition.row_groups)
    else:
        yield from _range_chunks(partition)


def partition_documents(partition: Partition, options: ReadOptions, warn: Warn) -> Iterator[Document]:
    """The documents of one partition, as :func:`~.documents.read_documents` reads the same input."""
    for chunk in partition_chunks(partition, options, warn):
        yield from read_chunk(chunk, options, warn)


def _whole(index: int, files: list[str], size: int) -> Partition:
    return Partition(index, files=tuple(files), size=size, stamp=_stamp(files))


def _slices(name: str, length: int, options: ReadOptions, block: int) -> list[Partition] | None:
    """A large file's slices, or ``None`` when it is read whole (a format or encoding that cannot be cut)."""
    fmt = options.input_format or format_of(name)
    if name.lower().endswith(".gz"):
        return None
    if fmt == "jsonl":
        return _ranges(name, length, block)
    if fmt == "parquet":
        return _row_group_runs(name, options, block)
    return None


def _ranges(name: str, length: int, block: int) -> list[Partition] | None:
    with open_input(name) as raw:
        encoding = sniff_encoding(raw.read(CHUNK_BYTES))
    if encoding not in ASCII_COMPATIBLE:  # UTF-16/32: a newline is not one byte, so the file is read whole
        return None
    stamp = _stamp([name])
    return [
        Partition(0, name=name, start=start, end=end, encoding=encoding, size=end - start, stamp=stamp)
        for start in range(0, length, block)
        for end in [min(start + block, length)]
    ]


def _row_group_runs(name: str, options: ReadOptions, block: int) -> list[Partition] | None:
    """Runs of row groups of about ``block`` compressed bytes; ``None`` for a file the reader would refuse
    whole (unreadable, no text column), so that its one warning is said once, as on one process."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with open_input(name) as raw:
            parquet = pq.ParquetFile(raw)
            metadata, schema = parquet.metadata, parquet.schema_arrow
    except (pa.ArrowException, OSError):
        return None
    if options.text_field not in schema.names:
        return None
    kind = schema.field(options.text_field).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return None
    runs: list[Partition] = []
    groups: list[int] = []
    size, first, rows = 0, 1, 0
    stamp = _stamp([name])
    for number in range(metadata.num_row_groups):
        group = metadata.row_group(number)
        groups.append(number)
        size += sum(group.column(c).total_compressed_size for c in range(group.num_columns))
        rows += group.num_rows
        if size >= block or number == metadata.num_row_groups - 1:
            runs.append(Partition(0, name=name, row_groups=RowGroups(tuple(groups), first), size=size, stamp=stamp))
            groups, size, first = [], 0, first + rows
            rows = 0
    return runs if len(runs) > 1 else None


def _range_chunks(partition: Partition) -> Iterator[Chunk]:
    """The lines starting in a JSONL range, about a megabyte of whole lines a chunk; the last line read past
    the range's end to its own."""
    with open_input(partition.name) as raw:
        if partition.start:
            raw.seek(partition.start - 1)
            raw.readline()  # the end of the line the range starts inside: the range before owns that line
        left = partition.end - raw.tell()
        line, held = partition.first_line, b""
        while left > 0:
            block = raw.read(min(CHUNK_BYTES, left))
            if not block:
                break
            left -= len(block)
            data = held + block
            if left <= 0 and not data.endswith(b"\n"):
                data += raw.readline()
            cut = len(data) if left <= 0 else data.rfind(b"\n") + 1
            data, held = data[:cut], data[cut:]
            if data:
                yield Chunk(partition.name, "jsonl", data, first_line=line, encoding=partition.encoding, size=len(data))
                line += data.count(b"\n")
        if held:
            yield Chunk(partition.name, "jsonl", held, first_line=line, encoding=partition.encoding, size=len(held))


def _stamp(files: list[str]) -> str:
    """Size and modification time of the files: what tells a changed input from the one a manifest saw."""
    parts = []
    for name in files:
        info: Any
        if is_url(name):
            import fsspec

            filesystem, inner = fsspec.core.url_to_fs(name)
            info = filesystem.info(inner)
            parts.append(f"{info.get('size')}@{info.get('mtime') or info.get('LastModified') or info.get('ETag')}")
        elif name != "-":
            stat = os.stat(name)
            parts.append(f"{stat.st_size}@{stat.st_mtime_ns}")
    return ";".join(parts)
