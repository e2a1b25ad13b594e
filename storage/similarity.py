"""Near-duplicate detection that works across processes: MinHash signatures stored per article,
banded into LSH buckets (`article_bands`) so candidates are found with an indexed query."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # datasketch imports scipy (~0.8 s): only a crawl that stores text needs it
    from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 bands of 4 rows: a pair at Jaccard 0.7 is a candidate with p > 0.99
NEAR_DUPLICATE = 0.7  # estimated Jaccard of 5-word shingles at or above which texts are copies
SHINGLE_WORDS = 5
MIN_WORDS = 50  # shorter texts share too many shingles by chance to judge
# Scripts written without spaces between words: each character is a token, so 5-token
# shingles are character 5-grams there (Chinese, Japanese kana, Thai, Lao, Myanmar, Khmer).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
_WORD = re.compile(rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])\w)+")
_RUN = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """The permutations, computed once per process, then shared by every signature."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def fold(text: str) -> str:
    """Casefolded, accents (combining marks) removed, letters of every script kept, so
    trivial re-typing does not hide a copy and Russian or Japanese text still has words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded text's words; in scripts without spaces, its characters."""
    return _WORD.findall(fold(text))


def signature(text: str) -> bytes | None:
    """MinHash of the text's word shingles as bytes, or None when the text is too short."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    count = len(tokens) - SHINGLE_WORDS + 1
    shingles = {" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(count)}
    template = _template()
    minhash = type(template)(
        num_perm=NUM_PERM, seed=1, permutations=template.permutations, scheme=template.scheme
    )
    minhash.update_batch([s.encode() for s in shingles])
    return np.asarray(minhash.hashvalues, dtype="<u8").tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    a = np.frombuffer(first, dtype="<u8")
    b = np.frombuffer(second, dtype="<u8")
    return float(np.count_nonzero(a == b)) / NUM_PERM


@lru_cache(maxsize=64)  # storing an article indexes its bands, then looks its copies up by them
def bands(sig: bytes) -> tuple[tuple[int, int], ...]:
    """(band, bucket) pairs; the bucket is a signed 64-bit hash so it fits a BIGINT column."""
    width = ROWS * 8
    return tuple(
        (
            band,
            int.from_bytes(
                hashlib.blake2b(sig[band * width : (band + 1) * width], digest_size=8).digest(),
                "little",
                signed=True,
            ),
        )
        for band in range(BANDS)
    )


def title_similarity(first: str, second: str) -> float:
    """Jaccard similarity of character trigrams of folded titles (names survive translation)."""
    a, b = _trigrams(first), _trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _trigrams(title: str) -> set[str]:
    text = " ".join(_RUN.findall(fold(title)))
    return {text[i : i + 3] for i in range(len(text) - 2)}
