"""Dictionary-driven event coding of parsed sentences, the way TABARI and PETRARCH-1 code them.

Users who own TABARI/PETRARCH dictionaries (verbs, actors, agents, discards: e.g. the Phoenix
``CAMEO.2.0.txt`` with ``Phoenix.*.actors.txt``) load them into ``DictionaryCoder`` and code
constituency trees (``parsetree.Node``, from a PTB bracket string or from spaCy). For each sentence:

1. discard phrases veto the sentence (or, with ``+``, the story);
2. noun phrases become actor chunks: simple NPs, possessives ("Arnor's army"), NP + PP ("the king of
   Gondor"), and compounds ("Arnor, Gondor and Rohan") whose members are coded one by one; each chunk's
   code is the first actor phrase in it (date-restricted codes against the sentence date) composed with
   its agents (``[~GOV]`` after the country code, ``[NGO~]`` before it, ``---GOV`` without a country);
3. comma-delimited clauses of a configured length are removed, as PETRARCH does;
4. each verb phrase whose verb is in the verb dictionary is matched against the patterns of its verb
   block (words before the verb and after it, synsets, ``$`` source, ``+`` target, ``%`` compound,
   ``^`` skipped noun phrase); the best pattern's code wins, else the verb's own code; the source is
   the nearest coded actor before the verb, the target the first actor inside the verb phrase; passive
   verbs ("was shot by") swap them; ``a:b`` codes give the pair of events; compound actors give one
   event per member; self-references and (by default) events with a null side are dropped.

This module does pattern and actor matching only: it never parses text (see ``parsetree``) and never
reads files other than the dictionaries it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsmill.enrichment.dictionaries import (
    ActorEntry,
    AgentEntry,
    read_actor_entries,
    read_agent_entries,
    read_discards,
)
from newsmill.enrichment.parsetree import Node
from newsmill.enrichment.verbdict import (
    COMPOUND,
    NULL_CODE,
    SKIP_PHRASE,
    SOURCE,
    TARGET,
    Element,
    VerbDictionary,
    VerbEntry,
    VerbPattern,
)

#: Words PETRARCH steps over when it matches patterns and multi-word verbs: articles, a few pronouns
#: and auxiliaries, number words and digits (its ``skip_item`` list).
SKIPPED_WORDS = frozenset(
    "THE A AN IT HE THEY HER HAS HAD HAVE SOME FEW THAT HUNDRED THOUSAND MILLION BILLION TRILLION DOZEN "
    "ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE DOLLAR DUCAT".split()
)
#: Patterns look at most this many words on each side of the verb. The longest PETRARCH unit-test
#: sentences have about 60 words; past 120 a "sentence" is markup debris or a list, and matching every
#: pattern against thousands of words would cost seconds (4 s for 5,000 words with CAMEO.2.0.txt).
MAX_PATTERN_TOKENS = 120
#: Auxiliary verb phrases followed down to a passive participle ("could have been being shelled").
MAX_AUXILIARY_CHAIN = 6
#: Forms of "be" that make "AUX ... VBN ... by" a passive.
PASSIVE_AUXILIARIES = frozenset("IS WAS BEEN ARE WERE BE BEING".split())


@dataclass(frozen=True)
class CoderOptions:
    """PETRARCH's run options. The comma settings remove comma-delimited clauses whose word count lies
    in [min, max] (0 as max turns that kind off): intermediate clauses between two commas, the
    terminal clause after the last comma, the initial clause before the first. The defaults are
    PETRARCH's configuration defaults."""

    require_dyad: bool = True
    new_actor_length: int = 0
    comma_min: int = 2
    comma_max: int = 8
    comma_bmin: int = 0
    comma_bmax: int = 0
    comma_emin: int = 2
    comma_emax: int = 8

    def with_option(self, name: str, value: str) -> CoderOptions:
        """A copy with one option changed from its text form (as in PETRARCH ``<Config>`` tags)."""
        name = name.strip().lower()
        if name == "require_dyad":
            return replace(self, require_dyad="false" not in value.lower())
        if name in ("new_actor_length", "comma_min", "comma_max", "comma_bmin", "comma_bmax", "comma_emin", "comma_emax"):
            try:
                number = int(value)
            except ValueError:
                raise ValueError(f"option {name} needs a whole number, not {value!r}") from None
            return replace(self, **{name: number})  # type: ignore[arg-type]
        return self  # PETRARCH ignores options it does not know (stop_on_error...)


@dataclass(frozen=True)
class CodedEvent:
    source: str
    target: str
    code: str
    verb: str
    pattern_line: int | None = None  # the verb-dictionary line of the pattern that matched, if any
    source_text: str = ""
    target_text: str = ""
    passive: bool = False


@dataclass
class SentenceCoding:
    events: list[CodedEvent] = field(default_factory=list)
    discarded: str | None = None  # the discard phrase that vetoed the sentence
    story_discard: bool = False


# --- chunks: the sentence as words and actor noun phrases -----------------------------------------


@dataclass(eq=False)
class Chunk:
    """A noun phrase that can name an actor; a compound holds its members."""

    words: list[str]
    members: list[Chunk] = field(default_factory=list)
    code: str = NULL_CODE

    @property
    def is_compound(self) -> bool:
        return bool(self.members)

    def codes(self) -> list[str]:
        if not self.members:
            return [self.code]
        coded = [m.code for m in self.members if m.code != NULL_CODE]
        return coded or [NULL_CODE]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Token:
    word: str  # upper case
    tag: str
    chunk: Chunk | None = None  # the actor noun phrase (a compound's member) the word is in
    compound: Chunk | None = None
    deleted: bool = False


@dataclass
class VerbPhrase:
    start: int  # token range of the VP
    end: int
    node: Node
    #: token ranges of earlier conjuncts in "condemned X and promised Y": not looked at for the source
    skip: list[tuple[int, int]] = field(default_factory=list)


class _Linearizer:
    """Turns a tree into tokens with actor chunks, and lists its verb phrases."""

    def __init__(self, root: Node) -> None:
        self.tokens: list[Token] = []
        self.vps: list[VerbPhrase] = []
        self.vp_by_node: dict[int, VerbPhrase] = {}
        self.chunks: list[Chunk] = []
        self.compound_nodes = _compound_nodes(root)
        self.conjuncts: list[tuple[int, int, list[tuple[int, int]]]] = []
        self.walk(root)
        for start, end, skip in self.conjuncts:
            for vp in self.vps:
                if start <= vp.start and vp.end <= end:
                    vp.skip.extend(skip)

    def add_chunk(self, chunk: Chunk) -> None:
        """The chunk's words as tokens; a compound keeps all its words ("neither A nor B"), each token
        standing for the whole compound, whose members carry the codes."""
        self.chunks.append(chunk)
        for word in chunk.words:
            self.tokens.append(Token(word, "NE", chunk, chunk if chunk.members else None))

    def walk(self, node: Node) -> None:
        if node.is_word:
            self.tokens.append(Token((node.word or "").upper(), node.label))
            return
        if node.label == "NP" or id(node) in self.compound_nodes:
            chunk = self.noun_phrase(node)
            if chunk is not None:
                self.add_chunk(chunk)
                return
        start = len(self.tokens)
        spans = []
        for child in node.children:
            child_start = len(self.tokens)
            self.walk(child)
            spans.append((child, child_start, len(self.tokens)))
        if node.label == "VP" and any(c.label == "CC" for c in node.children):
            earlier: list[tuple[int, int]] = []
            for child, a, b in spans:
                if child.label == "VP":
                    if earlier:
                        self.conjuncts.append((a, b, list(earlier)))
                    earlier.append((a, b))
        if node.label == "VP":
            self.vps.append(VerbPhrase(start, len(self.tokens), node))
            self.vp_by_node[id(node)] = self.vps[-1]

    def noun_phrase(self, node: Node) -> Chunk | None:
        if id(node) in self.compound_nodes:
            return self.compound(node)
        labels = [n.label for n in node.walk()][1:]
        if "POS" in labels:
            return self.with_compounds(node, [w for n in node.preterminals() if n.label != "POS" for w in [n.word or ""]])
        if "PP" in labels:
            return self.prepositional(node)
        if not any(n.label == "NP" or id(n) in self.compound_nodes for n in list(node.walk())[1:]):
            return Chunk(_upper(node.words()))
        return None

    def with_compounds(self, node: Node, words: list[str]) -> Chunk:
        """A chunk from ``words``; when a compound sits inside the phrase, one member per conjunct, each
        with the words around the compound ("the armies of Arnor and Gondor")."""
        inner = next((n for n in node.walk() if id(n) in self.compound_nodes and n is not node), None)
        if inner is None:
            return Chunk(_upper(words))
        compound = self.compound(inner)
        inner_words = inner.words()
        all_words = [w for w in words]
        pos = _find_sublist(all_words, inner_words)
        if pos < 0:
            return Chunk(_upper(words))
        before, after = _upper(all_words[:pos]), _upper(all_words[pos + len(inner_words) :])
        members = [Chunk(before + m.words + after) for m in compound.members]
        return Chunk(_upper(words), members)

    def compound(self, node: Node) -> Chunk:
        adjectives: list[str] = []
        members: list[Chunk] = []
        for child in node.children:
            if child.label.startswith("JJ") and not members:
                adjectives.extend(child.words())
            elif child.label.startswith("NN") and child.is_word:
                members.append(Chunk(_upper(adjectives + child.words())))
            elif child.label == "NP" or id(child) in self.compound_nodes:
                members.append(Chunk(_upper(child.words())))
        return Chunk(_upper(node.words()), members)

    def prepositional(self, node: Node) -> Chunk | None:
        """(NP (NP head) (PP (IN of) (NP object))) → one chunk "head of object"; deeper PPs are not merged."""
        pp = next(n for n in list(node.walk())[1:] if n.label == "PP")
        parent = _parent(node, pp)
        if parent is None or not parent.children or not (parent.children[0].label == "NP" or id(parent.children[0]) in self.compound_nodes):
            return None
        if sum(c.label == "PP" for c in parent.children) > 1:
            return None  # "the closure of houses in Bree": several PPs side by side, each noun phrase counts
        head = parent.children[0]
        prep = next((c for c in pp.children if c.is_word), None)
        obj = next((c for c in pp.children if c.label == "NP" or id(c) in self.compound_nodes), None)
        if prep is None or obj is None or any(n.label == "PP" for n in obj.walk()):
            return None
        words = head.words() + [prep.word or ""] + obj.words()
        if id(head) in self.compound_nodes or id(obj) in self.compound_nodes:
            # "lawmakers and officials in Fornost and Gondor": one member per combination
            heads = [m.words for m in self.compound(head).members] if id(head) in self.compound_nodes else [_upper(head.words())]
            objects = [m.words for m in self.compound(obj).members] if id(obj) in self.compound_nodes else [_upper(obj.words())]
            prep_word = _upper([prep.word or ""])
            members = [Chunk(h + prep_word + o) for h in heads for o in objects]
            return Chunk(_upper(words), members)
        return self.with_compounds(parent, words)


def _upper(words: Iterable[str]) -> list[str]:
    return [w.upper() for w in words if w]


def _find_sublist(words: list[str], part: list[str]) -> int:
    for i in range(len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return i
    return -1


def _parent(root: Node, child: Node) -> Node | None:
    for node in root.walk():
        if any(c is child for c in node.children):
            return node
    return None


def _compound_nodes(root: Node) -> set[int]:
    """Noun phrases that coordinate several nouns, PETRARCH's rule: the phrase around a CC is a compound
    when it holds no clause or verb phrase, only one CC, and at least two nouns or noun phrases."""
    found: set[int] = set()
    for node in root.walk():
        if node.label != "NP" or not any(c.label == "CC" for c in node.children):
            continue
        below = list(node.walk())[1:]
        if any(n.label.startswith("S") or n.label == "VP" for n in below):
            continue
        if sum(n.label == "CC" for n in below) > 1:
            continue
        if sum(n.label.startswith("N") for n in below) >= 2:
            found.add(id(node))
    return found


# --- the coder -------------------------------------------------------------------------------------


class DictionaryCoder:
    def __init__(
        self,
        verbs: VerbDictionary,
        actors: Sequence[ActorEntry] = (),
        agents: Sequence[AgentEntry] = (),
        discards: Sequence[tuple[tuple[str, ...], bool]] = (),
        options: CoderOptions | None = None,
    ) -> None:
        self.verbs = verbs
        self.options = options or CoderOptions()
        #: lines of the dictionaries that were skipped, with why (file:line: ...)
        self.warnings: list[str] = list(verbs.warnings)
        self.discards: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
        for discard_words, story in discards:
            if discard_words:
                self.discards.setdefault(discard_words[0], []).append((discard_words, story))
        self.actors: dict[str, list[tuple[ActorEntry, int]]] = {}
        for entry in actors:
            for phrase_index, phrase in enumerate(entry.phrases):
                if phrase.words:
                    self.actors.setdefault(phrase.words[0], []).append((entry, phrase_index))
        for actor_candidates in self.actors.values():  # longest phrase first, then file order
            actor_candidates.sort(key=lambda c: -len(c[0].phrases[c[1]].words))
        self.agents: dict[str, list[AgentEntry]] = {}
        for agent in agents:
            if agent.phrase.words:
                self.agents.setdefault(agent.phrase.words[0], []).append(agent)
        for candidates in self.agents.values():
            candidates.sort(key=lambda a: -len(a.phrase.words))

    @classmethod
    def load(
        cls,
        verb_files: Iterable[str | Path],
        actor_files: Iterable[str | Path] = (),
        agent_files: Iterable[str | Path] = (),
        discard_files: Iterable[str | Path] = (),
        options: CoderOptions | None = None,
    ) -> DictionaryCoder:
        verbs = VerbDictionary.load(verb_files)
        warnings = list(verbs.warnings)
        actors = [e for p in actor_files for e in read_actor_entries(_lines(p), str(p), warnings)]
        agents = [e for p in agent_files for e in read_agent_entries(_lines(p), str(p), warnings)]
        discards = [d for p in discard_files for d in read_discards(_lines(p))]
        coder = cls(verbs, actors, agents, discards, options)
        coder.warnings = warnings
        return coder

    # --- actors ---

    def actor_code(self, words: list[str], day: str | None) -> str:
        # dictionary phrases join words with "_", and so do some texts ("Dol_Amroth")
        words = [part for word in words for part in word.split("_") if part]
        actor_span = (-1, -1)
        code = ""
        for k, word in enumerate(words):
            for entry, index in self.actors.get(word, ()):
                length = entry.phrases[index].match_at(words, k)
                if length:
                    code, actor_span = entry.code_on(day), (k, k + length)
                    break
            if code:
                break
        agents: list[AgentEntry] = []
        k = 0
        while k < len(words):
            if actor_span[0] <= k < actor_span[1]:
                k += 1
                continue
            for agent in self.agents.get(words[k], ()):
                length = agent.phrase.match_at(words, k)
                if length:
                    agents.append(agent)
                    k += length - 1
                    break
            k += 1
        if not agents:
            return code or NULL_CODE
        code = code or NULL_CODE
        for agent in agents:
            if any(code[i : i + len(agent.code)] == agent.code for i in range(0, max(len(code) - len(agent.code) + 1, 0), 3)):
                break  # an agent already in the code ends the composition, as in PETRARCH
            code = agent.code + code if agent.prefix else code + agent.code
        return code

    # --- sentences ---

    def discard(self, text: str) -> tuple[str, bool] | None:
        """The first discard phrase in ``text`` and whether it vetoes the whole story, else None."""
        words = re.findall(r"[\w'&.-]+", text.upper())
        words = [w.strip(".") for w in words]
        for i, word in enumerate(words):
            for phrase, story in self.discards.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    return " ".join(phrase), story
        return None

    def code(self, tree: Node, date: str | None = None, text: str | None = None, options: CoderOptions | None = None) -> SentenceCoding:
        """Events of one parsed sentence. ``date`` is ISO (``1995-01-01``) or ``YYYYMMDD``; ``text`` is the
        sentence for the discard check (the tree's words when omitted)."""
        options = options or self.options
        result = SentenceCoding()
        sentence_text = text if text is not None else " ".join(tree.words())
        if hit := self.discard(sentence_text):
            result.discarded, result.story_discard = hit
            return result
        day = _iso_day(date)
        lin = _Linearizer(tree)
        for chunk in lin.chunks:
            for part in chunk.members or [chunk]:
                part.code = self.actor_code(part.words, day)
                if part.code == NULL_CODE and options.new_actor_length > 0 and len(part.words) - 1 < options.new_actor_length:
                    part.code = f'"{part.text}"'
        _remove_comma_clauses(lin.tokens, options)
        events: list[CodedEvent] = []
        covered_until = -1
        for vp in sorted(lin.vps, key=lambda v: (v.start, -v.end)):
            if vp.start < covered_until:
                continue
            coded, produced = self._code_verb_phrase(lin, vp, options)
            if coded:
                covered_until = vp.end
                for event in produced:
                    if event not in events:
                        events.append(event)
        result.events = events
        return result

    def _code_verb_phrase(self, lin: _Linearizer, vp: VerbPhrase, options: CoderOptions) -> tuple[bool, list[CodedEvent]]:
        first = vp.node.children[0] if vp.node.children else None
        if first is None or not first.is_word or not first.label.startswith("VB"):
            return False, []
        tokens = lin.tokens
        verb_index = vp.start
        if tokens[verb_index].deleted:
            return False, []
        passive_at = _passive_verb(lin, vp)
        passive = passive_at is not None
        if passive_at is not None:
            verb_index = passive_at
        found = self._verb_entry(tokens, verb_index, vp.end)
        if found is None:
            return False, []
        entry, verb_start, verb_end = found
        upper = _upper_tokens(tokens, verb_start, vp.skip)
        lower = [t for t in tokens[verb_end + 1 : vp.end] if not t.deleted]
        code, pattern, source, target = entry.code, None, None, None
        matched = self._match_patterns(entry.meaning, upper[:MAX_PATTERN_TOKENS], lower[:MAX_PATTERN_TOKENS])
        if matched is not None and _is_event_code(matched[0].code):
            pattern, source, target = matched
            code = pattern.code
        if code == NULL_CODE:
            return False, []
        if target is None:
            target = _first_chunk(lower)
        if target is None:
            return True, []
        if source is None:
            source = _nearest_source(upper, target)
        if source is None:
            return True, []
        verb_word = tokens[verb_index].word
        events = _make_events(source, target, code, passive, options, verb_word, pattern.line if pattern else None)
        return True, events

    def _verb_entry(self, tokens: list[Token], index: int, vp_end: int) -> tuple[VerbEntry, int, int] | None:
        entries = self.verbs.entries(tokens[index].word)
        if not entries:
            return None
        simple = None
        for entry in entries:
            if not entry.before and not entry.after:
                simple = simple or entry
                continue
            end = _match_words_forward(tokens, index + 1, entry.after, len(tokens)) if entry.after else index
            start = _match_words_backward(tokens, index - 1, entry.before) if entry.before else index
            if end is not None and start is not None:
                return entry, start, end
        if simple is None:
            return None
        return simple, index, index

    def _match_patterns(
        self, meaning: str, upper: list[Token], lower: list[Token]
    ) -> tuple[VerbPattern, Chunk | None, Chunk | None] | None:
        """The pattern with the most words that matches, with its source and target bindings."""
        best: tuple[VerbPattern, Chunk | None, Chunk | None] | None = None
        for pattern in self.verbs.patterns.get(meaning, ()):
            if best is not None and pattern.literal_count <= best[0].literal_count:
                continue
            bound: dict[str, Chunk] = {}
            if not self._match_side(pattern.lower, 0, lower, 0, bound, True):
                continue
            if not self._match_side(pattern.upper, 0, upper, 0, bound, False):
                continue
            best = (pattern, bound.get(SOURCE), bound.get(TARGET))
        return best

    def _match_side(
        self, elements: tuple[Element, ...], k: int, tokens: list[Token], pos: int, bound: dict[str, Chunk],
        after_verb: bool,
    ) -> bool:
        """Match ``elements[k:]`` against ``tokens[pos:]`` (gaps allowed unless an element is adjacent)."""
        if k == len(elements):
            return True
        element = elements[k]
        candidates = range(pos, len(tokens))
        if element.adjacent:
            start = pos
            while start < len(tokens) and tokens[start].word in SKIPPED_WORDS and tokens[start].word != element.text:
                start += 1
            candidates = range(start, min(start + 1, len(tokens)))
        for i in candidates:
            token = tokens[i]
            if element.text in (SOURCE, TARGET):
                if token.chunk is None:
                    continue
                chunk = token.compound or token.chunk
                saved = bound.get(element.text)
                bound[element.text] = chunk
                if self._match_side(elements, k + 1, tokens, i, bound, after_verb):
                    return True
                if saved is None:
                    bound.pop(element.text, None)
                else:
                    bound[element.text] = saved
            elif element.text == COMPOUND:
                # a compound actor: before the verb its members act on each other ("Arnor and Gondor
                # have postponed": the TABARI reading), after it they are the target ("agrees with A and B")
                if token.compound is None:
                    continue
                roles = (TARGET,) if after_verb else (SOURCE, TARGET)
                before = {role: bound.get(role) for role in roles}
                for role in roles:
                    bound[role] = token.compound
                if self._match_side(elements, k + 1, tokens, i, bound, after_verb):
                    return True
                for role, value in before.items():
                    if value is None:
                        bound.pop(role, None)
                    else:
                        bound[role] = value
            elif element.text == SKIP_PHRASE:
                if token.chunk is None:
                    continue
                j = i
                while j < len(tokens) and tokens[j].chunk is token.chunk:
                    j += 1
                if self._match_side(elements, k + 1, tokens, j, bound, after_verb):
                    return True
            elif element.is_synset:
                for member in self.verbs.synset_members(element.text):
                    n = len(member)
                    if [t.word for t in tokens[i : i + n]] == list(member) and self._match_side(elements, k + 1, tokens, i + n, bound, after_verb):
                        return True
                    # before the verb tokens run away from it, so a phrase reads backwards
                    if n > 1 and [t.word for t in tokens[i : i + n]] == list(reversed(member)) and self._match_side(
                        elements, k + 1, tokens, i + n, bound, after_verb
                    ):
                        return True
            elif token.word == element.text:
                if self._match_side(elements, k + 1, tokens, i + 1, bound, after_verb):
                    return True
        return False


def _is_event_code(code: str) -> bool:
    """False for "---" (no event) and TABARI's "+++"/"###" markers (complex event, discard), which
    PETRARCH does not code either."""
    return any(ch.isalnum() for ch in code)


def _lines(path: str | Path) -> list[str]:
    return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()


def _iso_day(date: str | None) -> str | None:
    if not date:
        return None
    digits = re.sub(r"\D", "", date)
    if len(digits) >= 8:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return None


def _passive_verb(lin: _Linearizer, vp: VerbPhrase) -> int | None:
    """Token index of the participle of a passive ("was shelled by", "could be drawn ... by"): down the
    chain of auxiliary verb phrases that starts at ``vp``, a form of "be", then a participle whose phrase
    has "by" in it. Clauses below (SBAR, S) are not part of the chain."""
    node = vp.node
    saw_be = False
    for _ in range(MAX_AUXILIARY_CHAIN):
        head = node.children[0] if node.children else None
        if head is None or not head.is_word:
            return None
        word = (head.word or "").upper()
        if head.label == "VBN" and saw_be and node is not vp.node:
            phrase = lin.vp_by_node.get(id(node))
            if phrase is not None and any(t.word == "BY" for t in lin.tokens[phrase.start + 1 : phrase.end]):
                return phrase.start
            return None
        saw_be = saw_be or word in PASSIVE_AUXILIARIES
        if not (head.label.startswith("VB") or head.label in ("MD", "TO")):
            return None
        inner = next((c for c in node.children[1:] if c.label == "VP"), None)
        if inner is None:
            return None
        node = inner
    return None


def _match_words_forward(tokens: list[Token], start: int, words: tuple[str, ...], end: int) -> int | None:
    k = start
    last = start - 1
    for word in words:
        while k < end and tokens[k].word in SKIPPED_WORDS and tokens[k].word != word:
            k += 1
        if k >= end or tokens[k].word != word:
            return None
        last = k
        k += 1
    return last


def _match_words_backward(tokens: list[Token], start: int, words: tuple[str, ...]) -> int | None:
    k = start
    first = start + 1
    for word in reversed(words):
        while k >= 0 and tokens[k].word in SKIPPED_WORDS and tokens[k].word != word:
            k -= 1
        if k < 0 or tokens[k].word != word:
            return None
        first = k
        k -= 1
    return first


def _upper_tokens(tokens: list[Token], verb_start: int, skip: list[tuple[int, int]]) -> list[Token]:
    """Tokens before the verb, nearest first, up to the start of the sentence or a comma."""
    out = []
    for index in range(verb_start - 1, -1, -1):
        token = tokens[index]
        if token.deleted or any(a <= index < b for a, b in skip):
            continue
        if token.tag == ",":
            break
        out.append(token)
    return out


def _chunk_of(token: Token) -> Chunk | None:
    return token.compound or token.chunk


def _first_chunk(lower: list[Token]) -> Chunk | None:
    """The target: the first compound or coded actor in the verb phrase, else its first noun phrase."""
    first_any = None
    for token in lower:
        chunk = _chunk_of(token)
        if chunk is None:
            continue
        if chunk.is_compound or chunk.code != NULL_CODE:
            return chunk
        first_any = first_any or chunk
    return first_any


def _nearest_source(upper: list[Token], target: Chunk) -> Chunk | None:
    """The source: the nearest compound or coded actor before the verb that is not coded like the
    target, else the nearest noun phrase that is not."""
    target_code = target.codes()[0]
    fallback = None
    for token in upper:
        chunk = _chunk_of(token)
        if chunk is None or chunk is target:
            continue
        same = not chunk.is_compound and chunk.code == target_code
        if same:
            continue
        if chunk.is_compound or chunk.code != NULL_CODE:
            return chunk
        fallback = fallback or chunk
    return fallback


def _expand(codes: list[str]) -> list[str]:
    return [part for code in codes for part in code.split("/") if part]


def _make_events(
    source: Chunk, target: Chunk, code: str, passive: bool, options: CoderOptions, verb: str, line: int | None
) -> list[CodedEvent]:
    sources, targets = _expand(source.codes()), _expand(target.codes())
    if passive:
        sources, targets = targets, sources
        source, target = target, source
    pairs: list[tuple[list[str], list[str], str]] = []
    if ":" in code:
        forward, back = code.split(":", 1)
        if sources[0] == NULL_CODE or targets[0] == NULL_CODE:
            if targets[0] == NULL_CODE:
                targets = sources
            else:
                sources = targets
        pairs = [(sources, targets, forward), (targets, sources, back)]
    else:
        pairs = [(sources, targets, code)]
    events: list[CodedEvent] = []
    for srcs, tgts, event_code in pairs:
        if not event_code:
            continue
        for s in srcs:
            for t in tgts:
                if s == t:
                    continue
                if options.require_dyad and (s == NULL_CODE or t == NULL_CODE):
                    continue
                event = CodedEvent(s, t, event_code, verb, line, source.text, target.text, passive)
                if event not in events:
                    events.append(event)
    return events


def _remove_comma_clauses(tokens: list[Token], options: CoderOptions) -> None:
    """Mark as deleted the words of comma-delimited clauses whose length is in the configured ranges."""

    def words_between(a: int, b: int) -> int:
        return sum(1 for t in tokens[a:b] if not t.deleted and t.word[:1].isalpha())

    def delete(a: int, b: int) -> None:
        for t in tokens[a:b]:
            t.deleted = True

    commas = [i for i, t in enumerate(tokens) if t.tag == ","]
    if not commas:
        return
    if options.comma_bmax:
        n = words_between(0, commas[0])
        if options.comma_bmin <= n <= options.comma_bmax:
            delete(0, commas[0])
    if options.comma_emax:
        end = len(tokens)
        while end > 0 and tokens[end - 1].tag in (".", "''", ":"):
            end -= 1
        n = words_between(commas[-1] + 1, end)
        if options.comma_emin <= n <= options.comma_emax:
            delete(commas[-1] + 1, end)
    if options.comma_max:
        for a, b in zip(commas, commas[1:], strict=False):
            n = words_between(a + 1, b)
            if options.comma_min <= n <= options.comma_max:
                delete(a, b)  # the first comma goes with the clause, so the sentence reads on


# --- inside the enrichment pipeline ----------------------------------------------------------------


def classify_dictionary_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Split PETRARCH-layout files into (actor, agent, discard) dictionaries by their content; newsmill's
    own actor tables ("|" columns) are left out: they feed the built-in resolver, not this coder."""
    from newsmill.enrichment.dictionaries import looks_like_newsmill_table, looks_like_petrarch_agents

    actors: list[Path] = []
    agents: list[Path] = []
    discards: list[Path] = []
    for raw in paths:
        path = Path(raw)
        lines = _lines(path)
        content = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith(("#", "<!"))]
        if looks_like_newsmill_table(lines):
            continue
        if looks_like_petrarch_agents(lines):
            agents.append(path)
        elif content and not any("[" in ln.split("#", 1)[0] for ln in content):
            discards.append(path)
        else:
            actors.append(path)
    return actors, agents, discards


def event_fields(code: str) -> tuple[str, str | None, float, int]:
    """(PLOVER type, mode, Goldstein score, quad class) for a CAMEO code; a code outside CAMEO (the
    fictional codes of test dictionaries) gets an empty type, score 0 and quad class 0."""
    from newsmill.enrichment.cameo import cameo

    if code.isdigit() and 1 <= int(code[:2]) <= 20:
        try:
            entry = cameo(code)
            return entry.plover, entry.mode, entry.goldstein, entry.quad_class
        except KeyError:
            pass
    return "", None, 0.0, 0
