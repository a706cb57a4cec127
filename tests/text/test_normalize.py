from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from phrasefinder.text.normalize import Normalized, align_conversion, normalize, traditional_characters
from tests.strategies import texts

from ..conftest import ROOT

CASES = [
    # (source, normalized, explanation)
    ("增強“四個意識”", "增强四个意识", "traditional to simplified, quotes dropped"),
    ("他們看著著力點", "他们看着着力点", "tw2s, not t2s: 著 becomes 着 in both words"),
    ("显著著作", "显著著作", "simplified text is left alone: 著 is also a simplified character"),
    ("會(huì)議", "会议", "a pinyin gloss after a character is removed"),
    ("爭(zhēng)創(chuàng)", "争创", "consecutive glosses"),
    ("文明委(擴(kuò)大)會議", "文明委(扩大)会议", "real parentheses stay, the gloss inside them goes"),
    ("企业(集团)", "企业(集团)", "parentheses holding Chinese stay"),
    ("版本(v2)", "版本(v2)", "no tone mark, not a gloss"),
    ("人民城市人民建,人民城市为人民", "人民城市人民建、人民城市为人民", "ASCII comma folds to 、"),
    ("人民城市人民建，人民城市为人民", "人民城市人民建、人民城市为人民", "full-width comma folds to 、"),
    ("美丽南宁·整洁畅通", "美丽南宁、整洁畅通", "middle dot folds to 、"),
    ("两会\n一节", "两会一节", "line breaks inside a phrase are dropped"),
    ("两\u3000会\xa0一 节", "两会一节", "ideographic space, NBSP and space dropped"),
    ("「两会一节」『放管服』", "两会一节放管服", "corner quotes dropped"),
    ("ＡＢＣ１２３（扩大）", "ABC123(扩大)", "full-width ASCII to half-width"),
    ("", "", "empty text"),
]


@pytest.mark.parametrize(("source", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_golden_cases(source: str, expected: str, why: str) -> None:
    assert normalize(source).text == expected, why


def test_offsets_point_into_the_source() -> None:
    source = "深化“放管服”改革，爭(zhēng)創(chuàng)全域全國文明城市"
    normalized = normalize(source)
    start = normalized.text.index("争创全域")
    s, e = normalized.span(start, start + 4)
    assert source[s:e] == "爭(zhēng)創(chuàng)全域"
    s, e = normalized.span(normalized.text.index("放管服"), normalized.text.index("放管服") + 3)
    assert source[s:e] == "放管服"


@given(texts)
@example("會(huì)議 “四個\n意識”")
@example("  \n")
def test_every_slice_maps_back_to_source_that_normalizes_to_it(source: str) -> None:
    normalized = normalize(source)
    n = len(normalized.text)
    for i in range(n):
        for j in range(i + 1, min(n, i + 6) + 1):
            s, e = normalized.span(i, j)
            assert 0 <= s < e <= len(source)
            assert normalize(source[s:e]).text == normalized.text[i:j] or _context_sensitive(source[s:e])


@given(texts)
def test_offsets_are_strictly_increasing(source: str) -> None:
    normalized = normalize(source)
    offsets = [normalized.to_source(i) for i in range(len(normalized.text))]
    assert offsets == sorted(set(offsets))


@given(texts)
def test_normalization_is_idempotent(source: str) -> None:
    once = normalize(source).text
    assert normalize(once).text == once


def _context_sensitive(text: str) -> bool:
    """A slice may read differently alone: OpenCC converts 著 and 乾 by the words around
    them, and 後 (also in GB2312) converts only in a text that is traditional elsewhere."""
    return any(c in text for c in "著乾後")


@given(st.text(alphabet="會議国a著", max_size=30))
def test_alignment_when_conversion_changes_length(text: str) -> None:
    # Conversion that changes length (OpenCC's phrase tables can) takes the
    # per-character path; here 著 expands to two characters to force it.
    converted, origin = align_conversion(text, lambda c: "着着" if c == "著" else c)
    assert len(origin) == len(converted)
    normalized = Normalized(converted, text, _converted=origin)
    for i, char in enumerate(converted):
        source_char = text[normalized.to_source(i)]
        assert source_char == char or (source_char == "著" and char == "着")


def test_traditional_table_is_current() -> None:
    shipped = (ROOT / "phrasefinder" / "text" / "traditional.txt").read_text(encoding="utf-8").strip()
    assert shipped == traditional_characters(), "run `make traditional-table`"


@given(
    st.text(
        alphabet=st.sampled_from(list("四个意识 \t\n\r\u3000\u00a0\u2028\x1c“”「」'\"\u200b\ufeffab，")), max_size=40
    )
)
def test_the_fast_deletion_and_its_offset_map_agree_with_the_deletion_pattern(text: str) -> None:
    """Texts without glosses are stripped with str.split and mapped by finding the kept runs: both must
    do exactly what the pattern of deletions (whitespace, quotes, invisibles) describes."""
    import re

    from phrasefinder.text.normalize import _GAP, _deleted_segments, _gap_segments, _without_noise

    gaps = re.compile(rf"({_GAP}+)")
    stripped, kept = _without_noise(text)
    assert stripped == gaps.sub("", text)
    assert kept is not None  # no toned syllable: the split path, which keeps its runs for the map
    by_pattern = Normalized(stripped, text)
    by_pattern._starts, by_pattern._origins = _deleted_segments(text, gaps)
    by_runs = Normalized(stripped, text, kept)
    every = list(range(len(by_runs.text)))
    assert by_runs.to_sources(every) == by_pattern.to_sources(every)
    assert [text[i] for i in by_runs.to_sources(every)] == list(by_runs.text)
    if by_runs.text == text:  # nothing deleted: the identity map, taken without a search
        assert _gap_segments(*kept)[1] == [0]
