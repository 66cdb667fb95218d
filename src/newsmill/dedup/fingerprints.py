"""Body fingerprints: a hash of the normalized text (exact copies) and a MinHash signature (near copies).

Computed in the worker processes, next to extraction, because MinHash is the costly part; the
clusterer in the writer process then only compares signatures. Normalization removes what differs
between copies of one story that are the same text: case, punctuation, quote styles, whitespace, and
a wire-service dateline prefix ("LONDON (Reuters) -").
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from newsmill.dedup.urls import canonical_url
from newsmill.models import Article

#: MinHash permutations: 128 gives a Jaccard estimate within ±0.09 (2 sigma), plenty to separate copies
#: (J > 0.8) from different stories (J < 0.1).
NUM_PERM = 128
#: Fixed so that signatures are comparable across runs, workers and machines.
MINHASH_SEED = 20261125
#: Words per shingle: 5-word shingles rarely repeat between different stories on the same topic.
SHINGLE_WORDS = 5
#: Bodies with fewer words are only deduplicated exactly: a MinHash of a handful of shingles is noise.
MIN_WORDS_FOR_MINHASH = 20
#: Leading words searched for a wire dateline ("WASHINGTON (AP) --", "Paris, 3 May (Reuters) -").
_DATELINE_RE = re.compile(r"^[^\n]{0,60}?\((?:AP|AFP|Reuters|dpa|PA|UPI|Xinhua|Bloomberg)\)\s*[-–—:]+\s*", re.I)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


#: Jaccard similarity (estimated from the signatures) from which two bodies are copies of one story.
#: Re-wrapped copies of a story score above 0.9 and an updated version with a paragraph added or edited
#: around 0.6-0.8; different stories on the same event stay below 0.2 (measured in benchmarks/ingest.py).
NEAR_DUPLICATE_JACCARD = 0.5
#: LSH bands x rows per band, chosen by datasketch for the threshold above (false positive and false
#: negative weights equal); candidates are then verified against NEAR_DUPLICATE_JACCARD.
LSH_BANDS, LSH_ROWS = _optimal_param(NEAR_DUPLICATE_JACCARD, NUM_PERM, 0.5, 0.5)
# Odd 64-bit multipliers, one per word position, that mix a shingle's word hashes (fixed: signatures are stored).
_SHINGLE_MIX = np.random.default_rng(MINHASH_SEED + 1).integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
# datasketch's permutations for (NUM_PERM, MINHASH_SEED), drawn once instead of for every article.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme
# Odd 64-bit multipliers that mix a band's rows into one bucket number (fixed: buckets are stored).
_BAND_MIX = np.random.default_rng(MINHASH_SEED).integers(1, 2**63, size=LSH_ROWS, dtype=np.uint64) | np.uint64(1)


@dataclass
class Fingerprint:
    canonical_url: str | None
    body_hash: str
    body_words: int
    minhash: bytes | None  # NUM_PERM little-endian uint32 values, None for short bodies

    def signature(self) -> np.ndarray | None:
        return None if self.minhash is None else signature_from_bytes(self.minhash)

    def lsh_buckets(self) -> list[int]:
        """One bucket number per band; two bodies sharing any bucket are candidate copies."""
        sig = self.signature()
        if sig is None:
            return []
        bands = sig[: LSH_BANDS * LSH_ROWS].reshape(LSH_BANDS, LSH_ROWS)
        with np.errstate(over="ignore"):  # wrap-around multiplication is the point
            mixed = (bands * _BAND_MIX).sum(axis=1, dtype=np.uint64)
        # DuckDB stores them as signed BIGINT; the band number is mixed in so buckets never collide across bands.
        return [int(np.int64(np.uint64(m) ^ np.uint64(b))) for b, m in enumerate(mixed)]


def shingle_hashes(words: list[str]) -> np.ndarray:
    """32-bit hashes of the distinct SHINGLE_WORDS-word shingles, computed from per-word CRC-32s with numpy.

    Hashing every shingle string with SHA-1 (datasketch's default) cost half of fingerprinting, about
    3 ms per article; a shingle's hash as a mix of its words' hashes is the same information for MinHash
    (datasketch still scrambles each value with its own permutations) at a tenth of the cost.
    """
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    windows = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        for offset, factor in enumerate(_SHINGLE_MIX):
            mixed += word_hashes[offset : offset + windows] * factor
    folded = (mixed >> np.uint64(32)) ^ (mixed & np.uint64(0xFFFFFFFF))
    return np.unique(folded)


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


def normalized_words(article: Article) -> list[str]:
    text = "\n".join(article.body)
    text = _DATELINE_RE.sub("", text, count=1)
    return [w.lower() for w in _WORD_RE.findall(text)]


def fingerprint_article(article: Article) -> Fingerprint:
    words = normalized_words(article)
    body_hash = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
    minhash = None
    if len(words) >= MIN_WORDS_FOR_MINHASH:
        mh = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int, permutations=_PERMUTATIONS, scheme=_SCHEME)
        mh.update_batch(shingle_hashes(words).tolist())
        minhash = mh.hashvalues.astype("<u4").tobytes()
    return Fingerprint(canonical_url(article.url), body_hash, len(words), minhash)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)
