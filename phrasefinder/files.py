"""Files: atomic replacement, and the files a list of paths names.

Every write a run makes (hits, reports, lexicons, queues) is whole or not at
all: it goes to a temporary file in the same folder, is synced, and renamed
over the old one, so a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import InputError


def atomic_write(path: Path, text: str, check: Callable[[Path], None] | None = None) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one, never half.

    ``check`` sees the new file under its temporary name and may raise to keep the old one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes it 0600: the file would turn private on its first rewrite
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if check:
            check(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, or those a new file gets (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)  # the only portable way to read it is to set it
        os.umask(umask)
        return 0o666 & ~umask


def files_in(paths: Iterable[str | Path], wanted: Callable[[Path], bool], kind: str = "file") -> list[Path]:
    """Each path that is a file, and the ``wanted`` files below each folder (sorted); a missing path is an error."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and wanted(p)))
        elif path.is_file():
            found.append(path)
        else:
            msg = f"{path}: no such {kind} or folder"
            raise InputError(msg)
    return found


def refuse_overwrite(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Raise :class:`InputError` if an output is also an input, or two outputs are one file — before anything is opened.

    Paths are compared resolved and, where they exist, by device and inode, so a link or another spelling of the
    same file is caught too.
    """
    named = [Path(p) for p in outputs if p is not None]
    seen: dict[tuple[int, int] | Path, Path] = {}
    for output in named:
        key = _identity(output)
        if key in seen:
            msg = f"{output}: named twice as an output (also as {seen[key]}); each output needs a file of its own"
            raise InputError(msg)
        seen[key] = output
    for source in map(Path, inputs):
        if str(source) == "-":
            continue
        key = _identity(source)
        if key in seen:
            msg = f"{seen[key]}: is also an input; an output never overwrites an input (write it elsewhere)"
            raise InputError(msg)


def _identity(path: Path) -> tuple[int, int] | Path:
    try:
        info = path.stat()
    except OSError:
        return path.resolve()
    return (info.st_dev, info.st_ino)
