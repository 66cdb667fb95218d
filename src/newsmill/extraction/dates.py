"""Dates and times as pages print them: one string in, an ISO 8601 value out; dateline detection.

Serves the HTML metadata extractor (meta values, ``<time>`` text, byline boxes) and the dump
extractor (lines such as ``APRIL 1, 2020 16:37``). The output keeps exactly what the text says:
a time of day only when one is printed, a zone only when one is printed next to that time. Nothing
here reads the clock; relative dates ("3 hours ago") resolve only against a caller's reference.

Speed and safety: every input is cut to ``MAX_INPUT_CHARS``, all patterns are linear (no nested
quantifiers), and ``dateutil`` is only tried on short machine values that the patterns did not
understand. This module must never do I/O.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["published", "updated"]

#: Longest input looked at. Datelines and meta values are under 100 characters; 400 leaves room for a
#: "Published ... | Updated ..." box while bounding the work on a pasted paragraph.
MAX_INPUT_CHARS = 400
#: Plausible years for a news page (archives reach back a century; 2100 stops typos such as 2202).
MIN_YEAR = 1900
MAX_YEAR = 2100
#: How far (characters) a time may sit from its date: covers ", at ", " | ", ", Tue " and a zone name.
MAX_TIME_GAP = 12
#: How far back (characters) before a date an "Updated"/"Published" keyword still applies to it.
KIND_LOOKBACK = 40
#: A dateline may carry a few other letters ("3 min read", "Stand:"), not a sentence; chosen on the
#: example dump in ../shared/samples and hand-written variants in tests/test_dates.py.
MAX_DATELINE_CHARS = 100
MAX_DATELINE_RESIDUE_LETTERS = 8
#: Machine values (meta content, datetime attributes) handed to dateutil are at most this long.
MAX_DATEUTIL_CHARS = 64

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch, Polish and Russian (genitive).
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "janeiro",
        "januari", "stycznia", "января"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio",
        "fevereiro", "februari", "lutego", "февраля"),
    3: ("march", "mar", "märz", "maerz", "mrz", "mars", "marzo", "março", "marco", "maart", "marca",
        "марта"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "апреля"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "maja", "мая"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho", "czerwca", "июня"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho", "lipca", "июля"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "августа"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "setembro",
        "września", "wrzesnia", "сентября"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro", "out",
         "października", "pazdziernika", "октября"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopada", "ноября"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dicembre", "dezembro", "grudnia", "декабря"),
}
MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

# Weekday names and filler words that may surround a date on a dateline without making it prose.
_DATELINE_FILLER = frozenset(
    """
    mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday
    montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so
    lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo
    lunedì martedì mercoledì giovedì venerdì sabato domenica
    published posted updated update last modified first on at date time stand uhr am um le à de del el
    the of a las los publié publiée mis mise jour veröffentlicht aktualisiert zuletzt erstellt publicado
    actualizado pubblicato aggiornato gepubliceerd bijgewerkt ago hours hour minutes minute mins min days
    day read edt est et pt pst pdt ct cst cdt gmt utc bst cet cest mez mesz
    """.split()
)

_NUM_DAY = r"(?P<d>[0-3]?\d)"
_NUM_YEAR = r"(?P<y>\d{4})"
_MONTH = rf"(?P<mon>{_MONTH_ALT})"
# Each pattern names its groups y/m(or mon)/d. Order does not matter: overlaps are resolved by span.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2020-04-01, 2020/04/01, 2020.04.01, 2020. 4. 1.
    ("ymd", re.compile(r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])\s?(?P<m>[01]?\d)(?P=sep)\s?(?P<d>[0-3]?\d)(?!\d)")),
    # April 1, 2020 / Apr. 1st 2020 / APRIL 1, 2020
    ("mdy", re.compile(rf"\b{_MONTH}\.?\s{{0,3}}{_NUM_DAY}(?:st|nd|rd|th)?\.?,?\s{{0,3}}{_NUM_YEAR}(?!\d)", re.I)),
    # 1 April 2020 / 1. April 2020 / 1er avril 2020 / 1 de abril de 2020 / 01 Apr 2020
    (
        "dmy",
        re.compile(
            rf"(?<![\d.]){_NUM_DAY}(?:st|nd|rd|th|er|º|\.)?\s{{0,3}}(?:de\s+)?{_MONTH}\b\.?,?\s{{0,3}}"
            rf"(?:de\s+|del\s+)?{_NUM_YEAR}(?!\d)",
            re.I,
        ),
    ),
    # 2020年4月1日 (Chinese, Japanese)
    ("cjk", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日?")),
    # 01.04.2020 (day first everywhere dots are used), 04/01/2020 and 04-01-2020 (ambiguous)
    ("num", re.compile(r"(?<![\d./-])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d.]\d)")),
)

_TIME_RE = re.compile(
    r"""
    (?<![\d:.])
    (?P<h>[01]?\d|2[0-3])
    (?:
        :(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d)(?:[.,]\d{1,9})?)?   # 16:37, 16:37:05, 16:37:05.123
      | h(?P<m2>[0-5]\d)                                    # 16h37 (French)
      | \.(?P<m3>[0-5]\d)(?=\s*Uhr)                          # 16.37 Uhr (German)
      | (?=\s?[aApP]\.?\s?[mM](?:\.|\b))                     # 5 pm
    )
    (?!\d)
    (?:\s?(?P<ampm>[aApP])\.?\s?[mM](?:\.|\b))?
    (?:\s*Uhr\b)?
    """,
    re.X,
)
# Zones: numeric offsets, "UTC+2", or an upper-case abbreviation (case-sensitive: French "et" is "and").
_ZONE_RE = re.compile(
    r"""
    (?:Z\b|(?P<zsp>\s?\(?\s?)
      (?:
        (?:(?:UTC|GMT)\s?)?(?P<off>[+-]\s?\d{1,2}(?::?\d{2})?)(?![\d:])
      | (?P<abbr>[A-Z]{2,5})\b\)?
      )
    )
    """,
    re.X,
)
# Zones with a fixed offset in minutes. BST is British Summer Time (not Bangladesh); IST is left out
# because India, Ireland and Israel all use it.
FIXED_ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "MEZ": 60,
    "MESZ": 120, "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
    "HST": -600, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660, "ACST": 570,
    "AWST": 480, "NZST": 720, "NZDT": 780,
}
# Zones whose offset depends on the date (daylight saving): resolved with the IANA database.
GENERIC_ZONES: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}

_UPDATED_RE = re.compile(
    r"\b(?:updated?|modified|revised|aktualisiert|geändert|mis\s+à\s+jour|mise\s+à\s+jour|actualizad[oa]|"
    r"aggiornat[oa]|bijgewerkt|atualizad[oa]|zaktualizowano|обновлено)\b",
    re.I,
)
_PUBLISHED_RE = re.compile(
    r"\b(?:published|posted|publié|publiée|veröffentlicht|erschienen|publicad[oa]|pubblicat[oa]|"
    r"gepubliceerd|opublikowano|опубликовано)\b",
    re.I,
)
_RELATIVE_RE = re.compile(
    r"""
    (?P<n>\d{1,3}|an?|one)\s+(?P<unit>min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)\s+ago\b
  | \bvor\s+(?P<n_de>\d{1,3}|einer?|einem)\s+(?P<unit_de>Minuten?|Stunden?|Tag(?:en)?|Wochen?)\b
  | \bil\s+y\s+a\s+(?P<n_fr>\d{1,3}|une?)\s+(?P<unit_fr>minutes?|heures?|jours?|semaines?)\b
  | \bhace\s+(?P<n_es>\d{1,3}|una?)\s+(?P<unit_es>minutos?|horas?|días?|dias?|semanas?)\b
  | \b(?P<word>yesterday|today|gestern|heute|ayer|hoy)\b
    """,
    re.X | re.I,
)
_BYLINE_START_RE = re.compile(r"^\s*(?:by|von|par|por|door|di)\b", re.I)
_MACHINE_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z)?$")
_EPOCH_RE = re.compile(r"^\d{10}(?:\d{3})?$")
_HAS_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DIGIT_RE = re.compile(r"\d")
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
_HAS_TIME_RE = re.compile(r"\d:\d\d")
# parse_date_text refuses 04/01/2020-style dates on purpose; dateutil must not guess them either.
_AMBIGUOUS_NUMERIC_RE = re.compile(r"(?<!\d)\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?!\d)")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """One date found in a string. ``iso`` is ``YYYY-MM-DD[THH:MM[:SS][±HH:MM]]``."""

    iso: str
    kind: Kind
    has_time: bool
    has_tz: bool
    #: (start, end) of the whole expression (date, time and zone) in the (capped) input
    span: tuple[int, int]

    @property
    def day(self) -> str:
        return self.iso[:10]


@dataclass(slots=True)
class _DateHit:
    start: int
    end: int
    day: date


@dataclass(slots=True)
class _TimeHit:
    start: int
    end: int
    hour: int
    minute: int
    second: int | None
    #: minutes east of UTC, or a generic zone name to resolve with the date
    zone: int | str | None


# --- public API ---------------------------------------------------------------------------------------


def parse_date_text(
    text: str,
    *,
    reference: date | datetime | None = None,
    month_first: bool | None = None,
) -> ParsedDate | None:
    """The first date in ``text`` (with its time and zone when printed beside it), or None.

    ``month_first`` settles numeric dates such as 04/01/2020 where both parts could be the month:
    True reads month first (US sites), False day first, None refuses them. Relative dates ("3 hours
    ago", "yesterday") need ``reference`` and yield a day only, since the hour would be a guess.
    """
    for found in find_dates(text, reference=reference, month_first=month_first):
        return found
    return None


def find_dates(
    text: str,
    *,
    reference: date | datetime | None = None,
    month_first: bool | None = None,
) -> list[ParsedDate]:
    """Every date in ``text`` in reading order, e.g. both halves of "Published X | Updated Y"."""
    text = text[:MAX_INPUT_CHARS]
    # Every absolute date has a digit: one cheap scan spares the date patterns on most prose lines.
    hits = _date_hits(text, month_first) if _DIGIT_RE.search(text) else []
    out: list[ParsedDate] = []
    used: list[tuple[int, int]] = []
    prev_end = 0
    for i, hit in enumerate(hits):
        next_start = hits[i + 1].start if i + 1 < len(hits) else len(text)
        time_hit = _time_near(text, hit, lo=prev_end, hi=next_start, used=used)
        start, end = hit.start, hit.end
        if time_hit is not None:
            used.append((time_hit.start, time_hit.end))
            start, end = min(start, time_hit.start), max(end, time_hit.end)
        kind = _kind_before(text, max(prev_end, start - KIND_LOOKBACK), start)
        out.append(_build(hit.day, time_hit, kind, (start, end)))
        prev_end = end
    if not out and reference is not None:
        rel = _relative(text, reference)
        if rel is not None:
            out.append(rel)
    return out


def parse_machine_date(value: str) -> ParsedDate | None:
    """A date from a machine-written value: meta content, ``datetime`` attribute, JSON-LD.

    Accepts everything ``parse_date_text`` does plus compact (20200401, 20200401163700) and Unix
    epoch (seconds or milliseconds) forms, and as a last resort dateutil on short values that carry a
    four-digit year. Numeric d/m/y stays refused when ambiguous.
    """
    value = value.strip()[:MAX_INPUT_CHARS]
    if not value:
        return None
    compact = _MACHINE_COMPACT_RE.match(value)
    if compact:
        return _from_compact(compact)
    if _EPOCH_RE.match(value):
        return _from_epoch(value)
    found = parse_date_text(value)
    if found is not None:
        return found
    return _dateutil_fallback(value)


def looks_like_dateline(line: str) -> bool:
    """True when a line is mostly a date: "APRIL 1, 2020 16:37", "Updated 5:03 PM ET, Sun March 1, 2020".

    Relative stamps ("Posted 3 hours ago") count too, since they play the same role on the page. A
    byline with a date ("By Jane Doe | April 1, 2020") is a byline, not a dateline.
    """
    line = line.strip()
    if not line or len(line) > MAX_DATELINE_CHARS or _BYLINE_START_RE.match(line):
        return False
    spans = [p.span for p in find_dates(line, month_first=True)]
    spans += [m.span() for m in _RELATIVE_RE.finditer(line)]
    if not spans:
        return False
    rest = _cut_spans(line, spans)
    residue = sum(len(w) for w in re.findall(r"[^\W\d_]+", rest) if w.casefold() not in _DATELINE_FILLER)
    return residue <= MAX_DATELINE_RESIDUE_LETTERS


def month_first_for(url: str | None = None, language: str | None = None) -> bool | None:
    """Whether ambiguous numeric dates on this page read month first (US convention).

    Only a US locale ("en-US") or a .us / .gov / .mil host says so; other English pages (UK, India,
    Australia) read day first; anything else stays undecided.
    """
    lang = (language or "").replace("_", "-").lower()
    if lang == "en-us":
        return True
    host = _host(url)
    if host.endswith((".us", ".gov", ".mil")):
        return True
    if lang.startswith("en-") or lang[:2] in {"de", "fr", "es", "it", "pt", "nl", "pl", "ru"}:
        return False
    return None


# --- helpers ------------------------------------------------------------------------------------------


def _host(url: str | None) -> str:
    if not url:
        return ""
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", url.strip(), re.I)
    return m.group(1).lower() if m else ""


def _date_hits(text: str, month_first: bool | None) -> list[_DateHit]:
    """All date expressions, overlapping ones resolved in favour of the longer match."""
    raw: list[_DateHit] = []
    for name, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            day = _match_to_date(name, m, month_first)
            if day is not None:
                raw.append(_DateHit(m.start(), m.end(), day))
    raw.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_DateHit] = []
    for hit in raw:
        if kept and hit.start < kept[-1].end:
            if hit.end - hit.start > kept[-1].end - kept[-1].start:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def _match_to_date(name: str, m: re.Match[str], month_first: bool | None) -> date | None:
    g = m.groupdict()
    if name == "num":
        a, b, year = int(g["a"]), int(g["b"]), _expand_year(g["y"])
        if g["sep"] == ".":
            day, month = a, b  # dotted numeric dates are day-first wherever they are used
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif month_first is None:
            return None  # 04/01/2020: April 1 or 4 January? Refuse rather than guess.
        elif month_first:
            day, month = b, a
        else:
            day, month = a, b
    else:
        year = int(g["y"])
        month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        day = int(g["d"])
    return _safe_date(year, month, day)


def _expand_year(y: str) -> int:
    if len(y) == 4:
        return int(y)
    # Two-digit years: 00-69 are 20xx, 70-99 are 19xx (the POSIX strptime convention).
    n = int(y)
    return 2000 + n if n < 70 else 1900 + n


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time_near(
    text: str, hit: _DateHit, *, lo: int, hi: int, used: list[tuple[int, int]]
) -> _TimeHit | None:
    """The time printed right after the date, else right before it (within ``MAX_TIME_GAP``)."""
    after = _time_in(text, hit.end, min(hi, hit.end + MAX_TIME_GAP + 8))
    if after is not None and after.start - hit.end <= MAX_TIME_GAP:
        return after
    before: _TimeHit | None = None
    for m in _TIME_RE.finditer(text, max(lo, hit.start - 40), hit.start):
        t = _time_from_match(text, m)
        if t is not None and hit.start - t.end <= MAX_TIME_GAP and not _overlaps(t, used):
            before = t
    return before


def _time_in(text: str, lo: int, hi: int) -> _TimeHit | None:
    for m in _TIME_RE.finditer(text, lo, max(lo, hi)):
        t = _time_from_match(text, m)
        if t is not None:
            return t
    return None


def _overlaps(t: _TimeHit, used: list[tuple[int, int]]) -> bool:
    return any(t.start < e and s < t.end for s, e in used)


def _time_from_match(text: str, m: re.Match[str]) -> _TimeHit | None:
    hour = int(m["h"])
    minute = int(m["m"] or m["m2"] or m["m3"] or 0)
    second = int(m["s"]) if m["s"] else None
    ampm = (m["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    end = m.end()
    zone: int | str | None = None
    zm = _ZONE_RE.match(text, end)
    if zm is not None:
        zone = _zone_value(zm)
        if zone is not None:
            end = zm.end()
    return _TimeHit(m.start(), end, hour, minute, second, zone)


def _zone_value(zm: re.Match[str]) -> int | str | None:
    if zm.group(0) == "Z":
        return 0
    if zm["off"]:
        return _offset_minutes(zm["off"])
    abbr = zm["abbr"]
    if abbr in FIXED_ZONES:
        return FIXED_ZONES[abbr]
    if abbr in GENERIC_ZONES:
        return abbr
    return None


def _offset_minutes(off: str) -> int | None:
    off = off.replace(" ", "").replace(":", "")
    sign = -1 if off[0] == "-" else 1
    digits = off[1:]
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes >= 60:
        return None
    return sign * (hours * 60 + minutes)


def _kind_before(text: str, lo: int, hi: int) -> Kind:
    """'updated' when the nearest keyword before the date says so, else 'published'."""
    window = text[lo:hi]
    last_updated = max((m.end() for m in _UPDATED_RE.finditer(window)), default=-1)
    last_published = max((m.end() for m in _PUBLISHED_RE.finditer(window)), default=-1)
    return "updated" if last_updated > last_published else "published"


def _build(day: date, t: _TimeHit | None, kind: Kind, span: tuple[int, int]) -> ParsedDate:
    if t is None:
        return ParsedDate(day.isoformat(), kind, False, False, span)
    clock = f"{t.hour:02d}:{t.minute:02d}" + (f":{t.second:02d}" if t.second is not None else "")
    offset = _resolve_offset(day, t)
    iso = f"{day.isoformat()}T{clock}" + (_format_offset(offset) if offset is not None else "")
    return ParsedDate(iso, kind, True, offset is not None, span)


def _resolve_offset(day: date, t: _TimeHit) -> int | None:
    if t.zone is None or isinstance(t.zone, int):
        return t.zone
    local = datetime(day.year, day.month, day.day, t.hour, t.minute, tzinfo=ZoneInfo(GENERIC_ZONES[t.zone]))
    delta = local.utcoffset()
    return int(delta.total_seconds() // 60) if delta is not None else None


def _format_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def _relative(text: str, reference: date | datetime) -> ParsedDate | None:
    m = _RELATIVE_RE.search(text)
    if m is None:
        return None
    ref = reference if isinstance(reference, datetime) else datetime(reference.year, reference.month, reference.day)
    delta = _relative_delta(m)
    if delta is None:
        return None
    kind = _kind_before(text, max(0, m.start() - KIND_LOOKBACK), m.start())
    return ParsedDate((ref - delta).date().isoformat(), kind, False, False, m.span())


_UNIT_SECONDS = {"min": 60, "h": 3600, "stu": 3600, "heu": 3600, "hor": 3600, "d": 86400, "t": 86400,
                 "j": 86400, "w": 604800, "sem": 604800}


def _relative_delta(m: re.Match[str]) -> timedelta | None:
    word = (m["word"] or "").lower()
    if word:
        return timedelta(days=1) if word in {"yesterday", "gestern", "ayer"} else timedelta(0)
    n_raw = next(g for g in (m["n"], m["n_de"], m["n_fr"], m["n_es"]) if g is not None)
    unit = next(g for g in (m["unit"], m["unit_de"], m["unit_fr"], m["unit_es"]) if g is not None).lower()
    n = int(n_raw) if n_raw.isdigit() else 1
    for prefix, seconds in sorted(_UNIT_SECONDS.items(), key=lambda kv: -len(kv[0])):
        if unit.startswith(prefix):
            return timedelta(seconds=n * seconds)
    return None


def _cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    keep = [True] * len(text)
    for s, e in spans:
        for i in range(s, min(e, len(text))):
            keep[i] = False
    return "".join(c if k else " " for c, k in zip(text, keep, strict=True))


def _from_compact(m: re.Match[str]) -> ParsedDate | None:
    y, mo, d, hh, mm, ss, z = m.groups()
    day = _safe_date(int(y), int(mo), int(d))
    if day is None:
        return None
    if hh is None or int(hh) > 23 or int(mm) > 59:
        return ParsedDate(day.isoformat(), "published", False, False, m.span())
    t = _TimeHit(0, 0, int(hh), int(mm), int(ss) if ss else None, 0 if z else None)
    return _build(day, t, "published", m.span())


def _from_epoch(value: str) -> ParsedDate | None:
    seconds = int(value[:10])
    stamp = datetime.fromtimestamp(seconds, tz=UTC)
    if not MIN_YEAR <= stamp.year <= MAX_YEAR:
        return None
    t = _TimeHit(0, 0, stamp.hour, stamp.minute, stamp.second, 0)
    return _build(stamp.date(), t, "published", (0, len(value)))


def _dateutil_fallback(value: str) -> ParsedDate | None:
    if (
        len(value) > MAX_DATEUTIL_CHARS
        or not _HAS_YEAR_RE.search(value)
        or _AMBIGUOUS_NUMERIC_RE.search(value)
    ):
        return None
    from dateutil import parser as du_parser  # imported lazily: rarely needed and slow to import

    zones = {name: minutes * 60 for name, minutes in FIXED_ZONES.items()}
    try:
        with warnings.catch_warnings():  # unknown zone names: the time stays zone-less, no noise
            warnings.simplefilter("ignore")
            # dateutil fills missing fields from its default: parse against two defaults and refuse
            # when they disagree, so that "March 2020" never becomes a made-up day.
            parsed = du_parser.parse(value, dayfirst=True, default=_DEFAULT_A, tzinfos=zones)
            check = du_parser.parse(value, dayfirst=True, default=_DEFAULT_B, tzinfos=zones)
    except (ValueError, OverflowError, TypeError):
        return None
    if (parsed.year, parsed.month, parsed.day) != (check.year, check.month, check.day):
        return None
    day = _safe_date(parsed.year, parsed.month, parsed.day)
    if day is None:
        return None
    if not _HAS_TIME_RE.search(value):
        return ParsedDate(day.isoformat(), "published", False, False, (0, len(value)))
    offset = parsed.utcoffset()
    zone = int(offset.total_seconds() // 60) if offset is not None else None
    sec = parsed.second if re.search(r"\d:\d\d:\d\d", value) else None
    t = _TimeHit(0, 0, parsed.hour, parsed.minute, sec, zone)
    return _build(day, t, "published", (0, len(value)))

