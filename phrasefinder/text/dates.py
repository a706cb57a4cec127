"""Document dates as the corpora write them, read into a day and how much of it is known.

A trend needs to know that ``1954`` says only the year: putting such a document
on 1 January would make a monthly chart lie. So every date is read into the
first day of what it names plus its precision (``day``, ``month`` or ``year``),
and the report places a document only in periods no finer than its precision.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

PRECISIONS = ("year", "month", "day")
"""From coarsest to finest."""

_FORMS = (
    re.compile(r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?(?:[T ].*)?"),
    re.compile(r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?)?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?"),
)


class Date(NamedTuple):
    """A parsed date: the first day of what the text names, and down to which unit it is known."""

    day: dt.date
    precision: str

    def __str__(self) -> str:
        return self.day.isoformat()[: _WIDTH[self.precision]]

    @property
    def last_day(self) -> dt.date:
        """The last day of what the text names: 31 December for ``2019``, 29 February for ``2020-02``.

        >>> parse_date("2020-02").last_day
        datetime.date(2020, 2, 29)
        """
        if self.precision == "day":
            return self.day
        if self.precision == "year" or self.day.month == 12:
            return dt.date(self.day.year, 12, 31)
        return dt.date(self.day.year, self.day.month + 1, 1) - dt.timedelta(days=1)

    def coarse_order(self, other: Date) -> int:
        """-1, 0 or 1 as this date is before, within or after ``other``, at the coarser of their precisions.

        >>> parse_date("2016-07").coarse_order(parse_date("2016")), parse_date("2012").coarse_order(parse_date("2016"))
        (0, -1)
        """
        width = min(_WIDTH[self.precision], _WIDTH[other.precision])
        a, b = self.day.isoformat()[:width], other.day.isoformat()[:width]
        return (a > b) - (a < b)


_WIDTH = {"year": 4, "month": 7, "day": 10}


def parse_date(text: object) -> Date | None:
    """Read ``2019-10-01``, ``2019/10/1``, ``2019-10``, ``2019``, ``2019年10月1日``, ``20191001``, ``201910``.

    ``None`` when the text is none of these or names no real day (``2019-02-30``).

    >>> parse_date("2019年10月1日")
    Date(day=datetime.date(2019, 10, 1), precision='day')
    >>> str(parse_date("201910"))
    '2019-10'
    """
    if not isinstance(text, str | int):
        return None
    text = str(text).strip()
    for form in _FORMS:
        match = form.fullmatch(text)
        if match:
            return _date(match["y"], match["m"], match["d"])
    return None


def iso_date(text: object) -> tuple[str | None, str | None]:
    """A document's date as hits and statistics write it: ISO and its precision.

    A date that cannot be read is kept as given, with no precision, so nothing
    the corpus said is lost and the report can say which dates it could not place.

    >>> iso_date("2019年10月"), iso_date("last spring"), iso_date(None)
    (('2019-10', 'month'), ('last spring', None), (None, None))
    """
    date = parse_date(text)
    if date:
        return str(date), date.precision
    return (None if text is None else str(text)), None


def _date(year: str, month: str | None, day: str | None) -> Date | None:
    try:
        return Date(dt.date(int(year), int(month or 1), int(day or 1)), "day" if day else "month" if month else "year")
    except ValueError:
        return None


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period label: ``2019``, ``2019-Q3``, ``2019-10`` or ``2019-10-01``.

    >>> period_bounds("2019-Q3")
    (datetime.date(2019, 7, 1), datetime.date(2019, 9, 30))
    """
    year, _, quarter = period.partition("-Q")
    if quarter:
        start = dt.date(int(year), 3 * int(quarter) - 2, 1)
        return start, Date(dt.date(int(year), 3 * int(quarter), 1), "month").last_day
    date = parse_date(period)
    if date is None:
        msg = f"not a period label: {period!r}"
        raise ValueError(msg)
    return date.day, date.last_day
