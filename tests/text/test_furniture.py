"""Page furniture on texts written by hand: prompts, menus, a repeated passage, and the body mining reads."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from phrasefinder.text.furniture import (
    CLAUSE_ENDS,
    REPEAT_MIN_CHARS,
    REPEAT_SEED_CHARS,
    body_text,
    boilerplate_spans,
    repeat_spans,
)


def test_a_prompt_line_is_boilerplate_and_a_sentence_using_its_word_is_not() -> None:
    text = "分享到：\n大家纷纷分享学习“四个意识”的体会。\n"
    [(start, end)] = boilerplate_spans(text)
    assert text[start:end].startswith("分享到")
    assert "体会" not in text[start:end]


def test_three_short_lines_before_the_running_text_are_a_menu_and_a_lone_headline_is_not() -> None:
    menu = "首页\n新闻中心\n政务公开\n"
    body = "全市上下认真学习，增强“四个意识”，坚定“四个自信”。\n"
    text = menu + body
    spans = boilerplate_spans(text)
    assert text[spans[0][0] : spans[-1][1]].strip().splitlines() == menu.strip().splitlines()
    assert boilerplate_spans("增强四个意识\n" + body) == []  # a lone short line is a headline


def test_a_passage_repeated_at_length_is_a_repeat_and_a_short_restatement_is_not() -> None:
    clause = "全市上下要深入学习贯彻会议精神，切实增强四个意识，坚决做到两个维护，推动各项工作落地见效"
    long_run = "，".join([clause] * 3) + "。"
    assert len(long_run) >= REPEAT_MIN_CHARS
    text = long_run + "另起一段。" + long_run
    spans = repeat_spans(text)
    assert spans
    assert all(s >= len(long_run) for s, _ in spans)  # the first telling is never the repeat
    assert repeat_spans("增强四个意识。增强四个意识。") == []


def test_the_body_mining_reads_drops_boilerplate_lines_only() -> None:
    text = "版权所有 © 某某网\n坚定“四个自信”。\n返回顶部\n"
    assert body_text(text).split() == ["坚定“四个自信”。"]
    assert body_text("坚定“四个自信”。") == "坚定“四个自信”。"


def _repeat_spans_by_regex(text: str) -> list[tuple[int, int]]:
    """The rule as first written, clause by regex match: what the split-based version must equal."""
    spans, seen, run_start, run_end = [], set(), -1, -1
    for match in re.finditer(f"[^{CLAUSE_ENDS}]+", text):
        if match.group() in seen:
            run_start = match.start() if run_start < 0 else run_start
            run_end = match.end()
        else:
            if run_end - run_start >= REPEAT_MIN_CHARS:
                spans.append((run_start, run_end))
            run_start = run_end = -1
            seen.add(match.group())
    if run_end - run_start >= REPEAT_MIN_CHARS:
        spans.append((run_start, run_end))
    return spans


_CLAUSES = st.sampled_from(
    ["增强四个意识", "坚决做到两个维护推动各项工作", "全市上下要深入学习贯彻会议精神" * 2, "一", ""]
)


@given(st.lists(st.tuples(_CLAUSES, st.sampled_from([*CLAUSE_ENDS, "，"])), max_size=40))
def test_repeat_spans_cut_clauses_exactly_as_the_regex_rule(parts: list[tuple[str, str]]) -> None:
    text = "".join(clause + end for clause, end in parts)
    seeds = re.findall(f"[^{CLAUSE_ENDS}]{{{REPEAT_SEED_CHARS},}}", text)
    expected = [] if len(set(seeds)) == len(seeds) else _repeat_spans_by_regex(text)
    assert repeat_spans(text) == expected
