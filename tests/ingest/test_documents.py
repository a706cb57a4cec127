"""Documents from every kind of input: the same text and metadata whatever the format."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import polars as pl

from phrasefinder.ingest.chunks import ReadOptions
from phrasefinder.ingest.documents import Document, read_documents

RECORD = {"id": "d1", "text": "坚持“两个维护”。", "date": "2019年10月", "source": "人民日报", "region": "南宁市"}


def _read(paths: list[Path], options: ReadOptions | None = None) -> tuple[list[Document], list[str]]:
    warnings: list[str] = []
    return list(read_documents(paths, options, warnings.append)), warnings


def test_a_record_reads_the_same_from_jsonl_csv_parquet_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    with (tmp_path / "r.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(RECORD))
        writer.writeheader()
        writer.writerow(RECORD)
    pl.DataFrame([RECORD]).write_parquet(tmp_path / "r.parquet")
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress((tmp_path / "r.jsonl").read_bytes()))
    documents, warnings = _read([tmp_path])
    assert warnings == []
    assert len(documents) == 4
    meta = {k: v for k, v in RECORD.items() if k not in ("id", "text")}
    assert {(d.id, d.text, tuple(sorted(d.meta.items()))) for d in documents} == {
        ("d1", RECORD["text"], tuple(sorted(meta.items())))
    }


def test_a_text_file_is_one_document_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff四个意识\r\n两个维护".encode())
    (document,), warnings = _read([path])
    assert (document.id, document.text, document.meta) == (str(path), "四个意识\r\n两个维护", {})
    assert warnings == []


def test_renamed_fields_and_records_without_text_or_id(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    rows = [{"key": "k1", "body": "四个意识"}, {"key": "k2", "body": 7}, {"body": "两个维护"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    documents, warnings = _read([path], ReadOptions(text_field="body", id_field="key"))
    assert [d.id for d in documents] == ["k1", f"{path}:3"]  # no id: the record's place stands for it
    assert warnings == [f"{path}:2: record has a non-text 'body' field; skipped"]


def test_a_lone_surrogate_is_replaced_and_said(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "s", "text": "四个\\ud83d意识"}\n', encoding="utf-8")
    (document,), warnings = _read([path])
    assert document.text == "四个\ufffd意识"
    assert warnings == [f"{path}:1: lone surrogate code points replaced with U+FFFD"]


def test_binary_input_is_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "b.txt").write_text("四个意识", encoding="utf-8")
    documents, warnings = _read([tmp_path])
    assert [d.text for d in documents] == ["四个意识"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{tmp_path / 'a.txt'}: ")
    assert warnings[0].endswith("; skipped")
