"""Hits: what the scanner reports, and the columns every output format shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from ..ingest.chunks import META_FIELDS

DOCUMENT_FIELDS = ("date", "date_precision", *(f for f in META_FIELDS if f != "date"))
"""The document's metadata on every hit: its date as ISO and that date's precision (``year``, ``month``, ``day``;
empty where the date could not be read and is kept as given), then source, title and region."""
HIT_FIELDS = (
    "doc_id", "entry_id", "kind", "member", "phrase", "matched", "start", "end", "category", "level",
    "nested", "sense", "boilerplate", "repeat", "context_left", "context_right",
)  # fmt: skip
COLUMNS = HIT_FIELDS + DOCUMENT_FIELDS
"""Every field of a hit as written to JSONL, CSV and Parquet, in order."""
_FIELDS_OF = attrgetter(*HIT_FIELDS)

Kind = Literal["phrase", "member"]
"""``phrase``: the canonical phrase or a variant, an occurrence of the formula; ``member``: one part of it."""
Sense = Literal["passed", "failed", "ambiguous"]
"""How the entry's sense rule judged the hit (``None`` where the entry has none)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a formula (or of one member of it) in a document."""

    doc_id: str
    entry_id: str
    kind: Kind
    member: str | None
    phrase: str
    matched: str
    start: int
    end: int
    category: str
    level: str | None
    nested: bool
    sense: Sense | None
    boilerplate: bool
    repeat: bool
    context_left: str
    context_right: str
    meta: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The hit as one flat record with every column of :data:`COLUMNS`."""
        meta = self.meta.get
        return dict(zip(COLUMNS, (*_FIELDS_OF(self), *(meta(key) for key in DOCUMENT_FIELDS)), strict=True))
