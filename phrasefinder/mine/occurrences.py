"""The second pass of mining: where every proposal occurs, and what that adds up to.

:func:`second_pass` reads the corpus again with an automaton of the proposals and records, phrase by
phrase, what ranking and review need (:class:`Found`): counts, printings, neighbours, written forms,
examples, places, usage, and how often a phrase inside known forms stands outside them. Records of
parts of a corpus merge into the record of the whole (:func:`merge_found`), exactly, in input order,
so a cluster can run the pass per partition; :meth:`Found.split` divides a record by phrase so that
the merging, too, is spread over the workers. Ranking reads each phrase's :class:`Seen` (a few
numbers); the front-runners alone get their :class:`Details`.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

from ..ingest.documents import Document
from ..text.furniture import body_text
from ..text.normalize import normalize
from .features import CLOSING, OPENING, Seen, Usage, governed_at, period_of
from .ngrams import entropy

if TYPE_CHECKING:
    import ahocorasick

    from ..text.places import Places

EXAMPLES = 3
"""Examples kept per phrase, one per printing, the first ones in input order."""
CONTEXT = 15
"""Characters of context on each side of an example."""
FORMS = 5
"""Written forms shown per phrase, the commonest."""


@dataclass(frozen=True, slots=True)
class Example:
    """One place a candidate occurs: the document and the original text around it."""

    doc_id: str
    left: str
    matched: str
    right: str
    printing: str = field(default="", compare=False, repr=False)
    """The printing of its document (:func:`printing_of`), so partitions merge into the examples one pass keeps."""

    def as_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "left": self.left, "matched": self.matched, "right": self.right}


class Details(NamedTuple):
    """What a reader is shown of a front-runner."""

    forms: tuple[str, ...]
    examples: tuple[Example, ...]
    regions: tuple[tuple[str, int], ...]


def shard_of(phrase: str, shards: int) -> int:
    """Which of ``shards`` holds a phrase: the same in every process and every run (``hash`` of a string
    is salted per process)."""
    return zlib.crc32(phrase.encode()) % shards


_Example = tuple[str, str, str, str, str]
"""An example as the second pass keeps it: document id, the text before, the phrase as written, the text
after, and the printing (:func:`printing_of`); made an :class:`Example` only when it is shown."""
_Pair = tuple[str, str]
"""A phrase and one of its neighbours, written forms or places."""


@dataclass
class Found:
    """Everything the second pass records of every proposal: what adds up over partitions
    (:func:`merge_found`) and reduces to :class:`Seen` and :class:`Details`.

    Neighbours, forms and places are flat Counters of (phrase, value) pairs, not a Counter per phrase:
    counting a document's matches, merging two records and pickling one all run in C that way."""

    freq: Counter[str] = field(default_factory=Counter)
    docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """The printings each phrase occurs in."""
    left: Counter[_Pair] = field(default_factory=Counter)
    """(phrase, the character before it; ``^`` at the start of a text)."""
    right: Counter[_Pair] = field(default_factory=Counter)
    """(phrase, the character after it; ``$`` at the end)."""
    forms: Counter[_Pair] = field(default_factory=Counter)
    """(phrase, how the source wrote it)."""
    regions: Counter[_Pair] = field(default_factory=Counter)
    """(phrase, the place of a document it occurs in): documents."""
    examples: dict[str, list[_Example]] = field(default_factory=lambda: defaultdict(list))
    usage: Usage = field(default_factory=Usage)
    alone: Counter[str] = field(default_factory=Counter)
    """Occurrences of a phrase inside known forms that stood outside all of them."""

    def seen(self) -> dict[str, Seen]:
        """Every phrase found, reduced to the numbers ranking reads."""
        usage, left, right = self.usage, _counts(self.left), _counts(self.right)
        periods = Counter(phrase for phrase, _ in usage.periods)
        return {
            phrase: Seen(
                freq,
                len(self.docs[phrase]),
                self.alone[phrase],
                entropy(left[phrase]),
                entropy(right[phrase]),
                usage.quoted[phrase],
                usage.governed[phrase],
                usage.framed[phrase],
                usage.listed[phrase],
                periods[phrase],
            )
            for phrase, freq in self.freq.items()
        }

    def details(self, phrases: Iterable[str]) -> dict[str, Details]:
        """What a reader is shown of each of ``phrases`` found: its commonest written forms, examples, places."""
        wanted = set(phrases) & self.freq.keys()
        forms, regions = _grouped(self.forms, wanted), _grouped(self.regions, wanted)
        return {
            phrase: Details(
                tuple(form for form, _ in _commonest(forms[phrase])[:FORMS]),
                tuple(Example(i, _flat(left), matched, _flat(right), key) for i, left, matched, right, key in examples),
                tuple(_commonest(regions[phrase])),
            )
            for phrase, examples in self.examples.items()
            if phrase in wanted
        }

    def split(self, shards: int) -> list[Found]:
        """What :meth:`seen` reads of this part of the corpus, divided by phrase (:func:`shard_of`): a
        cluster merges the partitions' shards, each on some worker, and only :class:`Seen` travels on.
        Examples, forms and places stay behind (:meth:`shown`): only the front-runners' are ever read."""
        parts = [Found() for _ in range(shards)]
        into = {phrase: parts[shard_of(phrase, shards)] for phrase in self.freq}
        for name in ("freq", "docs", "alone"):
            for phrase, value in getattr(self, name).items():
                getattr(into[phrase], name)[phrase] = value
        for name in ("left", "right"):
            for pair, count in getattr(self, name).items():
                getattr(into[pair[0]], name)[pair] = count
        for name in ("quoted", "governed", "framed", "listed"):
            for phrase, count in getattr(self.usage, name).items():
                getattr(into[phrase].usage, name)[phrase] = count
        for pair in self.usage.periods:
            into[pair[0]].usage.periods.add(pair)
        return parts

    def shown(self, phrases: Collection[str] | None = None) -> Found:
        """What :meth:`details` reads (and :func:`merge_found` needs to merge it: counts and printings), of
        ``phrases`` only if given."""
        keep = self.freq.keys() if phrases is None else set(phrases) & self.freq.keys()
        part = Found(freq=Counter({p: n for p, n in self.freq.items() if p in keep}))
        part.docs.update((p, self.docs[p]) for p in part.freq)
        part.examples.update((p, e) for p, e in self.examples.items() if p in keep)
        part.forms.update({pair: n for pair, n in self.forms.items() if pair[0] in keep})
        part.regions.update({pair: n for pair, n in self.regions.items() if pair[0] in keep})
        return part


def _grouped(pairs: Counter[_Pair], wanted: set[str] | None = None) -> defaultdict[str, list[tuple[str, int]]]:
    """Each phrase's (value, count), in the order first seen; of the ``wanted`` phrases only, if given."""
    grouped: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for (phrase, value), count in pairs.items():
        if wanted is None or phrase in wanted:
            grouped[phrase].append((value, count))
    return grouped


def _counts(pairs: Counter[_Pair]) -> defaultdict[str, list[int]]:
    """Each phrase's counts, one per value."""
    counts: defaultdict[str, list[int]] = defaultdict(list)
    for (phrase, _), count in pairs.items():
        counts[phrase].append(count)
    return counts


def _commonest(counted: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Most first, ties in the order first seen (as ``Counter.most_common``)."""
    return sorted(counted, key=lambda item: item[1], reverse=True)


def second_pass(
    documents: Iterable[Document], automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]
) -> Found:
    """Where each proposal occurs: counts, documents, neighbours, surface forms, examples, places, usage,
    and, for a phrase ``inside`` known forms, how often it stands outside them.

    A document is known by its printing (:func:`printing_of`), so an article
    printed twice (on two pages, under two ids) is one document and one example, not two. A document's
    matches are counted at once: ``Counter.update`` counts in C, where a statement per match would cost 2x.
    """
    found = Found()
    covers = _covers(inside)
    for document in documents:
        body = body_text(document.text)
        normalized = normalize(body)
        text = normalized.text
        matches = [(last + 1 - len(phrase), last + 1, phrase) for last, phrase in automaton.iter(text)]
        if not matches:
            continue
        key = printing_of(text, document)
        phrases = [phrase for _, _, phrase in matches]
        starts, ends = [m[0] for m in matches], [m[1] for m in matches]
        sources, source_ends = normalized.spans(starts, ends)  # one pass for the document
        padded, quotes = f"^{text}$", f"\0{body}\0"  # padded[start] is the character before, padded[end + 1] after
        found.freq.update(phrases)
        found.left.update(zip(phrases, map(padded.__getitem__, starts), strict=True))
        found.right.update(zip(phrases, [padded[e + 1] for e in ends], strict=True))
        written = map(body.__getitem__, map(slice, sources, source_ends))
        found.forms.update(zip(phrases, written, strict=True))
        quoted = [quotes[s] in OPENING and quotes[e + 1] in CLOSING for s, e in zip(sources, source_ends, strict=True)]
        governed = list(map(governed_at(text), starts))
        period = period_of(document.meta.get("date"))
        found.usage.record(text, matches, quoted=quoted, governed=governed, period=period)
        # phrase -> its first occurrence in the document
        first = dict(zip(reversed(phrases), range(len(phrases) - 1, -1, -1), strict=True))
        seen = list(dict.fromkeys(phrases))
        for phrase in seen:
            printings = found.docs[phrase]
            if key in printings:
                continue  # this printing was seen under another id: one document, one example
            printings.add(key)
            if len(examples := found.examples[phrase]) < EXAMPLES:
                s, e = sources[first[phrase]], source_ends[first[phrase]]
                left, right = body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT]
                examples.append((document.id, left, body[s:e], right, key))
        if covers:
            found.alone.update(_uncovered(matches, covers))
        region = str(document.meta.get("region") or "") or places.of(text)
        if region:
            found.regions.update(zip(seen, repeat(region)))
    return found


def merge_found(parts: Iterable[Found]) -> Found:
    """The second pass over partitions read in input order, as one pass over all of them finds it: counts
    added (first-seen order kept, so ties rank alike), printings joined, usage merged, and examples taken
    in order, one per printing, up to ``EXAMPLES``."""
    merged = Found()
    for part in parts:
        for phrase, examples in part.examples.items():
            into, printings = merged.examples[phrase], merged.docs[phrase]
            for example in examples:
                if len(into) < EXAMPLES and example[4] not in printings:
                    into.append(example)
        for phrase, printings in part.docs.items():
            merged.docs[phrase] |= printings
        for counted in ("freq", "alone", "left", "right", "forms", "regions"):
            getattr(merged, counted).update(getattr(part, counted))
        merged.usage.merge(part.usage)
    return merged


def printing_of(text: str, document: Document) -> str:
    """What tells one printing of an article from another: its text, and the outlet, place and date that
    printed it (the same piece in two regions' papers is two documents; twice in one paper, one)."""
    where = "\0".join(str(document.meta.get(k) or "") for k in ("source", "region", "date"))
    return hashlib.blake2b(f"{where}\0{text}".encode(), digest_size=12).hexdigest()


def _covers(inside: dict[str, set[str]]) -> dict[str, list[tuple[str, int]]]:
    """For each phrase ``inside`` known forms, every (form, offset) at which one of its forms holds it."""
    return {
        phrase: [(form, k) for form in forms for k in range(len(form) - len(phrase) + 1) if form.startswith(phrase, k)]
        for phrase, forms in inside.items()
    }


def _uncovered(matches: list[tuple[int, int, str]], covers: dict[str, list[tuple[str, int]]]) -> Iterator[str]:
    """The phrases of ``covers`` at each of their occurrences not covered by one of their known forms:
    an occurrence at ``start`` is covered where a form holding it at offset ``k`` starts at ``start - k``."""
    occurring = {(start, phrase) for start, _, phrase in matches}
    for start, _, phrase in matches:
        if phrase in covers and not any((start - k, form) in occurring for form, k in covers[phrase]):
            yield phrase


def _flat(text: str) -> str:
    return " ".join(text.split())
