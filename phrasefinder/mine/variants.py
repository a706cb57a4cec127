"""How a candidate stands to the loaded lexicon: a shorter or a longer form of a known entry.

A phrase inside a known form is left out when it occurs only there (四个意 in
四个意识), but proposed when it stands on its own often enough (依法治国 beside the
known 全面依法治国; 从严治党 beside 全面从严治党): as a *shorter form* of that entry.
A phrase that holds a known form and more (乡村振兴战略 when 乡村振兴 is known,
中央八项规定精神) is a *longer form*. Both are proposed as variants of the entry, which
``review`` can accept as such, rather than as new formulas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import ahocorasick

from ..lexicon import Lexicon
from ..text.normalize import normalize_phrase

ALONE = 0.15
"""Least share of a phrase's occurrences outside every known form containing it, for it to stand on its own."""
MIN_FORM = 3
"""Shortest known form a longer form is said to extend (两会 is inside too many phrases to say anything)."""


class Entries:
    """The loaded lexicon's forms (phrase and variants, normalized), with the entry each belongs to."""

    def __init__(self, lexicon: Lexicon | None) -> None:
        self.entry_of: dict[str, str] = {}
        for entry in lexicon or ():
            for surface, member in entry.surfaces():
                if member is None:
                    self.entry_of.setdefault(normalize_phrase(surface), entry.id)
        self._automaton = ahocorasick.Automaton()
        for form in self.entry_of:
            if len(form) >= MIN_FORM:
                self._automaton.add_word(form, form)
        if len(self._automaton):
            self._automaton.make_automaton()

    def extended(self, phrase: str) -> str | None:
        """The longest known form inside ``phrase`` and shorter than it, if there is one."""
        if not len(self._automaton):
            return None
        inner = [form for _, form in self._automaton.iter(phrase) if form != phrase]
        return max(inner, key=lambda f: (len(f), f)) if inner else None


def containers(phrases: ahocorasick.Automaton, known: Iterable[str]) -> dict[str, set[str]]:
    """For each phrase of the automaton found inside a known form (and not the form itself), those forms."""
    inside: dict[str, set[str]] = defaultdict(set)
    for form in known:
        for _, phrase in phrases.iter(form):
            if phrase != form:
                inside[phrase].add(form)
    return inside
