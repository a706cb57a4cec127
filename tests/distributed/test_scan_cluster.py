"""scan on a real Dask LocalCluster: the dataset equals what one process writes, field by field."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from phrasefinder import Lexicon
from phrasefinder.distributed import hits_frame, scan_dataset

from ..conftest import ROOT, SEEDS, SHARED_CORPUS, TEST_LEXICON, run
from .conftest import read_dataset

pytestmark = pytest.mark.cluster

ROOT_LEXICONS = ROOT / "lexicons"
SMALL = 200_000  # bytes per partition: every JSONL file is cut into several ranges, every Parquet file into runs


def one_process(
    tmp_path: Path, *inputs: Path, lexicon: Path = TEST_LEXICON
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """What ``scan -f parquet`` writes on one process: hits, stats, and the warning lines."""
    hits, stats = tmp_path / "one.parquet", tmp_path / "one-stats.parquet"
    result = run("scan", *inputs, "-l", lexicon, "-o", hits, "--stats", stats)
    assert result.exit_code == 0, result.stderr
    return pl.read_parquet(hits), pl.read_parquet(stats), warnings_of(result.stderr)


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def on_cluster(address: str, tmp_path: Path, *inputs: Path, name: str = "ds", lexicon: Path = TEST_LEXICON) -> Any:
    result = run(
        "scan", *inputs, "-l", lexicon, "--scheduler", address, "-o", tmp_path / name,
        "--stats", tmp_path / f"{name}-stats", "--partition-mb", SMALL / (1 << 20),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result


def mixed_folder(folder: Path) -> Path:
    """txt, html, jsonl.gz, csv and a Parquet file of many row groups, with bad records among them."""
    pages = folder / "pages"  # texts in a folder of their own: beside records they would be a README
    pages.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        (pages / seed.name).write_bytes(seed.read_bytes())
    page = "<html><head><title>通知</title></head><body><article><p>" + "全市要增强“四个意识”，深化“放管服”改革。" * 30
    (pages / "page.html").write_text(page + "</p></article></body></html>", encoding="utf-8")
    records = [
        json.loads(line) for line in (SHARED_CORPUS / "xi_speeches_2020.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(5, "{not json")
    (folder / "speeches.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    unnamed = [json.dumps({k: v for k, v in r.items() if k != "id"}, ensure_ascii=False) for r in records]
    unnamed.insert(40, "[1, 2]")  # far into the file: in a later range, so its line number is counted
    (folder / "unnamed.jsonl").write_text("\n".join(unnamed), encoding="utf-8")  # no newline at the end
    with (folder / "reports.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "date", "text"])
        for r in records[:10]:
            writer.writerow([r["id"], "某年", r["text"]])
        writer.writerow(["short"])
    frame = pl.DataFrame(records).select("id", "date", "title", "text")
    frame.write_parquet(folder / "speeches.parquet", row_group_size=4)
    return folder


def test_the_shared_corpus_gives_the_hits_and_stats_of_one_process(cluster, tmp_path: Path) -> None:
    inputs = [SHARED_CORPUS / "gov_work_reports_provincial_2026.jsonl", SHARED_CORPUS / "xi_speeches_2020.jsonl"]
    hits, stats, warned = one_process(tmp_path, *inputs)
    result = on_cluster(cluster.scheduler_address, tmp_path, *inputs)
    partitions = int(re.search(r"\((\d+) partitions", result.stderr).group(1))
    assert partitions >= 10  # the files were cut, so line numbers across ranges were counted
    assert read_dataset(tmp_path / "ds").equals(hits)
    assert len(hits) > 100
    assert read_dataset(tmp_path / "ds-stats").equals(stats)
    assert warnings_of(result.stderr) == warned
    assert f"{len(hits):,} hits" in result.stderr


def test_a_mixed_folder_gives_the_hits_and_the_warnings_of_one_process(cluster, tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "corpus")
    hits, stats, warned = one_process(tmp_path, folder)
    assert any(":6: invalid JSON" in w for w in warned)
    assert any("expected 3 fields" in w for w in warned)
    assert any("unnamed.jsonl:41: a JSONL record must be an object" in w for w in warned)
    assert any("cannot read the date '某年'" in w for w in warned)
    result = on_cluster(cluster.scheduler_address, tmp_path, folder)
    assert read_dataset(tmp_path / "ds").equals(hits)
    assert read_dataset(tmp_path / "ds-stats").equals(stats)
    assert len(stats) == 3 + 1 + 3 * 58 + 10  # texts, the page, speeches as jsonl.gz, jsonl, Parquet; CSV rows
    assert {"txt", "html"} <= {Path(d).suffix[1:] for d in stats["doc_id"]}
    said = warnings_of(result.stderr)
    assert sorted(said) == sorted(warned)  # the same lines; only the once-a-file date note may come elsewhere
    assert [w for w in said if "cannot read the date" not in w] == [
        w for w in warned if "cannot read the date" not in w
    ]


def test_a_killed_worker_loses_and_duplicates_no_hit(cluster, client, tmp_path: Path) -> None:
    inputs = [SHARED_CORPUS / "gov_work_reports_national.jsonl"]
    hits, stats, _ = one_process(tmp_path, *inputs)
    output = tmp_path / "ds"
    pids = client.run(os.getpid)
    finished: list[Any] = []

    def scan() -> None:
        finished.append(
            scan_dataset(inputs, Lexicon.load(TEST_LEXICON), output, client=client, stats=tmp_path / "st", block=SMALL)
        )

    worker = threading.Thread(target=scan)
    worker.start()
    while not list(output.glob("part-*.parquet")) and worker.is_alive():
        worker.join(0.05)
    written_before_the_kill = len(list(output.glob("part-*.parquet")))
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    worker.join(300)
    summary = finished[0]
    assert 1 <= written_before_the_kill < summary.partitions  # the kill fell inside the run
    assert read_dataset(output).equals(hits)
    assert read_dataset(tmp_path / "st").equals(stats)
    assert summary.hits == len(hits)
    assert not list(output.glob(".*.tmp"))


def test_a_run_stopped_half_way_resumes_where_it_stopped(cluster, tmp_path: Path) -> None:
    inputs = [SHARED_CORPUS / "gov_work_reports_national.jsonl", SHARED_CORPUS / "cpc_congress_reports.jsonl"]
    hits, stats, _ = one_process(tmp_path, *inputs)
    output = tmp_path / "ds"
    command = [
        sys.executable, "-c", "from phrasefinder.cli import app; app()", "scan", *map(str, inputs), "-l", str(TEST_LEXICON),
        "--scheduler", cluster.scheduler_address, "-o", str(output), "--stats", str(tmp_path / "ds-stats"),
        "--partition-mb", str(SMALL / (1 << 20)),
    ]  # fmt: skip
    stopped = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    manifest = output / "_manifest.jsonl"
    while stopped.poll() is None and not (manifest.exists() and manifest.read_text().count("\n") >= 2):
        time.sleep(0.02)
    stopped.kill()
    stopped.wait(60)
    recorded = manifest.read_text().count("\n")
    resumed = on_cluster(cluster.scheduler_address, tmp_path, *inputs)
    skipped = int(re.search(r"([\d,]+) of [\d,]+ partitions already written", resumed.stderr).group(1))
    assert skipped >= 2
    assert skipped >= recorded - 1
    assert read_dataset(output).equals(hits)
    assert read_dataset(tmp_path / "ds-stats").equals(stats)
    (tmp_path / "bundled").mkdir()
    again = on_cluster(cluster.scheduler_address, tmp_path, *inputs, lexicon=ROOT_LEXICONS)
    assert "already written" not in again.stderr  # another lexicon: every partition scanned again
    assert read_dataset(output).equals(one_process(tmp_path / "bundled", *inputs, lexicon=ROOT_LEXICONS)[0])


def test_hits_come_back_as_a_dask_dataframe(cluster, client, tmp_path: Path) -> None:
    inputs = [SHARED_CORPUS / "xi_speeches_2020.jsonl"]
    summary = scan_dataset(inputs, Lexicon.load(TEST_LEXICON), tmp_path / "ds", client=client, block=SMALL)
    frame = hits_frame(tmp_path / "ds")
    assert frame.npartitions == summary.partitions
    computed = frame.compute().reset_index(drop=True)
    assert pl.from_pandas(computed).equals(read_dataset(tmp_path / "ds"))
    assert summary.hits == len(computed)
    assert summary.skipped == 0


def test_fsspec_urls_and_globs_name_the_same_input(client, tmp_path: Path) -> None:
    corpus = SHARED_CORPUS / "xi_speeches_2020.jsonl"
    lexicon = Lexicon.load(TEST_LEXICON)
    by_path = scan_dataset([corpus], lexicon, tmp_path / "path", client=client, block=SMALL)
    by_url = scan_dataset(
        [f"file://{SHARED_CORPUS}/xi_*_2020.jsonl"], lexicon, tmp_path / "url", client=client, block=SMALL
    )
    assert by_url == by_path
    assert read_dataset(tmp_path / "url").equals(read_dataset(tmp_path / "path"))


def test_a_terminal_sees_a_progress_bar_and_a_pipe_does_not(cluster, tmp_path: Path) -> None:
    import pexpect

    exe = str(Path(sys.executable).with_name("phrasefinder"))
    args = ["scan", str(SHARED_CORPUS / "xi_speeches_2020.jsonl"), "-l", str(TEST_LEXICON), "--partition-mb", "0.2"]
    args += ["--scheduler", cluster.scheduler_address]
    session = pexpect.spawn(
        exe, [*args, "-o", str(tmp_path / "tty")], encoding="utf-8", timeout=120, dimensions=(40, 140)
    )
    session.expect_exact("scanning")
    session.expect(pexpect.EOF)
    piped = subprocess.run(
        [exe, *args, "-o", str(tmp_path / "pipe")], capture_output=True, text=True, timeout=120, check=True
    )
    assert "scanning" not in piped.stderr
    assert "58 documents" in piped.stderr
