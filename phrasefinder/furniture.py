"""Page furniture and repeated passages: where a hit is not the author's words.

Scraped pages wrap the article in menus, footers and download prompts, and
document sites paste the opening of a text twice. Hits there are flagged, never
dropped, so counts can be taken with or without them (``--body-only``).

How a line is judged boilerplate (on the source text, line by line):

* a *prompt* line: at most ``PROMPT_MAX_CHARS`` characters and containing a
  furniture word (下载, 分享, 版权所有, 当前位置, ICP备 …);
* a *menu* line: one of at least ``MENU_MIN_LINES`` consecutive short lines
  (at most ``MENU_MAX_CHARS`` characters, no sentence punctuation) standing
  before the first or after the last line of running text. A lone short line
  (a headline, a sub-heading) is running text.

How a passage is judged a repeat (on the normalized text): the text is cut into
clauses at sentence and comma punctuation; a run of consecutive clauses that
each occurred earlier in the document, at least ``REPEAT_MIN_CHARS`` long, is a
repeat. An author restating a slogan or a sentence stays below that length.
"""

from __future__ import annotations

import re

PROMPT_MAX_CHARS = 60
MENU_MAX_CHARS = 25
MENU_MIN_LINES = 3
REPEAT_MIN_CHARS = 100

FURNITURE_WORDS = (
    "下载", "打印", "全屏", "分享", "收藏", "版权所有", "备案号", "ICP备", "©", "当前位置",
    "首页", "免费阅读", "阅读已结束", "扫一扫", "客服", "保存成功", "返回顶部", "上一篇",
    "下一篇", "字号", "关闭窗口", "主办", "浏览次数", "点击数", "Copyright",
)  # fmt: skip

_PROMPT = re.compile("|".join(re.escape(w) for w in FURNITURE_WORDS), re.IGNORECASE)
_SENTENCE = re.compile(r"[。，！？；：,!?;:]")
_CLAUSE = re.compile(r"[^。！？!?：:、]+")


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Source spans ``[start, end)`` of the lines judged boilerplate."""
    spans, kinds = [], []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        kinds.append(_kind(line))
        start += len(line) + 1
    marked = _mark_menus(kinds)
    return [span for span, kind in zip(spans, marked, strict=True) if kind == "furniture"]


def repeat_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``[start, end)`` of normalized ``text`` that repeat an earlier passage."""
    clauses = _CLAUSE.findall(text)
    if len(set(clauses)) == len(clauses):
        return []
    spans = []
    seen: set[str] = set()
    run_start = run_end = -1
    for match in _CLAUSE.finditer(text):
        clause = match.group()
        if clause in seen:
            if run_start < 0:
                run_start = match.start()
            run_end = match.end()
        else:
            if run_end - run_start >= REPEAT_MIN_CHARS:
                spans.append((run_start, run_end))
            run_start = run_end = -1
            seen.add(clause)
    if run_end - run_start >= REPEAT_MIN_CHARS:
        spans.append((run_start, run_end))
    return spans


def _kind(line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return "blank"
    if len(stripped) <= PROMPT_MAX_CHARS and _PROMPT.search(stripped):
        return "furniture"
    if len(stripped) <= MENU_MAX_CHARS and not _SENTENCE.search(stripped):
        return "short"
    return "body"


def _mark_menus(kinds: list[str]) -> list[str]:
    """Turn runs of short lines at the page's edges into furniture; the rest is body."""
    body = [i for i, kind in enumerate(kinds) if kind == "body"]
    first, last = (body[0], body[-1]) if body else (len(kinds), -1)
    marked = list(kinds)
    i = 0
    while i < len(kinds):
        j = i
        while j < len(kinds) and kinds[j] == "short":
            j += 1
        menu = j - i >= MENU_MIN_LINES and (j <= first or i > last)
        marked[i:j] = ["furniture" if menu else "body"] * (j - i)
        i = j + 1
    return marked
