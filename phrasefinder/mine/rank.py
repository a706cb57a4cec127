"""Ranking: every weight in one table, and jieba's say on where words end.

How candidates are ranked (``score``, higher first)::

    score = 8·quoted + 8·parallel + 8·qualified + 4·clause + 4·title + 3·numbered + 4·head + 4·echo
          + min(log2(1 + freq), 5) + min(log2(1 + docs), 4)
          + clip(cohesion, 0, 4) / 2 + min(left entropy, right entropy, 2)
          − 3 where a parallel run's items are six characters or longer (parallel
            sentences, 排比: 城市越来越繁荣、环境越来越宜居)
          − 3 where jieba puts a word boundary inside either end of the phrase (split-word)
          − 5 where jieba knows the phrase as an everyday word (common-word: 进一步, 自治区)
          − 3 where the phrase starts with a verb that governs it (verb-led: 争创…, 深化…)

Shapes weigh most: they are what makes a phrase formula-like, and all a small
corpus has; among phrases of the same shape, counts, cohesion and entropy decide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..text.normalize import SEPARATOR, normalize_phrase
from ..text.words import tokenizer

if TYPE_CHECKING:
    from .occurrences import Example

WEIGHTS = {
    "quoted": 8.0, "parallel": 8.0, "qualified": 8.0, "clause": 4.0, "title": 4.0, "numbered": 3.0, "head": 4.0,
    "echo": 4.0,
}  # fmt: skip
"""What each shape adds to the score."""
LONG_PARALLEL = 5.0
"""What ``parallel`` adds instead when the run's items are ``LONG_ITEM`` characters or longer."""
LONG_ITEM = 6
"""Items this long make a run of parallel sentences (排比), not a formula: it weighs less."""
CAPS = {"freq": 5.0, "docs": 4.0, "cohesion": 4.0, "entropy": 2.0}
"""The most each statistic adds: log2(1 + freq), log2(1 + docs), cohesion (halved), entropy."""
PENALTIES = {"split-word": 3.0, "common-word": 5.0, "verb-led": 3.0}
"""What each mark of a fragment, an everyday word or a governing verb takes off."""
COMMON_WORD = 1000
"""A phrase jieba's dictionary counts this often is everyday vocabulary, not a formula."""
JIEBA_DEPTH = 3
"""jieba is asked about the first ``top × JIEBA_DEPTH`` candidates only: its judgement only lowers scores."""


def score(phrase: str, labels: set[str], *, freq: int, docs: int, cohesion: float, entropy: float) -> float:
    """The candidate's score before jieba's penalties (the formula above)."""
    return sum(terms(phrase, labels, freq=freq, docs=docs, cohesion=cohesion, entropy=entropy).values())


def terms(phrase: str, labels: set[str], *, freq: int, docs: int, cohesion: float, entropy: float) -> dict[str, float]:
    """What each part of the formula above adds to the score (``mine --explain`` prints them)."""
    parts = {name: weight for name, weight in WEIGHTS.items() if name in labels}
    if "parallel" in labels:
        parts["parallel"] = parallel_weight(phrase)
    parts["freq"] = min(math.log2(1 + freq), CAPS["freq"])
    parts["docs"] = min(math.log2(1 + docs), CAPS["docs"])
    parts["cohesion"] = min(max(cohesion, 0.0), CAPS["cohesion"]) / 2
    parts["entropy"] = min(entropy, CAPS["entropy"])
    if "verb-led" in labels:
        parts["verb-led"] = -PENALTIES["verb-led"]
    return parts


def parallel_weight(phrase: str) -> float:
    return WEIGHTS["parallel"] if max(len(item) for item in phrase.split(SEPARATOR)) < LONG_ITEM else LONG_PARALLEL


def word_marks(phrase: str, examples: Sequence[Example]) -> set[str]:
    """``split-word`` where jieba cuts inside the phrase in most examples, ``common-word`` for an everyday word."""
    return dictionary_marks(phrase) | ({"split-word"} if not jieba_aligned(phrase, examples) else set())


def dictionary_marks(phrase: str) -> set[str]:
    """``common-word`` where jieba's dictionary counts the phrase as everyday vocabulary (a lookup, no cutting)."""
    return {"common-word"} if tokenizer().FREQ.get(phrase, 0) >= COMMON_WORD else set()


def jieba_aligned(phrase: str, examples: Sequence[Example]) -> bool:
    """Whether jieba's word boundaries fall at the phrase's ends in most examples.

    A candidate that starts or ends inside a word (…市委书记 cut to 市委书) is a fragment.
    """
    if not examples:
        return True
    aligned = 0
    for example in examples:
        sentence = normalize_phrase(example.left + example.matched + example.right)
        start = len(normalize_phrase(example.left))
        end = start + len(normalize_phrase(example.matched))
        cuts = {0}
        position = 0
        for word in tokenizer().cut(sentence):
            position += len(word)
            cuts.add(position)
        aligned += start in cuts and end in cuts
    return aligned * 2 >= len(examples)
