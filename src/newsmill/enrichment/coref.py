"""Who a noun phrase or pronoun refers to: actor resolution for parsed spans, with light coreference.

Pronoun subjects ("they", "it", "he") go to the latest earlier subject of the right number within a
few sentences; a pronoun subject inside what a speaker says ("The US says it is staying") is the
speaker. This is deliberately small: it covers the cases event coding needs, not general coreference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsmill.enrichment.actors import ActorMatch, ActorTable
from newsmill.enrichment.entities import Mention
from newsmill.enrichment.lexicon import SPEECH_VERBS

#: How far back (in sentences) a pronoun may look for its antecedent; two covers "X did A. They did B."
#: and one intervening sentence, which is what the example and our fixtures need without long jumps.
MAX_ANTECEDENT_DISTANCE = 3
#: Longest phrase (tokens) taken as an actor; longer subtrees are clauses, not names.
MAX_PHRASE_TOKENS = 16
#: Entity types that are never actors: a parse that makes "Saturday" an object is wrong, not a target.
NON_ACTOR_ENTITY_TYPES = frozenset(("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"))
#: Entity labels whose head is an actor in itself, whatever the table says.
ACTOR_ENTITY_LABELS = frozenset(("PERSON", "ORG", "GPE", "NORP"))
#: Entity labels that make an actor of a phrase the table cannot place. Not GPE: the table knows every
#: country, so a place it lacks is a town or a base ("Ayn al-Assad"), somewhere things happen.
NAMED_ACTOR_LABELS = frozenset(("PERSON", "ORG", "NORP"))
#: Nouns for people whose sector comes from their modifiers ("rebel leaders", "Belarus's rulers", "the
#: deputy chief of X"): the phrase they head is the actor, not the modifier inside it. Lemmas.
PERSON_ROLE_NOUNS = frozenset(
    "leader ruler chief head ally member representative supporter adviser advisor prisoner detainee hostage "
    "captive inspector observer monitor peacekeeper national delegate aide loyalist follower partner neighbor "
    "neighbour rival opponent enemy counterpart".split()
)
#: Words that count or group the people named after their "of" ("a group of", "thousands of").
COLLECTIVE_WORDS = frozenset(
    "group team handful number majority minority batch contingent patch band some many most several all few "
    "dozen dozens hundred hundreds thousand thousands ten tens million millions score scores".split()
)
#: Dependents before a noun that count it rather than name it ("two", "some 800,000", "more than 1,000").
COUNT_DEPS = frozenset(("nummod", "quantmod"))
#: Tags of the words that describe a named thing rather than name it ("former", "neighboring", "war-torn").
DESCRIPTIVE_TAGS = frozenset(("JJ", "JJR", "JJS", "VBG", "VBN"))
#: Participles that locate the noun they follow ("based in", "operating in", "stationed at").
LOCATING_PARTICIPLES = frozenset("base operate station locate headquarter deploy".split())
#: Prepositions whose phrase belongs to a noun phrase that names an actor: where it is ("forces in
#: Guinea", "the town of Cizre", "refugees from Liberia", "a group based at"), or whose it is.
PHRASE_PREPS = frozenset(("of", "in", "from", "at", "near", "inside", "within"))
#: Tags of relative pronouns ("who", "whom", "which", "that" introducing a relative clause).
RELATIVE_PRONOUN_TAGS = frozenset(("WP", "WDT"))
PLURAL_PRONOUNS = frozenset("they them their theirs".split())
SINGULAR_PRONOUNS = frozenset("it its".split())
PERSON_PRONOUNS = frozenset("he him his she her".split())
PRONOUNS = PLURAL_PRONOUNS | SINGULAR_PRONOUNS | PERSON_PRONOUNS


@dataclass(frozen=True)
class ResolvedPhrase:
    text: str  # as written ("They")
    start: int  # character offsets
    end: int
    match: ActorMatch | None
    antecedent: str | None = None  # for pronouns: the phrase they stand for
    label: str = ""  # the entity label of the phrase's head word ("PERSON", "ORG", ...), "" when none
    antecedent_span: tuple[int, int] | None = None  # character offsets of the antecedent phrase

    @property
    def named(self) -> bool:
        """Named as a person, organisation, country or people, whether or not the table places it."""
        return self.match is not None or self.label in NAMED_ACTOR_LABELS

    @property
    def code(self) -> str | None:
        return self.match.code if self.match else None

    @property
    def name(self) -> str | None:
        if self.match and self.match.name:
            return self.match.name
        return self.antecedent or (self.text if self.match else None)


@dataclass
class _Antecedent:
    sentence: int
    phrase: ResolvedPhrase
    plural: bool
    person: bool


@dataclass
class Resolver:
    table: ActorTable
    date: str | None
    mentions: list[Mention]
    context_country: str | None = None
    antecedents: list[_Antecedent] = field(default_factory=list)

    def phrase_span(self, token, tight: bool = False):
        """The noun phrase headed by ``token``, without relative clauses and capped in length. ``tight``
        also leaves out phrases that do not say who or where the head is ("rulers for economic aid",
        "rebels on Tuesday", "Washington along with its allies")."""
        left = token.left_edge.i
        if tight:
            # "some 800,000 Iraqi Kurds", "two Russian diplomats": the count is not part of who they are
            counts = [c for c in token.lefts if c.dep_ in COUNT_DEPS]
            if counts:
                left = min(counts[-1].right_edge.i + 1, token.i)
            left = self._after_description(token, left)
        right = token.i
        for child in token.rights:
            # "a group based in Trinidad", "the Red Cross operating in Iraq": where they are says who
            if child.dep_ == "acl" and child.lemma_.lower() in LOCATING_PARTICIPLES:
                places = [c for c in child.rights if c.dep_ == "prep" and c.lower_ in PHRASE_PREPS]
                right = places[0].right_edge.i if places else child.i
                if not tight or not places or places[0] is not next(child.rights, None):
                    break
                continue
            # "the Democratic People's Republic of Korea (DPRK)": a bracketed short form repeats the name
            if tight and child.dep_ in ("appos", "npadvmod", "dep") and child.i > 0 and child.doc[child.i - 1].text == "(":
                break
            # "the government's refusal": the possessive ending is not part of the owner's name
            if child.dep_ == "case":
                break
            # "Arnor, Osgiliath and Gondor": each conjunct is an actor of its own (the coder splits them).
            if child.dep_ in ("relcl", "acl", "advcl", "punct", "cc", "conj"):
                break
            # "to Great Britain two of its nationals": a count after the head starts another phrase
            if tight and child.dep_ in COUNT_DEPS:
                break
            # "refugees from Liberia" says who they are; "refugees from their homes" is the verb's phrase
            # the parser hung on the noun: a locating phrase stays only with a named place in it
            if tight and child.dep_ == "prep" and child.lower_ in PHRASE_PREPS and child.lower_ != "of" and not any(
                c.dep_ == "pobj" and (c.pos_ == "PROPN" or c.ent_type_) for c in child.children
            ):
                break
            if tight and child.dep_ in ("prep", "npadvmod", "advmod") and child.lower_ not in PHRASE_PREPS:
                # "the Minister for Interior", "the Bank for International Settlements": part of a name
                named = child.dep_ == "prep" and token.pos_ == "PROPN" and any(
                    c.dep_ == "pobj" and c.pos_ == "PROPN" for c in child.children
                )
                if not named:
                    break
            right = child.right_edge.i
        right = min(right, token.i + MAX_PHRASE_TOKENS)
        return token.doc[left : right + 1]

    def _after_description(self, token, left: int) -> int:
        """Where the name in a phrase starts once the words that describe rather than identify are left
        out: plain adjectives and participles at its start ("war-torn Mozambique", "neighboring Lebanon",
        "former president", "top al-Qaeda leaders", "rival militias"), and before a name (not a people's)
        the lowercase common nouns that say what it is ("the capital Kabul", "candidate Alassane
        Ouattara", "the opposition newspaper La Prensa"); a capitalized title is part of the name ("Prime
        Minister Iyad Allawi"). Before other heads, words the actor table knows ("rebel", "military") stay,
        and so do words before a people's name ("ethnic Albanians", "ethnic Albanian guerrillas")."""
        doc = token.doc
        if token.pos_ != "PROPN" and token.lemma_.lower() not in PERSON_ROLE_NOUNS:
            return left  # "residential areas": a thing's description is all there is of it
        named_head = token.pos_ == "PROPN" and token.ent_type_ != "NORP"
        start, described = left, left
        while start < token.i:
            word = doc[start]
            if word.dep_ in ("det", "punct", "advmod") and not word.ent_type_:
                start += 1
                continue
            if word.ent_type_ or doc[start + 1].ent_type_ == "NORP" or not word.is_lower:
                break
            if not named_head and self.table.resolve_phrase(word.text, date=self.date) is not None:
                break
            # "war-torn": a hyphenated description is described by its last word
            last = start + 2 if doc[start + 1].text == "-" and start + 2 < token.i else start
            describes = doc[last].pos_ in ("ADJ", "VERB") and doc[last].tag_ in DESCRIPTIVE_TAGS
            if not describes and not (named_head and word.pos_ in ("NOUN", "ADJ")):
                break
            start = last + 1
            described = start
        return described

    def resolve(self, token, sentence: int) -> ResolvedPhrase | None:
        if token is None:
            return None
        # "the soldiers whom Chile captured", "rebels who attacked the police": a relative pronoun stands
        # for the noun its clause modifies
        if token.tag_ in RELATIVE_PRONOUN_TAGS and token.head.dep_ == "relcl" and token.head.head is not token:
            return self.resolve(token.head.head, sentence)
        # "thousands of Iraqi Kurds", "a group of refugees", "some of the rebels": who is counted acts
        counted = _counted(token)
        if counted is not None and (inner := self.resolve(counted, sentence)) is not None and inner.named:
            return inner
        if token.ent_type_ in NON_ACTOR_ENTITY_TYPES:
            return None
        lower = token.lower_
        if token.pos_ == "PRON" or lower in PRONOUNS:
            return self._pronoun(token, sentence)
        span = self.phrase_span(token)
        # A head that names an actor by itself ("rebels", "Washington") is the actor with what locates
        # it; a head that does not ("an admission by Moscow") keeps its whole phrase for the coder to
        # look inside.
        if self.names_itself(token):
            span = self.phrase_span(token, tight=True)
        return self.resolve_span(span)

    def names_itself(self, token) -> bool:
        """Whether the head word names an actor on its own: a name, an agent noun, a person's role."""
        if token.pos_ == "PROPN" or token.ent_type_ in ACTOR_ENTITY_LABELS or token.lemma_.lower() in PERSON_ROLE_NOUNS:
            return True
        match = self.table.resolve_phrase(token.text, date=self.date)
        return match is not None and match.type != "PRODUCT"

    def resolve_span(self, span) -> ResolvedPhrase:
        """An actor for an exact span ("Indian" of "an Indian proposal"), without widening it to a phrase."""
        # paragraph breaks are whitespace tokens the parser may hang on a name ("Saudi Arabia\n\n")
        start, end = span.start, span.end
        while end > start + 1 and span.doc[end - 1].is_space:
            end -= 1
        while start < end - 1 and span.doc[start].is_space:
            start += 1
        span = span.doc[start:end]
        match = self.table.resolve_phrase(span.text, date=self.date, context_country=self.context_country)
        if match is not None and match.type == "PLACE" and span.root.ent_type_ == "PERSON":
            match = None  # "Jackson" the person is not the town's civilians
        root = span.root
        label = root.ent_type_
        if not label and root.tag_ in ("NNS", "NNPS") and any(
            c.ent_type_ == "NORP" and c.dep_ in ("amod", "compound") for c in root.lefts
        ):
            label = "NORP"  # "Islamic fundamentalists", "Algerian landowners": people known by who they are
        return ResolvedPhrase(span.text, span.start_char, span.end_char, match, label=label)

    def remember_subject(self, token, phrase: ResolvedPhrase, sentence: int) -> None:
        if phrase.antecedent is not None or token.pos_ == "PRON":
            return
        # Subjects of relative and adverbial clauses ("bases where US personnel are located") are not
        # what later pronouns pick up; main-clause subjects are.
        if token.head.dep_ not in ("ROOT", "conj", "ccomp"):
            return
        plural = "Plur" in token.morph.get("Number") or any(c.dep_ == "conj" for c in token.children)
        person = bool(phrase.match and phrase.match.type == "PERSON") or token.ent_type_ == "PERSON"
        self.antecedents.append(_Antecedent(sentence, phrase, plural, person))

    def _pronoun(self, token, sentence: int) -> ResolvedPhrase | None:
        lower = token.lower_
        if lower in ("i", "we", "you", "me", "us", "one") or lower not in PRONOUNS:
            return None
        speaker = self._speaker_of_clause(token)
        if speaker is not None and token.dep_ in ("nsubj", "nsubjpass") and lower not in PERSON_PRONOUNS | {"they"}:
            found = self.resolve(speaker, sentence)
            if found is not None and found.match is not None:
                return ResolvedPhrase(
                    token.text, token.idx, token.idx + len(token), found.match, found.text, found.label,
                    (found.start, found.end),
                )
        plural = lower in PLURAL_PRONOUNS
        person = lower in PERSON_PRONOUNS
        for candidate in reversed(self.antecedents):
            if sentence - candidate.sentence > MAX_ANTECEDENT_DISTANCE:
                break
            if candidate.sentence > sentence or (candidate.sentence == sentence and candidate.phrase.start >= token.idx):
                continue
            if candidate.plural == plural and (candidate.person == person or plural):
                ante = candidate.phrase
                return ResolvedPhrase(
                    token.text, token.idx, token.idx + len(token), ante.match, ante.text, ante.label,
                    (ante.start, ante.end),
                )
        return None

    @staticmethod
    def _speaker_of_clause(token):
        """The subject of the speech verb whose complement holds ``token``, if any."""
        head = token.head
        steps = 0
        while head is not None and steps < 4:
            if head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_VERBS:
                verb = head.head
                return subject_of(verb)
            if head.head.i == head.i:
                return None
            head = head.head
            steps += 1
        return None


def _counted(token):
    """The 'of' object of a count or group word ("tens of thousands of students" → students)."""
    if not (token.lemma_.lower() in COLLECTIVE_WORDS or token.pos_ == "NUM"):
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN", "NUM")), None)
    return None


def subject_of(verb):
    """The subject of a verb, following conjoined and controlled verbs ('launched X and killed Y')."""
    seen = 0
    while verb is not None and seen < 6:
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
        # "Turkey massed troops": the small model sometimes labels a sentence-initial name npadvmod
        misread = next(
            (c for c in verb.lefts if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.ent_type_ not in ("DATE", "TIME")),
            None,
        )
        if misread is not None and misread.i == misread.sent.start:
            return misread
        # "launched X and killed Y", "wants to leave", "is about to restore" (the subject of the copula)
        if verb.dep_ == "conj" or (verb.dep_ in ("xcomp", "acomp") and verb.head.i != verb.i):
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "relcl":
            return verb.head
        # "demonstrated, calling for X", "opened fire to disperse them": a subjectless adverbial clause
        # (participle or purpose infinitive) is done by the subject of the clause it hangs on.
        # (not a bare past participle: "officers accused of spying" are the accused, not the accusers)
        if verb.dep_ == "advcl" and verb.tag_ != "VBN" and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
            seen += 1
            continue
        return None
    return None
