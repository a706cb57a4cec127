"""Editing a lexicon file in place: an entry appended or removed, everything else kept byte for byte.

A curator's diff should be the entry alone. So the file's own layout — its
indentation, quoting, list style, blank lines and field order — is read from
the file and used for the new entry, and the whole set is validated with the
new file (under a temporary name) before it atomically replaces the old one.
"""

from __future__ import annotations

import io
from collections.abc import Callable
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
    return _plain_entry(target, entry_id) is not None


def has_variant(target: Path, entry_id: str, form: str) -> bool:
    """Whether entry ``entry_id`` of ``target`` lists ``form`` among its variants (used as :func:`has_entry` is)."""
    entry = _plain_entry(target, entry_id)
    return entry is not None and form in (entry.get("variants") or ())


def _plain_entry(target: Path, entry_id: str) -> dict[str, Any] | None:
    """Entry ``entry_id`` of ``target`` as the lexicon loader reads it, or None."""
    import yaml

    if not target.exists():
        return None
    data = yaml.safe_load(_read(target))
    entries = data.get("entries") if isinstance(data, dict) else None
    return next((e for e in entries or () if isinstance(e, dict) and e.get("id") == entry_id), None)


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


def add_variant(target: Path, entry_id: str, form: str, lexicon_paths: list[Path]) -> Lexicon:
    """Add ``form`` to the variants of entry ``entry_id`` in ``target``, check the whole set, then replace the file.

    The diff is the entry's ``variants`` line alone (a new one after its phrase when it had none).
    """
    return _edit_variants(target, entry_id, lambda forms: [*forms, form], lexicon_paths)


def remove_variant(target: Path, entry_id: str, form: str, lexicon_paths: list[Path]) -> None:
    """Take ``form`` out of the variants of entry ``entry_id``, and the ``variants`` key with its last form:
    the exact inverse of :func:`add_variant`, so an undo gives the file back byte for byte."""
    _edit_variants(target, entry_id, lambda forms: [f for f in forms if f != form], lexicon_paths)


def _edit_variants(
    target: Path, entry_id: str, change: Callable[[list[Any]], list[Any]], lexicon_paths: list[Path]
) -> Lexicon:
    """Rewrite entry ``entry_id``'s variants as ``change`` says: only their lines when they can be told apart
    safely (the file read back must be the old one with that change alone), else the file whole by ruamel.yaml,
    comments kept."""
    import yaml
    from ruamel.yaml.comments import CommentedSeq

    text = _read(target)
    data = _round_trip(_Layout()).load(text)
    entries: Any = (data.get("entries") if hasattr(data, "get") else None) or ()
    found = [i for i, e in enumerate(entries) if hasattr(e, "get") and e.get("id") == entry_id]
    if not found:
        raise LexiconError([Problem(str(target), None, f"no entry '{entry_id}' to edit")])
    entry, layout = entries[found[0]], _layout(text, data)
    old = entry.get("variants")
    forms = [_scalar(f, layout, quote=False) for f in change(list(old) if isinstance(old, CommentedSeq) else [])]
    expected = yaml.safe_load(text)
    _set_variants(expected["entries"][found[0]], forms)
    new_text = _spliced_variants(text, entry, forms, layout)
    if new_text is None or yaml.safe_load(new_text) != expected:
        _set_variants(entry, forms, layout)
        new_text = _dumped(_round_trip(layout), data)
    return _replace_checked(target, new_text, lexicon_paths)


def _set_variants(entry: Any, forms: list[Any], layout: _Layout | None = None) -> None:
    """``forms`` as the entry's variants, in place: after its phrase when new, the key gone when there are none."""
    from ruamel.yaml.comments import CommentedSeq

    old = entry.get("variants")
    if not forms:
        entry.pop("variants", None)
    elif layout is None:
        entry["variants"] = forms
    elif isinstance(old, CommentedSeq):
        del old[:]
        old.extend(forms)
    else:
        entry.insert(
            list(entry).index("phrase") + 1 if "phrase" in entry else len(entry),
            "variants",
            _seq(forms, layout.flow_lists),
        )


def _seq(forms: list[Any], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(forms)
    if flow:
        seq.fa.set_flow_style()
    else:
        seq.fa.set_block_style()
    return seq


def _spliced_variants(text: str, entry: Any, forms: list[Any], layout: _Layout) -> str | None:
    """``text`` with the entry's ``variants`` lines written anew from ``forms``, or None when the lines as they
    stand are not what ruamel.yaml would write for them (a comment on them, a form broken over lines)."""
    from ruamel.yaml.comments import CommentedSeq

    lines = text.splitlines(keepends=True)
    old = entry.get("variants")
    if isinstance(old, CommentedSeq) and old:
        line, column = entry.lc.key("variants")
        flow = old.fa.flow_style()
        nested = layout.nested if flow else old.lc.item(0)[1] - 2 - column
        written = _variants_lines(list(old), column, nested, flow, layout)
        stem, here = "".join(written).removesuffix(layout.newline), "".join(lines[line : line + len(written)])
        tail = here[len(stem) :]  # a comment after a [...] list stays on its line
        if not here.startswith(stem) or (tail != layout.newline and not (flow and forms)):
            return None
        new = "".join(_variants_lines(forms, column, nested, flow, layout)).removesuffix(layout.newline) + tail
        return "".join(lines[:line]) + (new if forms else "") + "".join(lines[line + len(written) :])
    if old is not None or not forms or "phrase" not in entry:
        return None
    keys = list(entry)
    after = keys.index("phrase") + 1
    line = entry.lc.key(keys[after])[0] if after < len(keys) else entry.lc.value("phrase")[0] + 1
    added = _variants_lines(forms, entry.lc.key("phrase")[1], layout.nested, layout.flow_lists, layout)
    return "".join(lines[:line] + added + lines[line:])


def _variants_lines(forms: list[Any], column: int, nested: int, flow: bool, layout: _Layout) -> list[str]:
    """``variants: [...]`` (or the key and one ``- form`` line each) as ruamel.yaml writes it, at ``column``."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=nested + 2, offset=nested)
    lines = _dumped(yaml, {"variants": _seq(forms, flow)}).splitlines()
    return [" " * column + line + layout.newline for line in lines]


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
