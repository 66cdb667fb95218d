"""Turn a path, bytes, str or stdin into a ``RawPage``: gzip unwrapped, text decoded, kind detected.

The kind (HTML or plain-text dump) is decided from the content, the file name only breaks ties.
"""

from __future__ import annotations

import gzip
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsmill.errors import BinaryInputError, EmptyInputError, InputError, InputTooLargeError
from newsmill.readers.decoding import decode_bytes

Kind = Literal["html", "dump"]

#: Pages larger than this (after gunzip) are refused; the biggest real news pages are a few MB.
MAX_PAGE_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_MARKERS_RE = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p[\s>]|<article[\s>]|<title>|<br\s*/?>",
    re.I,
)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]")
_DATE_PREFIX_RE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2}) ?")
# A control-character share above this in the first KB means binary (images, PDFs, executables).
BINARY_CONTROL_SHARE = 0.10


@dataclass
class RawPage:
    """One page as read, before extraction."""

    text: str
    kind: Kind
    encoding: str | None = None
    url: str | None = None
    path: str | None = None
    crawl_date: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


def detect_kind(text: str, name: str | None = None) -> Kind:
    head = text[:20000]
    if _HTML_MARKERS_RE.search(head) and len(_TAG_RE.findall(head)) >= 3:
        return "html"
    if name and re.search(r"\.x?html?(\.gz)?$", name, re.I) and "<" in head:
        return "html"
    return "dump"


def _looks_binary(data: bytes) -> bool:
    head = data[:1024]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM has many NULs too; decode_bytes cannot guess it, so call it binary.
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > BINARY_CONTROL_SHARE


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip data ({exc}); re-download the file or pass it uncompressed") from exc
    if len(out) > max_bytes:
        raise InputTooLargeError(f"page is larger than {max_bytes} bytes after decompression")
    return out


def page_from_bytes(
    data: bytes,
    *,
    name: str | None = None,
    url: str | None = None,
    kind: Kind | None = None,
    declared_charset: str | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> RawPage:
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, max_bytes)
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"page is {len(data)} bytes, over the {max_bytes}-byte limit; raise max_bytes if it is really one page"
        )
    if not data.strip():
        raise EmptyInputError("the input is empty")
    if _looks_binary(data):
        raise BinaryInputError("the input looks binary (not HTML or text); skip it or convert it first")
    text, encoding = decode_bytes(data, declared_charset)
    return page_from_text(text, name=name, url=url, kind=kind, encoding=encoding)


def page_from_text(
    text: str, *, name: str | None = None, url: str | None = None, kind: Kind | None = None, encoding: str | None = None
) -> RawPage:
    if not text.strip():
        raise EmptyInputError("the input is empty")
    kind = kind or detect_kind(text, name)
    crawl_date = None
    if kind == "dump":
        m = _DATE_PREFIX_RE.match(text)
        if m:
            crawl_date = m.group(1)
    return RawPage(text=text, kind=kind, encoding=encoding, url=url, path=name, crawl_date=crawl_date)


def read_page(source: str | Path, *, url: str | None = None, kind: Kind | None = None, max_bytes: int = MAX_PAGE_BYTES) -> RawPage:
    """Read a file path (``-`` for stdin)."""
    if str(source) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return page_from_bytes(data, name=None, url=url, kind=kind, max_bytes=max_bytes)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory (pass the files inside it, or use `newsmill ingest`)")
    size = path.stat().st_size
    if size > max_bytes and not str(path).endswith(".gz"):
        raise InputTooLargeError(f"{path}: {size} bytes, over the {max_bytes}-byte limit")
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return page_from_bytes(data, name=str(path), url=url, kind=kind, max_bytes=max_bytes)
