"""Reading lexicon files: YAML with line numbers, every field validated, the files merged into one set.

A lexicon set is every ``*.yaml``/``*.yml`` file under the given paths. Each file
names itself and lists entries; ``defaults`` fill fields an entry leaves out.
Validation collects every problem with its file and line before refusing the
set, so a curator fixes a whole file in one pass instead of one error per run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem
from ..files import files_in
from ..text.normalize import HAN, normalize_phrase
from . import cache
from .model import LEVELS, WITHIN, Entry, Lexicon, LexiconFile, Require

FILE_KEYS = ("name", "description", "defaults", "entries")
LIST_FIELDS = ("variants", "members", "exclude")
TEXT_FIELDS = ("id", "phrase", "category", "level", "region", "first_seen", "source", "note")
SENSE_FIELDS = ("require", "ambiguous")
FLAG_FIELDS = ("ambiguous", "allow_short")
ENTRY_KEYS = TEXT_FIELDS + LIST_FIELDS + SENSE_FIELDS + ("allow_short",)
SUBSTANTIAL = re.compile(f"[{HAN}].*[{HAN}]|[A-Za-z0-9]{{2}}")
"""What every form must have, unless the entry says ``allow_short``: ``的``, ``，`` or ``。。。`` would match
everywhere (a million hits from a 43 MB corpus) and bury the formulas."""
REQUIRED = ("id", "phrase", "category")
SIDES = ("before", "after", "near")

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def validate(paths: str | Path | Iterable[str | Path] | None = None) -> tuple[Lexicon, list[Problem]]:
    """The lexicon set as loaded, and every problem in it (the set is usable only if there are none)."""
    files = lexicon_files(paths)
    if not files:
        where = ", ".join(str(p) for p in _as_list(paths))
        return Lexicon(()), [Problem(where, None, "no lexicon files (*.yaml, *.yml) found")]
    cache_key = cache.key(files)
    cached = cache.load("lexicon", cache_key) if cache_key else None
    if isinstance(cached, Lexicon):
        return cached, []
    lexicon, problems = _load(files)
    if cache_key and not problems:  # only a valid set is kept: an invalid one must say why, every time
        lexicon = replace(lexicon, cache_key=cache_key)
        cache.store("lexicon", cache_key, lexicon)
    return lexicon, problems


WORKING_SET = "PHRASEFINDER_LEXICONS"
"""The environment variable naming the curator's working set, used wherever no ``-l`` is given."""


def default_path() -> Path:
    """The working set ``$PHRASEFINDER_LEXICONS`` names, else the bundled lexicons (:func:`bundled_path`)."""
    named = os.environ.get(WORKING_SET)
    return Path(named) if named else bundled_path()


def bundled_path() -> Path:
    """The lexicons shipped with phrasefinder: inside the installed package, or the checkout's ``lexicons/``."""
    package = Path(__file__).parent.parent
    packaged = package / "lexicons"
    return packaged if packaged.is_dir() else package.parent / "lexicons"


def installed_package() -> Path:
    """The installed package's folder: nothing phrasefinder writes goes in it (it is lost on upgrade)."""
    return Path(__file__).parent.parent.resolve()


def init(folder: Path, *, empty: bool = False) -> int:
    """A writable lexicon set in ``folder``: a copy of the bundled set with its review queue, or an empty one.

    Refuses a folder that exists and is not empty: nothing of a curator's is overwritten. Returns the
    number of lexicon files written.
    """
    import shutil

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        msg = f"{folder}: exists and is not an empty folder; lexicon init writes only into a new or empty one"
        raise InputError(msg)
    if empty:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lexicon.yaml").write_text(f"name: {folder.name or 'lexicon'}\nentries: []\n", encoding="utf-8")
        return 1
    shutil.copytree(bundled_path(), folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return len(lexicon_files(folder))


def lexicon_files(paths: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The YAML files a lexicon argument names, folders searched recursively."""
    return files_in(_as_list(paths), lambda p: p.suffix in (".yaml", ".yml"), "lexicon file")


def _as_list(paths: str | Path | Iterable[str | Path] | None) -> list[str | Path]:
    if paths is None:
        return [default_path()]
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def parse_records(text: str, where: str) -> tuple[Lexicon, list[Problem]]:
    """A lexicon from the YAML text of one inline file, and its problems (for :meth:`Lexicon.from_records`)."""
    problems: list[Problem] = []
    parsed = _parse(text, where, problems)
    lexicon, cross = _merge([parsed] if parsed else [])
    return lexicon, problems + cross


def _load(files: list[Path]) -> tuple[Lexicon, list[Problem]]:
    problems: list[Problem] = []
    parsed = []
    for path in files:
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except OSError as exc:
            problems.append(Problem(str(path), None, f"cannot read: {exc.strerror}"))
            continue
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(Problem(str(path), line, "not UTF-8: lexicon files are UTF-8 text"))
            continue
        loaded = _parse(text, str(path), problems)
        if loaded is not None:
            parsed.append(loaded)
    lexicon, cross = _merge(parsed)
    return lexicon, problems + cross


def _merge(parsed: list[tuple[LexiconFile, list[Entry]]]) -> tuple[Lexicon, list[Problem]]:
    infos = [info for info, _ in parsed]
    entries = [entry for _, file_entries in parsed for entry in file_entries]
    return Lexicon(tuple(entries), tuple(infos)), list(_cross_file_problems(entries, infos))


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers the line of each of its keys, and keys given twice."""

    line: int
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class _Sequence(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list[int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when present: 10 times faster) plus line numbers.

    The same safe types as ``yaml.safe_load``, nothing executable.
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    key_lines: dict[Any, int] = {}
    duplicates = []
    for key_node, _ in node.value:  # before construct_mapping merges '<<' keys in
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key, line = loader.construct_object(key_node), key_node.start_mark.line + 1
        if key in key_lines:
            duplicates.append((key, line))
        key_lines.setdefault(key, line)
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line, mapping.key_lines, mapping.duplicates = node.start_mark.line + 1, key_lines, duplicates
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_sequence(node, deep=True))
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _Expansion(ValueError):
    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(f"aliases expand to more than {EXPANSION} times the file's own nodes; write the values out")


EXPANSION = 4
"""How many times its own nodes a file's aliases may expand it to: a 1.3 KB "billion laughs" expands to 10^9."""


def _safe_load(text: str) -> Any:
    """The document, once its aliases are known to expand it by at most ``EXPANSION`` times."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node) -> None:
    """Count the nodes as construction would visit them (aliases expanded), stopping at the bound."""
    distinct: set[int] = set()
    stack = [root]
    visits = 0
    while stack:
        node = stack.pop()
        visits += 1
        distinct.add(id(node))
        if visits > EXPANSION * len(distinct) + 1000:
            raise _Expansion(node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


def _parse(text: str, name: str, problems: list[Problem]) -> tuple[LexiconFile, list[Entry]] | None:
    def problem(line: int | None, message: str) -> None:
        problems.append(Problem(name, line, message))

    try:
        data = _safe_load(text)
    except _Expansion as exc:
        problem(exc.line, str(exc))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem(mark.line + 1 if mark else None, f"YAML syntax error: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problem(None, f"YAML error: {exc}")
        return None
    if not isinstance(data, _Mapping):
        problem(1, "a lexicon file must be a mapping with 'name' and 'entries'")
        return None
    _duplicate_keys(data, problem)
    for key in data:
        if key not in FILE_KEYS:
            problem(data.key_lines.get(key), f"unknown key '{key}' (expected one of: {', '.join(FILE_KEYS)})")
    lexicon_name = data.get("name")
    if not isinstance(lexicon_name, str) or not lexicon_name:
        problem(data.key_lines.get("name", data.line), "missing field 'name' (a non-empty string)")
        lexicon_name = name
    defaults = _defaults(data, problem)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        what = (
            "missing field 'entries'" if raw_entries is None and "entries" not in data else "'entries' must be a list"
        )
        problem(data.key_lines.get("entries", data.line), f"{what} (use 'entries: []' for none)")
        raw_entries = []
    entries = []
    lines = getattr(raw_entries, "item_lines", [data.line] * len(raw_entries))
    for raw, line in zip(raw_entries, lines, strict=True):
        entry = _entry(raw, line, defaults, lexicon=lexicon_name, path=name, problem=problem)
        if entry is not None:
            entries.append(entry)
    description = data.get("description")
    info = LexiconFile(lexicon_name, name, description if isinstance(description, str) else None, len(entries))
    return info, entries


def _defaults(data: _Mapping, problem: Any) -> dict[str, Any]:
    defaults = data.get("defaults")
    if defaults is None:
        return {}
    if not isinstance(defaults, _Mapping):
        problem(data.key_lines.get("defaults"), "'defaults' must be a mapping of entry fields")
        return {}
    for key in list(defaults):
        if key not in ENTRY_KEYS or key in ("id", "phrase", "require"):
            problem(defaults.key_lines.get(key), f"unknown key '{key}' in defaults")
            del defaults[key]
    return dict(defaults)


def _duplicate_keys(mapping: _Mapping, problem: Any) -> None:
    for key, line in mapping.duplicates:
        problem(line, f"duplicate key '{key}'")


def _entry(raw: Any, line: int, defaults: dict[str, Any], *, lexicon: str, path: str, problem: Any) -> Entry | None:
    if not isinstance(raw, _Mapping):
        problem(line, f"an entry must be a mapping, not {_shown(raw)}")
        return None
    _duplicate_keys(raw, problem)
    label = f"entry '{raw['id']}'" if isinstance(raw.get("id"), str) else "entry"
    values = {**defaults, **raw}
    ok = True
    for key in raw:
        if key not in ENTRY_KEYS:
            problem(raw.key_lines.get(key), f"{label}: unknown key '{key}'")
            ok = False
    for key in REQUIRED:
        if values.get(key) is None or (isinstance(values[key], str) and not values[key].strip()):
            problem(raw.line, f"{label}: missing field '{key}'")
            ok = False
    fields: dict[str, Any] = {}
    for key in ENTRY_KEYS:
        if key not in values or values[key] is None:
            continue
        value, message = _coerce(key, values[key])
        if message:
            problem(raw.key_lines.get(key, raw.line), f"{label}: {message}")
            ok = False
        fields[key] = value
    ok = _rules_hold(fields, raw, label, problem) and ok
    if not ok and not (isinstance(fields.get("id"), str) and isinstance(fields.get("phrase"), str)):
        return None
    # An entry with a bad field still takes part in the checks across entries (duplicate ids, colliding
    # forms), so one run lists every problem; the set has a problem already and will not be used.
    fields["category"] = fields.get("category") or ""
    return Entry(**{k: v for k, v in fields.items() if v is not None}, lexicon=lexicon, path=path, line=raw.line)


def _rules_hold(fields: dict[str, Any], raw: Any, label: str, problem: Any) -> bool:
    """Whether the entry's fields make sense together: forms that can mean something, a rule that can fail."""
    ok = True
    rule = fields.get("require")
    if rule and isinstance(fields.get("phrase"), str):
        forms = [normalize_phrase(f) for f in _forms(fields)]
        inside = [c for c in rule.before + rule.after + rule.near if all(c in form for form in forms)]
        if inside:
            problem(
                raw.key_lines.get("require", raw.line),
                f"{label}: require '{inside[0]}' is part of every form of the entry, so every hit would pass",
            )
            ok = False
    short = [f for f in _forms(fields) if not SUBSTANTIAL.search(normalize_phrase(f))]
    if short and not fields.get("allow_short"):
        problem(
            raw.key_lines.get("phrase", raw.line),
            f"{label}: form {_shown(short[0])} has fewer than two Han characters or Latin letters/digits and would "
            "match almost anywhere; say 'allow_short: true' if it is meant",
        )
        ok = False
    if fields.get("require") and fields.get("ambiguous"):
        problem(
            raw.key_lines.get("ambiguous", raw.line),
            f"{label}: 'ambiguous' with a 'require' rule: the rule settles the sense, drop 'ambiguous'",
        )
        ok = False
    return ok


def _forms(fields: dict[str, Any]) -> list[str]:
    """The phrase, variants and members an entry's fields give (those that are strings)."""
    phrase = fields.get("phrase")
    return [*([phrase] if isinstance(phrase, str) else []), *fields.get("variants", ()), *fields.get("members", ())]


def _shown(value: object, limit: int = 40) -> str:
    """A value as a message may quote it: never longer than ``limit`` characters, however large it is."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _coerce(key: str, value: Any) -> tuple[Any, str | None]:
    """The value as ``Entry`` stores it, or the message saying why it cannot be."""
    if key in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return (), f"'{key}' must be a list of non-empty strings, got {_shown(value)}"
        return tuple(value), None
    if key == "first_seen":
        return _date(value)
    if key == "require":
        return _require(value)
    if key in FLAG_FIELDS:
        return (
            (value, None) if isinstance(value, bool) else (False, f"'{key}' must be true or false, got {_shown(value)}")
        )
    if not isinstance(value, str):
        return None, f"'{key}' must be a string, got {_shown(value)}"
    if not value.strip():
        return None, f"'{key}' must not be blank"
    if key == "id" and not _ID.fullmatch(value):
        return None, f"bad id '{value}': use lower-case letters, digits and hyphens, starting with a letter or digit"
    if key == "level" and value not in LEVELS:
        return None, f"bad level '{value}' (expected one of: {', '.join(LEVELS)})"
    return value, None


def _require(value: Any) -> tuple[Require | None, str | None]:
    usage = f"'require' must be a mapping of {', '.join(SIDES)} (lists of context strings) and within (characters)"
    if not isinstance(value, dict):
        return None, f"{usage}, got {_shown(value)}"
    unknown = [key for key in value if key not in (*SIDES, "within")]
    if unknown:
        return None, f"unknown key '{unknown[0]}' in 'require' (expected one of: {', '.join(SIDES)}, within)"
    sides = {}
    for side in SIDES:
        strings = value.get(side, [])
        if not isinstance(strings, list) or not all(isinstance(s, str) and normalize_phrase(s) for s in strings):
            return None, f"'require.{side}' must be a list of non-empty strings, got {_shown(strings)}"
        sides[side] = tuple(normalize_phrase(s) for s in strings)
    if not any(sides.values()):
        return None, f"'require' names no context string: give {', '.join(SIDES)}"
    within = value.get("within", WITHIN)
    if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 200:
        return None, f"'require.within' must be a number of characters from 1 to 200, got {_shown(within)}"
    too_long = [s for strings in sides.values() for s in strings if len(s) > within]
    if too_long:
        return None, f"'require' string '{too_long[0]}' is longer than within ({within}): it could never stand there"
    return Require(**sides, within=within), None


def _date(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat(), None
    text = str(value)
    if not isinstance(value, (int, str)) or not _DATE.fullmatch(text):
        return None, f"bad date '{value}' in 'first_seen' (use YYYY, YYYY-MM or YYYY-MM-DD)"
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None, f"bad date '{value}' in 'first_seen' (no such date)"
    return text, None


def _cross_file_problems(entries: list[Entry], infos: list[LexiconFile]) -> Iterator[Problem]:
    names: dict[str, LexiconFile] = {}
    for info in infos:
        if info.name in names:
            yield Problem(info.path, None, f"duplicate lexicon name '{info.name}' (also {names[info.name].path})")
        names.setdefault(info.name, info)
    ids: dict[str, Entry] = {}
    forms: dict[str, tuple[Entry, str]] = {}
    for entry in entries:
        here = f"entry '{entry.id}'"
        if entry.id in ids:
            first = ids[entry.id]
            yield Problem(entry.path, entry.line, f"duplicate id '{entry.id}' (first at {first.path}:{first.line})")
        ids.setdefault(entry.id, entry)
        normalized = set()
        for surface, _ in entry.surfaces():
            form = normalize_phrase(surface)
            if not form:
                yield Problem(entry.path, entry.line, f"{here}: '{surface}' is empty after normalization")
                continue
            if form in normalized:
                yield Problem(
                    entry.path,
                    entry.line,
                    f"{here}: '{surface}' repeats another form of this entry after normalization ('{form}'); drop it",
                )
                continue
            normalized.add(form)
            if form in forms:
                other, other_surface = forms[form]
                yield Problem(
                    entry.path,
                    entry.line,
                    f"{here}: '{surface}' collides with '{other_surface}' of entry '{other.id}' "
                    f"({other.path}:{other.line}); both normalize to '{form}'",
                )
                continue
            forms[form] = (entry, surface)
        for excluded in entry.exclude:
            if normalize_phrase(excluded) in normalized:
                yield Problem(
                    entry.path,
                    entry.line,
                    f"{here}: exclude '{excluded}' is a form of the entry itself, so every hit would be dropped",
                )
            elif not any(form in normalize_phrase(excluded) for form in normalized):
                yield Problem(
                    entry.path,
                    entry.line,
                    f"{here}: exclude '{excluded}' contains none of the entry's forms, so it excludes nothing",
                )
