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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import IO, Protocol

import ahocorasick

from ..ingest.documents import Document
from ..lexicon import Lexicon
from ..text.furniture import body_text, repeat_spans
from ..text.normalize import SEPARATOR, normalize, normalize_phrase, strip_noise
from ..text.places import Places
from . import rank
from .ngrams import MAX_N, MIN_N, STRETCH, cohesion, count_ngrams, entropy
from .shapes import (
    DIGITS,
    HEADS,
    MEETING_SPIRIT,
    NUMBERED,
    QUOTED,
    STOP_CHARS,
    STOP_END,
    TITLE,
    headed_clauses,
    parallel,
    qualified,
    without_lead,
)  # fmt: skip

CHARS_PER_COUNT = 2_000_000
FOLD = 0.85
EXAMPLES = 3
CONTEXT = 15

STOP_PHRASES = {
    "免费阅读", "下载文档", "版权所有", "阅读已结束", "点击下载", "离线阅读", "资源描述", "本文内容",
    "当前位置", "发布时间", "文档来源", "责任编辑", "同志们", "习近平总书记", "总书记",
}  # fmt: skip
"""Page boilerplate and high-frequency names that are never formulas."""


@dataclass(frozen=True)
class Example:
    """One place a candidate occurs: the document and the original text around it."""

    doc_id: str
    left: str
    matched: str
    right: str


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
            "examples": [e.__dict__ for e in self.examples],
            "regions": dict(self.regions),
        }


def candidate_id(phrase: str) -> str:
    """The same phrase gets the same id in every run: a hash of its normalized form."""
    return "c-" + hashlib.sha1(normalize_phrase(phrase).encode()).hexdigest()[:10]  # noqa: S324 - an id, not security


@dataclass
class _Evidence:
    """What the first pass gathers from the body of every document."""

    stretches: list[str] = field(default_factory=list)
    grams: dict[int, Counter[str]] = field(default_factory=dict)
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

    def second(self, automaton: ahocorasick.Automaton, places: Places) -> _Found:
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

    def second(self, automaton: ahocorasick.Automaton, places: Places) -> _Found:
        return second_pass(self.documents(), automaton, places)


def mine(
    documents: Callable[[], Iterable[Document]] | Passes,
    lexicon: Lexicon | None = None,
    *,
    decided: Iterable[str] = (),
    top: int = 100,
    min_freq: int | None = None,
) -> list[Candidate]:
    """The ``top`` formula-like phrases in the documents, best first.

    ``documents`` is called twice (counting, then evidence), so the corpus is
    streamed rather than held; ``decided`` are phrases a curator has accepted
    or rejected already. ``min_freq`` (default: 2, or one per ``CHARS_PER_COUNT``
    characters of text on larger corpora) is the fewest occurrences of a
    statistical candidate: it bounds the memory the counts take. ``documents``
    may instead be the :class:`Passes` of a cluster, with the same candidates.
    """
    passes = LocalPasses(documents) if callable(documents) else documents
    evidence = passes.first()
    known = _known_forms(lexicon, decided)
    threshold = min_freq or max(2, evidence.characters // CHARS_PER_COUNT)
    counts = passes.count(evidence, threshold)
    proposals = _proposals(evidence, counts, known)
    if not proposals:
        return []
    automaton = _automaton(proposals)
    places = Places(e.region for e in lexicon or () if e.region)
    found = passes.second(automaton, places)
    kept = _unfolded(proposals, found.freq, automaton)
    ranked = [_candidate(phrase, proposals[phrase], found, counts, evidence.characters) for phrase in kept]
    ranked.sort(key=lambda c: (-c.score, c.phrase))
    # jieba's judgement only lowers scores, and costs: it is asked about the front-runners alone.
    ranked = [_with_word_boundaries(c, found) for c in ranked[: top * rank.JIEBA_DEPTH]]
    ranked.sort(key=lambda c: (-c.score, c.phrase))
    return ranked[:top]


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
        if rest != phrase:
            proposals[phrase].add("verb-led")
            if _plausible(rest, known, shaped=True):
                proposals[rest] |= proposals[phrase] - {"verb-led"}
    for phrase, signals in proposals.items():
        if NUMBERED.match(phrase) or DIGITS.match(phrase):
            signals.add("numbered")
        if phrase.endswith(HEADS) and len(phrase) > 2 and not MEETING_SPIRIT.search(phrase):
            signals.add("head")
        if TITLE.match(phrase):
            signals.add("title")
    return proposals


def _statistical(counts: dict[int, Counter[str]]) -> Iterator[str]:
    """Counted n-grams of MIN_N or more, less those folded into a one-longer n-gram."""
    folded: set[str] = set()
    for n in range(MIN_N + 1, MAX_N + 1):
        for gram, count in counts.get(n, Counter()).items():
            for part in (gram[:-1], gram[1:]):
                if without_lead(gram) != part and count >= FOLD * counts[n - 1][part]:
                    folded.add(part)
    for n in range(MIN_N, MAX_N + 1):
        yield from (gram for gram in counts.get(n, Counter()) if gram not in folded)


def _automaton(proposals: dict[str, set[str]]) -> ahocorasick.Automaton:
    """One automaton over the proposals: it finds them in the corpus, and inside each other."""
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
            shaped = proposals[part] & {"quoted", "parallel", "qualified", "clause"}
            if part != longer and not shaped and freq[longer] >= FOLD * freq[part]:
                folded.add(part)
    return [p for p in proposals if freq[p] > 0 and p not in folded]


def _plausible(phrase: str, known: set[str], shaped: bool = False) -> bool:
    if phrase in STOP_PHRASES or any(phrase in k for k in known):
        return False
    if not shaped and (phrase[0] in STOP_CHARS or phrase[-1] in STOP_END):
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


def second_pass(documents: Iterable[Document], automaton: ahocorasick.Automaton, places: Places) -> _Found:
    """Where each proposal occurs: counts, documents, neighbours, surface forms, examples, places."""
    found = _Found()
    for document in documents:
        body = body_text(document.text)
        normalized = normalize(body)
        text = normalized.text
        seen: set[str] = set()
        for last, phrase in automaton.iter(text):
            start = last + 1 - len(phrase)
            found.freq[phrase] += 1
            found.docs[phrase].add(document.id)
            seen.add(phrase)
            found.left[phrase][text[start - 1] if start else "^"] += 1
            found.right[phrase][text[last + 1] if last + 1 < len(text) else "$"] += 1
            s, e = normalized.span(start, last + 1)
            found.forms[phrase][body[s:e]] += 1
            if len(found.examples[phrase]) < EXAMPLES and document.id not in {x.doc_id for x in found.examples[phrase]}:
                left, right = body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT]
                found.examples[phrase].append(Example(document.id, _flat(left), body[s:e], _flat(right)))
        region = (str(document.meta.get("region") or "") or places.of(normalized.text)) if seen else None
        if region:
            for phrase in seen:
                found.regions[phrase][region] += 1
    return found


def merge_found(parts: Iterable[_Found]) -> _Found:
    """The second pass over partitions read in input order, as one pass over all of them finds it: counts
    added (first-seen order kept, so ties rank alike), document sets joined, and examples taken in order,
    one per document, up to ``EXAMPLES`` (a partition's own first ``EXAMPLES`` are always enough)."""
    merged = _Found()
    for part in parts:
        for name in (f.name for f in fields(_Found)):
            into, more = getattr(merged, name), getattr(part, name)
            if isinstance(more, Counter):
                into.update(more)
                continue
            for phrase, value in more.items():
                if isinstance(value, Counter):
                    into[phrase].update(value)
                elif isinstance(value, set):
                    into[phrase] |= value
                elif name == "examples":
                    _add_examples(into[phrase], value)
                else:  # a new kind of evidence must say how partitions add up, or the cluster would differ
                    msg = f"merge_found cannot merge _Found.{name} ({type(value).__name__})"
                    raise TypeError(msg)
    return merged


def _add_examples(into: list[Example], more: list[Example]) -> None:
    for example in more:
        if len(into) < EXAMPLES and example.doc_id not in {x.doc_id for x in into}:
            into.append(example)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _candidate(phrase: str, signals: set[str], found: _Found, counts: dict[int, Counter[str]], total: int) -> Candidate:
    freq = found.freq[phrase]
    docs = len(found.docs[phrase])
    cohesion_ = cohesion(phrase.replace(SEPARATOR, ""), counts, total)
    entropy_ = min(entropy(found.left[phrase]), entropy(found.right[phrase]))
    labels = set(signals)
    score = rank.score(phrase, labels, freq=freq, docs=docs, cohesion=cohesion_, entropy=entropy_)
    forms = tuple(form for form, _ in found.forms[phrase].most_common(5))
    return Candidate(
        candidate_id(phrase), phrase, score, freq, docs, tuple(sorted(labels)), forms,
        tuple(found.examples[phrase]), cohesion_, entropy_, tuple(found.regions[phrase].most_common()),
    )  # fmt: skip


def _with_word_boundaries(candidate: Candidate, found: _Found) -> Candidate:
    """The candidate marked (and marked down) where jieba sees a fragment or an everyday word."""
    labels = set(candidate.signals) | rank.word_marks(candidate.phrase, found.examples[candidate.phrase])
    penalty = sum(rank.PENALTIES[label] for label in labels - set(candidate.signals))
    return replace(candidate, signals=tuple(sorted(labels)), score=candidate.score - penalty)


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
