from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from phrasefinder.scan.hit import COLUMNS

from ..conftest import SEEDS, TEST_LEXICON, seed

SENTENCE = "全市要增强“四个意识”，深化“放管服”改革。"


def scan(cli, *args: object, input: bytes | None = None):  # noqa: A002
    return cli("scan", "-l", TEST_LEXICON, *args, input=input)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_folder_of_seeds_as_jsonl(cli) -> None:
    result = scan(cli, SEEDS, "--format", "jsonl")
    assert result.exit_code == 0
    hits = jsonl(result.stdout)
    assert list(hits[0]) == list(COLUMNS)
    assert {Path(h["doc_id"]).name[:3] for h in hits} == {"000", "001", "002", "003", "004"}
    assert hits[0]["doc_id"] == str(SEEDS / seed("000").name)
    for hit in hits:
        text = Path(hit["doc_id"]).read_text(encoding="utf-8")
        assert text[hit["start"] : hit["end"]] == hit["matched"]
    assert "5 documents" in result.stderr
    assert f"{len(hits)} hits, 0 warnings" in result.stderr


def test_hits_are_ordered_by_document_then_start(cli) -> None:
    hits = jsonl(scan(cli, SEEDS, "-f", "jsonl").stdout)
    keys = [(h["doc_id"], h["start"]) for h in hits]
    assert keys == sorted(keys)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_each_encoding_gives_the_same_hits(cli, tmp_path: Path, encoding: str) -> None:
    text = "全市要增強“四個意識”，深化“放管服”改革。" if encoding == "big5" else SENTENCE
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    hits = jsonl(scan(cli, path, "-f", "jsonl").stdout)
    assert [(h["entry_id"], h["start"], h["end"]) for h in hits] == [
        ("four-consciousnesses", 6, 10),
        ("delegate-streamline-serve", 15, 18),
    ]


def test_seed_002_traditional_with_pinyin(cli) -> None:
    hits = jsonl(scan(cli, seed("002"), "-f", "jsonl").stdout)
    text = seed("002").read_text(encoding="utf-8")
    assert "全域全國文明城市" in {h["matched"] for h in hits}
    assert all(text[h["start"] : h["end"]] == h["matched"] for h in hits)


def test_jsonl_records_carry_metadata_and_bad_lines_are_skipped(cli, tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        json.dumps(
            {"id": "r1", "text": SENTENCE, "date": "2021-03-23", "source": "南宁日报", "title": "标题", "page": 4},
            ensure_ascii=False,
        )
        + "\n{not json\n"
        + json.dumps({"id": "r3", "body": "x"})
        + "\n"
        + json.dumps({"text": "坚持“两个维护”", "region": "广西"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = scan(cli, path, "-f", "jsonl")
    assert result.exit_code == 0
    hits = jsonl(result.stdout)
    assert [(h["doc_id"], h["entry_id"]) for h in hits] == [
        ("r1", "four-consciousnesses"),
        ("r1", "delegate-streamline-serve"),
        (f"{path}:4", "two-upholds"),
    ]
    assert (hits[0]["date"], hits[0]["source"], hits[0]["title"], hits[0]["region"]) == (
        "2021-03-23",
        "南宁日报",
        "标题",
        None,
    )
    assert hits[2]["region"] == "广西"
    assert f"{path}:2: invalid JSON" in result.stderr
    assert f"{path}:3: record has no 'text' field; skipped" in result.stderr
    assert "2 warnings" in result.stderr


def test_text_and_id_fields_can_be_renamed(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"key": "k9", "body": SENTENCE}, ensure_ascii=False) + "\n", encoding="utf-8")
    hits = jsonl(scan(cli, path, "--text-field", "body", "--id-field", "key", "-f", "jsonl").stdout)
    assert {h["doc_id"] for h in hits} == {"k9"}


def test_csv_input_with_a_broken_row(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f'id,text,date\na,"{SENTENCE}",2020\nb,only two\nc,"坚持两个维护",2021-01\n', encoding="utf-8")
    result = scan(cli, path, "-f", "jsonl")
    hits = jsonl(result.stdout)
    assert [(h["doc_id"], h["entry_id"], h["date"]) for h in hits] == [
        ("a", "four-consciousnesses", "2020"),
        ("a", "delegate-streamline-serve", "2020"),
        ("c", "two-upholds", "2021-01"),
    ]
    assert f"{path}:3: expected 3 fields, got 2; skipped" in result.stderr


def test_parquet_in_and_out(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pl.DataFrame({"id": ["p1", "p2"], "text": [SENTENCE, "无"], "source": ["人民日报", None]}).write_parquet(source)
    out = tmp_path / "hits.parquet"
    result = scan(cli, source, "-o", out)
    assert result.exit_code == 0
    hits = pl.read_parquet(out)
    assert hits.columns == list(COLUMNS)
    assert hits["entry_id"].to_list() == ["four-consciousnesses", "delegate-streamline-serve"]
    assert hits["source"].to_list() == ["人民日报", "人民日报"]
    assert hits.schema["start"] == pl.Int64


def test_csv_output(cli, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    scan(cli, seed("001"), "-o", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(COLUMNS)
    assert "四个意识" in {r["matched"] for r in rows}


def test_gzip_markdown_and_html(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(SENTENCE.encode("gb18030")))
    (tmp_path / "b.md").write_text("# 标题\n\n坚持“两个维护”\n", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        "<html><head><title>新闻</title></head><body><nav><a href='/'>首页</a></nav><article><h1>标题</h1>"
        "<p>会议强调，要增强“四个意识”，坚决做到“两个维护”，深化“放管服”改革，不断提高政治判断力、政治领悟力、政治执行力。</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    hits = jsonl(scan(cli, tmp_path, "-f", "jsonl").stdout)
    by_doc: dict[str, list[str]] = {}
    for hit in hits:
        by_doc.setdefault(Path(hit["doc_id"]).name, []).append(hit["entry_id"])
    assert by_doc == {
        "a.txt.gz": ["four-consciousnesses", "delegate-streamline-serve"],
        "b.md": ["two-upholds"],
        "c.html": ["four-consciousnesses", "two-upholds", "delegate-streamline-serve"],
    }
    html_hit = next(h for h in hits if h["doc_id"].endswith("c.html"))
    assert html_hit["title"] == "标题"  # trafilatura prefers the article headline to <title>


def test_bad_files_are_reported_and_the_run_goes_on(cli, tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "damaged.txt").write_bytes(SENTENCE.encode() + b"\xff")
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = scan(cli, tmp_path, "-f", "jsonl")
    assert result.exit_code == 0
    assert {Path(h["doc_id"]).name for h in jsonl(result.stdout)} == {"damaged.txt"}
    assert f"{tmp_path / 'binary.txt'}: binary file (NUL bytes); skipped" in result.stderr
    assert f"{tmp_path / 'damaged.txt'}: 1 invalid utf-8 byte sequence(s) replaced" in result.stderr
    assert f"{tmp_path / 'broken.txt.gz'}: cannot read" in result.stderr
    assert "3 warnings" in result.stderr


def test_stdin_as_text_and_as_jsonl(cli) -> None:
    hits = jsonl(scan(cli, "-", "-f", "jsonl", input=SENTENCE.encode("gb18030")).stdout)
    assert [(h["doc_id"], h["entry_id"]) for h in hits] == [
        ("-", "four-consciousnesses"),
        ("-", "delegate-streamline-serve"),
    ]
    record = json.dumps({"id": "s1", "text": SENTENCE}, ensure_ascii=False)
    hits = jsonl(scan(cli, "-", "--input-format", "jsonl", "-f", "jsonl", input=record.encode()).stdout)
    assert {h["doc_id"] for h in hits} == {"s1"}


def test_body_only_drops_boilerplate_and_repeats(cli) -> None:
    everything = jsonl(scan(cli, seed("003"), seed("004"), "-f", "jsonl").stdout)
    body = jsonl(scan(cli, seed("003"), seed("004"), "-f", "jsonl", "--body-only").stdout)
    flagged = [h for h in everything if h["boilerplate"] or h["repeat"]]
    assert flagged
    assert len(body) == len(everything) - len(flagged)
    assert not any(h["boilerplate"] or h["repeat"] for h in body)


def test_overlap_longest_and_context(cli, tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("争创全域全国文明城市工作", encoding="utf-8")
    everything = jsonl(scan(cli, path, "-f", "jsonl", "--context", "2").stdout)
    assert [(h["entry_id"], h["nested"]) for h in everything] == [
        ("whole-region-civilized-city", False),
        ("national-civilized-city", True),
    ]
    assert (everything[0]["context_left"], everything[0]["context_right"]) == ("争创", "工作")
    longest = jsonl(scan(cli, path, "-f", "jsonl", "--overlap", "longest").stdout)
    assert [h["entry_id"] for h in longest] == ["whole-region-civilized-city"]


def test_two_jobs_write_exactly_what_one_job_writes(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasefinder.scan import pipeline

    monkeypatch.setattr(pipeline, "SMALL_INPUT", 0)  # workers even for this small corpus
    corpus = tmp_path / "many.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(60):
            out.write(json.dumps({"id": f"d{i}", "text": texts[i % 5] * (1 + i % 3)}, ensure_ascii=False) + "\n")
    one = scan(cli, corpus, "-f", "jsonl", "-j", "1").stdout
    two = scan(cli, corpus, "-f", "jsonl", "-j", "2").stdout
    assert one == two
    assert len(one.splitlines()) > 500


def test_a_small_input_is_scanned_in_one_process_whatever_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasefinder import Lexicon, Scanner
    from phrasefinder.ingest.chunks import ReadOptions
    from phrasefinder.scan import pipeline

    path = tmp_path / "a.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    started: list[int] = []
    real = pipeline.ProcessPoolExecutor
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", lambda *a, **k: started.append(1) or real(*a, **k))
    batches = list(pipeline.scan_paths(Scanner(Lexicon.load(TEST_LEXICON)), [str(path)], ReadOptions(), jobs=2))
    assert started == []
    assert sum(b.hits_count for b in batches) == 2


def test_table_output_shows_the_formula_in_context(cli) -> None:
    result = scan(cli, seed("001"), "-f", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["doc", "formula", "at", "flags", "left", "matched", "right"]
    row = next(line for line in lines if "四个意识" in line)
    assert row.split()[1:3] == ["四个意识", "480"]


def test_exit_codes(cli, tmp_path: Path) -> None:
    missing = scan(cli, tmp_path / "nope.txt")
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.txt'}: no such file or folder" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nentries:\n  - id: A\n    phrase: 四个意识\n    category: c\n", encoding="utf-8")
    invalid = cli("scan", "-l", bad, seed("000"))
    assert invalid.exit_code == 1
    assert invalid.stderr.startswith(f"{bad}:3: entry 'A': bad id 'A'")
    assert scan(cli, seed("000"), "--overlap", "some").exit_code == 2
    assert scan(cli, seed("000"), "--input-format", "docx").exit_code == 2


def test_console_script_runs_as_a_subprocess(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("phrasefinder")
    done = subprocess.run(
        [exe, "scan", "-l", TEST_LEXICON, "-"], input=SENTENCE.encode(), capture_output=True, check=True
    )
    assert [json.loads(line)["entry_id"] for line in io.StringIO(done.stdout.decode())] == [
        "four-consciousnesses",
        "delegate-streamline-serve",
    ]


def test_forked_workers_in_a_fresh_process_match_one_process(tmp_path: Path) -> None:
    # A fresh CLI process has no threads and no Polars: its workers are forked, not spawned.
    corpus = tmp_path / "many.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    corpus.write_text(
        "".join(json.dumps({"id": i, "text": texts[i % 5]}, ensure_ascii=False) + "\n" for i in range(400)),
        encoding="utf-8",
    )
    exe = Path(sys.executable).with_name("phrasefinder")
    outputs = [
        subprocess.run([exe, "scan", corpus, "-j", jobs], capture_output=True, check=True).stdout for jobs in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) > 1000


def test_gzipped_records_and_a_gb18030_csv(cli, tmp_path: Path) -> None:
    record = json.dumps({"id": "z1", "text": SENTENCE}, ensure_ascii=False) + "\n"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(("\n" + record).encode()))
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(f"id,text\nc1,{SENTENCE.replace('，', '')}\n".encode("gb18030")))
    result = scan(cli, tmp_path, "-f", "jsonl")
    assert [(h["doc_id"], h["entry_id"]) for h in jsonl(result.stdout)] == [
        ("z1", "four-consciousnesses"),
        ("z1", "delegate-streamline-serve"),
        ("c1", "four-consciousnesses"),
        ("c1", "delegate-streamline-serve"),
    ]
    assert "0 warnings" in result.stderr


def test_jsonl_line_numbers_survive_chunking(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import phrasefinder.ingest.chunks

    monkeypatch.setattr(phrasefinder.ingest.chunks, "CHUNK_BYTES", 64)  # many chunks, cut mid-line
    lines = [json.dumps({"text": f"第{i}条：坚持“两个维护”"}, ensure_ascii=False) for i in range(30)]
    lines[17] = "{broken"
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = scan(cli, path, "-f", "jsonl")
    ids = [h["doc_id"] for h in jsonl(result.stdout)]
    assert ids == [f"{path}:{n}" for n in range(1, 31) if n != 18]
    assert f"{path}:18: invalid JSON" in result.stderr


def test_folders_reached_through_dot_paths_are_scanned(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / ".cache" / "corpus"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / ".hidden.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "b.txt").write_text(SENTENCE, encoding="utf-8")
    monkeypatch.chdir(folder)
    hits = jsonl(scan(cli, "../corpus", "-f", "jsonl").stdout)
    assert {h["doc_id"] for h in hits} == {"../corpus/a.txt"}


def test_odd_records_are_warnings_not_crashes(cli, tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id": "s", "text": "\\ud83d增强四个意识"}\n'
        + '{"id": "n", "text": '
        + "9" * 5000
        + "}\n"
        + '{"id": "d", "text": '
        + "[" * 100_000
        + "}\n"
        + '"just a string"\n'
        + json.dumps({"id": "ok", "text": SENTENCE}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = scan(cli, path, "-f", "jsonl")
    assert result.exit_code == 0
    hits = jsonl(result.stdout)
    assert [(h["doc_id"], h["matched"]) for h in hits][:1] == [("s", "四个意识")]
    assert {h["doc_id"] for h in hits} == {"s", "ok"}
    assert f"{path}:1: lone surrogate code points replaced with U+FFFD" in result.stderr
    assert (
        f"{path}:2: record has a non-text 'text' field; skipped" in result.stderr
        or f"{path}:2: invalid JSON" in result.stderr
    )
    assert f"{path}:3: invalid JSON" in result.stderr
    assert f"{path}:4: a JSONL record must be an object; skipped" in result.stderr


def test_a_file_name_that_is_not_utf8_is_escaped_in_the_output(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xd6\xd0\xce\xc4.txt")  # GBK bytes, as unzipped from a Chinese Windows archive
    (tmp_path / name).write_text(SENTENCE, encoding="utf-8")
    exe = Path(sys.executable).with_name("phrasefinder")
    done = subprocess.run([exe, "scan", "-l", TEST_LEXICON, tmp_path], capture_output=True, check=True)
    ids = {json.loads(line)["doc_id"] for line in done.stdout.decode().splitlines()}
    assert ids == {f"{tmp_path}/\\udcd6\\udcd0\\udcce\\udcc4.txt"}


def test_an_unwritable_output_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = scan(cli, seed("000"), "-o", tmp_path / "missing" / "hits.jsonl")
    assert result.exit_code == 2
    assert "cannot write (No such file or directory)" in result.stderr


def test_the_output_file_is_not_read_back_as_input(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    for _ in range(2):
        result = scan(cli, tmp_path, "-o", out)
    assert "1 documents" in result.stderr
    assert "0 warnings" in result.stderr


def test_long_csv_fields_multiline_records_and_bad_bytes(cli, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_text = "长" * 140_000 + SENTENCE
    path.write_bytes(
        f'id,text\nlong,{long_text}\nml,"第一行\n第二行\n坚持两个维护"\n'.encode()
        + "bad,增强四个意识".encode()
        + b"\xff\xfe\n"
    )
    result = scan(cli, path, "-f", "jsonl")
    hits = jsonl(result.stdout)
    assert [(h["doc_id"], h["entry_id"]) for h in hits] == [
        ("long", "four-consciousnesses"),
        ("long", "delegate-streamline-serve"),
        ("ml", "two-upholds"),
        ("bad", "four-consciousnesses"),
    ]
    assert f"{path}:6: invalid utf-8 bytes replaced with U+FFFD" in result.stderr


def test_a_mostly_ascii_file_with_one_stray_byte_is_damaged_utf8(cli, tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes(b"caf\xe9 " + "增强四个意识".encode() + b" ok" * 50)
    result = scan(cli, path, "-f", "jsonl")
    assert [h["matched"] for h in jsonl(result.stdout)] == ["四个意识"]
    assert "1 invalid utf-8 byte sequence(s) replaced" in result.stderr


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "big5"])
def test_jsonl_in_legacy_and_utf16_encodings(cli, tmp_path: Path, encoding: str) -> None:
    text = "全市要增強“四個意識”" if encoding == "big5" else SENTENCE
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        "".join(json.dumps({"id": f"r{i}", "text": text}, ensure_ascii=False) + "\n" for i in range(3)).encode(encoding)
    )
    result = scan(cli, path, "-f", "jsonl")
    assert [h["doc_id"] for h in jsonl(result.stdout) if h["entry_id"] == "four-consciousnesses"] == ["r0", "r1", "r2"]
    assert "0 warnings" in result.stderr


def test_parquet_without_the_text_column_is_one_warning(cli, tmp_path: Path) -> None:
    path = tmp_path / "nocol.parquet"
    pl.DataFrame({"id": list(range(5000)), "body": ["x"] * 5000}).write_parquet(path)
    result = scan(cli, path, "-f", "jsonl")
    assert result.stderr.count("warning:") == 1
    assert f"{path}: no 'text' column (columns: id, body); skipped" in result.stderr


def test_large_parquet_and_csv_files_are_cut_into_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasefinder.ingest import chunks as readers

    monkeypatch.setattr(readers, "CHUNK_BYTES", 1000)
    frame = pl.DataFrame({"id": [f"p{i}" for i in range(300)], "text": [SENTENCE * 2] * 300})
    frame.write_parquet(tmp_path / "big.parquet")
    frame.write_csv(tmp_path / "big.csv")
    for name in ("big.parquet", "big.csv"):
        found = list(readers.chunks([str(tmp_path / name)], readers.ReadOptions(), print))
        assert len(found) > 10
        assert sum(len(c.rows or []) for c in found) == 300
        assert sum(c.size for c in found) == (tmp_path / name).stat().st_size


def test_gzip_corrupt_midway_says_how_far_it_got(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasefinder.ingest import chunks as readers

    monkeypatch.setattr(readers, "CHUNK_BYTES", 200)
    lines = "".join(json.dumps({"id": f"g{i}", "text": SENTENCE}, ensure_ascii=False) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.JSONL.GZ"
    path.write_bytes(data[: len(data) // 2])
    result = scan(cli, tmp_path, "-f", "jsonl")
    assert jsonl(result.stdout)
    assert f"{path}: cannot read after line" in result.stderr
    assert "the rest of the file is skipped" in result.stderr


def test_csv_hits_spell_flags_as_json_does(cli, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "hits.csv"
    assert cli("scan", SEEDS, "-o", out).exit_code == 0
    with out.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r[flag] for r in rows for flag in ("nested", "boilerplate", "repeat")} == {"true", "false"}


@pytest.mark.parametrize("outputs", [("-o", "{input}"), ("-o", "{other}", "--stats", "{input}"), ("-o", "{link}")])
def test_an_output_that_is_also_an_input_is_refused_before_anything_is_written(cli, tmp_path: Path, outputs) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "text": "增强四个意识"}\n', encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(corpus)
    names = {"input": corpus, "other": tmp_path / "hits.jsonl", "link": tmp_path / "link.jsonl"}
    result = cli("scan", corpus, *(a.format(**names) for a in outputs))
    assert result.exit_code == 2
    assert "an output never overwrites an input" in result.stderr
    assert corpus.read_text(encoding="utf-8") == '{"id": "a", "text": "增强四个意识"}\n'
    assert not (tmp_path / "hits.jsonl").exists()


def test_two_outputs_that_are_one_file_are_refused(cli, tmp_path: Path) -> None:
    result = cli("scan", SEEDS, "-o", tmp_path / "x.jsonl", "--stats", tmp_path / "x.jsonl")
    assert result.exit_code == 2
    assert "named twice as an output" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()
