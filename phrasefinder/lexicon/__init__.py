"""Lexicons: curated YAML files of formulas, loaded, validated and edited as one set."""

from .load import default_path, lexicon_files, validate
from .model import Entry, Lexicon, LexiconFile, Require

__all__ = ["Entry", "Lexicon", "LexiconFile", "Require", "default_path", "lexicon_files", "validate"]
