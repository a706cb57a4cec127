from __future__ import annotations

from pathlib import Path

import pytest
import typer

from phrasefinder.cli import app

from ..conftest import TEST_LEXICON


def test_check_reports_ok_with_counts(cli) -> None:
    result = cli("lexicon", "check", TEST_LEXICON)
    assert result.exit_code == 0
    assert result.stdout == "ok: 15 entries in 1 files\n"


def test_check_lists_every_problem_one_per_line_and_exits_1(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nentries:\n  - id: A\n    phrase: 四个意识\n    category: c\n  - id: b\n    phrase: 两个维护\n    colour: red\n",
        encoding="utf-8",
    )
    result = cli("lexicon", "check", bad)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:3: entry 'A': bad id 'A': use lower-case letters, digits and hyphens, starting with a letter or digit",
        f"{bad}:8: entry 'b': unknown key 'colour'",
        f"{bad}:6: entry 'b': missing field 'category'",
    ]


def test_check_of_a_missing_path_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("lexicon", "check", tmp_path / "none")
    assert result.exit_code == 2
    assert "no such lexicon file or folder" in result.stderr


def test_stats_counts_by_category_level_and_file(cli) -> None:
    result = cli("lexicon", "stats", TEST_LEXICON)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.split()[:1] == ["civilization"])
    assert row.split()[-1] == "3"
    assert any(line.split()[:2] == ["national", "12"] for line in lines)
    assert sum(1 for line in lines if "total" in line and line.split()[-1] == "15") == 3


def test_every_command_has_help_text(cli) -> None:
    root = typer.main.get_command(app)
    commands = [([], root)]
    seen = []
    while commands:
        path, command = commands.pop()
        result = cli(*path, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.stdout
        assert command.help or path == [], path
        seen.append(" ".join(path))
        for name, sub in getattr(command, "commands", {}).items():
            commands.append(([*path, name], sub))
    assert sorted(seen) == [
        "", "lexicon", "lexicon check", "lexicon init", "lexicon stats", "mine", "report", "review", "review accept", "review list",
        "review reject", "review undo", "scan",
    ]  # fmt: skip


def test_an_internal_error_is_one_line_with_exit_3_and_debug_shows_it(cli, monkeypatch) -> None:
    import phrasefinder.lexicon.load

    def broken(paths: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(phrasefinder.lexicon.load, "lexicon_files", broken)  # a bug, simulated in our own code
    result = cli("lexicon", "check")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "internal error: ZeroDivisionError: division by zero (a bug in phrasefinder; run again with --debug for the "
        "traceback)"
    ]
    with pytest.raises(ZeroDivisionError):
        cli("--debug", "lexicon", "check")


def test_lexicon_init_makes_a_working_set_that_review_and_the_env_variable_use(cli, tmp_path, monkeypatch) -> None:
    from phrasefinder import Lexicon
    from phrasefinder.lexicon import bundled_path

    work = tmp_path / "work"
    result = cli("lexicon", "init", work)
    assert result.exit_code == 0, result.stderr
    assert len(Lexicon.load(work)) == len(Lexicon.load(bundled_path()))
    assert (work / "review" / "decisions.jsonl").read_bytes() == (
        bundled_path() / "review" / "decisions.jsonl"
    ).read_bytes()
    again = cli("lexicon", "init", work)
    assert again.exit_code == 2
    assert "exists and is not an empty folder" in again.stderr
    empty = tmp_path / "empty"
    assert cli("lexicon", "init", empty, "--empty").exit_code == 0
    monkeypatch.setenv("PHRASEFINDER_LEXICONS", str(empty))
    assert cli("lexicon", "check").stdout == "ok: 0 entries in 1 files\n"  # the working set, not the bundled one


def test_nothing_is_written_into_the_installed_package(tmp_path) -> None:
    import phrasefinder
    from phrasefinder.errors import ReviewError
    from phrasefinder.review.queue import Queue

    inside = Path(phrasefinder.__file__).parent / "text"  # any folder of the package stands for an installed one
    with pytest.raises(ReviewError, match="lexicon init DIR"):
        Queue(inside).add([])
    assert not (inside / "review").exists()
