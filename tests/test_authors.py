"""Author names from bylines and metadata values (fictional people and outlets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmill.extraction.authors import (
    clean_author_names,
    looks_like_byline,
    looks_like_org,
    parse_byline,
    proper_case,
)

SAMPLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "samples"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("by: Jane Doe", ["Jane Doe"]),
        ("Von Hanna Beispiel", ["Hanna Beispiel"]),
        ("Par Élodie Exemple", ["Élodie Exemple"]),
        ("Written by Rob Sample\n    Edited by Betty Proof", ["Rob Sample"]),
        ("Jane Doe, Tom Roe and Ann Poe", ["Jane Doe", "Tom Roe", "Ann Poe"]),
        ("Jane Doe & Tom Roe", ["Jane Doe", "Tom Roe"]),
        ("Jane Doe; Tom Roe", ["Jane Doe", "Tom Roe"]),
        ("Jutta Muster und Jens Probe", ["Jutta Muster", "Jens Probe"]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("Jane Doe, Senior Political Correspondent", ["Jane Doe"]),
        ("Senior Correspondent Jane Doe", ["Jane Doe"]),
        ("Jane Doe for The Daily Example", ["Jane Doe"]),
        ("Jane Doe and Tom Roe | Reuters", ["Jane Doe", "Tom Roe"]),
        ("Jane Doe | CNN", ["Jane Doe"]),
        ("Jane Doe, Associated Press", ["Jane Doe"]),
        ("By The Associated Press", ["The Associated Press"]),
        ("Jane Doe (@janedoe)", ["Jane Doe"]),
        ("Jane Doe <jane.doe@example.org>", ["Jane Doe"]),
        ("Bert Sample (https://bert.example.org/)", ["Bert Sample"]),
        ("Brenda Sample, MA\n   Example Health News", ["Brenda Sample"]),
        ("Posted on September 21, 2020 by Adi Example", ["Adi Example"]),
        ("Veröffentlicht von Chris Muster", ["Chris Muster"]),
        ("Text und Interview: Harald Beispiel", ["Harald Beispiel"]),
        ("Joe S.", ["Joe S."]),
        ("zahlenfee", ["zahlenfee"]),
    ],
)
def test_clean_author_names(raw: str, names: list[str]) -> None:
    assert clean_author_names(raw) == names


def test_dates_and_times_glued_on_are_dropped() -> None:
    assert clean_author_names("By SETH Q. EXAMPLEMAN APRIL 1, 2020") == ["Seth Q. Exampleman"]
    assert clean_author_names("By Nora Sample\n   March 25, 2015") == ["Nora Sample"]
    assert clean_author_names("By GILL SAMPLE March 11, 2015 3:46 PM") == ["Gill Sample"]
    assert clean_author_names("Jane Doe, Donnerstag, 12. Januar 2022") == ["Jane Doe"]
    assert clean_author_names("Sara Muster Stand: 12.01.2022") == ["Sara Muster"]


def test_all_caps_names_get_proper_case() -> None:
    assert proper_case("SETH J. EXAMPLEMAN") == "Seth J. Exampleman"
    assert proper_case("MOHAMMED AL-EXAMPLI") == "Mohammed al-Exampli"
    assert proper_case("PATRICK MCEXAMPLE") == "Patrick McExample"
    assert proper_case("ANN MACDONALD") == "Ann MacDonald"
    assert proper_case("LUIS MACHADO") == "Luis Machado"  # Mac- only for Gaelic surnames
    assert proper_case("SADHBH O'EXAMPLE") == "Sadhbh O'Example"
    assert proper_case("JEAN-PAUL DE LA FONTAINE") == "Jean-Paul de la Fontaine"
    assert proper_case("PIETER VAN DER BEISPIEL") == "Pieter van der Beispiel"
    assert proper_case("MARTIN SAMPLE III") == "Martin Sample III"
    assert clean_author_names("JANE DOE, TOM ROE") == ["Jane Doe", "Tom Roe"]


def test_dedupe_keeps_order_and_accepts_lists() -> None:
    assert clean_author_names(["Jane Doe", "Tom Roe", "JANE DOE", "jane doe"]) == ["Jane Doe", "Tom Roe"]
    assert clean_author_names([]) == []
    assert clean_author_names(None) == []


def test_cms_placeholders_are_not_names() -> None:
    for raw in ("admin", "Follow Author", "View all posts", "Staff Writer", "By", "Posted"):
        assert clean_author_names(raw) == [], raw


def test_outlets_are_recognised() -> None:
    assert looks_like_org("Reuters")
    assert looks_like_org("The Example Times")
    assert looks_like_org("Example News Network")
    assert not looks_like_org("Jane Doe")


@pytest.mark.parametrize(
    "line",
    [
        "By SETH Q. EXAMPLEMAN",
        "By Jane Doe, Staff Writer",
        "Jane Doe and Tom Roe | Reuters",
        "Jane Doe, Senior Correspondent",
        "Von Hanna Beispiel",
        "by Jane Doe on April 1, 2020",
    ],
)
def test_bylines(line: str) -> None:
    assert looks_like_byline(line)
    assert parse_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "By subscribing I accept the terms of use",
        "Home | News | Sports | Opinion",
        "Jane Doe",  # a bare name is not claimed without context
        "Example Post editorial logo Example City By EXAMPLE EDITORIAL",
        "By the end of the year, prices had doubled across the region and beyond that, too much.",
    ],
)
def test_not_bylines(line: str) -> None:
    assert not looks_like_byline(line)
    assert parse_byline(line) == []


def test_parse_byline_without_strict_check() -> None:
    assert parse_byline("Jane Doe", strict=False) == ["Jane Doe"]


@pytest.mark.shared
def test_sample_dump_byline_line() -> None:
    """Line 9 of the hand-labelled sample dump is its byline (see ../shared/samples/README.md)."""
    import json

    dump = SAMPLES / "jpost-2020-04-01-iran-iraq.txt"
    gold_path = SAMPLES / "jpost-2020-04-01-iran-iraq.gold.json"
    if not dump.exists() or not gold_path.exists():
        pytest.skip("../shared/samples is not available")
    lines = dump.read_text(encoding="utf-8").splitlines()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    byline_lines = [i + 1 for i, line in enumerate(lines) if looks_like_byline(line)]
    assert gold["line_roles"]["byline"][0] in byline_lines
    assert parse_byline(lines[gold["line_roles"]["byline"][0] - 1]) == gold["authors"]
