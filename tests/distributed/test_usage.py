"""Bad usage of a cluster run is one line, before any work; a run without --scheduler imports no Dask."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SEEDS, TEST_LEXICON, run


def test_an_unreachable_scheduler_is_named_with_how_long_it_was_given(monkeypatch, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PHRASEFINDER_SCHEDULER_SECONDS", "1")
    result = run("scan", SEEDS, "-l", TEST_LEXICON, "--scheduler", f"tcp://127.0.0.1:{port}", "-o", tmp_path / "hits")
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"error: --scheduler tcp://127.0.0.1:{port}: the Dask scheduler did not answer in 1 s"
    )
    assert not (tmp_path / "hits").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--scheduler writes a Parquet dataset: give -o FOLDER"),
        (("-o", "hits", "-f", "jsonl"), "--scheduler writes Parquet (a dataset in hits/), not jsonl"),
        (("-o", "out", "--stats", "out"), "out: --stats needs a folder of its own"),
        (("-o", "taken.parquet"), "taken.parquet: with a scheduler, the output is a folder"),
        (("-o", "corpus"), "holds the input"),
    ],
)
def test_bad_usage_is_one_line(monkeypatch, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.parquet").write_bytes(b"")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("增强“四个意识”", encoding="utf-8")
    result = run("scan", "corpus", "-l", TEST_LEXICON, "--scheduler", "local:1", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_the_extra_the_message_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None; sys.argv = ['phrasefinder'] + sys.argv[1:]; "
        "from phrasefinder.cli import app; app()"
    )
    args = ["scan", str(SEEDS), "-l", str(TEST_LEXICON), "--scheduler", "local:1", "-o", str(tmp_path / "hits")]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "pip install 'phrasefinder[dask]'" in done.stderr


def test_a_scan_without_scheduler_imports_nothing_of_dask(tmp_path: Path) -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from phrasefinder.cli import app; "
        f"r = CliRunner().invoke(app, ['scan', {str(SEEDS)!r}, '-l', {str(TEST_LEXICON)!r}, '-f', 'jsonl']); "
        "assert r.exit_code == 0, r.output; "
        "print(' '.join(m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert loaded.stdout.strip() == ""
