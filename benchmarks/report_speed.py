"""Report speed: ``phrasefinder report`` on a full scan of the shared corpus and on ~1 GB of text, against dicts.

The shared corpus is scanned once (``scan --stats``, bundled lexicons). The
large case does not rescan: the hits and the stats are repeated N times, each
copy's documents renamed ``<id>#k`` so they stay distinct, with N chosen so the
repeated stats stand for about 1 GB of UTF-8 text (the corpus's ``text``
fields, measured in bytes). Every run is a child process; peak memory is the
largest process of the run.

- ``phrasefinder report``: the full report (every CSV, the charts, both pages)
  from the Parquet hits, ``--by month``.
- ``report.build``: the tables alone, in memory (no CSV, chart or page).
- plain dicts: the hits as JSONL read line by line with ``json.loads`` into
  dicts and sets — per-entry hits, documents and first date, per-entry-per-month
  hits and documents, per-year document shares, co-occurrence pairs over
  documents — with the stats (JSONL) read for the denominators. Its per-entry
  hits, documents and first dates and its pair count are checked against the
  report's ``frequency.csv`` and ``cooccurrence.csv``.

    python benchmarks/report_speed.py [--repeat N] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
EXE = Path(sys.executable).with_name("phrasefinder")
TARGET_BYTES = 1e9
TARGET_SECONDS = 60
TARGET_MB = 2000

MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)

BUILD = """
import resource, sys, time
t = time.perf_counter()
from phrasefinder.report.tables import ReportOptions, build
from phrasefinder.scan.hitfiles import load_hits, load_stats
report = build(load_hits([sys.argv[1]]), load_stats(sys.argv[2]), ReportOptions(by="month"))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

DICTS = """
import json, resource, sys, time
from collections import Counter, defaultdict
from itertools import combinations
t = time.perf_counter()
from phrasefinder.text.dates import parse_date

hits_path, stats_path, result_path = sys.argv[1:]
dates = {}


def dated(raw):
    # (first day, ISO date as precise as known, month or None, year), parsed once per distinct text
    if raw not in dates:
        d = parse_date(raw)
        dates[raw] = None if d is None else (
            d.day, str(d), f"{d.day.year}-{d.day.month:02d}" if d.precision != "year" else None, d.day.year
        )
    return dates[raw]


seen = set()
month_documents, month_characters, year_documents = Counter(), Counter(), Counter()
characters = 0
for line in open(stats_path, encoding="utf-8"):
    row = json.loads(line)
    if row["doc_id"] in seen:
        continue
    seen.add(row["doc_id"])
    characters += row["characters"]
    when = dated(row["date"])
    if when:
        year_documents[when[3]] += 1
        if when[2]:
            month_documents[when[2]] += 1
            month_characters[when[2]] += row["characters"]
total = len(seen)
del seen

hits, documents, first = Counter(), defaultdict(set), {}
month_hits, month_docs, year_docs = Counter(), defaultdict(set), defaultdict(set)
entries_of = defaultdict(set)
counted = 0
for line in open(hits_path, encoding="utf-8"):
    hit = json.loads(line)
    if hit["boilerplate"] or hit["repeat"] or hit["kind"] != "phrase" or hit["nested"]:
        continue  # the report's default rule: the formula's own occurrences
    if hit["sense"] in ("failed", "ambiguous"):
        continue
    counted += 1
    entry, doc = hit["entry_id"], hit["doc_id"]
    hits[entry] += 1
    documents[entry].add(doc)
    entries_of[doc].add(entry)
    when = dated(hit["date"])
    if when is None:
        continue
    key = (when[0], doc, hit["start"])
    if entry not in first or key < first[entry][0]:
        first[entry] = (key, when[1])
    year_docs[entry, when[3]].add(doc)
    if when[2]:
        month_hits[entry, when[2]] += 1
        month_docs[entry, when[2]].add(doc)

pairs = Counter()
for entries in entries_of.values():
    pairs.update(combinations(sorted(entries), 2))
frequency = {
    e: (n, len(documents[e]), len(documents[e]) / total, n * 10_000 / characters, first.get(e, (None, None))[1])
    for e, n in hits.items()
}
trends = {
    (e, m): (n, len(month_docs[e, m]), n * 10_000 / month_characters[m], len(month_docs[e, m]) / month_documents[m])
    for (e, m), n in month_hits.items()
}
shares = {(e, y): len(d) / year_documents[y] for (e, y), d in year_docs.items()}
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(result_path, "w", encoding="utf-8") as out:
    frequency_rows = {e: [n, d, f] for e, (n, d, _, _, f) in frequency.items()}
    counts = {"pairs": len(pairs), "trends": len(trends), "shares": len(shares)}
    json.dump({"hits": counted, "frequency": frequency_rows, **counts}, out)
print(seconds, rss)
"""


def text_bytes(files: list[Path]) -> tuple[int, int]:
    """UTF-8 bytes and characters of the ``text`` fields of the corpus's records."""
    size = characters = 0
    for path in files:
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                text = json.loads(line).get("text") or ""
                size += len(text.encode())
                characters += len(text)
    return size, characters


def repeat(hits: Path, stats: Path, times: int, folder: Path) -> dict[str, Path]:
    """Hits and stats repeated ``times`` times with ``#k`` doc ids, as Parquet and JSONL, streamed by Polars."""
    import polars as pl

    paths = {}
    for name, source in (("hits", hits), ("stats", stats)):
        copies = [pl.scan_parquet(source).with_columns(pl.col("doc_id") + f"#{k}") for k in range(times)]
        frame = pl.concat(copies, how="vertical") if times > 1 else pl.scan_parquet(source)
        paths[f"{name}.parquet"] = folder / f"{name}.parquet"
        paths[f"{name}.jsonl"] = folder / f"{name}.jsonl"
        if times > 1:
            frame.sink_parquet(paths[f"{name}.parquet"])
        else:
            shutil.copyfile(source, paths[f"{name}.parquet"])
        frame.sink_ndjson(paths[f"{name}.jsonl"])
    return paths


def measured(command: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of a command run through the measuring wrapper."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    seconds, rss_kb = done.stdout.split()
    return float(seconds), int(rss_kb) / 1024


def child(code: str, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) a Python child process reports about itself."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    seconds, rss_kb = done.stdout.split()
    return float(seconds), int(rss_kb) / 1024


def agrees(result: Path, report: Path) -> str:
    """Whether the dict baseline found what the report wrote: per-entry hits, documents, first dates; pairs."""
    found = json.loads(result.read_text(encoding="utf-8"))
    with (report / "frequency.csv").open(encoding="utf-8") as stream:
        frequency = {
            r["entry_id"]: [int(r["hits"]), int(r["documents"]), r["first_date"] or None]
            for r in csv.DictReader(stream)
            if int(r["hits"])  # entries with member or ambiguous hits only have a row with 0 hits
        }
    counts = {}
    for name, table, column in (("pairs", "cooccurrence", "documents"), ("trends", "trends", "hits"),
                                ("shares", "intensity", "documents")):  # fmt: skip
        with (report / f"{table}.csv").open(encoding="utf-8") as stream:
            counts[name] = sum(1 for row in csv.DictReader(stream) if int(row[column]) > 0)
    same = frequency == found["frequency"] and all(found[name] == n for name, n in counts.items())
    return "same counts as report" if same else f"DIFFERS from report ({len(frequency)} entries, {counts})"


def run_case(hits: Path, stats: Path, copies: int, work: Path, *, size: int, keep: bool) -> list[tuple[Any, ...]]:
    """The three runs on the hits and stats repeated ``copies`` times: report, report.build, dicts."""
    import polars as pl

    label = f"{copies}x"
    case = work / label
    case.mkdir()
    built = time.perf_counter()
    files = repeat(hits, stats, copies, case)
    count = pl.scan_parquet(files["hits.parquet"]).select(pl.len()).collect().item()
    parquet_mb, jsonl_mb = (files[f"hits.{s}"].stat().st_size / 1e6 for s in ("parquet", "jsonl"))
    print(
        f"{label}: {count:,} hits, {parquet_mb:,.0f} MB Parquet, {jsonl_mb:,.0f} MB JSONL, "
        f"written in {time.perf_counter() - built:.1f} s"
    )
    out = case / "report"
    report = [str(EXE), "report", str(files["hits.parquet"]), "--stats", str(files["stats.parquet"])]
    seconds, rss = measured([*report, "-o", str(out), "--by", "month"])
    build_seconds, build_rss = child(BUILD, str(files["hits.parquet"]), str(files["stats.parquet"]))
    result = case / "dicts.json"
    dict_seconds, dict_rss = child(DICTS, str(files["hits.jsonl"]), str(files["stats.jsonl"]), str(result))
    text = f"{size * copies / 1e6:,.0f} MB"
    if not keep:
        for path in files.values():
            path.unlink()
    return [
        (f"phrasefinder report, {label}", text, count, seconds, rss, dict_seconds / seconds, ""),
        (
            f"report.build (tables only), {label}",
            text,
            count,
            build_seconds,
            build_rss,
            dict_seconds / build_seconds,
            "",
        ),
        (f"plain dicts, {label}", text, count, dict_seconds, dict_rss, 1.0, agrees(result, out)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=None, help="copies for the large case (default: ~1 GB of text)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder under /tmp")
    args = parser.parse_args()

    corpus = sorted(SHARED.glob("*.jsonl"))
    work = Path(tempfile.mkdtemp(prefix="report_speed-", dir="/tmp"))
    try:
        started = time.perf_counter()
        hits, stats = work / "scan-hits.parquet", work / "scan-stats.parquet"
        scan = [str(EXE), "scan", *map(str, corpus), "-j", "2", "-o", str(hits), "--stats", str(stats)]
        subprocess.run(scan, check=True, stderr=subprocess.DEVNULL)
        scanned = time.perf_counter() - started
        size, characters = text_bytes(corpus)
        times = args.repeat or math.ceil(TARGET_BYTES / size)
        print(
            f"corpus: {len(corpus)} JSONL files in {SHARED}, {size / 1e6:.1f} MB of UTF-8 text, "
            f"{characters:,} characters; scanned in {scanned:.1f} s"
        )
        print(
            f"large case: hits and stats repeated {times}x "
            f"({'--repeat' if args.repeat else 'N for ~1 GB of UTF-8 text, not 1e9 characters'}): "
            f"{size * times / 1e9:.2f} GB, {characters * times / 1e6:,.0f} M characters"
        )

        rows = [
            row
            for copies in sorted({1, times})
            for row in run_case(hits, stats, copies, work, size=size, keep=args.keep)
        ]

        print()
        print(f"{'run':36} {'text':>9} {'hits':>11} {'seconds':>8} {'peak MB':>8} {'x dicts':>8}  note")
        for name, text, count, seconds, rss, ratio, note in rows:
            print(f"{name:36} {text:>9} {count:11,} {seconds:8.1f} {rss:8.0f} {ratio:8.2f}  {note}")
        print("x dicts: the dict baseline's seconds over the run's (above 1: faster than the dicts)")
        large = rows[-3]
        met = large[3] < TARGET_SECONDS and large[4] < TARGET_MB
        print(
            f"target: {size * times / 1e9:.2f} GB of text reported in under {TARGET_SECONDS} s with under "
            f"{TARGET_MB:,} MB peak: {'met' if met else 'NOT met'} ({large[3]:.1f} s, {large[4]:,.0f} MB)"
        )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
