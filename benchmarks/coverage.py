"""Coverage of the bundled lexicons against the gold list of national formulas (benchmarks/coverage/RULE.md).

Four readers each listed the formulas of one part of ``../shared/corpus`` without
looking at the lexicons (``coverage/gold_*.tsv``). A phrase is gold when at least
two of them listed it independently and it occurs at least three times in the
corpus (normalized text). It is covered when it is the phrase or a variant of a
lexicon entry, after normalization: a member, or a longer entry that contains it,
does not count (以人民为中心的发展思想 does not cover 以人民为中心).

    python benchmarks/coverage.py            # recall, the misses by count
    python benchmarks/coverage.py --write    # also rewrite coverage/gold.tsv

A fifth reader listed the national formulas of the 2026 provincial work reports,
which no other reader read and the sweep did not use (``coverage/heldout_provincial.tsv``):
recall on that list, beside the same figure for each of the four readers' own lists,
says how far the lexicons reach beyond the list they were swept against.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from phrasefinder import Lexicon
from phrasefinder.text.normalize import normalize, normalize_phrase

HERE = Path(__file__).parent / "coverage"
CORPUS = Path(__file__).parent.parent.parent / "shared" / "corpus"
READERS = ("congress", "work_reports", "peoples_daily", "xwlb")
HELDOUT = "heldout_provincial"
MIN_READERS = 2
MIN_COUNT = 3
TARGET = 0.95


def readers(names: tuple[str, ...] = READERS) -> dict[str, dict[str, str]]:
    """Each normalized phrase with the readers that listed it and the type they gave."""
    listed: dict[str, dict[str, str]] = defaultdict(dict)
    for reader in names:
        path = HERE / (f"{reader}.tsv" if reader == HELDOUT else f"gold_{reader}.tsv")
        with path.open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream, delimiter="\t"):
                listed[normalize_phrase(row["phrase"])][reader] = row["type"]
    return listed


def counts(phrases: list[str]) -> dict[str, int]:
    """Occurrences of each phrase in the normalized corpus, one Aho-Corasick pass."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    found = dict.fromkeys(phrases, 0)
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                for _, phrase in automaton.iter(normalize(json.loads(line).get("text") or "").text):
                    found[phrase] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite coverage/gold.tsv")
    parser.add_argument("--misses", type=int, default=60, help="misses to print")
    args = parser.parse_args()
    listed = readers()
    heldout = readers((HELDOUT,)) if (HERE / f"{HELDOUT}.tsv").exists() else {}
    found = counts(sorted(set(listed) | set(heldout)))
    gold = sorted(p for p, by in listed.items() if len(by) >= MIN_READERS and found[p] >= MIN_COUNT)
    forms = {normalize_phrase(form): entry.id for entry in Lexicon.load() for form in (entry.phrase, *entry.variants)}
    covered = [p for p in gold if p in forms]
    missed = sorted(set(gold) - set(covered), key=lambda p: (-found[p], p))
    if args.write:
        with (HERE / "gold.tsv").open("w", encoding="utf-8", newline="") as stream:
            out = csv.writer(stream, delimiter="\t", lineterminator="\n")
            out.writerow(["phrase", "count", "readers", "types", "entry"])
            for p in gold:
                by = listed[p]
                out.writerow([p, found[p], ",".join(sorted(by)), ",".join(sorted(set(by.values()))), forms.get(p, "")])
    print(f"readers: {', '.join(f'{r} {sum(r in by for by in listed.values())}' for r in READERS)} phrases")
    print(f"gold: {len(gold)} phrases listed by >= {MIN_READERS} readers and attested >= {MIN_COUNT} times")
    for k in range(1, len(READERS) + 1):
        tier = [p for p in listed if len(listed[p]) >= k and found[p] >= MIN_COUNT]
        hit = sum(p in forms for p in tier)
        print(f"  listed by >= {k} readers: {len(tier):5,}  covered {hit:5,}  recall {hit / len(tier):.3f}")
    for reader in READERS:
        own = [p for p, by in listed.items() if reader in by and found[p] >= MIN_COUNT]
        hit = sum(p in forms for p in own)
        print(f"  {reader + ' reader alone':30} {len(own):5,}  covered {hit:5,}  recall {hit / len(own):.3f}")
    if heldout:
        own = [p for p in heldout if found[p] >= MIN_COUNT]
        hit = sum(p in forms for p in own)
        print(f"  {'held out: provincial reports':30} {len(own):5,}  covered {hit:5,}  recall {hit / len(own):.3f}")
        shared = [p for p in own if p in listed]
        both = sum(p in forms for p in shared)
        print(f"    listed by another reader too (two readers agree): {len(shared):5,}  covered {both:5,}  "
              f"recall {both / len(shared):.3f}")  # fmt: skip
    recall = len(covered) / len(gold)
    verdict = "met" if recall >= TARGET else "NOT met"
    print(f"recall {recall:.3f} ({len(covered)}/{len(gold)}); target >= {TARGET}: {verdict}")
    if missed:
        print(f"missed, most frequent first ({len(missed)}):")
        print("  " + "  ".join(f"{p} {found[p]}" for p in missed[: args.misses]))


if __name__ == "__main__":
    main()
