"""From hits to the tables an analyst reads: frequency, trends, intensity, first appearances, company.

Everything is a Polars lazy query over the hits files, collected with the
streaming engine, so a hits file larger than memory still reports: only the
aggregated tables are ever held whole. The concordance, which is as long as
the hits, is streamed to its CSV and only a few lines per entry are kept for
the page.

Counts are of *documents* and *hits*; rates need the per-document statistics
that ``scan --stats`` writes (the characters and documents of every period,
including documents without a hit). Without them the report still runs, with
the rates left empty and shares taken over the documents that have hits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..text.dates import PRECISIONS, Date, parse_date, period_bounds

if TYPE_CHECKING:
    import polars as pl

    from ..lexicon import Lexicon

PERIODS = {"year": "year", "quarter": "month", "month": "month", "day": "day"}
"""Each period and the coarsest date precision that places a document in it."""

TIERS = ((0.10, "dominant"), (0.02, "prominent"), (0.005, "regular"), (0.001, "occasional"), (0.0, "rare"))
"""Intensity tiers: the lowest share of a year's documents that reaches each tier (any mention at all is 'rare')."""

ORDER = ("day", "doc_id", "start", "end")
ORDER_DESCENDING = [False, False, False, True]
"""Hits in reading order: by date, document and position, a formula before a member inside it (a total order)."""

RISE = 1.5
"""A share this many times last year's is 'rising'; last year's over this, 'fading'."""

COUNTS = {"phrase": ("phrase",), "members": ("member",), "all": ("phrase", "member")}
"""What ``--count`` counts as an occurrence: the formula itself, its members, or both."""

APART = ("member hits (members.csv)", "phrase hits (not counted with --count members)", "ambiguous (its own column)")
"""Reasons a hit is not counted but still reported: in ``members.csv``, or in the ``ambiguous`` column."""


@dataclass(frozen=True)
class ReportOptions:
    """What to count and how: the period, a selection of entries, and the rules that set hits aside."""

    by: str = "month"
    entries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    all_hits: bool = False
    dedupe: bool = False
    count: str = "phrase"
    """``phrase``: occurrences of the formula (phrase or variant); ``members``: of its parts; ``all``: both."""
    include_nested: bool = False
    """Count a hit inside a longer hit (中国特色社会主义 in 新时代中国特色社会主义) for itself too."""
    top: int = 8
    """Entries drawn in the trend chart (the heat map takes three times as many)."""
    concordance_lines: int = 20
    """Concordance lines per entry on the page; the CSV has every line."""


@dataclass
class Report:
    """The tables of a report, collected, and the numbers its page opens with."""

    summary: dict[str, Any]
    tables: dict[str, pl.DataFrame]
    concordance: pl.LazyFrame
    notes: list[str] = field(default_factory=list)


def build(
    hits: pl.LazyFrame, stats: pl.LazyFrame | None, options: ReportOptions, lexicon: Lexicon | None = None
) -> Report:
    """Every table of the report (see the README for their columns and the counting rule)."""
    import polars as pl

    if options.by not in PERIODS:
        msg = f"unknown period '{options.by}' (expected one of: {', '.join(PERIODS)})"
        raise InputError(msg)
    if options.count not in COUNTS:
        msg = f"unknown --count '{options.count}' (expected one of: {', '.join(COUNTS)})"
        raise InputError(msg)
    _check_selection(hits, options, lexicon)
    hits = _dated(hits.with_columns(pl.col("start").cast(pl.Int64)), options.by)
    stats = _dated(stats, options.by) if stats is not None else None
    selected = pl.lit(value=True)
    if options.entries:
        selected &= pl.col("entry_id").is_in(options.entries)
    if options.categories:
        selected &= pl.col("category").is_in(options.categories)
    set_aside: dict[str, dict[str, int]] = {}
    if options.dedupe:
        if stats is None:
            msg = "--dedupe needs the --stats file of the scan (it holds each document's fingerprint)"
            raise InputError(msg)
        duplicates = _duplicates(stats)
        set_aside["near-duplicate documents"] = {
            **_counts(hits.filter(selected).join(duplicates.lazy(), on="doc_id", how="semi")),
            "documents": duplicates.height,
        }
        hits = hits.join(duplicates.lazy(), on="doc_id", how="anti")
        stats = stats.join(duplicates.lazy(), on="doc_id", how="anti")
    universe = _universe(hits, stats)  # the whole corpus, whichever entries are selected
    hits = hits.filter(selected)
    reason, rules = _reason(options)
    hits = hits.with_columns(reason=reason)
    reasons = _reasons(hits)
    set_aside.update((r, reasons[r]) for r in rules if r in reasons and r not in APART)
    apart = {r: reasons[r] for r in rules if r in reasons and r in APART}
    kept = hits.filter(pl.col("reason").is_null() | pl.col("reason").is_in(APART))
    counted = kept.filter(pl.col("reason").is_null())
    members = _members(kept, universe)
    frequency = _frequency(counted, kept, members, universe)
    found = frequency.filter(pl.col("hits") > 0)
    tables = {
        "frequency": frequency,
        "members": members,
        "trends": _trends(counted, universe, found, options.by),
        "intensity": _intensity(counted, universe, found),
        "cooccurrence": _cooccurrence(counted.filter(~pl.col("nested")), universe),
        "first_seen": _first_seen(_phrase_hits(kept), lexicon, universe, options.by),
    }
    for column in ("source", "region"):
        breakdown = _breakdown(counted, universe, column)
        if breakdown.height:
            tables[f"by_{column}"] = breakdown
    totals = reasons.get(None, {"hits": 0, "documents": 0})
    summary = _summary(tables, universe, counted=totals, set_aside=set_aside, apart=apart, options=options)
    return Report(summary, tables, _concordance(kept), _notes(universe, tables, stats is not None, options))


def _reason(options: ReportOptions) -> tuple[pl.Expr, list[str]]:
    """Why a hit is not counted under ``options`` (null: it is), the first rule that applies; the rules in order."""
    import polars as pl

    rules: list[tuple[str, pl.Expr]] = []
    if not options.all_hits:
        rules.append(
            ("boilerplate or repeat", pl.col("boilerplate").fill_null(False) | pl.col("repeat").fill_null(False))
        )
    rules.append(("another sense (fails its require rule)", pl.col("sense") == "failed"))
    if not options.include_nested:
        rules.append(("nested inside a longer formula", pl.col("nested").fill_null(False)))
    rules.append((APART[2], pl.col("sense") == "ambiguous"))
    counted_kinds = COUNTS[options.count]
    if "member" not in counted_kinds:
        rules.append((APART[0], pl.col("kind") == "member"))
    if "phrase" not in counted_kinds:
        rules.append((APART[1], pl.col("kind") == "phrase"))
    expression: Any = pl
    for name, condition in rules:
        expression = expression.when(condition.fill_null(False)).then(pl.lit(name))
    return expression.otherwise(pl.lit(None, pl.String)), [name for name, _ in rules]


def _reasons(hits: pl.LazyFrame) -> dict[str | None, dict[str, int]]:
    """Hits and documents for each reason, and for the counted hits (``None``), in one pass."""
    import polars as pl

    rows = hits.group_by("reason").agg(hits=pl.len(), documents=pl.col("doc_id").n_unique())
    return {r: {"hits": int(h), "documents": int(d)} for r, h, d in rows.collect(engine="streaming").iter_rows()}


def _phrase_hits(kept: pl.LazyFrame) -> pl.LazyFrame:
    """Occurrences of the formula itself, whatever ``--count`` says: only these date its first appearance."""
    import polars as pl

    return kept.filter((pl.col("kind") == "phrase") & (pl.col("sense").fill_null("") != "ambiguous"))


def _notes(universe: _Universe, tables: dict[str, pl.DataFrame], with_stats: bool, options: ReportOptions) -> list[str]:
    """What a reader must know to read the figures right: missing denominators, undated documents, partial periods."""
    import polars as pl

    notes = []
    if not with_stats:
        notes.append("no --stats file: rates per 10,000 characters are empty and shares count only documents with hits")
    undated = universe.documents.filter(pl.col("period").is_null()).height
    if undated:
        many = f"{undated:,} documents have" if undated > 1 else "1 document has"
        notes.append(f"{many} no date precise enough for --by {options.by}: left out of trends")
    partial = (
        tables["trends"].filter(pl.col("partial")).select("period", "days_covered", "days").unique().sort("period")
    )
    if partial.height:
        listed = ", ".join(f"{p} ({c} of {d} days)" for p, c, d in partial.iter_rows())
        notes.append(
            f"partial periods, which the corpus covers only in part: {listed}; "
            "their hits are not comparable with full periods (rates are)"
        )
    return notes


# -- reading --------------------------------------------------------------------------------------


def _dated(frame: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """Add ``day`` and ``last_day`` (first and last day named), ``year``, ``when`` (as precise as known), ``period``."""
    import polars as pl

    raw = frame.select(pl.col("date").drop_nulls().unique()).collect(engine="streaming")["date"].to_list()
    parsed = {text: parse_date(text) for text in raw}
    enough = PRECISIONS.index(PERIODS[by])
    rows = [
        (
            text,
            d.day,
            d.last_day,
            d.day.year,
            str(d),
            _period(d, by) if PRECISIONS.index(d.precision) >= enough else None,
        )
        for text, d in parsed.items()
        if d
    ]
    schema = {
        "date": pl.String,
        "day": pl.Date,
        "last_day": pl.Date,
        "year": pl.Int32,
        "when": pl.String,
        "period": pl.String,
    }
    dates = pl.LazyFrame(rows, schema=schema, orient="row")
    return frame.join(dates, on="date", how="left")


def _check_selection(hits: pl.LazyFrame, options: ReportOptions, lexicon: Lexicon | None) -> None:
    """Refuse an ``--entry`` or ``--category`` that neither the lexicon set nor the hits know: a typo is not a zero."""
    import polars as pl

    asked = {"entry_id": set(options.entries), "category": set(options.categories)}
    known = {"entry_id": {e.id for e in lexicon or ()}, "category": {e.category for e in lexicon or ()}}
    for column, wanted in asked.items():
        unknown = wanted - known[column]
        if unknown:
            seen = hits.select(pl.col(column).unique()).collect(engine="streaming")[column].to_list()
            unknown -= set(seen)
        if unknown:
            kind = "entry" if column == "entry_id" else "category"
            msg = f"no {kind} {', '.join(sorted(map(repr, unknown)))} in the lexicon set or the hits"
            raise InputError(msg)


def _period(date: Date, by: str) -> str:
    day = date.day
    return {
        "year": f"{day.year}",
        "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        "month": f"{day.year}-{day.month:02d}",
        "day": day.isoformat(),
    }[by]


# -- the universe of documents --------------------------------------------------------------------


@dataclass
class _Universe:
    """The documents the rates are taken over, with their period, year and characters."""

    documents: pl.DataFrame
    with_stats: bool

    @property
    def total(self) -> int:
        return self.documents.height

    @property
    def characters(self) -> int | None:
        return int(self.documents["characters"].sum()) if self.with_stats else None

    @property
    def dates(self) -> list[str]:
        """Every document's date as precise as known, earliest first: on one day, the coarsest date first
        (``2019`` before ``2019-01-01``: it may be later, so it is not what the corpus surely starts with)."""
        dated = self.documents.filter(self.documents["day"].is_not_null())
        order = dated.sort(["day", "last_day", "when"], descending=[False, True, False])
        return order["when"].to_list()

    @property
    def start(self) -> Date | None:
        """The date of the earliest dated document: nothing before it can be seen, so firsts there are censored."""
        dates = self.dates
        return parse_date(dates[0]) if dates else None

    def span(self, by: str) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day the documents dated precisely enough for ``by`` cover."""
        placed = self.documents.filter(self.documents["period"].is_not_null())
        return placed["day"].min(), placed["last_day"].max()  # type: ignore[return-value]


def _universe(hits: pl.LazyFrame, stats: pl.LazyFrame | None) -> _Universe:
    import polars as pl

    with_stats = stats is not None
    if stats is None:
        stats = hits.group_by("doc_id").agg(
            pl.col(c).first() for c in ("day", "last_day", "year", "when", "period", "source", "region", "title")
        ).with_columns(characters=pl.lit(None, pl.Int64))  # fmt: skip
    columns = ["doc_id", "day", "last_day", "year", "when", "period", "source", "region", "title", "characters"]
    documents = stats.select(columns).unique("doc_id", keep="first")
    return _Universe(documents.collect(engine="streaming"), with_stats)


def _counts(hits: pl.LazyFrame) -> dict[str, int]:
    import polars as pl

    row = hits.select(hits=pl.len(), documents=pl.col("doc_id").n_unique()).collect(engine="streaming").row(0)
    return {"hits": int(row[0]), "documents": int(row[1])}


def _duplicates(stats: pl.LazyFrame) -> pl.DataFrame:
    """Documents that repeat an earlier one (by date, then id): the ones ``--dedupe`` leaves out."""
    import polars as pl

    from ..text.fingerprint import duplicate_groups

    ordered = stats.select("doc_id", "day", "fingerprint").sort(["day", "doc_id"], nulls_last=True)
    pairs = ordered.select("doc_id", pl.col("fingerprint").fill_null("")).collect(engine="streaming").iter_rows()
    groups = duplicate_groups(pairs)
    return pl.DataFrame({"doc_id": [d for d, first in groups.items() if d != first]}, schema={"doc_id": pl.String})


# -- the tables -----------------------------------------------------------------------------------


def _first_by_date(column: str) -> pl.Expr:
    import polars as pl

    return pl.col(column).sort_by(*ORDER, descending=ORDER_DESCENDING, nulls_last=True).first()


def _frequency(counted: pl.LazyFrame, kept: pl.LazyFrame, members: pl.DataFrame, universe: _Universe) -> pl.DataFrame:
    """One row per entry with a counted, ambiguous or member hit: its counts under the rule in force.

    ``members`` is the :func:`_members` table: the member columns are its sums, not another pass over the hits.
    """
    import polars as pl

    per_entry = counted.group_by("entry_id").agg(
        hits=pl.len(),
        documents=pl.col("doc_id").n_unique(),
        first_date=_first_by_date("when"),
        last_date=pl.col("when").sort_by("day", nulls_last=False).last(),
        first_doc=_first_by_date("doc_id"),
    )
    ambiguous = pl.col("sense") == "ambiguous"  # of any kind: every hit counted apart has a column
    every = kept.group_by("entry_id").agg(pl.col("phrase", "category", "level").first(), ambiguous=ambiguous.sum())
    by_member = (
        members.lazy()
        .group_by("entry_id", maintain_order=True)
        .agg(member_hits=pl.col("hits").sum(), members=pl.format("{} {}", "member", "hits").str.join("; "))
    )  # members is sorted by entry, then hits (most first): the breakdown reads in that order
    table = (
        every.join(per_entry, on="entry_id", how="left")
        .join(by_member, on="entry_id", how="left")
        .with_columns(pl.col("hits", "documents", "ambiguous", "member_hits").fill_null(0).cast(pl.Int64))
        .collect(engine="streaming")
    )
    return table.with_columns(
        doc_share=(pl.col("documents") / universe.total).round(5),
        per_10k_chars=_per_10k(pl.col("hits"), universe.characters),
    ).select(
        "entry_id", "phrase", "category", "level", "hits", "documents", "doc_share", "per_10k_chars",
        "first_date", "last_date", "first_doc", "ambiguous", "member_hits", "members",
    ).sort(["hits", "member_hits", "entry_id"], descending=[True, True, False])  # fmt: skip


def _members(kept: pl.LazyFrame, universe: _Universe) -> pl.DataFrame:
    """Hits of each member of an enumerated formula, on their own: a member is not its formula."""
    import polars as pl

    return (
        kept.filter((pl.col("kind") == "member") & (pl.col("sense").fill_null("") != "ambiguous"))
        .group_by("entry_id", "member")
        .agg(
            pl.col("phrase").first(),
            hits=pl.len(),
            documents=pl.col("doc_id").n_unique(),
            first_date=_first_by_date("when"),
            first_doc=_first_by_date("doc_id"),
        )
        .collect(engine="streaming")
        .with_columns(doc_share=(pl.col("documents") / universe.total).round(5))
        .select("entry_id", "phrase", "member", "hits", "documents", "doc_share", "first_date", "first_doc")
        .sort(["entry_id", "hits", "member"], descending=[False, True, False])
    )


def _per_10k(count: pl.Expr, characters: int | float | pl.Expr | None) -> pl.Expr:
    import polars as pl

    if characters is None:
        return pl.lit(None, pl.Float64)
    return (count * 10_000 / characters).round(4)


def _trends(hits: pl.LazyFrame, universe: _Universe, frequency: pl.DataFrame, by: str) -> pl.DataFrame:
    import polars as pl

    periods = (
        universe.documents.filter(pl.col("period").is_not_null())
        .group_by("period")
        .agg(
            period_documents=pl.len(),
            period_characters=pl.col("characters").sum() if universe.with_stats else pl.lit(None, pl.Int64),
        )
    )
    periods = periods.join(_coverage(periods["period"].to_list(), universe, by), on="period", how="left")
    characters = pl.col("period_characters") if universe.with_stats else None
    return (
        _every_entry_by(hits, "period", periods, frequency)
        .with_columns(
            per_10k_chars=_per_10k(pl.col("hits"), characters),
            doc_share=(pl.col("documents") / pl.col("period_documents")).round(5),
        )
        .select(
            "entry_id", "phrase", "period", "hits", "documents", "period_documents", "period_characters",
            "per_10k_chars", "doc_share", "days", "days_covered", "partial",
        )
        .sort(["entry_id", "period"])
    )  # fmt: skip


def _coverage(periods: list[str], universe: _Universe, by: str) -> pl.DataFrame:
    """Each period's days and how many of them the corpus spans (first to last document dated to this period)."""
    import polars as pl

    first, last = universe.span(by)
    rows = []
    for period in periods:
        start, end = period_bounds(period)
        covered = (min(end, last) - max(start, first)).days + 1 if first and last else 0
        days = (end - start).days + 1
        rows.append((period, days, max(0, covered), covered < days))
    schema = {"period": pl.String, "days": pl.Int64, "days_covered": pl.Int64, "partial": pl.Boolean}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _intensity(hits: pl.LazyFrame, universe: _Universe, frequency: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    years = universe.documents.filter(pl.col("year").is_not_null()).group_by("year").agg(year_documents=pl.len())
    share = pl.col("documents") / pl.col("year_documents")
    table = (
        _every_entry_by(hits, "year", years, frequency)
        .sort(["entry_id", "year"])
        .with_columns(doc_share=share.round(5), previous=share.shift(1).over("entry_id"))
    )
    return table.with_columns(tier=_tier(pl.col("doc_share")), change=_change(share, pl.col("previous"))).select(
        "entry_id", "phrase", "year", "hits", "documents", "year_documents", "doc_share", "tier", "change"
    )


def _every_entry_by(hits: pl.LazyFrame, key: str, denominators: pl.DataFrame, frequency: pl.DataFrame) -> pl.DataFrame:
    """Every entry × every value of ``key`` the corpus has, with its denominators, hits and documents (zeros kept)."""
    import polars as pl

    counts = (
        hits.filter(pl.col(key).is_not_null())
        .group_by("entry_id", key)
        .agg(hits=pl.len(), documents=pl.col("doc_id").n_unique())
        .collect(engine="streaming")
    )
    return (
        frequency.select("entry_id", "phrase")
        .join(denominators, how="cross")
        .join(counts, on=["entry_id", key], how="left")
        .with_columns(pl.col("hits", "documents").fill_null(0))
    )


def _tier(share: pl.Expr) -> pl.Expr:
    import polars as pl

    expression: Any = pl.when(share <= 0).then(pl.lit("absent"))
    for lowest, name in TIERS:
        expression = expression.when(share >= lowest).then(pl.lit(name))
    return expression.otherwise(pl.lit("absent"))  # type: ignore[no-any-return]


def _change(share: pl.Expr, previous: pl.Expr) -> pl.Expr:
    import polars as pl

    return (
        pl.when(previous.is_null() | ((previous == 0) & (share == 0))).then(pl.lit(None, pl.String))
        .when((previous == 0) & (share > 0)).then(pl.lit("new"))
        .when((previous > 0) & (share == 0)).then(pl.lit("gone"))
        .when(share >= previous * RISE).then(pl.lit("rising"))
        .when(share * RISE <= previous).then(pl.lit("fading"))
        .when(share > 0).then(pl.lit("steady"))
        .otherwise(pl.lit(None, pl.String))
    )  # fmt: skip


def _cooccurrence(hits: pl.LazyFrame, universe: _Universe) -> pl.DataFrame:
    """Pairs of formulas in the same documents; ``hits`` are never nested, so no formula pairs with its own part."""
    import polars as pl

    pairs = hits.select("doc_id", "entry_id", "phrase").unique(["doc_id", "entry_id"]).collect(engine="streaming")
    per_entry = pairs.group_by("entry_id").agg(pl.col("phrase").first(), documents=pl.len())
    joined = (
        pairs.lazy()
        .join(pairs.lazy(), on="doc_id", suffix="_b")
        .filter(pl.col("entry_id") < pl.col("entry_id_b"))
        .group_by("entry_id", "entry_id_b")
        .agg(documents=pl.len())
        .collect(engine="streaming")
        .rename({"entry_id": "entry_a", "entry_id_b": "entry_b"})
    )
    side = {"entry_id": "entry_{}", "documents": "documents_{}", "phrase": "phrase_{}"}
    table = joined.join(per_entry.rename({k: v.format("a") for k, v in side.items()}), on="entry_a").join(
        per_entry.rename({k: v.format("b") for k, v in side.items()}), on="entry_b"
    )
    lift = pl.col("documents") * universe.total / (pl.col("documents_a") * pl.col("documents_b"))
    return (
        table.with_columns(lift=lift.round(3), pmi=lift.log(2).round(3))
        .select("entry_a", "phrase_a", "entry_b", "phrase_b", "documents", "documents_a", "documents_b", "lift", "pmi")
        .sort(["documents", "lift", "entry_a", "entry_b"], descending=[True, True, False, False])
    )


def _first_seen(hits: pl.LazyFrame, lexicon: Lexicon | None, universe: _Universe, by: str) -> pl.DataFrame:
    """Each formula's first occurrence, against the lexicon's ``first_seen``, marked where the corpus cuts it off."""
    import polars as pl

    first = (
        hits.group_by("entry_id")
        .agg(
            pl.col("phrase").first(),
            first_date=_first_by_date("when"),
            first_day=_first_by_date("day"),
            doc_id=_first_by_date("doc_id"),
            title=_first_by_date("title"),
            context=_first_by_date("context_left")
            + "【"
            + _first_by_date("matched")
            + "】"
            + _first_by_date("context_right"),
        )
        .sort(["first_date", "entry_id"], nulls_last=True)
        .collect(engine="streaming")
    )
    start = universe.start
    # the first period, or all the start's date names when it is coarser (a corpus opening with a '2019')
    opening = max(period_bounds(_period(start, by))[1], start.last_day) if start else None
    known = {e.id: e.first_seen for e in lexicon} if lexicon is not None else {}
    claimed = [known.get(entry) for entry in first["entry_id"]]
    verdicts = [_verdict(seen, said, start) for seen, said in zip(first["first_date"], claimed, strict=True)]
    censored = [opening is not None and day is not None and day <= opening for day in first["first_day"]]
    return first.drop("first_day").with_columns(
        at_corpus_start=pl.Series(censored, dtype=pl.Boolean),
        lexicon_first_seen=pl.Series(claimed, dtype=pl.String),
        agreement=pl.Series(verdicts, dtype=pl.String),
    )


def _verdict(seen: str | None, said: str | None, start: Date | None) -> str:
    """How the corpus's first date compares with the lexicon's, at the coarser of the two precisions."""
    corpus, lexicon = parse_date(seen), parse_date(said)
    if lexicon is None:
        return "no first_seen in the lexicon"
    if corpus is None:
        return "undated in the corpus"
    if corpus.coarse_order(lexicon) < 0:
        return "earlier than the lexicon says"
    if start is not None and lexicon.coarse_order(start) < 0:
        return "before the corpus starts"
    return "same" if corpus.coarse_order(lexicon) == 0 else "later"


def _breakdown(hits: pl.LazyFrame, universe: _Universe, column: str) -> pl.DataFrame:
    import polars as pl

    counts = (
        hits.filter(pl.col(column).is_not_null())
        .group_by("entry_id", column)
        .agg(pl.col("phrase").first(), hits=pl.len(), documents=pl.col("doc_id").n_unique())
        .collect(engine="streaming")
    )
    sizes = universe.documents.group_by(column).agg(**{f"{column}_documents": pl.len()})
    return (
        counts.join(sizes, on=column, how="left")
        .with_columns(doc_share=(pl.col("documents") / pl.col(f"{column}_documents")).round(5))
        .select("entry_id", "phrase", column, "hits", "documents", f"{column}_documents", "doc_share")
        .sort(["entry_id", "hits", column], descending=[False, True, False])
    )


def _concordance(kept: pl.LazyFrame) -> pl.LazyFrame:
    """Every hit a table counts, ``counted`` marking those in ``hits``; the rest are member or ambiguous hits."""
    import polars as pl

    return kept.select(
        "entry_id", "phrase", "kind", "member", pl.col("when").alias("date"), "doc_id", "title",
        pl.col("context_left").alias("left"), "matched", pl.col("context_right").alias("right"),
        "nested", "sense", pl.col("reason").is_null().alias("counted"), "start", "end", "day",
    ).sort(["entry_id", *ORDER], descending=[False, *ORDER_DESCENDING], nulls_last=True)  # fmt: skip


def concordance_sample(report: Report, lines: int) -> pl.DataFrame:
    """The first ``lines`` counted concordance lines of each entry, by date, for the page."""
    import polars as pl

    return (
        report.concordance.filter(pl.col("counted"))
        .with_columns(n=pl.int_range(pl.len()).over("entry_id"))
        .filter(pl.col("n") < lines)
        .drop("n", "day", "start", "end")
        .collect(engine="streaming")
    )


def _summary(
    tables: dict[str, pl.DataFrame],
    universe: _Universe,
    *,
    counted: dict[str, int],
    set_aside: dict[str, dict[str, int]],
    apart: dict[str, dict[str, int]],
    options: ReportOptions,
) -> dict[str, Any]:
    """The report's headline numbers, as ``--format json`` prints them."""
    import polars as pl

    found = tables["frequency"].filter(pl.col("hits") > 0)
    dates = universe.dates
    return {
        "count": options.count,
        "include_nested": options.include_nested,
        "rule": counting_rule(options),
        "hits": counted["hits"],
        "entries": found.height,
        "documents": universe.total,
        "documents_with_hits": counted["documents"],
        "characters": universe.characters,
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "by": options.by,
        "set_aside": set_aside,
        "counted_apart": apart,
        "top": [
            {"entry_id": r["entry_id"], "phrase": r["phrase"], "hits": r["hits"], "documents": r["documents"]}
            for r in found.head(10).iter_rows(named=True)
        ],
    }


def counting_rule(options: ReportOptions) -> str:
    """The rule in force, in the words the page and the summary use.

    >>> counting_rule(ReportOptions())
    'occurrences of the formula itself (its phrase or a variant), not nested inside a longer formula'
    """
    what = {
        "phrase": "occurrences of the formula itself (its phrase or a variant)",
        "members": "occurrences of the members of enumerated formulas",
        "all": "occurrences of the formula (phrase or variant) and of its members",
    }[options.count]
    nested = "nested hits counted too" if options.include_nested else "not nested inside a longer formula"
    return f"{what}, {nested}"
