"""The interactive review, driven through a real pseudo-terminal as a curator would."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pexpect

from phrasefinder import Lexicon
from phrasefinder.review.queue import Queue

from ..conftest import SEEDS, TEST_LEXICON

EXE = str(Path(sys.executable).with_name("phrasefinder"))


def test_reject_accept_skip_undo_and_quit_by_single_keys(cli, tmp_path: Path) -> None:
    folder = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, folder)
    original = (folder / "test.yaml").read_text(encoding="utf-8")
    assert cli("mine", SEEDS, "-l", folder, "--top", "4", "-f", "jsonl").exit_code == 0
    first, second, third, _ = Queue(folder).pending()

    session = pexpect.spawn(EXE, ["review", "-l", str(folder)], encoding="utf-8", timeout=30, dimensions=(40, 140))
    session.expect_exact(first["phrase"])
    session.expect_exact("uit")
    session.send("r")
    session.expect_exact("reason")
    session.sendline("generic")
    session.expect_exact(second["phrase"])
    session.send("a")
    session.expect_exact("category")
    session.sendline("governance")
    session.expect_exact("id")
    session.sendline("accepted-one")
    session.expect_exact("level")
    session.sendline("municipal")
    session.expect_exact("region")
    session.sendline("南宁市")
    session.expect_exact("into")
    session.sendline("")
    session.expect_exact("accepted as accepted-one")
    session.expect_exact(third["phrase"])
    session.send("s")  # skip: stays pending, not decided
    session.expect_exact("pending")
    session.send("u")  # undo the accept: the entry leaves the lexicon, the candidate is pending again
    session.expect_exact(f"undone: {second['id']}")
    session.send("q")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0

    decisions = [(d["candidate"], d["decision"]) for d in Queue(folder).decisions()]
    assert decisions == [(first["id"], "rejected"), (second["id"], "accepted"), (second["id"], "undone")]
    assert Queue(folder).decisions()[0]["reason"] == "generic"
    assert {c["id"] for c in Queue(folder).pending()} == {second["id"], third["id"], _["id"]}
    assert (folder / "test.yaml").read_text(encoding="utf-8") == original
    assert "accepted-one" not in {e.id for e in Lexicon.load(folder)}


def test_review_without_a_terminal_points_to_the_scriptable_commands(cli) -> None:
    result = cli("review")
    assert result.exit_code == 2
    assert "review list" in result.stderr


def test_v_accepts_a_form_of_a_known_entry_as_its_variant(cli, tmp_path: Path) -> None:
    folder = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, folder)
    original = (folder / "test.yaml").read_bytes()
    assert cli("mine", SEEDS, "-l", folder, "--top", "12", "-f", "jsonl").exit_code == 0
    waiting = Queue(folder).pending()
    at = next(n for n, c in enumerate(waiting) if c.get("variant_of"))
    assert at > 0, "the first candidate must be one that is a form of no entry"
    form = waiting[at]

    session = pexpect.spawn(EXE, ["review", "-l", str(folder)], encoding="utf-8", timeout=30, dimensions=(40, 140))
    session.expect_exact(waiting[0]["phrase"])
    session.expect_exact("uit")
    assert "ariant of" not in session.before  # offered only for a form of a known entry (keys are in bold)
    session.send("v")  # pressed anyway: the curator is told why not, and nothing is decided
    session.expect_exact(f"{waiting[0]['id']}: not found to be a form of any entry")  # after a red 'not done:'
    for _ in waiting[:at]:
        session.expect_exact("uit")
        session.send("s")
    session.expect_exact(form["phrase"])
    session.expect_exact("ariant of 'national-civilized-city'")
    session.send("v")
    session.expect_exact(f"accepted as a variant of national-civilized-city in {folder / 'test.yaml'}")
    assert Lexicon.load(folder)["national-civilized-city"].variants == ("文明城",)
    session.send("u")
    session.expect_exact(f"undone: {form['id']} is pending again")
    session.send("q")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0

    decisions = [(d["candidate"], d["decision"], d.get("variant_of")) for d in Queue(folder).decisions()]
    assert decisions == [(form["id"], "accepted", "national-civilized-city"), (form["id"], "undone", None)]
    assert (folder / "test.yaml").read_bytes() == original
