"""Character n-gram statistics: counts level by level (Apriori), cohesion and branching entropy.

An n-gram is counted only where its prefix and suffix were frequent one level
down, so memory holds frequent strings, not every string; cohesion (the weakest
pointwise mutual information over its split points) and the entropy of its
neighbours are what a fixed phrase has and a fragment of one lacks.

The counting is done on arrays (NumPy), not on strings: the text is a row of
code points, and an n-gram at a position is the number of its frequent prefix
(one level down) times ``BASE`` plus its last code point, so a level is one
``np.unique`` over the positions still alive, and only the frequent n-grams
ever become strings. The same arrays are what a cluster's partitions send
back (:class:`Tally`): a level's counts of every partition, added up on the
client, in the first-seen order one process gives.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..text.normalize import HAN

MIN_N = 3
MAX_N = 12
# Cut points for n-grams: every punctuation mark, digit run or Latin run ends a stretch of text.
STRETCH = re.compile(rf"[{HAN}]+")
BASE = 1 << 21
"""Above every code point: an n-gram's key is its prefix's number times ``BASE`` plus its last code point."""

Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Tally:
    """One level's n-grams in one run of text: distinct keys (sorted), their counts, and where each was
    first seen (a position in that text, of ``size`` code points)."""

    keys: Array
    counts: Array
    firsts: Array
    size: int


@dataclass(frozen=True)
class Table:
    """A level's frequent n-grams, as the next level numbers their prefixes: sorted keys and their numbers
    (the rank of each n-gram in first-seen order)."""

    keys: Array
    numbers: Array


@dataclass(frozen=True)
class Grams:
    """A run of text and the n-grams of the level being counted in it: the positions still alive (an
    n-gram whose prefix and suffix were frequent starts there) and each one's key."""

    codes: npt.NDArray[np.int32]
    n: int
    positions: Array
    keys: Array


def text_of(stretches: Sequence[str]) -> Grams:
    """The stretches as one row of code points (0 between them), at level 1: every character alive."""
    codes = np.frombuffer("\0".join(stretches).encode("utf-32-le"), dtype=np.int32)
    positions = np.flatnonzero(codes).astype(np.int64)
    return Grams(codes, 1, positions, codes[positions].astype(np.int64))


def tally(grams: Grams) -> Tally:
    """The level's counts in this run of text."""
    keys, firsts, counts = np.unique(grams.keys, return_index=True, return_counts=True)
    return Tally(keys, counts.astype(np.int64), grams.positions[firsts], len(grams.codes))


def advance(grams: Grams, table: Table) -> Grams:
    """The next level: n+1-grams wherever the n-gram at a position and the one after it are in ``table``."""
    found = np.searchsorted(table.keys, grams.keys)
    found[found == len(table.keys)] = 0
    frequent = table.keys[found] == grams.keys if len(table.keys) else np.zeros(len(grams.keys), bool)
    numbers = np.full(len(grams.codes) + 1, -1, dtype=np.int64)
    alive = grams.positions[frequent]
    numbers[alive] = table.numbers[found[frequent]]
    alive = alive[numbers[alive + 1] >= 0]
    keys = numbers[alive] * BASE + grams.codes[alive + grams.n]
    return Grams(grams.codes, grams.n + 1, alive, keys)


def count_ngrams(stretches: Sequence[str], min_freq: int) -> dict[int, Counter[str]]:
    """Counts of every n-gram up to MAX_N whose prefix and suffix are frequent (Apriori): level 1 whole,
    the others pruned to ``min_freq``, each in the order its n-grams are first seen."""
    grams = text_of(stretches)

    def level(table: Table | None) -> list[Tally]:
        nonlocal grams
        if table is not None:
            grams = advance(grams, table)
        return [tally(grams)]

    return apriori(level, min_freq)


def apriori(level: Callable[[Table | None], list[Tally]], min_freq: int) -> dict[int, Counter[str]]:
    """The counts level by level: ``level(table)`` moves every run of text on by the last level's frequent
    n-grams (``None`` for the first level) and tallies the next, here in one run, on a cluster in each
    partition; the tallies are added up in input order and pruned to ``min_freq`` before the next level."""
    counts: dict[int, Counter[str]] = {}
    names: list[str] = []  # the last level's frequent n-grams, by number
    table: Table | None = None
    for n in range(1, MAX_N + 1):
        keys, totals, firsts = _added(level(table))
        seen = np.argsort(firsts, kind="stable")
        if n == 1:
            counts[1] = Counter(dict(zip(map(chr, keys[seen].tolist()), totals[seen].tolist(), strict=True)))
        frequent = seen[totals[seen] >= min_freq]  # in first-seen order
        names = [chr(k) if n == 1 else names[k // BASE] + chr(k % BASE) for k in keys[frequent].tolist()]
        if n > 1:
            counts[n] = Counter(dict(zip(names, totals[frequent].tolist(), strict=True)))
            if not names:
                break
        numbers = np.empty(len(keys), dtype=np.int64)
        numbers[frequent] = np.arange(len(frequent))
        chosen = np.sort(frequent)
        table = Table(keys[chosen], numbers[chosen])
    return counts


def _added(tallies: Sequence[Tally]) -> tuple[Array, Array, Array]:
    """Tallies of consecutive runs of text added up: distinct keys (sorted), total counts, and the first
    position in the runs taken end to end."""
    if len(tallies) == 1:
        return tallies[0].keys, tallies[0].counts, tallies[0].firsts
    offsets = np.cumsum([0, *(t.size for t in tallies[:-1])])
    keys = np.concatenate([t.keys for t in tallies]) if tallies else np.empty(0, np.int64)
    if not len(keys):
        return keys, keys, keys
    counts = np.concatenate([t.counts for t in tallies])
    firsts = np.concatenate([t.firsts + offset for t, offset in zip(tallies, offsets, strict=True)])
    order = np.lexsort((firsts, keys))
    keys, counts, firsts = keys[order], counts[order], firsts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.add.reduceat(counts, starts), firsts[starts]


_NONE: Counter[str] = Counter()
"""The counts of a length not counted (read, never written): one, not a new one per lookup."""


def cohesion(phrase: str, counts: dict[int, Counter[str]], total: int) -> float:
    """The weakest PMI over the phrase's split points (log2); 0 where a part was not counted."""
    none: Counter[str] = _NONE
    whole = counts.get(len(phrase), none).get(phrase, 0)
    if not whole or len(phrase) < 2 or not total:
        return 0.0
    scores = []
    for k in range(1, len(phrase)):
        left = counts.get(k, none).get(phrase[:k], 0)
        right = counts.get(len(phrase) - k, none).get(phrase[k:], 0)
        if not left or not right:
            return 0.0
        scores.append(math.log2(whole * total / (left * right)))
    return min(scores)


def entropy(counts: Collection[int]) -> float:
    """The branching entropy (log2) of a phrase's neighbours, from how often each one occurred."""
    total = sum(counts)
    return -sum(c / total * math.log2(c / total) for c in counts) if total else 0.0
