from __future__ import annotations

from pathlib import Path

import pytest

from phrasefinder import Lexicon, LexiconError
from phrasefinder.lexicon import validate

from ..conftest import TEST_LEXICON

GOOD_ENTRY = "  - id: four-consciousnesses\n    phrase: 四个意识\n    category: ideology\n"

# (file text, expected problem line; `{f}` is the file's path)
BAD = [
    (
        "name: x\nentries:\n  - id: a\n    phrase: 正能量\n    category: c\n    require: [传播]\n",
        "{f}:6: entry 'a': 'require' must be a mapping of before, after, near",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 正能量\n    category: c\n    require: {befor: [传播]}\n",
        "{f}:6: entry 'a': unknown key 'befor' in 'require'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 正能量\n    category: c\n    require: {within: 5}\n",
        "{f}:6: entry 'a': 'require' names no context string",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 正能量\n    category: c\n    require: {near: [“”]}\n",
        "{f}:6: entry 'a': 'require.near' must be a list of non-empty strings",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 正能量\n    category: c\n    require: {near: [传播], within: 0}\n",
        "{f}:6: entry 'a': 'require.within' must be a number of characters from 1 to 200, got 0",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 开门红\n    category: c\n    ambiguous: yes please\n",
        "{f}:6: entry 'a': 'ambiguous' must be true or false",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 开门红\n    category: c\n    ambiguous: true\n"
        "    require: {near: [经济]}\n",
        "{f}:6: entry 'a': 'ambiguous' with a 'require' rule",
    ),
    ("name: x\ndefaults: {require: {near: [a]}}\nentries: []\n", "{f}:2: unknown key 'require' in defaults"),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 以人为本\n    category: c\n    require: {near: [全面协调可持续], within: 6}\n",
        "{f}:6: entry 'a': 'require' string '全面协调可持续' is longer than within (6)",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 三步走\n    category: c\n    require: {near: [步走]}\n",
        "{f}:6: entry 'a': require '步走' is part of every form of the entry",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    catgory: ideology\n",
        "{f}:5: entry 'a': unknown key 'catgory'",
    ),
    ("name: x\nentries:\n  - id: a\n    phrase: 四个意识\n", "{f}:3: entry 'a': missing field 'category'"),
    (
        "name: x\nentries:\n  - id: Four_X\n    phrase: 四个意识\n    category: c\n",
        "{f}:3: entry 'Four_X': bad id 'Four_X'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    first_seen: 2016-13\n",
        "{f}:6: entry 'a': bad date '2016-13'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    first_seen: 16\n",
        "{f}:6: entry 'a': bad date '16'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    variants: 四种意识\n",
        "{f}:6: entry 'a': 'variants' must be a list",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    level: city\n",
        "{f}:6: entry 'a': bad level 'city'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: [四个意识]\n    category: c\n",
        "{f}:4: entry 'a': 'phrase' must be a string",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n  - id: a\n    phrase: 两个维护\n    category: c\n",
        "{f}:6: duplicate id 'a' (first at {f}:3)",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n  - id: b\n    phrase: 四個意識\n    category: c\n",
        "{f}:6: entry 'b': '四個意識' collides with '四个意识' of entry 'a'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    variants: [“四个意识”]\n    category: c\n",
        "{f}:3: entry 'a': '“四个意识”' repeats another form",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 一盘棋\n    exclude: [棋子]\n    category: c\n",
        "{f}:3: entry 'a': exclude '棋子' contains none",
    ),
    ("name: x\nentries:\n  - id: a\n    phrase: 四个意识\n  category: c\n", "{f}:5: YAML syntax error"),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    category: d\n",
        "{f}:6: duplicate key 'category'",
    ),
    ("name: x\nentry: []\n", "{f}:2: unknown key 'entry'"),
    ("name: x\n", "{f}:1: missing field 'entries'"),
    ("entries: []\n", "{f}:1: missing field 'name'"),
    ("- just a list\n", "{f}:1: a lexicon file must be a mapping"),
    ("name: x\ndefaults: {colour: red}\nentries: []\n", "{f}:2: unknown key 'colour' in defaults"),
    (
        "name: x\nentries:\n  - id: a\n    phrase: “”\n    category: c\n",
        "{f}:3: entry 'a': '“”' is empty after normalization",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 一盘棋\n    exclude: [“一盘棋”]\n    category: c\n",
        "{f}:3: entry 'a': exclude '“一盘棋”' is a form of the entry itself",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n  - foo\n",
        "{f}:6: an entry must be a mapping, not 'foo'",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: c\n    first_seen: 2016-01-29 10:00:00\n",
        "{f}:6: entry 'a': bad date",
    ),
    (
        "name: x\nentries:\n  - id: a\n    phrase: 四个意识\n    category: ' '\n",
        "{f}:3: entry 'a': missing field 'category'",
    ),
    (
        "name: x\nentries:\n  - id: 12\n    phrase: 四个意识\n    category: c\n",
        "{f}:3: entry: 'id' must be a string, got 12",
    ),
    ("name: x\nentries: null\n", "{f}:2: 'entries' must be a list"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[b[1].split(": ", 1)[1][:40] for b in BAD])
def test_each_problem_is_reported_with_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate(path)[1]]
    wanted = expected.format(f=path)
    assert any(p.startswith(wanted) for p in problems), problems


def test_load_refuses_an_invalid_set_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: x\nentries:\n  - id: A\n    phrase: 四个意识\n  - id: b\n    category: c\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError) as caught:
        Lexicon.load(path)
    assert len(caught.value.problems) == 3  # bad id, missing category, missing phrase


def test_collisions_and_duplicate_names_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: same\nentries:\n" + GOOD_ENTRY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text(
        "name: same\nentries:\n  - id: other\n    phrase: 四 个 意 识\n    category: c\n", encoding="utf-8"
    )
    problems = [str(p) for p in validate(tmp_path)[1]]
    assert any("duplicate lexicon name 'same'" in p for p in problems)
    assert any("'四 个 意 识' collides with '四个意识' of entry 'four-consciousnesses'" in p for p in problems)


def test_defaults_fill_missing_fields_and_dates_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "name: ok\ndefaults: {level: municipal, region: 南宁市, category: event}\nentries:\n"
        "  - id: a\n    phrase: 两会一节\n    first_seen: 2008-10-07\n"
        "  - id: b\n    phrase: 能帮就帮\n    level: other\n    first_seen: 2006\n",
        encoding="utf-8",
    )
    lexicon = Lexicon.load(path)
    a, b = lexicon["a"], lexicon["b"]
    assert (a.level, a.region, a.category, a.first_seen, a.line) == ("municipal", "南宁市", "event", "2008-10-07", 4)
    assert (b.level, b.first_seen) == ("other", "2006")


def test_the_test_lexicon_is_valid() -> None:
    assert validate(TEST_LEXICON)[1] == []
    assert len(Lexicon.load(TEST_LEXICON)) == 15


def test_non_utf8_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: x\nentries:\n  - id: a\n    phrase: 四个意识\n".encode("gbk"))
    assert [str(p) for p in validate(path)[1]] == [f"{path}:4: not UTF-8: lexicon files are UTF-8 text"]


def test_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "merge.yaml"
    path.write_text(
        "name: x\nentries:\n  - &base {id: a, phrase: 四个意识, category: c}\n  - <<: *base\n    id: b\n    phrase: 两个维护\n",
        encoding="utf-8",
    )
    assert validate(path)[1] == []
    assert Lexicon.load(path)["b"].category == "c"


def test_an_empty_lexicon_folder_is_refused(tmp_path: Path) -> None:
    assert [str(p) for p in validate(tmp_path)[1]] == [f"{tmp_path}: no lexicon files (*.yaml, *.yml) found"]
    with pytest.raises(LexiconError):
        Lexicon.load(tmp_path)


def test_from_records_reports_entries_without_yaml_lines() -> None:
    with pytest.raises(LexiconError) as caught:
        Lexicon.from_records(
            [
                {"id": "ok", "phrase": "放管服", "category": "reform"},
                {"id": "Bad", "phrase": "四个意识x", "category": "c"},
            ]
        )
    assert [str(p) for p in caught.value.problems] == [
        "<inline>: entry 'Bad': bad id 'Bad': use lower-case letters, digits and hyphens, starting with a letter or digit"
    ]
    with pytest.raises(LexiconError, match="cannot be written as YAML"):
        Lexicon.from_records([{"id": "a", "phrase": object(), "category": "c"}])


def test_lookup_by_id_on_an_immutable_lexicon() -> None:
    lexicon = Lexicon.load(TEST_LEXICON)
    assert lexicon["two-upholds"].phrase == "两个维护"
    with pytest.raises(KeyError):
        lexicon["nope"]
    assert isinstance(lexicon.entries, tuple)


def test_one_run_lists_field_problems_and_collisions_together(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "name: x\nentries:\n"
        "  - id: a\n    phrase: 四个意识\n    category: c\n    level: city\n"
        "  - id: a\n    phrase: 四個意識\n    category: c\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in validate(path)[1]]
    assert (
        problems[0]
        == f"{path}:6: entry 'a': bad level 'city' (expected one of: national, provincial, municipal, county, other)"
    )
    assert f"{path}:7: duplicate id 'a' (first at {path}:3)" in problems
    assert any("collides with '四个意识'" in p for p in problems)
