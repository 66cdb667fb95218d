"""Bytes → text. Order of evidence: BOM, then a declared charset, then detection (charset-normalizer).

Never raises on undecodable bytes: the worst case is replacement characters, and the encoding that was
used is always returned so that it can be recorded on the Article.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Browsers treat these labels as windows-1252 (WHATWG Encoding Standard), and so do we.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}
# Only the head of the document is searched for a declaration, as browsers do (they look at 1024 bytes;
# we allow more because crawlers often prepend comments or whitespace).
DECLARATION_WINDOW = 4096
# Detection is expensive on big inputs; a prefix carries the statistics.
DETECTION_WINDOW = 64 * 1024
# Two-, three- and four-byte UTF-8 sequences; three or more in a document that is not valid UTF-8 means
# mixed encodings rather than a legacy single-byte page (where such byte runs are rare by chance).
_UTF8_MULTIBYTE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MIXED_MIN_UTF8_SEQUENCES = 3
_HIGH_BYTES = bytes(range(0x80, 0x100))
#: The encoding recorded for a page decoded as UTF-8 whose other bytes were read as cp1252.
MIXED_ENCODING = "utf-8+cp1252"


def _normalize(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    head = data[:DECLARATION_WINDOW]
    m = _XML_DECL_RE.search(head) or _META_CHARSET_RE.search(head)
    return _normalize(m.group(1).decode("ascii", "ignore")) if m else None


def _is_multibyte_utf8(data: bytes) -> bool:
    """True when the head of ``data`` is UTF-8 with at least one non-ASCII character."""
    head = data[:DETECTION_WINDOW]
    try:
        # Not final when the window cut the data: a multi-byte sequence cut at the edge is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(data) <= DETECTION_WINDOW)
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in head)


def _looks_mixed(data: bytes) -> bool:
    """Valid UTF-8 sequences next to bytes that are not UTF-8: parts saved in different encodings."""
    return len(_UTF8_MULTIBYTE_RE.findall(data[:DETECTION_WINDOW])) >= MIXED_MIN_UTF8_SEQUENCES


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # Only the bytes that are not UTF-8 are read as cp1252, so a stray byte does not drag its line (or,
    # in a one-line HTML page, the whole page) into mojibake.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


_MIXED_ERRORS = "newsmill-cp1252-fallback"
codecs.register_error(_MIXED_ERRORS, _cp1252_fallback)


def _decode_mixed(data: bytes) -> str:
    return data.decode("utf-8", errors=_MIXED_ERRORS)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; ``declared`` is a charset from outside the document (an HTTP header).

    Returns ``(text, encoding)``. A declared single-byte charset loses to UTF-8 when the bytes are valid
    UTF-8 with multi-byte sequences: that combination only happens when a page was re-encoded and its
    declaration went stale (common in archived and benchmark pages), never by chance.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "")
    candidates = [c for c in (_normalize(declared) if declared else None, declared_charset(data)) if c]
    for enc in candidates:
        if enc != "utf-8" and _is_multibyte_utf8(data):
            return data.decode("utf-8", errors="replace"), "utf-8"
        if enc != "utf-8" and _is_single_byte(enc) and _looks_mixed(data):
            # A single-byte declaration cannot explain valid UTF-8 sequences: it covers one part only.
            return _decode_mixed(data), MIXED_ENCODING
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_mixed(data):
        return _decode_mixed(data), MIXED_ENCODING
    best = from_bytes(data[:DETECTION_WINDOW]).best()
    enc = (_normalize(best.encoding) if best is not None else None) or "cp1252"
    return data.decode(enc, errors="replace"), enc


def _is_single_byte(enc: str) -> bool:
    # A multi-byte codec (Shift-JIS, GBK, UTF-16...) pairs up high bytes, so fewer characters come out.
    try:
        return len(_HIGH_BYTES.decode(enc, errors="replace")) == len(_HIGH_BYTES)
    except LookupError:
        return False
