"""Every matching engine gives the same hits: on random noisy documents built from lexicon phrases, and on the seeds."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder import Lexicon, Scanner
from phrasefinder.ingest.documents import read_documents
from phrasefinder.scan.engines import ENGINES, build

from ..conftest import SEEDS
from ..strategies import noisy, pieces


@cache
def _scanners(overlap: str) -> list[Scanner]:
    bundled = Lexicon.load()
    return [Scanner(bundled, overlap=overlap, engine=engine) for engine in ENGINES]  # type: ignore[arg-type]


@cache
def _phrases() -> list[str]:
    return sorted({surface for entry in Lexicon.load() for surface, _ in entry.surfaces()})


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Lexicon phrases (some mangled by noise and glosses) among the strategies' pieces of text."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        phrase = draw(st.sampled_from(_phrases()))
        parts.append(draw(st.one_of(st.just(phrase), noisy(phrase))))
        parts.extend(draw(st.lists(pieces, max_size=4)))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(text=documents(), overlap=st.sampled_from(["all", "longest"]))
def test_every_engine_finds_the_same_hits(text: str, overlap: str) -> None:
    found = [[hit.as_dict() for hit in scanner.scan(text)] for scanner in _scanners(overlap)]
    assert all(hits == found[0] for hits in found)


def test_every_engine_finds_the_same_hits_on_the_seeds() -> None:
    for document in read_documents([SEEDS]):
        found = [[hit.as_dict() for hit in scanner.scan(document)] for scanner in _scanners("all")]
        assert found[0], document.id
        assert all(hits == found[0] for hits in found), document.id


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_reports_overlapping_matches_with_their_offsets(engine: str) -> None:
    matcher = build(engine, ["四个意识", "意识", "全国文明城市", "全域全国文明城市"])  # type: ignore[arg-type]
    assert sorted(matcher.matches("增强四个意识，争创全域全国文明城市")) == [
        (0, 2, 6),
        (1, 4, 6),
        (2, 11, 17),
        (3, 9, 17),
    ]
    assert list(build(engine, []).matches("四个意识")) == []  # type: ignore[arg-type]
