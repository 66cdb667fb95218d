"""Duplicate detection: URL canonicalization, body fingerprints (exact hash, MinHash) and clustering."""

from newsmill.dedup.clusters import DuplicateClusterer, DuplicateDecision, rank_key
from newsmill.dedup.fingerprints import Fingerprint, fingerprint_article
from newsmill.dedup.urls import canonical_url

__all__ = [
    "DuplicateClusterer",
    "DuplicateDecision",
    "Fingerprint",
    "canonical_url",
    "fingerprint_article",
    "rank_key",
]
