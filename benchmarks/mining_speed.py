"""Mining time and peak memory on 10 MB and 100 MB of text, against naive n-gram counting.

The corpora are the shared corpus's JSONL files concatenated, then repeated
(with fresh ids) up to the size. The alternative counts every 2-12-gram in a
plain Counter, the first thing one writes in a notebook; it runs on the 10 MB
corpus only (on 100 MB it does not fit this machine's memory).

    python benchmarks/mining_speed.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
EXE = Path(sys.executable).with_name("phrasefinder")


def build(path: Path, megabytes: int) -> int:
    """A JSONL corpus of about ``megabytes`` MB; returns its documents."""
    lines = [line for f in sorted(SHARED.glob("*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines()]
    written = count = 0
    with path.open("w", encoding="utf-8") as out:
        while written < megabytes * 1_000_000:
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}#{count}"
                text = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(text)
                written += len(text.encode())
                count += 1
                if written >= megabytes * 1_000_000:
                    break
    return count


def run_mine(corpus: Path, lexicons: Path) -> tuple[float, float, int]:
    measure = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [str(EXE), "mine", str(corpus), "-l", str(lexicons), "--top", "200", "-f", "jsonl"]
    done = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, check=True)
    seconds, rss = done.stdout.split()
    return float(seconds), int(rss) / 1024, 200


def naive(corpus: Path) -> tuple[float, float, int]:
    """Every 2-12-gram of every stretch of text in one Counter, in a child process."""
    code = f"""
import json, re, resource, time
from collections import Counter
from phrasefinder.text.normalize import normalize
t = time.perf_counter()
counts = Counter()
for line in open({str(corpus)!r}, encoding="utf-8"):
    for stretch in re.findall("[\\u4e00-\\u9fff]+", normalize(json.loads(line)["text"]).text):
        for n in range(2, 13):
            counts.update(stretch[i:i + n] for i in range(len(stretch) - n + 1))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(counts))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, rss, distinct = done.stdout.split()
    return float(seconds), int(rss) / 1024, int(distinct)


def main() -> None:
    lexicons = Path(__file__).resolve().parent.parent / "lexicons"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in (10, 100):
            corpus = Path(tmp) / f"corpus-{megabytes}mb.jsonl"
            documents = build(corpus, megabytes)
            queue = Path(tmp) / f"lexicons-{megabytes}"
            subprocess.run(["cp", "-r", str(lexicons), str(queue)], check=True)
            seconds, rss, _ = run_mine(corpus, queue)
            rows.append((f"phrasefinder mine, {megabytes} MB", documents, seconds, rss, ""))
            if megabytes == 10:
                seconds, rss, distinct = naive(corpus)
                rows.append(
                    ("naive Counter of all 2-12-grams, 10 MB", documents, seconds, rss, f"{distinct:,} n-grams")
                )
    print(f"{'run':42} {'docs':>7} {'seconds':>8} {'peak MB':>8}  note")
    for name, documents, seconds, rss, note in rows:
        print(f"{name:42} {documents:7,} {seconds:8.1f} {rss:8.0f}  {note}")
    print("targets: 100 MB in under 600 s with under 6,000 MB peak")


if __name__ == "__main__":
    main()
