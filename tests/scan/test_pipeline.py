"""Scanning files end to end: batches in input order, the same on one process or two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phrasefinder.ingest.chunks import ReadOptions, input_files
from phrasefinder.scan import pipeline
from phrasefinder.scan.pipeline import scan_paths

from ..conftest import SEEDS


def _corpus(tmp_path: Path) -> list[str]:
    records = [{"id": f"r{i}", "text": "坚持“两个维护”，增强“四个意识”。" * (i % 7 + 1), "date": f"2020-{i % 12 + 1:02d}"}
               for i in range(600)]  # fmt: skip
    records[5]["date"] = "sometime"
    (tmp_path / "news.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return input_files([tmp_path, SEEDS], print)


def test_two_processes_give_the_same_batches_in_the_same_order(
    scanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "SMALL_INPUT", 0)  # workers even for this small corpus
    files = _corpus(tmp_path)
    one = list(scan_paths(scanner, files, ReadOptions(), jobs=1, stats=True))
    two = list(scan_paths(scanner, files, ReadOptions(), jobs=2, stats=True))
    assert [h.as_dict() for b in one for h in b.hits] == [h.as_dict() for b in two for h in b.hits]
    assert [b.stats for b in one] == [b.stats for b in two]
    assert sum(b.documents for b in one) == 600 + 5


def test_stats_count_every_document_and_name_the_first_unreadable_date(scanner, tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    batches = list(scan_paths(scanner, files, ReadOptions(), stats=True))
    rows = [row for b in batches for row in b.stats]
    assert len(rows) == sum(b.documents for b in batches)
    assert sum(row["hits"] for row in rows) == sum(b.hits_count for b in batches)
    undated = {name: date for b in batches for name, date in b.undated.items()}
    assert undated == {str(tmp_path / "news.jsonl"): "sometime"}
    assert {row["date_precision"] for row in rows if row["doc_id"].startswith("r")} == {"month", None}


def test_body_only_drops_exactly_the_boilerplate_and_repeated_hits(scanner) -> None:
    files = input_files([SEEDS], print)
    every = [h for b in scan_paths(scanner, files, ReadOptions()) for h in b.hits]
    body = [h for b in scan_paths(scanner, files, ReadOptions(), body_only=True) for h in b.hits]
    assert body == [h for h in every if not (h.boilerplate or h.repeat)]
    assert len(body) < len(every)


def test_a_render_function_turns_hits_into_bytes_where_they_are_found(
    scanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "SMALL_INPUT", 0)
    files = _corpus(tmp_path)
    batches = list(scan_paths(scanner, files, ReadOptions(), jobs=2, render=_count))
    assert all(b.hits == [] for b in batches)
    assert sum(int(b.rendered) for b in batches) == sum(b.hits_count for b in batches) > 0


def _count(hits: list) -> bytes:
    return str(len(hits)).encode()
