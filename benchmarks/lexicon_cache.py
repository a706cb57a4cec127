"""Start-up with a large lexicon: every command, cold (cache off) and warm (the cached set), against a tiny set.

A set of N random entries (4-8 Han characters each, a category and a level)
is written as one YAML file. Each case runs ``phrasefinder scan`` on one seed
document as a child process, the cases interleaved, ``--repeat`` times; the
table gives the median wall time and peak memory. The cache lives in a fresh
private folder; "cold" runs with ``PHRASEFINDER_CACHE=off``.

    python benchmarks/lexicon_cache.py [--entries 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("phrasefinder")
DOCUMENT = next((ROOT / "examples" / "corpus").glob("000_*.txt"))


def write_lexicon(folder: Path, entries: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    han = [chr(c) for c in range(0x4E00, 0x9FA5)]
    phrases: set[str] = set()
    while len(phrases) < entries:
        phrases.add("".join(rng.choices(han, k=rng.randint(4, 8))))
    lines = ["name: big", "entries:"]
    for i, phrase in enumerate(sorted(phrases)):
        lines.append(f"- id: e{i}\n  phrase: {phrase}\n  category: c{i % 17}\n  level: national")
    (folder / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(lexicon: Path, cache: str) -> tuple[float, float]:
    """Wall seconds and peak MB of one scan in a child process."""
    env = {**os.environ, "PHRASEFINDER_CACHE": cache}
    started = time.perf_counter()
    with subprocess.Popen([EXE, "scan", DOCUMENT, "-l", lexicon, "-f", "jsonl"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"scan failed with {lexicon} (cache {cache})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "big"
        big.mkdir()
        write_lexicon(big, args.entries)
        cache = Path(scratch) / "cache"  # mkdtemp's folder is 0700: a private cache
        run(big, str(cache))  # fills the cache
        cases = {
            f"{args.entries:,} entries, cold (no cache)": (big, "off"),
            f"{args.entries:,} entries, warm (cached set)": (big, str(cache)),
            "test lexicon (5 entries), no cache": (ROOT / "tests" / "data" / "lexicon", "off"),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        peaks: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, (lexicon, where) in cases.items():
                seconds, peak = run(lexicon, where)
                times[name].append(seconds)
                peaks[name].append(peak)
    print(f"scan of one seed document, median of {args.repeat} interleaved runs")
    print(f"{'case':<44}{'seconds':>9}{'peak MB':>9}")
    for name in cases:
        print(f"{name:<44}{statistics.median(times[name]):>9.2f}{statistics.median(peaks[name]):>9.0f}")
    cold, warm = (statistics.median(times[n]) for n in list(cases)[:2])
    print(f"cold / warm: {cold / warm:.1f}x")


if __name__ == "__main__":
    main()
