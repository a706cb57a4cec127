from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from phrasefinder import Lexicon, Scanner
from phrasefinder.cli import app

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
