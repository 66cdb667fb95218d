"""Relative dates resolved against the article's publication date.

"on Tuesday night" in an article published Wednesday 1 April 2020 is 2020-03-31: news uses a bare weekday
for the most recent such day before publication. A bare month is the latest such month not after the
publication month. Results are ISO 8601, at the precision the text gives ("2019-11", "2011").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DECADE_RE = re.compile(r"\b(1[89]\d0|20\d0)s\b")


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def resolve_date(text: str, published: date | None) -> str | None:
    """ISO date (or year-month, year, decade start) for a date phrase; None when it cannot be placed."""
    lowered = text.lower()
    words = re.findall(r"[a-z]+", lowered)
    year_match = _YEAR_RE.search(lowered)
    month = next((i + 1 for i, m in enumerate(_MONTHS) if m in words), None)
    day_match = re.search(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b", lowered)
    if year_match:
        year = int(year_match.group(1))
        if month and day_match and int(day_match.group(1)) <= 31 and day_match.group(1) != year_match.group(1):
            try:
                return date(year, month, int(day_match.group(1))).isoformat()
            except ValueError:
                pass
        return f"{year:04d}-{month:02d}" if month else f"{year:04d}"
    if decade := _DECADE_RE.search(lowered):
        return decade.group(1)
    if published is None:
        return None
    if "yesterday" in words:
        return (published - timedelta(days=1)).isoformat()
    if "today" in words or "tonight" in words or ("this" in words and ("morning" in words or "evening" in words)):
        return published.isoformat()
    if "tomorrow" in words:
        return (published + timedelta(days=1)).isoformat()
    for index, weekday in enumerate(_WEEKDAYS):
        if weekday in words:
            back = (published.weekday() - index) % 7 or 7  # a bare weekday is the last one before publication
            if "next" in words:
                return (published + timedelta(days=(index - published.weekday()) % 7 or 7)).isoformat()
            return (published - timedelta(days=back)).isoformat()
    if month:
        if day_match and 1 <= int(day_match.group(1)) <= 31:
            year = published.year if month <= published.month else published.year - 1
            try:
                return date(year, month, int(day_match.group(1))).isoformat()
            except ValueError:
                pass
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    if "last week" in lowered:
        return (published - timedelta(days=7)).isoformat()[:10]
    if "last year" in lowered:
        return f"{published.year - 1:04d}"
    return None
