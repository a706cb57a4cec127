"""What an accepted candidate becomes when the curator only presses Enter.

Every default comes from evidence, in this order:

1. **region** — the place of most of the candidate's documents (their ``region``
   field, else the known place each names most: :mod:`phrasefinder.text.places`),
   when it holds more than half of them; none for a formula used across places.
2. **level** — the one the region's name says (南宁市 municipal, 闵行区 county),
   else the one the set gives that region's entries; ``national`` without a region.
3. **category** — the commonest category among the set's entries sharing most
   character pairs with the phrase (融资难、融资贵 next to the economy entries),
   else the commonest among entries of that region or level.
4. **file** — the set's file holding most entries of the region, else
   ``local/<region in pinyin>.yaml``; without a region, the file of that level
   holding most entries of the category.
5. **id** — the phrase in pinyin, a word to a syllable group
   (``rongzinan-rongzi-gui``), numbered if the set has it already.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..lexicon import Entry, Lexicon
from ..text.normalize import HAN, normalize_phrase
from ..text.places import level_of, short_name
from ..text.words import tokenizer

NEIGHBOURS = 5
"""How many of the most similar entries vote on a category."""

MIN_SIMILARITY = 0.15
"""Least Jaccard similarity of character pairs for an entry to vote (共商共建共享 to 共商、共建、共享: 0.375)."""

_PAIR = re.compile(f"[{HAN}]{{2}}")

MAX_ID = 48
"""Longest derived id, in characters: cut at a word."""


@dataclass(frozen=True)
class Suggestion:
    """The entry a candidate becomes by default, and the file it goes into."""

    category: str
    entry_id: str
    level: str
    region: str | None
    into: Path


def suggest(
    candidate: dict[str, Any],
    lexicon_paths: list[Path],
    *,
    phrase: str | None = None,
    category: str | None = None,
    level: str | None = None,
    region: str | None = None,
) -> Suggestion:
    """The defaults for accepting ``candidate`` (a pending record) into the set at ``lexicon_paths``.

    What the curator has chosen already is kept and the rest follows it: a
    ``level`` given takes ``region`` as given (none when it is not).
    """
    folder = lexicon_paths[0] if lexicon_paths[0].is_dir() else lexicon_paths[0].parent
    entries = list(Lexicon.load(lexicon_paths))
    phrase = phrase or candidate["phrase"]
    region = region if level else region or region_of(candidate)
    local = [e for e in entries if e.region == region] if region else []
    if level is None:
        named = level_of(region) if region else "national"
        level = named if named != "other" else _commonest(e.level for e in local) or named
    peers = local or [e for e in entries if e.level == level] or entries
    category = category or _neighbours_category(phrase, entries) or _commonest(e.category for e in peers) or "slogan"
    into = _file(folder, local, region) if region else None
    if into is None:
        into = _file(folder, [e for e in peers if e.category == category], None) or folder / f"{category}.yaml"
    return Suggestion(category, derive_id(phrase, {e.id for e in entries}), level, region, into)


def region_of(candidate: dict[str, Any]) -> str | None:
    """The place of more than half of the candidate's documents, if one is."""
    regions: dict[str, int] = candidate.get("regions") or {}
    if not regions:
        return None
    place = max(regions, key=lambda r: (regions[r], r))
    return place if regions[place] * 2 > candidate.get("docs", 0) else None


def derive_id(phrase: str, taken: set[str]) -> str:
    """An id from the phrase's reading, a jieba word to a group, numbered past the ids ``taken``.

    >>> derive_id("放管服", {"fangguanfu"})
    'fangguanfu-2'
    """
    from pypinyin import lazy_pinyin

    words = ["".join(lazy_pinyin(w, errors="ignore")).lower() for w in tokenizer().cut(normalize_phrase(phrase))]
    slug = ""
    for word in filter(None, ("".join(c for c in w if c.isascii() and c.isalnum()) for w in words)):
        if slug and len(slug) + 1 + len(word) > MAX_ID:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "formula"
    number, candidate = 1, slug
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _neighbours_category(phrase: str, entries: list[Entry]) -> str | None:
    """The category with most similarity among the entries most like ``phrase`` (Jaccard of Han character pairs).

    Votes are weighted by similarity, and a neighbour must share enough (``MIN_SIMILARITY``): one
    common pair in a long phrase says nothing.
    """
    pairs = _pairs(phrase)
    scored = []
    for entry in entries:
        theirs = _pairs(entry.phrase)
        similarity = len(pairs & theirs) / len(pairs | theirs) if pairs else 0.0
        if similarity >= MIN_SIMILARITY:
            scored.append((similarity, entry.id, entry.category))
    votes: dict[str, float] = {}
    for similarity, _, category in sorted(scored, reverse=True)[:NEIGHBOURS]:
        votes[category] = votes.get(category, 0.0) + similarity
    return max(votes, key=lambda c: (votes[c], c)) if votes else None


def _pairs(text: str) -> set[str]:
    """Adjacent Han characters: the pairs a formula's words are made of, not its punctuation."""
    text = normalize_phrase(text)
    return {text[i : i + 2] for i in range(len(text) - 1) if _PAIR.fullmatch(text[i : i + 2])}


def _commonest(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def _file(folder: Path, entries: list[Entry], region: str | None) -> Path | None:
    """The file of ``folder`` holding most of ``entries``; for a region none of them is in, a new local file."""
    counts = Counter(e.path for e in entries if Path(e.path).is_relative_to(folder))
    if counts:
        return Path(max(counts, key=lambda p: (counts[p], p)))
    if region is None:
        return None
    from pypinyin import lazy_pinyin

    name = short_name(region.split("、")[0])
    return folder / "local" / f"{''.join(lazy_pinyin(name, errors='ignore')) or 'region'}.yaml"
