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

from ..text.normalize import HAN

MIN_N = 3
MAX_N = 12
# Cut points for n-grams: every punctuation mark, digit run or Latin run ends a stretch of text.
STRETCH = re.compile(rf"[{HAN}]+")


def count_ngrams(stretches: list[str], min_freq: int) -> dict[int, Counter[str]]:
    """Counts of every n-gram up to MAX_N whose prefix and suffix are frequent (Apriori)."""
    counts: dict[int, Counter[str]] = {1: Counter()}
    for stretch in stretches:
        counts[1].update(stretch)
    frequent = {g for g, c in counts[1].items() if c >= min_freq}
    alive = stretches
    for n in range(2, MAX_N + 1):
        level: Counter[str] = Counter()
        still = []
        for stretch in alive:
            grams = [
                g
                for i in range(len(stretch) - n + 1)
                if (g := stretch[i : i + n])[:-1] in frequent and g[1:] in frequent
            ]
            if grams:
                level.update(grams)
                still.append(stretch)
        counts[n] = Counter({g: c for g, c in level.items() if c >= min_freq})
        frequent = set(counts[n])
        alive = still  # a stretch with no candidate n-gram has no longer one either
        if not frequent:
            break
    return counts


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
