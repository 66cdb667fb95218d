"""Read collections of pages: folders, single page files, JSONL and Parquet records, WARC archives.

Every input record comes out as an ``InputRecord`` (content still raw bytes or text, decoding happens in
the extract stage) or as an ``UnreadableRecord`` with the reason, so that a caller can account for every
record. Problems that are not about one record (a truncated archive, a file that cannot be opened) come
out as ``SourceProblem``s. Each record has a ``key`` that is stable across runs (file path plus a locator
inside the file: a line number, a row number, a byte offset): it is what makes ingest resumable.

This module only reads; it never extracts, deduplicates or writes.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newsmill.readers.sources import MAX_PAGE_BYTES, Kind

CollectionFormat = Literal["page", "jsonl", "parquet", "warc"]

#: Page files read one record each (as ``newsmill extract`` reads them).
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".html.gz", ".htm.gz", ".txt.gz", ".xhtml.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz", ".warc.zst", ".warc.lz4")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet",)
#: HTTP content types whose payload is a page; everything else in a WARC is counted and skipped.
PAGE_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
#: WARC headers longer than this are not real headers (fastwarc's default is the same 32 KiB).
MAX_WARC_HEADER_BYTES = 32 << 10
#: Parquet rows decoded at a time: memory stays small whatever the size of a row group.
PARQUET_BATCH_ROWS = 256
#: How far past a corrupt spot we look for the next WARC record before giving up on the file.
RESYNC_SCAN_BYTES = 64 << 20


@dataclass
class InputRecord:
    """One page as found in a collection, before decoding and extraction."""

    key: str
    source: str
    locator: str
    content: bytes | str
    url: str | None = None
    fetched_at: str | None = None
    kind: Kind | None = None
    charset: str | None = None
    #: The content is an already extracted Article (a newsmill export), as JSON text: import, not extract.
    is_article: bool = False


@dataclass
class UnreadableRecord:
    """A record the reader found but could not turn into a page (it becomes a rejection)."""

    key: str
    source: str
    locator: str
    reason: str
    detail: str = ""
    url: str | None = None


@dataclass
class SourceProblem:
    """A problem with a whole input (missing path, truncated archive); not a record."""

    source: str
    message: str


ReadItem = InputRecord | UnreadableRecord | SourceProblem


def collection_format(path: Path) -> CollectionFormat | None:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(PAGE_SUFFIXES) or (name.endswith(".gz") and not name.endswith(".tar.gz")):
        return "page"
    return None


def find_input_files(paths: Iterable[str | Path]) -> Iterator[Path | SourceProblem]:
    """Expand ``paths``: files as given, folders walked recursively in sorted order (hidden entries skipped).

    Files come out as absolute paths, each once: record keys are built from them, so the same input
    named another way (``./crawl`` and ``/data/crawl``, or a folder and a file inside it) is the same input.
    """
    seen: set[Path] = set()

    def first_time(path: Path) -> bool:
        if path in seen:
            return False
        seen.add(path)
        return True

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield SourceProblem(str(path), "no such file or directory; check the path")
        elif path.is_dir():
            found = False
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unreadable.append):
                yield from _listing_problems(unreadable)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if not name.startswith(".") and collection_format(candidate):
                        found = True
                        if first_time(candidate.resolve()):
                            yield candidate.resolve()
            yield from _listing_problems(unreadable)
            if not found:
                yield SourceProblem(str(path), "no page, JSONL, Parquet or WARC files in this directory")
        elif collection_format(path) is None:
            yield SourceProblem(
                str(path),
                "unknown file type; expected .html/.htm/.txt (optionally .gz), .jsonl, .parquet or .warc(.gz)",
            )
        elif first_time(path.resolve()):
            yield path.resolve()


def _listing_problems(errors: list[OSError]) -> Iterator[SourceProblem]:
    while errors:
        error = errors.pop(0)
        yield SourceProblem(str(error.filename), f"cannot list this folder ({error.strerror or error})")


def read_collection(paths: Iterable[str | Path], *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    """Every record of every input, in a deterministic order."""
    for item in find_input_files(paths):
        if isinstance(item, SourceProblem):
            yield item
        else:
            yield from read_file_records(item, max_bytes=max_bytes)


def read_file_records(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    fmt = collection_format(path)
    try:
        if fmt == "warc":
            yield from read_warc(path, max_bytes=max_bytes)
        elif fmt == "jsonl":
            yield from read_jsonl(path, max_bytes=max_bytes)
        elif fmt == "parquet":
            yield from read_parquet(path, max_bytes=max_bytes)
        else:
            yield from read_page_file(path, max_bytes=max_bytes)
    except OSError as exc:
        yield SourceProblem(str(path), f"cannot read ({exc.strerror or exc}); check the file and its permissions")


def read_page_file(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    source = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        yield UnreadableRecord(source, source, "", "too-large", f"{size} bytes, over the {max_bytes}-byte limit")
        return
    yield InputRecord(key=source, source=source, locator="", content=path.read_bytes())


def _open_maybe_gzip(path: Path) -> io.BufferedIOBase:
    raw = path.open("rb")
    if raw.peek(2)[:2] == b"\x1f\x8b":  # type: ignore[attr-defined]
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw  # type: ignore[return-value]


# Field names accepted in JSONL and Parquet records, first match wins.
_URL_FIELDS = ("url", "uri", "target_uri")
_HTML_FIELDS = ("html", "content", "raw_html")
_TEXT_FIELDS = ("text", "dump")
_FETCHED_FIELDS = ("fetched_at", "crawl_date", "date", "timestamp")


def _record_from_mapping(row: dict, source: str, locator: str, max_bytes: int) -> InputRecord | UnreadableRecord:
    key = f"{source}#{locator}"
    url = next((str(row[f]) for f in _URL_FIELDS if row.get(f)), None)
    fetched = next((str(row[f]) for f in _FETCHED_FIELDS if row.get(f)), None)
    if isinstance(row.get("body"), list) and "schema_version" in row:
        # A newsmill export (JSONL or Parquet): the article is already extracted.
        return InputRecord(key, source, locator, json.dumps(row, default=str), url=url, fetched_at=fetched, is_article=True)
    kind: Kind | None = None
    content = next((row[f] for f in _HTML_FIELDS if row.get(f)), None)
    if content is not None:
        kind = "html"
    else:
        content = next((row[f] for f in _TEXT_FIELDS if row.get(f)), None)
        kind = "dump" if content is not None else None
    if content is None:
        return UnreadableRecord(key, source, locator, "no-payload", "record has no 'html' or 'text' field", url)
    if not isinstance(content, str | bytes):
        return UnreadableRecord(key, source, locator, "bad-record", f"payload is a {type(content).__name__}", url)
    if len(content) > max_bytes:
        return UnreadableRecord(key, source, locator, "too-large", f"{len(content)} characters", url)
    # A "text" field that holds markup is still HTML: the extract stage re-detects the kind from content
    # when no hint is given, so only trust the field name for "html".
    return InputRecord(key, source, locator, content, url=url, fetched_at=fetched, kind=kind if kind == "html" else None)


def read_jsonl(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    source = str(path)
    line_no = 0
    lines = _jsonl_lines(path, max_line=max_bytes * 2)
    try:
        for line_no, line in enumerate(lines, start=1):  # noqa: B007 - line_no is reported after the loop
            locator = f"line:{line_no}"
            key = f"{source}#{locator}"
            if line is None:
                yield UnreadableRecord(key, source, locator, "too-large", f"line over {max_bytes * 2} bytes")
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield UnreadableRecord(key, source, locator, "malformed-json", str(exc)[:200])
                continue
            if not isinstance(row, dict):
                yield UnreadableRecord(key, source, locator, "bad-record", "not a JSON object")
                continue
            yield _record_from_mapping(row, source, locator, max_bytes)
    except (EOFError, zlib.error) as exc:
        yield SourceProblem(
            source, f"compressed stream ends or breaks after line {line_no} ({exc}); later records are lost"
        )


#: Compressed bytes read at a time, and the most decompressed bytes produced from them in one step (so
#: that a gzip bomb costs time, not memory).
_READ_CHUNK = 1 << 16
_INFLATE_CHUNK = 1 << 20


def _jsonl_lines(path: Path, max_line: int) -> Iterator[bytes | None]:
    """The lines of a plain or gzipped file, without their newline; ``None`` for a line over ``max_line``.

    Decompresses incrementally (gzip.GzipFile loses every line of the buffer it was filling when the
    stream is cut short), so a truncated file gives all its complete lines before ``EOFError``. An
    incomplete last line of a truncated stream is not a record: it is dropped with the error.
    """
    buffer = bytearray()
    skipping = False  # inside a line that is already over max_line: drop bytes up to its newline
    for piece in _inflated_chunks(path):
        start = 0
        while True:
            newline = piece.find(b"\n", start)
            end = len(piece) if newline < 0 else newline
            if not skipping:
                buffer += piece[start:end]
                if len(buffer) > max_line:
                    buffer.clear()
                    skipping = True
                    yield None
            if newline < 0:
                break
            if not skipping:
                yield bytes(buffer)
            buffer.clear()
            skipping = False
            start = newline + 1
    if buffer and not skipping:
        yield bytes(buffer)


def _inflated_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        data = fh.read(_READ_CHUNK)
        if data[:2] != b"\x1f\x8b":
            while data:
                yield data
                data = fh.read(_READ_CHUNK)
            return
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        member_open = False  # the current gzip member has started and not yet ended
        while data:
            while data:
                member_open = True
                out = inflater.decompress(data, _INFLATE_CHUNK)
                if out:
                    yield out
                if inflater.eof:  # another gzip member may follow (concatenated .gz files)
                    data, member_open = inflater.unused_data, False
                    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                else:
                    data = inflater.unconsumed_tail
            data = fh.read(_READ_CHUNK)
        if member_open:
            raise EOFError("the compressed file ends before its end-of-stream marker")


def read_parquet(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    import pyarrow.parquet as pq

    source = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... for a file that is not Parquet
        yield SourceProblem(source, f"not a readable Parquet file ({exc})")
        return
    first_row = 0  # row numbers come from the metadata, so they stay the same when a row group is unreadable
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        row_no = first_row
        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group]):
                for row in batch.to_pylist():
                    row_no += 1
                    yield _record_from_mapping(row, source, f"row:{row_no}", max_bytes)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises OSError, ArrowInvalid... for damaged pages
            why = " ".join(str(exc).split())[:200]
            yield SourceProblem(
                source, f"row group {group} is damaged ({why}); rows {row_no + 1} to {first_row + group_rows} are lost"
            )
        first_row += group_rows


def read_warc(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[ReadItem]:
    """Response (and resource) records of a WARC, plain or gzipped per record, as Common Crawl writes them.

    Non-page payloads (images, PDFs...) become ``UnreadableRecord("not-a-page")`` so they are counted. A
    truncated last record is reported as truncated. After a corrupt stretch, reading resumes at the next
    record header (``WARC/1.x`` in a plain file, the next gzip member in a gzipped one) and the gap is
    reported as one ``SourceProblem``. fastwarc silently steps over garbage between plain records, so
    every record's start is checked against where the previous one ended.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    source = str(path)
    size = path.stat().st_size
    start = 0
    # (byte where unreadable data begins, why) while a corrupt stretch is being skipped.
    gap: tuple[int, str] | None = None
    with path.open("rb") as fh, path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
        while start < size:
            fh.seek(start)
            last_seen = start  # offset of the last record whose header was read
            expected: int | None = start  # where the next record should begin (None: unknown)
            try:
                records = ArchiveIterator(
                    fh, record_types=WarcRecordType.any_type, parse_http=False, max_header_len=MAX_WARC_HEADER_BYTES
                )
                for record in records:
                    offset = start + record.stream_pos
                    if gap is not None:
                        yield SourceProblem(source, _gap_message(*gap, offset))
                        gap = None
                    elif not gzipped and expected is not None and offset > expected and _has_data(probe, expected, offset):
                        yield SourceProblem(source, _gap_message(expected, "not a WARC record", offset))
                    last_seen = offset
                    if record.headers.get("Content-Length") is None:
                        # A mangled header: fastwarc reads it as a record of unknown type and no length.
                        yield SourceProblem(source, f"broken WARC record header at byte {offset}; the record is lost")
                        expected = None  # its bytes up to the next record are the problem just reported
                        continue
                    if record.record_type in (WarcRecordType.response, WarcRecordType.resource):
                        yield _warc_record(record, source, offset, max_bytes)
                    if not gzipped:
                        expected = _plain_record_end(probe, offset, record.content_length)
                if gap is not None:
                    yield SourceProblem(source, _gap_message(*gap, None))
                return
            except OSError as exc:
                if gap is None:
                    gap = (last_seen, str(exc))
                resume = _next_record_start(fh, last_seen + 1, size, gzipped)
                if resume is None:
                    yield SourceProblem(source, _gap_message(*gap, None))
                    return
                start = resume


def _gap_message(begin: int, why: str, resume: int | None) -> str:
    if resume is None:
        return f"archive is corrupt or truncated at or after byte {begin} ({why}); the rest of the file is unreadable"
    return (
        f"corrupt stretch at or after byte {begin} ({why}); skipped {resume - begin} bytes to the next readable "
        f"record at byte {resume}; records in between are lost"
    )


def _plain_record_end(probe: io.BufferedIOBase, offset: int, content_length: int) -> int:
    """Where a record of an uncompressed WARC ends: its header, its block and the CRLF CRLF after it."""
    probe.seek(offset)
    head_end = probe.read(MAX_WARC_HEADER_BYTES).find(b"\r\n\r\n")
    return offset + head_end + 4 + content_length + 4 if head_end >= 0 else offset + 1


def _has_data(probe: io.BufferedIOBase, begin: int, end: int) -> bool:
    """Whether anything but whitespace lies between two records (a lenient writer may add blank lines)."""
    probe.seek(begin)
    return bool(probe.read(min(end - begin, 4096)).strip())


def _next_record_start(fh: io.BufferedIOBase, after: int, size: int, gzipped: bool) -> int | None:
    marker = (b"\x1f\x8b\x08",) if gzipped else (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
    fh.seek(after)
    scanned = 0
    tail = b""
    while scanned < RESYNC_SCAN_BYTES and after + scanned < size:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        window = tail + chunk
        hits = [i for i in (window.find(m) for m in marker) if i >= 0]
        if hits:
            return after + scanned - len(tail) + min(hits)
        tail = window[-16:]
        scanned += len(chunk)
    return None


def _warc_record(record, source: str, offset: int, max_bytes: int) -> InputRecord | UnreadableRecord:  # noqa: ANN001
    locator = f"offset:{offset}"
    key = f"{source}#{locator}"
    headers = record.headers
    url = headers.get("WARC-Target-URI")
    fetched = headers.get("WARC-Date")
    declared = record.content_length
    if declared > max_bytes + MAX_WARC_HEADER_BYTES:
        return UnreadableRecord(key, source, locator, "too-large", f"{declared}-byte record", url)
    block = record.reader.read()
    if len(block) < declared:
        return UnreadableRecord(
            key, source, locator, "truncated", f"record declares {declared} bytes, only {len(block)} present", url
        )
    if not block.startswith(b"HTTP/"):  # a resource record, or a response without HTTP headers
        content_type, charset, payload = headers.get("Content-Type", ""), None, block
    else:
        head, sep, payload = block.partition(b"\r\n\r\n")
        if not sep:
            head, sep, payload = block.partition(b"\n\n")
        content_type, charset = _http_content_type(head)
        if _http_header(head, b"transfer-encoding").lower().endswith(b"chunked"):
            payload = _dechunked(payload)
        status = head.split(b"\r\n", 1)[0].split(b" ")
        if len(status) > 1 and status[1][:1] in (b"3", b"4", b"5"):
            return UnreadableRecord(key, source, locator, "http-status", status[1].decode("ascii", "replace"), url)
    if not payload.strip():
        return UnreadableRecord(key, source, locator, "no-payload", "response has an empty body", url)
    media = content_type.split(";", 1)[0].strip().lower()
    if media and not media.startswith(PAGE_CONTENT_TYPES):
        return UnreadableRecord(key, source, locator, "not-a-page", media, url)
    return InputRecord(key, source, locator, payload, url=url, fetched_at=fetched, charset=charset)


def _http_header(head: bytes, name: bytes) -> bytes:
    for line in head.split(b"\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return b""


def _dechunked(payload: bytes) -> bytes:
    """The body of a response stored with ``Transfer-Encoding: chunked`` (some crawlers keep it as sent).

    Best effort: a malformed chunk stops the decoding and keeps what was decoded, or the raw payload when
    not even the first chunk size can be read.
    """
    out = bytearray()
    pos = 0
    while True:
        line_end = payload.find(b"\n", pos)
        if line_end < 0:
            break
        size_text = payload[pos:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return bytes(out) if out else payload
        if size == 0:
            break
        start = line_end + 1
        out += payload[start : start + size]
        pos = start + size
        pos += 2 if payload[pos : pos + 2] == b"\r\n" else 1 if payload[pos : pos + 1] == b"\n" else 0
    return bytes(out) if out else payload


def _http_content_type(head: bytes) -> tuple[str, str | None]:
    content_type, charset = "", None
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            content_type = value.strip().decode("latin-1")
            for part in content_type.split(";")[1:]:
                k, _, v = part.partition("=")
                if k.strip().lower() == "charset" and v.strip():
                    charset = v.strip().strip("\"'")
    return content_type, charset
