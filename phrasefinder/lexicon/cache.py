"""A private cache of validated lexicon sets and the forms their matchers are built from.

A set of 100,000 entries takes seconds to parse, validate and compile, and
every command pays it again. The result depends only on the files and on this
code, so it is kept, keyed by each file's path, size, modification time and
SHA-256 and by phrasefinder's own version and sources, and read back instead.

A pickle runs code when it is read, so the cache is only ever read from a
folder the user owns and no one else may write (``$PHRASEFINDER_CACHE``, else
``$XDG_CACHE_HOME/phrasefinder``, else ``~/.cache/phrasefinder``), from files
the user owns and only the user may read. Anything else is not read and is
rebuilt; ``PHRASEFINDER_CACHE=off`` turns the cache off. A cache that cannot be
written costs the time and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ENV = "PHRASEFINDER_CACHE"

KEEP = 8
"""Sets kept per kind: a curator's working set, the bundled one, a test set … without growing for ever."""

_SOURCES = ("lexicon/load.py", "lexicon/model.py", "text/normalize.py", "scan/scanner.py")
"""The modules whose code decides what is cached: a change to any of them is a new key."""


def key(files: Iterable[Path]) -> str | None:
    """A key that changes whenever any of ``files`` or the code that reads them does; ``None`` if one cannot
    be read (validation then says why, as a lexicon problem).

    Paths go in as spelled as well as resolved: entries remember the path they were loaded by.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    try:
        for path in [*(package / s for s in _SOURCES), *files]:
            info = path.stat()
            digest.update(f"{path}\0{path.resolve()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def load(kind: str, cache_key: str) -> Any | None:
    """What was stored under ``kind`` and ``cache_key``, or ``None`` (absent, unsafe or unreadable)."""
    folder = _folder()
    if folder is None:
        return None
    path = folder / f"{kind}-{cache_key}.pickle"
    if not (_private(folder, directory=True) and _private(path, directory=False)):
        return None
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)  # noqa: S301 - only from a folder and file no one else can write
    except Exception:
        path.unlink(missing_ok=True)
        return None


def store(kind: str, cache_key: str, value: Any) -> None:
    """Keep ``value`` for the next run; silently nothing when the cache cannot be written."""
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder, directory=True):
            return
        kept = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP - 1 :]:  # the most recent few sets: the cache does not grow
            old.unlink(missing_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{kind}.", dir=folder)  # mode 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{kind}-{cache_key}.pickle")
    except (OSError, pickle.PicklingError):
        return
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already when it was renamed; a failed one is not left


def _folder() -> Path | None:
    chosen = os.environ.get(ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "phrasefinder"


def _private(path: Path, *, directory: bool) -> bool:
    """Owned by this user, writable by no one else (and, for a file, readable by no one else)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    others = stat.S_IWGRP | stat.S_IWOTH | (0 if directory else stat.S_IRGRP | stat.S_IROTH)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & others
