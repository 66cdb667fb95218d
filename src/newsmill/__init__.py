"""newsmill: raw news pages → clean, structured, searchable articles."""

# Before the API: importing the subpackage later would replace the function newsmill.ingest with it.
import newsmill.ingest as _ingest_package  # noqa: F401, I001
from newsmill.api import enrich, enrich_store, events, extract, ingest, load_page, open_store, search
from newsmill.errors import NewsmillError
from newsmill.models import SCHEMA_VERSION, Article, Image, Provenance, Role

__version__ = "0.1.0"
__all__ = [
    "SCHEMA_VERSION", "Article", "Image", "NewsmillError", "Provenance", "Role",
    "enrich", "enrich_store", "events", "extract", "ingest", "load_page", "open_store", "search",
]
