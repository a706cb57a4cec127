"""The bundled lexicons: valid, complete enough for real news, and right on the seeds."""

from __future__ import annotations

import pytest

from phrasefinder import Document, Lexicon, Scanner
from phrasefinder.lexicon import default_path, validate
from phrasefinder.lexicon.model import LEVELS
from phrasefinder.text.normalize import normalize

from ..conftest import seed

# Formulas a curator reading each seed document expects to be found in its body.
SEED_FORMULAS = {
    "000": ["两会一节", "能帮就帮", "一盘棋", "高标准、高质量、高效率", "厉行节约、勤俭办会"],
    "001": [
        "全国文明典范城市", "强首府战略", "四个意识", "四个自信", "两个维护", "三牛精神", "十六字工作方针",
        "四为理念", "十大提升行动", "十四五", "一网统管", "绣花功夫", "社会主义核心价值观",
    ],
    "002": ["全域全国文明城市", "人民城市人民建、人民城市为人民", "放管服", "获得感、幸福感、安全感", "急难愁盼", "1+5三年行动"],
    "003": ["四城联创", "等不起、慢不得、坐不住", "六区、四城、两中心", "科学发展观"],
    "004": ["早谋划、早安排、早启动", "五个中心", "四大品牌", "越办越好"],
}  # fmt: skip


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return Lexicon.load()


def test_bundled_lexicons_are_valid() -> None:
    assert validate(default_path())[1] == []


def test_a_national_core_of_dated_formulas(bundled: Lexicon) -> None:
    national = [e for e in bundled if e.level == "national"]
    assert len([e for e in national if e.first_seen]) >= 60
    assert all(e.category and e.source for e in national)
    assert all("no first_seen" in (e.note or "") for e in national if not e.first_seen)
    assert {e.level for e in bundled} <= set(LEVELS)
    local = [e for e in bundled if e.level in ("provincial", "municipal", "county")]
    assert all(e.region for e in local)


@pytest.mark.parametrize("number", sorted(SEED_FORMULAS))
def test_every_seed_formula_is_found_in_the_body(bundled: Lexicon, number: str) -> None:
    text = seed(number).read_text(encoding="utf-8")
    hits = Scanner(bundled).scan(Document(number, text))
    body = {normalize(h.phrase).text for h in hits if not (h.boilerplate or h.repeat)}
    missing = [f for f in SEED_FORMULAS[number] if normalize(f).text not in body]
    assert missing == []
    assert all(text[h.start : h.end] == h.matched for h in hits)
