"""Cluster scan speed: ``scan --scheduler local:N`` against ``scan -j N`` on the same corpus, in one run.

The corpus is the shared corpus repeated with unique ids until it holds ``--gb`` GB, written once as
one JSONL file and once as one Parquet file (a row group per copy of the corpus). Each configuration
runs the real CLI in a subprocess with the bundled lexicons, writing Parquet (one file for ``-j``, a
dataset for ``--scheduler``). Memory is polled every 0.1 s for every process of the run: "worker MB"
is the largest peak of any process below the CLI's own (the ``-j`` workers, the Dask worker
processes), "client MB" the CLI process itself (with ``local:N`` it also runs the scheduler). The
last line repeats ``local:2`` on ``--big-gb`` GB of JSONL: per-worker memory must not grow with it.

A second table mines ``--mine-mb`` MB of the same corpus (as JSONL) with ``mine --top 300`` on one
process and with ``--scheduler local:1`` and ``local:2``, and compares the 300 candidates (ids, scores,
every field) with the one-process run's.

    python benchmarks/distributed_speed.py [--gb 1] [--big-gb 3] [--mine-mb 100] [--repeat 1] [--only scan|mine]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
EXE = Path(sys.executable).with_name("phrasefinder")
RUNS = [("scan -j 1", ["-j", "1"]), ("scan -j 2", ["-j", "2"]), ("--scheduler local:1", ["--scheduler", "local:1"]),
        ("--scheduler local:2", ["--scheduler", "local:2"])]  # fmt: skip


def build_corpus(folder: Path, gigabytes: float, parquet_too: bool = True) -> tuple[Path, Path]:
    """The shared corpus repeated, with ids made unique per copy, as JSONL and as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = []
    for path in sorted(SHARED.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            records.append({k: record.get(k) for k in ("id", "date", "source", "title", "region", "text")})
    target = int(gigabytes * (1 << 30))
    jsonl, parquet = folder / f"corpus-{gigabytes:g}gb.jsonl", folder / f"corpus-{gigabytes:g}gb.parquet"
    written, copy = 0, 0
    schema = pa.schema([(k, pa.string()) for k in records[0]])
    with jsonl.open("w", encoding="utf-8") as lines, pq.ParquetWriter(parquet, schema) as table:
        while written < target:
            batch = [{**r, "id": f"{r['id']}~{copy}"} for r in records]
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch)
            last = written + len(text.encode("utf-8")) > target
            if last:  # the last copy in part, whole records only (a record cut in two would be a bad line)
                kept = text.encode("utf-8")[: target - written].decode("utf-8", "ignore")
                text = kept[: kept.rfind("\n") + 1]
                batch = batch[: text.count("\n")]
            lines.write(text)
            if parquet_too and batch:
                table.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(text.encode("utf-8"))
            copy += 1
            if last:
                break
    return jsonl, parquet


def measure(args: list[str]) -> tuple[float, float, float, str]:
    """Seconds, client peak MB, largest worker peak MB, and stderr of one CLI run."""
    started = time.perf_counter()
    process = subprocess.Popen([str(EXE), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    top = psutil.Process(process.pid)
    peaks: dict[int, float] = {}
    client = 0.0
    while process.poll() is None:
        try:
            client = max(client, top.memory_info().rss / 1e6)
            for child in top.children(recursive=True):
                peaks[child.pid] = max(peaks.get(child.pid, 0.0), child.memory_info().rss / 1e6)
        except psutil.Error:
            pass
        time.sleep(0.1)
    stderr = process.stderr.read() if process.stderr else ""
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr}")
    return seconds, client, max(peaks.values(), default=0.0), stderr


def hits_of(stderr: str) -> int:
    return int(re.search(r"([\d,]+) hits", stderr).group(1).replace(",", ""))


def run(corpus: Path, label: str, extra: list[str], out: Path, repeat: int) -> dict[str, object]:
    times, clients, workers, hits = [], [], [], 0
    for _ in range(repeat):
        target = out / ("hits" if "--scheduler" in extra else "hits.parquet")
        subprocess.run(["rm", "-rf", str(target)], check=True)
        seconds, client, worker, stderr = measure(["scan", str(corpus), "-o", str(target), "-f", "parquet", *extra])
        times.append(seconds)
        clients.append(client)
        workers.append(worker)
        hits = hits_of(stderr)
    seconds = statistics.median(times)
    size = corpus.stat().st_size / 1e6
    return {"run": label, "input": corpus.suffix[1:], "MB": size, "s": seconds, "MB/s": size / seconds,
            "client": max(clients), "worker": max(workers), "hits": hits}  # fmt: skip


def mine_table(work: Path, megabytes: float, repeat: int) -> None:
    """mine --top 300 on one process and on local:1 / local:2: seconds, memory, and whether the candidates agree."""
    corpus, _ = build_corpus(work, megabytes / 1024, parquet_too=False)
    lexicons = work / "lexicons"
    subprocess.run(["cp", "-r", str(ROOT / "lexicons"), str(lexicons)], check=True)
    rows, outputs = [], {}
    for label, extra in [("mine, one process", []), ("mine --scheduler local:1", ["--scheduler", "local:1"]),
                         ("mine --scheduler local:2", ["--scheduler", "local:2"])]:  # fmt: skip
        times, clients, workers = [], [], []
        for _ in range(repeat):
            subprocess.run(["rm", "-rf", str(lexicons / "review")], check=True)  # every run queues its 300 anew
            out = work / "candidates.jsonl"
            seconds, client, worker, _ = measure(
                ["mine", str(corpus), "-l", str(lexicons), "--top", "300", "-o", str(out), *extra]
            )
            times.append(seconds)
            clients.append(client)
            workers.append(worker)
            outputs[label] = out.read_text(encoding="utf-8")
        rows.append((label, statistics.median(times), max(clients), max(workers)))
    size = corpus.stat().st_size / 1e6
    print(f"{'run':28} {'MB':>7} {'s':>8} {'MB/s':>6} {'client MB':>9} {'worker MB':>9}  top 300 as one process")
    reference = outputs["mine, one process"]
    for label, seconds, client, worker in rows:
        same = outputs[label] == reference and reference.count("\n") == 300
        print(f"{label:28} {size:7,.0f} {seconds:8.1f} {size / seconds:6.2f} {client:9,.0f} {worker:9,.0f}  {same}")
    print(f"mine local:2 over one process: {rows[0][1] / rows[2][1]:.2f}x (target 1.6x); "
          f"worker peak {max(r[3] for r in rows[1:]):,.0f} MB (target under 3,000)")  # fmt: skip


def scan_table(work: Path, options: argparse.Namespace) -> None:
    """scan -j N against --scheduler local:N on the same JSONL and Parquet corpus, then local:2 on a larger one."""
    jsonl, parquet = build_corpus(work, options.gb)
    rows = [run(corpus, label, extra, work, options.repeat) for corpus in (jsonl, parquet) for label, extra in RUNS]
    big_jsonl, _ = build_corpus(work, options.big_gb, parquet_too=False)
    rows.append(run(big_jsonl, "--scheduler local:2, big", ["--scheduler", "local:2"], work, options.repeat))
    print(f"{'run':28} {'input':>7} {'MB':>7} {'s':>8} {'MB/s':>6} {'client MB':>9} {'worker MB':>9} {'hits':>11}")
    for row in rows:
        print(f"{row['run']:28} {row['input']:>7} {row['MB']:7,.0f} {row['s']:8.1f} {row['MB/s']:6.2f} "
              f"{row['client']:9,.0f} {row['worker']:9,.0f} {row['hits']:11,}")  # fmt: skip
    by = {(r["run"], r["input"]): r for r in rows}
    for fmt in ("jsonl", "parquet"):
        one, two = by[("--scheduler local:1", fmt)], by[("--scheduler local:2", fmt)]
        j2 = by[("scan -j 2", fmt)]
        same = len({by[(label, fmt)]["hits"] for label, _ in RUNS}) == 1
        print(
            f"{fmt}: local:2 over local:1 {one['s'] / two['s']:.2f}x (target 1.8x); "
            f"scheduler overhead local:2 vs -j 2 {two['s'] / j2['s'] - 1:+.0%} (target under 10%); "
            f"hits all equal: {same}"
        )
    big = rows[-1]
    small = by[("--scheduler local:2", "jsonl")]
    print(
        f"worker peak memory {big['MB']:,.0f} MB / {small['MB']:,.0f} MB of JSONL: "
        f"{big['worker'] / small['worker']:.2f}x (target: flat)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--big-gb", type=float, default=3.0)
    parser.add_argument("--mine-mb", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (the median is shown)")
    parser.add_argument("--only", choices=["scan", "mine"])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="distributed-speed-") as folder:
        if options.only != "mine":
            scan_table(Path(folder), options)
        if options.only != "scan":
            mine_table(Path(folder), options.mine_mb, options.repeat)


if __name__ == "__main__":
    main()
