"""Scan speed: end-to-end ``phrasefinder scan`` against a bare pyahocorasick loop.

The bare loop is the ceiling: the same automaton over texts normalized in
advance, doing nothing with the matches. The end-to-end runs read the JSONL,
decode, normalize, match, flag, map offsets and write JSONL, as a user would
run them. Peak memory is that of the largest process of a run; the corpus
repeated three times shows whether it grows with the input.

    python benchmarks/scan_speed.py [CORPUS.jsonl] [--lexicon DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from phrasefinder import Lexicon, Scanner
from phrasefinder.text.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "peoples_daily_2019_2020.jsonl"
EXE = Path(sys.executable).with_name("phrasefinder")


def bare_loop(corpus: Path, lexicon: Lexicon) -> tuple[float, int, int]:
    """Seconds for the automaton alone over pre-normalized texts, documents, matches."""
    texts = [normalize(json.loads(line)["text"]).text for line in corpus.open(encoding="utf-8")]
    automaton = Scanner(lexicon)._automaton
    started = time.perf_counter()
    matches = 0
    for text in texts:
        for _ in automaton.iter(text):
            matches += 1
    return time.perf_counter() - started, len(texts), matches


def end_to_end(corpus: Path, lexicon: list[str], jobs: int) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB of the largest process, and hits written, for one CLI run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hits.jsonl"
        measure = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        command = [str(EXE), "scan", str(corpus), *lexicon, "-f", "jsonl", "-o", str(out), "-j", str(jobs)]
        done = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, check=True)
        seconds, rss_kb = done.stdout.split()
        hits = sum(1 for _ in out.open(encoding="utf-8"))
    return float(seconds), int(rss_kb) / 1024, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--lexicon", type=Path, default=None)
    args = parser.parse_args()
    lexicon = Lexicon.load(args.lexicon)
    lexicon_args = ["-l", str(args.lexicon)] if args.lexicon else []
    megabytes = args.corpus.stat().st_size / 1e6

    bare_seconds, documents, matches = bare_loop(args.corpus, lexicon)
    rows = [("bare pyahocorasick loop (ceiling)", documents, megabytes, bare_seconds, None, matches)]
    for jobs in (1, 2):
        seconds, rss, hits = end_to_end(args.corpus, lexicon_args, jobs)
        rows.append((f"phrasefinder scan -j {jobs}", documents, megabytes, seconds, rss, hits))
    with tempfile.TemporaryDirectory() as tmp:
        tripled = Path(tmp) / "corpus-x3.jsonl"
        data = args.corpus.read_bytes()
        tripled.write_bytes(data * 3)
        seconds, rss, hits = end_to_end(tripled, lexicon_args, 1)
        rows.append(("phrasefinder scan -j 1, corpus x3", documents * 3, megabytes * 3, seconds, rss, hits))

    print(f"corpus: {args.corpus.name}, {megabytes:.1f} MB, {documents:,} documents; lexicon: {len(lexicon)} entries")
    print(
        f"{'run':36} {'docs':>7} {'MB':>6} {'s':>7} {'docs/s':>8} {'MB/s':>7} {'peak MB':>8} {'x bare':>7} {'hits':>9}"
    )
    for name, docs, mb, seconds, rss, hits in rows:
        ratio = bare_seconds / seconds * (mb / megabytes)
        peak = f"{rss:8.0f}" if rss is not None else f"{'-':>8}"
        rate = f"{docs / seconds:8,.0f} {mb / seconds:7.1f}"
        print(f"{name:36} {docs:7,} {mb:6.1f} {seconds:7.2f} {rate} {peak} {ratio:7.2f} {hits:9,}")
    one, two = rows[1][3], rows[2][3]
    print(f"-j 2 speed-up over -j 1: {one / two:.2f}x; peak memory x3 corpus / x1: {rows[3][4] / rows[1][4]:.2f}")


if __name__ == "__main__":
    main()
