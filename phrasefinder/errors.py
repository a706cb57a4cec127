"""Exceptions raised by phrasefinder.

The library never prints and never exits; it raises one of these and the CLI
turns it into a one-line message and an exit code::

    PhraseFinderError
    ├── LexiconError      invalid lexicon files; carries every Problem found (exit 1)
    ├── InputError        a path, option or input file the run cannot use (exit 2)
    │   └── DecodeError   bytes that are binary or in no encoding we can tell
    ├── ReviewError       a decision that cannot be taken, or a corrupt queue file (exit 2)
    └── ScanError         a worker process died mid-run: the run stops, naming what it was scanning (exit 2)

Anything else escaping the library is a bug: the CLI says so in one line and
exits 3 (``--debug`` shows the traceback).

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


class DecodeError(InputError):
    """The bytes are binary or in no encoding we can tell: a reader warns and skips that document."""


class ReviewError(PhraseFinderError, ValueError):
    """A decision that cannot be taken (unknown candidate, already decided), or a queue file that cannot be read."""


class ScanError(PhraseFinderError, RuntimeError):
    """A worker process died (killed, out of memory): the run stops with the inputs it was scanning named."""
