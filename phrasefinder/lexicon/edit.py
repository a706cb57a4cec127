"""Editing a lexicon file in place: an entry appended or removed, everything else kept byte for byte.

A curator's diff should be the entry alone. So the file's own layout — its
indentation, quoting, list style, blank lines and field order — is read from
the file and used for the new entry, and the whole set is validated with the
new file (under a temporary name) before it atomically replaces the old one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import LexiconError, Problem
from ..files import atomic_write
from .load import lexicon_files, validate
from .model import Lexicon

FIELD_ORDER = (
    "id",
    "phrase",
    "variants",
    "members",
    "exclude",
    "category",
    "level",
    "region",
    "first_seen",
    "source",
    "note",
)
"""The order the bundled lexicons write an entry's fields in; fields not listed come after."""


@dataclass(frozen=True)
class _Layout:
    """How a lexicon file is written, so that an appended entry looks like its neighbours.

    The defaults are those of the bundled lexicons (``lexicons/national/core.yaml``).
    """

    dash: int = 0  # column of an entry's "-" in the entries list
    fields: int = 2  # column of an entry's keys
    nested: int = 2  # a block list's "-" under a key, relative to the key
    flow_lists: bool = True  # variants/members/exclude written [a, b]
    blank_lines: bool = True  # a blank line before each entry
    quote: str = "'"  # the quotes of the file's quoted values
    newline: str = "\n"


def _layout(text: str, data: Any) -> _Layout:
    """The layout of a file, read from its entries list (not guessed from any line that looks like a list)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    layout = _Layout(newline="\r\n" if "\r\n" in text else "\n")
    entries = data.get("entries") if isinstance(data, CommentedMap) else None
    if not isinstance(entries, CommentedSeq) or not entries or entries.fa.flow_style():
        return layout
    lines = text.splitlines()
    dashes, fields, blank, flow, block, nested, quotes = [], [], [], 0, 0, [], {"'": 0, '"': 0}
    for i, entry in enumerate(entries):
        line, column = entries.lc.item(i)
        if line < len(lines) and lines[line].lstrip().startswith("-"):
            dashes.append(_indent_of(lines[line]))
            fields.append(column)
            if i > 0 or len(entries) == 1:
                blank.append(line > 0 and not lines[line - 1].strip())
        if not isinstance(entry, CommentedMap):
            continue
        for key, value in entry.items():
            values = list(value) if isinstance(value, CommentedSeq) else [value]
            for item in values:
                if isinstance(item, SingleQuotedScalarString):
                    quotes["'"] += 1
                elif isinstance(item, DoubleQuotedScalarString):
                    quotes['"'] += 1
            if not isinstance(value, CommentedSeq) or not value:
                continue
            if value.fa.flow_style():
                flow += 1
                continue
            block += 1
            value_line = entry.lc.value(key)[0]
            if value_line < len(lines) and lines[value_line].lstrip().startswith("-"):
                nested.append(_indent_of(lines[value_line]) - entry.lc.key(key)[1])
    return replace(
        layout,
        dash=_most_common(dashes, layout.dash),
        fields=_most_common(fields, layout.fields),
        nested=_most_common(nested, layout.nested),
        flow_lists=flow >= block,
        blank_lines=sum(blank) * 2 > len(blank) if blank else layout.blank_lines,
        quote='"' if quotes['"'] > quotes["'"] else "'",
    )


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _most_common(values: list[int], default: int) -> int:
    return max(set(values), key=values.count) if values else default


def _entry_node(record: dict[str, Any], defaults: Any, layout: _Layout) -> Any:
    """The entry as ruamel.yaml should write it: the file's field order, list style and quotes, no default repeated."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(defaults, dict):
        defaults = {}
    order = {key: n for n, key in enumerate(FIELD_ORDER)}
    node = CommentedMap()
    for key in sorted(record, key=lambda k: order.get(k, len(order))):
        value = record[key]
        if key != "id" and key in defaults and not isinstance(value, list) and str(defaults[key]) == str(value):
            continue  # the file's defaults already say so
        if isinstance(value, (list, tuple)):
            items = CommentedSeq(_scalar(v, layout, quote=False) for v in value)
            if layout.flow_lists:
                items.fa.set_flow_style()
            else:
                items.fa.set_block_style()
            node[key] = items
        else:
            node[key] = _scalar(value, layout, quote=key == "first_seen")
    return node


def _scalar(value: Any, layout: _Layout, *, quote: bool) -> Any:
    """``value`` quoted in the file's style when asked to or when ``yaml.safe_load`` would not read it back as text.

    ruamel.yaml writes YAML 1.2, where ``2016-03-05``, ``yes`` or ``1:30`` are strings; PyYAML
    (the lexicon loader) reads YAML 1.1, where they are a date, a boolean, a number.
    """
    import yaml
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if quote and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    if not quote:
        try:
            quote = yaml.safe_load(value) != value
        except yaml.YAMLError:
            quote = False  # not a plain scalar at all: ruamel.yaml quotes it itself
    if not quote:
        return value
    return DoubleQuotedScalarString(value) if layout.quote == '"' else SingleQuotedScalarString(value)


def _round_trip(layout: _Layout) -> Any:
    """ruamel.yaml set to write lists as ``layout`` says (only used when a file is rewritten whole)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=max(layout.fields, layout.dash + 2), offset=layout.dash)
    return yaml


def _entry_text(node: Any, layout: _Layout) -> str:
    """One entry as list item text: "- " at the file's column, keys and nested lists as its entries have them."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=layout.nested + 2, offset=layout.nested)
    lines = _dumped(yaml, node).splitlines()
    step = max(layout.fields - layout.dash, 2)
    first = " " * layout.dash + "-" + " " * (step - 1) + lines[0]
    rest = [" " * (layout.dash + step) + line if line.strip() else line for line in lines[1:]]
    return "".join(line + layout.newline for line in [first, *rest])


def _read(target: Path) -> str:
    """The file's text as it is on disk (line ends untranslated), empty for a new file."""
    return target.read_bytes().decode("utf-8") if target.exists() else ""


def has_entry(target: Path, entry_id: str) -> bool:
    """Whether ``target`` lists an entry ``entry_id``: how an interrupted review tells which writes it made."""
    import yaml

    if not target.exists():
        return False
    data = yaml.safe_load(_read(target))
    entries = data.get("entries") if isinstance(data, dict) else None
    return any(isinstance(e, dict) and e.get("id") == entry_id for e in entries or ())


def append_entry(target: Path, record: dict[str, Any], lexicon_paths: list[Path]) -> Lexicon:
    """Append ``record`` to ``target``, check the whole set, then replace the file.

    The old text is kept byte for byte and the entry written after it in the file's own layout,
    so the diff is the new entry alone. Only a file whose entries list is not the last thing in
    it (or is empty, or written ``[...]``) is rewritten whole by ruamel.yaml, comments kept.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    text = _read(target)
    data: Any = _round_trip(_Layout()).load(text) if text.strip() else None
    layout = _layout(text, data)
    defaults = data.get("defaults") if isinstance(data, CommentedMap) else None
    node = _entry_node(record, defaults, layout)
    entries = data.get("entries") if isinstance(data, CommentedMap) else None
    if data is None:  # a new (or empty) file: a header, then the entry
        new_text = text + _dumped(_round_trip(layout), {"name": target.stem}) + "entries:\n"
        new_text += (layout.newline if layout.blank_lines else "") + _entry_text(node, layout)
    elif isinstance(entries, CommentedSeq) and entries and not entries.fa.flow_style() and list(data)[-1] == "entries":
        new_text = text if not text or text.endswith("\n") else text + layout.newline
        if layout.blank_lines and not new_text.endswith(layout.newline * 2):
            new_text += layout.newline
        new_text += _entry_text(node, layout)
    else:
        if not isinstance(entries, CommentedSeq) or not entries:
            data["entries"] = entries = CommentedSeq()
        entries.append(node)
        new_text = _dumped(_round_trip(layout), data)
    return _replace_checked(target, new_text, lexicon_paths)


def remove_entry(target: Path, entry_id: str, lexicon_paths: list[Path]) -> None:
    """Take entry ``entry_id`` out of ``target``: its lines and the blank line that set it apart, nothing else."""
    text = _read(target)
    yaml = _round_trip(_Layout())
    data = yaml.load(text)
    new_text = _without_entry(text, data, entry_id)
    if new_text is None:  # not laid out one entry after the other: rewrite the file, comments kept
        layout = _layout(text, data)
        yaml = _round_trip(layout)
        data["entries"] = type(data["entries"])(e for e in data["entries"] if e.get("id") != entry_id)
        new_text = _dumped(yaml, data)
    _replace_checked(target, new_text, lexicon_paths)


def _without_entry(text: str, data: Any, entry_id: str) -> str | None:
    """``text`` without the lines of entry ``entry_id``, or None when they cannot be told apart safely."""
    from ruamel.yaml.comments import CommentedSeq

    entries = data.get("entries") if hasattr(data, "get") else None
    if not isinstance(entries, CommentedSeq) or entries.fa.flow_style() or len(entries) < 2:
        return None
    found = [i for i, e in enumerate(entries) if hasattr(e, "get") and e.get("id") == entry_id]
    if len(found) != 1:
        return None
    [i] = found
    lines = text.splitlines(keepends=True)
    start = entries.lc.item(i)[0]
    if start >= len(lines) or not lines[start].lstrip().startswith("-"):
        return None
    dash = _indent_of(lines[start])
    end = last = start
    while end + 1 < len(lines):
        line = lines[end + 1]
        if line.strip() and not line.lstrip().startswith("#"):
            if _indent_of(line) <= dash:
                break
            last = end + 1
        end += 1
    end = last + 1  # the entry's own lines; comments after it belong to what follows
    if i < len(entries) - 1:
        while end < len(lines) and not lines[end].strip():
            end += 1  # the blank line before the next entry
    else:
        while start > 0 and not lines[start - 1].strip():
            start -= 1  # the blank line that set the last entry apart
    return "".join(lines[:start] + lines[end:])


def _dumped(yaml: Any, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _replace_checked(target: Path, text: str, lexicon_paths: list[Path]) -> Lexicon:
    """Replace ``target`` with ``text`` only if the lexicon set stays valid with it; the set as validated."""
    checked: list[Lexicon] = []

    def check(temporary: Path) -> None:
        files = [temporary if f.resolve() == target.resolve() else f for f in lexicon_files(lexicon_paths)]
        lexicon, problems = validate(files if temporary in files else [*files, temporary])
        checked.append(lexicon)
        if problems:
            raise LexiconError([_as_target(p, temporary, target) for p in problems])

    _remove_stale_temporaries(target)
    atomic_write(target, text, check)
    return checked[0]


def _as_target(problem: Problem, temporary: Path, target: Path) -> Problem:
    """A problem found in the temporary file, told of the file it stands for (its name, in the message too)."""
    path = str(target) if problem.path == str(temporary) else problem.path
    return Problem(path, problem.line, problem.message.replace(str(temporary), str(target)))


def _remove_stale_temporaries(target: Path) -> None:
    """The temporaries of ``target`` a killed writer left behind (we hold its lock: nobody else writes it).

    Only its own: another file in the folder may be being written by a reviewer of another set.
    """
    real = target.resolve()
    for stale in real.parent.glob(f".{real.name}.*.tmp"):
        stale.unlink(missing_ok=True)
