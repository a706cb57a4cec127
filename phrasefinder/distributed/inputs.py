"""The input a cluster run names — paths and folders as ``scan`` takes them, globs, fsspec URLs — and its partitions."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ingest.chunks import ReadOptions, Warn, input_files, is_url
from ..ingest.formats import format_of
from ..ingest.partitions import Partition, count_lines, numbered, plan, to_count


def expand(
    arguments: Iterable[str | Path], warn: Warn, exclude: Iterable[Path] = (), *, include_text: bool = False
) -> list[str]:
    """Every input file, in argument order: a local path or folder as :func:`input_files` reads it, a glob
    (``papers/*.jsonl``, quoted so the shell leaves it) by its sorted matches, and an fsspec URL
    (``s3://bucket/papers/*.parquet``, a folder ``s3://bucket/papers/``) by the files it names whose format
    is known. Raises :class:`InputError` for a glob or URL that names nothing."""
    files: list[str] = []
    excluded = list(exclude)
    for argument in map(str, arguments):
        if is_url(argument):
            files.extend(_remote(argument))
        elif glob.has_magic(argument) and not Path(argument).exists():
            matches = sorted(glob.glob(argument))
            if not matches:
                msg = f"{argument}: no file matches"
                raise InputError(msg)
            files.extend(input_files(matches, warn, excluded, include_text=include_text))
        else:
            files.extend(input_files([argument], warn, excluded, include_text=include_text))
    return files


def _remote(url: str) -> list[str]:
    import fsspec

    try:
        filesystem, path = fsspec.core.url_to_fs(url)
        if glob.has_magic(path):
            found = filesystem.glob(path)
        elif filesystem.isdir(path):
            found = [f for f in filesystem.find(path) if format_of(f)]
        else:
            found = [path] if filesystem.exists(path) else []
    except (ImportError, ValueError, OSError) as exc:  # an unknown protocol, or one whose package is missing
        msg = f"{url}: cannot list ({exc})"
        raise InputError(msg) from None
    if not found:
        msg = f"{url}: no such file, or no file matches"
        raise InputError(msg)
    return [filesystem.unstrip_protocol(f) for f in sorted(found)]


def partitions_of(client: Any, files: list[str], options: ReadOptions, block: int) -> list[Partition]:
    """The partitions of ``files``, every JSONL range's first line number counted on the workers."""
    partitions = plan(files, options, block)
    counted = to_count(partitions)
    if not counted:
        return partitions
    lines = client.gather(client.map(count_lines, counted, pure=False))
    return numbered(partitions, {p.index: n for p, n in zip(counted, lines, strict=True)})
