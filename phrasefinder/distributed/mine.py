"""``mine`` on a Dask cluster: the candidates and scores of one process, counted over partitions.

:func:`phrasefinder.mine.candidates.mine` is run as it is, with its two passes and the n-gram counts
between them done by the workers (:class:`ClusterPasses`): the first pass runs per partition and its
Han stretches stay in the workers' memory, as code points; each n-gram level is one map-reduce — tally
per partition (:func:`~phrasefinder.mine.ngrams.tally`: arrays of keys and counts, not strings), add up
in input order and prune on the client, send the frequent n-grams' table back to every worker once — as
:func:`~phrasefinder.mine.ngrams.apriori` does on one process; the second pass runs per partition with
the proposals' automaton sent to each worker once; each partition's record is split by phrase into
shards (:meth:`~phrasefinder.mine.occurrences.Found.split`), each shard merged over the partitions in
input order on a worker (:func:`~phrasefinder.mine.occurrences.merge_found`), and only what ranking reads
of each phrase (:class:`~phrasefinder.mine.features.Seen`, a few numbers) reaches the client;
examples, forms and places never move but for the front-runners', asked of every partition at the end.
Proposals, folding and ranking are the one-process code, on the client.
"""

from __future__ import annotations

import operator
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ScanError
from ..ingest.chunks import ReadOptions
from ..ingest.partitions import Partition, partition_documents
from ..mine.candidates import Candidate, first_pass, merge_evidence, mine
from ..mine.features import Seen
from ..mine.ngrams import Table, Tally, advance, apriori, tally, text_of
from ..mine.occurrences import Details, Found, merge_found, second_pass
from .cluster import client_for, require_dask
from .inputs import expand, partitions_of

if TYPE_CHECKING:
    import ahocorasick

    from ..lexicon import Lexicon
    from ..mine.candidates import _Evidence
    from ..text.places import Places


MINE_BLOCK_BYTES = 16 << 20
"""Input bytes per partition when mining: a quarter of scanning's, so that a corpus of a few hundred MB is
still many tasks per worker (mining a partition takes minutes, not seconds, and tasks of unequal size
would leave a worker idle at the end of each pass)."""
SHARDS_PER_THREAD = 2
"""Shards of the second pass's record per worker thread: each is merged by one task."""


def mine_dataset(
    inputs: Iterable[str | Path],
    lexicon: Lexicon | None,
    *,
    client: Any,
    decided: Iterable[str] = (),
    rejected: Iterable[str] = (),
    top: int = 100,
    min_freq: int | None = None,
    options: ReadOptions | None = None,
    include_text: bool = False,
    exclude: Iterable[str | Path] = (),
    block: int = MINE_BLOCK_BYTES,
    on_warning: Callable[[str], None] | None = None,
) -> list[Candidate]:
    """The ``top`` candidates of ``inputs`` (paths, folders, globs, fsspec URLs), mined on ``client``'s
    cluster: the candidates, scores and order :func:`~phrasefinder.mine.candidates.mine` gives on one process.

    ``client`` is a ``distributed.Client`` or a scheduler to connect to (``"local:2"``, an address);
    ``decided`` and ``rejected`` mean what they mean to :func:`~phrasefinder.mine.candidates.mine`.
    ``on_warning`` gets each warning once, in input order (the corpus is read twice); ``exclude`` are
    files a folder argument holds that are not input (the run's own output).
    """
    require_dask()
    from distributed import KilledWorker

    options = options or ReadOptions()
    warnings: list[str] = []
    files = expand(inputs, warnings.append, map(Path, exclude), include_text=include_text)
    with client_for(client) as connected:
        passes = ClusterPasses(connected, partitions_of(connected, files, options, block), options)
        try:
            candidates = mine(passes, lexicon, decided=decided, rejected=rejected, top=top, min_freq=min_freq)
        except KilledWorker:
            msg = "workers died (killed, or out of memory) each time they mined a partition; the run is stopped"
            raise ScanError(msg) from None
    for message in dict.fromkeys([*warnings, *passes.warnings]):
        if on_warning:
            on_warning(message)
    return candidates


@dataclass
class ClusterPasses:
    """:class:`~phrasefinder.mine.candidates.Passes` over a cluster's partitions."""

    client: Any
    partitions: list[Partition]
    options: ReadOptions
    warnings: list[str] = field(default_factory=list)
    _stretches: list[Any] = field(default_factory=list)
    """One future per partition: its first pass's stretches, held by the worker that read it."""
    _shown: list[Any] = field(default_factory=list)
    """One future per partition: what its second pass found that a reader is shown (:meth:`.Found.shown`)."""
    _run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def first(self) -> _Evidence:
        read = [
            self.client.submit(_first_pass, p, self.options, key=f"phrasefinder-mine-{self._run}-{p.index}")
            for p in self.partitions
        ]
        self._stretches = [self.client.submit(_stretches_of, r) for r in read]
        summaries = [self.client.submit(_without_stretches, r) for r in read]
        evidence = merge_evidence(self._in_order(summaries, self.warnings))
        del read  # the workers keep the stretches alone
        return evidence

    def count(self, evidence: _Evidence, min_freq: int) -> dict[int, Counter[str]]:
        from distributed.client import FutureCancelledError

        grams = [self.client.submit(text_of, stretches) for stretches in self._stretches]
        self._stretches = []  # the workers keep each partition's text as code points alone
        tables: list[Any] = []  # every level's frequent n-grams sent so far, to replay after a lost worker

        def tallied() -> list[Tally]:
            return list(self.client.gather([self.client.submit(tally, g) for g in grams]))

        def level(table: Table | None) -> list[Tally]:
            nonlocal grams
            if table is not None:
                [shared] = self.client.scatter([table], broadcast=True)
                tables.append(shared)
                grams = [self.client.submit(advance, g, shared) for g in grams]
            try:
                return tallied()
            except FutureCancelledError:
                # A worker died holding a level whose parent levels were let go, so Dask cannot recompute
                # it: read the partitions' text again and advance it through every level counted so far.
                grams = self._replayed(tables)
                return tallied()

        return apriori(level, min_freq)

    def _replayed(self, tables: list[Any]) -> list[Any]:
        """Every partition's n-grams at the latest level, computed again from the partition itself."""
        submit = self.client.submit
        grams = [
            submit(text_of, submit(_stretches_of, submit(_first_pass, p, self.options, pure=False)))
            for p in self.partitions
        ]
        for table in tables:
            grams = [submit(advance, g, table) for g in grams]
        return grams

    def second(self, automaton: ahocorasick.Automaton, places: Places, inside: dict[str, set[str]]) -> dict[str, Seen]:
        submit = self.client.submit
        shared = self.client.scatter([automaton, places, inside], broadcast=True)
        shards = SHARDS_PER_THREAD * max(1, sum(self.client.nthreads().values()))
        parts = [submit(_parts, submit(_second_pass, p, self.options, *shared), shards) for p in self.partitions]
        self._shown = [submit(operator.getitem, p, shards) for p in parts]
        merged = [submit(_merged, *(submit(operator.getitem, p, k) for p in parts)) for k in range(shards)]
        seen: dict[str, Seen] = {}
        for part in self.client.gather([submit(Found.seen, m) for m in merged]):
            seen.update(part)
        return seen

    def details(self, phrases: Iterable[str]) -> dict[str, Details]:
        wanted = sorted(set(phrases))
        [shared] = self.client.scatter([wanted], broadcast=True)
        parts = self.client.gather([self.client.submit(Found.shown, s, shared) for s in self._shown])
        return merge_found(parts).details(wanted)

    def _in_order(self, futures: list[Any], warnings: list[str]) -> Iterator[_Evidence]:
        """Each partition's evidence in input order, its warnings kept as they come."""
        for future in futures:
            evidence, said = future.result()
            warnings.extend(said)
            yield evidence


def _first_pass(partition: Partition, options: ReadOptions) -> tuple[_Evidence, list[str]]:
    warnings: list[str] = []
    return first_pass(partition_documents(partition, options, warnings.append)), warnings


def _stretches_of(read: tuple[_Evidence, list[str]]) -> list[str]:
    return read[0].stretches


def _without_stretches(read: tuple[_Evidence, list[str]]) -> tuple[_Evidence, list[str]]:
    return replace(read[0], stretches=[]), read[1]


def _parts(found: Found, shards: int) -> list[Found]:
    """A partition's record as its shards and, last, its shown part: one task, run where the record is, so
    the whole record never moves (the scheduler moved it to run a second task on it elsewhere)."""
    return [*found.split(shards), found.shown()]


def _merged(*parts: Found) -> Found:
    return merge_found(parts)


def _second_pass(
    partition: Partition,
    options: ReadOptions,
    automaton: ahocorasick.Automaton,
    places: Places,
    inside: dict[str, set[str]],
) -> Found:
    return second_pass(partition_documents(partition, options, lambda _: None), automaton, places, inside)
