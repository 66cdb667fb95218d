"""Group stored documents into duplicate clusters and pick each cluster's canonical copy.

Two documents are linked when their normalized bodies are identical, when they share a canonical URL
(the same article served twice, or an updated version of it), or when their MinHash signatures share an
LSH bucket and their estimated Jaccard similarity reaches ``NEAR_DUPLICATE_JACCARD``. A cluster is a
connected component of those links, so the clusters do not depend on the order in which documents
arrive or on how many workers extracted them: a late document that links two clusters merges them.

The canonical copy of a cluster is the first by ``rank_key``: the earliest publication time (documents
without one come last), then the longest body, then the shortest canonical URL, then the URL and id as
tie-breakers. Every other member is a duplicate pointing at it. When a better copy arrives later, the
canonical changes and the former one becomes a duplicate; the counts stay consistent.

The LSH buckets live in the store (``lsh_buckets``), not in memory, so memory stays flat whatever the
size of the collection; this module runs inside the writer's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from newsmill.dedup.fingerprints import NEAR_DUPLICATE_JACCARD, estimated_jaccard, signature_from_bytes
from newsmill.store.bulk import insert_rows

_FAR_FUTURE = datetime.max.replace(tzinfo=None)
DUPLICATE_COLUMNS = ("article_id", "canonical_id", "reason", "similarity", "batch_id")


def rank_key(published_utc: datetime | None, body_words: int, canonical_url: str | None, doc_id: str) -> tuple:
    """Sort key of the canonical rule: the smallest key in a cluster is its canonical copy."""
    when = published_utc.replace(tzinfo=None) if published_utc is not None else _FAR_FUTURE
    return (published_utc is None, when, -body_words, len(canonical_url or ""), canonical_url or "", doc_id)


@dataclass
class DuplicateDecision:
    """Counts of one clustering step."""

    links: int = 0
    merged_clusters: int = 0
    changed_documents: int = 0


class DuplicateClusterer:
    """Links newly stored documents to the store's documents and keeps ``cluster_id``/``duplicates`` right."""

    def __init__(self, con: duckdb.DuckDBPyConnection, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.con = con
        self.threshold = threshold

    def add(self, new_ids: list[str], batch_id: int) -> DuplicateDecision:
        decision = DuplicateDecision()
        if not new_ids:
            return decision
        con = self.con
        con.register("batch_new", pa.table({"id": new_ids}))
        try:
            return self._link(new_ids, batch_id, decision)
        finally:
            con.unregister("batch_new")

    def _link(self, new_ids: list[str], batch_id: int, decision: DuplicateDecision) -> DuplicateDecision:
        con = self.con
        exact = con.execute(
            """SELECT n.id, d.id FROM documents n JOIN documents d ON d.body_hash = n.body_hash AND d.id <> n.id
               WHERE n.id IN (SELECT id FROM batch_new)
               UNION SELECT n.id, d.id FROM documents n JOIN documents d
                 ON d.canonical_url = n.canonical_url AND d.id <> n.id
               WHERE n.id IN (SELECT id FROM batch_new)"""
        ).fetchall()
        candidates = con.execute(
            """SELECT DISTINCT q.article_id, b.article_id FROM lsh_buckets q
               JOIN lsh_buckets b ON b.bucket = q.bucket AND b.article_id <> q.article_id
               WHERE q.article_id IN (SELECT id FROM batch_new)"""
        ).fetchall()
        links = set(map(tuple, map(sorted, exact)))
        near = {tuple(sorted(pair)) for pair in candidates} - links
        if near:
            sigs = self._signatures({i for pair in near for i in pair})
            links |= {pair for pair in near if estimated_jaccard(sigs[pair[0]], sigs[pair[1]]) >= self.threshold}
        decision.links = len(links)
        if not links:
            return decision
        nodes = {i for pair in links for i in pair}
        cluster_of = dict(
            con.execute(
                "SELECT id, cluster_id FROM documents WHERE id IN (SELECT unnest(?))", [sorted(nodes)]
            ).fetchall()
        )
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        for a, b in links:
            ra, rb = find(cluster_of[a]), find(cluster_of[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[str, set[str]] = {}
        for cluster in set(cluster_of.values()):
            groups.setdefault(find(cluster), set()).add(cluster)
        merged = [sorted(clusters) for clusters in groups.values() if len(clusters) > 1]
        decision.merged_clusters = sum(len(clusters) - 1 for clusters in merged)
        decision.changed_documents = self._settle(merged, batch_id)
        return decision

    def resettle(self, cluster_ids: list[str], batch_id: int) -> int:
        """Choose the canonical copy of each cluster again (a member's publication time changed)."""
        return self._settle([[c] for c in cluster_ids], batch_id)

    def _signatures(self, ids: set[str]) -> dict[str, np.ndarray]:
        rows = self.con.execute(
            "SELECT id, minhash FROM documents WHERE id IN (SELECT unnest(?))", [sorted(ids)]
        ).fetchall()
        return {i: signature_from_bytes(m) for i, m in rows if m is not None}

    def _settle(self, merged: list[list[str]], batch_id: int) -> int:
        """Make each list of clusters one cluster: choose its canonical, repoint everyone, rewrite the
        duplicate rows. All merges of a batch go to the database together (a handful of statements, not
        a handful per merge: per-merge statements were a third of the writer's time)."""
        if not merged:
            return 0
        con = self.con
        rows = con.execute(
            """SELECT id, cluster_id, published_utc, body_words, canonical_url, body_hash, minhash
               FROM documents WHERE cluster_id IN (SELECT unnest(?))""",
            [[c for clusters in merged for c in clusters]],
        ).fetchall()
        by_cluster: dict[str, list[tuple]] = {}
        for row in rows:
            by_cluster.setdefault(row[1], []).append(row)
        duplicate_rows: list[tuple] = []
        new_cluster_of: dict[str, str] = {}
        member_ids: list[str] = []
        changed = 0
        for clusters in merged:
            members = [m for cluster in clusters for m in by_cluster.get(cluster, [])]
            members.sort(key=lambda m: rank_key(m[2], m[3], m[4], m[0]))
            canon = members[0]
            duplicate_rows.extend(self._duplicate_rows(canon, members[1:], batch_id))
            member_ids.extend(m[0] for m in members)
            changed += sum(1 for m in members if m[1] != canon[0])
            # Re-pointed members, the canonical and the former canonicals all change status (search re-indexes them).
            for doc_id in [m[0] for m in members if m[1] != canon[0]] + [canon[0], *clusters]:
                new_cluster_of[doc_id] = canon[0]
        con.register("cluster_moves", pa.table({"id": list(new_cluster_of), "cluster_id": list(new_cluster_of.values())}))
        try:
            con.execute(
                "UPDATE documents SET cluster_id = m.cluster_id, changed_batch = ? FROM cluster_moves m WHERE documents.id = m.id",
                [batch_id],
            )
        finally:
            con.unregister("cluster_moves")
        con.execute("DELETE FROM duplicates WHERE article_id IN (SELECT unnest(?))", [member_ids])
        insert_rows(con, "duplicates", DUPLICATE_COLUMNS, duplicate_rows)
        return changed

    @staticmethod
    def _duplicate_rows(canon: tuple, others: list[tuple], batch_id: int) -> list[tuple]:
        canon_sig = signature_from_bytes(canon[6]) if canon[6] is not None else None
        rows = []
        for doc_id, _cluster, _pub, _words, curl, body_hash, minhash in others:
            sim = None
            if canon_sig is not None and minhash is not None:
                sim = estimated_jaccard(canon_sig, signature_from_bytes(minhash))
            if body_hash == canon[5]:
                reason, sim = "exact", 1.0
            elif curl is not None and curl == canon[4]:
                reason = "same-url"
            else:
                reason = "near"
            rows.append((doc_id, canon[0], reason, sim, batch_id))
        return rows
