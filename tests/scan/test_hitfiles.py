"""Hits files: every format holds the same rows, and Parquet is written a row group at a time."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from phrasefinder.scan import hitfiles
from phrasefinder.scan.hit import COLUMNS
from phrasefinder.scan.hitfiles import ParquetWriter, load_hits

from ..conftest import SEEDS, run


def test_jsonl_csv_and_parquet_hold_the_same_hits(tmp_path: Path) -> None:
    frames = []
    for suffix in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"hits.{suffix}"
        assert run("scan", SEEDS, "-o", out, "--stats", tmp_path / f"stats.{suffix}").exit_code == 0
        frames.append(load_hits([out]).collect().with_columns(pl.col(pl.String).fill_null("")))  # CSV: empty is null
    assert frames[0].height > 100
    assert frames[0].equals(frames[1])
    assert frames[0].equals(frames[2])
    stats = [pl.read_parquet(tmp_path / "stats.parquet"), pl.read_ndjson(tmp_path / "stats.jsonl")]
    assert stats[0].equals(stats[1].select(stats[0].columns).cast(stats[0].schema))


def test_parquet_row_groups_and_an_empty_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hitfiles, "PARQUET_ROW_GROUP", 7)
    rows = [(f"d{i}", "e", "phrase", None, "放管服", "放管服", i, i + 3, "c", None, i % 2 == 0, None,
             False, True, "左", "右", "2020-01", "month", None, "题", None) for i in range(30)]  # fmt: skip
    stream = io.BytesIO()
    writer = ParquetWriter(stream)
    writer.write(rows[:10])
    writer.write(rows[10:])
    writer.close()
    stream.seek(0)
    back = pl.read_parquet(stream)
    assert back.columns == list(COLUMNS)
    assert back.rows() == rows
    assert back["start"].dtype == pl.Int64
    assert back["nested"].dtype == pl.Boolean

    empty = io.BytesIO()
    ParquetWriter(empty).close()
    empty.seek(0)
    nothing = pl.read_parquet(empty)
    assert nothing.height == 0
    assert nothing.columns == list(COLUMNS)
