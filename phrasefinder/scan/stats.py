"""Per-document statistics: the denominators a trend needs.

A month with twice the articles has twice the hits; only the characters and
documents behind each period, including documents with no hit at all, tell a
rising formula from a busy month. ``scan --stats`` writes one row per document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..text.dates import iso_date
from ..text.fingerprint import signature

if TYPE_CHECKING:
    from ..ingest.documents import Document
    from .hit import Hit

STATS_COLUMNS = (
    "doc_id", "date", "date_precision", "source", "region", "title", "characters", "hits", "fingerprint",
)  # fmt: skip
"""``date`` is ISO (``2019``, ``2019-10``, ``2019-10-01``) when it could be read, else the text as given
(``date_precision`` empty); ``fingerprint`` is the MinHash signature ``report --dedupe`` compares."""


def document_stats(document: Document, hits: list[Hit]) -> dict[str, Any]:
    """One row of :data:`STATS_COLUMNS` for a scanned document and its hits."""
    meta = document.meta
    date, precision = iso_date(meta.get("date"))
    return {
        "doc_id": document.id,
        "date": date,
        "date_precision": precision,
        "source": meta.get("source"),
        "region": meta.get("region"),
        "title": meta.get("title"),
        "characters": len(document.text),
        "hits": len(hits),
        "fingerprint": signature(document.text),
    }


def undated_warning(name: str, value: str) -> str:
    """The one warning a run gives for an input file with dates it cannot read, at the first of them."""
    return f"{name}: cannot read the date '{value}' (and maybe others); kept as text in --stats"
