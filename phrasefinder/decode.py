"""Bytes to text for files whose encoding nobody declared.

Chinese web scrapes and archives arrive as UTF-8, GB18030 (and its subsets GBK
and GB2312), Big5 or UTF-16. Offsets are reported into the decoded text, so the
rule here is: a BOM is removed, newlines are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

MAX_BAD_UTF8 = 0.01
"""Share of undecodable bytes up to which a file still counts as damaged UTF-8."""


class DecodeError(ValueError):
    """The bytes are binary or in no encoding we can tell."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding used, and a warning when bytes were replaced."""

    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode ``data``: BOM, then UTF-8, then damaged UTF-8, then GB18030 or Big5.

    Damaged UTF-8 is tried before the legacy encodings because GB18030 accepts
    many UTF-8 byte pairs as valid characters; a legacy file read as UTF-8, in
    turn, has far more than 1% bad bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return Decoded(text, encoding, _replaced_warning(text, encoding))
    if b"\x00" in data[:8192]:
        msg = "binary file (NUL bytes)"
        raise DecodeError(msg)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= MAX_BAD_UTF8 * len(data):
        return Decoded(text, "utf-8", _replaced_warning(text, "utf-8"))
    legacy = guess_legacy_encoding(data)
    if legacy is not None:
        return Decoded(data.decode(legacy), legacy)
    msg = "not text in UTF-8, UTF-16, GB18030 or Big5"
    raise DecodeError(msg)


def guess_legacy_encoding(data: bytes) -> str | None:
    """GB18030 or Big5, whichever decodes ``data`` strictly and reads more like Chinese."""
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return None
    return candidates[0][0]


def _replaced_warning(text: str, encoding: str) -> str | None:
    bad = text.count("\ufffd")
    return f"{bad} invalid {encoding} byte sequence(s) replaced with U+FFFD" if bad else None
