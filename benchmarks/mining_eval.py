"""Mining quality: recall and precision of `mine` against a gold list, and on the real corpus.

1. The five seed documents with an empty lexicon: recall of the gold formulas
   (benchmarks/mining_gold.yaml) within the top 150 candidates, and precision
   of the top 50 (formulas / judged; a candidate on neither list is unjudged).
   Targets: recall >= 0.8, precision@50 >= 0.7.
2. The shared corpus against the bundled lexicons with a sample of entries
   hidden: how many hidden entries come back in the top candidates.

    python benchmarks/mining_eval.py [--corpus ../shared/corpus/xi_speeches_2020.jsonl]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import yaml

from phrasefinder import Lexicon, read_documents
from phrasefinder.lexicon import default_path
from phrasefinder.mine.candidates import mine
from phrasefinder.text.normalize import normalize_phrase

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "examples" / "corpus"
SHARED = HERE.parent.parent / "shared" / "corpus"


def gold() -> tuple[list[set[str]], set[str]]:
    data = yaml.safe_load((HERE / "mining_gold.yaml").read_text(encoding="utf-8"))
    formulas = [{normalize_phrase(p.strip()) for p in str(item).split("|")} for item in data["formulas"]]
    return formulas, {normalize_phrase(p) for p in data["non_formulas"]}


def seeds_eval() -> None:
    formulas, non = gold()
    started = time.perf_counter()
    candidates = mine(lambda: read_documents([SEEDS]), None, top=150)
    seconds = time.perf_counter() - started
    phrases = [c.phrase for c in candidates]
    found = [f for f in formulas if f & set(phrases)]
    top50 = phrases[:50]
    good = [p for p in top50 if any(p in f for f in formulas)]
    bad = [p for p in top50 if p in non]
    print(f"seeds: {len(candidates)} candidates in {seconds:.2f} s")
    recall = len(found) / len(formulas)
    print(f"  recall@150    {recall:.2f}  ({len(found)}/{len(formulas)} gold formulas; target >= 0.80)")
    judged = len(good) + len(bad)
    counted = f"{len(good)} formulas, {len(bad)} non-formulas, {50 - judged} unjudged"
    print(f"  precision@50  {len(good) / max(judged, 1):.2f}  ({counted}; target >= 0.70)")
    missing = ["|".join(sorted(f)) for f in formulas if not f & set(phrases)]
    print(f"  missed: {', '.join(missing)}")
    print(f"  unjudged in top 50: {', '.join(p for p in top50 if p not in good and p not in bad)}")


def corpus_eval(corpus: Path, hide: int, top: int) -> None:
    lexicon = Lexicon.load(default_path())
    rng = random.Random(3)
    hidden = rng.sample([e for e in lexicon if e.level == "national"], hide)
    kept = Lexicon(tuple(e for e in lexicon if e not in hidden), lexicon.files)
    started = time.perf_counter()
    candidates = mine(lambda: read_documents([corpus]), kept, top=top)
    seconds = time.perf_counter() - started
    phrases = {c.phrase for c in candidates}
    back = [e for e in hidden if {normalize_phrase(s) for s, _ in e.surfaces()} & phrases]
    print(f"{corpus.name}: {len(candidates)} candidates in {seconds:.1f} s; {len(hidden)} national entries hidden")
    print(f"  hidden entries back in the top {top}: {len(back)}/{len(hidden)} = {len(back) / len(hidden):.2f}")
    print(f"  back: {', '.join(e.phrase for e in back)}")
    print(f"  top 20: {', '.join(c.phrase for c in candidates[:20])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "xi_speeches_2020.jsonl")
    parser.add_argument("--hide", type=int, default=40)
    parser.add_argument("--top", type=int, default=300)
    args = parser.parse_args()
    seeds_eval()
    corpus_eval(args.corpus, args.hide, args.top)


if __name__ == "__main__":
    main()
