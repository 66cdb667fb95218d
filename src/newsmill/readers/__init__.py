"""Readers: the edge where bytes from files, stdin and archives become decoded ``RawPage`` objects."""

from newsmill.readers.decoding import decode_bytes
from newsmill.readers.sources import RawPage, detect_kind, read_page

__all__ = ["RawPage", "decode_bytes", "detect_kind", "read_page"]
