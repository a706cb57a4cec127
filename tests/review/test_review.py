from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from phrasefinder import Lexicon
from phrasefinder.errors import ReviewError
from phrasefinder.files import atomic_write
from phrasefinder.lexicon import validate
from phrasefinder.review.queue import Queue, accept, accept_variant, undo

from ..conftest import ROOT, SEEDS, TEST_LEXICON

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
    result = cli("review", "accept", candidate["id"], "--category", "slogan", "--level", "national", "-l", lexicons)
    assert result.exit_code == 0, result.stderr
    created = lexicons / "slogan.yaml"
    assert validate(lexicons)[1] == []
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
        assert validate(lexicons)[1] == []
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
    assert validate(lexicons)[1] == []


# The layout of the file an entry goes into: the diff must be the new entry alone.

CORE = ROOT / "lexicons" / "national" / "core.yaml"
NESTED_AT_COLUMN_2 = """\
name: nested
defaults:
  level: national
entries:
- id: nested-one
  phrase: 甲乙丙丁
  category: ideology
  variants:
  - 甲乙丙丁们
- id: nested-two
  phrase: 戊己庚辛
  category: ideology
  members:
  - 戊己
  - 庚辛
"""

SEPARATED = """\
# Column-0 entries set apart by blank lines, flow lists and single quotes, as in lexicons/national/core.yaml.
name: separated
defaults:
  level: municipal
  region: 南宁市
entries:

- id: first-one
  phrase: 甲乙丙丁
  category: ideology
  first_seen: '2016-03'

- id: second-one
  phrase: 戊己庚辛
  variants: [戊己庚辛们]
  category: ideology
"""


def lexicon_with(tmp_path: Path, name: str, text: str, *phrases: str) -> Path:
    """A lexicon folder holding one file, with one pending candidate (c-0, c-1…) per phrase."""
    folder = tmp_path / "lexicon"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(text.encode("utf-8"))
    Queue(folder)._write_pending(
        [
            {"id": f"c-{n}", "phrase": p, "score": 1.0, "examples": [{"doc_id": "doc-1"}], "signals": ["seen"]}
            for n, p in enumerate(phrases)
        ]
    )
    return folder


def appended(cli, folder: Path, name: str, *options: str) -> str:
    """Accept c-0 into ``name``; the text added to the file (which must be kept byte for byte)."""
    before = (folder / name).read_bytes()
    result = cli("review", "accept", "c-0", "--id", "new-one", "--into", folder / name, *options, "-l", folder)
    assert result.exit_code == 0, result.stderr
    after = (folder / name).read_bytes()
    assert after.startswith(before), "the old text must stay as it was, byte for byte"
    assert validate(folder)[1] == []
    return after[len(before) :].decode("utf-8")


LAYOUTS = {
    "column-0 items like core.yaml": ("core.yaml", CORE.read_text(encoding="utf-8")),
    "indented items like test.yaml": ("test.yaml", (TEST_LEXICON / "test.yaml").read_text(encoding="utf-8")),
    "column-0 items, nested lists at column 2": ("nested.yaml", NESTED_AT_COLUMN_2),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_accept_keeps_the_file_byte_for_byte_and_writes_the_entry_in_its_layout(cli, tmp_path, layout) -> None:
    name, text = LAYOUTS[layout]
    folder = lexicon_with(tmp_path, name, text, "测试提法")
    added = appended(cli, folder, name, "--category", "ideology", "--variant", "测试提法们", "--member", "测试")
    first_item = next(line for line in text.splitlines() if line.lstrip().startswith("- id:"))
    dash = first_item[: first_item.index("-")]
    assert f"\n{dash}- id: new-one\n" in "\n" + added
    assert f"\n{dash}  phrase: 测试提法\n" in added
    if layout.startswith("column-0 items, nested"):  # block lists, "-" under the key as the file has them
        assert "\n  variants:\n  - 测试提法们\n  members:\n  - 测试\n" in added


def test_accept_into_core_yaml_adds_the_entry_alone(cli, tmp_path: Path) -> None:
    folder = lexicon_with(tmp_path, "core.yaml", CORE.read_text(encoding="utf-8"), "测试提法")
    added = appended(
        cli, folder, "core.yaml", "--category", "ideology", "--level", "national", "--first-seen", "2016-03",
        "--note", "a note", "--exclude", "测试提法者", "--variant", "测试提法们", "--variant", "测试之提法",
    )  # fmt: skip
    assert added == (
        "\n"
        "- id: new-one\n"
        "  phrase: 测试提法\n"
        "  variants: [测试提法们, 测试之提法]\n"
        "  exclude: [测试提法者]\n"
        "  category: ideology\n"
        "  first_seen: '2016-03'\n"
        "  source: mined from doc-1\n"
        "  note: a note\n"
    )


def test_accept_separates_entries_by_a_blank_line_when_the_file_does(cli, tmp_path: Path) -> None:
    folder = lexicon_with(tmp_path, "separated.yaml", SEPARATED, "测试提法")
    assert appended(cli, folder, "separated.yaml", "--category", "ideology").startswith("\n- id: new-one\n")
    folder = lexicon_with(tmp_path / "t", "test.yaml", (TEST_LEXICON / "test.yaml").read_text(encoding="utf-8"), "测试")
    assert appended(cli, folder, "test.yaml", "--category", "ideology").startswith("  - id: new-one\n")


@pytest.mark.parametrize(("name", "quote"), [("separated.yaml", "'"), ("test.yaml", '"')])
def test_accept_quotes_what_safe_load_would_not_read_as_text(cli, tmp_path: Path, name: str, quote: str) -> None:
    text = SEPARATED if name == "separated.yaml" else (TEST_LEXICON / name).read_text(encoding="utf-8")
    folder = lexicon_with(tmp_path, name, text, "测试提法")
    added = appended(
        cli, folder, name, "--category", "ideology", "--first-seen", "2016-03", "--source", "132",
        "--note", "yes", "--variant", "2019-03-05",
    )  # fmt: skip
    q = quote  # the file's own quotes
    assert f"first_seen: {q}2016-03{q}\n" in added
    assert f"source: {q}132{q}\n" in added
    assert f"note: {q}yes{q}\n" in added
    assert f"variants: [{q}2019-03-05{q}]\n" in added
    [entry] = [
        e for e in yaml.safe_load((folder / name).read_text(encoding="utf-8"))["entries"] if e["id"] == "new-one"
    ]
    assert entry["variants"] == ["2019-03-05"]
    assert (entry["first_seen"], entry["source"], entry["note"]) == ("2016-03", "132", "yes")


def test_accept_leaves_out_what_the_file_defaults_say(cli, tmp_path: Path) -> None:
    folder = lexicon_with(tmp_path, "separated.yaml", SEPARATED, "测试提法")
    added = appended(cli, folder, "separated.yaml", "--category", "c", "--level", "municipal", "--region", "南宁市")
    assert "level" not in added
    assert "region" not in added
    entry = Lexicon.load(folder)["new-one"]
    assert (entry.level, entry.region) == ("municipal", "南宁市")
    folder = lexicon_with(tmp_path / "t", "test.yaml", (TEST_LEXICON / "test.yaml").read_text(encoding="utf-8"), "测试")
    assert "level" not in appended(cli, folder, "test.yaml", "--category", "c", "--level", "national")
    folder = lexicon_with(tmp_path / "p", "separated.yaml", SEPARATED, "测试提法")
    added = appended(cli, folder, "separated.yaml", "--category", "c", "--level", "provincial", "--region", "广西")
    assert "  level: provincial\n  region: 广西\n" in added


def test_accept_writes_the_fields_in_the_files_order_and_lists_as_it_does(cli, tmp_path: Path) -> None:
    folder = lexicon_with(tmp_path, "test.yaml", (TEST_LEXICON / "test.yaml").read_text(encoding="utf-8"), "测试提法")
    added = appended(
        cli, folder, "test.yaml", "--note", "n", "--source", "s", "--first-seen", "2016", "--region", "北京市",
        "--level", "provincial", "--category", "c", "--exclude", "测试提法者", "--member", "测试",
        "--variant", "测试提法们", "--phrase", "测试提法",
    )  # fmt: skip
    keys = [line.split(":")[0].strip(" -") for line in added.splitlines()]
    assert keys == "id phrase variants members exclude category level region first_seen source note".split()  # noqa: SIM905
    assert "    variants: [测试提法们]\n    members: [测试]\n    exclude: [测试提法者]\n" in added
    folder = lexicon_with(tmp_path / "block", "nested.yaml", NESTED_AT_COLUMN_2, "测试提法")
    added = appended(
        cli, folder, "nested.yaml", "--category", "c", "--exclude", "测试提法者", "--variant", "测试提法们"
    )
    assert "  variants:\n  - 测试提法们\n  exclude:\n  - 测试提法者\n  category: c\n" in added


def test_accept_then_undo_gives_back_core_yaml_byte_for_byte(tmp_path: Path) -> None:
    original = CORE.read_bytes()
    folder = lexicon_with(tmp_path, "core.yaml", original.decode("utf-8"), "测试提法")
    queue = Queue(folder)
    accept(queue, [folder], "c-0", category="ideology", variants=["测试提法们"], first_seen="2016-03")
    assert (folder / "core.yaml").read_bytes() != original
    undo(queue, [folder], "c-0")
    assert (folder / "core.yaml").read_bytes() == original


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask_022")
def test_rewritten_files_keep_their_mode_and_new_ones_get_the_umasks(cli, tmp_path: Path) -> None:
    folder = lexicon_with(
        tmp_path, "test.yaml", (TEST_LEXICON / "test.yaml").read_text(encoding="utf-8"), "测试", "测二"
    )
    queue = Queue(folder)
    assert stat.S_IMODE(queue.pending_path.stat().st_mode) == 0o644  # a new file: 0666 less the umask
    (folder / "test.yaml").chmod(0o664)
    queue.pending_path.chmod(0o640)
    assert cli("review", "accept", "c-0", "--category", "c", "-l", folder).exit_code == 0
    assert stat.S_IMODE((folder / "test.yaml").stat().st_mode) == 0o664
    assert stat.S_IMODE(queue.pending_path.stat().st_mode) == 0o640
    assert stat.S_IMODE(queue.decisions_path.stat().st_mode) == 0o644
    atomic_write(tmp_path / "new.txt", "text")
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


@pytest.mark.parametrize("where", ["group", "command"])
def test_review_works_on_the_lexicon_set_named_with_l(cli, lexicons: Path, where: str) -> None:
    bundled = Queue.of(None)
    before = bundled.pending_path.read_bytes() if bundled.pending_path.exists() else b""
    candidate = pending(lexicons)[0]
    listing = cli("review", "-l", lexicons, "list") if where == "group" else cli("review", "list", "-l", lexicons)
    assert listing.exit_code == 0, listing.stderr
    assert candidate["id"] in listing.stdout
    assert str(lexicons / "review" / "pending.jsonl") in listing.stderr
    args = ("review", "-l", lexicons, "reject", candidate["id"]) if where == "group" else (
        "review", "reject", candidate["id"], "-l", lexicons)  # fmt: skip
    assert cli(*args).exit_code == 0
    assert candidate["id"] not in {c["id"] for c in pending(lexicons)}
    assert (bundled.pending_path.read_bytes() if bundled.pending_path.exists() else b"") == before  # untouched


@pytest.mark.parametrize("name", ["pending.jsonl", "decisions.jsonl"])
def test_a_corrupt_queue_file_is_one_line_naming_file_and_line(cli, lexicons: Path, name: str) -> None:
    path = lexicons / "review" / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    path.write_text("\n".join([*lines[:1], '{"id": "c-1", "phrase": ', *lines[1:]]) + "\n", encoding="utf-8")
    broken = min(2, len(lines) + 1)
    readers = [("mine", SEEDS, "-l", lexicons, "-f", "jsonl")]  # mine reads both: the queue and what was decided
    if name == "pending.jsonl":
        readers.append(("review", "list", "-l", lexicons))
    for args in readers:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.strip().splitlines() == [
            f"error: {path}:{broken}: not a JSON record (Expecting value at column 25); mend or remove the line"
        ]


# The CLI with the process killed at one of a decision's writes: before the lexicon file, before the log,
# or before the queue rewrite (each is reached only once the write before it is on disk).
KILLED_AT = """
import os, signal, sys
import phrasefinder.review.queue as queue
point = sys.argv.pop(1)
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if point == "lexicon":
    queue.append_entry = queue.remove_entry = queue.add_variant = queue.remove_variant = die
elif point == "log":
    queue._append = die
else:
    queue.Queue._write_pending = die
from phrasefinder.cli import app
sys.argv[0] = "phrasefinder"
app()
"""


def _killed_at(point: str, *args: object) -> None:
    command = [sys.executable, "-c", KILLED_AT, point, *map(str, args)]
    result = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr


@pytest.mark.parametrize("point", ["lexicon", "log", "queue"])
def test_an_accept_killed_between_its_writes_is_finished_or_dropped_by_the_next_command(
    cli, lexicons: Path, point: str
) -> None:
    candidate = pending(lexicons)[0]
    _killed_at(point, "review", "accept", candidate["id"], "--category", "c", "--id", "killed-one", "-l", lexicons)
    assert (lexicons / "review" / "intent.json").exists()
    assert cli("review", "list", "-l", lexicons).exit_code == 0  # the next command, reading only
    assert not (lexicons / "review" / "intent.json").exists()
    in_lexicon = "killed-one" in {e.id for e in Lexicon.load(lexicons)}
    decided = [d["decision"] for d in Queue(lexicons).decisions() if d["candidate"] == candidate["id"]]
    still_pending = candidate["id"] in {c["id"] for c in pending(lexicons)}
    if point == "lexicon":  # nothing had been written: the accept never happened
        assert (in_lexicon, decided, still_pending) == (False, [], True)
    else:  # the entry was in the lexicon: the decision is finished
        assert (in_lexicon, decided, still_pending) == (True, ["accepted"], False)
    assert not list((lexicons / "review").glob(".*.tmp"))


@pytest.mark.parametrize("point", ["lexicon", "log", "queue"])
def test_an_undo_killed_between_its_writes_leaves_the_three_files_agreeing(cli, lexicons: Path, point: str) -> None:
    candidate = pending(lexicons)[0]
    assert cli("review", "accept", candidate["id"], "--category", "c", "--id", "undo-me", "-l", lexicons).exit_code == 0
    _killed_at(point, "review", "undo", candidate["id"], "-l", lexicons)
    assert cli("review", "list", "-l", lexicons).exit_code == 0
    in_lexicon = "undo-me" in {e.id for e in Lexicon.load(lexicons)}
    standing = Queue(lexicons).standing().get(candidate["id"], {}).get("decision")
    still_pending = candidate["id"] in {c["id"] for c in pending(lexicons)}
    if point == "lexicon":
        assert (in_lexicon, standing, still_pending) == (True, "accepted", False)
    else:
        assert (in_lexicon, standing, still_pending) == (False, None, True)


def test_a_cut_short_accept_is_finished_by_a_command_run_from_another_folder(cli, lexicons: Path) -> None:
    candidate = pending(lexicons)[0]
    command = [sys.executable, "-c", KILLED_AT, "log", "review", "accept", candidate["id"], "--category", "c"]
    command += ["--id", "elsewhere", "-l", lexicons.name]  # a relative path, from the set's parent folder
    killed = subprocess.run(command, cwd=lexicons.parent, capture_output=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    finish = [EXE, "review", "list", "-l", lexicons]
    assert subprocess.run(finish, cwd="/", capture_output=True, timeout=120, check=False).returncode == 0
    assert "elsewhere" in {e.id for e in Lexicon.load(lexicons)}
    assert [d["decision"] for d in Queue(lexicons).decisions() if d["candidate"] == candidate["id"]] == ["accepted"]
    assert candidate["id"] not in {c["id"] for c in pending(lexicons)}


# Accepting a candidate as a variant of a known entry: its phrase joins that entry's variants.


def variant_candidate(folder: Path) -> dict:
    """The pending candidate ``mine`` found to be a form of a known entry (文明城, of 全国文明城市)."""
    [candidate] = [c for c in pending(folder) if c.get("variant_of")][:1]
    assert (candidate["phrase"], candidate["variant_of"]) == ("文明城", "national-civilized-city")
    return candidate


def test_accept_as_variant_adds_the_form_to_its_entry_and_the_scanner_finds_it(cli, lexicons: Path, tmp_path) -> None:
    before = (lexicons / "test.yaml").read_text(encoding="utf-8")
    candidate = variant_candidate(lexicons)
    result = cli("review", "accept", candidate["id"], "--as-variant-of", "national-civilized-city", "-l", lexicons)
    assert result.exit_code == 0, result.stderr
    target = lexicons / "test.yaml"
    assert result.stdout == (
        f"accepted {candidate['id']} as a variant of 'national-civilized-city' (全国文明城市) in {target}\n"
    )
    after = target.read_text(encoding="utf-8")
    assert after == before.replace("    phrase: 全国文明城市\n", "    phrase: 全国文明城市\n    variants: [文明城]\n")
    assert "# A small lexicon for the tests" in after
    assert "# any separator matches" in after
    assert Lexicon.load(lexicons)["national-civilized-city"].variants == ("文明城",)
    [decision] = Queue(lexicons).decisions()
    assert (decision["decision"], decision["variant_of"], decision["form"], decision["file"]) == (
        "accepted", "national-civilized-city", "文明城", str(target)
    )  # fmt: skip
    assert "entry" not in decision  # no new entry: an undo must not take the whole entry out
    assert candidate["id"] not in {c["id"] for c in pending(lexicons)}
    document = tmp_path / "doc.txt"
    document.write_text("今年我们继续创建文明城。", encoding="utf-8")
    scanned = cli("scan", document, "-l", lexicons, "-f", "jsonl")
    assert scanned.exit_code == 0, scanned.stderr
    [hit] = [json.loads(line) for line in scanned.stdout.splitlines()]
    assert (hit["entry_id"], hit["matched"]) == ("national-civilized-city", "文明城")
    again = cli("mine", SEEDS, "-l", lexicons, "--top", "40", "-f", "jsonl")
    assert "文明城" not in {json.loads(line)["phrase"] for line in again.stdout.splitlines()}


def test_review_list_shows_the_entry_a_candidate_is_a_form_of(cli, lexicons: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # wide enough for the entry id on one line
    variant_candidate(lexicons)
    result = cli("review", "list", "-l", lexicons)
    assert result.exit_code == 0, result.stderr
    assert "variant of" in result.stdout
    [row] = [line for line in result.stdout.splitlines() if "文明城" in line and "全国" not in line]
    assert row.split()[-1] == "national-civilized-city"


def test_undo_of_a_variant_takes_out_the_form_alone_byte_for_byte(cli, lexicons: Path) -> None:
    original = (lexicons / "test.yaml").read_bytes()
    candidate = variant_candidate(lexicons)
    assert (
        cli("review", "accept", candidate["id"], "--as-variant-of", "national-civilized-city", "-l", lexicons).exit_code
        == 0
    )
    result = cli("review", "undo", candidate["id"], "-l", lexicons)
    assert result.exit_code == 0, result.stderr
    assert (lexicons / "test.yaml").read_bytes() == original
    assert "national-civilized-city" in {e.id for e in Lexicon.load(lexicons)}
    assert candidate["id"] in {c["id"] for c in pending(lexicons)}
    assert Queue(lexicons).standing() == {}


# (file, entry, the lines the variants held before and after 测试提法 joined them)
VARIANT_LAYOUTS = {
    "a [...] list in core.yaml": (
        "core.yaml", CORE.read_text(encoding="utf-8"), "xi-thought",
        "  variants: [新时代中国特色社会主义思想]\n", "  variants: [新时代中国特色社会主义思想, 测试提法]\n",
    ),
    "a block list in core.yaml, nested at column 4": (
        "core.yaml", CORE.read_text(encoding="utf-8"), "double-hundred-policy",
        "  variants:\n    - 双百方针\n", "  variants:\n    - 双百方针\n    - 测试提法\n",
    ),
    "a block list nested at column 2": (
        "nested.yaml", NESTED_AT_COLUMN_2, "nested-one",
        "  variants:\n  - 甲乙丙丁们\n", "  variants:\n  - 甲乙丙丁们\n  - 测试提法\n",
    ),
    "no variants yet, in a file of [...] lists": (
        "separated.yaml", SEPARATED, "first-one",
        "  phrase: 甲乙丙丁\n", "  phrase: 甲乙丙丁\n  variants: [测试提法]\n",
    ),
    "a comment after the list": (
        "separated.yaml", SEPARATED.replace("[戊己庚辛们]", "[戊己庚辛们]   # the plural"), "second-one",
        "[戊己庚辛们]   # the plural\n", "[戊己庚辛们, 测试提法]   # the plural\n",
    ),
}  # fmt: skip


@pytest.mark.parametrize("layout", VARIANT_LAYOUTS)
def test_accept_as_variant_changes_the_variants_lines_alone_and_undo_gives_the_file_back(cli, tmp_path, layout) -> None:
    name, text, entry_id, lines_before, lines_after = VARIANT_LAYOUTS[layout]
    assert text.count(lines_before) >= 1
    folder = lexicon_with(tmp_path, name, text, "测试提法")
    original = (folder / name).read_bytes()
    result = cli("review", "accept", "c-0", "--as-variant-of", entry_id, "-l", folder)
    assert result.exit_code == 0, result.stderr
    start = text.index(f"id: {entry_id}\n")
    expected = text[:start] + text[start:].replace(lines_before, lines_after, 1)
    assert (folder / name).read_text(encoding="utf-8") == expected
    assert "测试提法" in Lexicon.load(folder)[entry_id].variants
    assert cli("review", "undo", "c-0", "-l", folder).exit_code == 0
    assert (folder / name).read_bytes() == original


def test_accept_as_variant_takes_an_edited_phrase(cli, lexicons: Path) -> None:
    candidate = variant_candidate(lexicons)
    options = ("--as-variant-of", "national-civilized-city", "--phrase", "全国文明城")
    assert cli("review", "accept", candidate["id"], *options, "-l", lexicons).exit_code == 0
    assert Lexicon.load(lexicons)["national-civilized-city"].variants == ("全国文明城",)
    assert Queue(lexicons).decisions()[0]["form"] == "全国文明城"


VARIANT_ERRORS = {
    "an unknown entry": (("--as-variant-of", "no-such-entry"), "no entry 'no-such-entry' in "),
    "a form of that entry already": (
        ("--as-variant-of", "national-civilized-city", "--phrase", "全国文明城市"),
        "'全国文明城市' is already a form of 'national-civilized-city' (",
    ),
    "a form of another entry": (
        ("--as-variant-of", "national-civilized-city", "--phrase", "四城共建"),
        "'四城共建' is already a form of 'four-cities' (",
    ),
    "a form of another entry once normalized": (
        ("--as-variant-of", "national-civilized-city", "--phrase", "习近平新时代中国特色社会主义思想"),
        "is already a form of 'xi-thought' (",
    ),
    "fields of a new entry": (
        ("--as-variant-of", "national-civilized-city", "--category", "x", "--id", "y"),
        "--category, --id: fields of a new entry; --as-variant-of adds a form to an entry that exists",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", VARIANT_ERRORS)
def test_a_variant_accept_that_cannot_be_done_is_one_line_and_changes_nothing(cli, lexicons: Path, case) -> None:
    options, message = VARIANT_ERRORS[case]
    candidate = variant_candidate(lexicons)
    before = {p: p.read_bytes() for p in lexicons.rglob("*") if p.is_file()}
    result = cli("review", "accept", candidate["id"], *options, "-l", lexicons)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: "), line
    assert message in line, line
    assert {p: p.read_bytes() for p in lexicons.rglob("*") if p.is_file()} == before


def test_a_candidate_found_a_form_of_no_entry_needs_one_named(lexicons: Path) -> None:
    [candidate] = [c for c in pending(lexicons) if not c.get("variant_of")][:1]
    before = (lexicons / "test.yaml").read_bytes()
    with pytest.raises(ReviewError, match=f"^{candidate['id']}: not found to be a form of any entry; name the entry"):
        accept_variant(Queue(lexicons), [lexicons], candidate["id"])
    assert (lexicons / "test.yaml").read_bytes() == before
    assert Queue(lexicons).decisions() == []


@pytest.mark.parametrize("point", ["lexicon", "log", "queue"])
def test_a_variant_accept_killed_between_its_writes_is_finished_or_dropped(cli, lexicons: Path, point: str) -> None:
    original = (lexicons / "test.yaml").read_bytes()
    candidate = variant_candidate(lexicons)
    _killed_at(point, "review", "accept", candidate["id"], "--as-variant-of", "national-civilized-city", "-l", lexicons)
    assert cli("review", "list", "-l", lexicons).exit_code == 0
    assert not (lexicons / "review" / "intent.json").exists()
    variants = Lexicon.load(lexicons)["national-civilized-city"].variants
    decided = [d["decision"] for d in Queue(lexicons).decisions() if d["candidate"] == candidate["id"]]
    still_pending = candidate["id"] in {c["id"] for c in pending(lexicons)}
    if point == "lexicon":
        assert (variants, decided, still_pending) == ((), [], True)
        assert (lexicons / "test.yaml").read_bytes() == original
    else:
        assert (variants, decided, still_pending) == (("文明城",), ["accepted"], False)


@pytest.mark.parametrize("point", ["lexicon", "log", "queue"])
def test_a_variant_undo_killed_between_its_writes_leaves_the_three_files_agreeing(cli, lexicons: Path, point) -> None:
    original = (lexicons / "test.yaml").read_bytes()
    candidate = variant_candidate(lexicons)
    options = ("--as-variant-of", "national-civilized-city", "-l", lexicons)
    assert cli("review", "accept", candidate["id"], *options).exit_code == 0
    _killed_at(point, "review", "undo", candidate["id"], "-l", lexicons)
    assert cli("review", "list", "-l", lexicons).exit_code == 0
    standing = Queue(lexicons).standing().get(candidate["id"], {}).get("decision")
    still_pending = candidate["id"] in {c["id"] for c in pending(lexicons)}
    if point == "lexicon":
        assert (standing, still_pending) == ("accepted", False)
        assert Lexicon.load(lexicons)["national-civilized-city"].variants == ("文明城",)
    else:
        assert (standing, still_pending) == (None, True)
        assert (lexicons / "test.yaml").read_bytes() == original
