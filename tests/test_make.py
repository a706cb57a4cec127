"""`make reports` on a corpus of our own: it writes the report, and rescans only when an input changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import ROOT, TEST_LEXICON, seed


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_make_reports_writes_the_report_and_rescans_only_when_an_input_changes(tmp_path: Path) -> None:
    corpus, lexicons, out = tmp_path / "corpus", tmp_path / "lexicons", tmp_path / "out"
    corpus.mkdir()
    shutil.copy(seed("001"), corpus)
    shutil.copytree(TEST_LEXICON, lexicons)
    variables = [f"CORPUS={corpus}", f"LEXICONS={lexicons}", f"OUT={out}"]
    scanned = ROOT / "build" / "scan" / f"{str(corpus).replace('/', '_')}_{str(lexicons).replace('/', '_')}"

    def newer_than_the_scan(path: Path) -> None:
        """Make ``path`` newer than the last scan, by the file times themselves, however slow the machine."""
        later = (scanned / "hits.parquet").stat().st_mtime + 10
        os.utime(path, (later, later))

    try:
        first = make("reports", *variables)
        assert first.returncode == 0, first.stderr
        assert "phrasefinder scan" in first.stdout
        assert (out / "index.html").is_file()
        assert (out / "frequency.csv").is_file()
        again = make("reports", *variables)
        assert "phrasefinder" not in again.stdout  # neither corpus nor lexicons changed: nothing runs
        newer_than_the_scan(lexicons / "test.yaml")
        assert "phrasefinder scan" in make("reports", *variables).stdout  # a lexicon changed: rescan
        newer_than_the_scan(corpus / seed("001").name)
        assert "phrasefinder scan" in make("reports", *variables).stdout  # a document changed: rescan
    finally:
        shutil.rmtree(scanned, True)
