"""phrasefinder: find political formulas (提法) in Chinese texts.

>>> from phrasefinder import Lexicon, Scanner
>>> scanner = Scanner(Lexicon.load())
>>> [hit.entry_id for hit in scanner.scan("增強“四個意識”")]
['four-consciousnesses']
"""

from .errors import InputError, LexiconError, PhraseFinderError, Problem
from .ingest.chunks import ReadOptions
from .ingest.documents import Document, read_documents
from .lexicon import Entry, Lexicon
from .scan.hit import COLUMNS, Hit
from .scan.scanner import Scanner
from .text.normalize import Normalized, normalize

__all__ = [
    "COLUMNS",
    "Document",
    "Entry",
    "Hit",
    "InputError",
    "Lexicon",
    "LexiconError",
    "Normalized",
    "PhraseFinderError",
    "Problem",
    "ReadOptions",
    "Scanner",
    "normalize",
    "read_documents",
]
