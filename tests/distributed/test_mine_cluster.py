"""mine on a real Dask LocalCluster: the candidates, scores and order of one process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from phrasefinder import Lexicon, read_documents
from phrasefinder.distributed import mine_dataset
from phrasefinder.mine.candidates import Candidate, mine

from ..conftest import SHARED_CORPUS, TEST_LEXICON, run

pytestmark = pytest.mark.cluster

SMALL = 150_000  # bytes per partition: each file is cut into several ranges


def test_the_candidates_and_their_scores_are_those_of_one_process(client, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("xi_speeches_2020.jsonl", "cpc_congress_reports.jsonl"):
        shutil.copy(SHARED_CORPUS / name, corpus / name)
    with (corpus / "xi_speeches_2020.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("{broken\n")  # a warning, said once although the corpus is read twice
    lexicon = Lexicon.load(TEST_LEXICON)
    warned: list[str] = []
    expected = mine(lambda: read_documents([corpus], on_warning=warned.append), lexicon, top=300)
    said: list[str] = []
    found = mine_dataset([corpus], lexicon, client=client, top=300, block=SMALL, on_warning=said.append)
    assert len(found) == 300
    assert [c.as_dict() for c in found] == [c.as_dict() for c in expected]
    assert [c.score for c in found] == [c.score for c in expected]  # unrounded, too
    assert said == list(dict.fromkeys(warned))
    assert len(said) == 1


def test_mine_cli_with_a_scheduler_writes_and_queues_what_one_process_does(cluster, tmp_path: Path) -> None:
    lexicons = [tmp_path / "one", tmp_path / "cluster"]
    for folder in lexicons:
        shutil.copytree(TEST_LEXICON, folder)
    corpus = SHARED_CORPUS / "xi_speeches_2020.jsonl"
    one = run("mine", corpus, "-l", lexicons[0], "--top", "40", "-f", "jsonl")
    many = run(
        "mine", corpus, "-l", lexicons[1], "--top", "40", "-f", "jsonl", "--scheduler", cluster.scheduler_address
    )
    assert many.exit_code == 0, many.stderr
    assert many.stdout == one.stdout
    assert len(one.stdout.splitlines()) == 40
    assert "40 new" in many.stderr
    pending = [(folder / "review" / "pending.jsonl").read_text(encoding="utf-8") for folder in lexicons]
    assert [json.loads(line)["id"] for line in pending[1].splitlines()] == [
        json.loads(line)["id"] for line in pending[0].splitlines()
    ]


def test_a_worker_killed_while_counting_changes_no_candidate(client, tmp_path: Path) -> None:
    """Dask recomputes what the dead worker held (its partitions' text and n-grams) from the partitions."""
    corpus = [SHARED_CORPUS / "xi_speeches_2020.jsonl", SHARED_CORPUS / "cpc_congress_reports.jsonl"]
    lexicon = Lexicon.load(TEST_LEXICON)
    expected = mine(lambda: read_documents(corpus), lexicon, top=100)
    pids = client.run(os.getpid)
    finished: list[list[Candidate]] = []
    mining = threading.Thread(
        target=lambda: finished.append(mine_dataset(corpus, lexicon, client=client, top=100, block=SMALL))
    )
    mining.start()
    holder = None
    while holder is None and mining.is_alive():  # until a worker holds a partition's n-grams: counting has begun
        held = client.has_what()
        holder = next((w for w, keys in held.items() if any("advance" in str(k) for k in keys)), None)
        mining.join(0.05)
    assert holder is not None, "the run ended before any partition's n-grams were held"
    assert mining.is_alive()  # the kill falls inside the run
    os.kill(pids[holder], signal.SIGKILL)
    mining.join(600)
    assert [c.as_dict() for c in finished[0]] == [c.as_dict() for c in expected]
