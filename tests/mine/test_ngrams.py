"""N-gram counting on arrays: the Apriori counts a string implementation gives, in one run or in partitions."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder.mine.ngrams import MAX_N, Table, Tally, advance, apriori, count_ngrams, tally, text_of


def reference(stretches: list[str], min_freq: int) -> dict[int, Counter[str]]:
    """Apriori over strings, as the definition reads: level 1 whole; an n-gram counted where its prefix and
    suffix were frequent one level down, pruned to ``min_freq``; keys in the order first seen."""
    counts = {1: Counter(c for s in stretches for c in s)}
    frequent = {g for g, c in counts[1].items() if c >= min_freq}
    for n in range(2, MAX_N + 1):
        level = Counter(
            g
            for s in stretches
            for i in range(len(s) - n + 1)
            if (g := s[i : i + n])[:-1] in frequent and g[1:] in frequent
        )
        counts[n] = Counter({g: c for g, c in level.items() if c >= min_freq})
        frequent = set(counts[n])
        if not frequent:
            break
    return counts


stretches = st.lists(st.text(alphabet="人民城市为建设美好", min_size=1, max_size=30), max_size=30)


@settings(max_examples=200, deadline=None)
@given(stretches, st.integers(1, 4))
def test_counts_are_the_definitions_in_its_order(texts: list[str], min_freq: int) -> None:
    expected, counted = reference(texts, min_freq), count_ngrams(texts, min_freq)
    assert {n: list(c.items()) for n, c in counted.items()} == {n: list(c.items()) for n, c in expected.items()}


@settings(max_examples=200, deadline=None)
@given(stretches, st.integers(1, 4), st.lists(st.integers(0, 30), max_size=4))
def test_partitions_added_up_count_as_one_run(texts: list[str], min_freq: int, cuts: list[int]) -> None:
    """A cluster tallies each partition and adds the tallies up: the same counts, in the same order."""
    bounds = sorted({0, len(texts), *(min(c, len(texts)) for c in cuts)})
    parts = [text_of(texts[a:b]) for a, b in pairwise(bounds)]

    def level(table: Table | None) -> list[Tally]:
        if table is not None:
            parts[:] = [advance(p, table) for p in parts]
        return [tally(p) for p in parts]

    counted = apriori(level, min_freq)
    expected = count_ngrams(texts, min_freq)
    assert {n: list(c.items()) for n, c in counted.items()} == {n: list(c.items()) for n, c in expected.items()}


def test_a_character_outside_the_basic_plane_is_one_character() -> None:
    assert count_ngrams(["𠀀𠀁𠀀𠀁"], 2)[2] == Counter({"𠀀𠀁": 2})
