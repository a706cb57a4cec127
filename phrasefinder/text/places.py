"""Which place a text is about, among the places a lexicon set knows.

A mined candidate needs a home: a 南宁 formula belongs in the Nanning file at
municipal level, not in the national core. Scraped local news rarely says its
region in a field, but names its city on every other line; so a document's
place is its ``region`` field, else the known place it names most often.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "州", "盟", "县", "区", "旗")
"""Administrative suffixes, longest first: 南宁 is how a text names 南宁市 between its formal mentions."""

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
"""Cities at provincial level."""

MIN_MENTIONS = 2
"""A place named once (a dateline, an aside) says nothing of what the text is about."""

_ETHNIC = re.compile(r"(壮族|回族|维吾尔)$")


class Places:
    """The places of a lexicon set, each with the short name texts use for it.

    >>> places = Places(["南宁市", "广西壮族自治区"])
    >>> places.of("南宁召开大会。南宁市委书记强调，全区上下……")
    '南宁市'
    >>> places.of("新华社北京电") is None
    True
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {short: name for name in sorted(set(names)) for short in _forms(name)}

    def of(self, text: str) -> str | None:
        """The known place ``text`` names most (at least twice; the finer place on a tie), else ``None``."""
        mentions: dict[str, int] = {}
        for short, name in self.names.items():
            count = text.count(short)
            if count:
                mentions[name] = max(mentions.get(name, 0), count)
        if not mentions:
            return None
        name = max(mentions, key=lambda n: (mentions[n], rank(n), n))
        return name if mentions[name] >= MIN_MENTIONS else None


def _forms(name: str) -> list[str]:
    """The full name and, where two characters or more remain, its short name (not of a list)."""
    if "、" in name:
        return [name]
    short = short_name(name)
    return [name, short] if len(short) >= 2 and short != name else [name]


def short_name(name: str) -> str:
    """A place name without its administrative suffix and ethnic designation, as texts say it.

    >>> short_name("南宁市"), short_name("广西壮族自治区"), short_name("右玉")
    ('南宁', '广西', '右玉')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return _ETHNIC.sub("", name[: -len(suffix)])
    return name


def level_of(name: str) -> str:
    """The administrative level a place name says: 广东省 provincial, 南宁市 municipal, 右玉县 county.

    >>> level_of("上海市"), level_of("曲靖市"), level_of("闵行区"), level_of("浙江省、福建省")
    ('provincial', 'municipal', 'county', 'provincial')
    """
    last = name.split("、", maxsplit=1)[0]
    if last in MUNICIPALITIES or last.endswith(("省", "自治区", "特别行政区")):
        return "provincial"
    if last.endswith(("市", "州", "盟", "地区")):
        return "municipal"
    if last.endswith(("县", "区", "旗")):
        return "county"
    return "other"


def rank(name: str) -> int:
    """Finer places rank higher: a county is more specific than its province."""
    return ("other", "provincial", "municipal", "county").index(level_of(name))
