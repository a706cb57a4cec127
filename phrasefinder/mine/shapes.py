"""Formula shapes: what marks a phrase as a formula even when a corpus mentions it once.

Quotation marks (“两会一节”), numbered formulas (四个意识, 十大提升行动), parallel
enumerations (早谋划、早安排、早启动; 讲文明、识礼仪、知荣辱、树新风), what a governing verb
names as a spirit, idea or resolve (以时不我待、只争朝夕的精神), typical heads (…精神,
…战略, …工程) and the clauses they fill after their verb, honours the state confers
(全国文明城市). Each detector reads normalized text and yields phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from ..text.normalize import HAN, SEPARATOR
from ..text.words import tagger
from .ngrams import MIN_N, STRETCH

_NUMERAL = "一二两三四五六七八九十百千"
# Up to 48 characters between the marks: pinyin glosses (進(jìn)) inflate a short phrase.
QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n。！？；：，,;:!?]{2,48})[”」』\"]")
# A numbered formula: a numeral other than a bare 一 (一是, 一天天), then at most five more characters.
NUMBERED = re.compile(rf"^(?:[二两三四五六七八九十百千][{_NUMERAL}]{{0,2}}|\d{{1,2}})(?!是)[{HAN}]{{1,5}}$")
DIGITS = re.compile(r"^\d+(?:[+＋]\d+)+$")
_ENUMERATION = re.compile(rf"[{HAN}]+(?:、[{HAN}]+)+")
NAME_HEADS = (
    "精神",
    "理念",
    "战略",
    "行动",
    "工程",
    "方针",
    "意识",
    "思想",
    "价值观",
    "发展观",
    "政绩观",
    "安全观",
    "权力观",
    "大局观",
    "学习教育",
    "主题教育",
)
"""Heads that name a formula wherever they stand; the others of HEADS end ordinary phrases too."""
HEADS = (*NAME_HEADS, "作风", "机制", "体系", "格局", "品牌", "中心", "年")
# An honour the state confers on a city or county: 全国文明城市, 国家卫生城市, 国家生态文明建设示范区.
TITLE = re.compile(rf"^(?:全域)?(?:全国|国家)[{HAN}]{{2,8}}(?:城市|示范区|示范县|示范市)$")
# 贯彻…会议精神, 讲话精神: the spirit of a meeting or a speech is not a formula's name.
MEETING_SPIRIT = re.compile("[会议班话示]精神$")
STOP_CHARS = set("的了是在和与及或而也都就还又被把将对于从向以为之其这那些个们着过吗呢吧啊要等地得并各该此每")
STOP_END = STOP_CHARS | set("上中下时后前里")
FUNCTION_TAGS = {"p", "c", "u", "f", "r", "y", "e", "o", "m", "q"}
"""jieba's tags of words that are not the start of a formula: prepositions, conjunctions, particles,
locatives, pronouns, interjections, numerals, measure words (对于, 以及, 以来, 这个, 其中)."""
FRAMES = re.compile(rf"以[{HAN}]{{1,6}}[为促带定保换化治][{HAN}]{{1,6}}|为[{HAN}]{{1,6}}(?:服务|减负|谋[{HAN}]{{1,3}})")
"""Formulas that open on 以 or 为 by their frame: 以人民为中心, 以开放促改革, 以城带乡, 以文化人, 为基层减负."""
LEAD_WORDS = (
    "全面落实", "深入贯彻", "认真落实", "贯彻落实", "深入实施", "大力弘扬", "牢固树立", "持续推进", "解决好",
    "争创", "创建", "落实", "增强", "坚定", "做到", "推进", "实施", "深化", "弘扬", "践行", "坚持", "贯彻",
    "推动", "加强", "开展", "提高", "提升", "打造", "实现", "树立", "服务", "围绕", "下足", "聚焦", "按照",
    "强化", "巩固", "完善", "发挥", "紧扣", "建设", "迎接", "开好", "形成", "保持", "发扬",
)  # fmt: skip
"""Verbs that govern a formula (争创 全国文明典范城市): a phrase led by one is proposed without it too."""
QUALIFIER_LEADS = ("树立", "弘扬", "发扬", "秉持", "秉承", "坚持", "践行", "保持", "下定", "拿出", "增强", "以")
QUALIFIER_NOUNS = ("精神", "理念", "意识", "思想", "原则", "决心", "劲头", "干劲", "作风", "态度", "紧迫感")
# The Han run (with 、, which joins items) right before 的 + a noun that names a spirit or idea.
_QUALIFIED = re.compile(rf"([{HAN}、]{{2,30}})的(?:{'|'.join(QUALIFIER_NOUNS)})")
_QUALIFIER_LEAD = re.compile("|".join(QUALIFIER_LEADS))
CLAUSE_VERBS = (*LEAD_WORDS, "开展", "争取", "抓好", "做好", "打好", "打赢", "树牢", "筑牢", "加快")
# Modal and adverb, then the verb, in front of a clause's object (要深入实施…, 大力弘扬…).
_CLAUSE_LEAD = re.compile(
    "(?:要|并|还|必须|务必|继续|坚决)?(?:深入|大力|认真|全面|切实|积极|扎实|自觉|持续|不断|进一步)?"
    f"(?P<verb>{'|'.join(sorted(CLAUSE_VERBS, key=len, reverse=True))})?"
)
_LEAD = re.compile("|".join(sorted(LEAD_WORDS, key=len, reverse=True)))


def headed_clauses(text: str) -> Iterator[str]:
    """Headed phrases that fill a clause after the verb that governs them: 深入开展党史学习教育,
    深入实施城市更新行动、乡村建设行动、老旧小区改造提升工程 (the verb governs the whole list).

    A headed clause with no governing verb is most often an action (振奋精神, 建立健全…机制).
    """
    governed_end = -1  # where the last clause governed by a verb (or in its list) ended
    for match in STRETCH.finditer(text):
        clause = match.group()
        if not clause.endswith(NAME_HEADS):
            continue
        lead = _CLAUSE_LEAD.match(clause)
        rest = clause[lead.end() :] if lead else clause
        in_list = match.start() == governed_end + 1 and text[governed_end] == SEPARATOR
        if not (lead and lead.group("verb")) and not in_list:
            continue
        if not MEETING_SPIRIT.search(rest) and _name_like(rest):
            governed_end = match.end()
            yield rest


def _name_like(phrase: str) -> bool:
    return 4 <= len(phrase) <= 12 and phrase[0] not in STOP_CHARS and "的" not in phrase


def qualified(text: str) -> Iterator[str]:
    """Phrases a governing verb names as a spirit, idea or resolve: 树立每日都是争创日的理念,
    以时不我待、只争朝夕的精神, 下定志在必得的决心 — the words between the verb and 的.

    ``text`` is normalized (simplified script, every comma-like mark folded to 、).
    """
    for match in _QUALIFIED.finditer(text):
        run = match.group(1)
        # the nearest verb that leaves a whole phrase: 发扬持之以恒、久久为功 is not 以 恒、久久为功
        for lead in reversed(list(_QUALIFIER_LEAD.finditer(run))):
            phrase = run[lead.end() :]
            if _named(phrase):
                yield phrase
                break


def _named(phrase: str) -> bool:
    return (
        (3 <= len(phrase) <= 16 or bool(NUMBERED.match(phrase)))
        and min(len(item) for item in phrase.split(SEPARATOR)) >= 2
        and phrase[0] not in "的地得了着过们之其"
        and "的" not in phrase
        and not _LEAD.match(phrase)  # 贯彻落实的精神: the verb is the phrase
    )


def parallel(text: str) -> Iterator[str]:
    """The longest runs of items that share characters at the same places, or are all idioms of four.

    ``text`` keeps its own punctuation (see :func:`strip_noise`): only 、 joins items.
    """
    for match in _ENUMERATION.finditer(text):
        items = match.group().split(SEPARATOR)
        i = 0
        while i < len(items):
            for j in range(min(len(items), i + 6), i + 1, -1):
                run = _aligned(items[i:j]) or _idioms(items[i:j], whole=(i == 0 or len(items[i - 1]) != 4))
                if run:
                    yield SEPARATOR.join(run)
                    i = j - 1
                    break
            i += 1


def _idioms(items: list[str], whole: bool) -> list[str] | None:
    """Three or more four-character phrases in a row (团结一心、奋力拼搏、迎难而上), or
    three-character ones (讲文明、识礼仪、知荣辱、树新风; 时间表、责任人、路线图), the first
    trimmed of words before it and the last of a 的 phrase after it; a pair is too often
    just two titles (党委常委、市委书记), and three-character items are too often names
    (岑可成、覃孟征、秦敬德), which jieba tags."""
    for length in (4, 3):
        run = [items[0][-length:], *items[1:-1], _before_de(items[-1])]
        if any(len(item) != length for item in run) or len(set(run)) < len(run) or _cut_badly(items[0], run[0]):
            continue
        if len(run) >= 3 and (length == 4 or not any(_is_name(item) for item in run)):
            return run
    return None


@cache
def _is_name(word: str) -> bool:
    """Whether jieba tags the word as a person's name."""
    return any(flag.startswith("nr") for _, flag in tagger().lcut(word))


def _aligned(items: list[str]) -> list[str] | None:
    """The items as a parallel run, or None.

    The first item may carry words before the run and the last words after it
    (以等不起、慢不得、坐不住的紧迫感): both are trimmed to the inner items' length.
    """
    if not 2 <= len(items) <= 6:
        return None
    # A pair has no inner item to tell the length: the last item gives it, up to a 的 that
    # qualifies the pair (共建共管、共建共享的过程).
    last = items[-1] if len(items) > 2 else _before_de(items[-1])
    length = len(items[1]) if len(items) > 2 else len(last)
    if not 2 <= length <= 7:
        return None
    run = [items[0][-length:], *items[1:-1], last[:length]]
    if any(len(item) != length for item in run) or _cut_badly(items[0], run[0]):
        return None
    shared = sum(1 for k in range(length) if len({item[k] for item in run}) == 1)
    return run if shared >= (1 if len(run) >= 3 else 2) and len(set(run)) == len(run) else None


def _before_de(item: str) -> str:
    """The last item of a run without the 的 phrase it qualifies (诚实守信的精神 → 诚实守信)."""
    cut = item.find("的", 2)
    return item[:cut] if cut > 0 else item


def _cut_badly(item: str, trimmed: str) -> bool:
    """A first item trimmed to start on a function word (的精气神, 退的意识) is not an item."""
    return trimmed != item and (trimmed[0] in "的地得了着过们之其" or "的" in trimmed[1:-1] or "地" in trimmed[1:-1])


def echoes(phrase: str) -> bool:
    """Whether the phrase repeats a character at the head of each of its two or three equal parts (复工复产,
    做强做优做大, 交往交流交融) or at their tail (稳就业保就业): the rhythm of a slogan, which prose rarely has."""
    if len(phrase) not in (4, 6, 9) or SEPARATOR in phrase:  # two or three parts of two or three characters
        return False
    for size in (2, 3):
        parts = [phrase[i : i + size] for i in range(0, len(phrase), size)]
        even = len(parts) in (2, 3) and all(len(p) == size for p in parts) and len(set(parts)) == len(parts)
        if even and (len({p[0] for p in parts}) == 1 or len({p[-1] for p in parts}) == 1):
            return True
    return False


def bounded(phrase: str) -> bool:
    """Whether the phrase can start and end where it does: not on a function word (的, 了, 在, 对 …).

    A character that is a function word alone may begin or end a word (对外开放, 从严治党, 就业优先,
    和平发展, 美好生活需要: jieba's dictionary has 对外, 从严 …, 需要, tagged as no function word), and
    a formula may open on a frame (:data:`FRAMES`).
    """
    opens = phrase[0] not in STOP_CHARS or _word(phrase[:k] for k in (4, 3, 2) if k <= len(phrase))
    closes = phrase[-1] not in STOP_END or _word(phrase[-k:] for k in (4, 3, 2) if k <= len(phrase))
    return (opens or FRAMES.fullmatch(phrase) is not None) and closes


def _word(pieces: Iterable[str]) -> bool:
    """Whether the first of ``pieces`` that is a dictionary word is no function word."""
    words, tags = tagger().tokenizer.FREQ, tagger().word_tag_tab
    found = next((piece for piece in pieces if words.get(piece, 0) > 0), None)
    return found is not None and tags.get(found, "x") not in FUNCTION_TAGS


def without_lead(phrase: str) -> str:
    """The phrase without a governing verb in front; a parallel run keeps it (增强…、坚定…、做到…:
    the verb is part of the first item, and the items are parallel)."""
    if SEPARATOR in phrase:
        return phrase
    lead = _LEAD.match(phrase)
    return phrase[lead.end() :] if lead and len(phrase) - lead.end() >= MIN_N else phrase
