"""Readers for external actor dictionaries in the TABARI/PETRARCH layout, so users can bring their own.

Two kinds of file are understood:

* actor dictionaries: a primary name (``NAME_OF_ACTOR_`` or ``NAME [CODE]``), then ``+ALIAS`` lines and
  ``[CODE]`` lines, optionally date-restricted (``[CODE <yymmdd]``, ``[CODE >yymmdd]``,
  ``[CODE yymmdd-yymmdd]``; six- or eight-digit dates). A trailing ``_`` means the last word must match
  exactly; without it the last word is a prefix ("ARGENTIN" matches "Argentina" and "Argentine").
* agent dictionaries: ``NOUN_PHRASE {PLURALS} [~SECTOR]`` with ``!MACRO! = A, B`` substitution sets.

This module only parses text into ``ActorRow`` values and agent words; it never reads the files it is
not given and bundles no dictionary of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Two-digit years below this are 20xx, the rest 19xx: TABARI-era dictionaries date from the 1990s on.
TWO_DIGIT_YEAR_PIVOT = 40
_CODE_RE = re.compile(r"\[([^\]]*)\]")
_MACRO_RE = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
_DATE_RANGE_RE = re.compile(r"^(\d{6}|\d{8})\s*-\s*(\d{6}|\d{8})$")


@dataclass(frozen=True)
class DictionaryActor:
    """One coded period of a dictionary actor: its names, its code and when the code applies."""

    names: tuple[str, ...]
    prefix_names: tuple[str, ...]
    code: str
    valid_from: str
    valid_to: str


def _iso(day: str) -> str:
    if len(day) == 6:
        year = int(day[:2])
        century = 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
        day = f"{century + year}{day[2:]}"
    return f"{day[:4]}-{day[4:6]}-{day[6:8]}"


def parse_code(field: str) -> tuple[str, str, str] | None:
    """``"HOBGOV 950601-990815"`` → ``("HOBGOV", "1995-06-01", "1999-08-15")``; None for ``---`` (no code)."""
    parts = field.split(None, 1)
    if not parts or parts[0].startswith("---"):
        return None
    code, rest = parts[0].upper(), (parts[1].replace(" ", "") if len(parts) > 1 else "")
    start = end = ""
    if rest.startswith("<"):
        end = _iso(rest[1:])
    elif rest.startswith(">"):
        start = _iso(rest[1:])
    elif match := _DATE_RANGE_RE.match(rest):
        start, end = _iso(match[1]), _iso(match[2])
    return code, start, end


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _name(raw: str) -> tuple[str, bool]:
    """(words with spaces, exact) for a dictionary name; exact when it ends with '_'."""
    raw = raw.strip()
    exact = raw.endswith("_")
    words = raw.strip("_").replace("_", " ")
    return re.sub(r"\s+", " ", words).strip().lower(), exact


def parse_petrarch_actors(lines: Iterable[str], source: str = "<dictionary>") -> Iterator[DictionaryActor]:
    """Actors of a TABARI/PETRARCH actor dictionary, one value per coded period."""
    names: list[tuple[str, bool]] = []
    codes: list[tuple[str, str, str] | None] = []

    def flush() -> Iterator[DictionaryActor]:
        exact = tuple(n for n, is_exact in names if n and is_exact)
        prefix = tuple(n for n, is_exact in names if n and not is_exact)
        for code in codes:
            if code is not None and (exact or prefix):
                yield DictionaryActor(exact, prefix, *code)

    for number, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("<!"):
            continue
        line = _strip_comment(raw)
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            if not names:
                raise ValueError(f"{source}:{number}: alias line before any actor name")
            names.append(_name(_CODE_RE.sub("", stripped[1:])))
            codes.extend(parse_code(c) for c in _CODE_RE.findall(stripped))
        elif stripped.startswith("["):
            if not names:
                raise ValueError(f"{source}:{number}: code line before any actor name")
            codes.extend(parse_code(c) for c in _CODE_RE.findall(stripped))
        else:
            yield from flush()
            names = [_name(_CODE_RE.sub("", stripped))]
            codes = [parse_code(c) for c in _CODE_RE.findall(stripped)]
    yield from flush()


def parse_petrarch_agents(lines: Iterable[str]) -> dict[str, str]:
    """Agent noun phrase (lower case, spaces) → sector code, with ``!MACRO!`` sets expanded."""
    macros: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in lines:
        if raw.lstrip().startswith("<!"):
            continue
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if match := _MACRO_RE.match(line):
            macros[match[1]] = [w.strip() for w in match[2].split(",") if w.strip()]
            continue
        codes = _CODE_RE.findall(line)
        if not codes or not codes[0].strip().startswith("~"):
            continue
        sector = codes[0].strip()[1:].split()[0].upper()
        phrase = re.sub(r"\{[^}]*\}", "", _CODE_RE.sub("", line)).strip()
        forms = [phrase]
        for macro, words in macros.items():
            if macro in phrase:
                forms = [f.replace(macro, w) for f in forms for w in words]
        for form in forms:
            name, _ = _name(form)
            if name:
                agents.setdefault(name, sector)
    return agents


def looks_like_petrarch_agents(lines: list[str]) -> bool:
    coded = [line for line in lines if _CODE_RE.search(_strip_comment(line))]
    return bool(coded) and sum("[~" in line for line in coded) > len(coded) / 2


def looks_like_newsmill_table(lines: list[str]) -> bool:
    rows = [line for line in lines if line.strip() and not line.lstrip().startswith(("#", "<!"))]
    return bool(rows) and sum("|" in line for line in rows) > len(rows) / 2  # PETRARCH files never use "|"
