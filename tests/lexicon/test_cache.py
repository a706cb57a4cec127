"""The lexicon cache: a second load reads it, any change rebuilds, and nothing is read from a shared place."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from phrasefinder import Lexicon, Scanner
from phrasefinder.errors import LexiconError
from phrasefinder.lexicon import cache, lexicon_files

from ..conftest import TEST_LEXICON


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(where))
    return where


def _copy(tmp_path: Path) -> Path:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(TEST_LEXICON, lexicons)
    return lexicons


def test_a_second_load_is_read_from_the_cache_and_scans_the_same(tmp_path: Path, folder: Path) -> None:
    lexicons = _copy(tmp_path)
    first = Lexicon.load(lexicons)
    hits = [h.as_dict() for h in Scanner(first).scan("增强“四个意识”，坚定“四个自信”")]
    assert sorted(p.name.split("-")[0] for p in folder.glob("*.pickle")) == ["forms", "lexicon"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())
    second = Lexicon.load(lexicons)
    assert second == first
    assert second.cache_key == first.cache_key
    assert [h.as_dict() for h in Scanner(second).scan("增强“四个意识”，坚定“四个自信”")] == hits


def test_a_changed_file_is_a_new_key_and_an_invalid_set_is_never_cached(tmp_path: Path, folder: Path) -> None:
    lexicons = _copy(tmp_path)
    before = Lexicon.load(lexicons)
    path = lexicon_files(lexicons)[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - id: cached-new\n    phrase: 新词新语\n    category: c\n", encoding="utf-8")
    after = Lexicon.load(lexicons)
    assert after.cache_key != before.cache_key
    assert "cached-new" in {e.id for e in after}
    path.write_text(text + "  - id: Bad\n    phrase: 坏的条目\n    category: c\n", encoding="utf-8")
    for _ in range(2):  # the second time too: the problems are found again, not a cached silence
        with pytest.raises(LexiconError, match="bad id 'Bad'"):
            Lexicon.load(lexicons)


def test_a_cache_others_can_write_is_never_unpickled(tmp_path: Path, folder: Path) -> None:
    lexicons = _copy(tmp_path)
    key = cache.key(lexicon_files(lexicons))
    folder.mkdir(mode=0o700)
    marker = tmp_path / "ran"
    planted = folder / f"lexicon-{key}.pickle"
    planted.write_bytes(pickle.dumps(_Planted(str(marker))))
    os.chmod(planted, 0o600)
    os.chmod(folder, 0o777)  # a shared folder: anyone could have put it there
    assert Lexicon.load(lexicons)["four-consciousnesses"]
    assert not marker.exists()
    os.chmod(folder, 0o700)
    os.chmod(planted, 0o644)  # a file others may read is not trusted either
    Lexicon.load(lexicons)
    assert not marker.exists()


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    assert Lexicon.load(_copy(tmp_path))
    assert cache.load("lexicon", "x") is None


class _Planted:
    """A pickle that leaves a mark when it is read: proof that the cache ran it."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def test_entries_keep_the_path_they_were_loaded_by(tmp_path: Path, folder: Path, monkeypatch) -> None:
    lexicons = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    relative = Lexicon.load("lexicons")
    absolute = Lexicon.load(lexicons)
    assert {e.path for e in relative} == {"lexicons/test.yaml"}
    assert {e.path for e in absolute} == {str(lexicons / "test.yaml")}
