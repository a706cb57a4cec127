"""The curator's queue: pending candidates and the log of every decision.

Both live inside the lexicon set's first folder (``review/pending.jsonl`` and
``review/decisions.jsonl``), so a lexicon folder copied elsewhere carries its
history: rejected phrases never come back, accepted ones are traceable. Every
change happens under a file lock, re-reading the files inside it, so two
curators working at once do not lose each other's decisions; every rewrite is
atomic (a temporary file in the same folder, fsync, then rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

from .mining import Candidate

REVIEW_DIR = "review"


class Queue:
    """Pending candidates and decisions of one lexicon folder."""

    def __init__(self, lexicon_dir: str | Path) -> None:
        self.folder = Path(lexicon_dir) / REVIEW_DIR
        self.pending_path = self.folder / "pending.jsonl"
        self.decisions_path = self.folder / "decisions.jsonl"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the queue's lock: everything read inside is current, everything written is kept."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with FileLock(self.folder / ".lock", timeout=60):
            yield

    def pending(self) -> list[dict[str, Any]]:
        """Candidates waiting for a decision, best first."""
        return _read_jsonl(self.pending_path)

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision ever taken, oldest first."""
        return _read_jsonl(self.decisions_path)

    def decided_phrases(self) -> set[str]:
        """Phrases accepted or rejected already: the miner never proposes them again."""
        return {d["phrase"] for d in self.decisions()}

    def add(self, candidates: Iterable[Candidate]) -> int:
        """Queue the candidates not pending or decided yet; returns how many were new."""
        with self.locked():
            pending = self.pending()
            known = {c["id"] for c in pending} | {d["candidate"] for d in self.decisions()}
            new = [c.as_dict() for c in candidates if c.id not in known]
            merged = sorted([*pending, *new], key=lambda c: (-c["score"], c["phrase"]))
            atomic_write(self.pending_path, "".join(_line(c) for c in merged))
        return len(new)


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"
