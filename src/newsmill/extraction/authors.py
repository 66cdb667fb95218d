"""Author names from bylines and metadata values: split, strip the noise, fix the case.

Input is whatever a page offers as an author: a meta value ("Jane Doe, Staff Writer"), a JSON-LD
name, a visible byline ("By SETH J. FRANTZMAN APRIL 1, 2020") or a plain-text dump line ("Jane Doe
and John Roe | Reuters"). Output is a list of clean person names in page order, or the agency or
outlet when it is the only author given. Pure string functions: no I/O, no page structure (the
HTML and dump extractors decide *which* strings to hand over).
"""

from __future__ import annotations

import html
import re
import unicodedata

from newsmill.extraction.dates import find_dates

#: A byline line is short; longer lines are prose that happens to start with "By".
MAX_BYLINE_CHARS = 120
#: Longest plausible single name ("Organization for Transformative Works", "Die Redaktion von X").
MAX_NAME_CHARS = 60
MAX_NAME_TOKENS = 6
#: How many names one byline may hold before it is more likely a list of links than a byline.
MAX_NAMES = 12

# "By", "Written by", "Von", "Par", "Autor:" ... at the start of a byline or name.
_PREFIX_RE = re.compile(
    r"""^\W*(?:
        (?:(?:written|words|story|text|reported|posted|published|article|report|interview|compiled|
            a\s+guest\s+post|guest\s+post)\s+by)
      | (?:veröffentlicht|geschrieben|erstellt|verfasst|publiziert|eingestellt)\s+von
      | (?:publié|écrit|rédigé)\s+par | (?:escrito|publicado)\s+por | (?:scritto|pubblicato)\s+da
      | by | von | par | por | door | av | af | przez | από | от
      | (?:(?:text|texte|interview|fotos?|photos?|words|reporting|recherche|autor|autorin|author|authors|
            auteur|autore|autores|byline|verfasser|redakteur)\s*(?:und|and|&|/|,)?\s*)+:
      | (?:ein\s+)?(?:kommentar|gastbeitrag|beitrag|artikel)\s+von
      | (?:author|autor|autorin|auteur)(?=\s+[A-ZÀ-Þ])
    )\s*:?\s*""",
    re.I | re.X,
)
# Italian/Portuguese "di"/"da" are prefixes only in lower case ("di Mario Rossi"; "Di Wang" is a name).
_LOWER_PREFIX_RE = re.compile(r"^(?:di|da|de)\s+(?=[A-ZÀ-Þ])")
# Credits that are not authorship: editors, photographers, illustrators.
_NON_AUTHOR_CREDIT_RE = re.compile(
    r"(?:^|(?<=\s))\W*(?:edited|photos?|photographs?|photography|illustrations?|illustrated|graphics?|video|"
    r"additional\s+reporting|reviewed|fact[- ]checked|produced|translated)\s+by\b",
    re.I,
)
# A lone short all-caps token ("WRAL", "MCJ", "LN") is an outlet's initials, not a person.
_ACRONYM_RE = re.compile(r"^[A-Z]{2,5}$")
# People are not called "The ...": "The Jerusalem Post", "The Editors", "The Associated Press".
_THE_NAME_RE = re.compile(r"^(?:The|Die|Der|Das|Le|La|Les|El|Il)\s+[A-ZÀ-Þ]")
_URL_RE = re.compile(r"\(?\s*(?:https?://|www\.)\S+\s*\)?", re.I)
_EMAIL_RE = re.compile(r"\(?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\)?")
_HANDLE_RE = re.compile(r"\(?\s*(?<![\w@])@\w{1,30}\s*\)?")
_RELATIVE_OR_STAMP_RE = re.compile(
    r"\b(?:updated|published|posted|last\s+updated|veröffentlicht|aktualisiert|publiziert|erstellt|stand|"
    r"publié|mis\s+à\s+jour|"
    r"\d+\s+(?:min|mins|minutes?|hours?|hrs?|days?)\s+(?:ago|read))\b|\b\d{1,2}:\d{2}\b",
    re.I,
)
# Separators between names, strongest first. " - " and "|" usually introduce an affiliation.
_AFFILIATION_SPLIT_RE = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+/\s+|\s*•\s*|\s*·\s*")
# One-letter conjunctions (Spanish y, Italian e, Polish i) only in lower case: "Robert E Lee" is one name.
_LIST_SPLIT_RE = re.compile(r"\s*[;,，、]\s*|\s+(?i:and|und|et|en|og|och|és)\s+|\s+&\s+|\s+(?:y|e|i|и)\s+")
_TRAILING_AFFILIATION_RE = re.compile(
    r"\s+(?:for|für|pour|para|per|at|from|with|of|in)\s+(?:the\s+|die\s+|der\s+|le\s+|la\s+|l')?"
    r"(?=[A-Z0-9])[^,;]*$"
)
_CONNECTOR_TAIL_RE = re.compile(r"(?:\s+(?:on|am|le|el|il|the|at|um|vom|du|del|,|\||-|–|—|•|·|:))+\s*$", re.I)
# Weekday names left over when a date is cut off ("Jane Doe, Donnerstag, 12. Januar").
WEEKDAYS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo
    """.split()
)
_EDGE_PUNCT = " \t\"'“”‘’«»()[]{}<>.,;:|/\\-–—•·*_#~+=!?&©"


def _bar_list(text: str) -> frozenset[str]:
    """A set from "a|b|c" spread over several lines."""
    return frozenset(item.strip() for item in text.replace("\n", "|").split("|") if item.strip())


# Words that describe a job, not a person. "Senior Political Correspondent" is all role words.
ROLE_WORDS = frozenset(
    """
    staff writer writers senior correspondent correspondents reporter reporters editor editors contributor
    contributors contributing columnist columnists chief deputy associate assistant managing executive political
    foreign national international business sports science health technology tech entertainment culture
    news special freelance freelancer investigative bureau photographer photographers producer analyst
    intern digital desk online large editorial opinion travel food fashion style lifestyle metro local
    economics economy markets finance politics world global environment climate education legal court
    crime city state affairs features feature correspondent-at-large writer-at-large host anchor
    redakteur redakteurin korrespondent korrespondentin autor autorin freier freie mitarbeiter
    mitarbeiterin volontär volontärin journalist journalistin journaliste rédacteur rédactrice
    correspondant correspondante envoyé envoyée spécial spéciale corresponsal redactor redactora
    periodista giornalista inviato inviata
    """.split()
)
# A role phrase needs one of these heads; "Senior Political" alone could be part of a name list.
ROLE_HEADS = frozenset(
    """
    writer writers correspondent correspondents reporter reporters editor editors contributor contributors
    columnist columnists photographer photographers producer analyst intern staff host anchor
    redakteur redakteurin korrespondent korrespondentin autor autorin mitarbeiter mitarbeiterin journalist
    journalistin journaliste rédacteur rédactrice correspondant correspondante corresponsal redactor
    redactora periodista giornalista inviato inviata volontär volontärin
    """.split()
)
_ROLE_GLUE = frozenset({"the", "of", "and", "for", "at", "de", "du", "la", "le", "der", "die", "für", "&", "-"})
# Professional credentials printed after a name ("Brenda Goodman, MA").
CREDENTIALS = frozenset(
    "md phd ph.d. ma mba msc bsc rn np pa-c do dds cfp cfa cpa jd esq mph rd ms bs lcsw psyd faan facp".split()
)
# Wire services and outlets that appear as a byline affiliation; kept only when no person is named.
KNOWN_AGENCIES = _bar_list(
    """
    ap|the associated press|associated press|reuters|thomson reuters|afp|agence france-presse|agence france presse|
    dpa|apa|ansa|efe|kyodo|xinhua|bloomberg|bloomberg news|cnn|bbc|bbc news|upi|pa|pa media|press association|
    sda|kna|epd|ap news|tass|ria novosti|anadolu|yonhap|pti|ians|ani|aap|cp|the canadian press|canadian press|
    dow jones|nyt|wsj|ft|dapd|ddp|sid|afp/dpa|dpa/afp|reuters/ap
    """
)
# Words that make a name an outlet's. "Post" is left out: it is also a surname ("Emily Post"); "The
# Jerusalem Post" is caught by its leading "The".
_ORG_TOKENS = frozenset(
    """
    news press media times journal magazine magazin agency network tv radio newsroom editorial team
    group inc inc. ltd ltd. llc gmbh ag daily herald tribune gazette wire service services online
    redaktion redaktionen nachrichten zeitung verlag rédaction agence noticias staff desk company corp
    corporation foundation institute university association society club blog e.v e.v. stiftung verband
    verein
    """.split()
)
# Values that CMSs put in author fields which are not names.
NOT_NAMES = _bar_list(
    """
    admin|administrator|webmaster|root|user|anonymous|unknown|guest|guest author|author|authors|
    follow|follow author|view all posts|view all articles|all posts|more articles|contact|email|
    twitter|facebook|linkedin|instagram|share|comments|comment|read more|see all|by|written by|
    null|none|undefined|n/a|na|-|editor|editors|staff|autor|default|posts|profile|
    about the author|more from author|subscribe|posted|published|updated|no author|unknown author|
    alle beiträge|all articles|sign in|log in|login|register|see more
    """
)
# Lower-case particles inside names ("Vincent van Gogh", "Mohammed al-Kawtharani").
PARTICLES = frozenset("de del della der den di du da dos das van von ter ten la le bin ibn al el y zu vom".split())
# Common Gaelic "Mac" surnames. Other Mac- names (Machado, Macias, Mackie, Macon) are not "Mac" + name,
# so only these get the inner capital when converting from ALL CAPS.
MAC_SURNAMES = frozenset(
    """
    macdonald macdonnell macdougall macgregor macintyre mackay mackenzie mackinnon maclean macleod
    macmillan macneil macpherson macarthur macaulay macbride maccarthy macdermott macfarlane macgowan
    macguire maclachlan maclaren macnamara macneill macrae macintosh mackintosh maclennan macaskill
    """.split()
)
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii"})


# --- public API ---------------------------------------------------------------------------------------


def clean_author_names(raw: str | list[str] | None) -> list[str]:
    """Clean person names from one or several raw author strings, deduplicated, in order.

    Splits "A, B and C", strips "By"/"Von"/"Par", roles ("Staff Writer"), affiliations ("for The
    Times", "| CNN"), e-mail addresses, @handles, URLs and dates glued on, and turns ALL-CAPS names
    into proper case. An agency or outlet ("Associated Press") is kept only when no person is named.
    """
    values = [raw] if isinstance(raw, str) else list(raw or [])
    people: list[str] = []
    orgs: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        for name in _names_in(value):
            (orgs if looks_like_org(name) else people).append(name)
    return _dedupe(people or orgs)[:MAX_NAMES]


def looks_like_byline(line: str) -> bool:
    """True for a dump line that is a byline: "By SETH J. FRANTZMAN", "Jane Doe, Staff Writer".

    Either a byline prefix ("By", "Von", "Par", "Written by") followed by a capitalised name, or
    person-like names followed by an explicit role or agency ("Jane Doe and John Roe | Reuters").
    A bare "Jane Doe" line is not claimed: without context it could be anything.
    """
    text = _normalize_space(line)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return False
    prefix = _PREFIX_RE.match(text) or _LOWER_PREFIX_RE.match(text)
    if prefix is not None:
        rest = text[prefix.end():]
        return bool(rest) and _starts_like_name(rest) and bool(clean_author_names(text))
    return _is_name_with_marker(text)


def parse_byline(line: str, *, strict: bool = True) -> list[str]:
    """Names in a byline line; [] when ``strict`` and the line does not look like a byline.

    Pass ``strict=False`` when context has already decided that the line is a byline (for example a
    short line between the headline and the dateline).
    """
    if strict and not looks_like_byline(line):
        return []
    return clean_author_names(line)


def looks_like_org(name: str) -> bool:
    """True for an agency or outlet name ("Reuters", "The Jerusalem Post", "BBC News")."""
    folded = name.casefold().strip()
    if folded in KNOWN_AGENCIES or _ACRONYM_RE.match(name.strip()) or _THE_NAME_RE.match(name.strip()):
        return True
    tokens = re.findall(r"[\w.]+", folded)
    return any(t in _ORG_TOKENS or t.endswith((".com", ".de", ".org", ".net")) for t in tokens)


def proper_case(name: str) -> str:
    """ALL-CAPS name to proper case: "SETH J. FRANTZMAN" -> "Seth J. Frantzman",
    "MOHAMMED AL-KAWTHARANI" -> "Mohammed al-Kawtharani", "SADHBH O'SULLIVAN" -> "Sadhbh O'Sullivan"."""
    tokens = name.split()
    out = []
    for i, token in enumerate(tokens):
        out.append(_case_token(token, first=(i == 0), last=(i == len(tokens) - 1)))
    return " ".join(out)


# --- pipeline -----------------------------------------------------------------------------------------


def _names_in(value: str) -> list[str]:
    text = html.unescape(value) if "&" in value else value
    text = unicodedata.normalize("NFC", text)
    names: list[str] = []
    # Line breaks separate credits ("Written by A\nEdited by B"): treat each line on its own.
    for part in re.split(r"\s*[\r\n]+\s*", text):
        part = _normalize_space(part)
        if part and not _NON_AUTHOR_CREDIT_RE.match(part):
            names.extend(_names_in_line(part))
    return names


def _names_in_line(text: str) -> list[str]:
    credit = _NON_AUTHOR_CREDIT_RE.search(text)
    if credit is not None and credit.start() > 0:
        text = text[: credit.start()]  # "Written by A Edited by B" on one line
    text = _strip_contacts(text)
    text = _cut_at_stamp(text)
    text = _strip_prefix(text)
    names: list[str] = []
    for k, chunk in enumerate(_AFFILIATION_SPLIT_RE.split(text)):
        chunk_names = [n for n in (_clean_segment(s) for s in _LIST_SPLIT_RE.split(chunk)) if n]
        # After "|" or " - " comes an outlet or a role, unless it reads like another person.
        if k > 0 and not all(_person_like(n) for n in chunk_names):
            chunk_names = [n for n in chunk_names if looks_like_org(n)]
        names.extend(chunk_names)
    return names


def _clean_segment(segment: str) -> str | None:
    if _NON_AUTHOR_CREDIT_RE.match(segment):
        return None
    seg = _strip_prefix(_strip_edges(segment))
    seg = _strip_parenthetical_roles(seg)
    seg = _TRAILING_AFFILIATION_RE.sub("", seg) if len(seg.split()) > 2 else seg
    if _is_role(seg):
        return None
    seg = _strip_edges(_strip_leading_roles(_strip_trailing_roles(seg)))
    if not _valid_name(seg):
        return None
    if _is_all_caps(seg) and not looks_like_org(seg):
        seg = proper_case(seg)
    return seg


def _strip_edges(seg: str) -> str:
    """Edge punctuation off, but not the period of a final initial ("Joe S.", "R. R.")."""
    stripped = seg.strip(_EDGE_PUNCT)
    if re.search(r"(?:^|\s)[^\W\d_]\.$", seg.rstrip()) and stripped:
        return stripped + "."
    return stripped


def _strip_contacts(text: str) -> str:
    for pattern in (_URL_RE, _EMAIL_RE, _HANDLE_RE):
        text = pattern.sub(" ", text)
    return _normalize_space(text.replace("()", " "))


def _cut_at_stamp(text: str) -> str:
    """Drop a date, time or "Updated ..." glued to the name: "By JANE DOE APRIL 1, 2020 16:37" keeps
    what comes before; "Posted on April 1, 2020 by Jane Doe" keeps what comes after."""
    dates = find_dates(text, month_first=True)
    stamp = _RELATIVE_OR_STAMP_RE.search(text)
    starts = [d.span[0] for d in dates[:1]] + ([stamp.start()] if stamp else [])
    if not starts:
        return text
    cut = min(starts)
    head = _CONNECTOR_TAIL_RE.sub("", text[:cut]).strip(_EDGE_PUNCT + " ")
    head_words = [w for w in head.split() if _plain(w) not in WEEKDAYS]
    if head_words:
        return " ".join(head_words)
    # Nothing before the stamp: the name may follow it ("... 2020 by Jane Doe", "... 14:34 von X").
    ends = [d.span[1] for d in dates] + [m.end() for m in _RELATIVE_OR_STAMP_RE.finditer(text)]
    tail = text[max(ends):]
    return tail if _PREFIX_RE.match(tail.strip()) or _LOWER_PREFIX_RE.match(tail.strip()) else ""


def _strip_prefix(text: str) -> str:
    for _ in range(2):  # "By: Written by X" happens
        m = _PREFIX_RE.match(text) or _LOWER_PREFIX_RE.match(text)
        if m is None or m.end() == 0:
            break
        text = text[m.end():]
    return text.strip()


def _strip_parenthetical_roles(seg: str) -> str:
    def repl(m: re.Match[str]) -> str:
        inner = m.group(1)
        return " " if _is_role(inner) or looks_like_org(inner) or any(c.isdigit() for c in inner) else m.group(0)

    return _normalize_space(re.sub(r"\(([^()]{0,60})\)", repl, seg))


def _strip_trailing_roles(seg: str) -> str:
    tokens = seg.split()
    # Keep at least one token: "Jane Doe Staff Writer" -> "Jane Doe", but "Staff Writer" alone is a role.
    while len(tokens) > 1 and _plain(tokens[-1]) in ROLE_WORDS | CREDENTIALS | _ROLE_GLUE:
        if not any(_plain(t) in ROLE_HEADS | CREDENTIALS for t in tokens[-3:]):
            break
        tokens.pop()
    return " ".join(tokens)


def _strip_leading_roles(seg: str) -> str:
    """"Senior Correspondent Jane Doe" -> "Jane Doe" (only when the dropped words hold a role head)."""
    tokens = seg.split()
    k = 0
    while k < len(tokens) - 1 and _plain(tokens[k]) in ROLE_WORDS | _ROLE_GLUE:
        k += 1
    if k and any(_plain(t) in ROLE_HEADS for t in tokens[:k]):
        return " ".join(tokens[k:])
    return seg


def _valid_name(seg: str) -> bool:
    if not seg or len(seg) > MAX_NAME_CHARS or len(seg.split()) > MAX_NAME_TOKENS:
        return False
    if not any(c.isalpha() for c in seg) or any(c.isdigit() for c in seg):
        return False
    folded = seg.casefold()
    if folded in NOT_NAMES or folded in CREDENTIALS or _is_role(seg):
        return False
    # Lower-case user names ("zahlenzauberin") are names; a lower-case phrase ("accept the terms") is not.
    tokens = seg.split()
    lower = sum(1 for t in tokens if t[:1].islower() and t.lower() not in PARTICLES)
    return len(tokens) < 3 or lower * 2 < len(tokens)


def _is_role(text: str) -> bool:
    words = [_plain(w) for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return False
    if all(w in CREDENTIALS for w in words):
        return True
    return all(w in ROLE_WORDS or w in _ROLE_GLUE for w in words) and any(w in ROLE_HEADS for w in words)


def _is_name_with_marker(text: str) -> bool:
    """"Jane Doe, Staff Writer" / "Jane Doe and John Roe | Reuters": names plus a role or agency."""
    chunks = _AFFILIATION_SPLIT_RE.split(text)
    segments = [s.strip(_EDGE_PUNCT) for c in chunks for s in _LIST_SPLIT_RE.split(c)]
    segments = [s for s in segments if s]
    markers = [s for s in segments if _is_role(s) or s.casefold() in KNOWN_AGENCIES]
    names = [s for s in segments if s not in markers]
    if not markers or not names or len(chunks[0].split()) < 2:
        return False
    return all(_person_like(n) for n in names) and text[-1] not in ".!?"


def _person_like(name: str) -> bool:
    """Two to five tokens, each capitalised, an initial or a particle; no outlet words."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 5 or looks_like_org(name):
        return False
    return all(_name_token(t) for t in tokens)


def _name_token(token: str) -> bool:
    if token.lower() in PARTICLES:
        return True
    first = token.lstrip("'\"(")[:1]
    return bool(first) and (first.isupper() or not first.isascii() and not first.islower())


def _starts_like_name(rest: str) -> bool:
    first = rest.lstrip(_EDGE_PUNCT)[:1]
    # Scripts without case (CJK, Arabic...) have no capital to check.
    return bool(first) and (first.isupper() or (first.isalpha() and not first.islower()))


# --- case ---------------------------------------------------------------------------------------------


def _is_all_caps(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters if c.lower() != c.upper())


def _case_token(token: str, *, first: bool, last: bool) -> str:
    if _plain(token) in _ROMAN and last and not first:
        return token.upper()
    # Hyphenated and apostrophe parts are cased separately: JEAN-PAUL, O'NEIL, AL-KAWTHARANI.
    parts = re.split(r"([-'’])", token)
    out: list[str] = []
    for j, part in enumerate(parts):
        if part in {"-", "'", "’"} or not part:
            out.append(part)
            continue
        lower = part.lower()
        leading = first and j == 0
        is_prefix = j + 1 < len(parts) and parts[j + 1] == "-"
        if not leading and lower in PARTICLES and (is_prefix or j == 0):
            out.append(lower)  # "van", "de", "al-"
        else:
            out.append(_cap_part(lower))
    return "".join(out)


def _cap_part(lower: str) -> str:
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    if lower in MAC_SURNAMES:
        return "Mac" + lower[3:].capitalize()
    return lower.capitalize()


# --- small helpers ------------------------------------------------------------------------------------


def _plain(token: str) -> str:
    return token.strip(_EDGE_PUNCT).casefold().replace("®", "")


def _normalize_space(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u200b", "").split())


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
