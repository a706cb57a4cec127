"""Mining: phrases that look like formulas and are not in the lexicons yet.

Two families of evidence, because each fails where the other works:

* **statistics over the corpus** — character n-grams (2 to ``MAX_N``
  characters, never across punctuation) counted level by level, an n-gram
  counted only where its prefix and suffix were frequent at the level below
  (so memory holds frequent strings, not every string); cohesion (the weakest
  pointwise mutual information over the n-gram's split points) and left/right
  branching entropy (how freely it combines with its neighbours), which a fixed
  phrase has and a fragment of one lacks;
* **formula shapes**, which mark formulas a small corpus mentions only once or
  twice: phrases in quotation marks (“两会一节”), numbered formulas (四个意识,
  十大提升行动, 四连冠), parallel enumerations whose items share a character at
  the same place (早谋划、早安排、早启动; 获得感、幸福感、安全感) or runs of three or more
  three- or four-character items (讲文明、识礼仪、知荣辱、树新风), phrases a governing
  verb names as a spirit, idea or resolve (树立每日都是争创日的理念, 以时不我待、只争朝夕的精神:
  ``qualified``), and typical heads (…精神, …理念, …战略, …行动, …工程, …价值观 — not a
  meeting's or a speech's 精神), which also name a formula when the headed phrase fills a
  clause after the verb governing it (深入实施城市更新行动、乡村建设行动: ``clause``);
  honours the state confers (全国文明城市, 国家卫生城市: ``title``) are names too.

How candidates are ranked (``score``, higher first)::

    score = 8·quoted + 8·parallel + 8·qualified + 3·numbered + 4·head + 4·clause + 4·title
          + min(log2(1 + freq), 5) + min(log2(1 + docs), 4)
          + clip(cohesion, 0, 4) / 2 + min(left entropy, right entropy, 2)
          − 3 where a parallel run's items are six characters or longer (parallel
            sentences, 排比: 城市越来越繁荣、环境越来越宜居)
          − 3 where jieba puts a word boundary inside either end of the phrase (split-word)
          − 5 where jieba knows the phrase as an everyday word (common-word: 进一步, 自治区)
          − 3 where the phrase starts with a verb that governs it (verb-led: 争创…, 深化…)

Shapes weigh most: they are what makes a phrase formula-like, and all a small
corpus has; among phrases of the same shape, counts, cohesion and entropy
decide. A candidate that is part of a longer candidate with nearly the same
count (``FOLD`` of it or more) is folded into the longer one — unless it has a
shape of its own, or the longer one is only itself behind a leading verb
(争创全国文明典范城市 proposes 全国文明典范城市 too; a parallel run keeps its
verb, which belongs to its first item: 增强…、坚定…、做到…). Phrases already in the
lexicons (any form, or part of one), already decided by a curator, made of
function words, or page boilerplate never appear; text in boilerplate lines
and repeated passages is not evidence.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import IO, Any

import ahocorasick

from ..ingest.documents import Document
from ..lexicon import Lexicon
from ..text.furniture import boilerplate_spans, repeat_spans
from ..text.normalize import SEPARATOR, normalize, normalize_phrase, strip_noise

MIN_N = 3
CHARS_PER_COUNT = 2_000_000
MAX_N = 12
FOLD = 0.85
EXAMPLES = 3
CONTEXT = 15

_HAN = "\u4e00-\u9fff"
_NUMERAL = "一二两三四五六七八九十百千"
# Cut points for n-grams: every punctuation mark, digit run or Latin run ends a stretch of text.
_STRETCH = re.compile(rf"[{_HAN}]+")
# Up to 48 characters between the marks: pinyin glosses (進(jìn)) inflate a short phrase.
_QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n。！？；：，,;:!?]{2,48})[”」』\"]")
# A numbered formula: a numeral other than a bare 一 (一是, 一天天), then at most five more characters.
_NUMBERED = re.compile(rf"^(?:[二两三四五六七八九十百千][{_NUMERAL}]{{0,2}}|\d{{1,2}})(?!是)[{_HAN}]{{1,5}}$")
_DIGITS = re.compile(r"^\d+(?:[+＋]\d+)+$")
_ENUMERATION = re.compile(rf"[{_HAN}\u3400-\u4dbf\uf900-\ufaff]+(?:、[{_HAN}\u3400-\u4dbf\uf900-\ufaff]+)+")

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
_TITLE = re.compile(rf"^(?:全域)?(?:全国|国家)[{_HAN}]{{2,8}}(?:城市|示范区|示范县|示范市)$")
# 贯彻…会议精神, 讲话精神: the spirit of a meeting or a speech is not a formula's name.
_MEETING_SPIRIT = re.compile("[会议班话示]精神$")

STOP_CHARS = set("的了是在和与及或而也都就还又被把将对于从向以为之其这那些个们着过吗呢吧啊要等地得并各该此每")
STOP_END = STOP_CHARS | set("上中下时后前里")
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
_QUALIFIED = re.compile(rf"([{_HAN}、]{{2,30}})的(?:{'|'.join(QUALIFIER_NOUNS)})")
_QUALIFIER_LEAD = re.compile("|".join(QUALIFIER_LEADS))
CLAUSE_VERBS = (*LEAD_WORDS, "开展", "争取", "抓好", "做好", "打好", "打赢", "树牢", "筑牢", "加快")
# Modal and adverb, then the verb, in front of a clause's object (要深入实施…, 大力弘扬…).
_CLAUSE_LEAD = re.compile(
    "(?:要|并|还|必须|务必|继续|坚决)?(?:深入|大力|认真|全面|切实|积极|扎实|自觉|持续|不断|进一步)?"
    f"(?P<verb>{'|'.join(sorted(CLAUSE_VERBS, key=len, reverse=True))})?"
)
COMMON_WORD = 1000
"""A phrase jieba's dictionary counts this often is everyday vocabulary, not a formula."""
"""Characters a formula neither starts nor ends with (function words)."""

STOP_PHRASES = {
    "免费阅读", "下载文档", "版权所有", "阅读已结束", "点击下载", "离线阅读", "资源描述", "本文内容",
    "当前位置", "发布时间", "文档来源", "责任编辑", "同志们", "习近平总书记", "总书记",
}  # fmt: skip
"""Page boilerplate and high-frequency names that are never formulas."""


@dataclass(frozen=True)
class Example:
    """One place a candidate occurs: the document and the original text around it."""

    doc_id: str
    left: str
    matched: str
    right: str


@dataclass(frozen=True)
class Candidate:
    """A phrase that looks like a formula, with the evidence for it."""

    id: str
    phrase: str
    score: float
    freq: int
    docs: int
    signals: tuple[str, ...]
    forms: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    cohesion: float = 0.0
    entropy: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """A flat record for JSONL, CSV and the pending queue."""
        return {
            "id": self.id,
            "phrase": self.phrase,
            "score": round(self.score, 3),
            "freq": self.freq,
            "docs": self.docs,
            "signals": list(self.signals),
            "forms": list(self.forms),
            "cohesion": round(self.cohesion, 3),
            "entropy": round(self.entropy, 3),
            "examples": [e.__dict__ for e in self.examples],
        }


def candidate_id(phrase: str) -> str:
    """The same phrase gets the same id in every run: a hash of its normalized form."""
    return "c-" + hashlib.sha1(normalize_phrase(phrase).encode()).hexdigest()[:10]  # noqa: S324 - an id, not security


@dataclass
class _Evidence:
    """What the first pass gathers from the body of every document."""

    stretches: list[str] = field(default_factory=list)
    grams: dict[int, Counter[str]] = field(default_factory=dict)
    shapes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    characters: int = 0


def mine(
    documents: Callable[[], Iterable[Document]],
    lexicon: Lexicon | None = None,
    *,
    decided: Iterable[str] = (),
    top: int = 100,
    min_freq: int | None = None,
) -> list[Candidate]:
    """The ``top`` formula-like phrases in the documents, best first.

    ``documents`` is called twice (counting, then evidence), so the corpus is
    streamed rather than held; ``decided`` are phrases a curator has accepted
    or rejected already. ``min_freq`` (default: 2, or one per ``CHARS_PER_COUNT``
    characters of text on larger corpora) is the fewest occurrences of a
    statistical candidate: it bounds the memory the counts take.
    """
    evidence = _first_pass(documents())
    known = _known_forms(lexicon, decided)
    threshold = min_freq or max(2, evidence.characters // CHARS_PER_COUNT)
    counts = _count_ngrams(evidence.stretches, threshold)
    proposals = _proposals(evidence, counts, known)
    if not proposals:
        return []
    automaton = _automaton(proposals)
    found = _second_pass(documents(), automaton)
    kept = _unfolded(proposals, found.freq, automaton)
    ranked = [_candidate(phrase, proposals[phrase], found, counts, evidence.characters) for phrase in kept]
    ranked.sort(key=lambda c: (-c.score, c.phrase))
    # jieba's judgement only lowers scores, and costs: it is asked about the front-runners alone.
    ranked = [_with_word_boundaries(c, found) for c in ranked[: top * JIEBA_DEPTH]]
    ranked.sort(key=lambda c: (-c.score, c.phrase))
    return ranked[:top]


def body_text(document: Document) -> str:
    """The document without its boilerplate lines, which are not evidence."""
    text = document.text
    spans = boilerplate_spans(text)
    if not spans:
        return text
    pieces, start = [], 0
    for s, e in spans:
        pieces.append(text[start:s])
        start = e
    pieces.append(text[start:])
    return "\n".join(pieces)


def _first_pass(documents: Iterable[Document]) -> _Evidence:
    evidence = _Evidence()
    for document in documents:
        body = body_text(document)
        normalized = normalize(body).text
        for s, e in reversed(repeat_spans(normalized)):
            normalized = normalized[:s] + "。" + normalized[e:]
        evidence.characters += len(normalized)
        evidence.stretches.extend(s for s in _STRETCH.findall(normalized) if len(s) >= 2)
        for quoted in _QUOTED.findall(body):
            phrase = normalize_phrase(quoted)
            if 3 <= len(phrase) <= 16 or (len(phrase) == 2 and _NUMBERED.match(phrase)):
                evidence.shapes[phrase].add("quoted")
        plain = strip_noise(body)
        for phrase in _parallel(plain):
            evidence.shapes[normalize_phrase(phrase)].add("parallel")
        for phrase in _qualified(normalized):
            evidence.shapes[phrase].add("qualified")
        for phrase in _headed_clauses(normalized):
            evidence.shapes[phrase].add("clause")
    return evidence


def _headed_clauses(text: str) -> Iterator[str]:
    """Headed phrases that fill a clause after the verb that governs them: 深入开展党史学习教育,
    深入实施城市更新行动、乡村建设行动、老旧小区改造提升工程 (the verb governs the whole list).

    A headed clause with no governing verb is most often an action (振奋精神, 建立健全…机制).
    """
    governed_end = -1  # where the last clause governed by a verb (or in its list) ended
    for match in _STRETCH.finditer(text):
        clause = match.group()
        if not clause.endswith(NAME_HEADS):
            continue
        lead = _CLAUSE_LEAD.match(clause)
        rest = clause[lead.end() :] if lead else clause
        in_list = match.start() == governed_end + 1 and text[governed_end] == SEPARATOR
        if not (lead and lead.group("verb")) and not in_list:
            continue
        if not _MEETING_SPIRIT.search(rest) and _name_like(rest):
            governed_end = match.end()
            yield rest


def _name_like(phrase: str) -> bool:
    return 4 <= len(phrase) <= 12 and phrase[0] not in STOP_CHARS and "的" not in phrase


def _qualified(text: str) -> Iterator[str]:
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
        (3 <= len(phrase) <= 16 or bool(_NUMBERED.match(phrase)))
        and min(len(item) for item in phrase.split(SEPARATOR)) >= 2
        and phrase[0] not in "的地得了着过们之其"
        and "的" not in phrase
        and not _LEAD.match(phrase)  # 贯彻落实的精神: the verb is the phrase
    )


def _parallel(text: str) -> Iterator[str]:
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
    return any(flag.startswith("nr") for _, flag in _posseg().lcut(word))


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


def _count_ngrams(stretches: list[str], min_freq: int) -> dict[int, Counter[str]]:
    """Counts of every n-gram up to MAX_N whose prefix and suffix are frequent (Apriori)."""
    counts: dict[int, Counter[str]] = {1: Counter()}
    for stretch in stretches:
        counts[1].update(stretch)
    frequent = {g for g, c in counts[1].items() if c >= min_freq}
    alive = stretches
    for n in range(2, MAX_N + 1):
        level: Counter[str] = Counter()
        still = []
        for stretch in alive:
            grams = [
                g
                for i in range(len(stretch) - n + 1)
                if (g := stretch[i : i + n])[:-1] in frequent and g[1:] in frequent
            ]
            if grams:
                level.update(grams)
                still.append(stretch)
        counts[n] = Counter({g: c for g, c in level.items() if c >= min_freq})
        frequent = set(counts[n])
        alive = still  # a stretch with no candidate n-gram has no longer one either
        if not frequent:
            break
    return counts


def _proposals(evidence: _Evidence, counts: dict[int, Counter[str]], known: set[str]) -> dict[str, set[str]]:
    """Every phrase worth a second look, with the shape signals it already has."""
    proposals: dict[str, set[str]] = defaultdict(set)
    for gram in _statistical(counts):
        for phrase in {gram, _without_lead(gram)}:
            if _plausible(phrase, known):
                proposals[phrase]
    for phrase, signals in evidence.shapes.items():
        if _plausible(phrase, known, shaped=True):
            proposals[phrase] |= signals
    for phrase in list(proposals):
        rest = _without_lead(phrase)
        if rest != phrase:
            proposals[phrase].add("verb-led")
            if _plausible(rest, known, shaped=True):
                proposals[rest] |= proposals[phrase] - {"verb-led"}
    for phrase, signals in proposals.items():
        if _NUMBERED.match(phrase) or _DIGITS.match(phrase):
            signals.add("numbered")
        if phrase.endswith(HEADS) and len(phrase) > 2 and not _MEETING_SPIRIT.search(phrase):
            signals.add("head")
        if _TITLE.match(phrase):
            signals.add("title")
    return proposals


def _statistical(counts: dict[int, Counter[str]]) -> Iterator[str]:
    """Counted n-grams of MIN_N or more, less those folded into a one-longer n-gram."""
    folded: set[str] = set()
    for n in range(MIN_N + 1, MAX_N + 1):
        for gram, count in counts.get(n, Counter()).items():
            for part in (gram[:-1], gram[1:]):
                if _without_lead(gram) != part and count >= FOLD * counts[n - 1][part]:
                    folded.add(part)
    for n in range(MIN_N, MAX_N + 1):
        yield from (gram for gram in counts.get(n, Counter()) if gram not in folded)


_LEAD = re.compile("|".join(sorted(LEAD_WORDS, key=len, reverse=True)))


def _without_lead(phrase: str) -> str:
    """The phrase without a governing verb in front; a parallel run keeps it (增强…、坚定…、做到…:
    the verb is part of the first item, and the items are parallel)."""
    if SEPARATOR in phrase:
        return phrase
    lead = _LEAD.match(phrase)
    return phrase[lead.end() :] if lead and len(phrase) - lead.end() >= MIN_N else phrase


def _automaton(proposals: dict[str, set[str]]) -> ahocorasick.Automaton:
    """One automaton over the proposals: it finds them in the corpus, and inside each other."""
    automaton = ahocorasick.Automaton()
    for phrase in proposals:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return automaton


def _unfolded(proposals: dict[str, set[str]], freq: Counter[str], automaton: ahocorasick.Automaton) -> list[str]:
    """Proposals found at all, less those that are part of a longer one seen nearly as often."""
    folded = set()
    for longer, signals in proposals.items():
        if "verb-led" in signals:
            continue
        for _, part in automaton.iter(longer):
            shaped = proposals[part] & {"quoted", "parallel", "qualified", "clause"}
            if part != longer and not shaped and freq[longer] >= FOLD * freq[part]:
                folded.add(part)
    return [p for p in proposals if freq[p] > 0 and p not in folded]


def _plausible(phrase: str, known: set[str], shaped: bool = False) -> bool:
    if phrase in STOP_PHRASES or any(phrase in k for k in known):
        return False
    if not shaped and (phrase[0] in STOP_CHARS or phrase[-1] in STOP_END):
        return False
    return len(phrase) >= (2 if shaped else MIN_N)


def _known_forms(lexicon: Lexicon | None, decided: Iterable[str]) -> set[str]:
    forms = {normalize_phrase(p) for p in decided}
    for entry in lexicon or ():
        forms.update(normalize_phrase(surface) for surface, _ in entry.surfaces())
    return forms


@dataclass
class _Found:
    freq: Counter[str] = field(default_factory=Counter)
    docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    left: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    right: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[Example]] = field(default_factory=lambda: defaultdict(list))


def _second_pass(documents: Iterable[Document], automaton: ahocorasick.Automaton) -> _Found:
    """Where each proposal occurs: counts, documents, neighbours, surface forms, examples."""
    found = _Found()
    for document in documents:
        body = body_text(document)
        normalized = normalize(body)
        text = normalized.text
        for last, phrase in automaton.iter(text):
            start = last + 1 - len(phrase)
            found.freq[phrase] += 1
            found.docs[phrase].add(document.id)
            found.left[phrase][text[start - 1] if start else "^"] += 1
            found.right[phrase][text[last + 1] if last + 1 < len(text) else "$"] += 1
            s, e = normalized.span(start, last + 1)
            found.forms[phrase][body[s:e]] += 1
            if len(found.examples[phrase]) < EXAMPLES and document.id not in {x.doc_id for x in found.examples[phrase]}:
                left, right = body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT]
                found.examples[phrase].append(Example(document.id, _flat(left), body[s:e], _flat(right)))
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _candidate(phrase: str, signals: set[str], found: _Found, counts: dict[int, Counter[str]], total: int) -> Candidate:
    freq = found.freq[phrase]
    docs = len(found.docs[phrase])
    cohesion = _cohesion(phrase.replace(SEPARATOR, ""), counts, total)
    entropy = min(_entropy(found.left[phrase]), _entropy(found.right[phrase]))
    labels = set(signals)
    score = (
        8.0 * ("quoted" in labels)
        + _parallel_weight(phrase) * ("parallel" in labels)
        + 8.0 * ("qualified" in labels)
        + 4.0 * ("clause" in labels)
        + 4.0 * ("title" in labels)
        + 3.0 * ("numbered" in labels)
        + 4.0 * ("head" in labels)
        + min(math.log2(1 + freq), 5.0)
        + min(math.log2(1 + docs), 4.0)
        + min(max(cohesion, 0.0), 4.0) / 2
        + min(entropy, 2.0)
        - PENALTIES["verb-led"] * ("verb-led" in labels)
    )
    forms = tuple(form for form, _ in found.forms[phrase].most_common(5))
    return Candidate(
        candidate_id(phrase), phrase, score, freq, docs, tuple(sorted(labels)), forms,
        tuple(found.examples[phrase]), cohesion, entropy,
    )  # fmt: skip


LONG_ITEM = 6
"""Items this long make a run of parallel sentences (排比), not a formula: it weighs less."""


def _parallel_weight(phrase: str) -> float:
    return 8.0 if max(len(item) for item in phrase.split(SEPARATOR)) < LONG_ITEM else 5.0


PENALTIES = {"split-word": 3.0, "common-word": 5.0, "verb-led": 3.0}
JIEBA_DEPTH = 3


def _with_word_boundaries(candidate: Candidate, found: _Found) -> Candidate:
    """The candidate marked (and marked down) where jieba sees a fragment or an everyday word."""
    labels = set(candidate.signals)
    if not _jieba_aligned(candidate.phrase, found.examples[candidate.phrase]):
        labels.add("split-word")
    if _jieba().FREQ.get(candidate.phrase, 0) >= COMMON_WORD:
        labels.add("common-word")
    penalty = sum(PENALTIES[label] for label in labels - set(candidate.signals))
    return replace(candidate, signals=tuple(sorted(labels)), score=candidate.score - penalty)


def _cohesion(phrase: str, counts: dict[int, Counter[str]], total: int) -> float:
    """The weakest PMI over the phrase's split points (log2); 0 where a part was not counted."""
    whole = counts.get(len(phrase), Counter()).get(phrase, 0)
    if not whole or len(phrase) < 2 or not total:
        return 0.0
    scores = []
    for k in range(1, len(phrase)):
        left = counts.get(k, Counter()).get(phrase[:k], 0)
        right = counts.get(len(phrase) - k, Counter()).get(phrase[k:], 0)
        if not left or not right:
            return 0.0
        scores.append(math.log2(whole * total / (left * right)))
    return min(scores)


def _entropy(neighbours: Counter[str]) -> float:
    total = sum(neighbours.values())
    return -sum(c / total * math.log2(c / total) for c in neighbours.values()) if total else 0.0


def _jieba_aligned(phrase: str, examples: list[Example]) -> bool:
    """Whether jieba's word boundaries fall at the phrase's ends in most examples.

    A candidate that starts or ends inside a word (…市委书记 cut to 市委书) is a fragment.
    """
    if not examples:
        return True
    aligned = 0
    for example in examples:
        sentence = normalize_phrase(example.left + example.matched + example.right)
        start = len(normalize_phrase(example.left))
        end = start + len(normalize_phrase(example.matched))
        cuts = {0}
        position = 0
        for word in _jieba().cut(sentence):
            position += len(word)
            cuts.add(position)
        aligned += start in cuts and end in cuts
    return aligned * 2 >= len(examples)


@cache
def _posseg() -> Any:
    """jieba's part-of-speech tagger (it loads the tag table on first use)."""
    _jieba()
    return importlib.import_module("jieba.posseg").dt


@cache
def _jieba() -> Any:
    """jieba's default tokenizer, loaded once and quietly (it logs to stderr by default)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.initialize()
    return jieba.dt


def write_candidates(candidates: list[Candidate], fmt: str, stream: IO[bytes]) -> None:
    """Candidates as JSON lines, YAML or CSV (one row each, the first example with the phrase in [])."""
    records = [c.as_dict() for c in candidates]
    if fmt == "jsonl":
        stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    elif fmt == "yaml":
        import yaml

        stream.write(yaml.safe_dump(records, allow_unicode=True, sort_keys=False).encode())
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["id", "phrase", "score", "freq", "docs", "signals", "forms", "example"])
        for c in candidates:
            example = c.examples[0] if c.examples else None
            shown = f"{example.left}[{example.matched}]{example.right}" if example else ""
            writer.writerow(
                [c.id, c.phrase, f"{c.score:.2f}", c.freq, c.docs, ";".join(c.signals), ";".join(c.forms), shown]
            )
        stream.write(text.getvalue().encode())
    else:
        msg = f"unknown candidate format '{fmt}' (expected jsonl, yaml or csv)"
        raise ValueError(msg)
