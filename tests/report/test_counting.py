"""What a count counts: formula occurrences, not members, not nested hits, not another sense.

Each document below was counted by hand; the tests scan it with the real CLI and
check the hits' ``kind``/``nested``/``sense`` and every table of the report.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from phrasefinder import Lexicon, Scanner

from ..conftest import TEST_LEXICON, read_csv, run, scan_corpus

DOCUMENTS = [
    # members of 四个意识 only: four member hits, no occurrence of the formula
    {"id": "members", "date": "2019-07-15", "text": "要增强政治意识、大局意识、核心意识、看齐意识。"},
    # 全国文明城市 only inside 全域全国文明城市: one occurrence, of the longer formula
    {"id": "nested", "date": "2019-08-01", "text": "盘锦创建全域全国文明城市。"},
    # both on their own, and one of them nested again
    {"id": "both", "date": "2019-09-01", "text": "荣获全国文明城市称号后，又提出全域全国文明城市。"},
    # 正能量 after 传播 passes its rule; on a drinks label it fails
    {"id": "energy", "date": "2019-10-01", "text": "要积极传播正能量。这款饮料充满正能量。"},
    # 三步走 near 现代化 passes; a space programme's three steps fail
    {"id": "steps", "date": "2019-11-01", "text": "实现现代化分三步走。探月工程三步走圆满收官。"},
    # 开门红 is ambiguous: counted in its own column
    {"id": "start", "date": "2020-03-10", "text": "一季度经济实现开门红，放管服改革持续深化。"},
]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return scan_corpus(tmp_path_factory.mktemp("counting"), DOCUMENTS)


def hits_of(scanned: dict[str, Path]) -> list[dict]:
    return [json.loads(line) for line in scanned["hits"].read_text(encoding="utf-8").splitlines()]


def report(scanned: dict[str, Path], name: str, *flags: str) -> tuple[Path, dict]:
    out = scanned["folder"] / name
    result = run("report", scanned["hits"], "--stats", scanned["stats"], "-o", out, "-l", TEST_LEXICON,
                 "--by", "month", "-f", "json", *flags)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out, json.loads(result.stdout)


def table(out: Path, name: str, key: str = "entry_id") -> dict[str, dict[str, str]]:
    return {r[key]: r for r in read_csv(out / f"{name}.csv")}


def test_scan_keeps_every_match_and_says_what_each_is(scanned: dict[str, Path]) -> None:
    found = {(h["doc_id"], h["matched"], h["start"]): h for h in hits_of(scanned)}
    assert found[("members", "核心意识", 13)]["kind"] == "member"
    assert found[("nested", "全域全国文明城市", 4)]["kind"] == "phrase"
    inner = found[("nested", "全国文明城市", 6)]
    assert (inner["kind"], inner["nested"]) == ("phrase", True)
    assert found[("energy", "正能量", 5)]["sense"] == "passed"
    assert found[("energy", "正能量", 15)]["sense"] == "failed"  # kept for the curator, not counted
    assert found[("steps", "三步走", 6)]["sense"] == "passed"
    assert found[("steps", "三步走", 14)]["sense"] == "failed"
    assert found[("start", "开门红", 7)]["sense"] == "ambiguous"
    assert found[("both", "全国文明城市", 2)]["sense"] is None  # no rule for this entry
    assert len(found) == 4 + 2 + 3 + 2 + 2 + 2


def test_the_default_counts_formula_occurrences_only(scanned: dict[str, Path]) -> None:
    out, summary = report(scanned, "phrase")
    frequency = table(out, "frequency")
    hits = {e: int(r["hits"]) for e, r in frequency.items()}
    assert hits == {
        "four-consciousnesses": 0,  # four member hits, no occurrence of 四个意识
        "whole-region-civilized-city": 2,
        "national-civilized-city": 1,  # the standalone one in "both"; the two nested ones go to the container
        "positive-energy": 1,
        "three-step": 1,
        "good-start": 0,
        "delegate-streamline-serve": 1,
    }
    assert summary["hits"] == 6
    assert summary["entries"] == 5
    assert int(frequency["good-start"]["ambiguous"]) == 1
    assert int(frequency["four-consciousnesses"]["member_hits"]) == 4
    assert frequency["four-consciousnesses"]["members"].count(" 1") == 4
    assert summary["set_aside"]["nested inside a longer formula"] == {"hits": 2, "documents": 2}
    assert summary["set_aside"]["another sense (fails its require rule)"] == {"hits": 2, "documents": 2}
    assert summary["counted_apart"]["member hits (members.csv)"] == {"hits": 4, "documents": 1}
    assert "not nested" in summary["rule"]


def test_members_are_reported_on_their_own_and_never_date_the_formula(scanned: dict[str, Path]) -> None:
    out, _ = report(scanned, "members-table")
    members = table(out, "members", key="member")
    assert sorted(members) == ["大局意识", "政治意识", "核心意识", "看齐意识"]
    assert {int(r["hits"]) for r in members.values()} == {1}
    assert members["核心意识"]["first_date"] == "2019-07-15"
    assert "four-consciousnesses" not in table(out, "first_seen")  # only members occur: no first appearance


def test_count_members_and_all_switch_what_is_counted(scanned: dict[str, Path]) -> None:
    out, summary = report(scanned, "members", "--count", "members")
    assert int(table(out, "frequency")["four-consciousnesses"]["hits"]) == 4
    assert summary["hits"] == 4
    out, summary = report(scanned, "all", "--count", "all")
    assert summary["hits"] == 6 + 4
    assert "four-consciousnesses" not in table(out, "first_seen")  # --count all: members still never date it


def test_include_nested_counts_the_inner_formula_too(scanned: dict[str, Path]) -> None:
    out, summary = report(scanned, "nested", "--include-nested")
    assert int(table(out, "frequency")["national-civilized-city"]["hits"]) == 3
    assert summary["hits"] == 8
    assert "nested hits counted too" in summary["rule"]


@pytest.mark.parametrize("flags", [(), ("--include-nested",)])
def test_cooccurrence_never_pairs_a_formula_with_a_hit_inside_it(scanned: dict[str, Path], flags: tuple) -> None:
    out, _ = report(scanned, "pairs" + "".join(flags), *flags)
    pairs = {(r["entry_a"], r["entry_b"]): int(r["documents"]) for r in read_csv(out / "cooccurrence.csv")}
    # together in "both" (each on its own there), never in "nested", where one lies inside the other
    assert pairs[("national-civilized-city", "whole-region-civilized-city")] == 1


@pytest.mark.parametrize("flags", [(), ("--count", "all"), ("--include-nested",)])
def test_every_figure_is_traceable_to_the_concordance(scanned: dict[str, Path], flags: tuple) -> None:
    out, summary = report(scanned, "trace" + "".join(flags), *flags)
    lines = read_csv(out / "concordance.csv")
    counted = Counter(r["entry_id"] for r in lines if r["counted"] == "true")
    frequency = table(out, "frequency")
    assert {e: int(r["hits"]) for e, r in frequency.items() if int(r["hits"])} == dict(counted)
    ambiguous = Counter(r["entry_id"] for r in lines if r["sense"] == "ambiguous")
    assert {e: int(r["ambiguous"]) for e, r in frequency.items() if int(r["ambiguous"])} == dict(ambiguous)
    members = Counter(r["member"] for r in lines if r["kind"] == "member")
    assert {m: int(r["hits"]) for m, r in table(out, "members", key="member").items()} == dict(members)
    assert sum(counted.values()) == summary["hits"]
    assert all(r["sense"] != "failed" for r in lines)


def test_trends_mark_periods_the_corpus_covers_only_in_part(scanned: dict[str, Path]) -> None:
    out, _ = report(scanned, "periods")
    rows = {r["period"]: r for r in read_csv(out / "trends.csv") if r["entry_id"] == "positive-energy"}
    # the corpus runs from 2019-07-15 to 2020-03-10
    assert (rows["2019-07"]["partial"], rows["2019-07"]["days_covered"], rows["2019-07"]["days"]) == (
        "true",
        "17",
        "31",
    )
    assert rows["2019-08"]["partial"] == "false"
    assert (rows["2020-03"]["partial"], rows["2020-03"]["days_covered"]) == ("true", "10")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "partial periods" in page
    assert "2019-07 (17 of 31 days)" in page
    out, _ = report(scanned, "periods-year", "--by", "year")
    years = {r["period"]: r for r in read_csv(out / "trends.csv") if r["entry_id"] == "positive-energy"}
    assert (years["2019"]["days_covered"], years["2020"]["days_covered"]) == ("170", "70")


def test_first_appearances_in_the_corpus_first_period_are_marked(scanned: dict[str, Path]) -> None:
    out, _ = report(scanned, "censored", "--by", "year")
    first = table(out, "first_seen")
    assert first["whole-region-civilized-city"]["at_corpus_start"] == "true"  # 2019-08: the corpus starts in 2019
    assert first["delegate-streamline-serve"]["at_corpus_start"] == "false"  # 2020-03
    assert "good-start" not in first  # an ambiguous hit dates nothing
    out, _ = report(scanned, "censored-month")
    assert table(out, "first_seen")["whole-region-civilized-city"]["at_corpus_start"] == "false"  # July is the first


def test_the_page_says_which_rule_is_in_force(scanned: dict[str, Path]) -> None:
    out, _ = report(scanned, "page-members", "--count", "members")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "occurrences of the members of enumerated formulas" in page
    assert "members.csv" in page


def test_longest_overlap_keeps_failed_hits_without_letting_them_block(lexicon: Lexicon) -> None:
    text = "探月工程三步走。实现现代化分三步走。全域全国文明城市"
    hits = [(h.matched, h.start, h.sense, h.nested) for h in Scanner(lexicon, overlap="longest").scan(text)]
    assert ("三步走", 4, "failed", False) in hits  # kept for the curator
    assert ("三步走", 14, "passed", False) in hits
    assert ("全域全国文明城市", 18, None, False) in hits
    assert all(matched != "全国文明城市" for matched, *_ in hits)  # inside the longer hit: not a reading


def test_a_formula_inside_a_member_of_another_is_an_occurrence(tmp_path: Path) -> None:
    text = "坚决确立习近平新时代中国特色社会主义思想的指导地位。"
    scanned = scan_corpus(tmp_path, [{"id": "m", "date": "2022-10-16", "text": text}])
    out, summary = tmp_path / "out", None
    result = run("report", scanned["hits"], "--stats", scanned["stats"], "-o", out, "-l", TEST_LEXICON, "-f", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {e: int(r["hits"]) for e, r in table(out, "frequency").items()} == {"xi-thought": 1, "two-establishments": 0}
    assert table(out, "members", key="member")["确立习近平新时代中国特色社会主义思想的指导地位"]["hits"] == "1"
    assert summary["hits"] == 1  # the thought, counted; the member, counted apart; nothing set aside as nested
    assert "nested inside a longer formula" not in summary["set_aside"]
