"""jieba, loaded once and quietly: word boundaries, its dictionary, and its name tags."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any


@cache
def tagger() -> Any:
    """jieba's part-of-speech tagger (it loads the tag table on first use)."""
    tokenizer()
    return importlib.import_module("jieba.posseg").dt


@cache
def tokenizer() -> Any:
    """jieba's default tokenizer, loaded once and quietly (it logs to stderr by default)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.initialize()
    return jieba.dt
