"""Readers for external actor dictionaries in the TABARI/PETRARCH layout, so users can bring their own.

Two kinds of file are understood:

* actor dictionaries: a primary name (``NAME_OF_ACTOR_`` or ``NAME [CODE]``), then ``+ALIAS`` lines and
  ``[CODE]`` lines, optionally date-restricted (``[CODE <yymmdd]``, ``[CODE >yymmdd]``,
  ``[CODE yymmdd-yymmdd]``; six- or eight-digit dates). A trailing ``_`` means the last word must match
  exactly; without it the last word is a prefix ("ARGENTIN" matches "Argentina" and "Argentine").
* agent dictionaries: ``NOUN_PHRASE {PLURALS} [~SECTOR]`` with ``!MACRO! = A, B`` substitution sets.

Each kind has one reader (``read_actor_entries``, ``read_agent_entries``, plus ``read_discards``), used by
the dictionary event coder as it is; ``parse_petrarch_actors`` / ``parse_petrarch_agents`` are the views
of the same entries that the actor table takes. This module never reads files it is not given and
bundles no dictionary of its own.
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


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def parse_petrarch_actors(lines: Iterable[str], source: str = "<dictionary>") -> Iterator[DictionaryActor]:
    """Actors of a TABARI/PETRARCH actor dictionary (read by ``read_actor_entries``), one value per coded
    period; ``---`` (no code) periods are left out."""
    for entry in read_actor_entries(lines, source):
        names = [(" ".join(p.words).lower(), p.exact) for p in entry.phrases if p.words]
        exact = tuple(name for name, is_exact in names if is_exact)
        prefix = tuple(name for name, is_exact in names if not is_exact)
        for dated in entry.codes:
            if not dated.code.startswith("---"):
                yield DictionaryActor(exact, prefix, dated.code, dated.start, dated.end)


def parse_petrarch_agents(lines: Iterable[str], source: str = "<agents>") -> dict[str, str]:
    """Agent noun phrase (lower case, spaces) → sector code, from ``read_agent_entries`` (macros and
    plurals expanded). Only ``[~SECTOR]`` agents are sectors; ``[NGO~]`` prefixes and unreadable lines
    are left to the dictionary coder, which reports them."""
    agents: dict[str, str] = {}
    for entry in read_agent_entries(lines, source, warnings=[]):
        if not entry.prefix and entry.phrase.words:
            agents.setdefault(" ".join(entry.phrase.words).lower(), entry.code)
    return agents


def looks_like_petrarch_agents(lines: list[str]) -> bool:
    coded = [line for line in lines if _CODE_RE.search(_strip_comment(line))]
    return bool(coded) and sum("[~" in line for line in coded) > len(coded) / 2


def looks_like_newsmill_table(lines: list[str]) -> bool:
    rows = [line for line in lines if line.strip() and not line.lstrip().startswith(("#", "<!"))]
    return bool(rows) and sum("|" in line for line in rows) > len(rows) / 2  # PETRARCH files never use "|"


# --- whole-word phrase dictionaries for the dictionary event coder (PETRARCH-1 semantics) -------------
#
# PETRARCH matches whole words (no stems): "ARNOR_" and "ARNOR" are the same entry. Between two words of
# a phrase, "_" means the words are adjacent and a space lets other words come between them
# ("RADAGAST THE_BROWN" matches "Radagast, the brown wizard" only through "the brown").


class DictionaryLineError(ValueError):
    """A dictionary line that cannot be read; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Phrase:
    """Words of a dictionary phrase (upper case) and, for each word after the first, whether it must
    follow the previous word directly."""

    words: tuple[str, ...]
    adjacent: tuple[bool, ...]
    #: Written with a trailing "_": TABARI's mark that the last word is whole, not a stem. The dictionary
    #: coder matches whole words either way; the actor table (ActorTable) matches stems without it.
    exact: bool = False

    @classmethod
    def parse(cls, text: str) -> Phrase:
        words: list[str] = []
        adjacent: list[bool] = []
        tie = False
        text = text.strip().upper()
        for piece in re.split(r"([ _]+)", text):
            if not piece:
                continue
            if piece[0] in " _":
                tie = set(piece) == {"_"}
                continue
            words.append(piece)
            adjacent.append(tie)
            tie = False
        return cls(tuple(words), tuple(adjacent[1:]), text.endswith("_"))

    def match_at(self, words: list[str], start: int) -> int:
        """Number of words from ``start`` the phrase spans in ``words``, or 0 when it does not match there."""
        if not self.words or start >= len(words) or words[start] != self.words[0]:
            return 0
        k = start + 1
        for word, adjacent in zip(self.words[1:], self.adjacent, strict=True):
            while k < len(words) and words[k] != word:
                if adjacent:
                    return 0
                k += 1
            if k >= len(words):
                return 0
            k += 1
        return k - start


@dataclass(frozen=True)
class DatedCode:
    """A code and the inclusive ISO dates it applies between ("" for open ends); ``restricted`` is False
    for the default code of an entry."""

    code: str
    start: str = ""
    end: str = ""
    restricted: bool = False

    def applies(self, day: str) -> bool:
        return (not self.start or day >= self.start) and (not self.end or day <= self.end)


@dataclass(frozen=True)
class ActorEntry:
    phrases: tuple[Phrase, ...]
    codes: tuple[DatedCode, ...]
    order: int = 0

    def code_on(self, day: str | None) -> str:
        """The first date restriction that holds on ``day`` (file order), else the last default code."""
        if day:
            for dated in self.codes:
                if dated.restricted and dated.applies(day):
                    return dated.code
        defaults = [c.code for c in self.codes if not c.restricted]
        return defaults[-1] if defaults else "---"


def _dated_code(field: str, where: str) -> DatedCode:
    parts = field.split(None, 1)
    if not parts:
        raise DictionaryLineError(f"{where}: empty [code]")
    code = parts[0].upper()
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    try:
        if not rest:
            return DatedCode(code)
        if rest[0] == "<":
            return DatedCode(code, end=_iso(rest[1:]), restricted=True)
        if rest[0] == ">":
            return DatedCode(code, start=_iso(rest[1:]), restricted=True)
        if match := _DATE_RANGE_RE.match(rest):
            return DatedCode(code, _iso(match[1]), _iso(match[2]), restricted=True)
    except (ValueError, IndexError):
        pass
    raise DictionaryLineError(f"{where}: date restriction {field!r} is not <yymmdd, >yymmdd or yymmdd-yymmdd")


def read_actor_entries(
    lines: Iterable[str], source: str = "<actors>", warnings: list[str] | None = None
) -> list[ActorEntry]:
    """Entries of a TABARI/PETRARCH actor dictionary: a primary phrase, ``+synonym`` lines and
    ``[CODE]`` / date-restricted ``[CODE <yymmdd]`` lines (indented or on the phrase's own line).

    A date restriction that cannot be read raises ``DictionaryLineError``; with a ``warnings`` list it is
    skipped and noted there instead, as PETRARCH does (the published Phoenix country file has a few).
    """
    entries: list[ActorEntry] = []

    def dated(field: str, where: str) -> list[DatedCode]:
        try:
            return [_dated_code(field, where)]
        except DictionaryLineError as exc:
            if warnings is None:
                raise
            warnings.append(f"{exc}; skipped")
            return []

    phrases: list[Phrase] = []
    codes: list[DatedCode] = []

    def flush() -> None:
        if phrases:
            entries.append(ActorEntry(tuple(phrases), tuple(codes), len(entries)))

    in_comment = False
    for number, raw in enumerate(lines, 1):
        where = f"{source}:{number}"
        if in_comment:
            in_comment = "-->" not in raw
            continue
        if raw.lstrip().startswith("<!"):
            in_comment = "-->" not in raw
            continue
        line = _strip_comment(raw).split(";", 1)[0]
        if "---STOP---" in line:
            break
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.count("[") != stripped.count("]"):
            problem = f"{where}: unbalanced [ ] in {stripped!r}"
            if warnings is None:
                raise DictionaryLineError(problem)
            warnings.append(f"{problem}; skipped")
            continue
        fields = _CODE_RE.findall(stripped)
        text = _CODE_RE.sub("", stripped).strip()
        if stripped.startswith("["):
            if not phrases:
                raise DictionaryLineError(f"{where}: code line before any actor name")
            codes.extend(c for f in fields for c in dated(f, where))
        elif stripped.startswith("+"):
            if not phrases:
                raise DictionaryLineError(f"{where}: synonym line before any actor name")
            if text[1:].strip():
                phrases.append(Phrase.parse(text[1:]))
            codes.extend(c for f in fields for c in dated(f, where))
        else:
            flush()
            phrases = [Phrase.parse(text)] if text else []
            codes = [c for f in fields for c in dated(f, where)]
            if not phrases:
                raise DictionaryLineError(f"{where}: actor line without a name")
    flush()
    return entries


@dataclass(frozen=True)
class AgentEntry:
    phrase: Phrase
    code: str
    prefix: bool  # "[NGO~]" puts the code before the actor's, "[~GOV]" after it


def _agent_plural(text: str) -> str:
    if text.endswith("Y"):
        return text[:-1] + "IES"
    if text.endswith("SS"):
        return text + "ES"
    return text + "S"


def read_agent_entries(
    lines: Iterable[str], source: str = "<agents>", warnings: list[str] | None = None
) -> list[AgentEntry]:
    """Entries of an agent dictionary (``PHRASE {PLURALS} [~CODE]``, ``!MACRO! = A, B`` sets). A line
    that cannot be read raises ``DictionaryLineError``, or with a ``warnings`` list is skipped and noted."""
    macros: dict[str, list[str]] = {}
    entries: list[AgentEntry] = []
    for number, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("<!"):
            continue
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if match := _MACRO_RE.match(line):
            macros[match[1]] = [w.strip().upper() for w in match[2].split(",") if w.strip()]
            continue
        try:
            entries.extend(_agent_line(line, f"{source}:{number}", macros))
        except DictionaryLineError as exc:
            if warnings is None:
                raise
            warnings.append(f"{exc}; skipped")
    return entries


def _agent_line(line: str, where: str, macros: dict[str, list[str]]) -> list[AgentEntry]:
    fields = _CODE_RE.findall(line)
    if not fields:
        raise DictionaryLineError(f"{where}: agent line without a [~CODE]: {line!r}")
    code_field = fields[0].replace(" ", "").upper()
    if code_field.startswith("~"):
        code, prefix = code_field[1:], False
    elif code_field.endswith("~"):
        code, prefix = code_field[:-1], True
    else:
        raise DictionaryLineError(f"{where}: agent code {fields[0]!r} needs a '~' before or after it")
    body = _CODE_RE.sub("", line)
    plural_match = re.search(r"\{([^}]*)\}", body)
    phrase = re.sub(r"\{[^}]*\}", "", body).strip().upper().rstrip("_")
    if not phrase:
        raise DictionaryLineError(f"{where}: agent line without a phrase")
    forms = [phrase]
    if plural_match is None and "!" not in phrase:
        forms.append(_agent_plural(phrase))
    elif plural_match is not None:
        forms.extend(p.upper() for p in plural_match.group(1).split())
    for macro, words in macros.items():
        if macro in phrase:
            forms = [f.replace(macro, w) for f in forms if macro in f for w in words]
    return [AgentEntry(Phrase.parse(form), code, prefix) for form in forms]


def read_discards(lines: Iterable[str]) -> list[tuple[tuple[str, ...], bool]]:
    """Discard phrases as (upper-case words, whole story?): ``+PHRASE`` vetoes the story, ``PHRASE`` the sentence."""
    out: list[tuple[tuple[str, ...], bool]] = []
    for raw in lines:
        if raw.lstrip().startswith("<!"):
            continue
        line = _strip_comment(raw).strip()
        if not line:
            continue
        story = line.startswith("+")
        words = tuple(line.lstrip("+").upper().replace("_", " ").split())
        if words:
            out.append((words, story))
    return out
