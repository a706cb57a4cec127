"""The lexicon's model: entries, the sense rules some of them carry, and the set they form.

An :class:`Entry` is one formula with every way it is written; a
:class:`Lexicon` is a validated set of them, merged from files (see
:mod:`phrasefinder.lexicon.load` for reading and checking them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..errors import LexiconError, Problem

LEVELS = ("national", "provincial", "municipal", "county", "other")
WITHIN = 10
"""Characters either side of a hit that ``require`` looks at unless it says ``within``."""


@dataclass(frozen=True)
class Require:
    """Context that tells a formula from the ordinary word it shares its characters with.

    A hit passes when one of ``before`` stands wholly in the ``within``
    characters before it (or overlapping it), one of ``after`` wholly in the
    ``within`` characters after it (or overlapping it), or one of ``near`` in
    either, in the same sentence; no string may be longer than ``within``. 正能量 is a formula as 传播正能量,
    not as a slogan on a shop front. The match itself is part of the context, so
    a longer form that carries the context in it (统筹推进五位一体总体布局, for a
    rule on 五位一体 that asks for 总体布局) always passes: the rule is for the
    bare, ambiguous string. The strings are normalized like every other form.

    >>> rule = Require(before=("传播",), within=4)
    >>> rule.passes("积极传播正能量。", 4, 7), rule.passes("充满正能量。", 2, 5)
    (True, False)
    """

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    within: int = WITHIN

    def passes(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` (normalized text) has the required context."""
        left = _SENTENCE_END.split(text[max(0, start - self.within) : end])[-1]
        right = _SENTENCE_END.split(text[start : end + self.within])[0]
        return (
            any(s in left for s in self.before + self.near)
            or any(s in right for s in self.after + self.near)
        )  # fmt: skip


_SENTENCE_END = re.compile(r"[。！？!?]")


@dataclass(frozen=True)
class Entry:
    """One formula: its canonical phrase, the other ways it is written, and metadata."""

    id: str
    phrase: str
    category: str
    level: str | None = None
    variants: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    region: str | None = None
    first_seen: str | None = None
    source: str | None = None
    note: str | None = None
    require: Require | None = None
    ambiguous: bool = False
    """Also an everyday word, and no rule tells the senses apart yet: counted apart from the rest."""
    allow_short: bool = False
    """Forms without two Han characters or two Latin letters or digits are meant (they are refused otherwise)."""
    lexicon: str = ""
    path: str = ""
    line: int = 0

    def surfaces(self) -> Iterator[tuple[str, str | None]]:
        """Each surface form with the member it stands for (``None`` for the formula)."""
        yield self.phrase, None
        for variant in self.variants:
            yield variant, None
        for member in self.members:
            yield member, member


@dataclass(frozen=True)
class LexiconFile:
    """What a lexicon file says about itself."""

    name: str
    path: str
    description: str | None
    entries: int


@dataclass(frozen=True)
class Lexicon:
    """A validated set of entries, merged from one or more files.

    >>> lex = Lexicon.load()  # the bundled lexicons
    >>> lex["four-confidences"].members
    ('道路自信', '理论自信', '制度自信')
    """

    entries: tuple[Entry, ...]
    files: tuple[LexiconFile, ...] = ()
    cache_key: str | None = field(default=None, compare=False)
    """What the files it was loaded from hash to: the key of its compiled matcher in the cache."""

    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path] | None = None) -> Lexicon:
        """Load and validate; raise :class:`LexiconError` listing every problem."""
        from .load import validate

        lexicon, problems = validate(paths)
        if problems:
            raise LexiconError(problems)
        return lexicon

    @classmethod
    def from_records(cls, records: list[dict[str, Any]], name: str = "inline") -> Lexicon:
        """A lexicon from entry dicts, validated exactly as a YAML file would be.

        >>> Lexicon.from_records([{"id": "fgf", "phrase": "放管服", "category": "reform"}])["fgf"].phrase
        '放管服'
        """
        from .load import parse_records

        where = f"<{name}>"
        try:
            text = yaml.safe_dump({"name": name, "entries": records}, allow_unicode=True, sort_keys=False)
        except yaml.YAMLError as exc:
            raise LexiconError([Problem(where, None, f"cannot be written as YAML: {exc}")]) from None
        lexicon, problems = parse_records(text, where)
        if problems:  # lines of YAML the caller never saw would mislead: the messages name the entries
            raise LexiconError([Problem(p.path, None, p.message) for p in problems])
        return lexicon

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in reversed(self.entries)}  # the first of duplicates wins
