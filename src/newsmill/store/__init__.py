"""The embedded database (DuckDB) and its search index (tantivy)."""

from newsmill.store.search import SearchHit, SearchIndex, SearchResults, index_path_for
from newsmill.store.store import DEFAULT_DB, Store, StoreCounts, StoreError

__all__ = ["DEFAULT_DB", "SearchHit", "SearchIndex", "SearchResults", "Store", "StoreCounts", "StoreError", "index_path_for"]
