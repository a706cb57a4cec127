"""Mining: phrases that look like formulas and are not in the lexicons yet.

Two families of evidence, because each fails where the other works: character
n-gram statistics over the corpus (:mod:`.ngrams`), and formula shapes that mark
a formula a small corpus mentions only once or twice (:mod:`.shapes`); every
weight that ranks them is in :mod:`.rank`.

The corpus is read twice, streamed: a first pass counts n-grams and finds
shapes, a second finds every proposal again for its counts, neighbours, forms
and examples. A candidate that is part of a longer candidate with nearly the
same count (``FOLD`` of it or more) is folded into the longer one — unless it
has a shape of its own, or the longer one is only itself behind a leading verb
(争创全国文明典范城市 proposes 全国文明典范城市 too; a parallel run keeps its verb,
which belongs to its first item: 增强…、坚定…、做到…). Phrases already in the
lexicons (any form, or part of one), already decided by a curator, made of
function words, or page boilerplate never appear; text in boilerplate lines and
repeated passages is not evidence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from itertools import repeat
from typing import IO, Any, Protocol

import ahocorasick

from ..ingest.documents import Document
from ..lexicon import Lexicon
from ..text.furniture import body_text, repeat_spans
from ..text.normalize import SEPARATOR, normalize, normalize_phrase, strip_noise
from ..text.places import Places
from . import model as learned
from . import rank
from .features import CLOSING, NAMES, OPENING, Evidence, Usage, governed_at, period_of, vector
from .ngrams import MAX_N, MIN_N, STRETCH, cohesion, count_ngrams, entropy
from .shapes import (
    DIGITS,
    HEADS,
    MEETING_SPIRIT,
    NUMBERED,
    QUOTED,
    TITLE,
    bounded,
    echoes,
    headed_clauses,
    parallel,
    qualified,
    without_lead,
)  # fmt: skip
from .variants import ALONE, Entries, containers

CHARS_PER_COUNT = 2_000_000
FOLD = 0.85
EXAMPLES = 3
CONTEXT = 15

STOP_PHRASES = {
    "免费阅读", "下载文档", "版权所有", "阅读已结束", "点击下载", "离线阅读", "资源描述", "本文内容",
    "当前位置", "发布时间", "文档来源", "责任编辑", "同志们", "习近平总书记", "总书记",
}  # fmt: skip
"""Page boilerplate and high-frequency names that are never formulas."""


@dataclass(frozen=True, slots=True)
class Example:
    """One place a candidate occurs: the document and the original text around it."""

    doc_id: str
    left: str
    matched: str
    right: str
    printing: str = field(default="", compare=False, repr=False)
    """The printing of its document (:func:`_printing`), so partitions merge into the examples one pass keeps."""

    def as_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "left": self.left, "matched": self.matched, "right": self.right}


@dataclass(frozen=True)
class Candidate:
    """A phrase that looks like a formula, with the evidence for it."""

    id: str
    phrase: str
    score: float
    freq: int
    docs: int
    signals: tuple[str, ...]
    forms: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    cohesion: float = 0.0
    entropy: float = 0.0
    regions: tuple[tuple[str, int], ...] = ()
    """The places of the documents it occurs in, with how many documents each (most first): where to file it."""
    features: tuple[float, ...] = ()
    """Its row of :data:`.features.NAMES`, what the learned ranking scores."""
    terms: tuple[learned.Term, ...] = ()
    """What each feature (learned) or weight (hand-set) added to its score: ``mine --explain``."""
    ranking: str = "hand-set weights"
    """What ranked it: the hand-set weights of :mod:`.rank`, or the model learned in this run."""
    variant_of: str | None = None
    """The known entry it is a shorter or longer form of (``review`` can accept it as a variant)."""

    def as_dict(self) -> dict[str, object]:
        """A flat record for JSONL, CSV and the pending queue."""
        return {
            "id": self.id,
            "phrase": self.phrase,
            "score": round(self.score, 3),
            "freq": self.freq,
            "docs": self.docs,
            "signals": list(self.signals),
            "forms": list(self.forms),
            "cohesion": round(self.cohesion, 3),
            "entropy": round(self.entropy, 3),
            "examples": [e.as_dict() for e in self.examples],
            "regions": dict(self.regions),
            "variant_of": self.variant_of,
        }


def candidate_id(phrase: str) -> str:
    """The same phrase gets the same id in every run: a hash of its normalized form."""
    return "c-" + hashlib.sha1(normalize_phrase(phrase).encode()).hexdigest()[:10]  # noqa: S324 - an id, not security


@dataclass
class _Evidence:
    """What the first pass gathers from the body of every document."""

    stretches: list[str] = field(default_factory=list)
    shapes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    characters: int = 0


class Passes(Protocol):
    """The two reads of the corpus :func:`mine` makes and the n-gram counts between them: in this process
    (:class:`LocalPasses`), or map-reduced over a cluster's partitions (``phrasefinder.distributed``)."""

    def first(self) -> _Evidence:
        """The first pass's evidence; ``stretches`` may stay where they were read, for :meth:`count`."""
        ...

    def count(self, evidence: _Evidence, min_freq: int) -> dict[int, Counter[str]]:
        """:func:`~.ngrams.count_ngrams` of every stretch of the first pass."""
        ...

    def second(self, automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]) -> _Found:
        """The second pass over every document."""
        ...


@dataclass(frozen=True)
class LocalPasses:
    """Both passes over ``documents()`` in this process."""

    documents: Callable[[], Iterable[Document]]

    def first(self) -> _Evidence:
        return first_pass(self.documents())

    def count(self, evidence: _Evidence, min_freq: int) -> dict[int, Counter[str]]:
        return count_ngrams(evidence.stretches, min_freq)

    def second(self, automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]) -> _Found:
        return second_pass(self.documents(), automaton, places, inside)


def mine(
    documents: Callable[[], Iterable[Document]] | Passes,
    lexicon: Lexicon | None = None,
    *,
    decided: Iterable[str] = (),
    rejected: Iterable[str] = (),
    top: int = 100,
    min_freq: int | None = None,
    learner: str = learned.LEARNERS[0],
) -> list[Candidate]:
    """The ``top`` formula-like phrases in the documents, best first.

    ``documents`` is called twice (counting, then evidence), so the corpus is
    streamed rather than held; ``decided`` are phrases a curator has accepted
    or rejected already, ``rejected`` those rejected (negatives for the learned
    ranking, with random frequent n-grams; the lexicon's entries are its
    positives). ``min_freq`` (default: 2, or one per ``CHARS_PER_COUNT``
    characters of text on larger corpora) is the fewest occurrences of a
    statistical candidate: it bounds the memory the counts take. ``documents``
    may instead be the :class:`Passes` of a cluster, with the same candidates.
    """
    passes = LocalPasses(documents) if callable(documents) else documents
    evidence = passes.first()
    known = _known_forms(lexicon, decided)
    threshold = min_freq or max(2, evidence.characters // CHARS_PER_COUNT)
    counts = passes.count(evidence, threshold)
    evidence = replace(evidence, stretches=[])  # counted: the largest thing held, let go before the second pass
    proposals = _proposals(evidence, counts, known)
    if not proposals:
        return []
    entries = Entries(lexicon)
    positives = {f for f in entries.entry_of if len(f) >= 2} - proposals.keys()
    negatives = _negatives(proposals, {normalize_phrase(p) for p in rejected}) - positives
    automaton = _automaton([*proposals, *positives, *negatives, *(k for k in known if len(k) >= 2)])
    places = Places(e.region for e in lexicon or () if e.region)
    inside = containers(automaton, known)
    found = passes.second(automaton, places, {p: f for p, f in inside.items() if p in proposals})
    kept = [p for p in _unfolded(proposals, found.freq, automaton) if p not in inside or _stands_alone(p, found)]
    context = _Context(evidence, counts, found, proposals, inside, entries)
    model = learned.fit(context.rows(positives), context.rows(negatives), learner)
    ranked = _scored([_candidate(p, context) for p in kept], model)
    # jieba's judgement only lowers scores, and costs: it is asked about the front-runners alone, and
    # only they get their forms, examples, places and the entry they are a form of.
    front = [_with_word_boundaries(_completed(c, context), found, model) for c in ranked[: top * rank.JIEBA_DEPTH]]
    ranked = _scored(front, model)
    return [_explained(c, model) for c in _one_per_formula(ranked)[:top]]


def _one_per_formula(ranked: list[Candidate]) -> list[Candidate]:
    """Separator forms (共商共建共享, 共商、共建、共享) and orderings of the same items are one candidate: the
    best-ranked, with the others' phrases among its forms."""
    seen: dict[object, int] = {}
    kept: list[Candidate] = []
    for candidate in ranked:
        keys = (candidate.phrase.replace(SEPARATOR, ""), frozenset(candidate.phrase.split(SEPARATOR)))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is None:
            seen.update(dict.fromkeys(keys, len(kept)))
            kept.append(candidate)
            continue
        forms = tuple(dict.fromkeys((*kept[first].forms, candidate.phrase, *candidate.forms)))
        kept[first] = replace(kept[first], forms=forms)
    return kept


def _negatives(proposals: dict[str, set[str]], rejected: set[str]) -> set[str]:
    """Proposals drawn at random (frequent n-grams and shaped phrases: most are not formulas), and every
    rejected phrase.

    Drawn from the proposals, not from all n-grams, so that negatives have every shape candidates have
    (enumerations included): a feature only positives can have would rank by itself.
    """
    pool = sorted(proposals)
    drawn = random.Random(learned.SEED).sample(pool, min(learned.NEGATIVES, len(pool)))  # noqa: S311 - a sample
    return set(drawn) | rejected


@dataclass(frozen=True)
class _Context:
    """What both passes found, and the lexicon's forms: all a phrase's labels and features come from."""

    evidence: _Evidence
    counts: dict[int, Counter[str]]
    found: _Found
    proposals: dict[str, set[str]]
    inside: dict[str, set[str]]
    entries: Entries

    def labels(self, phrase: str) -> set[str]:
        """Its shapes and its relation to the known forms (a proposal's as proposed)."""
        labels = set(self.proposals.get(phrase) or _labels(phrase, self.evidence.shapes.get(phrase, set())))
        if self.inside.get(phrase):
            labels.add("shorter-form")
        if self.entries.extended(phrase):
            labels.add("longer-form")
        return labels

    def variant_of(self, phrase: str) -> str | None:
        """The entry a shorter or longer form is a form of: the commonest known form around it, else the
        longest inside it."""
        around = sorted(self.inside.get(phrase, ()), key=lambda f: (-self.found.freq[f], f))
        ids = [self.entries.entry_of[f] for f in around if f in self.entries.entry_of]
        inner = self.entries.extended(phrase)
        return ids[0] if ids else self.entries.entry_of[inner] if inner else None

    def evidence_of(self, phrase: str, labels: set[str]) -> Evidence:
        """The phrase's counts, cohesion and neighbour entropies, from the counts and the second pass."""
        found = self.found
        return Evidence(
            phrase, frozenset(labels), found.freq[phrase], len(found.docs[phrase]),
            cohesion(phrase.replace(SEPARATOR, ""), self.counts, self.evidence.characters),
            entropy(found.left[phrase]), entropy(found.right[phrase]),
        )  # fmt: skip

    def row(self, phrase: str, labels: set[str]) -> list[float]:
        """The phrase's features (:func:`.features.vector`)."""
        return vector(self.evidence_of(phrase, labels), self.found.usage)

    def rows(self, phrases: set[str]) -> list[list[float]]:
        """Training rows of the phrases the corpus uses, jieba's marks included (from the first example only:
        cutting every example of thousands of rows would cost more than the model)."""
        used = sorted(p for p in phrases if self.found.freq[p])
        return [self.row(p, self.labels(p) | rank.word_marks(p, self.found.examples[p][:1])) for p in used]


def _scored(candidates: list[Candidate], model: learned.Model | None) -> list[Candidate]:
    """The candidates scored by the model (their hand-set score without one), best first."""
    if model is not None:
        scores = model.scores([c.features for c in candidates])
        ranking = f"{model.learner} model learned from {model.positives:,} entries and {model.negatives:,} negatives"
        candidates = [replace(c, score=s, ranking=ranking) for c, s in zip(candidates, scores, strict=True)]
    return sorted(candidates, key=lambda c: (-c.score, c.phrase))


def first_pass(documents: Iterable[Document]) -> _Evidence:
    evidence = _Evidence()
    for document in documents:
        body = body_text(document.text)
        normalized = normalize(body).text
        for s, e in reversed(repeat_spans(normalized)):
            normalized = normalized[:s] + "。" + normalized[e:]
        evidence.characters += len(normalized)
        evidence.stretches.extend(s for s in STRETCH.findall(normalized) if len(s) >= 2)
        for quoted in QUOTED.findall(body):
            phrase = normalize_phrase(quoted)
            if 3 <= len(phrase) <= 16 or (len(phrase) == 2 and NUMBERED.match(phrase)):
                evidence.shapes[phrase].add("quoted")
        plain = strip_noise(body)
        for phrase in parallel(plain):
            evidence.shapes[normalize_phrase(phrase)].add("parallel")
        for phrase in qualified(normalized):
            evidence.shapes[phrase].add("qualified")
        for phrase in headed_clauses(normalized):
            evidence.shapes[phrase].add("clause")
    return evidence


def merge_evidence(parts: Iterable[_Evidence]) -> _Evidence:
    """The first pass's shapes and characters over partitions read in input order (their stretches stay
    behind: :meth:`Passes.count` counts them where they are)."""
    merged = _Evidence()
    for part in parts:
        merged.characters += part.characters
        for phrase, signals in part.shapes.items():
            merged.shapes[phrase] |= signals
    return merged


def _proposals(evidence: _Evidence, counts: dict[int, Counter[str]], known: set[str]) -> dict[str, set[str]]:
    """Every phrase worth a second look, with the shape signals it already has."""
    proposals: dict[str, set[str]] = defaultdict(set)
    for gram in _statistical(counts):
        for phrase in {gram, without_lead(gram)}:
            if _plausible(phrase, known):
                proposals[phrase]
    for phrase, signals in evidence.shapes.items():
        if _plausible(phrase, known, shaped=True):
            proposals[phrase] |= signals
    for phrase in list(proposals):
        rest = without_lead(phrase)
        if rest != phrase and _plausible(rest, known, shaped=True):
            proposals[rest] |= proposals[phrase] - {"verb-led"}
    return {phrase: _labels(phrase, signals) for phrase, signals in proposals.items()}


def _labels(phrase: str, shapes: set[str]) -> set[str]:
    """The shapes found for a phrase, and what its own characters say: numbered, head, title, verb-led."""
    labels = set(shapes)
    if NUMBERED.match(phrase) or DIGITS.match(phrase):
        labels.add("numbered")
    if phrase.endswith(HEADS) and len(phrase) > 2 and not MEETING_SPIRIT.search(phrase):
        labels.add("head")
    if TITLE.match(phrase):
        labels.add("title")
    if without_lead(phrase) != phrase:
        labels.add("verb-led")
    if echoes(phrase):
        labels.add("echo")
    return labels


def _statistical(counts: dict[int, Counter[str]]) -> Iterator[str]:
    """Counted n-grams of MIN_N or more, less those folded into a one-longer n-gram."""
    folded: set[str] = set()
    for n in range(MIN_N + 1, MAX_N + 1):
        for gram, count in counts.get(n, Counter()).items():
            rest = without_lead(gram)
            parts = [p for p in (gram[:-1], gram[1:]) if rest != p and count >= FOLD * counts[n - 1][p]]
            if parts and bounded(gram):
                folded.update(parts)
    for n in range(MIN_N, MAX_N + 1):
        yield from (gram for gram in counts.get(n, Counter()) if gram not in folded)


def _automaton(proposals: Iterable[str]) -> ahocorasick.Automaton:
    """One automaton over the proposals (and the training phrases): it finds them in the corpus, and inside
    each other."""
    automaton = ahocorasick.Automaton()
    for phrase in proposals:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return automaton


def _unfolded(proposals: dict[str, set[str]], freq: Counter[str], automaton: ahocorasick.Automaton) -> list[str]:
    """Proposals found at all, less those that are part of a longer one seen nearly as often."""
    folded = set()
    for longer, signals in proposals.items():
        if "verb-led" in signals:
            continue
        for _, part in automaton.iter(longer):
            if part == longer or part not in proposals:
                continue
            shaped = proposals[part] & {"quoted", "parallel", "qualified", "clause"}
            if not shaped and freq[longer] >= FOLD * freq[part]:
                folded.add(part)
    return [p for p in proposals if freq[p] > 0 and p not in folded]


def _plausible(phrase: str, known: set[str], shaped: bool = False) -> bool:
    if phrase in STOP_PHRASES or phrase in known:
        return False
    if not shaped and not bounded(phrase):
        return False
    return len(phrase) >= (2 if shaped else MIN_N)


def _known_forms(lexicon: Lexicon | None, decided: Iterable[str]) -> set[str]:
    forms = {normalize_phrase(p) for p in decided}
    for entry in lexicon or ():
        forms.update(normalize_phrase(surface) for surface, _ in entry.surfaces())
    return forms


@dataclass
class _Found:
    freq: Counter[str] = field(default_factory=Counter)
    docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    left: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    right: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[Example]] = field(default_factory=lambda: defaultdict(list))
    regions: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    usage: Usage = field(default_factory=Usage)
    alone: Counter[str] = field(default_factory=Counter)
    """Occurrences of a phrase inside known forms that stood outside all of them."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as plain dicts and tuples, which pickle in C, not as Counters and dataclasses: the second
        pass of the national work and congress reports (4.6 MB) pickles in 6.8 s instead of 17.5 s and
        loads in 12.3 s instead of 16.7 s, where a cluster's workers hand it to the client."""
        nested = {name: {p: dict(c) for p, c in getattr(self, name).items()} for name in _COUNTED}
        examples = {
            p: [(e.doc_id, e.left, e.matched, e.right, e.printing) for e in found] for p, found in self.examples.items()
        }
        usage = {name: dict(getattr(self.usage, name)) for name in _USAGE}
        return _found, ((dict(self.freq), dict(self.docs), nested, examples, usage, dict(self.alone)),)


_COUNTED = ("left", "right", "forms", "regions")
_USAGE = tuple(f.name for f in fields(Usage))


_State = tuple[
    dict[str, int],
    dict[str, set[str]],
    dict[str, dict[str, dict[str, int]]],
    dict[str, list[tuple[str, str, str, str, str]]],
    dict[str, dict[str, Any]],
    dict[str, int],
]


def _found(state: _State) -> _Found:
    """A :class:`_Found` from what its ``__reduce__`` gave."""
    freq, docs, nested, examples, usage, alone = state
    found = _Found(freq=Counter(freq), alone=Counter(alone))
    found.docs.update(docs)
    for name, counters in nested.items():
        getattr(found, name).update((p, Counter(c)) for p, c in counters.items())
    found.examples.update((p, [Example(*e) for e in kept]) for p, kept in examples.items())
    for name, values in usage.items():
        getattr(found.usage, name).update(values)
    return found


def second_pass(
    documents: Iterable[Document], automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]
) -> _Found:
    """Where each proposal occurs: counts, documents, neighbours, surface forms, examples, places, usage,
    and, for a phrase ``inside`` known forms, how often it stands outside them.

    A document is known by its printing (:func:`_printing`), so an article
    printed twice (on two pages, under two ids) is one document and one example, not two. A document's
    matches are counted at once, neighbours and forms in flat Counters keyed by (phrase, neighbour) that
    are nested at the end: ``Counter.update`` counts in C, where a statement per match would cost 2x.
    """
    found = _Found()
    neighbours: dict[str, Counter[tuple[str, str]]] = {name: Counter() for name in _COUNTED}
    covers = _covers(inside)
    for document in documents:
        body = body_text(document.text)
        normalized = normalize(body)
        text = normalized.text
        matches = [(last + 1 - len(phrase), last + 1, phrase) for last, phrase in automaton.iter(text)]
        if not matches:
            continue
        key = _printing(text, document)
        phrases = [phrase for _, _, phrase in matches]
        starts, ends = [m[0] for m in matches], [m[1] for m in matches]
        sources, source_ends = normalized.spans(starts, ends)  # one pass for the document
        padded, quotes = f"^{text}$", f"\0{body}\0"  # padded[start] is the character before, padded[end + 1] after
        found.freq.update(phrases)
        neighbours["left"].update(zip(phrases, map(padded.__getitem__, starts), strict=True))
        neighbours["right"].update(zip(phrases, [padded[e + 1] for e in ends], strict=True))
        written = map(body.__getitem__, map(slice, sources, source_ends))
        neighbours["forms"].update(zip(phrases, written, strict=True))
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
                examples.append(Example(document.id, _flat(left), body[s:e], _flat(right), key))
        if covers:
            found.alone.update(_uncovered(matches, covers))
        region = str(document.meta.get("region") or "") or places.of(text)
        if region:
            neighbours["regions"].update(zip(seen, repeat(region)))
    for name, pairs in neighbours.items():
        nested = getattr(found, name)
        for (phrase, value), count in pairs.items():
            nested[phrase][value] = count
    return found


def merge_found(parts: Iterable[_Found]) -> _Found:
    """The second pass over partitions read in input order, as one pass over all of them finds it: counts
    added (first-seen order kept, so ties rank alike), printings joined, usage merged, and examples taken
    in order, one per printing, up to ``EXAMPLES``."""
    merged = _Found()
    for part in parts:
        for phrase, examples in part.examples.items():
            into = merged.examples[phrase]
            for example in examples:
                if len(into) < EXAMPLES and example.printing not in merged.docs[phrase]:
                    into.append(example)
        merged.freq.update(part.freq)
        merged.alone.update(part.alone)
        for name in _COUNTED:
            counters = getattr(merged, name)
            for phrase, counter in getattr(part, name).items():
                counters[phrase].update(counter)
        for phrase, printings in part.docs.items():
            merged.docs[phrase] |= printings
        merged.usage.merge(part.usage)
    return merged


def _printing(text: str, document: Document) -> str:
    """What tells one printing of an article from another: its text, and the outlet, place and date that
    printed it (the same piece in two regions' papers is two documents; twice in one paper, one)."""
    where = "\0".join(str(document.meta.get(k) or "") for k in ("source", "region", "date"))
    return hashlib.blake2b(f"{where}\0{text}".encode(), digest_size=12).hexdigest()


def _stands_alone(phrase: str, found: _Found) -> bool:
    """Whether a phrase inside known forms is used outside them often enough to be proposed (依法治国)."""
    return found.alone[phrase] >= max(2, ALONE * found.freq[phrase])


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


def _candidate(phrase: str, context: _Context) -> Candidate:
    """The phrase scored: its counts, signals and features (what ranking reads); :func:`_completed`
    adds what only a front-runner needs."""
    labels = context.labels(phrase)
    evidence = context.evidence_of(phrase, labels | rank.dictionary_marks(phrase))
    entropy_ = min(evidence.entropy_left, evidence.entropy_right)
    score = rank.score(
        phrase, labels, freq=evidence.freq, docs=evidence.docs, cohesion=evidence.cohesion, entropy=entropy_
    )
    features = tuple(vector(evidence, context.found.usage))
    return Candidate(
        "", phrase, score, evidence.freq, evidence.docs, tuple(sorted(labels)),
        cohesion=evidence.cohesion, entropy=entropy_, features=features,
    )  # fmt: skip


def _completed(candidate: Candidate, context: _Context) -> Candidate:
    """The candidate with its id, commonest written forms, examples, places and the entry it is a form of."""
    phrase, found = candidate.phrase, context.found
    return replace(
        candidate,
        id=candidate_id(phrase),
        forms=tuple(form for form, _ in found.forms[phrase].most_common(5)),
        examples=tuple(found.examples[phrase]),
        regions=tuple(found.regions[phrase].most_common()),
        variant_of=context.variant_of(phrase),
    )


def _with_word_boundaries(candidate: Candidate, found: _Found, model: learned.Model | None) -> Candidate:
    """The candidate marked (and marked down) where jieba sees a fragment or an everyday word."""
    marks = rank.word_marks(candidate.phrase, found.examples[candidate.phrase])
    labels = set(candidate.signals) | marks
    if model is not None:
        features = dict(zip(NAMES, candidate.features, strict=True)) | dict.fromkeys(marks, 1.0)
        return replace(candidate, signals=tuple(sorted(labels)), features=tuple(features[n] for n in NAMES))
    penalty = sum(rank.PENALTIES[label] for label in labels - set(candidate.signals))
    return replace(candidate, signals=tuple(sorted(labels)), score=candidate.score - penalty)


def _explained(candidate: Candidate, model: learned.Model | None) -> Candidate:
    """The candidate with what each feature (or hand-set weight) added to its score."""
    if model is not None:
        return replace(candidate, terms=tuple(model.explain(candidate.features)))
    labels = set(candidate.signals)
    parts = rank.terms(
        candidate.phrase, labels, freq=candidate.freq, docs=candidate.docs,
        cohesion=candidate.cohesion, entropy=candidate.entropy,
    )  # fmt: skip
    parts |= {label: -rank.PENALTIES[label] for label in ("split-word", "common-word") if label in labels}
    return replace(candidate, terms=tuple(learned.Term(name, 1.0, value) for name, value in parts.items()))


def write_candidates(candidates: list[Candidate], fmt: str, stream: IO[bytes]) -> None:
    """Candidates as JSON lines, YAML or CSV (one row each, the first example with the phrase in [])."""
    records = [c.as_dict() for c in candidates]
    if fmt == "jsonl":
        stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    elif fmt == "yaml":
        import yaml

        stream.write(yaml.safe_dump(records, allow_unicode=True, sort_keys=False).encode())
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["id", "phrase", "score", "freq", "docs", "signals", "forms", "example"])
        for c in candidates:
            example = c.examples[0] if c.examples else None
            shown = f"{example.left}[{example.matched}]{example.right}" if example else ""
            writer.writerow(
                [c.id, c.phrase, f"{c.score:.2f}", c.freq, c.docs, ";".join(c.signals), ";".join(c.forms), shown]
            )
        stream.write(text.getvalue().encode())
    else:
        msg = f"unknown candidate format '{fmt}' (expected jsonl, yaml or csv)"
        raise ValueError(msg)
