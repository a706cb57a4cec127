from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder import Document, Hit, InputError, Lexicon, Scanner
from phrasefinder.text.normalize import normalize
from tests.strategies import noisy

from ..conftest import seed


def entries(hits: list[Hit]) -> list[str]:
    return [h.entry_id for h in hits]


def test_offsets_point_into_the_original_traditional_pinyin_text(scanner: Scanner) -> None:
    text = seed("002").read_text(encoding="utf-8")
    hits = scanner.scan(Document("002", text))
    assert hits, "seed 002 mentions 全域全國文明城市"
    for hit in hits:
        assert text[hit.start : hit.end] == hit.matched
        assert normalize(hit.matched).text == normalize(hit.member or hit.phrase).text or hit.entry_id == "four-cities"
    matched = {h.matched for h in hits}
    assert "全域全國文明城市" in matched
    assert "人民城市人民建、人民城市為人民" in matched
    assert "放管服" in matched


def test_pinyin_glosses_inside_a_match_stay_in_matched() -> None:
    lexicon = Lexicon.from_records([{"id": "strive", "phrase": "争创全域", "category": "c"}])
    [hit] = Scanner(lexicon).scan("暨爭(zhēng)創(chuàng)全域全國")
    assert hit.matched == "爭(zhēng)創(chuàng)全域"


def test_nested_hits_are_flagged_and_longest_mode_drops_them(lexicon: Lexicon) -> None:
    text = "争创全域全国文明城市"
    hits = Scanner(lexicon).scan(text)
    assert [(h.entry_id, h.nested) for h in hits] == [
        ("whole-region-civilized-city", False),
        ("national-civilized-city", True),
    ]
    longest = Scanner(lexicon, overlap="longest").scan(text)
    assert entries(longest) == ["whole-region-civilized-city"]


def test_members_are_hits_of_the_parent(scanner: Scanner) -> None:
    hits = scanner.scan("增强政治意识、大局意识、核心意识、看齐意识")
    assert entries(hits) == ["four-consciousnesses"] * 4
    assert [h.member for h in hits] == ["政治意识", "大局意识", "核心意识", "看齐意识"]
    assert {h.phrase for h in hits} == {"四个意识"}


def test_exclude_drops_hits_inside_the_excluded_string(scanner: Scanner) -> None:
    assert scanner.scan("桌上摆着一盘棋子") == []
    assert entries(scanner.scan("牢固树立“一盘棋”思想")) == ["one-chessboard"]


def test_variants_and_separators_match(scanner: Scanner) -> None:
    assert entries(scanner.scan("在“四城共建”动员大会上")) == ["four-cities"]
    [hit] = scanner.scan("坚持“人民城市人民建；人民城市为人民”")
    assert hit.matched == "人民城市人民建；人民城市为人民"


def test_line_breaks_inside_a_phrase(scanner: Scanner) -> None:
    text = "服务“两会\n一节”工作"
    [hit] = scanner.scan(text)
    assert (hit.matched, text[hit.start : hit.end]) == ("两会\n一节", "两会\n一节")


def test_context_is_taken_from_the_original(lexicon: Lexicon) -> None:
    [hit] = Scanner(lexicon, context=4).scan(Document("d", "深化“放管服”改革，优化营商环境", {"date": "2021-05-04"}))
    assert (hit.context_left, hit.matched, hit.context_right) == ("深化“", "放管服", "”改革，")
    assert hit.as_dict()["date"] == "2021-05-04"
    assert hit.as_dict()["source"] is None


def test_seed_004_menu_and_footer_are_boilerplate(scanner: Scanner) -> None:
    text = seed("004").read_text(encoding="utf-8")
    hits = scanner.scan(text)
    xi = [h for h in hits if h.entry_id == "xi-thought"]
    assert len(xi) == 2
    assert all(h.boilerplate for h in xi), "the menu at the top is navigation"
    assert all(not h.repeat for h in hits)


def test_seed_003_repeated_opening_and_download_footer(lexicon: Lexicon) -> None:
    text = seed("003").read_text(encoding="utf-8")
    hits = Scanner(lexicon).scan(text)
    four = [h for h in hits if h.entry_id == "four-cities" and h.member is None]
    repeated = [h for h in four if h.repeat]
    assert len(repeated) == 2, "the pasted second copy of the opening holds two mentions"
    first_copy_end = text.index("本文内容")
    assert all(h.start > first_copy_end for h in repeated)
    assert not any(h.boilerplate for h in hits)
    # The footer's download prompt is boilerplate: a hit placed there is flagged.
    footer = text + "\n下载文档,坚持“四城联创”\n"
    last = Scanner(lexicon).scan(footer)[-1]
    assert last.boilerplate


def test_seed_001_headline_is_body_not_boilerplate(lexicon: Lexicon) -> None:
    lexicon = Lexicon.from_records([{"id": "x", "phrase": "全国文明典范城市", "category": "c"}])
    first = Scanner(lexicon).scan(seed("001").read_text(encoding="utf-8"))[0]
    assert first.start < 30
    assert not first.boilerplate


def test_restated_sentence_is_not_a_repeat(scanner: Scanner) -> None:
    hits = scanner.scan(seed("000").read_text(encoding="utf-8"))
    assert len([h for h in hits if h.entry_id == "two-sessions-one-festival"]) == 20
    assert not any(h.repeat or h.boilerplate for h in hits)


@settings(max_examples=60)
@given(st.sampled_from(["全域全国文明城市", "人民城市人民建、人民城市为人民", "四个意识", "两会一节"]), st.data())
def test_a_mangled_phrase_is_found_at_its_original_offsets(scanner: Scanner, phrase: str, data: st.DataObject) -> None:
    mangled = data.draw(noisy(phrase))
    text = "前文。" + mangled + "后文"
    hits = [h for h in scanner.scan(text) if not h.nested and h.member is None]
    assert hits
    hit = hits[0]
    assert text[hit.start : hit.end] == hit.matched
    assert normalize(hit.matched).text == normalize(phrase).text
    assert hit.start == 3


def test_scan_frame_returns_hits_with_the_rows_columns(scanner: Scanner) -> None:
    frame = pl.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["增强“四个意识”、做到“两个维护”", None, "深化放管服改革"],
            "date": [dt.date(2021, 3, 23), None, None],
            "page": [1, 2, 3],
        },
        schema_overrides={"date": pl.Date},
    )
    hits = scanner.scan_frame(frame)
    assert hits["doc_id"].to_list() == ["a", "a", "c"]
    assert hits["entry_id"].to_list() == ["four-consciousnesses", "two-upholds", "delegate-streamline-serve"]
    assert hits["page"].to_list() == [1, 1, 3]
    assert hits.schema["page"] == pl.Int64
    assert hits.schema["start"] == pl.Int64
    assert "text" not in hits.columns
    lazy = scanner.scan_frame(frame.lazy(), id=None)
    assert lazy["doc_id"].to_list() == ["1", "1", "3"]


def test_scan_frame_with_no_hits_keeps_the_schema(scanner: Scanner) -> None:
    hits = scanner.scan_frame(pl.DataFrame({"id": [1], "text": ["无关的文字"], "source": ["x"]}))
    assert hits.height == 0
    assert hits.columns[:4] == ["doc_id", "entry_id", "kind", "member"]
    assert "source" in hits.columns


def test_action_words_in_running_text_are_body(scanner: Scanner) -> None:
    text = "本次活动由市委宣传部主办，旨在深化“放管服”改革。\n大家纷纷分享学习“四个意识”的体会。\n分享到：四个意识 两个维护\n"
    flags = [(h.matched, h.boilerplate) for h in scanner.scan(text)]
    assert flags == [("放管服", False), ("四个意识", False), ("四个意识", True), ("两个维护", True)]


def test_overlap_must_be_all_or_longest(lexicon: Lexicon) -> None:
    with pytest.raises(ValueError, match="overlap must be"):
        Scanner(lexicon, overlap="longset")  # type: ignore[arg-type]


SENSE_PIECES = [
    "正能量",
    "传播",
    "弘扬",
    "充满",
    "三步走",
    "现代化",
    "探月",
    "。",
    "，",
    "的",
    "全国文明城市",
    "全域",
    "政治意识",
    "四个意识",
    "开门红",
    "“",
    "\n",
]


@given(st.lists(st.sampled_from(SENSE_PIECES), max_size=30).map("".join))
def test_sense_and_nesting_agree_with_a_plain_reading(scanner: Scanner, text: str) -> None:
    """Oracle: a sense rule looks at the match and N normalized characters on its side, within the sentence; a hit is
    nested when a longer hit of its own kind, of settled sense, contains it; a member hit is of kind member."""
    from phrasefinder.text.normalize import normalize

    normalized = normalize(text)
    spans = {(h.start, h.end): h for h in scanner.scan(text)}
    for hit in spans.values():
        entry = scanner.lexicon[hit.entry_id]
        assert hit.kind == ("member" if hit.member else "phrase")
        rule = entry.require
        if rule is None:
            assert hit.sense == ("ambiguous" if entry.ambiguous else None)
            continue
        start = next(i for i in range(len(normalized.text) + 1) if normalized.span(i, i + 1)[0] >= hit.start)
        end = start + len(normalize(hit.matched).text)
        left = normalized.text[max(0, start - rule.within) : end].replace("！", "。").split("。")[-1]
        right = normalized.text[start : end + rule.within].split("。")[0]
        passes = any(s in left for s in rule.before + rule.near) or any(s in right for s in rule.after + rule.near)
        assert hit.sense == ("passed" if passes else "failed"), (text, hit)
    for hit in spans.values():
        containers = [
            other for other in spans.values()
            if other is not hit and other.kind == hit.kind and other.sense in (None, "passed")
            and other.start <= hit.start and hit.end <= other.end
        ]  # fmt: skip
        assert hit.nested == (bool(containers) and hit.sense != "failed"), (text, hit)


def test_scan_frame_gives_back_the_kind_of_frame_it_was_given(scanner: Scanner) -> None:
    import pandas as pd
    import pyarrow as pa

    rows = {"id": [7, 8], "text": ["增强“四个意识”", "深化放管服改革"], "page": [1, 2]}
    polars_hits = scanner.scan_frame(pl.DataFrame(rows))
    assert polars_hits.schema["doc_id"] == pl.Int64  # the id keeps its type
    assert polars_hits["doc_id"].to_list() == [7, 8]
    pandas_hits = scanner.scan_frame(pd.DataFrame(rows))
    assert isinstance(pandas_hits, pd.DataFrame)
    assert pandas_hits["doc_id"].tolist() == [7, 8]
    assert pandas_hits["entry_id"].tolist() == ["four-consciousnesses", "delegate-streamline-serve"]
    arrow_hits = scanner.scan_frame(pa.table(rows))
    assert isinstance(arrow_hits, pa.Table)
    assert arrow_hits.column("page").to_pylist() == [1, 2]
    with pytest.raises(InputError, match="Polars, pandas or Arrow"):
        scanner.scan_frame([{"id": 1, "text": "四个意识"}])


def test_a_pickled_scanner_keeps_its_settings_and_finds_the_same_hits(lexicon: Lexicon) -> None:
    """What a spawned worker receives: the settings, with the automaton built again on arrival."""
    import pickle

    scanner = Scanner(lexicon, overlap="longest", context=3, engine="pyahocorasick")
    copy = pickle.loads(pickle.dumps(scanner))
    assert (copy.overlap, copy.context, copy.engine) == ("longest", 3, "pyahocorasick")
    text = seed("002").read_text(encoding="utf-8")
    assert copy.scan(text) == scanner.scan(text) != []
