from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder import Document, Lexicon
from phrasefinder.mine.candidates import candidate_id, mine
from phrasefinder.mine.rank import parallel_weight
from phrasefinder.mine.shapes import bounded, echoes, headed_clauses, parallel, qualified
from phrasefinder.review.queue import Queue
from phrasefinder.text.normalize import normalize, strip_noise

from ..conftest import SEEDS, TEST_LEXICON


def documents(texts: list[str]):
    return lambda: (Document(f"d{i}", t) for i, t in enumerate(texts))


@pytest.fixture(scope="module")
def seed_candidates():
    from phrasefinder import read_documents

    return mine(lambda: read_documents([SEEDS]), None, top=150)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各专项工作组要早谋划、早安排、早启动，强化责任落实", ["早谋划、早安排、早启动"]),
        ("不断增强群众的获得感、幸福感、安全感。", ["获得感、幸福感、安全感"]),
        ("以“等不起、慢不得、坐不住”的紧迫感", ["等不起、慢不得、坐不住"]),
        ("团结一心、奋力拼搏、迎难而上、勇创一流，圆满完成", ["团结一心、奋力拼搏、迎难而上、勇创一流"]),
        ("自治区党委常委、市委书记车荣福", []),
        ("要提高认识、加强领导，确保各项工作", []),
        # a pair's last item is cut before the 的 phrase it qualifies
        ("让创建过程成为共建共管、共建共享的过程", ["共建共管、共建共享"]),
        ("弘扬艰苦奋斗、无私奉献、诚实守信的精神", ["艰苦奋斗、无私奉献、诚实守信"]),
        # three-character items sharing nothing, but not a list of names
        ("列出时间表、责任人、路线图，争取挂图作战", ["时间表、责任人、路线图"]),
        ("引导广大市民讲文明、识礼仪、知荣辱、树新风，争做文明人", ["讲文明、识礼仪、知荣辱、树新风"]),
        ("市领导岑可成、覃孟征、秦敬德、周红波出席会议", []),
    ],
)
def test_parallel_enumerations(text: str, expected: list[str]) -> None:
    assert list(parallel(strip_noise(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要牢固树立每日都是争创日的理念，把好经验固化下来", ["每日都是争创日"]),
        ("以时不我待、只争朝夕的精神，投入到各项工作", ["时不我待、只争朝夕"]),
        ("让我们下定志在必得的决心", ["志在必得"]),
        ("以更强烈的责任感做好工作", []),  # no governing verb before the phrase
        ("贯彻落实市政府的要求", []),  # 要求 does not name a spirit
        ("发扬持之以恒、久久为功的精神", ["持之以恒、久久为功"]),  # 以 inside 持之以恒 is no verb
        ("坚持贯彻落实的精神", []),  # the verb is the phrase
    ],
)
def test_qualified_phrases(text: str, expected: list[str]) -> None:
    assert list(qualified(normalize(text).text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要深入开展党史学习教育，大力弘扬三牛精神。", ["党史学习教育", "三牛精神"]),
        # the verb governs the whole list
        (
            "深入实施城市更新行动、乡村建设行动、老旧小区改造提升工程，加快完善基础设施",
            ["城市更新行动", "乡村建设行动", "老旧小区改造提升工程"],
        ),
        ("要统一思想、振奋精神。", []),  # no governing verb: an action, not a name
        ("认真落实全国文明办主任会议精神。", []),  # a meeting's spirit
        ("建立健全问责工作机制。", []),  # 机制 ends ordinary phrases too
    ],
)
def testheaded_clauses(text: str, expected: list[str]) -> None:
    assert list(headed_clauses(normalize(text).text)) == expected


def test_clause_named_phrases_are_not_folded_into_their_run() -> None:
    texts = ["要深入实施城市更新行动、乡村建设行动，加快完善基础设施。", "今天天气很好，大家都来了。"]
    by_phrase = {c.phrase: c for c in mine(documents(texts), None)}
    assert "parallel" in by_phrase["城市更新行动、乡村建设行动"].signals
    assert "clause" in by_phrase["城市更新行动"].signals  # a name of its own, though seen only in the run


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("对外开放", True), ("从严治党", True), ("就业优先", True), ("与时俱进", True), ("和平发展", True),
        ("美好生活需要", True), ("以人民为中心", True), ("以开放促改革", True), ("为基层减负", True),
        ("对于全面", False), ("以及全", False), ("在全国", False), ("的发展", False), ("以来我国", False),
        ("这个问题", False), ("发展中", False), ("高质量发展上", False), ("就是要", False),
    ],
)  # fmt: skip
def test_phrases_open_and_close_on_words_not_function_words(phrase: str, expected: bool) -> None:
    assert bounded(phrase) is expected


def test_a_phrase_is_not_folded_into_a_longer_one_that_opens_on_a_function_word() -> None:
    texts = ["满足人民日益增长的美好生活需要。", "回应群众的美好生活需要。", "今天天气很好，大家都来了。"] * 3
    assert "美好生活需要" in {c.phrase for c in mine(documents(texts), None)}  # not lost in 的美好生活需要


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("复工复产", True), ("做强做优做大", True), ("交往交流交融", True), ("稳就业保就业", True),
     ("减税降费", False), ("人民人民", False), ("共商、共建", False), ("全国各地", False)],
)  # fmt: skip
def test_slogans_echo_a_character_in_each_part(phrase: str, expected: bool) -> None:
    assert echoes(phrase) is expected


def test_qualified_phrase_is_proposed_from_one_occurrence() -> None:
    texts = ["会议要求，全体干部要牢固树立每日都是争创日的理念。", "今天天气很好，大家都来了。"]
    by_phrase = {c.phrase: c for c in mine(documents(texts), None)}
    assert "qualified" in by_phrase["每日都是争创日"].signals


def test_parallel_runs_keep_their_leading_verb() -> None:
    texts = ["要增强四个意识、坚定四个自信、做到两个维护，推动工作。"] * 2
    phrases = {c.phrase for c in mine(documents(texts), None)}
    assert "增强四个意识、坚定四个自信、做到两个维护" in phrases
    assert "四个意识、坚定四个自信、做到两个维护" not in phrases  # the first item is not cut


def test_parallel_sentences_weigh_less_than_parallel_formulas() -> None:
    assert parallel_weight("获得感、幸福感、安全感") > parallel_weight("城市越来越繁荣、环境越来越宜居")


def test_heads_name_outlooks_and_campaigns_but_not_meetings() -> None:
    texts = ["深入践行社会主义核心价值观，学习会议精神。", "践行社会主义核心价值观，传达会议精神。"]
    by_phrase = {c.phrase: c for c in mine(documents(texts), None)}
    assert "head" in by_phrase["社会主义核心价值观"].signals
    assert "head" not in by_phrase["会议精神"].signals


def test_state_honours_are_titles() -> None:
    texts = ["实现国家卫生城市四连冠，巩固国家卫生城市成果，完善城市功能。"] * 2
    by_phrase = {c.phrase: c for c in mine(documents(texts), None)}
    assert "title" in by_phrase["国家卫生城市"].signals
    assert "title" not in by_phrase["完善城市功能"].signals  # not an honour the state confers


def test_quoted_numbered_and_headed_phrases_are_found_with_evidence(seed_candidates) -> None:
    by_phrase = {c.phrase: c for c in seed_candidates}
    assert {"quoted", "numbered"} <= set(by_phrase["四城联创"].signals)
    assert by_phrase["四城联创"].freq == 30
    assert "parallel" in by_phrase["早谋划、早安排、早启动"].signals
    assert "quoted" in by_phrase["放管服"].signals
    example = by_phrase["放管服"].examples[0]
    assert example.doc_id.endswith("002_af7422f4b14b8af1.txt")
    assert example.matched == "放管服"
    # reported in simplified script, with the surface forms seen (traditional, glossed, spaced)
    assert by_phrase["美丽乡村全域文明"].forms == ("美麗鄉(xiāng)村 全域文明",)
    assert set(by_phrase["持久战"].forms) == {"持久战", "持久戰"}


def test_shapes_rank_above_statistics(seed_candidates) -> None:
    top = [c.phrase for c in seed_candidates[:30]]
    assert "四城联创" in top
    assert "两会一节" in top
    assert "进一步" not in [c.phrase for c in seed_candidates]  # an everyday word, and it starts a clause
    assert all("common-word" not in c.signals for c in seed_candidates[:50])


def test_known_and_decided_phrases_are_left_out() -> None:
    texts = ["深化“放管服”改革，大力弘扬“三牛精神”，坚持“两会一节”联席会议制度"] * 2
    lexicon = Lexicon.load(TEST_LEXICON)  # knows 放管服, 三牛精神, 两会一节
    phrases = {c.phrase for c in mine(documents(texts), None)}
    assert {"放管服", "三牛精神", "两会一节"} <= phrases
    phrases = {c.phrase for c in mine(documents(texts), lexicon, decided=["联席会议制度"])}
    assert not {"放管服", "三牛精神", "两会一节", "联席会议制度"} & phrases


def test_boilerplate_is_not_evidence() -> None:
    page = "首页\n要闻\n“免费阅读”\n下载文档,“扫码关注”阅读\n正文：坚持“人民至上”。\n"
    phrases = {c.phrase for c in mine(documents([page, page]), None)}
    assert "人民至上" in phrases
    assert "扫码关注" not in phrases


def test_ids_are_stable_across_runs_and_scripts() -> None:
    assert candidate_id("两会一节") == candidate_id("兩會一節") == candidate_id("“两会一节”")
    assert candidate_id("两会一节") != candidate_id("四城联创")


def test_mine_cli_writes_candidates_and_queues_them(cli, tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)
    result = cli("mine", SEEDS, "-l", lexicons, "--top", "20", "-f", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 20
    assert set(rows[0]) >= {"id", "phrase", "score", "freq", "docs", "signals", "forms", "examples"}
    assert "四城联创" not in {r["phrase"] for r in rows}  # in the test lexicon
    queue = Queue(lexicons)
    assert [p["id"] for p in queue.pending()] == [r["id"] for r in rows]
    again = cli("mine", SEEDS, "-l", lexicons, "--top", "20", "-f", "jsonl")
    assert "0 new" in again.stderr
    assert len(queue.pending()) == 20


def test_mine_cli_formats_agree(cli, tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)

    def run(fmt: str) -> str:
        result = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "-f", fmt)
        assert result.exit_code == 0
        return result.stdout

    phrases = [json.loads(line)["phrase"] for line in run("jsonl").splitlines()]
    assert [row["phrase"] for row in csv.DictReader(io.StringIO(run("csv")))] == phrases
    assert [item["phrase"] for item in yaml.safe_load(run("yaml"))] == phrases
    table = run("table")
    assert all(phrase[:3] in table for phrase in phrases)


def test_mine_table_into_a_file(cli, tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)
    out = tmp_path / "candidates.txt"
    result = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "-f", "table", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    phrases = [
        json.loads(line)["phrase"]
        for line in cli("mine", SEEDS, "-l", lexicons, "--top", "5", "-f", "jsonl").stdout.splitlines()
    ]
    table = out.read_text(encoding="utf-8")
    assert all(phrase[:3] in table for phrase in phrases)


PHRASES = ["四个意识", "放管服", "放管服改革", "两个维护", "南宁"]
INSIDE = {"放管服": {"放管服改革"}}  # a proposal inside a known form: how often it stands alone is merged too
TEXTS = st.lists(
    st.sampled_from(["增强四个意识，", "深化放管服改革。", "放管服，", "做到两个维护", "南宁市委召开会议", "其他内容"]),
    max_size=6,
)


def _partitioned(
    documents_: list[tuple[int, str]], cuts: list[int]
) -> tuple[list[Document], list[list[Document]], Any, Any]:
    """Documents cut into partitions at ``cuts``, an automaton of ``PHRASES`` and the places: a corpus as a
    cluster reads it."""
    from phrasefinder.mine.candidates import _automaton
    from phrasefinder.text.places import Places

    docs = [Document(f"d{n}", text, {"region": "南宁市"} if n % 2 else {}) for n, text in documents_]
    bounds = [0, *sorted(min(c, len(docs)) for c in cuts), len(docs)]
    return docs, [docs[a:b] for a, b in itertools.pairwise(bounds)], _automaton(PHRASES), Places(["南宁市"])


@settings(max_examples=60, deadline=None)
@given(
    documents_=st.lists(st.tuples(st.integers(0, 5), TEXTS.map("".join)), max_size=12),
    cuts=st.lists(st.integers(0, 12), max_size=4),
)
def test_passes_merged_over_partitions_are_one_pass_over_all(
    documents_: list[tuple[int, str]], cuts: list[int]
) -> None:
    """What a cluster merges (ids may repeat across partitions) equals one pass: counts, forms, examples."""
    from phrasefinder.mine.candidates import first_pass, merge_evidence
    from phrasefinder.mine.occurrences import merge_found, second_pass

    docs, parts, automaton, places = _partitioned(documents_, cuts)
    whole = second_pass(docs, automaton, places, INSIDE)
    merged = merge_found(second_pass(p, automaton, places, INSIDE) for p in parts)
    assert vars(merged) == vars(whole)
    assert list(merged.forms.items()) == list(whole.forms.items())  # the order ties are broken in
    evidence, pieces = first_pass(docs), merge_evidence(first_pass(p) for p in parts)
    assert (pieces.shapes, pieces.characters) == (evidence.shapes, evidence.characters)


@settings(max_examples=60, deadline=None)
@given(
    documents_=st.lists(st.tuples(st.integers(0, 5), TEXTS.map("".join)), max_size=12),
    cuts=st.lists(st.integers(0, 12), max_size=4),
    shards=st.integers(1, 4),
)
def test_records_split_into_shards_and_merged_shard_by_shard_are_the_whole(
    documents_: list[tuple[int, str]], cuts: list[int], shards: int
) -> None:
    """What a cluster's workers hand on, shard by shard, and the shown parts of some phrases are what one pass
    over everything reduces to."""
    from phrasefinder.mine.occurrences import merge_found, second_pass

    docs, parts, automaton, places = _partitioned(documents_, cuts)
    whole = second_pass(docs, automaton, places, INSIDE)
    found = [second_pass(part, automaton, places, INSIDE) for part in parts]
    merged = [merge_found(part.split(shards)[k] for part in found) for k in range(shards)]
    seen = {phrase: s for shard in merged for phrase, s in shard.seen().items()}
    assert seen == whole.seen()
    wanted = PHRASES[::2]
    assert merge_found(part.shown(wanted) for part in found).details(wanted) == whole.details(wanted)


def test_a_second_pass_travels_whole() -> None:
    """What a worker's second pass hands the client is, pickled and read back, what it was."""
    import pickle

    from phrasefinder import read_documents
    from phrasefinder.mine.candidates import _automaton
    from phrasefinder.mine.occurrences import second_pass
    from phrasefinder.text.places import Places

    found = second_pass(
        read_documents([SEEDS]), _automaton(["四个意识", "人民城市", "全国文明城市"]), Places(["南宁市"]), {}
    )
    assert found.freq["全国文明城市"] > 0
    assert found.examples["全国文明城市"]
    assert pickle.loads(pickle.dumps(found)) == found
