"""newsmill: raw news pages → clean, structured, searchable articles."""

from newsmill.api import extract, ingest, load_page, open_store, search
from newsmill.errors import NewsmillError
from newsmill.models import SCHEMA_VERSION, Article, Image, Provenance, Role

__version__ = "0.1.0"
__all__ = [
    "SCHEMA_VERSION", "Article", "Image", "NewsmillError", "Provenance", "Role",
    "extract", "ingest", "load_page", "open_store", "search",
]
