"""Hits: what the scanner reports, and the columns every output format shares."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

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

Kind = Literal["phrase", "member"]
"""``phrase``: the canonical phrase or a variant, an occurrence of the formula; ``member``: one part of it."""
Sense = Literal["passed", "failed", "ambiguous"]
"""How the entry's sense rule judged the hit (``None`` where the entry has none)."""


class Hit(NamedTuple):
    """One occurrence of a formula (or of one member of it) in a document, with the document's metadata.

    A named tuple, not a dataclass: the scanner makes one per match, and a tuple
    is built at a quarter of a frozen dataclass's cost; its fields are
    :data:`COLUMNS`, in order.
    """

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
    date: str | None = None
    date_precision: str | None = None
    source: str | None = None
    title: str | None = None
    region: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The hit as one flat record with every column of :data:`COLUMNS`."""
        return dict(zip(COLUMNS, self, strict=True))
