"""Turn a path, bytes, str or stdin into a ``RawPage``: gzip unwrapped, text decoded, kind detected.

The kind (HTML or plain-text dump) is decided from the content, the file name only breaks ties.
"""

from __future__ import annotations

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
# Kind detection looks at the head only; 20k characters always reach past a dump's first lines and into
# an HTML page's <head>.
KIND_SNIFF_CHARS = 20000
# Fewer tags than this (with an HTML marker) could be a dump quoting markup.
MIN_HTML_TAGS = 3
_EMPTY_MESSAGE = "the input is empty (or only whitespace); there is nothing to extract"
#: A crawler's "date YYYY-MM-DD " prefix on a dump's first line (the crawl date, not the publication date).
DATE_PREFIX_RE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s?")
# Share of control bytes (C0 controls other than tab, newlines, form feed and ESC, plus DEL) in the head
# above which the input is binary. Uniformly random bytes have ~10% of them and real pages ~0%; an earlier
# 10% threshold let a third of random inputs through as "text". ESC is left out because ISO-2022-JP pages
# are full of escape sequences.
BINARY_CONTROL_SHARE = 0.03
BINARY_SNIFF_BYTES = 4096
# File signatures, to name the format in the error message (other binary formats are caught by their
# control bytes and reported as "binary data").
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
)
_CONTROL_BYTES = frozenset(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) | {127}


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
    """Return "html" or "dump", judged from the content; an .html-like name only decides pages with few tags."""
    head = text[:KIND_SNIFF_CHARS]
    tags = len(_TAG_RE.findall(head))
    if _HTML_MARKERS_RE.search(head) and tags >= MIN_HTML_TAGS:
        return "html"
    # A bare "<" is not evidence: a dump saved as .html may say "a <3 b" or "<<< back"; a tag is.
    if name and re.search(r"\.x?html?(\.gz)?$", name, re.I) and tags:
        return "html"
    return "dump"


def binary_kind(data: bytes) -> str | None:
    """Describe ``data`` ("a PNG image", "binary data") when it is not text, else None."""
    for magic, what in _BINARY_SIGNATURES:
        if data.startswith(magic):
            return what
    head = data[:BINARY_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: text, decode_bytes handles it
        return None
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM has many NULs too; decode_bytes cannot guess it, so call it binary.
        return "binary data (or UTF-16 text without a byte-order mark)"
    return "binary data" if _control_share(head) > BINARY_CONTROL_SHARE else None


def _control_share(data: bytes) -> float:
    head = data[:BINARY_SNIFF_BYTES]
    return sum(1 for b in head if b in _CONTROL_BYTES) / max(len(head), 1)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress every gzip member (``cat a.gz b.gz`` is valid gzip), never more than ``max_bytes``."""
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += d.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise InputError(f"corrupt gzip data ({exc}); re-download the file or pass it uncompressed") from exc
        if len(out) > max_bytes or d.unconsumed_tail:
            raise InputTooLargeError(
                f"page is larger than {max_bytes} bytes after decompression; "
                "raise max_bytes if it really is one page"
            )
        if not d.eof:
            # zlib returns what it could without an error when the stream just stops.
            raise InputError("truncated gzip data; re-download the file or pass it uncompressed")
        rest = d.unused_data
        if rest[:2] != _GZIP_MAGIC:
            break  # trailing padding after the last member, as gzip(1) tolerates
    return bytes(out)


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
            f"page is {len(data)} bytes, over the {max_bytes}-byte limit; raise max_bytes if it really is one page"
        )
    if not data.strip():
        raise EmptyInputError(_EMPTY_MESSAGE)
    what = binary_kind(data)
    if what:
        raise BinaryInputError(f"the input is {what}, not HTML or text; skip it or convert it first")
    text, encoding = decode_bytes(data, declared_charset)
    return page_from_text(text, name=name, url=url, kind=kind, encoding=encoding)


def page_from_text(
    text: str, *, name: str | None = None, url: str | None = None, kind: Kind | None = None, encoding: str | None = None
) -> RawPage:
    if not text.strip():
        raise EmptyInputError(_EMPTY_MESSAGE)
    kind = kind or detect_kind(text, name)
    crawl_date = None
    if kind == "dump":
        m = DATE_PREFIX_RE.match(text)
        if m:
            crawl_date = m.group(1)
    return RawPage(text=text, kind=kind, encoding=encoding, url=url, path=name, crawl_date=crawl_date)


def read_page(source: str | Path, *, url: str | None = None, kind: Kind | None = None, max_bytes: int = MAX_PAGE_BYTES) -> RawPage:
    """Read a file path (``-`` for stdin). Errors about a file name the file in their message."""
    if str(source) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return page_from_bytes(data, name=None, url=url, kind=kind, max_bytes=max_bytes)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; pass the files inside it (the CLI accepts directories)")
    # A compressed file over the limit is over it once decompressed too, so one check serves both.
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"{path}: {size} bytes, over the {max_bytes}-byte limit; raise max_bytes if it really is one page"
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc}); check its permissions") from exc
    try:
        return page_from_bytes(data, name=str(path), url=url, kind=kind, max_bytes=max_bytes)
    except InputError as exc:
        raise type(exc)(f"{path}: {exc}") from None
