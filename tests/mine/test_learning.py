"""The learned ranking, the relations to known entries, and what the second pass gathers."""

from __future__ import annotations

import os
import shutil
import sys
from itertools import pairwise
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder import Document, Lexicon, read_documents
from phrasefinder.lexicon import default_path
from phrasefinder.mine import model as learned
from phrasefinder.mine.candidates import mine
from phrasefinder.mine.features import GOVERNING, NAMES, Usage, governed_at

from ..conftest import SEEDS, TEST_LEXICON

EXE = str(Path(sys.executable).with_name("phrasefinder"))


def documents(texts: list[str]):
    return lambda: (Document(f"d{i}", t) for i, t in enumerate(texts))


@pytest.fixture(scope="module")
def learned_candidates():
    """The seeds mined against the bundled lexicons: enough entries occur in them to learn from."""
    return mine(lambda: read_documents([SEEDS]), Lexicon.load(default_path()), top=60)


def test_the_ranking_is_learned_from_the_lexicon_when_it_has_entries_in_the_corpus(learned_candidates) -> None:
    assert learned_candidates[0].ranking.startswith("boosting model learned from")
    scores = [c.score for c in learned_candidates]
    assert scores == sorted(scores, reverse=True)


def test_without_entries_to_learn_from_the_hand_set_weights_rank() -> None:
    candidates = mine(lambda: read_documents([SEEDS]), None, top=20)
    assert {c.ranking for c in candidates} == {"hand-set weights"}


@pytest.mark.parametrize("lexicon", [None, "bundled"])
def test_an_explanation_adds_up_to_the_score(lexicon: str | None) -> None:
    loaded = Lexicon.load(default_path()) if lexicon else None
    for candidate in mine(lambda: read_documents([SEEDS]), loaded, top=10):
        assert candidate.terms
        assert sum(t.contribution for t in candidate.terms) == pytest.approx(candidate.score, abs=1e-6)


@given(st.integers(0, 10_000), st.sampled_from(sorted(learned.MONOTONE)))
@settings(max_examples=10, deadline=None)
def test_the_trees_read_more_use_as_never_less_formula_like(seed: int, name: str) -> None:
    """Rows whose class has nothing to do with use (random labels): the score still never falls as a feature
    of :data:`MONOTONE` rises, nor rises with a word boundary inside the phrase."""
    import random

    draw = random.Random(seed)
    rows = [[draw.random() * 4 for _ in NAMES] for _ in range(120)]
    model = learned.fit(rows[:60], rows[60:], "boosting")
    assert model is not None
    k = NAMES.index(name)
    row = rows[draw.randrange(len(rows))]
    scores = model.scores([[*row[:k], v / 2, *row[k + 1 :]] for v in range(9)])
    ordered = scores if learned.MONOTONE[name] > 0 else scores[::-1]
    assert all(a <= b + 1e-9 for a, b in pairwise(ordered))


def test_rejected_phrases_are_negatives_of_the_next_run() -> None:
    phrases = [c.phrase for c in mine(lambda: read_documents([SEEDS]), None, top=200)[150:160]]

    def negatives(rejected: list[str]) -> int:
        lexicon = Lexicon.load(default_path())
        candidates = mine(lambda: read_documents([SEEDS]), lexicon, decided=phrases, rejected=rejected, top=5)
        assert not {c.phrase for c in candidates} & set(phrases)  # decided: never proposed again
        return int(candidates[0].ranking.split(" and ")[-1].split()[0].replace(",", ""))

    assert negatives(phrases) == negatives([]) + len(phrases)


def test_a_shorter_form_that_stands_alone_is_proposed_as_a_variant_of_its_entry(tmp_path: Path) -> None:
    lexicon_file = tmp_path / "law.yaml"
    lexicon_file.write_text(
        "name: law\ndefaults: {level: national}\nentries:\n"
        "  - id: law-based-governance-all-round\n    phrase: 全面依法治国\n    category: law\n",
        encoding="utf-8",
    )
    lexicon = Lexicon.load([lexicon_file])
    alone = ["坚持依法治国，建设法治国家。"] * 3 + ["推进全面依法治国。"] * 3
    by_phrase = {c.phrase: c for c in mine(documents(alone), lexicon)}
    assert "shorter-form" in by_phrase["依法治国"].signals
    assert by_phrase["依法治国"].variant_of == "law-based-governance-all-round"
    inside = ["推进全面依法治国。", "今天天气很好，大家都来了。"] * 3  # never without 全面
    assert "依法治国" not in {c.phrase for c in mine(documents(inside), lexicon)}


def test_a_longer_form_of_a_known_entry_is_proposed_as_its_variant() -> None:
    texts = ["深入实施“两会一节”工作机制。", "落实两会一节工作机制，今天天气很好。"] * 2
    by_phrase = {c.phrase: c for c in mine(documents(texts), Lexicon.load(TEST_LEXICON))}
    longer = [c for c in by_phrase.values() if "两会一节" in c.phrase]
    assert longer
    assert all("longer-form" in c.signals and c.variant_of for c in longer)


def test_separator_forms_and_orderings_of_one_enumeration_are_one_candidate() -> None:
    texts = ["坚持“共商共建共享”原则。", "秉持共商、共建、共享的理念。", "坚持共建、共商、共享。", "今天天气很好。"] * 2
    variants = {"共商共建共享", "共商、共建、共享", "共建、共商、共享"}
    candidates = [c for c in mine(documents(texts), None) if c.phrase in variants]
    assert len(candidates) == 1
    assert variants <= {candidates[0].phrase, *candidates[0].forms}
    assert len(candidates[0].forms) == len(set(candidates[0].forms))


def test_an_article_printed_twice_is_one_document_and_one_example() -> None:
    article = "要弘扬“三牛精神”，久久为功。"
    twice = [Document("page-1", article), Document("page-4", article), Document("x", "大力弘扬三牛精神。")]
    by_phrase = {c.phrase: c for c in mine(lambda: iter(twice), None)}
    assert by_phrase["三牛精神"].freq == 3
    assert by_phrase["三牛精神"].docs == 2
    assert len(by_phrase["三牛精神"].examples) == 2


_text = st.text(alphabet="坚持贯彻新发展理念精神、“”要求战略的", min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_text, st.sampled_from(["发展理念", "新发展", "理念"])), min_size=1, max_size=8))
def test_usages_of_parts_of_a_corpus_merge_to_the_usage_of_the_whole(occurrences) -> None:
    def usage_of(numbered) -> Usage:
        usage = Usage()
        for i, (text, phrase) in numbered:
            at = text.find(phrase)
            if at >= 0:
                matches, governed = [(at, at + len(phrase), phrase)], [governed_at(text)(at)]
                usage.record(text, matches, quoted=[i % 2 == 0], governed=governed, period=f"2020-{i % 3}")
        return usage

    numbered = list(enumerate(occurrences))
    whole = usage_of(numbered)
    merged = usage_of(numbered[: len(numbered) // 2])
    merged.merge(usage_of(numbered[len(numbered) // 2 :]))
    for counts in ("quoted", "governed", "framed", "listed"):
        assert +getattr(merged, counts) == +getattr(whole, counts)
    assert merged.periods == whole.periods


def test_a_governing_verb_is_seen_before_the_phrase() -> None:
    assert GOVERNING.search("坚定不移贯彻", 0, 6)
    assert not GOVERNING.search("今天的", 0, 3)


def test_explain_prints_features_and_contributions(cli, tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)
    first = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "-f", "jsonl", "-o", tmp_path / "c.jsonl")
    assert first.exit_code == 0
    wanted = (tmp_path / "c.jsonl").read_text(encoding="utf-8").split('"id": "')[1].split('"')[0]
    result = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "--explain", wanted)
    assert result.exit_code == 0
    assert wanted in result.stdout
    assert "contribution" in result.stdout
    assert "log_freq" in result.stdout or "freq" in result.stdout
    missing = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "--explain", "c-0000000000")
    assert missing.exit_code != 0
    assert "c-0000000000: not among the top 5 candidates" in missing.stderr


def test_progress_goes_to_stderr_on_a_terminal_only(cli, tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)
    out = tmp_path / "c.jsonl"
    env = {**os.environ, "COLUMNS": "120"}
    session = pexpect.spawn(
        EXE,
        ["mine", str(SEEDS), "-l", str(lexicons), "--top", "5", "-o", str(out)],
        env=env,
        encoding="utf-8",
        timeout=120,
    )
    session.expect("pass 2/2: evidence")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0
    assert out.read_text(encoding="utf-8").count("\n") == 5
    piped = cli("mine", SEEDS, "-l", lexicons, "--top", "5", "-f", "jsonl")
    assert "pass 1/2" not in piped.stderr
    assert "pass 1/2" not in piped.stdout
