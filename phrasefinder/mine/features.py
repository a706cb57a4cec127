"""Features of how a phrase is used: what the learned ranking reads for every candidate.

A formula is not only a frequent, cohesive string: it is *used* like one. It is
governed by the verbs that take formulas (增强/坚定/做到/弘扬/贯彻/落实/深入实施/坚持 …),
followed by the heads that frame them (…精神, …战略, …理念, …工作, …要求), put in
quotation marks, listed with other items, and it spreads over documents and months.
:class:`Usage` counts these contexts during the second pass, occurrence by
occurrence; its fields are Counters and sets, so the usages of two parts of a
corpus add up to the usage of the whole (:meth:`Usage.merge`).

:func:`vector` turns one phrase's evidence into the row of numbers :data:`NAMES`
names, the same row for a candidate, a known entry (a positive) and a random
frequent n-gram or a rejected phrase (a negative).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, repeat
from typing import NamedTuple

from ..text.normalize import SEPARATOR
from .shapes import CLAUSE_VERBS, LEAD_WORDS

_VERBS = sorted({*LEAD_WORDS, *CLAUSE_VERBS, "秉持", "秉承", "树牢", "牢记", "奋力"}, key=len, reverse=True)
GOVERNING = re.compile("(?:" + "|".join(_VERBS) + ")$")
"""A verb that takes a formula as its object, right before the phrase (坚定不移贯彻 | 新发展理念)."""
FRAMES = (
    "精神", "战略", "理念", "工作", "要求", "思想", "目标", "任务", "部署", "方针", "原则", "重要论述", "理论", "建设",
)  # fmt: skip
"""Heads right after a phrase that frame it as a formula (乡村振兴 | 战略)."""
OPENING = '“「『‘"'
CLOSING = '”」』’"'
GOVERNOR_SPAN = 6
"""Characters before a phrase searched for a governing verb."""

SHAPES = (
    "quoted", "parallel", "qualified", "clause", "title", "numbered", "head", "verb-led", "echo", "shorter-form",
    "longer-form",
)  # fmt: skip
"""The shape signals of :mod:`.shapes` and the relations of :mod:`.variants`, one binary feature each."""
_MARKS = (*SHAPES, "common-word", "split-word")
"""The binary features, last in a row."""
NAMES = (
    "log_freq", "log_docs", "spread", "log_periods", "cohesion", "entropy_left", "entropy_right",
    "quote_rate", "governed_rate", "framed_rate", "listed_rate", "length", "items", *_MARKS,
)  # fmt: skip
"""Every feature, in the order of a row."""


@dataclass
class Usage:
    """Per phrase, how many of its occurrences stood in each context, and the periods it was seen in."""

    quoted: Counter[str] = field(default_factory=Counter)
    governed: Counter[str] = field(default_factory=Counter)
    framed: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)
    periods: set[tuple[str, str]] = field(default_factory=set)
    """(phrase, period) for every period a phrase was seen in: a flat set adds up and merges in C."""

    def record(
        self, text: str, matches: list[tuple[int, int, str]], *, quoted: list[bool], governed: list[bool], period: str
    ) -> None:
        """One document's occurrences, ``(start, end, phrase)`` on its normalized ``text``; for each, whether
        it was ``quoted`` in the original and ``governed`` by a verb (:func:`governed_at`). A document at a
        time, so the counting runs in C (``Counter.update``), not in a Python statement per occurrence."""
        phrases = [phrase for _, _, phrase in matches]
        self.quoted.update(compress(phrases, quoted))
        self.governed.update(compress(phrases, governed))
        self.framed.update(phrase for _, end, phrase in matches if text.startswith(FRAMES, end))
        padded = f"\0{text}"  # padded[start] is the character before the phrase, or none
        self.listed.update(
            phrase for start, end, phrase in matches if padded[start] == SEPARATOR or text.startswith(SEPARATOR, end)
        )
        if period:
            self.periods.update(zip(phrases, repeat(period)))

    def merge(self, other: Usage) -> None:
        """Add another part of the corpus's usage to this one."""
        self.quoted.update(other.quoted)
        self.governed.update(other.governed)
        self.framed.update(other.framed)
        self.listed.update(other.listed)
        self.periods |= other.periods


def governed_at(text: str) -> Callable[[int], bool]:
    """Whether a governing verb ends right before offset ``start`` of ``text``; asked once per offset,
    since every phrase starting there shares the answer."""

    @cache
    def governed(start: int) -> bool:
        return GOVERNING.search(text, max(0, start - GOVERNOR_SPAN), start) is not None

    return governed


def period_of(date: object) -> str:
    """The month of a document's date (``2019-03``), or its year when that is all it gives."""
    text = str(date or "")
    return text[:7] if len(text) >= 7 and text[4] in "-/" else text[:4]


class Seen(NamedTuple):
    """What ranking reads of a phrase the second pass found: small enough for every proposal of a large
    corpus to reach a cluster's client."""

    freq: int
    docs: int
    """Printings it occurs in (an article printed twice, under two ids, is one)."""
    alone: int
    """Occurrences outside every known form holding it (for a phrase inside known forms)."""
    entropy_left: float
    entropy_right: float
    quoted: int
    governed: int
    framed: int
    listed: int
    periods: int


@dataclass(frozen=True)
class Evidence:
    """Everything :func:`vector` needs about one phrase."""

    phrase: str
    signals: frozenset[str]
    cohesion: float
    seen: Seen


def vector(evidence: Evidence) -> list[float]:
    """The phrase's row of features, in the order of :data:`NAMES` (a list, not a dict by name: it is built
    for every candidate)."""
    phrase, seen, signals = evidence.phrase, evidence.seen, evidence.signals
    freq = max(seen.freq, 1)
    return [
        math.log2(1 + seen.freq),
        math.log2(1 + seen.docs),
        seen.docs / freq,
        math.log2(1 + seen.periods),
        min(max(evidence.cohesion, -4.0), 12.0),
        seen.entropy_left,
        seen.entropy_right,
        seen.quoted / freq,
        seen.governed / freq,
        seen.framed / freq,
        seen.listed / freq,
        math.log2(len(phrase.replace(SEPARATOR, ""))),
        math.log2(phrase.count(SEPARATOR) + 1),
        *[float(name in signals) for name in _MARKS],
    ]
