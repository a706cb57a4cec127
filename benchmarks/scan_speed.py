"""Scan speed: end-to-end ``phrasefinder scan`` against bare matching loops and the tools a user would reach for.

The bare pyahocorasick loop is the reference: an automaton over the lexicon's
normalized forms, run over texts normalized in advance, doing nothing with the
matches (``x bare`` is each run's speed relative to it). Beside it, measured in
the same run: the same pass with ahocorasick_rs, Python ``re`` alternation
``finditer`` over the same texts, flashtext's ``extract_keywords`` (longest
matches only) and a single-threaded Polars ``read_ndjson`` +
``str.extract_many(overlapping=True)`` raw count over the raw texts (no
normalization, so it misses traditional, spaced and glossed forms). The
end-to-end runs read the JSONL, decode, normalize, match, flag, map offsets and
write JSONL, as a user would run them; start-up is a scan of a one-line corpus
with the lexicon cache warm and phrasefinder's bytecode compiled (as an installed
package has it; an editable install under PYTHONDONTWRITEBYTECODE would compile
its sources on every run). Every row is the median of ``--repeat`` rounds, the
rows of a round run one after another, so a loaded machine slows them alike.
Peak memory is that of the largest process of a run; the corpus repeated three
times shows whether it grows with the input.

    python benchmarks/scan_speed.py [CORPUS.jsonl] [--lexicon DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from phrasefinder import Lexicon
from phrasefinder.text.normalize import normalize, normalize_phrase

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "peoples_daily_2019_2020.jsonl"
EXE = Path(sys.executable).with_name("phrasefinder")


def _forms(lexicon: Lexicon) -> list[str]:
    return sorted({normalize_phrase(surface) for entry in lexicon for surface, _ in entry.surfaces()})


def bare_loops(corpus: Path, lexicon: Lexicon) -> dict[str, Callable[[], int]]:
    """Each engine alone over pre-normalized texts: name -> a run giving its match count."""
    import re

    import ahocorasick
    import ahocorasick_rs
    from flashtext import KeywordProcessor

    texts = [normalize(json.loads(line)["text"]).text for line in corpus.open(encoding="utf-8")]
    forms = _forms(lexicon)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for index, form in enumerate(forms):
        automaton.add_word(form, index)
    automaton.make_automaton()
    rust = ahocorasick_rs.AhoCorasick(forms, implementation=ahocorasick_rs.Implementation.DFA)
    pattern = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))
    keywords = KeywordProcessor()
    keywords.add_keywords_from_list(forms)
    counts = {
        REFERENCE: lambda text: sum(1 for _ in automaton.iter(text)),
        "bare ahocorasick_rs pass": lambda text: len(rust.find_matches_as_indexes(text, overlapping=True)),
        "Python re alternation finditer": lambda text: sum(1 for _ in pattern.finditer(text)),
        "flashtext extract_keywords (longest only)": lambda text: len(keywords.extract_keywords(text)),
    }
    return {name: (lambda count=count: sum(map(count, texts))) for name, count in counts.items()}


REFERENCE = "bare pyahocorasick loop (reference)"


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


def end_to_end(corpus: Path, arguments: list[str]) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB of the largest process, and hits written, for one CLI run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hits.jsonl"
        measure = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        command = [str(EXE), "scan", str(corpus), *arguments, "-f", "jsonl", "-o", str(out)]
        done = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, check=True)
        seconds, rss_kb = done.stdout.split()
        hits = sum(1 for _ in out.open(encoding="utf-8"))
    return float(seconds), int(rss_kb) / 1024, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--lexicon", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lexicon = Lexicon.load(args.lexicon)
    lexicon_args = ["-l", str(args.lexicon)] if args.lexicon else []
    megabytes = args.corpus.stat().st_size / 1e6
    documents = sum(1 for _ in args.corpus.open(encoding="utf-8"))
    bare = bare_loops(args.corpus, lexicon)
    with tempfile.TemporaryDirectory() as tmp:
        tripled, one_line = Path(tmp) / "corpus-x3.jsonl", Path(tmp) / "one-line.jsonl"
        tripled.write_bytes(args.corpus.read_bytes() * 3)
        one_line.write_text('{"id": "1", "text": "增强“四个意识”"}\n', encoding="utf-8")
        runs: dict[str, tuple[Path, list[str]]] = {
            "phrasefinder scan -j 1": (args.corpus, [*lexicon_args, "-j", "1"]),
            "phrasefinder scan -j 2": (args.corpus, [*lexicon_args, "-j", "2"]),
            "phrasefinder scan -j 1, corpus x3": (tripled, [*lexicon_args, "-j", "1"]),
            "phrasefinder scan -j 1 --engine pyahocorasick": (
                args.corpus,
                [*lexicon_args, "--engine", "pyahocorasick"],
            ),
            "start-up: scan of a one-line corpus, cache warm": (one_line, lexicon_args),
        }
        compileall.compile_dir(ROOT / "phrasefinder", quiet=1)
        end_to_end(one_line, lexicon_args)  # fills the lexicon cache
        seconds: dict[str, list[float]] = defaultdict(list)
        peaks: dict[str, list[float]] = defaultdict(list)
        found: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, run in bare.items():
                started = time.perf_counter()
                found[name] = run()
                seconds[name].append(time.perf_counter() - started)
            polars_seconds, found[POLARS_ROW] = polars_count(args.corpus, lexicon)
            seconds[POLARS_ROW].append(polars_seconds)
            for name, (corpus, arguments) in runs.items():
                took, peak, found[name] = end_to_end(corpus, arguments)
                seconds[name].append(took)
                peaks[name].append(peak)
    median = {name: statistics.median(times) for name, times in seconds.items()}
    peak = {name: statistics.median(values) for name, values in peaks.items()}

    print(f"corpus: {args.corpus.name}, {megabytes:.1f} MB, {documents:,} documents; lexicon: {len(lexicon)} entries")
    print(f"median of {args.repeat} rounds")
    print(f"{'run':48} {'MB':>6} {'s':>7} {'MB/s':>7} {'peak MB':>8} {'x bare':>7} {'hits':>9}")
    for name, took in median.items():
        size = megabytes * (3 if "x3" in name else 0 if "one-line" in name else 1)
        rate, ratio = (
            (f"{size / took:7.1f}", f"{median[REFERENCE] / took * size / megabytes:7.2f}") if size else ("-", "-")
        )
        memory = f"{peak[name]:8.0f}" if name in peak else "-"
        print(f"{name:48} {size:6.1f} {took:7.2f} {rate:>7} {memory:>8} {ratio:>7} {found[name]:9,}")
    one, two, three = (median[f"phrasefinder scan -j {n}"] for n in ("1", "2", "1, corpus x3"))
    growth = peak["phrasefinder scan -j 1, corpus x3"] / peak["phrasefinder scan -j 1"]
    print("targets:")
    print(f"  scan -j 1 at least as fast as the bare loop (x bare >= 1.0): {median[REFERENCE] / one:.2f}")
    print(f"  -j 2 over -j 1 >= 1.8x: {one / two:.2f}x (x3 corpus takes {three / one:.2f}x the time)")
    print(f"  start-up < 0.5 s: {median['start-up: scan of a one-line corpus, cache warm']:.2f} s")
    print(f"  peak memory x3 / x1 <= 1.1: {growth:.2f}; largest process < 200 MB: {max(peak.values()):.0f} MB")


POLARS_ROW = "Polars read_ndjson+extract_many, 1 thread"


if __name__ == "__main__":
    main()
