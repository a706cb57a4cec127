from __future__ import annotations

import atexit
import csv
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from phrasefinder import Lexicon, Scanner
from phrasefinder.cli import app

# No test depends on timing: on a loaded machine one example can take longer than hypothesis's 200 ms deadline.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

# The lexicon cache of the tests' own: a run never reads or fills the user's, and leaves nothing behind.
if "PHRASEFINDER_CACHE" not in os.environ:
    os.environ["PHRASEFINDER_CACHE"] = tempfile.mkdtemp(prefix="phrasefinder-cache-")
    atexit.register(shutil.rmtree, os.environ["PHRASEFINDER_CACHE"], True)

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SEEDS = ROOT / "examples" / "corpus"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
TEST_LEXICON = DATA / "lexicon"


def seed(prefix: str) -> Path:
    """A bundled seed document by its number, e.g. ``seed("003")``."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load(TEST_LEXICON)


@pytest.fixture(scope="session")
def scanner(lexicon: Lexicon) -> Scanner:
    return Scanner(lexicon)


@pytest.fixture
def cli():
    """Run the real CLI in-process; stderr kept apart from stdout."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):  # noqa: A002
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def run(*args: object) -> Result:
    """The real CLI, in-process, on real files."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def scan_corpus(folder: Path, documents: list[dict[str, Any]], stats_name: str = "stats.jsonl") -> dict[str, Any]:
    """Write ``documents`` as a JSONL corpus in ``folder`` and scan it with the test lexicon: the paths and stderr."""
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    hits, stats = folder / "hits.jsonl", folder / stats_name
    result = run("scan", corpus, "-l", TEST_LEXICON, "-o", hits, "--stats", stats)
    assert result.exit_code == 0, result.stderr
    return {"folder": folder, "corpus": corpus, "hits": hits, "stats": stats, "scan_stderr": result.stderr}
