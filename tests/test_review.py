from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from phrasefinder import Lexicon
from phrasefinder.lexicon import check
from phrasefinder.review import Queue

from .conftest import SEEDS, TEST_LEXICON

EXE = Path(sys.executable).with_name("phrasefinder")


@pytest.fixture
def lexicons(tmp_path: Path, cli) -> Path:
    """A copy of the test lexicon with the seeds' top 12 candidates pending."""
    folder = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, folder)
    assert cli("mine", SEEDS, "-l", folder, "--top", "12", "-f", "jsonl").exit_code == 0
    return folder


def pending(folder: Path) -> list[dict]:
    return Queue(folder).pending()


def test_accept_appends_the_entry_keeping_comments_and_logs_it(cli, lexicons: Path) -> None:
    before = (lexicons / "test.yaml").read_text(encoding="utf-8")
    candidate = pending(lexicons)[0]
    result = cli(
        "review",
        "accept",
        candidate["id"],
        "--category",
        "work-style",
        "--id",
        "wait-not",
        "--level",
        "county",
        "-l",
        lexicons,
    )
    assert result.exit_code == 0, result.stderr
    after = (lexicons / "test.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing reordered, no comment lost: the entry is appended
    assert "# A small lexicon for the tests" in after
    entry = Lexicon.load(lexicons)["wait-not"]
    assert (entry.phrase, entry.category, entry.level) == (candidate["phrase"], "work-style", "county")
    assert entry.source.startswith("mined from ")
    [decision] = Queue(lexicons).decisions()
    assert (decision["candidate"], decision["decision"], decision["entry"]) == (candidate["id"], "accepted", "wait-not")
    assert candidate["id"] not in {c["id"] for c in pending(lexicons)}


def test_accept_records_provenance_forms_and_exclusions(cli, lexicons: Path) -> None:
    candidate = pending(lexicons)[0]
    result = cli(
        "review", "accept", candidate["id"], "--category", "work-style", "--id", "p1",
        "--first-seen", "2019-03", "--source", "人民日报 2019-03-05", "--note", "seen in context",
        "--variant", candidate["phrase"] + "们", "--exclude", candidate["phrase"] + "者", "-l", lexicons,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    entry = Lexicon.load(lexicons)["p1"]
    assert (entry.first_seen, entry.source, entry.note) == ("2019-03", "人民日报 2019-03-05", "seen in context")
    assert entry.variants == (candidate["phrase"] + "们",)
    assert entry.exclude == (candidate["phrase"] + "者",)


def test_accept_rejects_a_bad_first_seen_and_changes_nothing(cli, lexicons: Path) -> None:
    before = (lexicons / "test.yaml").read_text(encoding="utf-8")
    candidate = pending(lexicons)[0]
    result = cli("review", "accept", candidate["id"], "--category", "c", "--first-seen", "2019-13", "-l", lexicons)
    assert result.exit_code == 1
    assert "first_seen" in result.stderr
    assert (lexicons / "test.yaml").read_text(encoding="utf-8") == before
    assert candidate["id"] in {c["id"] for c in pending(lexicons)}


def test_rejected_and_accepted_phrases_are_never_proposed_again(cli, lexicons: Path) -> None:
    first, second = pending(lexicons)[:2]
    assert cli("review", "reject", first["id"], "--reason", "generic", "-l", lexicons).exit_code == 0
    assert cli("review", "accept", second["id"], "--category", "c", "-l", lexicons).exit_code == 0
    again = cli("mine", SEEDS, "-l", lexicons, "--top", "40", "-f", "jsonl")
    phrases = {json.loads(line)["phrase"] for line in again.stdout.splitlines()}
    assert first["phrase"] not in phrases
    assert second["phrase"] not in phrases
    assert cli("review", "reject", first["id"], "-l", lexicons).exit_code == 2  # already decided


def test_an_accept_that_would_break_the_set_changes_nothing(cli, lexicons: Path) -> None:
    before = (lexicons / "test.yaml").read_text(encoding="utf-8")
    candidate = pending(lexicons)[0]
    result = cli("review", "accept", candidate["id"], "--category", "c", "--id", "two-upholds", "-l", lexicons)
    assert result.exit_code == 1
    assert "duplicate id 'two-upholds'" in result.stderr
    assert str(lexicons / "test.yaml") in result.stderr
    assert (lexicons / "test.yaml").read_text(encoding="utf-8") == before
    assert candidate["id"] in {c["id"] for c in pending(lexicons)}
    assert not list(lexicons.glob(".*.tmp"))


def test_accept_into_a_new_file_for_a_new_category(cli, lexicons: Path) -> None:
    candidate = pending(lexicons)[0]
    assert cli("review", "accept", candidate["id"], "--category", "slogan", "-l", lexicons).exit_code == 0
    created = lexicons / "slogan.yaml"
    assert check(lexicons) == []
    assert candidate["phrase"] in created.read_text(encoding="utf-8")


def test_a_review_killed_half_way_leaves_the_lexicon_whole(lexicons: Path) -> None:
    target = lexicons / "test.yaml"
    original = target.read_text(encoding="utf-8")
    candidates = pending(lexicons)
    outcomes = set()
    for i, candidate in enumerate(candidates[:8]):
        process = subprocess.Popen(
            [EXE, "review", "accept", candidate["id"], "--category", "governance", "--id", f"k{i}", "-l", lexicons],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.05 * i)  # kill at a different point of each run: start-up, loading, writing, done
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = target.read_text(encoding="utf-8")
        assert text.startswith(original)  # the old file, or the old file with whole entries appended
        assert check(lexicons) == []
        outcomes.add(f"id: k{i}" in text)
    assert cli_accept_works_after(lexicons, candidates[-1]["id"])
    assert not list(lexicons.glob(".*.tmp")), "the next write clears what a killed writer left"
    assert outcomes  # each run either wrote its entry whole or not at all


def cli_accept_works_after(lexicons: Path, candidate: str) -> bool:
    done = subprocess.run(
        [EXE, "review", "accept", candidate, "--category", "governance", "--id", "after-kill", "-l", lexicons],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0 and "after-kill" in {e.id for e in Lexicon.load(lexicons)}


def test_two_reviewers_at_once_lose_nothing(lexicons: Path) -> None:
    candidates = pending(lexicons)
    half = len(candidates) // 2
    scripts = []
    for who, chunk in (("alice", candidates[:half]), ("bob", candidates[half:])):
        commands = " && ".join(
            f"{EXE} review {'accept' if n % 2 == 0 else 'reject'} {c['id']} {'--category governance --id ' + who + str(n) if n % 2 == 0 else ''} -l {lexicons}"
            for n, c in enumerate(chunk)
        )
        scripts.append(subprocess.Popen(["bash", "-c", commands], env={**os.environ, "PHRASEFINDER_CURATOR": who}))
    assert [p.wait() for p in scripts] == [0, 0]
    decisions = Queue(lexicons).decisions()
    assert sorted(d["candidate"] for d in decisions) == sorted(c["id"] for c in candidates)
    assert {d["who"] for d in decisions} == {"alice", "bob"}
    assert pending(lexicons) == []
    ids = {e.id for e in Lexicon.load(lexicons)}
    accepted = {d["entry"] for d in decisions if d["decision"] == "accepted"}
    assert accepted <= ids
    assert check(lexicons) == []
