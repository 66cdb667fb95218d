"""Hostile and broken inputs, through the API (`newsmill.extract`) and the CLI.

Each must give a clear `newsmill.errors` exception (API), one `newsmill: PATH: message` line (CLI), or
an Article with `empty_reason` set: never a traceback, a hang, or mojibake.
"""

from __future__ import annotations

import gzip
import random
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import newsmill
from newsmill.errors import BinaryInputError, EmptyInputError, InputError, InputTooLargeError
from newsmill.readers.sources import MAX_PAGE_BYTES

#: Every test here must finish well inside this (the brief: each bad-input test under 2 s).
FAST_SECONDS = 2.0

PARAGRAPHS = [
    "The harbour board met on Tuesday night to decide the future of the old fish market, which has stood "
    "empty since the last trawler company moved its landings to the new quay in 2019.",
    "Board members heard from traders, residents and two developers, one of whom wants to turn the building "
    "into a food hall while the other plans flats above a smaller market on the ground floor.",
    "The chair said the board would publish both proposals in full next week and take written comments for "
    "a month before it votes, because the decision will shape the waterfront for decades.",
    "Traders asked for a guarantee that any new market would keep rents at their current level for at least "
    "five years, and the board agreed to put that condition to both developers.",
]


def _article_html(
    paragraphs: list[str], *, head: str = "", title: str = "Harbour board weighs fish market plans"
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}<title>{title}</title></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By Ada Quinn</p>{body}</article>"
        f"<footer>© 2024 Example Harbour News</footer></body></html>"
    )


def _png() -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    pixels = zlib.compress(b"".join(b"\x00" + bytes([x * 7 % 256, 90, 200]) * 32 for x in range(32)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _nested_html(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "<p>deep</p>" + "</div>" * depth + "</body></html>"


def _timed(func: Callable[[], object]) -> object:
    start = time.monotonic()
    try:
        return func()
    finally:
        assert time.monotonic() - start < FAST_SECONDS


# --- inputs that must be refused, with the error each must raise ----------------------------------------
def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _sparse(tmp_path: Path, name: str, size: int) -> Path:
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.truncate(size)  # sparse: instant, and takes no disk space
    return path


REFUSED: dict[str, tuple[Callable[[Path], Path], type[InputError], str]] = {
    "empty file": (lambda d: _write(d, "empty.html", b""), EmptyInputError, "empty"),
    "whitespace only": (lambda d: _write(d, "blank.txt", b" \n\t\r\n  \n"), EmptyInputError, "empty"),
    "png bytes": (lambda d: _write(d, "photo.html", _png()), BinaryInputError, "PNG image"),
    "random bytes": (
        lambda d: _write(d, "noise.txt", random.Random(7).randbytes(20_000)),
        BinaryInputError,
        "binary",
    ),
    "200 MB page": (lambda d: _sparse(d, "huge.html", 200 * 1024 * 1024), InputTooLargeError, "limit"),
    "200 MB gzip": (lambda d: _sparse(d, "huge.html.gz", 200 * 1024 * 1024), InputTooLargeError, "limit"),
    "corrupt gzip": (
        lambda d: _write(
            d, "corrupt.html.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xde\xad\xbe\xef" * 50
        ),
        InputError,
        "corrupt gzip",
    ),
    "truncated gzip": (
        lambda d: _write(d, "cut.html.gz", gzip.compress(_article_html(PARAGRAPHS).encode())[:300]),
        InputError,
        "truncated gzip",
    ),
    "missing path": (lambda d: d / "does-not-exist.html", InputError, "no such file"),
    "directory": (lambda d: d, InputError, "directory"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_api_refuses_with_a_clear_error(tmp_path, case):
    make, error, words = REFUSED[case]
    path = make(tmp_path)
    with pytest.raises(error, match=words):
        _timed(lambda: newsmill.extract(path))
    # A string path behaves like a Path (a missing one included: it must not become page content).
    with pytest.raises(error, match=words):
        _timed(lambda: newsmill.extract(str(path)))


@pytest.mark.parametrize("case", [c for c in REFUSED if c != "directory"])
def test_cli_reports_one_line_and_goes_on(tmp_path, run_cli, dump_plain, case):
    make, _, words = REFUSED[case]
    bad = make(tmp_path)
    result = _timed(lambda: run_cli("extract", bad, dump_plain, "--format", "jsonl", "--workers", "1"))
    assert result.code == 1
    assert len(result.jsonl()) == 1  # the good page after the bad one still came out
    bad_lines = [ln for ln in result.err.splitlines() if str(bad) in ln]
    assert len(bad_lines) == 1 and bad_lines[0].startswith(f"newsmill: {bad}: ")
    assert words.lower() in bad_lines[0].lower()
    assert bad_lines[0].count(str(bad)) == 1  # the path is not repeated inside the message
    assert "Traceback" not in result.err


def test_empty_directory_through_the_cli(tmp_path, run_cli):
    result = run_cli("extract", tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.err


def test_gzip_bomb_is_stopped_at_the_limit():
    # 51 MB of spaces compress to ~50 KB; decompression must stop at the limit, not inflate it all.
    data = gzip.compress(b" " * (MAX_PAGE_BYTES + 1024 * 1024), compresslevel=1, mtime=0)
    with pytest.raises(InputTooLargeError):
        _timed(lambda: newsmill.extract(data))


def test_binary_bytes_given_directly_to_the_api():
    with pytest.raises(BinaryInputError):
        newsmill.extract(_png())
    with pytest.raises(EmptyInputError):
        newsmill.extract(b"")
    with pytest.raises(EmptyInputError):
        newsmill.extract("   \n ")


# --- inputs that must come back as an Article (possibly empty, with the reason) ---------------------------
def _article_or_clear_error(source: str | bytes | Path) -> newsmill.Article | None:
    """The API contract for pathological pages: an Article, or an InputError; nothing else."""
    try:
        article = _timed(lambda: newsmill.extract(source))
    except InputError as exc:
        assert str(exc)
        return None
    assert isinstance(article, newsmill.Article)
    assert article.body or article.empty_reason
    return article


def test_html_nested_100000_deep_does_not_crash_or_hang(tmp_path, run_cli):
    page = _nested_html(100_000)
    _article_or_clear_error(page)
    path = _write(tmp_path, "deep.html", page.encode())
    result = _timed(lambda: run_cli("extract", path, "--format", "jsonl"))
    assert result.code in (0, 1)
    assert "Traceback" not in result.err
    if result.code == 1:
        assert result.err.startswith(f"newsmill: {path}: ")
    else:
        article = result.jsonl()[0]
        assert article["body"] or article["empty_reason"]


def test_html_nested_deep_inside_a_real_article(tmp_path):
    deep = "<div>" * 50_000 + "<span>tail</span>" + "</div>" * 50_000
    page = _article_html(PARAGRAPHS).replace("</article>", deep + "</article>")
    _article_or_clear_error(page)


def test_invalid_utf8_keeps_the_valid_text(tmp_path, run_cli):
    html = _article_html([*PARAGRAPHS, "Visitors from Zürich and Kraków praised the café’s crème brûlée."])
    data = (
        html.encode("utf-8")
        .replace(b"fish market", b"fish \xff\xfe market", 1)
        .replace(b"</footer>", b"\xc3</footer>")
    )
    article = _article_or_clear_error(data)
    assert article is not None
    assert "Zürich and Kraków praised the café’s crème brûlée" in article.text()
    path = _write(tmp_path, "invalid-utf8.html", data)
    result = run_cli("extract", path)
    assert result.code == 0 and "Traceback" not in result.err


def test_mixed_encodings_decode_both_parts(tmp_path):
    utf8_part = _article_html(PARAGRAPHS[:2] + ["Ein Café in Zürich – „Grüße“ an die Straße"]).split(
        "</article>"
    )[0]
    cp1252_part = (
        "\n<p>Déjà vu: Ärger über Preise – naïve “Straßenhändler” in Köln.</p>\n</article></body></html>"
    )
    data = utf8_part.encode("utf-8") + cp1252_part.encode("cp1252")
    page = newsmill.load_page(data)
    assert "Ein Café in Zürich – „Grüße“ an die Straße" in page.text
    assert "Déjà vu: Ärger über Preise – naïve “Straßenhändler” in Köln." in page.text
    article = _article_or_clear_error(data)
    assert article is not None
    assert article.encoding == "utf-8+cp1252"
    text = article.text()
    assert "Zürich – „Grüße“" in text and "Ärger über Preise – naïve “Straßenhändler”" in text


def test_mixed_encodings_under_a_stale_single_byte_declaration():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    utf8_part = _article_html(PARAGRAPHS[:2] + ["Grüße aus Zürich – schön"], head=head).split("</article>")[0]
    data = utf8_part.encode("utf-8") + "\n<p>Ärger über Köln</p></article></body></html>".encode("cp1252")
    page = newsmill.load_page(data)
    assert "Grüße aus Zürich – schön" in page.text
    assert "Ärger über Köln" in page.text


def test_dump_without_article_gives_an_empty_article(tmp_path, run_cli):
    dump = (
        " date 2023-01-09 Example Daily - Home News Sport Business Opinion Culture Weather\n"
        "Jobs Real Estate Obituaries Puzzles Newsletters\n"
        "Subscribe for our daily newsletter\n"
        "Subscribe for our daily newsletter\n"
        "Most Read\n"
        "Information\nAbout Us\nContact Us\nAdvertise with Us\nTerms Of Service\nPrivacy Policy\n"
        "Promo Content\nPromo Content\n"
        "All rights reserved © Example Daily 2023\n"
    )
    article = newsmill.extract(dump)
    assert article.body == []
    assert article.empty_reason
    assert article.source_kind == "dump"
    assert article.crawl_date == "2023-01-09"
    path = _write(tmp_path, "nav-only.txt", dump.encode())
    result = run_cli("extract", path)
    assert result.code == 0
    assert result.json()["empty_reason"]
    assert "warning" in result.err and "Traceback" not in result.err


def test_html_without_article_gives_an_empty_article():
    page = "<html><head><title>Example News</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav><footer>© Example</footer></body></html>"
    article = _article_or_clear_error(page)
    if article is not None:
        assert not article.body
        assert article.empty_reason


def test_malformed_markup_still_gives_the_article(tmp_path, run_cli):
    paragraphs = "".join(
        f"<p>{p}\n<div class=x><b>unclosed " if i % 2 else f"<p>{p}</div></div></span>\n"
        for i, p in enumerate(PARAGRAPHS)
    )
    page = (
        "<html><head><title>Harbour board weighs fish market plans</title></head><body></div></div>"
        "<div id=main><h1>Harbour board weighs fish market plans<h1>"
        f"<article><table><tr><td>{paragraphs}</article></p></p></body></html></html>"
    )
    article = _article_or_clear_error(page)
    assert article is not None and article.body
    text = article.text()
    for p in PARAGRAPHS:
        assert p[:60] in text
    path = _write(tmp_path, "malformed.html", page.encode())
    result = run_cli("extract", path)
    assert result.code == 0 and "Traceback" not in result.err


def test_html_of_only_comments_and_doctype():
    _article_or_clear_error("<!DOCTYPE html><!-- nothing here --><!-- at all -->")


def test_nul_bytes_inside_a_text_page():
    data = _article_html(PARAGRAPHS).encode().replace(b"<footer>", b"<footer>\x00\x00")
    _article_or_clear_error(data)
