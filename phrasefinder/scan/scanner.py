"""The scanner: one Aho-Corasick automaton (:mod:`.engines`) over every normalized surface form.

Matching runs on the normalized text; each hit is then mapped back to the
source, so ``text[hit.start:hit.end] == hit.matched`` on the document exactly
as it was decoded. Work beyond the automaton pass (exclusions, nesting, page
furniture, offsets, context) is done only for documents that have hits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any, Literal

from ..ingest.documents import Document
from ..lexicon import Lexicon, cache
from ..text.dates import iso_date
from ..text.furniture import boilerplate_spans, repeat_spans
from ..text.normalize import Normalized, normalize, normalize_phrase
from . import engines
from .engines import Name
from .hit import DOCUMENT_FIELDS, Hit, Kind, Sense

Overlap = Literal["all", "longest"]


_Target = tuple[int, "str | None", int, bool, "Sense | None"]
"""What an automaton key stands for: the entry's index in the lexicon, the member (``None`` for the
formula), the form's length, whether it is one of the entry's exclusions, and the sense of every hit
when the entry has no ``require`` rule (``ambiguous`` or ``None``). Plain tuples, so the compiled
matcher of a large set is read back from the cache in a blink."""

_Found = tuple[int, int, _Target, "Sense | None"]
"""A match on the normalized text: start, end, what it stands for, and its sense."""


class Scanner:
    """Finds every entry of a lexicon in texts.

    >>> scanner = Scanner(Lexicon.load())
    >>> [(h.phrase, h.kind, h.nested) for h in scanner.scan("增強“四個意識”，堅定道路自信")]
    [('四个意识', 'phrase', False), ('四个自信', 'member', False)]
    """

    def __init__(
        self, lexicon: Lexicon, *, overlap: Overlap = "all", context: int = 20, engine: Name = "ahocorasick_rs"
    ) -> None:
        if overlap not in ("all", "longest"):
            msg = f"overlap must be 'all' or 'longest', not {overlap!r}"
            raise ValueError(msg)
        self.lexicon = lexicon
        self.overlap = overlap
        self.context = context
        self.engine = engine
        forms, self._targets = _compiled(lexicon)
        self._entries = [(e.id, e.phrase, e.category, e.level) for e in lexicon.entries]  # what a hit copies
        self._matcher = engines.build(engine, forms)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its settings: a spawned worker builds the automaton again, nothing compiled is shipped
        (a forked one shares the parent's)."""
        return (partial(Scanner, overlap=self.overlap, context=self.context, engine=self.engine), (self.lexicon,))

    def scan(self, document: Document | str) -> list[Hit]:
        """Every hit in ``document`` (a plain string gets the id ``""``), ordered by start."""
        if isinstance(document, str):
            document = Document("", document)
        normalized = normalize(document.text)
        found = self._find(normalized.text)
        if not found:
            return []
        return self._hits(document, normalized, found)

    def scan_frame(self, frame: Any, text: str = "text", id: str | None = "id") -> Any:  # noqa: A002 - the API the users asked for
        """Hits of every row, the row's other columns carried along, as the kind of frame given.

        Polars (a LazyFrame is read in streaming batches, so only the hits are
        held in memory, and gives a DataFrame), pandas or an Arrow table;
        ``doc_id`` keeps the id column's type. ``id=None`` identifies rows by
        their number.
        """
        from .frames import scan_frame

        return scan_frame(self, frame, text, id)

    def _find(self, text: str) -> list[_Found]:
        hits: list[_Found] = []
        excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
        entries = self.lexicon.entries
        for index, start, end in self._matcher.matches(text):
            for target in self._targets[index]:
                entry, _, _, exclude, fixed = target
                if exclude:
                    excluded[entries[entry].id].append((start, end))
                else:
                    rule = entries[entry].require  # None for almost every entry: no call on the hot path
                    sense: Sense | None = (
                        fixed if rule is None else "passed" if rule.passes(text, start, end) else "failed"
                    )
                    hits.append((start, end, target, sense))
        if excluded:
            hits = [h for h in hits if not _inside(h[0], h[1], excluded.get(entries[h[2][0]].id, ()))]
        rows = self._entries
        hits.sort(key=lambda h: (h[0], -h[1], rows[h[2][0]][0]))
        return _longest(hits) if self.overlap == "longest" else hits

    def _hits(self, document: Document, normalized: Normalized, found: list[_Found]) -> list[Hit]:
        """The matches as hits: offsets in the source, flags, context, the document's fields.

        One pass per document for what can be done for all its matches at once
        (offsets, furniture, repeats), then one tuple per hit.
        """
        source = document.text
        starts, ends = normalized.spans([f[0] for f in found], [f[1] for f in found])
        furniture = _flags(starts, boilerplate_spans(source))
        repeats = repeat_spans(normalized.text)
        fields = _document_fields(document)
        entries = self._entries
        context = self.context
        hits = []
        max_end = {"phrase": -1, "member": -1}  # the furthest end of a containing hit, by kind
        for (start, end, (index, member, *_), sense), s, e, boilerplate in zip(
            found, starts, ends, furniture, strict=True
        ):
            kind: Kind = "phrase" if member is None else "member"
            nested = sense != "failed" and end <= max_end[kind]
            if sense in (None, "passed"):  # a hit in another sense, or of uncertain sense, contains nothing
                max_end[kind] = max(max_end[kind], end)
            entry_id, phrase, category, level = entries[index]
            repeat = bool(repeats) and _inside(start, end, repeats)
            left, right = source[max(0, s - context) : s], source[e : e + context]
            hits.append(
                Hit(document.id, entry_id, kind, member, phrase, source[s:e], s, e, category, level, nested,
                    sense, boilerplate, repeat, left, right, *fields)
            )  # fmt: skip
        return hits


def _compiled(lexicon: Lexicon) -> tuple[list[str], list[tuple[_Target, ...]]]:
    """Every normalized form and what each stands for; from the cache when the set came from files seen before."""
    cached = cache.load("forms", lexicon.cache_key) if lexicon.cache_key else None
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    compiled = _compile(lexicon)
    if lexicon.cache_key:
        cache.store("forms", lexicon.cache_key, compiled)
    return compiled


def _compile(lexicon: Lexicon) -> tuple[list[str], list[tuple[_Target, ...]]]:
    """The distinct normalized forms, and for form ``i`` every target sharing it.

    Plain tuples for the targets make a cached copy quick to read back: no object
    of the lexicon is pickled twice.
    """
    specs: dict[str, list[_Target]] = defaultdict(list)
    for index, entry in enumerate(lexicon):
        sense: Sense | None = "ambiguous" if entry.ambiguous else None
        for surface, member in entry.surfaces():
            form = normalize_phrase(surface)
            specs[form].append((index, member, len(form), False, sense))
        for excluded in entry.exclude:
            form = normalize_phrase(excluded)
            specs[form].append((index, None, len(form), True, None))
    return list(specs), [tuple(found) for found in specs.values()]


def _document_fields(document: Document) -> tuple[str | None, ...]:
    """The document's metadata as every hit carries it (:data:`DOCUMENT_FIELDS`); the date read once here,
    so every output and the report see one reading of it."""
    meta = document.meta.get
    date, precision = iso_date(meta("date"))
    return (date, precision, *(meta(key) for key in DOCUMENT_FIELDS[2:]))


def _flags(starts: list[int], lines: list[tuple[int, int]]) -> list[bool]:
    """For each source offset in ``starts``, whether it falls in one of the (sorted) ``lines``."""
    if not lines:
        return [False] * len(starts)
    line_starts = [s for s, _ in lines]
    found = (bisect_right(line_starts, s) - 1 for s in starts)
    return [k >= 0 and s < lines[k][1] for s, k in zip(starts, found, strict=True)]


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _longest(hits: list[_Found]) -> list[_Found]:
    """Leftmost-longest, non-overlapping: the reading a human would underline.

    Hits that fail their sense rule are kept for the curator, and neither win
    nor block: they are not a reading of the text.
    """
    kept = []
    end = -1
    for hit in hits:
        if hit[3] == "failed":
            kept.append(hit)
        elif hit[0] >= end:
            kept.append(hit)
            end = hit[1]
    return kept
