"""The curator's queue: pending candidates and the log of every decision.

Both live inside the lexicon set's first folder (``review/pending.jsonl`` and
``review/decisions.jsonl``), so a lexicon folder copied elsewhere carries its
history: rejected phrases never come back, accepted ones are traceable. Every
change happens under a file lock, re-reading the files inside it, so two
curators working at once do not lose each other's decisions; every rewrite is
atomic (a temporary file in the same folder, fsync, then rename).
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from filelock import FileLock

from .errors import LexiconError, PhraseFinderError, Problem
from .lexicon import Entry, Lexicon, lexicon_files, validate_files
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
        """Phrases accepted or rejected (and not undone): the miner never proposes them again."""
        return {d["phrase"] for d in self.standing().values()}

    def standing(self) -> dict[str, dict[str, Any]]:
        """The decision in force for each candidate: the last one, unless it was undone."""
        state: dict[str, dict[str, Any]] = {}
        for decision in self.decisions():
            if decision["decision"] == "undone":
                state.pop(decision["candidate"], None)
            else:
                state[decision["candidate"]] = decision
        return state

    def add(self, candidates: Iterable[Candidate]) -> int:
        """Queue the candidates not pending or decided yet; returns how many were new."""
        with self.locked():
            pending = self.pending()
            known = {c["id"] for c in pending} | set(self.standing())
            new = [c.as_dict() for c in candidates if c.id not in known]
            self._write_pending([*pending, *new])
        return len(new)

    def _write_pending(self, candidates: list[dict[str, Any]]) -> None:
        """Rewrite the queue, best first (call with the lock held)."""
        ordered = sorted(candidates, key=lambda c: (-c["score"], c["phrase"]))
        atomic_write(self.pending_path, "".join(_line(c) for c in ordered))


def atomic_write(path: Path, text: str, check: Callable[[Path], None] | None = None) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one, never half.

    ``check`` sees the new file under its temporary name and may raise to keep the old one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


class ReviewError(PhraseFinderError, ValueError):
    """A decision that cannot be taken (unknown candidate, already decided)."""


def accept(
    queue: Queue,
    lexicon_paths: list[Path],
    candidate_id: str,
    *,
    category: str,
    entry_id: str | None = None,
    phrase: str | None = None,
    into: Path | None = None,
    who: str | None = None,
    **fields: Any,
) -> tuple[Entry, Path]:
    """Add a pending candidate to a lexicon file, log the decision, and take it off the queue.

    ``fields`` are the entry's other fields (level, region, first_seen, source,
    note, variants, members, exclude); empty ones are left out. Without a
    ``source`` the entry names the document it was mined from, and without a
    ``note`` the candidate and its signals, so every entry stays traceable.

    The file is rewritten with its comments and order kept, validated together
    with the rest of the set before it replaces the old one, and replaced
    atomically. Raises :class:`ReviewError` or :class:`LexiconError`.
    """
    with queue.locked():
        candidate = _pending(queue, candidate_id)
        record: dict[str, Any] = {
            "id": entry_id or candidate["id"],
            "phrase": phrase or candidate["phrase"],
            "category": category,
            **{k: v for k, v in fields.items() if v},
        }
        examples = candidate.get("examples") or []
        if examples:
            record.setdefault("source", f"mined from {examples[0]['doc_id']}")
        record.setdefault(
            "note",
            f"accepted from candidate {candidate['id']} ({', '.join(candidate.get('signals', [])) or 'statistics'})",
        )
        target = into or suggest_target(lexicon_paths, category)
        checked = _append_entry(target, record, lexicon_paths)
        entry = replace(checked[record["id"]], path=str(target))  # validated under the temporary's name
        _decide(queue, candidate, "accepted", who, entry=record["id"], file=str(target))
    return entry, target


def reject(queue: Queue, candidate_id: str, *, reason: str | None = None, who: str | None = None) -> dict[str, Any]:
    """Log a rejection and take the candidate off the queue: the miner never proposes it again."""
    with queue.locked():
        candidate = _pending(queue, candidate_id)
        return _decide(queue, candidate, "rejected", who, reason=reason)


def _pending(queue: Queue, candidate_id: str) -> dict[str, Any]:
    for candidate in queue.pending():
        if candidate["id"] == candidate_id:
            return candidate
    decision = queue.standing().get(candidate_id)
    if decision:
        msg = f"{candidate_id}: already {decision['decision']} on {decision['when']} by {decision['who']}"
        raise ReviewError(msg)
    msg = f"{candidate_id}: no such pending candidate (see 'phrasefinder review list')"
    raise ReviewError(msg)


def _decide(queue: Queue, candidate: dict[str, Any], decision: str, who: str | None, **details: Any) -> dict[str, Any]:
    record = _log(queue, candidate["id"], candidate["phrase"], decision, who, evidence=candidate, **details)
    queue._write_pending([c for c in queue.pending() if c["id"] != candidate["id"]])
    return record


def _log(queue: Queue, candidate: str, phrase: str, decision: str, who: str | None, **details: Any) -> dict[str, Any]:
    """Append one decision to the log, on disk before this returns."""
    record = {
        "candidate": candidate,
        "phrase": phrase,
        "decision": decision,
        "who": who or os.environ.get("PHRASEFINDER_CURATOR") or getpass.getuser(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **{k: v for k, v in details.items() if v is not None},
    }
    with queue.decisions_path.open("a", encoding="utf-8") as log:
        log.write(_line(record))
        log.flush()
        os.fsync(log.fileno())
    return record


def undo(queue: Queue, lexicon_paths: list[Path], candidate_id: str, *, who: str | None = None) -> dict[str, Any]:
    """Take back the decision in force for a candidate: its entry leaves the lexicon, it is pending again.

    The log keeps both the decision and its undoing: nothing decided is lost.
    """
    with queue.locked():
        decision = queue.standing().get(candidate_id)
        if decision is None:
            msg = f"{candidate_id}: no decision to undo"
            raise ReviewError(msg)
        if decision["decision"] == "accepted":
            _remove_entry(Path(decision["file"]), decision["entry"], lexicon_paths)
        record = _log(queue, candidate_id, decision["phrase"], "undone", who, undoes=decision["when"])
        evidence = decision.get("evidence") or {"id": candidate_id, "phrase": decision["phrase"], "score": 0.0}
        queue._write_pending([*queue.pending(), evidence])
        return record


def suggest_target(lexicon_paths: list[Path], category: str) -> Path:
    """The file of the set's first folder holding most entries of ``category``, else ``<category>.yaml`` there."""
    folder = lexicon_paths[0] if lexicon_paths[0].is_dir() else lexicon_paths[0].parent
    counts: dict[str, int] = {}
    for entry in Lexicon.load(lexicon_paths):
        if entry.category == category and Path(entry.path).is_relative_to(folder):
            counts[entry.path] = counts.get(entry.path, 0) + 1
    return Path(max(counts, key=lambda p: counts[p])) if counts else folder / f"{category}.yaml"


def _append_entry(target: Path, record: dict[str, Any], lexicon_paths: list[Path]) -> Lexicon:
    """Append ``record`` to ``target`` keeping its comments, check the whole set, then replace the file."""
    yaml = _round_trip(target)
    data: Any = (
        yaml.load(target.read_text(encoding="utf-8")) if target.exists() else {"name": target.stem, "entries": []}
    )
    data["entries"].append(record)
    return _replace_checked(target, _dumped(yaml, data), lexicon_paths)


def _remove_entry(target: Path, entry_id: str, lexicon_paths: list[Path]) -> None:
    yaml = _round_trip(target)
    data = yaml.load(target.read_text(encoding="utf-8"))
    data["entries"] = type(data["entries"])(e for e in data["entries"] if e.get("id") != entry_id)
    _replace_checked(target, _dumped(yaml, data), lexicon_paths)


def _dumped(yaml: Any, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _replace_checked(target: Path, text: str, lexicon_paths: list[Path]) -> Lexicon:
    """Replace ``target`` with ``text`` only if the lexicon set stays valid with it; the set as validated."""
    checked: list[Lexicon] = []

    def check(temporary: Path) -> None:
        files = [temporary if f.resolve() == target.resolve() else f for f in lexicon_files(lexicon_paths)]
        lexicon, problems = validate_files(files if temporary in files else [*files, temporary])
        checked.append(lexicon)
        if problems:
            raise LexiconError(
                [Problem(str(target), p.line, p.message) if p.path == str(temporary) else p for p in problems]
            )

    _remove_stale_temporaries(target.parent)
    atomic_write(target, text, check)
    return checked[0]


def _round_trip(target: Path) -> Any:
    """ruamel.yaml set to write the file back as it was laid out: sequences indented or not."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    indented = any(line.startswith("  - ") for line in text.splitlines())
    yaml.indent(mapping=2, sequence=4, offset=2) if indented else yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporaries a killed writer left behind (we hold the lock: nobody else is writing)."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
