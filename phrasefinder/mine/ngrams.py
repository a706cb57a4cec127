"""Character n-gram statistics: counts level by level (Apriori), cohesion and branching entropy.

An n-gram is counted only where its prefix and suffix were frequent one level
down, so memory holds frequent strings, not every string; cohesion (the weakest
pointwise mutual information over its split points) and the entropy of its
neighbours are what a fixed phrase has and a fragment of one lacks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from ..text.normalize import HAN

MIN_N = 3
MAX_N = 12
# Cut points for n-grams: every punctuation mark, digit run or Latin run ends a stretch of text.
STRETCH = re.compile(rf"[{HAN}]+")


def count_ngrams(stretches: list[str], min_freq: int) -> dict[int, Counter[str]]:
    """Counts of every n-gram up to MAX_N whose prefix and suffix are frequent (Apriori)."""
    alive = stretches

    def level(n: int, frequent: set[str]) -> Counter[str]:
        nonlocal alive
        counted, alive = count_level(alive, n, frequent)
        return counted

    return apriori(character_counts(stretches), level, min_freq)


def apriori(
    characters: Counter[str], level: Callable[[int, set[str]], Counter[str]], min_freq: int
) -> dict[int, Counter[str]]:
    """The counts level by level: ``level(n, frequent)`` counts the n-grams whose prefix and suffix were
    frequent, here over one list of stretches, on a cluster summed over its partitions; each level is
    pruned to ``min_freq`` before the next."""
    counts: dict[int, Counter[str]] = {1: characters}
    frequent = {g for g, c in characters.items() if c >= min_freq}
    for n in range(2, MAX_N + 1):
        counts[n] = Counter({g: c for g, c in level(n, frequent).items() if c >= min_freq})
        frequent = set(counts[n])
        if not frequent:
            break
    return counts


def character_counts(stretches: list[str]) -> Counter[str]:
    """Level 1: every character of the stretches, counted."""
    counts: Counter[str] = Counter()
    for stretch in stretches:
        counts.update(stretch)
    return counts


def count_level(stretches: list[str], n: int, frequent: set[str]) -> tuple[Counter[str], list[str]]:
    """The n-grams of the stretches whose prefix and suffix are ``frequent`` (unpruned), and the stretches
    that had one: a stretch with no candidate n-gram has no longer one either."""
    level: Counter[str] = Counter()
    still = []
    for stretch in stretches:
        grams = [
            g for i in range(len(stretch) - n + 1) if (g := stretch[i : i + n])[:-1] in frequent and g[1:] in frequent
        ]
        if grams:
            level.update(grams)
            still.append(stretch)
    return level, still


def cohesion(phrase: str, counts: dict[int, Counter[str]], total: int) -> float:
    """The weakest PMI over the phrase's split points (log2); 0 where a part was not counted."""
    whole = counts.get(len(phrase), Counter()).get(phrase, 0)
    if not whole or len(phrase) < 2 or not total:
        return 0.0
    scores = []
    for k in range(1, len(phrase)):
        left = counts.get(k, Counter()).get(phrase[:k], 0)
        right = counts.get(len(phrase) - k, Counter()).get(phrase[k:], 0)
        if not left or not right:
            return 0.0
        scores.append(math.log2(whole * total / (left * right)))
    return min(scores)


def entropy(neighbours: Counter[str]) -> float:
    total = sum(neighbours.values())
    return -sum(c / total * math.log2(c / total) for c in neighbours.values()) if total else 0.0
