"""Readers: decoding (BOM > declared charset > detection), kind detection, gzip, the dump date prefix."""

from __future__ import annotations

import codecs
import gzip
import random

import pytest

import newsmill
from newsmill.readers import decode_bytes, detect_kind, read_page
from newsmill.readers.decoding import DETECTION_WINDOW, MIXED_ENCODING, declared_charset
from newsmill.readers.sources import binary_kind, page_from_bytes

RUSSIAN = (
    "Городской совет утвердил новый бюджет на следующий год. Депутаты обсуждали расходы на транспорт, "
    "школы и больницы почти шесть часов, а затем проголосовали за проект большинством голосов.\n"
) * 3
FRENCH = (
    "Le conseil municipal a adopté mardi soir le budget de l'année prochaine. Les élus ont débattu pendant "
    "près de six heures des dépenses consacrées aux écoles, aux transports et à la rénovation des bâtiments.\n"
) * 3
GERMAN = "Grüße aus Köln: Straßenbahn fährt wieder – „endlich“, sagen Pendler.\n"


def _html(text: str, charset: str | None = None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return f"<!DOCTYPE html>\n<html><head>{meta}<title>Budget</title></head><body><article>{paragraphs}</article></body></html>\n"


# --- decoding order: BOM > declared charset > detection ----------------------------------------------
@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ],
)
def test_bom_beats_a_declared_charset(bom, codec, expected):
    html = _html(GERMAN, charset="windows-1252")
    text, encoding = decode_bytes(bom + html.encode(codec))
    assert encoding == expected
    assert GERMAN.strip() in text
    assert not text.startswith("\ufeff")


def test_declared_charset_beats_detection():
    # KOI8-R bytes are also valid cp1251 (and detection may well say so): the declaration decides.
    data = _html(RUSSIAN, charset="koi8-r").encode("koi8-r")
    text, encoding = decode_bytes(data)
    assert encoding == "koi8-r"
    assert RUSSIAN.splitlines()[0] in text


def test_charset_from_outside_the_document_counts_as_declared():
    text, encoding = decode_bytes(RUSSIAN.encode("cp1251"), declared="windows-1251")
    assert (text, encoding) == (RUSSIAN, "cp1251")


def test_latin1_label_means_windows_1252_as_in_browsers():
    data = _html("Prices rose 5 € – a “record”, said the café owner.", charset="ISO-8859-1").encode("cp1252")
    text, encoding = decode_bytes(data)
    assert encoding == "cp1252"
    assert "5 € – a “record”, said the café owner" in text


@pytest.mark.parametrize(("text", "codec"), [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (FRENCH, "cp1252")])
def test_detection_without_declaration(text, codec):
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding


def test_undeclared_utf8_is_utf8():
    assert decode_bytes(FRENCH.encode()) == (FRENCH, "utf-8")


def test_xml_declaration_is_a_declaration():
    data = '<?xml version="1.0" encoding="windows-1251"?>\n<html><body><p>Привет</p></body></html>'.encode(
        "cp1251"
    )
    assert declared_charset(data) == "cp1251"
    assert "Привет" in decode_bytes(data)[0]


def test_stale_declared_charset_loses_to_valid_utf8():
    data = _html(GERMAN, charset="iso-8859-1").encode("utf-8")
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert GERMAN.strip() in text


def test_utf8_cut_by_the_detection_window_is_still_utf8():
    # A multi-byte character straddling the end of the detection window must not count as invalid.
    head = _html("x", charset="windows-1252")
    filler = "a" * (DETECTION_WINDOW - len(head.encode()) - 1)
    data = (head + filler + "é and more: Grüße" * 10).encode("utf-8")
    assert data[DETECTION_WINDOW - 1 : DETECTION_WINDOW + 1] == "é".encode()
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert "é and more: Grüße" in text


def test_declared_single_byte_charset_that_really_fits_is_kept():
    text, encoding = decode_bytes(_html(FRENCH, charset="windows-1252").encode("cp1252"))
    assert encoding == "cp1252"
    assert FRENCH.splitlines()[0] in text


def test_mixed_utf8_and_cp1252_parts_both_decode():
    data = ("Zürich – „Grüße“ aus der Schweiz\n" * 2).encode() + "Ärger über Köln – “naïve” Preise\n".encode(
        "cp1252"
    )
    text, encoding = decode_bytes(data)
    assert encoding == MIXED_ENCODING
    assert "Zürich – „Grüße“ aus der Schweiz" in text
    assert "Ärger über Köln – “naïve” Preise" in text


def test_encoding_is_recorded_on_the_article(html_meta, html_jsonld, dump_plain):
    assert newsmill.extract(html_meta).encoding == "cp1252"  # the windows-1252 legacy demo page
    assert newsmill.extract(html_jsonld).encoding == "utf-8"
    assert newsmill.extract(dump_plain).encoding == "utf-8"
    assert newsmill.extract(_html(RUSSIAN, charset="koi8-r").encode("koi8-r")).encoding == "koi8-r"


def test_text_given_as_str_has_no_encoding():
    assert newsmill.extract(_html(FRENCH)).encoding is None


# --- binary sniffing ---------------------------------------------------------------------------------
def test_random_bytes_are_always_binary():
    rng = random.Random(42)
    assert all(binary_kind(rng.randbytes(size)) for size in (64, 300, 1024, 5000) for _ in range(100))


@pytest.mark.parametrize("text", [FRENCH, RUSSIAN, GERMAN + "\f\n\t\x1b$B"])
def test_text_is_never_binary(text):
    for codec in ("utf-8", "utf-16"):  # utf-16 gets a BOM from Python's codec
        assert binary_kind(text.encode(codec)) is None


# --- kind detection: content first, file name only to break ties ---------------------------------------
def test_html_saved_as_txt_is_html(tmp_path, html_jsonld):
    path = tmp_path / "page.txt"
    path.write_bytes(html_jsonld.read_bytes())
    assert read_page(path).kind == "html"
    assert newsmill.extract(path).source_kind == "html"


def test_dump_saved_as_html_is_a_dump(tmp_path, dump_plain):
    path = tmp_path / "page.html"
    path.write_bytes(dump_plain.read_bytes() + b"Reader comment: prices <3 higher than last year >:(\n")
    assert read_page(path).kind == "dump"
    assert newsmill.extract(path).source_kind == "dump"


def test_html_fragment_is_html():
    assert detect_kind("<p>One paragraph.</p>\n<p>Another one.</p>") == "html"


def test_few_tags_decide_only_with_an_html_name():
    text = "Site news\nThe <b>new</b> issue is out\n"
    assert detect_kind(text) == "dump"
    assert detect_kind(text, "page.html") == "html"
    assert detect_kind(text, "page.txt") == "dump"


def test_explicit_kind_wins(dump_plain, html_jsonld):
    assert read_page(html_jsonld, kind="dump").kind == "dump"
    assert read_page(dump_plain, kind="html").kind == "html"


# --- gzip --------------------------------------------------------------------------------------------
def test_gzip_file_is_unwrapped(html_gz):
    page = read_page(html_gz)
    assert page.kind == "html"
    assert "Storm Delia cuts power" in page.text


def test_gzip_is_detected_from_the_bytes_not_the_name(tmp_path, dump_dated):
    path = tmp_path / "dump-without-suffix"
    path.write_bytes(gzip.compress(dump_dated.read_bytes()))
    page = read_page(path)
    assert page.kind == "dump"
    assert page.crawl_date == "2021-03-03"


def test_concatenated_gzip_members_are_one_page():
    parts = [b"<html><body><p>first part</p>", b"<p>second part</p></body></html>"]
    page = page_from_bytes(b"".join(gzip.compress(p) for p in parts))
    assert "first part" in page.text and "second part" in page.text


# --- the dump date prefix ----------------------------------------------------------------------------
def test_date_prefix_becomes_crawl_date(dump_dated):
    page = read_page(dump_dated)
    assert page.crawl_date == "2021-03-03"
    article = newsmill.extract(dump_dated)
    assert article.crawl_date == "2021-03-03"
    assert not any(line.startswith("date 2021") for line in article.body)


def test_no_date_prefix_no_crawl_date(dump_plain):
    assert read_page(dump_plain).crawl_date is None
    assert newsmill.extract(dump_plain).crawl_date is None


def test_date_prefix_only_counts_on_the_first_line():
    page = newsmill.load_page("Home News Sport\ndate 2020-01-01 is when it all began\nMore text here\n")
    assert page.crawl_date is None


def test_date_prefix_is_not_read_in_html():
    page = newsmill.load_page(
        "date 2020-01-01 <html><head><title>x</title></head><body><p>y</p></body></html>"
    )
    assert page.kind == "html"
    assert page.crawl_date is None


# --- the API's source argument -------------------------------------------------------------------------
def test_str_source_is_content_unless_it_names_a_file(dump_plain):
    assert newsmill.load_page(str(dump_plain)).path == str(dump_plain)
    assert newsmill.load_page("Just one line of text.").text == "Just one line of text."


def test_real_sample_dump_from_shared(shared_dir):
    sample = shared_dir / "samples" / "jpost-2020-04-01-iran-iraq.txt"
    if not sample.exists():
        pytest.skip("the sample dump is absent from ../shared/samples")
    page = read_page(sample)
    assert page.kind == "dump"
    assert page.crawl_date == "2020-04-01"
    assert page.encoding == "utf-8"
