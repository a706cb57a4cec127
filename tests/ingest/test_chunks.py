"""Cutting input into chunks: whole lines, line numbers that run on, sizes that add up to the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasefinder.errors import InputError
from phrasefinder.ingest import chunks as cutting
from phrasefinder.ingest.chunks import ReadOptions, chunks, input_files
from phrasefinder.ingest.documents import read_chunk

TEXTS = st.lists(st.text(alphabet='四个意识两维护 ，。\n"\\é😀', min_size=0, max_size=40), min_size=1, max_size=30)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=TEXTS, size=st.integers(min_value=1, max_value=300))
def test_jsonl_documents_and_line_numbers_do_not_depend_on_the_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, texts: list[str], size: int
) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(cutting, "CHUNK_BYTES", size)
    found = list(chunks([str(path)], ReadOptions(), print))
    assert all(c.data is not None and c.data.endswith(b"\n") for c in found)  # whole lines only
    assert sum(c.size for c in found) == path.stat().st_size
    assert [c.first_line for c in found] == sorted({c.first_line for c in found})
    documents = [d for c in found for d in read_chunk(c, ReadOptions(), print)]
    assert [(d.id, d.text) for d in documents] == [(f"r{i}", t) for i, t in enumerate(texts)]


def test_a_bad_line_is_named_by_its_number_in_the_file_whatever_chunk_it_falls_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": "四个意识"}) for i in range(50)]
    lines[37] = "{not json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(cutting, "CHUNK_BYTES", 64)
    warnings: list[str] = []
    found = list(chunks([str(path)], ReadOptions(), warnings.append))
    assert len(found) > 5
    read = [d for c in found for d in read_chunk(c, ReadOptions(), warnings.append)]
    assert len(read) == 49
    assert warnings == [
        f"{path}:38: invalid JSON (Expecting property name enclosed in double quotes at column 2); skipped"
    ]


def test_utf16_jsonl_is_cut_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(('{"id": "a", "text": "两个维护"}\n{"id": "b", "text": "四个自信"}\n').encode("utf-16"))
    (chunk,) = chunks([str(path)], ReadOptions(), print)
    assert chunk.encoding == "utf-8"
    assert [d.text for d in read_chunk(chunk, ReadOptions(), print)] == ["两个维护", "四个自信"]


def test_a_text_file_is_one_chunk_the_reader_opens_itself(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("四个意识", encoding="utf-8")
    (chunk,) = chunks([str(path)], ReadOptions(), print)
    assert (chunk.fmt, chunk.data, chunk.size) == ("text", None, path.stat().st_size)


def test_input_files_walks_folders_in_order_and_passes_over_hidden_and_unknown_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.txt", "b/1.jsonl", "c/3.txt", "a.csv", ".x.txt", ".hidden/3.txt", "image.png", "out.jsonl"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = input_files([tmp_path], print, exclude=[tmp_path / "out.jsonl"], include_text=True)
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["a.csv", "b/1.jsonl", "b/2.txt", "c/3.txt"]
    warnings: list[str] = []
    records = input_files([tmp_path], warnings.append, exclude=[tmp_path / "out.jsonl"])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in records] == ["a.csv", "b/1.jsonl", "c/3.txt"]
    assert warnings == [
        f"{tmp_path}: 1 text file(s) beside the records passed over ({tmp_path / 'b/2.txt'}); --include-text reads them"
    ]
    with pytest.raises(InputError, match="no such file or folder"):
        input_files([tmp_path / "missing.txt"], print)


def test_csv_records_are_parsed_here_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,text\na,"两个\n维护"\nb,四个意识,extra\nc,四个自信\n', encoding="utf-8")
    warnings: list[str] = []
    (chunk,) = chunks([str(path)], ReadOptions(), warnings.append)
    assert [where for where, _ in chunk.rows or []] == [f"{path}:2", f"{path}:5"]
    assert warnings == [f"{path}:4: expected 2 fields, got 3; skipped"]
