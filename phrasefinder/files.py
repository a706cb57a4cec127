"""Files: atomic replacement, locks, and the files a list of paths names.

Every write a run makes (hits, reports, lexicons, queues) is whole or not at
all: it goes to a temporary file in the same folder, is synced, and renamed
over the old one, so a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import InputError

LOCK_SECONDS = 600
"""How long a writer waits for another one holding the same lock (``$PHRASEFINDER_LOCK_SECONDS`` overrides)."""


@contextmanager
def locked(path: Path, what: str) -> Iterator[None]:
    """Hold the lock file ``path`` (made if need be); one line naming ``what`` when it cannot be had.

    Raises :class:`InputError` when the lock cannot be created (a read-only folder) or another
    process holds it longer than ``LOCK_SECONDS``.
    """
    from filelock import FileLock, Timeout

    seconds = float(os.environ.get("PHRASEFINDER_LOCK_SECONDS") or LOCK_SECONDS)
    lock = FileLock(path, timeout=seconds)
    try:
        lock.acquire()
    except Timeout:
        msg = f"{what}: another phrasefinder process has held {path} for {seconds:g} s; try again when it is done"
        raise InputError(msg) from None
    except OSError as exc:
        msg = f"{what}: cannot take the lock {path} ({exc.strerror})"
        raise InputError(msg) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def atomic_output(path: Path, check: Callable[[Path], None] | None = None) -> Iterator[IO[bytes]]:
    """A binary stream that becomes ``path`` when the block ends without error, and nothing otherwise.

    It writes to a temporary file beside the target, syncs it and renames it over the old one: a
    run killed half-way, or a full disk, leaves the previous complete file (and a ``.*.tmp`` that
    says so), never a file cut at a line end that looks finished. A link is written through, so
    the file it points to is replaced and the link stays. Raises :class:`InputError` when the
    folder cannot be written or the disk fills. ``check`` sees the new file under its temporary
    name and may raise to keep the old one.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        msg = f"{path}: cannot write ({exc.strerror})"
        raise InputError(msg) from None
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes it 0600: the file would turn private on its first rewrite
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if check:
            check(Path(temporary))
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        msg = f"{path}: cannot write ({exc.strerror}); the previous file, if any, is kept"
        raise InputError(msg) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, text: str, check: Callable[[Path], None] | None = None) -> None:
    """Replace ``path`` with ``text``, its folder made if need be: see :func:`atomic_output`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, check) as stream:
        stream.write(text.encode("utf-8"))


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
