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
from dataclasses import dataclass, field, replace
from typing import IO, Protocol

import ahocorasick

from ..ingest.documents import Document
from ..lexicon import Lexicon
from ..text.furniture import body_text, repeat_spans
from ..text.normalize import SEPARATOR, normalize, normalize_phrase, strip_noise
from ..text.places import Places
from . import model as learned
from . import rank
from .features import NAMES, Evidence, Seen, vector
from .ngrams import MAX_N, MIN_N, STRETCH, cohesion, count_ngrams
from .occurrences import Details, Example, Found, second_pass
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

STOP_PHRASES = {
    "免费阅读", "下载文档", "版权所有", "阅读已结束", "点击下载", "离线阅读", "资源描述", "本文内容",
    "当前位置", "发布时间", "文档来源", "责任编辑", "同志们", "习近平总书记", "总书记",
}  # fmt: skip
"""Page boilerplate and high-frequency names that are never formulas."""


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

    def second(self, automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]) -> dict[str, Seen]:
        """The second pass over every document (:func:`.occurrences.second_pass`): every phrase found."""
        ...

    def details(self, phrases: Iterable[str]) -> dict[str, Details]:
        """What the last second pass found of each of ``phrases`` that a reader is shown."""
        ...


@dataclass
class LocalPasses:
    """Both passes over ``documents()`` in this process."""

    documents: Callable[[], Iterable[Document]]
    _found: Found = field(default_factory=Found)

    def first(self) -> _Evidence:
        return first_pass(self.documents())

    def count(self, evidence: _Evidence, min_freq: int) -> dict[int, Counter[str]]:
        return count_ngrams(evidence.stretches, min_freq)

    def second(self, automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]) -> dict[str, Seen]:
        self._found = second_pass(self.documents(), automaton, places, inside)
        return self._found.seen()

    def details(self, phrases: Iterable[str]) -> dict[str, Details]:
        return self._found.details(phrases)


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
    seen = passes.second(automaton, places, {p: f for p, f in inside.items() if p in proposals})
    kept = [p for p in _unfolded(proposals, seen, automaton) if p not in inside or _stands_alone(seen[p])]
    context = _Context(evidence, counts, seen, proposals, inside, entries)
    training = passes.details(p for p in positives | negatives if p in seen)
    model = learned.fit(context.rows(positives, training), context.rows(negatives, training), learner)
    ranked = _scored([_candidate(p, context) for p in kept], model)
    # jieba's judgement only lowers scores, and costs: it is asked about the front-runners alone, and
    # only they get their forms, examples, places and the entry they are a form of.
    front = ranked[: top * rank.JIEBA_DEPTH]
    shown = passes.details(c.phrase for c in front)
    front = [_with_word_boundaries(_completed(c, context, shown[c.phrase]), model) for c in front]
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
    seen: dict[str, Seen]
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
        around = sorted(self.inside.get(phrase, ()), key=lambda f: (-self.freq(f), f))
        ids = [self.entries.entry_of[f] for f in around if f in self.entries.entry_of]
        inner = self.entries.extended(phrase)
        return ids[0] if ids else self.entries.entry_of[inner] if inner else None

    def freq(self, phrase: str) -> int:
        """How often the second pass found ``phrase`` (0 for one it did not look for)."""
        seen = self.seen.get(phrase)
        return seen.freq if seen else 0

    def evidence_of(self, phrase: str, labels: set[str]) -> Evidence:
        """The phrase's counts, cohesion, neighbour entropies and usage, from the counts and the second pass."""
        cohesion_ = cohesion(phrase.replace(SEPARATOR, ""), self.counts, self.evidence.characters)
        return Evidence(phrase, frozenset(labels), cohesion_, self.seen[phrase])

    def row(self, phrase: str, labels: set[str]) -> list[float]:
        """The phrase's features (:func:`.features.vector`)."""
        return vector(self.evidence_of(phrase, labels))

    def rows(self, phrases: set[str], details: dict[str, Details]) -> list[list[float]]:
        """Training rows of the phrases the corpus uses, jieba's marks included (from the first example only:
        cutting every example of thousands of rows would cost more than the model)."""
        used = sorted(p for p in phrases if p in self.seen)
        return [self.row(p, self.labels(p) | rank.word_marks(p, details[p].examples[:1])) for p in used]


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


def _unfolded(proposals: dict[str, set[str]], seen: dict[str, Seen], automaton: ahocorasick.Automaton) -> list[str]:
    """Proposals found at all, less those that are part of a longer one seen nearly as often."""
    folded = set()
    for longer, signals in proposals.items():
        if "verb-led" in signals:
            continue
        for _, part in automaton.iter(longer):
            if part == longer or part not in proposals:
                continue
            shaped = proposals[part] & {"quoted", "parallel", "qualified", "clause"}
            if not shaped and longer in seen and part in seen and seen[longer].freq >= FOLD * seen[part].freq:
                folded.add(part)
    return [p for p in proposals if p in seen and p not in folded]


def _stands_alone(seen: Seen) -> bool:
    """Whether a phrase inside known forms is used outside them often enough to be proposed (依法治国)."""
    return seen.alone >= max(2, ALONE * seen.freq)


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


def _candidate(phrase: str, context: _Context) -> Candidate:
    """The phrase scored: its counts, signals and features (what ranking reads); :func:`_completed`
    adds what only a front-runner needs."""
    labels = context.labels(phrase)
    evidence = context.evidence_of(phrase, labels | rank.dictionary_marks(phrase))
    seen = evidence.seen
    entropy_ = min(seen.entropy_left, seen.entropy_right)
    score = rank.score(phrase, labels, freq=seen.freq, docs=seen.docs, cohesion=evidence.cohesion, entropy=entropy_)
    features = tuple(vector(evidence))
    return Candidate(
        "", phrase, score, seen.freq, seen.docs, tuple(sorted(labels)),
        cohesion=evidence.cohesion, entropy=entropy_, features=features,
    )  # fmt: skip


def _completed(candidate: Candidate, context: _Context, details: Details) -> Candidate:
    """The candidate with its id, commonest written forms, examples, places and the entry it is a form of."""
    return replace(
        candidate,
        id=candidate_id(candidate.phrase),
        forms=details.forms,
        examples=details.examples,
        regions=details.regions,
        variant_of=context.variant_of(candidate.phrase),
    )


def _with_word_boundaries(candidate: Candidate, model: learned.Model | None) -> Candidate:
    """The candidate marked (and marked down) where jieba sees a fragment or an everyday word (from its examples)."""
    marks = rank.word_marks(candidate.phrase, candidate.examples)
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
