"""Near-duplicate documents: MinHash signatures of character shingles, grouped by LSH.

A wire story reprinted on several pages would count as several documents and
make a formula look more widespread than it is. ``scan --stats`` stores each
document's signature; ``report --dedupe`` groups documents whose shingle sets
are estimated at least :data:`THRESHOLD` similar (Jaccard) and counts each
group once. MinHash and LSH come from datasketch; the shingles are hashed here
with NumPy, over the whole text at once, because hashing them one by one in
Python costs more than the scan itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

SHINGLE = 5
PERMUTATIONS = 64
THRESHOLD = 0.8
_SEED = 1


def signature(text: str) -> str:
    """The document's MinHash signature as hex (empty for a text shorter than a shingle).

    The value datasketch's ``MinHash.update_batch`` gives for the shingle hashes (a test holds them equal),
    computed here in NumPy blocks: ``update_batch`` turns every shingle into a Python integer and back, which
    cost more than the whole scan (13 MB of 新闻联播: 2.1 s of 3.9), and holds a shingles-by-permutations
    matrix at once, 16 GB for a 32 MB document.
    """
    import numpy as np

    hashes = _shingle_hashes(text)
    if not len(hashes):
        return ""
    a, b = _template().permutations
    low = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(hashes), BLOCK):
        mixed = _fmix32(hashes[start : start + BLOCK]).reshape(-1, 1)
        np.minimum(low, (mixed * a + b).min(axis=0), out=low)
    return low.astype(">u4").tobytes().hex()


BLOCK = 4096
"""Shingles per block: a block's matrix is 1 MB, whatever the document's length."""


def _fmix32(values: Any) -> Any:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch's ``affine32`` scheme applies to every hash."""
    import numpy as np

    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def duplicate_groups(signatures: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, str]:
    """Map each document id to its group's first document (in the order given).

    Documents without a signature stand alone.
    """
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    scheme = _template().scheme
    index = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    groups: dict[str, str] = {}
    rank: dict[str, int] = {}
    for doc_id, hexed in signatures:
        if doc_id in groups:
            continue
        rank[doc_id] = len(rank)
        groups[doc_id] = doc_id
        if hexed:
            values = np.frombuffer(bytes.fromhex(hexed), dtype=">u4").astype(np.uint32)
            minhash = LeanMinHash(seed=_SEED, hashvalues=values, scheme=scheme)
            groups[doc_id] = min((groups[d] for d in index.query(minhash)), default=doc_id, key=rank.__getitem__)
            index.insert(doc_id, minhash)
    return groups


def _shingle_hashes(text: str) -> Any:
    """32-bit hashes (a NumPy array) of every ``SHINGLE``-character window, one polynomial pass."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint32)
    hashed = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashed = hashed * np.uint64(1099511628211) + codes[offset : offset + count]
    return ((hashed >> np.uint64(32)) ^ (hashed & np.uint64(0xFFFFFFFF))).astype(np.uint32)


@cache
def _template() -> Any:
    """One MinHash whose permutations every signature shares (drawing them costs more than hashing a page).

    The ``affine32`` scheme, the default of datasketch 2: :func:`signature` relies on it.
    """
    from datasketch import MinHash

    return MinHash(PERMUTATIONS, seed=_SEED, scheme="affine32")
