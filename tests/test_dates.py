"""Dates as pages print them: ISO output keeps exactly the precision the text gives."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from newsmill.extraction.dates import (
    ParsedDate,
    find_dates,
    looks_like_dateline,
    month_first_for,
    parse_date_text,
    parse_machine_date,
)


def iso(text: str, **kw) -> str:
    """The ISO value of a string that must parse."""
    parsed = parse_date_text(text, **kw)
    assert parsed is not None, text
    return parsed.iso


def machine_iso(value: str) -> str:
    found = parse_machine_date(value)
    assert found is not None, value
    return found.iso


def parsed(text: str, **kw) -> ParsedDate:
    found = parse_date_text(text, **kw)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("APRIL 1, 2020 16:37", "2020-04-01T16:37"),
        ("Updated: March 3, 2021 at 5:00 p.m. ET", "2021-03-03T17:00-05:00"),
        ("Published 10:32 AM EST, Tue March 3, 2020", "2020-03-03T10:32-05:00"),
        ("2020-04-01T16:37:00+03:00", "2020-04-01T16:37:00+03:00"),
        ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
        ("2019-10-19T19:08:22Z", "2019-10-19T19:08:22+00:00"),
        ("1 April 2020", "2020-04-01"),
        ("Apr. 1st, 2020", "2020-04-01"),
        ("Tue, 03 Mar 2020 10:32:00 GMT", "2020-03-03T10:32:00+00:00"),
        ("19. Oktober 2019, 19:08 Uhr", "2019-10-19T19:08"),
        ("1er avril 2020 à 16h37", "2020-04-01T16:37"),
        ("1 de abril de 2020", "2020-04-01"),
        ("2020年4月1日 16:37", "2020-04-01T16:37"),
        ("01.04.2020", "2020-04-01"),
        ("13/01/2020", "2020-01-13"),
        ("Jan. 5th, 2020 at 9am PT", "2020-01-05T09:00-08:00"),
        ("March 3, 2020 · 16:37 CET", "2020-03-03T16:37+01:00"),
    ],
)
def test_parse_date_text(text: str, expected: str) -> None:
    parsed = parse_date_text(text)
    assert parsed is not None
    assert parsed.iso == expected


def test_time_and_zone_are_never_invented() -> None:
    parsed = parse_date_text("Published April 1, 2020")
    assert parsed is not None
    assert (parsed.iso, parsed.has_time, parsed.has_tz) == ("2020-04-01", False, False)
    # a zone name with no time of day carries nothing
    assert iso("April 1, 2020 ET") == "2020-04-01"


def test_generic_us_zones_follow_daylight_saving() -> None:
    assert iso("July 4, 2021 12:00 a.m. ET") == "2021-07-04T00:00-04:00"
    assert iso("January 4, 2021 12:00 p.m. ET") == "2021-01-04T12:00-05:00"
    assert iso("July 4, 2021 8:15 PT") == "2021-07-04T08:15-07:00"
    # EST is a fixed offset even in summer
    assert iso("July 4, 2021 9:00 EST") == "2021-07-04T09:00-05:00"


def test_french_et_is_not_eastern_time() -> None:
    parsed = parse_date_text("le 3 mars 2021 à 17h00 et mis à jour plus tard")
    assert parsed is not None and parsed.iso == "2021-03-03T17:00"


def test_ambiguous_numeric_dates_need_a_convention() -> None:
    assert parse_date_text("04/01/2020") is None
    assert iso("04/01/2020", month_first=True) == "2020-04-01"
    assert iso("04/01/2020", month_first=False) == "2020-01-04"
    assert month_first_for("https://www.example-gazette.com/x", "en-US") is True
    assert month_first_for("https://news.example.co.uk/x", "en-GB") is False
    assert month_first_for(None, None) is None


def test_published_and_updated_are_told_apart() -> None:
    found = find_dates("April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm")
    assert [(d.iso, d.kind) for d in found] == [
        ("2019-04-28T06:01", "published"),
        ("2019-04-29T15:33", "updated"),
    ]
    assert parsed("Updated 5:03 PM ET, Sun March 1, 2020").kind == "updated"
    assert parsed("Zuletzt aktualisiert: 12.01.2022").kind == "updated"


def test_relative_dates_need_a_reference() -> None:
    assert parse_date_text("Posted 3 hours ago") is None
    parsed = parse_date_text("Posted 3 hours ago", reference=datetime(2020, 4, 1, 2, 0))
    assert parsed is not None and (parsed.iso, parsed.has_time) == ("2020-03-31", False)
    assert iso("vor 2 Tagen", reference=date(2020, 4, 3)) == "2020-04-01"
    assert iso("yesterday", reference=date(2020, 4, 2)) == "2020-04-01"


def test_invalid_dates_are_refused() -> None:
    assert parse_date_text("February 30, 2020") is None
    assert parse_date_text("2020-13-01") is None
    assert parse_date_text("The invasion of France in April 1940") is None
    assert parse_date_text("") is None


def test_machine_values() -> None:
    assert machine_iso("20200401") == "2020-04-01"
    assert machine_iso("20200401163700") == "2020-04-01T16:37:00"
    assert machine_iso("1585748220") == "2020-04-01T13:37:00+00:00"
    assert machine_iso("1585748220000") == "2020-04-01T13:37:00+00:00"
    assert machine_iso("2017-11-03 03:01:00.000000") == "2017-11-03T03:01:00"
    assert parse_machine_date("not a date") is None
    assert parse_machine_date("March 2020") is None  # no day printed: none is made up
    assert machine_iso("Tue Mar 03 2020 10:00:00 GMT+0100 (CET)") == "2020-03-03T10:00:00+01:00"
    assert machine_iso("3rd of March 2020 10:00 CEST") == "2020-03-03T10:00+02:00"
    # dateutil must not guess what parse_date_text refuses
    assert parse_machine_date("04/01/2020 10:00") is None


@pytest.mark.parametrize(
    "line",
    [
        "APRIL 1, 2020 16:37",
        "Updated 5:03 PM ET, Sun March 1, 2020",
        "Published: 1 April 2020 | 3 min read",
        "Posted 3 hours ago",
        "19.10.2019, 19:08 Uhr",
        "Hamburg, 2. November 2021",
    ],
)
def test_datelines(line: str) -> None:
    assert looks_like_dateline(line)


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe | April 1, 2020",
        "The ceasefire signed on April 1, 2020 collapsed within a week, officials said.",
        "Tags Iran Iraq War",
        "",
        "Subscribe for our daily newsletter",
    ],
)
def test_not_datelines(line: str) -> None:
    assert not looks_like_dateline(line)


def test_long_input_is_capped_and_fast() -> None:
    hostile = ("1" * 50 + " 12:30 " + "-" * 50) * 2000 + " April 1, 2020"
    start = time.perf_counter()
    assert parse_date_text(hostile) is None  # the date lies beyond the cap
    assert not looks_like_dateline(hostile)
    assert time.perf_counter() - start < 0.5
