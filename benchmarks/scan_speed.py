"""Scan speed: end-to-end ``phrasefinder scan`` against bare matching loops and the tools a user would reach for.

The bare pyahocorasick loop is the reference: an automaton over the lexicon's
normalized forms, run over texts normalized in advance, doing nothing with the
matches (``x bare`` is each run's speed relative to it). Beside it, measured in
the same run: the same pass with ahocorasick_rs, Python ``re`` alternation
``finditer`` over the same texts, and a single-threaded Polars ``read_ndjson``
+ ``str.extract_many(overlapping=True)`` raw count over the raw texts (no
normalization, so it misses traditional, spaced and glossed forms). The end-to-end runs read the JSONL,
decode, normalize, match, flag, map offsets and write JSONL, as a user would
run them. Peak memory is that of the largest process of a run; the corpus
repeated three times shows whether it grows with the input.

    python benchmarks/scan_speed.py [CORPUS.jsonl] [--lexicon DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from phrasefinder import Lexicon
from phrasefinder.text.normalize import normalize, normalize_phrase

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "peoples_daily_2019_2020.jsonl"
EXE = Path(sys.executable).with_name("phrasefinder")


def _forms(lexicon: Lexicon) -> list[str]:
    return sorted({normalize_phrase(surface) for entry in lexicon for surface, _ in entry.surfaces()})


def bare_loops(corpus: Path, lexicon: Lexicon) -> list[tuple[str, float, int]]:
    """(name, seconds, matches) of each engine alone over pre-normalized texts."""
    import re

    import ahocorasick
    import ahocorasick_rs

    texts = [normalize(json.loads(line)["text"]).text for line in corpus.open(encoding="utf-8")]
    forms = _forms(lexicon)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for index, form in enumerate(forms):
        automaton.add_word(form, index)
    automaton.make_automaton()
    rust = ahocorasick_rs.AhoCorasick(forms, implementation=ahocorasick_rs.Implementation.DFA)
    pattern = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))
    runs = {
        "bare pyahocorasick loop (reference)": lambda text: sum(1 for _ in automaton.iter(text)),
        "bare ahocorasick_rs pass": lambda text: len(rust.find_matches_as_indexes(text, overlapping=True)),
        "Python re alternation finditer": lambda text: sum(1 for _ in pattern.finditer(text)),
    }
    results = []
    for name, count in runs.items():
        started = time.perf_counter()
        matches = sum(count(text) for text in texts)
        results.append((name, time.perf_counter() - started, matches))
    return results


POLARS = """
import sys, time, polars as pl
forms = sys.stdin.read().split("\\n")
t = time.perf_counter()
texts = pl.read_ndjson(sys.argv[1], schema={"text": pl.String})["text"]
n = texts.str.extract_many(forms, overlapping=True).list.len().sum()
print(time.perf_counter() - t, n)
"""


def polars_count(corpus: Path, lexicon: Lexicon) -> tuple[float, int]:
    """Seconds and raw matches of Polars on one thread, reading included."""
    env = {**os.environ, "POLARS_MAX_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", POLARS, str(corpus)], input="\n".join(_forms(lexicon)),
                          capture_output=True, text=True, check=True, env=env)  # fmt: skip
    seconds, matches = done.stdout.split()
    return float(seconds), int(matches)


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

    bare = bare_loops(args.corpus, lexicon)
    bare_seconds = bare[0][1]
    documents = sum(1 for _ in args.corpus.open(encoding="utf-8"))
    rows = [(name, documents, megabytes, seconds, None, matches) for name, seconds, matches in bare]
    seconds, matches = polars_count(args.corpus, lexicon)
    rows.append(("Polars read_ndjson+extract_many, 1 thread", documents, megabytes, seconds, None, matches))
    first = len(rows)
    for jobs in (1, 2):
        seconds, rss, hits = end_to_end(args.corpus, lexicon_args, jobs)
        rows.append((f"phrasefinder scan -j {jobs}", documents, megabytes, seconds, rss, hits))
    with tempfile.TemporaryDirectory() as tmp:
        tripled = Path(tmp) / "corpus-x3.jsonl"
        data = args.corpus.read_bytes()
        tripled.write_bytes(data * 3)
        seconds, rss, hits = end_to_end(tripled, lexicon_args, 1)
        rows.append(("phrasefinder scan -j 1, corpus x3", documents * 3, megabytes * 3, seconds, rss, hits))
    rows.append(("phrasefinder scan -j 1 --engine pyahocorasick", documents, megabytes,
                 *end_to_end(args.corpus, [*lexicon_args, "--engine", "pyahocorasick"], 1)))  # fmt: skip

    print(f"corpus: {args.corpus.name}, {megabytes:.1f} MB, {documents:,} documents; lexicon: {len(lexicon)} entries")
    print(
        f"{'run':46} {'docs':>7} {'MB':>6} {'s':>7} {'docs/s':>8} {'MB/s':>7} {'peak MB':>8} {'x bare':>7} {'hits':>9}"
    )
    for name, docs, mb, seconds, rss, hits in rows:
        ratio = bare_seconds / seconds * (mb / megabytes)
        peak = f"{rss:8.0f}" if rss is not None else f"{'-':>8}"
        rate = f"{docs / seconds:8,.0f} {mb / seconds:7.1f}"
        print(f"{name:46} {docs:7,} {mb:6.1f} {seconds:7.2f} {rate} {peak} {ratio:7.2f} {hits:9,}")
    one, two, three = rows[first], rows[first + 1], rows[first + 2]
    print(f"-j 2 speed-up over -j 1: {one[3] / two[3]:.2f}x; peak memory x3 corpus / x1: {three[4] / one[4]:.2f}")


if __name__ == "__main__":
    main()
