"""Lexicons: curated YAML files of formulas, loaded, validated and edited as one set."""

from .load import WORKING_SET, bundled_path, default_path, init, installed_package, lexicon_files, validate
from .model import Entry, Lexicon, LexiconFile, Require

__all__ = [
    "WORKING_SET", "Entry", "Lexicon", "LexiconFile", "Require", "bundled_path", "default_path", "init",
    "installed_package", "lexicon_files", "validate",
]  # fmt: skip
