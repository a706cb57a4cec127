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
    """The document's MinHash signature as hex (empty for a text shorter than a shingle)."""
    import numpy as np
    from datasketch import MinHash

    hashes = _shingle_hashes(text)
    if not hashes:
        return ""
    template = _template()
    minhash = MinHash(PERMUTATIONS, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch(hashes)
    return bytes(np.asarray(minhash.hashvalues).astype(">u4").tobytes()).hex()


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


def _shingle_hashes(text: str) -> list[int]:
    """32-bit hashes of every ``SHINGLE``-character window, one polynomial pass in NumPy."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    if count <= 0:
        return []
    hashed = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashed = hashed * np.uint64(1099511628211) + codes[offset : offset + count]
    return ((hashed >> np.uint64(32)) ^ (hashed & np.uint64(0xFFFFFFFF))).tolist()  # type: ignore[no-any-return]


@cache
def _template() -> Any:
    """One MinHash whose permutations every signature shares (drawing them costs more than hashing a page)."""
    from datasketch import MinHash

    return MinHash(PERMUTATIONS, seed=_SEED)
