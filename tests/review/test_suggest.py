"""Accepting with no field given: region, level, category, file and id come from the evidence and the set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from phrasefinder import Lexicon
from phrasefinder.lexicon import bundled_path
from phrasefinder.review.queue import Queue
from phrasefinder.review.suggest import derive_id, suggest
from phrasefinder.text.places import Places

NANNING = "南宁市召开大会。会议强调，南宁要坚持“绿城先锋、邕城担当”，以“绿城先锋、邕城担当”凝聚力量。"
CHANGSHA = "长沙召开大会，号召全市坚持“星城先行、湘江担当”。长沙各界以“星城先行、湘江担当”为目标。"
NATIONAL = "会议号召坚持“稳就业、保民生、促发展”，各地以“稳就业、保民生、促发展”为要。"


@pytest.fixture
def working_set(cli, tmp_path: Path) -> Path:
    """A copy of the bundled set with an empty queue, and a corpus of local and national news mined into it."""
    folder = tmp_path / "set"
    assert cli("lexicon", "init", folder).exit_code == 0
    for name in ("pending.jsonl", "decisions.jsonl"):
        (folder / "review" / name).write_text("", encoding="utf-8")
    places = ["北京市", "上海市", "广东省", "浙江省"]
    records = [{"id": f"nn-{i}", "text": NANNING} for i in range(3)]
    records += [{"id": f"cs-{i}", "text": CHANGSHA, "region": "长沙市"} for i in range(3)]
    records += [{"id": f"cn-{i}", "text": NATIONAL, "region": place} for i, place in enumerate(places)]
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert cli("mine", corpus, "-l", folder, "-f", "jsonl").exit_code == 0
    return folder


def _candidate(folder: Path, phrase: str) -> dict:
    return next(c for c in Queue(folder).pending() if c["phrase"] == phrase)


def test_a_municipal_candidate_goes_into_its_city_file(cli, working_set: Path) -> None:
    candidate = _candidate(working_set, "绿城先锋、邕城担当")
    assert candidate["regions"] == {"南宁市": 3}  # named in the text, no region field
    result = cli("review", "accept", candidate["id"], "-l", working_set)
    assert result.exit_code == 0, result.stderr
    target = working_set / "local" / "guangxi-nanning.yaml"
    assert str(target) in result.stdout
    entry = next(e for e in Lexicon.load(working_set) if e.phrase == "绿城先锋、邕城担当")
    assert (entry.level, entry.region, Path(entry.path)) == ("municipal", "南宁市", target)
    assert entry.id == "lvcheng-xianfeng-yongcheng-dandang"
    assert entry.category in {e.category for e in Lexicon.load(working_set)} - {"slogan"}


def test_a_region_the_set_has_no_file_for_gets_a_new_local_file(cli, working_set: Path) -> None:
    candidate = _candidate(working_set, "星城先行、湘江担当")
    assert cli("review", "accept", candidate["id"], "-l", working_set).exit_code == 0
    created = working_set / "local" / "changsha.yaml"
    (entry,) = yaml.safe_load(created.read_text(encoding="utf-8"))["entries"]
    assert (entry["level"], entry["region"]) == ("municipal", "长沙市")


def test_a_formula_used_across_regions_is_national(cli, working_set: Path) -> None:
    candidate = _candidate(working_set, "稳就业、保民生、促发展")
    assert sum(candidate["regions"].values()) == 4
    assert max(candidate["regions"].values()) == 1
    assert cli("review", "accept", candidate["id"], "-l", working_set).exit_code == 0
    entry = next(e for e in Lexicon.load(working_set) if e.phrase == "稳就业、保民生、促发展")
    assert entry.level == "national"
    assert entry.region is None
    assert Path(entry.path).parent == working_set / "national"


def test_what_the_curator_gives_wins_and_a_level_takes_the_region_as_given(cli, working_set: Path) -> None:
    candidate = _candidate(working_set, "绿城先锋、邕城担当")
    result = cli(
        "review", "accept", candidate["id"], "--level", "provincial", "--category", "urban", "--id", "green-city",
        "--into", working_set / "national" / "core.yaml", "-l", working_set,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    entry = Lexicon.load(working_set)["green-city"]
    assert (entry.level, entry.region, entry.category) == ("provincial", None, "urban")


def test_the_category_is_the_one_of_the_most_similar_entries() -> None:
    bundled = Lexicon.load()
    similar = next(e for e in bundled if e.phrase == "共商共建共享")
    record = {"id": "c-x", "phrase": "共商、共建、共享", "docs": 3, "regions": {}}
    chosen = suggest(record, [bundled_path()])
    assert chosen.category == similar.category
    assert chosen.level == "national"
    assert chosen.region is None


def test_ids_are_numbered_past_the_ones_taken_and_never_empty() -> None:
    assert derive_id("长江经济带", set()) == "changjiang-jingjidai"  # read in context: chang-, not zhang-
    assert derive_id("长江经济带", {"changjiang-jingjidai"}) == "changjiang-jingjidai-2"
    assert derive_id("！？", set()) == "formula"


def test_a_place_named_once_or_not_at_all_is_no_evidence() -> None:
    places = Places(["南宁市", "曲靖市麒麟区", "浙江省、福建省"])
    assert places.of("新华社南宁电 全国各地……") is None
    assert places.of("曲靖市麒麟区召开会议，曲靖市麒麟区委书记讲话") == "曲靖市麒麟区"
    assert places.of("浙江、福建两省") is None
