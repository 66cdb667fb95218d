"""Reader for TABARI/PETRARCH verb dictionaries, for users who own such dictionaries.

The PETRARCH-1 layout (``PETR.Validate.verbs.txt``, TABARI ``.verbs`` files converted to whole words):

* synsets: ``&NAME`` then ``+MEMBER`` lines; members may be phrases (``+SWISS FRANCS``), may name another
  synset (``+&TIETYPES``); regular plurals are added unless the name or the member ends in ``_``;
* verb blocks: ``--- LABEL [code] ---`` then verb lines: ``VERB``, ``VERB {IRREGULAR FORMS}``,
  ``VERB [code]`` (its own code), multi-word verbs with ``+`` on the inflected word (``CORDON_+OFF`` is
  wrong, ``+CORDON_OFF`` and ``WIRE_+TAP`` are right), then patterns
  ``- UPPER WORDS * LOWER WORDS [code]``: ``*`` is the verb, ``$`` the source, ``+`` the target, ``%`` a
  compound actor that is both, ``^`` skips a noun phrase, ``&NAME`` a synset; ``_`` joins words that must
  be adjacent; ``[a:b]`` codes a to the pair and b back (the paired events), ``[---]`` is "no event".

The PETRARCH-2 layout (``CAMEO.2.0.txt``) is read too: its ``(...)`` prepositional phrases and
``{...}`` noun phrases are taken as their words in order. Regular verb forms are generated as
PETRARCH does (``S``/``ES``, ``ED`` or ``D``, ``ING``). Malformed lines raise ``VerbDictionaryError``
naming the file and line. This module only parses; it never reads a file it is not given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

NULL_CODE = "---"
#: Pattern elements that are not words.
SOURCE, TARGET, COMPOUND, SKIP_PHRASE = "$", "+", "%", "^"
_CODE_RE = re.compile(r"\[([^\]]*)\]")
_IRREGULAR_RE = re.compile(r"\{([^}]*)\}")
#: A code, or a pair "forward:back" where either side may be empty ("[:190]" codes only the way back).
_VALID_CODE_RE = re.compile(r"^[^\s:]+$|^[^\s:]*:[^\s:]*$")


class VerbDictionaryError(ValueError):
    """A verb dictionary line that cannot be read; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Element:
    """One pattern element: a word, a synset (``&NAME``) or a marker (``$ + % ^``).

    ``adjacent`` is True when the element must follow the previous one (or the verb) with no word between.
    """

    text: str
    adjacent: bool = False

    @property
    def is_synset(self) -> bool:
        return self.text.startswith("&")

    @property
    def is_marker(self) -> bool:
        return self.text in (SOURCE, TARGET, COMPOUND, SKIP_PHRASE)


@dataclass(frozen=True)
class VerbPattern:
    """``upper`` are the elements before the verb, nearest to the verb first; ``lower`` those after it."""

    upper: tuple[Element, ...]
    lower: tuple[Element, ...]
    code: str
    line: int
    source: str = ""

    @property
    def literal_count(self) -> int:
        return sum(not e.is_marker for e in self.upper + self.lower)


@dataclass(frozen=True)
class VerbEntry:
    """A verb form: the block it belongs to (``meaning``), its code, and the words of a multi-word verb."""

    meaning: str
    code: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass
class VerbDictionary:
    synsets: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    #: verb form (upper case) → its entries (several for multi-word verbs sharing a word)
    verbs: dict[str, list[VerbEntry]] = field(default_factory=dict)
    patterns: dict[str, list[VerbPattern]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Iterable[str | Path]) -> VerbDictionary:
        result = cls()
        for path in paths:
            path = Path(path)
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise VerbDictionaryError(f"{path}: cannot read the verb dictionary: {exc.strerror or exc}") from exc
            result.read(text.splitlines(), str(path))
        return result

    def read(self, lines: Iterable[str], source: str = "<verbs>") -> None:
        _Reader(self, source).read(lines)
        self._check_synsets(source)

    def synset_members(self, name: str) -> list[tuple[str, ...]]:
        return self.synsets.get(name.upper(), [])

    def entries(self, word: str) -> list[VerbEntry]:
        return self.verbs.get(word.upper(), [])

    def _check_synsets(self, source: str) -> None:
        """Drop patterns naming a synset that is never defined (the published CAMEO.2.0.txt has a few),
        keeping a warning for each: one bad pattern should not cost the user the whole dictionary."""
        for meaning, patterns in self.patterns.items():
            kept = []
            for pattern in patterns:
                missing = [e.text for e in pattern.upper + pattern.lower if e.is_synset and e.text not in self.synsets]
                if missing:
                    self.warnings.append(
                        f"{pattern.source or source}:{pattern.line}: pattern of {meaning} skipped: synset "
                        f"{missing[0]} is never defined"
                    )
                else:
                    kept.append(pattern)
            self.patterns[meaning] = kept


def regular_forms(verb: str) -> list[str]:
    """The forms PETRARCH generates for a regular verb: base, -S/-ES, -ED/-D, -ING."""
    verb = verb.upper()
    third = verb + ("ES" if verb[-1] in "SXZ" else "S")
    if verb.endswith("E"):
        return [verb, third, verb + "D", verb[:-1] + "ING"]
    return [verb, third, verb + "ED", verb + "ING"]


def plural(noun: str) -> str:
    """PETRARCH's plural of a synset member's last word."""
    if noun.endswith("Y"):
        return noun[:-1] + "IES"
    if noun.endswith("S"):
        return noun[:-1] + "ES"
    return noun + "S"


def parse_code(raw: str, where: str) -> str:
    code = raw.strip().upper()
    if not code or code == ":" or not _VALID_CODE_RE.match(code):
        raise VerbDictionaryError(f"{where}: {raw!r} is not an event code (expected e.g. [042], [042:043] or [---])")
    return code


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("<!"):
        return ""
    line = re.sub(r"<!--.*?-->", "", line)
    if line.lstrip().startswith("#"):
        return ""
    return line.split(" #", 1)[0].split("\t#", 1)[0].rstrip()


def _joined_words(text: str) -> tuple[list[str], list[bool], bool]:
    """Words of one side of a pattern, whether '_' ties each to the thing before it, and whether the
    side ends with a '_' (tying its last word to what follows)."""
    text = re.sub(r"[(){}]", " ", text)  # PETRARCH-2 phrase brackets: keep the words
    words: list[str] = []
    joined: list[bool] = []
    tie = False
    for piece in re.split(r"([ _]+)", text):
        if not piece:
            continue
        if piece[0] in " _":
            tie = piece == "_" * len(piece)
            continue
        words.append(piece.upper())
        joined.append(tie)
        tie = False
    return words, joined, text.endswith("_")


def parse_elements(text: str, where: str, *, after_verb: bool) -> list[Element]:
    """Elements of one side of a pattern. After the verb they come in reading order, each adjacent when
    '_' ties it to the one before (or to the verb); before the verb they come nearest first, each
    adjacent when '_' ties it to its neighbour on the verb's side."""
    words, joined, trailing = _joined_words(text)
    for word in words:
        if word == "&":
            raise VerbDictionaryError(f"{where}: '&' without a synset name")
    if not words:
        return []
    if after_verb:
        return [Element(w, adjacent=j) for w, j in zip(words, joined, strict=True)]
    ties_toward_verb = joined[1:] + [trailing]
    return [Element(w, adjacent=t) for w, t in reversed(list(zip(words, ties_toward_verb, strict=True)))]


class _Reader:
    def __init__(self, target: VerbDictionary, source: str) -> None:
        self.d = target
        self.source = source
        self.block_code = NULL_CODE
        self.meaning = ""
        self.new_block = False
        self.synset: str | None = None
        self.synset_plurals = True
        self.pending_nested: list[tuple[str, str, str]] = []  # (synset, nested name, where)

    def where(self, number: int) -> str:
        return f"{self.source}:{number}"

    def read(self, lines: Iterable[str]) -> None:
        in_comment = False
        for number, raw in enumerate(lines, 1):
            if in_comment:
                if "-->" in raw:
                    in_comment = False
                continue
            if "<!--" in raw and "-->" not in raw.split("<!--", 1)[1]:
                in_comment = True
                raw = raw.split("<!--", 1)[0]
            line = _strip_comment(raw)
            if not line.strip():
                continue
            stripped = line.replace("\t", " ").strip()
            try:
                self.read_line(stripped, number)
            except VerbDictionaryError:
                raise
            except (ValueError, IndexError) as exc:
                raise VerbDictionaryError(f"{self.where(number)}: cannot read {stripped!r}: {exc}") from exc
        for name, nested, where in self.pending_nested:
            if nested not in self.d.synsets:
                raise VerbDictionaryError(f"{where}: synset {name} includes {nested}, which is never defined")
        self._expand_nested()

    def read_line(self, line: str, number: int) -> None:
        where = self.where(number)
        if line.startswith("---"):
            codes = _CODE_RE.findall(line)
            if not line.rstrip("- ").strip("- ") and not codes:
                raise VerbDictionaryError(f"{where}: verb block header without a label")
            self.block_code = parse_code(codes[0], where) if codes else NULL_CODE
            self.new_block = True
            self.synset = None
            return
        if line.startswith("&"):
            name = line.split()[0]
            self.synset_plurals = not name.endswith("_")
            self.synset = name.rstrip("_").upper()
            if len(self.synset) < 2:
                raise VerbDictionaryError(f"{where}: synset header without a name")
            self.d.synsets.setdefault(self.synset, [])
            return
        if line.startswith("+") and self.synset is not None:
            self.add_member(line[1:].strip(), where)
            return
        if line.startswith("-"):
            self.synset = None
            self.add_pattern(line[1:], number)
            return
        self.synset = None
        self.add_verb(line, where)

    def add_member(self, text: str, where: str) -> None:
        assert self.synset is not None
        if not text:
            raise VerbDictionaryError(f"{where}: empty synset member")
        if text.startswith("&"):
            self.pending_nested.append((self.synset, text.split()[0].rstrip("_").upper(), where))
            return
        no_plural = text.endswith("_") or not self.synset_plurals
        words = tuple(w.upper() for w in text.replace("_", " ").split())
        members = self.d.synsets[self.synset]
        members.append(words)
        if not no_plural:
            members.append(words[:-1] + (plural(words[-1]),))

    def _expand_nested(self) -> None:
        changed = True
        rounds = 0
        while changed and rounds < 20:  # nesting deeper than 20 levels would be a cycle
            changed = False
            rounds += 1
            for name, nested, _ in self.pending_nested:
                for member in self.d.synsets.get(nested, []):
                    if member not in self.d.synsets[name]:
                        self.d.synsets[name].append(member)
                        changed = True

    def add_verb(self, line: str, where: str) -> None:
        codes = _CODE_RE.findall(line)
        code = parse_code(codes[0], where) if codes else self.block_code
        body = _CODE_RE.sub("", line)
        irregular = _IRREGULAR_RE.search(body)
        head = _IRREGULAR_RE.sub("", body).strip()
        if not head:
            raise VerbDictionaryError(f"{where}: verb line without a verb")
        head = head.split()[0]
        if self.new_block or not self.meaning:
            self.meaning = head.replace("+", "").replace("_", " ").upper()
            self.new_block = False
            self.d.patterns.setdefault(self.meaning, [])
        forms_given = irregular.group(1).split() if irregular else []
        if "_" in head or "+" in head:
            self.add_multiword(head, forms_given, code, where)
            return
        forms = [head.upper()] + [f.upper() for f in forms_given] if irregular else regular_forms(head)
        for form in dict.fromkeys(forms):
            self.d.verbs.setdefault(form, []).append(VerbEntry(self.meaning, code))

    def add_multiword(self, head: str, irregular: list[str], code: str, where: str) -> None:
        if "+" not in head:
            raise VerbDictionaryError(f"{where}: multi-word verb {head!r} needs a '+' on the verb word")
        phrases = [head] + irregular if irregular else self._regular_multiword(head)
        for phrase in phrases:
            words = [w for w in phrase.upper().split("_") if w]
            marked = [i for i, w in enumerate(words) if w.startswith("+")]
            if len(marked) != 1:
                continue  # PETRARCH skips irregular forms without their '+' as well
            i = marked[0]
            verb = words[i][1:]
            entry = VerbEntry(self.meaning, code, tuple(words[:i]), tuple(words[i + 1 :]))
            self.d.verbs.setdefault(verb, []).append(entry)

    @staticmethod
    def _regular_multiword(head: str) -> list[str]:
        words = head.split("_")
        i = next(k for k, w in enumerate(words) if w.startswith("+"))
        root = words[i][1:]
        out = []
        for form in regular_forms(root):
            out.append("_".join(words[:i] + ["+" + form] + words[i + 1 :]))
        return out

    def add_pattern(self, text: str, number: int) -> None:
        where = self.where(number)
        if not self.meaning:
            raise VerbDictionaryError(f"{where}: pattern before any verb")
        codes = _CODE_RE.findall(text)
        if not codes:
            raise VerbDictionaryError(f"{where}: pattern without a [code]")
        code = parse_code(codes[0], where)
        body = _CODE_RE.sub("", text).rstrip()
        if body.count("*") != 1:
            raise VerbDictionaryError(f"{where}: a pattern needs exactly one '*' (the verb): {text.strip()!r}")
        upper_text, lower_text = body.split("*")
        # PETRARCH reads "WORD_ *" as an open match, like "WORD *"
        upper = parse_elements(upper_text.strip(" ") if not upper_text.endswith("_ ") else upper_text.rstrip("_ "), where, after_verb=False)
        lower = parse_elements(lower_text.rstrip(" _"), where, after_verb=True)
        pattern = VerbPattern(tuple(upper), tuple(lower), code, number, self.source)
        self.d.patterns[self.meaning].append(pattern)
