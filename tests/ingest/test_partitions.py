"""Partitions of a JSONL file, at any block size, hold each line once, numbered as one process numbers it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder.ingest.chunks import ReadOptions
from phrasefinder.ingest.partitions import count_lines, numbered, partition_chunks, plan, to_count

LINES = st.lists(st.text(alphabet="ab四个意识{}\r ", max_size=12), max_size=30)


def numbered_lines(path: Path, block: int) -> list[tuple[int, bytes]]:
    """Every (line number, line) the partitions of ``path`` give, in partition order."""
    partitions = plan([str(path)], ReadOptions(), block)
    lines = numbered(partitions, {p.index: count_lines(p) for p in to_count(partitions)})
    found = []
    for partition in lines:
        for chunk in partition_chunks(partition, ReadOptions(), lambda _: None):
            assert chunk.data is not None
            pieces = chunk.data.split(b"\n")
            if chunk.data.endswith(b"\n"):
                pieces.pop()
            found.extend(enumerate(pieces, start=chunk.first_line))
    return found


@settings(max_examples=200, deadline=None)
@given(lines=LINES, newline_at_end=st.booleans(), block=st.integers(1, 40))
def test_ranges_cut_at_line_ends_and_count_lines_as_one_process(
    lines: list[str], newline_at_end: bool, block: int
) -> None:
    data = "\n".join(lines).encode() + (b"\n" if newline_at_end and lines else b"")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.jsonl"
        path.write_bytes(data)
        expected = data.split(b"\n")
        if data.endswith(b"\n"):
            expected.pop()
        assert numbered_lines(path, block) == list(enumerate([] if not data else expected, start=1))


@pytest.mark.parametrize("block", [10, 1000])
def test_small_files_are_grouped_and_large_ones_cut(tmp_path: Path, block: int) -> None:
    small = [tmp_path / f"{n}.txt" for n in range(3)]
    for path in small:
        path.write_text("四个意识", encoding="utf-8")
    large = tmp_path / "big.jsonl"
    large.write_text('{"text": "四个意识"}\n' * 100, encoding="utf-8")
    partitions = plan([*map(str, small), str(large)], ReadOptions(), block)
    assert [p.index for p in partitions] == list(range(len(partitions)))
    if block == 1000:
        assert partitions[0].files == tuple(map(str, small))
        assert [p.name for p in partitions[1:]] == [str(large)] * len(partitions[1:])
        assert len(partitions) == 1 + -(-large.stat().st_size // block)
    else:  # each text is larger than the block: one partition each
        assert [p.files for p in partitions[:3]] == [(str(p),) for p in small]
