"""The fault list: each case a process driven into the fault at a point the test controls.

``pytest tests/test_faults.py -v`` prints one line per case. Processes are
killed once they are seen to be in the state under test (a temporary output
exists, a worker runs), never after a sleep; the timeouts below only keep a
regression from hanging the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SEEDS, TEST_LEXICON

EXE = str(Path(sys.executable).with_name("phrasefinder"))
LIMIT = 120  # seconds: a hang fails the test instead of the suite
RECORD = json.dumps({"id": "r", "text": "坚持“两个维护”，增强“四个意识”。" * 20}, ensure_ascii=False) + "\n"


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for a state of the process under test (polling; the deadline is only a guard against a hang)."""
    import time

    deadline = time.monotonic() + LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never reached: {what}")
        time.sleep(0.02)


def _scan(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "scan", *map(str, args), "-l", str(TEST_LEXICON)],
        capture_output=True, text=True, timeout=LIMIT, check=False, **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


def _workers(pid: int) -> list[int]:
    """The worker processes of a scan (its children, less multiprocessing's resource tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(c) for c in path.read_text().split()] if path.exists() else []
    return [c for c in children if b"resource_tracker" not in _cmdline(c)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_scan_killed_half_way_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "hits.jsonl"
    assert _scan(SEEDS, "-o", out).returncode == 0
    before = out.read_bytes()
    command = [EXE, "scan", "-", "--input-format", "jsonl", "-o", str(out), "-l", str(TEST_LEXICON)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        assert process.stdin is not None
        process.stdin.write(RECORD.encode() * 4000)  # more than a chunk: the first batch is written, then it waits
        process.stdin.flush()
        _until(lambda: any(p.stat().st_size > 0 for p in tmp_path.glob(".hits.jsonl.*.tmp")), "hits being written")
        process.kill()
    assert out.read_bytes() == before  # the old complete file, not a new one cut short


def test_a_full_disk_is_one_line_and_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "hits.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(RECORD * 2000, encoding="utf-8")

    def small_disk() -> None:  # writes past 64 KB fail with EFBIG, as ENOSPC would on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))

    result = _scan(corpus, "-o", out, preexec_fn=small_disk)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {out}: cannot write (File too large); the previous file, if any, is kept"
    ]
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_fifo_a_device_a_dangling_link_and_a_loop_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("坚持“两个维护”。", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    result = _scan(tmp_path, "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == [str(tmp_path / "good.txt")]
    warnings = sorted(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert warnings == [
        f"warning: {tmp_path / 'gone.txt'}: cannot read (a dangling link); skipped",
        f"warning: {tmp_path / 'loop.txt'}: cannot read (a link loop); skipped",
        f"warning: {tmp_path / 'pipe.txt'}: a FIFO, not a regular file; skipped",
        f"warning: {tmp_path / 'zero.txt'}: a device, not a regular file; skipped",
    ]


def test_a_killed_worker_stops_the_run_naming_its_input_instead_of_hanging(tmp_path: Path) -> None:
    out = tmp_path / "hits.jsonl"
    command = [EXE, "scan", "-", "--input-format", "jsonl", "-j", "2", "-o", str(out), "-l", str(TEST_LEXICON)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdin is not None
        assert process.stderr is not None
        process.stdin.write(RECORD * 4000)
        process.stdin.flush()
        _until(lambda: len(_workers(process.pid)) >= 1, "a worker running")
        os.kill(_workers(process.pid)[0], signal.SIGKILL)
        with contextlib.suppress(BrokenPipeError):  # it may have stopped reading already: that is the point
            process.stdin.close()  # the end of the input: whatever was in flight, the parent now collects it
        stderr = process.stderr.read()
        process.wait(LIMIT)
    assert process.returncode == 2
    assert "error: a worker process died (killed, or out of memory) while scanning -; the run is stopped" in stderr
    assert not out.exists()


def test_a_phrase_that_would_match_anywhere_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "short.yaml"
    lexicon.write_text("name: t\nentries:\n  - id: de\n    phrase: 的\n    category: c\n", encoding="utf-8")
    result = subprocess.run(
        [EXE, "lexicon", "check", lexicon], check=False, capture_output=True, text=True, timeout=LIMIT
    )
    assert result.returncode == 1
    assert "entry 'de': form '的' has fewer than two Han characters" in result.stdout
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "    allow_short: true\n", encoding="utf-8")
    assert (
        subprocess.run([EXE, "lexicon", "check", lexicon], check=False, capture_output=True, timeout=LIMIT).returncode
        == 0
    )


def test_a_billion_laughs_lexicon_is_refused_in_one_line_without_expanding(tmp_path: Path) -> None:
    lines = ["name: lol", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["entries:", "  - id: x", "    phrase: *a8", "    category: c"]
    lexicon = tmp_path / "laughs.yaml"
    lexicon.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def bounded() -> None:  # 10^9 strings would need tens of GB: 2 GB is far more than refusing takes
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    result = subprocess.run(
        [EXE, "lexicon", "check", lexicon],
        check=False,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        preexec_fn=bounded,
    )
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert "aliases expand to more than 4 times the file's own nodes" in line


def test_an_output_suffix_that_names_no_format_is_an_error(tmp_path: Path) -> None:
    result = _scan(SEEDS, "-o", tmp_path / "hits.xlsx")
    assert result.returncode == 2
    assert "hits.xlsx: cannot tell the output format from the name" in result.stderr
    assert not (tmp_path / "hits.xlsx").exists()


def test_a_folder_of_records_does_not_count_its_readme_as_a_document(tmp_path: Path) -> None:
    (tmp_path / "corpus.jsonl").write_text(RECORD, encoding="utf-8")
    (tmp_path / "README.md").write_text("坚持“两个维护”。", encoding="utf-8")
    result = _scan(tmp_path, "-f", "jsonl")
    assert "1 documents" in result.stderr
    assert "--include-text reads them" in result.stderr
    assert "2 documents" in _scan(tmp_path, "-f", "jsonl", "--include-text").stderr


def test_a_lexicon_file_that_is_a_link_is_written_through(cli, tmp_path: Path) -> None:
    from phrasefinder.files import atomic_write

    real = tmp_path / "real.yaml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


@pytest.fixture(scope="module")
def news_hits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hits of the dated sample corpus: enough for a report that takes a moment to build."""
    hits = tmp_path_factory.mktemp("news") / "hits.jsonl"
    news = Path(__file__).parent.parent / "examples" / "news"
    subprocess.run([EXE, "scan", news, "-o", hits], check=True, capture_output=True, timeout=LIMIT)
    return hits


def _report(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "report", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith(".lock")}


def test_report_killed_while_building_leaves_the_previous_report_whole(news_hits: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert _report(news_hits, "-o", out, "--by", "year").returncode == 0
    before = _contents(out)
    command = [EXE, "report", str(news_hits), "-o", str(out), "--by", "month"]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        _until(lambda: any(any(d.iterdir()) for d in out.glob(".report-*")), "the new report being built")
        process.kill()
    assert _contents(out) == before  # the old page and the old CSVs, not a mix
    assert _report(news_hits, "-o", out, "--by", "month").returncode == 0
    assert not list(out.glob(".report-*"))  # the next report clears what the killed one left
    assert _contents(out) != before


def test_a_report_that_would_replace_its_own_input_is_refused(news_hits: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    hits = out / "trends.csv"
    assert _scan(SEEDS, "-o", hits).returncode == 0
    before = hits.read_bytes()
    result = _report(hits, "-o", out)
    assert result.returncode == 2
    assert f"{hits}: is an input, and the report into {out} would replace it" in result.stderr
    assert hits.read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".lock")) == ["trends.csv"]
    elsewhere = tmp_path / "hits.csv"
    elsewhere.symlink_to(hits)  # the same input by another name
    assert _report(elsewhere, "-o", out).returncode == 2
    assert hits.read_bytes() == before


def test_a_second_report_into_a_folder_being_written_waits_then_says_so(news_hits: Path, tmp_path: Path) -> None:
    from filelock import FileLock

    out = tmp_path / "report"
    out.mkdir()
    with FileLock(out / ".phrasefinder-report.lock"):  # another report holds the folder
        result = _report(news_hits, "-o", out, env={**os.environ, "PHRASEFINDER_LOCK_SECONDS": "0.5"})
    assert result.returncode == 2
    assert "another phrasefinder process has held" in result.stderr
    assert not (out / "index.html").exists()
    assert _report(news_hits, "-o", out).returncode == 0  # once it is free


def test_an_unknown_entry_or_category_is_an_error_not_an_empty_report(news_hits: Path, tmp_path: Path) -> None:
    result = _report(news_hits, "-o", tmp_path / "r", "--entry", "no-such-entry")
    assert result.returncode == 2
    assert "no entry 'no-such-entry' in the lexicon set or the hits" in result.stderr
    assert not (tmp_path / "r" / "index.html").exists()
    assert "no category 'nonsense'" in _report(news_hits, "-o", tmp_path / "r", "--category", "nonsense").stderr


def test_mine_with_a_queue_it_cannot_write_still_writes_its_output(cli, tmp_path: Path) -> None:
    folder = tmp_path / "set"
    assert cli("lexicon", "init", folder).exit_code == 0
    shutil.rmtree(folder / "review")
    (folder / "review").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "candidates.jsonl"
    result = cli("mine", SEEDS, "-l", folder, "--top", "5", "-o", out)
    assert result.exit_code == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == f"error: {folder / 'review'}: cannot make the review folder (File exists)"
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_a_review_lock_held_too_long_is_one_line(tmp_path: Path) -> None:
    from filelock import FileLock

    folder = tmp_path / "set"
    subprocess.run([EXE, "lexicon", "init", folder], check=True, capture_output=True, timeout=LIMIT)
    with FileLock(folder / "review" / ".lock"):
        result = subprocess.run(
            [EXE, "review", "reject", "c-0000000000", "-l", folder], capture_output=True, text=True, timeout=LIMIT,
            check=False, env={**os.environ, "PHRASEFINDER_LOCK_SECONDS": "0.5"},
        )  # fmt: skip
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {folder}: another phrasefinder process has held")


def test_report_csvs_do_not_hand_a_spreadsheet_a_formula(tmp_path: Path) -> None:
    import csv

    corpus = tmp_path / "corpus.jsonl"
    record = {"id": "@evil", "title": '=HYPERLINK("http://x")', "text": "坚持“两个维护”。", "date": "2020-01-01"}
    corpus.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    hits = tmp_path / "hits.csv"
    assert _scan(corpus, "-o", hits).returncode == 0
    with hits.open(encoding="utf-8") as stream:
        assert next(csv.DictReader(stream))["title"] == record["title"]  # hits stay exact
    assert _report(hits, "-o", tmp_path / "r", "-l", TEST_LEXICON).returncode == 0
    with (tmp_path / "r" / "concordance.csv").open(encoding="utf-8") as stream:
        (line,) = csv.DictReader(stream)
    assert (line["title"], line["doc_id"]) == ("'" + record["title"], "'@evil")


def test_markup_newlines_and_escape_sequences_in_names_print_as_what_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\n[reverse]name\x1b[2J.txt").write_bytes(b"\x00binary")
    result = _scan(folder, "-f", "jsonl")
    warnings = [line for line in result.stderr.splitlines() if "binary" in line]
    assert warnings == [f"warning: {folder}/evil\\n[reverse]name\\x1b[2J.txt: binary file (NUL bytes); skipped"]
    assert "\x1b" not in result.stderr


def test_a_text_over_the_document_cap_is_read_in_parts_cut_at_line_ends(tmp_path: Path) -> None:
    line = "坚持“两个维护”，增强“四个意识”。\n"
    path = tmp_path / "long.txt.gz"
    import gzip

    path.write_bytes(gzip.compress((line * 2000).encode()))  # 92 KB of text behind 1 KB of gzip
    result = _scan(path, "-f", "jsonl", "--max-document-mb", "0.01")  # 10 KB parts
    assert result.returncode == 0, result.stderr
    hits = [json.loads(h) for h in result.stdout.splitlines()]
    assert len(hits) == 2 * 2000  # every hit of every line, none lost at a cut
    ids = list(dict.fromkeys(h["doc_id"] for h in hits))
    assert ids == [f"{path}#{k}" for k in range(1, len(ids) + 1)]
    assert len(ids) > 5
    assert f"{path}: over 0.01 MB (--max-document-mb); read in parts cut at line ends" in result.stderr
    wide = tmp_path / "wide.txt"
    wide.write_bytes((line * 2000).encode("utf-16"))  # a newline is two bytes: parts are cut as UTF-8
    assert len(_scan(wide, "-f", "jsonl", "--max-document-mb", "0.01").stdout.splitlines()) == 2 * 2000


def test_a_jsonl_record_over_the_cap_is_skipped_as_it_streams_by(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"id": "huge", "text": "四个意识" * 20000}, ensure_ascii=False)
    path.write_text(RECORD + huge + "\n" + RECORD + huge, encoding="utf-8")  # the last one with no line end
    result = _scan(path, "-f", "jsonl", "--max-document-mb", "0.05")
    assert {json.loads(h)["doc_id"] for h in result.stdout.splitlines()} == {"r"}
    assert "2 documents" in result.stderr
    assert f"{path}:2: a record over 0.05 MB (--max-document-mb); skipped" in result.stderr
    assert f"{path}:4: a record over 0.05 MB (--max-document-mb); skipped" in result.stderr


def test_a_csv_quote_never_closed_is_a_warning_not_a_swallowed_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('id,text\na,"坚持两个维护\nb,四个意识\nc,四个自信\n', encoding="utf-8")
    result = _scan(path, "-f", "jsonl")
    assert f"{path}:2: unreadable CSV row (a quote opened here is never closed); skipped" in result.stderr


def test_gb18030_lines_in_a_utf8_jsonl_file_are_read_in_their_own_encoding(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": f"u{i}", "text": "坚持“两个维护”。"}, ensure_ascii=False).encode() for i in range(5)]
    lines.insert(2, json.dumps({"id": "gb", "text": "增强“四个意识”。"}, ensure_ascii=False).encode("gb18030"))
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = _scan(path, "-f", "jsonl")
    assert {json.loads(h)["matched"] for h in result.stdout.splitlines() if json.loads(h)["doc_id"] == "gb"} == {
        "四个意识"
    }
    assert f"{path}:3: a gb18030 line in a utf-8 file; read as gb18030" in result.stderr


def test_a_parquet_text_column_of_the_wrong_type_is_one_warning_per_file(tmp_path: Path) -> None:
    import polars as pl

    path = tmp_path / "numbers.parquet"
    pl.DataFrame({"id": list(range(5000)), "text": list(range(5000))}).write_parquet(path)
    result = _scan(path, "-f", "jsonl")
    assert result.stderr.count("warning:") == 1
    assert f"{path}: the 'text' column holds int64, not text; skipped" in result.stderr


def test_mine_refuses_an_output_name_that_says_no_format_before_mining(cli, tmp_path: Path) -> None:
    result = cli("mine", SEEDS, "-l", TEST_LEXICON, "-o", tmp_path / "candidates.xlsx")
    assert result.exit_code == 2
    assert "candidates.xlsx: cannot tell the output format from the name" in result.stderr
    assert not (tmp_path / "candidates.xlsx").exists()
