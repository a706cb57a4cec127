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
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReviewError
from ..files import atomic_write, locked
from ..lexicon import WORKING_SET, Entry, Lexicon, default_path, installed_package
from ..lexicon.edit import add_variant, append_entry, has_entry, has_variant, remove_entry, remove_variant
from ..text.normalize import normalize_phrase
from .suggest import suggest

if TYPE_CHECKING:
    from ..mine.candidates import Candidate

REVIEW_DIR = "review"


class Queue:
    """Pending candidates and decisions of one lexicon folder."""

    def __init__(self, lexicon_dir: str | Path) -> None:
        self.folder = Path(lexicon_dir) / REVIEW_DIR
        self.pending_path = self.folder / "pending.jsonl"
        self.decisions_path = self.folder / "decisions.jsonl"
        self.intent_path = self.folder / "intent.json"

    @classmethod
    def of(cls, lexicon_paths: list[Path] | None) -> Queue:
        """The queue of a lexicon set: in its first folder (the bundled lexicons' when none is named)."""
        first = lexicon_paths[0] if lexicon_paths else default_path()
        return cls(first if first.is_dir() else first.parent)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the queue's lock: everything read inside is current, everything written is kept.

        Every write goes through here, so this is where a write into the installed package is refused.
        """
        self.check_writable()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"{self.folder}: cannot make the review folder ({exc.strerror})"
            raise ReviewError(msg) from None
        with locked(self.folder / ".lock", str(self.folder.parent)):
            for stale in self.folder.glob(".*.tmp"):  # what a killed writer left (we hold the lock)
                stale.unlink(missing_ok=True)
            _recover(self)
            yield

    def check_writable(self) -> None:
        """Refuse a queue inside the installed package (an upgrade would lose it), before any work is done."""
        if self.folder.resolve().is_relative_to(installed_package()):
            msg = (
                f"{self.folder.parent}: the lexicons installed with phrasefinder are not a place to write (an upgrade "
                "would lose it); make a working set with 'phrasefinder lexicon init DIR' and use -l DIR or "
                f"{WORKING_SET}=DIR"
            )
            raise ReviewError(msg)

    def recover(self) -> None:
        """Finish (or drop) a decision a killed command left half made, so what is read next agrees."""
        if self.intent_path.exists():
            with self.locked():
                pass

    def pending(self) -> list[dict[str, Any]]:
        """Candidates waiting for a decision, best first."""
        return _read_jsonl(self.pending_path)

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision ever taken, oldest first."""
        return _read_jsonl(self.decisions_path)

    def decided_phrases(self) -> set[str]:
        """Phrases accepted or rejected (and not undone): the miner never proposes them again."""
        return {d["phrase"] for d in self.standing().values()}

    def rejected_phrases(self) -> set[str]:
        """Phrases rejected (and not undone): negatives the next ``mine`` learns from."""
        return {d["phrase"] for d in self.standing().values() if d["decision"] == "rejected"}

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


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a queue file; a line that is not one is a :class:`ReviewError` naming it."""
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{path}:{number}: not a JSON record ({exc.msg} at column {exc.colno}); mend or remove the line"
            raise ReviewError(msg) from None
        if not isinstance(record, dict):
            msg = f"{path}:{number}: not a JSON object; mend or remove the line"
            raise ReviewError(msg)
        records.append(record)
    return records


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def accept(
    queue: Queue,
    lexicon_paths: list[Path],
    candidate_id: str,
    *,
    category: str | None = None,
    entry_id: str | None = None,
    phrase: str | None = None,
    level: str | None = None,
    region: str | None = None,
    into: Path | None = None,
    who: str | None = None,
    **fields: Any,
) -> tuple[Entry, Path]:
    """Add a pending candidate to a lexicon file, log the decision, and take it off the queue.

    ``category``, ``entry_id``, ``level``, ``region`` and ``into`` not given
    are :func:`~phrasefinder.review.suggest.suggest`'s, from the candidate's
    evidence and the set (a ``level`` given takes ``region`` as given: none
    when it is not). ``fields`` are the entry's other fields (first_seen,
    source, note, variants, members, exclude); empty ones are left out. Without
    a ``source`` the entry names the document it was mined from, and without a
    ``note`` the candidate and its signals, so every entry stays traceable.

    The file is rewritten with its comments and order kept, validated together
    with the rest of the set before it replaces the old one, and replaced
    atomically. Raises :class:`ReviewError` or :class:`LexiconError`.
    """
    with queue.locked():
        candidate = _pending(queue, candidate_id)
        default = suggest(candidate, lexicon_paths, phrase=phrase, category=category, level=level, region=region)
        record: dict[str, Any] = {
            "id": entry_id or default.entry_id,
            "phrase": phrase or candidate["phrase"],
            "category": default.category,
            **{k: v for k, v in ({"level": default.level, "region": default.region} | fields).items() if v},
        }
        examples = candidate.get("examples") or []
        if examples:
            record.setdefault("source", f"mined from {examples[0]['doc_id']}")
        record.setdefault(
            "note",
            f"accepted from candidate {candidate['id']} ({', '.join(candidate.get('signals', [])) or 'statistics'})",
        )
        target = into or default.into
        checked: list[Lexicon] = []
        change = _Change.of(candidate, "accepted", who, entry=record["id"], file=str(target))
        _commit(queue, change, lambda: checked.append(append_entry(target, record, lexicon_paths)))
        entry = replace(checked[0][record["id"]], path=str(target))  # validated under the temporary's name
    return entry, target


def accept_variant(
    queue: Queue,
    lexicon_paths: list[Path],
    candidate_id: str,
    *,
    entry_id: str | None = None,
    phrase: str | None = None,
    who: str | None = None,
) -> tuple[Entry, Path]:
    """Add a pending candidate to the variants of a known entry, log the decision, and take it off the queue.

    A longer or shorter form of a known formula is that formula written another way, not a new one: the
    entry is ``entry_id``, by default the one ``mine`` found it a form of (its ``variant_of``), and the form
    is the candidate's phrase or ``phrase`` (edited). The decision is an accept like any other (the miner
    never proposes the phrase again, and the form is a positive of the next ``mine``'s model), logged with
    ``variant_of`` and ``form`` instead of a new entry. The file is written as :func:`accept` writes it.
    Raises :class:`ReviewError` (no entry named, an unknown one, a form the set has already) or
    :class:`LexiconError`.
    """
    with queue.locked():
        candidate = _pending(queue, candidate_id)
        joined = entry_id or candidate.get("variant_of")
        if not joined:
            msg = f"{candidate_id}: not found to be a form of any entry; name the entry it is a variant of"
            raise ReviewError(msg)
        form = phrase or candidate["phrase"]
        lexicon = Lexicon.load(lexicon_paths)
        entry = _known_entry(lexicon, joined, candidate_id, lexicon_paths)
        _refuse_known_form(lexicon, form, candidate_id)
        target = Path(entry.path)
        checked: list[Lexicon] = []
        change = _Change.of(candidate, "accepted", who, variant_of=entry.id, form=form, file=str(target))
        _commit(queue, change, lambda: checked.append(add_variant(target, entry.id, form, lexicon_paths)))
    return replace(checked[0][entry.id], path=str(target)), target


def _known_entry(lexicon: Lexicon, entry_id: str, candidate_id: str, lexicon_paths: list[Path]) -> Entry:
    try:
        return lexicon[entry_id]
    except KeyError:
        msg = f"{candidate_id}: no entry '{entry_id}' in {', '.join(map(str, lexicon_paths))}"
        raise ReviewError(msg) from None


def _refuse_known_form(lexicon: Lexicon, form: str, candidate_id: str) -> None:
    """A form the set has already, as any entry's phrase, variant or member (after normalization), is refused."""
    wanted = normalize_phrase(form)
    for entry in lexicon:
        for surface, _ in entry.surfaces():
            if normalize_phrase(surface) == wanted:
                msg = f"{candidate_id}: '{form}' is already a form of '{entry.id}' ({entry.path}:{entry.line})"
                raise ReviewError(msg)


def reject(queue: Queue, candidate_id: str, *, reason: str | None = None, who: str | None = None) -> dict[str, Any]:
    """Log a rejection and take the candidate off the queue: the miner never proposes it again."""
    with queue.locked():
        change = _Change.of(_pending(queue, candidate_id), "rejected", who, reason=reason)
        _commit(queue, change)
        return change.log


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


@dataclass(frozen=True)
class _Change:
    """One decision's writes — the lexicon file, the log, the queue — recorded before any is made.

    Written to ``review/intent.json`` first and removed last, so the next command (under the lock)
    finds a decision that was cut short and finishes it, or, when its lexicon write never happened,
    drops it: the three files always agree.
    """

    log: dict[str, Any]
    """The decision record the log gets (with a ``txn`` id the recovery looks for)."""
    lexicon: tuple[str, ...] | None = None
    """``("append" | "remove", file, entry id, the file's SHA-256 before)``, or ``("add-variant" |
    "remove-variant", file, entry id, digest, form)``: the lexicon write, if any. The digest tells a write
    that happened from an entry (or form) that was there before (an accept refused for its id)."""
    evidence: dict[str, Any] | None = None
    """The candidate to put back on the queue (an undo); otherwise it is taken off."""

    @classmethod
    def of(cls, candidate: dict[str, Any], decision: str, who: str | None, **details: Any) -> _Change:
        log = _record(candidate["id"], candidate["phrase"], decision, who, evidence=candidate, **details)
        if decision != "accepted":
            return cls(log)
        if "variant_of" in details:
            return cls(log, _step("add-variant", details["file"], details["variant_of"], details["form"]))
        return cls(log, _step("append", details["file"], details["entry"]))


def _commit(queue: Queue, change: _Change, lexicon_write: Callable[[], object] | None = None) -> None:
    """Make ``change``'s writes in order, behind an intent record (call with the lock held)."""
    atomic_write(queue.intent_path, json.dumps(change.__dict__, ensure_ascii=False))
    try:
        if lexicon_write and change.lexicon:
            with _file_lock(Path(change.lexicon[1])):
                lexicon_write()
    except BaseException:
        _recover(queue)  # refused (nothing written: dropped), or interrupted after the write (finished)
        raise
    _finish(queue, change)


def _step(action: str, file: str, entry: str, form: str | None = None) -> tuple[str, ...]:
    """A lexicon write as the intent records it: the file resolved (a command run elsewhere finds it), what
    the file holds now, and the form a variant write adds or removes."""
    real = Path(file).resolve()
    return action, str(real), entry, _digest(real), *([form] if form is not None else [])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _file_lock(path: Path) -> AbstractContextManager[None]:
    """The lock of one lexicon file, by its real path: sets whose queues differ may still share a file."""
    real = path.resolve()
    return locked(real.parent / f".{real.name}.lock", str(path))


def _finish(queue: Queue, change: _Change) -> None:
    """The log and the queue writes of ``change``, each done only if not done already, then the intent dropped."""
    if not any(d.get("txn") == change.log["txn"] for d in queue.decisions()):
        _append(queue, change.log)
    candidate = change.log["candidate"]
    pending = [c for c in queue.pending() if c["id"] != candidate]
    queue._write_pending([*pending, change.evidence] if change.evidence else pending)
    queue.intent_path.unlink(missing_ok=True)


def _recover(queue: Queue) -> None:
    """Finish a decision a killed command left half made, or drop it if its lexicon write never happened."""
    if not queue.intent_path.exists():
        return
    try:
        change = _Change(**json.loads(queue.intent_path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        msg = f"{queue.intent_path}: not a decision record; remove it once the lexicon and the queue are checked"
        raise ReviewError(msg) from None
    logged = any(d.get("txn") == change.log["txn"] for d in queue.decisions())
    if change.lexicon and not logged:
        action, file, entry, before, *form = change.lexicon
        if action == "append" and not Path(file).parent.is_dir():
            msg = f"{queue.intent_path}: names {file}, which is gone; check the lexicon and the queue, then remove it"
            raise ReviewError(msg)
        there = has_variant(Path(file), entry, form[0]) if form else has_entry(Path(file), entry)
        written = _digest(Path(file)) != before and there == (action in ("append", "add-variant"))
        if not written:  # the lexicon file is as it was: nothing was written, the decision never happened
            queue.intent_path.unlink()
            return
    _finish(queue, change)


def _record(candidate: str, phrase: str, decision: str, who: str | None, **details: Any) -> dict[str, Any]:
    return {
        "candidate": candidate,
        "phrase": phrase,
        "decision": decision,
        "who": who or os.environ.get("PHRASEFINDER_CURATOR") or getpass.getuser(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "txn": uuid.uuid4().hex[:12],
        **{k: v for k, v in details.items() if v is not None},
    }


def _append(queue: Queue, record: dict[str, Any]) -> None:
    """Append one decision to the log, on disk before this returns."""
    with queue.decisions_path.open("a", encoding="utf-8") as log:
        log.write(_line(record))
        log.flush()
        os.fsync(log.fileno())


def undo(queue: Queue, lexicon_paths: list[Path], candidate_id: str, *, who: str | None = None) -> dict[str, Any]:
    """Take back the decision in force for a candidate: its entry (or variant) leaves the lexicon, it is pending again.

    The log keeps both the decision and its undoing: nothing decided is lost.
    """
    with queue.locked():
        decision = queue.standing().get(candidate_id)
        if decision is None:
            msg = f"{candidate_id}: no decision to undo"
            raise ReviewError(msg)
        evidence = decision.get("evidence") or {"id": candidate_id, "phrase": decision["phrase"], "score": 0.0}
        log = _record(candidate_id, decision["phrase"], "undone", who, undoes=decision["when"])
        if decision["decision"] == "accepted" and "variant_of" in decision:
            file, entry, form = decision["file"], decision["variant_of"], decision["form"]
            change = _Change(log, _step("remove-variant", file, entry, form), evidence)
            _commit(queue, change, lambda: remove_variant(Path(file), entry, form, lexicon_paths))
        elif decision["decision"] == "accepted":
            file, entry = decision["file"], decision["entry"]
            change = _Change(log, _step("remove", file, entry), evidence)
            _commit(queue, change, lambda: remove_entry(Path(file), entry, lexicon_paths))
        else:
            _commit(queue, _Change(log, None, evidence))
        return log
