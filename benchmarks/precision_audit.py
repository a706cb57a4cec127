"""Judged precision of what ``report`` counts, entry by entry, on ../shared/corpus.

For every bundled entry with counted hits in the corpus (the formula's own
occurrences: phrase or variant, not nested, not boilerplate, sense rule passed),
up to 10 hits are drawn at random — from the 新闻联播 sample first, which was not
used to pick the entries, then from the rest — and written with their context
to ``audit/<round>/*.tsv``. A judge fills the ``verdict`` column by the rule in
``audit/RULE.md`` (y, n or ?). Verdicts already given are kept on a redraw.

    python benchmarks/precision_audit.py draw tune --seed 1     # the sample the rules were tuned on
    python benchmarks/precision_audit.py draw report --seed 2   # a fresh sample, judged after tuning
    python benchmarks/precision_audit.py score report           # the table
    python benchmarks/precision_audit.py draw confirm --seed 3 --changed-since report
        # a fresh sample of every entry whose counted hits changed after the report round's draw
    python benchmarks/precision_audit.py score report confirm   # later rounds replace earlier ones, entry by entry

``score`` prints per-entry precision, the overall precision of counted hits
(each entry's judged precision weighted by its counted hits, and the plain
share of judged hits), and, as the baseline a user would get by counting string
matches (a regex, a Polars ``str.count_matches``, a dictionary added to jieba),
the same true occurrences over every match of the entry's strings.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from phrasefinder import Lexicon, Scanner
from phrasefinder.ingest.documents import read_documents

HERE = Path(__file__).parent / "audit"
CORPUS = Path(__file__).parent.parent.parent / "shared" / "corpus"
UNSEEN = "xwlb_2012_2026_sample"
PER_ENTRY = 10
CONTEXT = 30
SHARDS = 8
COLUMNS = ("entry_id", "phrase", "corpus", "doc_id", "start", "date", "left", "matched", "right", "verdict", "note")
TARGET_OVERALL, TARGET_ENTRY, BUSY = 0.97, 0.9, 10


def scan() -> tuple[dict[str, list[dict[str, str]]], Counter[str], Counter[str]]:
    """Counted hits by entry (with context), counted hits per entry, and every string match per entry."""
    scanner = Scanner(Lexicon.load(), context=CONTEXT)
    counted: dict[str, list[dict[str, str]]] = defaultdict(list)
    matches: Counter[str] = Counter()
    for path in sorted(CORPUS.glob("*.jsonl")):
        for document in read_documents([path]):
            for hit in scanner.scan(document):
                matches[hit.entry_id] += 1
                if hit.kind != "phrase" or hit.nested or hit.boilerplate or hit.repeat:
                    continue
                if hit.sense in ("failed", "ambiguous"):
                    continue
                counted[hit.entry_id].append({
                    "entry_id": hit.entry_id, "phrase": hit.phrase, "corpus": path.stem, "doc_id": hit.doc_id,
                    "start": str(hit.start), "date": str(document.meta.get("date") or ""),
                    "left": _flat(hit.context_left), "matched": _flat(hit.matched), "right": _flat(hit.context_right),
                })  # fmt: skip
    return counted, Counter({e: len(h) for e, h in counted.items()}), matches


def _flat(text: str) -> str:
    return " ".join(text.split())


def _key(row: dict[str, str]) -> tuple[str, str, str]:
    return row["entry_id"], row["doc_id"], row["start"]


def read_round(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("shard-*.tsv")):
        with path.open(encoding="utf-8") as stream:
            rows += list(csv.DictReader(stream, delimiter="\t"))
    return rows


def changed_since(name: str, counted: dict[str, list[dict[str, str]]]) -> set[str]:
    """Entries whose counted hits are not what they were when round ``name`` was drawn.

    The round's manifest holds each entry's counted hits at drawing time; an entry
    counted now and absent then (a new entry, or one a rule change brought in) is changed.
    """
    with (HERE / name / "counted.tsv").open(encoding="utf-8") as stream:
        then = {row["entry_id"]: row["keys"] for row in csv.DictReader(stream, delimiter="\t")}
    return {entry for entry, hits in counted.items() if then.get(entry) != _fingerprint(hits)} | (
        set(then) - set(counted)
    )


def _fingerprint(hits: list[dict[str, str]]) -> str:
    import hashlib

    keys = "\n".join("\t".join(_key(h)) for h in sorted(hits, key=_key))
    return f"{len(hits)}:{hashlib.sha1(keys.encode()).hexdigest()[:16]}"


def draw(name: str, seed: int, since: str | None = None) -> None:
    folder = HERE / name
    judged = {_key(r): r for r in read_round(folder)} if folder.exists() else {}
    counted, _, _ = scan()
    chosen_entries = sorted(changed_since(since, counted) & set(counted)) if since else sorted(counted)
    sample = []
    for entry in chosen_entries:
        hits = sorted(counted[entry], key=_key)
        rng = random.Random(f"{seed}:{entry}")
        unseen = [h for h in hits if h["corpus"] == UNSEEN]
        seen = [h for h in hits if h["corpus"] != UNSEEN]
        chosen = rng.sample(unseen, min(PER_ENTRY, len(unseen)))
        chosen += rng.sample(seen, min(PER_ENTRY - len(chosen), len(seen)))
        for hit in chosen:
            before = judged.get(_key(hit), {})
            sample.append({**hit, "verdict": before.get("verdict", ""), "note": before.get("note", "")})
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("shard-*.tsv"):
        old.unlink()
    entries = sorted({r["entry_id"] for r in sample})
    shard_of = {e: i * SHARDS // len(entries) for i, e in enumerate(entries)}
    for shard in range(SHARDS):
        rows = [r for r in sample if shard_of[r["entry_id"]] == shard]
        path = folder / f"shard-{shard + 1}.tsv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, COLUMNS, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    with (folder / "counted.tsv").open("w", encoding="utf-8", newline="") as stream:
        stream.write("entry_id\tkeys\n")
        stream.writelines(f"{entry}\t{_fingerprint(hits)}\n" for entry, hits in sorted(counted.items()))
    todo = sum(1 for r in sample if not r["verdict"])
    print(f"{len(sample):,} hits of {len(entries)} entries in {folder}/ ({todo:,} to judge)")


def score(names: list[str], show: int) -> int:
    rounds = [read_round(HERE / name) for name in names]
    covered = [{r["entry_id"] for r in rows} for rows in rounds]
    judged_rows = [
        r for i, rows in enumerate(rounds) for r in rows if not any(r["entry_id"] in c for c in covered[i + 1 :])
    ]
    name = " + ".join(names)
    hits, counted, matches = scan()
    now = {_key(h) for entry in hits.values() for h in entry}
    rows = [r for r in judged_rows if _key(r) in now]  # a hit a rule no longer counts is not scored
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        verdicts[row["entry_id"]][row["verdict"].strip().lower() or "unjudged"] += 1
    table = []
    for entry, v in verdicts.items():
        judged = v["y"] + v["n"]
        table.append((entry, counted[entry], matches[entry], judged, v["y"], v["y"] / judged if judged else None, v))
    table.sort(key=lambda r: (r[5] if r[5] is not None else 2, -r[1], r[0]))
    print(f"round '{name}': {len(rows):,} hits of {len(table)} entries judged by audit/RULE.md", end="")
    print(f" ({len(judged_rows) - len(rows):,} judged hits no longer counted by today's lexicons)")
    print(f"{'entry':38} {'counted':>8} {'matches':>8} {'judged':>6} {'yes':>4} {'precision':>9}")
    for entry, n, m, judged, yes, precision, _ in table[:show]:
        shown = f"{precision:.2f}" if precision is not None else "-"
        print(f"{entry:38} {n:8,} {m:8,} {judged:6} {yes:4} {shown:>9}")
    scored = [r for r in table if r[5] is not None]
    weighted = sum(r[1] * r[5] for r in scored) / sum(r[1] for r in scored)
    plain = sum(r[4] for r in scored) / sum(r[3] for r in scored)
    baseline = sum(r[1] * r[5] for r in scored) / sum(r[2] for r in scored)
    low = [r for r in scored if r[1] >= BUSY and r[5] < TARGET_ENTRY]
    unsure = sum(r[6]["?"] for r in table)
    unjudged = sum(r[6]["unjudged"] for r in table)
    print()
    print(f"phrasefinder report (counted hits), weighted by hits  {weighted:.3f}   target >= {TARGET_OVERALL}")
    print(f"phrasefinder report, share of judged hits             {plain:.3f}")
    print(f"string-match count (every match of the entry's forms)  {baseline:.3f}   baseline")
    print(f"entries with >= {BUSY} counted hits under {TARGET_ENTRY}: {len(low)}   target 0")
    print(f"judged: {sum(r[3] for r in table):,}   unsure (?): {unsure}   not judged yet: {unjudged}")
    met = weighted >= TARGET_OVERALL and not low
    print("targets:", "met" if met else "NOT met")
    return 0 if met else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    drawing = sub.add_parser("draw", help="draw (or redraw) a sample into audit/ROUND/")
    drawing.add_argument("round")
    drawing.add_argument("--seed", type=int, required=True)
    drawing.add_argument("--changed-since", metavar="ROUND", help="only entries whose counted hits changed since ROUND")
    scoring = sub.add_parser("score", help="print the precision table of a judged round")
    scoring.add_argument("rounds", nargs="+", help="rounds in order: a later round's entries replace an earlier's")
    scoring.add_argument("--show", type=int, default=40, help="entries to list, lowest precision first")
    args = parser.parse_args()
    if args.command == "draw":
        draw(args.round, args.seed, args.changed_since)
    else:
        sys.exit(score(args.rounds, args.show))


if __name__ == "__main__":
    main()
