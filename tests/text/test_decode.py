from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder.errors import DecodeError
from phrasefinder.text.decode import decode

from ..conftest import seed

SIMPLIFIED = "要进一步增强“四个意识”、坚定“四个自信”、做到“两个维护”。"
TRADITIONAL = "我市召開文明委會議暨爭創全域全國文明城市推進會議"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (SIMPLIFIED[:6], "gb2312"),
        (TRADITIONAL, "big5"),
        (TRADITIONAL[:5], "big5"),
        (TRADITIONAL, "gb18030"),
        (SIMPLIFIED, "utf-16"),
        (TRADITIONAL, "utf-8-sig"),
    ],
)
def test_decodes_each_encoding_exactly(text: str, encoding: str) -> None:
    decoded = decode(text.encode(encoding))
    assert decoded.text == text
    assert decoded.warning is None


def test_bom_is_removed_and_newlines_kept() -> None:
    decoded = decode("\ufeff第一行\r\n第二行\r".encode())
    assert decoded.text == "第一行\r\n第二行\r"


def test_a_few_corrupt_bytes_are_replaced_with_a_warning() -> None:
    data = seed("001").read_bytes()
    damaged = data[:300] + b"\xff\xfe" + data[300:]
    decoded = decode(damaged)
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 2
    assert decoded.warning == "2 invalid utf-8 byte sequence(s) replaced with U+FFFD"
    assert "四个意识" in decoded.text


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_empty_input_is_empty_text() -> None:
    assert decode(b"").text == ""


@settings(max_examples=200)
@given(
    before=st.text(alphabet="坚持党的领导推进改革发展人民", min_size=2, max_size=30),
    after=st.text(alphabet="坚持党的领导推进改革发展人民", min_size=0, max_size=30),
    damage=st.lists(st.sampled_from([b"\x93", b"\x94", b"\xe5\xbc", b"\xff", b"\xa1"]), min_size=1, max_size=3),
    cut=st.booleans(),
)
def test_short_utf8_damaged_anywhere_outside_the_formula_stays_utf8_and_keeps_it(
    before: str, after: str, damage: list[bytes], cut: bool
) -> None:
    """A short UTF-8 file with a few bad bytes (Windows-1252 quotes, a cut last character) is damaged UTF-8."""
    pieces = [before.encode(), *damage[:-1], "四个意识".encode(), after.encode(), damage[-1]]
    data = b"".join(pieces)
    if cut:
        data += "识".encode()[:2]
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert "四个意识" in decoded.text
    assert decoded.warning is not None


def test_a_short_gb18030_phrase_is_not_taken_for_damaged_utf8() -> None:
    decoded = decode("德才兼备".encode("gb18030"))
    assert (decoded.text, decoded.encoding, decoded.warning) == ("德才兼备", "gb18030", None)
