"""Exceptions raised by phrasefinder.

The library never prints and never exits; it raises one of these and the CLI
turns it into a one-line message and an exit code::

    PhraseFinderError
    ├── LexiconError      invalid lexicon files; carries every Problem found (exit 1)
    └── InputError        a path or option the run cannot use (exit 2)

Per-document trouble (a corrupt JSONL line, an undecodable file) is not an
exception: it is reported as a warning and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass


class PhraseFinderError(Exception):
    """Base class for every error phrasefinder raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a lexicon file, located to the line."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class LexiconError(PhraseFinderError, ValueError):
    """The lexicon set is invalid; ``problems`` lists every reason, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InputError(PhraseFinderError, ValueError):
    """An input path or option cannot be used (missing file, unknown format)."""
