"""Encoding detection on short Chinese files: phrasefinder's decoder against chardet and charset-normalizer.

Random snippets of 10 to 300 characters from the corpus, simplified (People's
Daily) and traditional (the 1950s government work reports), are encoded as
GB18030 and Big5; a detection is right when decoding with its answer gives the
snippet back exactly. Timing is per call on a 50 KB GB18030 file.

    pip install chardet charset-normalizer   # (make bench does it)
    python benchmarks/encoding_eval.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import chardet
import charset_normalizer

from phrasefinder.errors import DecodeError
from phrasefinder.text.decode import decode

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
LENGTHS = (10, 20, 50, 100, 300)


def texts(path: Path, keep: Callable[[dict[str, str]], bool]) -> list[str]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return [re.sub(r"\s+", "", row["text"]) for row in rows if keep(row)]


def snippets(sources: list[str], length: int, encoding: str, n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    while len(out) < n:
        text = rng.choice(sources)
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        snippet = text[start : start + length]
        try:
            out.append((snippet, snippet.encode(encoding)))
        except UnicodeEncodeError:
            continue  # a character the encoding lacks: draw another
    return out


def ours(data: bytes) -> str | None:
    try:
        return decode(data).encoding
    except DecodeError:
        return None


def with_chardet(data: bytes) -> str | None:
    return chardet.detect(data)["encoding"]


def with_charset_normalizer(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best else None


DETECTORS = {"phrasefinder": ours, "chardet": with_chardet, "charset-normalizer": with_charset_normalizer}


def correct(detect: Callable[[bytes], str | None], original: str, data: bytes) -> bool:
    try:
        encoding = detect(data)
        return encoding is not None and data.decode(encoding) == original
    except (LookupError, UnicodeDecodeError):
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="snippets per cell")
    args = parser.parse_args()
    rng = random.Random(7)
    simplified = texts(CORPUS / "peoples_daily_2019_2020.jsonl", lambda row: row["id"][-1] in "13579")
    traditional = texts(CORPUS / "gov_work_reports_national.jsonl", lambda row: row["date"][:3] == "195")
    cells = [
        ("gb18030", "simplified", simplified),
        ("gb18030", "traditional", traditional),
        ("big5", "traditional", traditional),
    ]

    print(f"{'encoding':9} {'script':12} {'chars':>5} " + " ".join(f"{name:>18}" for name in DETECTORS))
    totals = dict.fromkeys(DETECTORS, 0)
    count = 0
    for encoding, script, sources in cells:
        for length in LENGTHS:
            samples = snippets(sources, length, encoding, args.n, rng)
            scores = {name: sum(correct(d, o, b) for o, b in samples) for name, d in DETECTORS.items()}
            for name, score in scores.items():
                totals[name] += score
            count += len(samples)
            row = " ".join(f"{100 * scores[name] / len(samples):17.1f}%" for name in DETECTORS)
            print(f"{encoding:9} {script:12} {length:5} {row}")
    print(f"{'all':28} " + " ".join(f"{100 * totals[name] / count:17.1f}%" for name in DETECTORS))

    big = "".join(simplified)[:50_000].encode("gb18030")
    timings = []
    for detect in DETECTORS.values():
        started = time.perf_counter()
        for _ in range(20):
            detect(big)
        timings.append((time.perf_counter() - started) / 20 * 1000)
    print(f"{'ms per 50 KB GB18030 file':28} " + " ".join(f"{ms:17.2f} " for ms in timings))


if __name__ == "__main__":
    main()
