"""Fingerprints: the block-wise MinHash is datasketch's, value for value."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasefinder.text import fingerprint
from phrasefinder.text.fingerprint import PERMUTATIONS, SHINGLE, signature


def _datasketch(text: str) -> str:
    """The signature as datasketch's own update_batch computes it."""
    hashes = fingerprint._shingle_hashes(text).tolist()
    if not hashes:
        return ""
    template = fingerprint._template()
    minhash = MinHash(PERMUTATIONS, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch(hashes)
    return bytes(np.asarray(minhash.hashvalues).astype(">u4").tobytes()).hex()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="增强四个意识坚定道路自信，。abc\n", max_size=400))
def test_signature_is_datasketchs(text: str) -> None:
    assert signature(text) == _datasketch(text)


def test_signature_across_blocks() -> None:
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3 * fingerprint.BLOCK + 11))
    assert signature(text) == _datasketch(text)
    assert signature(text[: SHINGLE - 1]) == ""
