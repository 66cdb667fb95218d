"""Event coding: who did what to whom in each sentence, as CAMEO and PLOVER, with modality flags.

Triggers are verbs and event nouns from our lexicon (``lexicon.py``); the parse gives actor and target.
Flags keep what did not happen out of the counts: negated ("can't fight"), hypothetical ("would", "if",
"wants to"), historical ("has left before"). A conditional or planned attack that a speaker announces is
recoded as the speaker's THREATEN ("any mistake would be met with force"), and stopped cooperation as
SANCTION ("no longer trains"). Sentences longer than ``MAX_EVENT_SENTENCE_TOKENS`` are not coded.

The target is the actor the action falls on, found in this order: an indirect or direct object that
names an actor, a prepositional object ("fired at", "talks with"), the recipient of a governed
infinitive ("threatened to break off relations with X") or purpose clause ("opened fire to disperse
X"), the party a threat is conditioned on ("... if X goes ahead"), and, for protests, restrictions,
attacks and withdrawals with no one named, the place they happen in. A phrase about a thing points at
the actor inside it (``SentenceCoder._focus``: "an admission by Moscow", "a US offer", "Haiti's
efforts"); an action or a thing with no actor in it is never a target. Never codes a target from
outside the sentence, and never invents an actor the sentence does not name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsmill.enrichment.cameo import CameoCode, cameo
from newsmill.enrichment.coref import PERSON_ROLE_NOUNS, ResolvedPhrase, Resolver, subject_of
from newsmill.enrichment.lexicon import (
    DISCONTINUE_WORDS,
    FUTURE_MODALS,
    HISTORICAL_ADVERBS,
    HYPOTHETICAL_ADVERBS,
    HYPOTHETICAL_MARKS,
    IMPLICATIVE_VERBS,
    INTENT_VERBS,
    LIGHT_VERBS,
    MODALS,
    NEGATIVE_IMPLICATIVE_VERBS,
    NOUN_LEXICON,
    RECEIVING_LIGHT_VERBS,
    SPEECH_VERBS,
    VERB_LEXICON,
    WANT_VERBS,
    LexiconEntry,
)

#: Longer sentences are run-ons, lists or markup debris: their parse is unreliable and slow to walk.
#: 120 tokens is about 3x the longest real sentence in the example article and our fixtures.
MAX_EVENT_SENTENCE_TOKENS = 120
#: Prepositions whose object is the target of an action ("fired at", "sanctions on", "threats against").
TARGET_PREPS = ("against", "at", "on", "upon", "to", "toward", "towards", "into", "with", "between")
#: Prepositions inside a phrase about a thing ("an admission by Moscow", "the right of Russian troops")
#: whose object is the actor the phrase points at, in order of preference: the doer, the owner, the
#: counterpart, the place.
INNER_ACTOR_PREPS = ("by", "of", "from", "with", "between", "against", "to", "toward", "towards", "on", "for", "in")
#: Modifiers before a head noun that can name its actor ("an Indian proposal", "a U.N. Security Council
#: resolution").
ACTOR_MODIFIER_DEPS = frozenset(("amod", "compound", "nmod", "npadvmod"))
#: How deep ``_focus`` follows nested phrases ("an extension of the mandate for the force in Lebanon").
MAX_FOCUS_DEPTH = 3
#: Roots that become THREATEN when announced or planned rather than done: conflict from 14 (protest) up.
MATERIAL_CONFLICT_ROOTS = frozenset(f"{r}" for r in range(14, 21))
_THREAT_FOR_ROOT = {"16": "1312", "17": "131", "14": "133", "15": "138", "18": "138", "19": "138", "20": "138"}
#: PLOVER types that need a recipient (PLOVER manual), plus CONSULT, which needs a counterpart.
RECIPIENT_TYPES = frozenset(("COOPERATE", "AID", "SANCTION", "CONSULT"))
#: CAMEO codes of withdrawals (0871 truce ... 0874 retreat) and of mobilisation (15).
WITHDRAWAL_CODE_PREFIX = "087"
MOBILIZE_ROOT = "15"
#: Types whose action falls on the place it is done in when no one is named (protests, curfews,
#: bombardments, lifted restrictions, withdrawals, deployments); not meetings or agreements, which are
#: only held somewhere.
PLACE_TARGET_TYPES = frozenset(("PROTEST", "COERCE", "ASSAULT", "CONCEDE", "RETREAT", "MOBILIZE"))
PLACE_PREPS = ("in", "into", "inside", "throughout", "across", "at", "outside")
#: Dependencies that start a clause of its own (its places are its own, not the verb's).
CLAUSE_DEPS = frozenset(("advcl", "relcl", "ccomp", "xcomp", "acl", "conj", "csubj", "parataxis"))
#: Cooperation announced rather than done → CAMEO "express intent" codes (meet, diplomatic, material,
#: aid, yield), which PLOVER files under AGREE.
_INTENT_FOR_ROOT = {"04": "036", "05": "032", "06": "030", "07": "033", "08": "030"}
ANNOUNCING_MODALS = frozenset(("will", "would", "'ll", "shall"))
#: Most conjoined actors split into separate events on one side ("A, B, C and D condemned...").
MAX_CONJUNCTS = 6
#: Obligations a speaker lays on someone: "must" is a demand (CAMEO 10), "should" an appeal (02).
OBLIGATION_MODALS = {"must": "100", "should": "020"}
#: Nouns that measure or divide what follows their "of": the action is about that ("part of the aid").
PARTITIVE_NOUNS = frozenset(
    "part portion share bulk rest ton tonne dollar euro million billion thousand hundred amount number "
    "shipment consignment batch load series package round".split()
)
#: Nouns that take their action from a noun compounded onto them ("mediation effort", "aid programme").
EFFORT_NOUNS = frozenset("effort attempt bid mission programme program campaign operation initiative".split())
#: Verbs of letting someone act ("allowed the candidate to run"), coded as yielding to them.
PERMIT_VERBS = frozenset(("allow", "permit"))
YIELD_CODE = "080"
#: Irregular past endings of prefixed verbs the small model does not lemmatize ("retook", "forgave"),
#: found by inflecting every lexicon verb.
IRREGULAR_TAILS = {"took": "take", "gave": "give", "drew": "draw", "threw": "throw"}
#: Every verb lemma the coder acts on (lexicon entries and the cue lists), for ``_lemma``'s repairs.
KNOWN_VERBS = (
    frozenset(VERB_LEXICON) | LIGHT_VERBS | INTENT_VERBS | WANT_VERBS | SPEECH_VERBS | RECEIVING_LIGHT_VERBS | PERMIT_VERBS
)
#: Verbs whose event-noun subject or object did not happen ("the visit was cancelled").
CANCEL_VERBS = frozenset("cancel postpone delay scrap abandon suspend".split())
#: Verbs and nouns whose that-clause says what someone is to do ("demanded that X leave").
MANDATIVE_WORDS = frozenset("demand insist urge ask request call appeal".split())
#: Object-control requests: the wanted action's root → the request code.
_REQUEST_FOR_ROOT = {"08": "1056", "16": "1054", "04": "106", "06": "101", "07": "101"}


@dataclass
class RawEvent:
    """An event found in one sentence before it becomes an output ``Event``."""

    trigger_token: int
    trigger: str
    code: CameoCode
    actor: ResolvedPhrase | None
    target: ResolvedPhrase | None
    negated: bool = False
    hypothetical: bool = False
    threatened: bool = False
    reported: bool = False
    historical: bool = False
    speaker: ResolvedPhrase | None = None
    suppress_token: int | None = None  # a trigger this event replaces (the "threaten" of "threatened to attack")
    target_is_place: bool = False  # the target is only where it happened ("demonstrated in Lima")


def _lemma(token) -> str:
    """The token's lemma; for a verb the small model lemmatizes wrongly ("staged" → "stag", "training" →
    "training", "lambasted" → "lambast", found by inflecting every lexicon verb), the lexicon verb
    its form or lemma comes from."""
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or lemma in KNOWN_VERBS:
        return lemma
    form = token.lower_
    stems = [lemma + "e"]
    # prefixed irregular pasts the model leaves alone ("retook", "forgave")
    stems += [form[: -len(tail)] + base for tail, base in IRREGULAR_TAILS.items() if form.endswith(tail)]
    for suffix in ("ing", "ed", "es", "s"):
        if form.endswith(suffix) and len(form) > len(suffix) + 2:
            base = form[: -len(suffix)]
            stems += [base, base + "e", base[:-1] if len(base) > 2 and base[-1] == base[-2] else base]
    return next((stem for stem in stems if stem in KNOWN_VERBS), lemma)


def _children(token, *deps: str):
    return [c for c in token.children if c.dep_ in deps]


def _prep_object(token, prep: str, objects: frozenset[str] = frozenset()):
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
            for pobj in _children(child, "pobj", "pcomp"):
                if not objects or pobj.lemma_.lower() in objects:
                    return pobj
    return None


def _direct_object(token):
    objects = _children(token, "dobj", "obj")
    return objects[0] if objects else None


def _is_passive(token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def _entry_for(token, entries: list[LexiconEntry]) -> LexiconEntry | None:
    obj = _direct_object(token) if not _is_passive(token) else next(iter(_children(token, "nsubjpass")), None)
    obj_lemmas = _content_lemmas(obj) if obj is not None else set()
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod", "prep")}
    for entry in entries:
        if entry.particle and entry.particle not in particles:
            continue
        if entry.prep and _prep_object(token, entry.prep, entry.prep_objects) is None:
            if not (obj is not None and _prep_object(obj, entry.prep, entry.prep_objects) is not None):
                continue
        if entry.objects and not (obj_lemmas & entry.objects):
            continue
        return entry
    return None


def _content_lemmas(noun) -> set[str]:
    """What a noun phrase is about: its head, the nouns compounded onto it ("aid program", "mediation
    efforts"), and the noun a measure or part is of ("25,000 tons of food aid", "part of the program")."""
    lemmas = {noun.lemma_.lower()}
    lemmas.update(c.lemma_.lower() for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN")
    if noun.lemma_.lower() in PARTITIVE_NOUNS or noun.pos_ == "NUM" or any(c.dep_ == "nummod" for c in noun.children):
        of = _prep_object(noun, "of")
        if of is not None:
            lemmas |= _content_lemmas(of)
    return lemmas


def _clause_chain(token):
    """The token and the clause heads above it, up to the sentence root."""
    chain = [token]
    current = token
    while current.head.i != current.i and len(chain) < 8:
        current = current.head
        chain.append(current)
    return chain


def _modality(token) -> tuple[bool, bool, bool]:
    """(negated, hypothetical, future-or-conditional) for a trigger token."""
    negated = any(c.dep_ == "neg" for c in token.children)
    if token.dep_ == "xcomp" and _lemma(token.head) in NEGATIVE_IMPLICATIVE_VERBS:
        negated = True
    if any(c.lower_ == "longer" for c in token.subtree if c.head.i == token.i or c.head.head.i == token.i):
        negated = True
    # "no longer is training": the parser may hang "no longer" on the auxiliary or the sentence root.
    window = [t.lower_ for t in token.doc[max(token.i - 4, token.sent.start) : token.i]]
    if any(a == "no" and b == "longer" for a, b in zip(window, window[1:], strict=False)):
        negated = True
    aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if token.dep_ == "conj" and token.pos_ == "VERB" and not aux:
        # "where it can transfer missiles and build up militias": the second verb shares the modal.
        aux = {c.lower_ for c in token.head.children if c.dep_ in ("aux", "auxpass")}
    modal = bool(aux & MODALS)
    future = bool(aux & FUTURE_MODALS) or bool(aux & MODALS)
    hypothetical = modal or "will" in aux
    if any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children):
        if _lemma(token.head) not in IMPLICATIVE_VERBS:
            hypothetical = True
    if any(c.lower_ in HYPOTHETICAL_ADVERBS for c in token.children if c.dep_ == "advmod"):
        hypothetical = True
    for head in _clause_chain(token)[:4]:
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in head.children):
            hypothetical = future = True
        if head.i != token.i and head.dep_ in ("ROOT",):
            break
    if token.dep_ in ("xcomp", "ccomp") and _lemma(token.head) in WANT_VERBS:
        hypothetical = True
    return negated, hypothetical, future


def _speech_head(token):
    """The speech verb (or 'report'/'claim' noun) whose complement holds the token, if any."""
    for head in _clause_chain(token)[1:6]:
        lemma = _lemma(head)
        if head.pos_ in ("VERB", "AUX") and lemma in SPEECH_VERBS:
            return head
        if head.pos_ == "NOUN" and lemma in ("report", "claim", "statement", "announcement"):
            return head
    return None


def _historical(token) -> bool:
    return any(c.lower_ in HISTORICAL_ADVERBS for c in token.children if c.dep_ in ("advmod", "npadvmod"))


class SentenceCoder:
    """Codes the events of one parsed sentence; keeps the resolver's antecedents up to date."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def code(self, sent, sentence: int) -> list[RawEvent]:
        for token in sent:
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("PROPN", "NOUN"):
                phrase = self.resolver.resolve(token, sentence)
                if phrase is not None:
                    self.resolver.remember_subject(token, phrase, sentence)
        if len(sent) > MAX_EVENT_SENTENCE_TOKENS:
            return []
        events: list[RawEvent] = []
        for token in sent:
            lemma = _lemma(token)
            if token.pos_ == "VERB":
                if lemma in WANT_VERBS and (event := self._request(token, sentence)):
                    events.append(event)
                if event := self._obligation(token, sentence):
                    events.append(event)
                if lemma in PERMIT_VERBS and (event := self._permission(token, sentence)):
                    events.append(event)
                entries = VERB_LEXICON.get(lemma)
                if entries and (entry := _entry_for(token, entries)):
                    if event := self._verb_event(token, entry, sentence):
                        events.append(event)
            elif token.pos_ == "NOUN":
                if lemma in MANDATIVE_WORDS and (event := self._request(token, sentence)):
                    events.append(event)
                elif event := self._noun_event(token, sentence):
                    events.append(event)
        events = _fold_protest_demands(sent.doc, events)
        suppressed = {e.suppress_token for e in events if e.suppress_token is not None}
        kept = [e for e in events if e.trigger_token not in suppressed]
        return [split for event in kept for split in self._split_conjuncts(sent.doc, event, sentence)]

    def _split_conjuncts(self, doc, event: RawEvent, sentence: int) -> list[RawEvent]:
        """One event per conjoined actor and target ("Israel and Jordan signed..." is two dyads)."""
        sides = []
        for phrase in (event.actor, event.target):
            options: list[ResolvedPhrase | None] = [phrase]
            span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand") if phrase is not None else None
            if span is not None and phrase is not None and phrase.antecedent is None:
                head = span.root
                resolved = [self.resolver.resolve(t, sentence) for t in [head, *head.conjuncts][:MAX_CONJUNCTS]]
                named = [r for r in resolved if r is not None and r.match is not None]
                if len(named) > 1 and len({r.code or r.name for r in named}) > 1:
                    options = list(named)
            sides.append(options)
        if len(sides[0]) == 1 and len(sides[1]) == 1:
            return [event]
        return [
            replace(event, actor=actor, target=target)
            for actor in sides[0]
            for target in sides[1]
            if not (actor and target and actor.code and actor.code == target.code)
        ]

    # --- triggers ------------------------------------------------------------------------------------
    def _verb_event(self, token, entry: LexiconEntry, sentence: int) -> RawEvent | None:
        resolve = self.resolver.resolve
        if _is_passive(token):
            agent = _prep_object(token, "by")
            actor = resolve(agent, sentence) if agent is not None else None
            patient = next(iter(_children(token, "nsubjpass")), None)
            target = self._target_in(patient, sentence) if patient is not None else None
        else:
            actor = self._doer(subject_of(token), sentence)
            target = self._target(token, entry, sentence) or self._complement_target(token, sentence)
        return self._finish(token, token.text, cameo(entry.code), actor, target, sentence)

    def _doer(self, subject, sentence: int) -> ResolvedPhrase | None:
        """The actor of a verb from its subject; when the subject is an action ("Bolivia's attack on the
        outpost killed two soldiers", "US drone strikes killed ..."), whoever did that action."""
        if subject is None or subject.pos_ != "NOUN" or subject.lemma_.lower() not in NOUN_LEXICON:
            return self.resolver.resolve(subject, sentence)
        owner = next((c for c in _children(subject, "poss") if c.pos_ != "PRON"), None) or _prep_object(subject, "by")
        if owner is not None:
            return self._focus(owner, sentence)
        modifiers = [c for c in subject.lefts if c.dep_ in ACTOR_MODIFIER_DEPS]
        span = self._named_part(subject.doc[modifiers[0].left_edge.i : modifiers[-1].right_edge.i + 1]) if modifiers else None
        kind = self.resolver.resolve_span(span) if span is not None else None
        return kind if _is_actor(kind) else None

    def _complement_target(self, token, sentence: int, depth: int = 0) -> ResolvedPhrase | None:
        """'threatened to break relations with Russia', 'offered to hand over to Britain': the recipient
        of the infinitive the verb governs is the verb's recipient too."""
        # "opened fire to disperse the demonstrators": a purpose infinitive says whom the action is aimed at
        purposes = [c for c in _children(token, "advcl") if any(a.tag_ == "TO" for a in _children(c, "aux"))]
        for comp in (*_children(token, "xcomp"), *purposes):
            if comp.pos_ != "VERB":
                continue
            entries = VERB_LEXICON.get(_lemma(comp))
            entry = (_entry_for(comp, entries) if entries else None) or LexiconEntry(comp.lemma_.lower(), "")
            found = self._target(comp, entry, sentence)
            if found is None and depth < 2:
                found = self._complement_target(comp, sentence, depth + 1)
            if found is not None:
                return found
        return None

    def _target(self, token, entry: LexiconEntry, sentence: int) -> ResolvedPhrase | None:
        resolve, focus = self.resolver.resolve, self._focus
        if entry.prep:
            pobj = _prep_object(token, entry.prep) or (
                _prep_object(_direct_object(token), entry.prep) if _direct_object(token) is not None else None
            )
            found = focus(pobj, sentence) if pobj is not None else None
            if _is_actor(found):
                return found
            # "warned Chile against building a wall": what follows the preposition is not an actor, the
            # object is who is warned
            direct = focus(_direct_object(token), sentence) if _direct_object(token) is not None else None
            return direct if _names_actor(direct) else None
        obj = _direct_object(token)
        if entry.code.startswith(WITHDRAWAL_CODE_PREFIX):
            # "withdraw weapons inspectors from Iraq": where a withdrawal is from is whom it concerns
            source = _prep_object(token, "from") or (_prep_object(obj, "from") if obj is not None else None)
            if source is not None and _is_actor(found := focus(source, sentence)):
                return found
        if entry.code[:2] == MOBILIZE_ROOT:
            # "mobilized army reservists for a possible war against Iraq": the forces mobilized are the
            # actor's own; whom they are mobilized against is the target, wherever the phrase hangs.
            against = next((t for t in token.subtree if t.dep_ == "pobj" and t.head.lower_ == "against"), None)
            found = focus(against, sentence) if against is not None else None
            if _is_actor(found):
                return found
            # else where they are sent ("deployed peacekeepers in Iraq", "massed troops on the border with X")
            for carrier in (token, obj):
                for prep in ("to", "into", "on", "along", "near", *PLACE_PREPS):
                    pobj = _prep_object(carrier, prep) if carrier is not None else None
                    if pobj is not None and (found := focus(pobj, sentence)) is not None and (_is_actor(found) or _is_place(found)):
                        return found
            return None
        # Who receives the action: an indirect object ("offered Lebanon aid"), else the direct object when
        # it names an actor, else a prepositional object ("offered concessions to the negotiator").
        dative = next((c for c in token.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
        if dative is not None and _names_actor(found := focus(dative, sentence)):
            return found
        direct = focus(obj, sentence) if obj is not None else None
        if obj is not None and not entry.objects and _names_actor(direct):
            return direct
        for carrier in (token, obj):
            if carrier is None:
                continue
            for prep in TARGET_PREPS:
                pobj = _prep_object(carrier, prep)
                if pobj is not None and _is_actor(found := focus(pobj, sentence)):
                    return found
        # "withdraw its troops from Lebanon": what the actor moves or uses of its own is not what the
        # action is directed at; where it is taken from is.
        if obj is not None and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
            source = _prep_object(token, "from") or _prep_object(obj, "from")
            if source is not None and _is_actor(found := focus(source, sentence)):
                return found
            if not _names_actor(direct):
                return None  # "recall its ambassador", "their forces": a kind of the actor's own people
        if _is_actor(direct):
            return direct
        # "backed Turkey's bid": the owner of a thing is who the action is for.
        owner = next((c for c in obj.children if c.dep_ == "poss"), None) if obj is not None else None
        found = resolve(owner, sentence) if owner is not None and owner.pos_ != "PRON" else None
        return found if _is_actor(found) else None

    def _focus(self, token, sentence: int, depth: int = 0) -> ResolvedPhrase | None:
        """The actor a target phrase is about: the phrase itself when its head is an actor ("Iraqi
        soldiers", "Gorazde"), else the actor inside it ("Haiti's efforts", "a US offer", "an admission by
        Moscow", "the right of Russian troops"). A thing with no actor in it ("a new military offensive",
        "the legality of the permits") is no target, whatever words deep inside it the table knows."""
        found = self.resolver.resolve(token, sentence)
        if found is not None and found.match is None and token.lemma_.lower() in PERSON_ROLE_NOUNS:
            # "inspectors of the IAEA" where the table knows neither: the named body they belong to
            of = _prep_object(token, "of")
            inner = self.resolver.resolve(of, sentence) if of is not None else None
            if inner is not None and inner.named:
                return inner
        if found is None or token.pos_ == "PRON" or self.resolver.names_itself(token):
            return found
        if depth < MAX_FOCUS_DEPTH:
            for owner in _children(token, "poss"):
                if owner.pos_ != "PRON" and _is_actor(inner := self.resolver.resolve(owner, sentence)):
                    return inner
            # "an admission by Moscow", "crimes committed by Croat forces": the doer
            agent = _prep_object(token, "by") or next(
                (a for acl in _children(token, "acl") if acl.tag_ == "VBN" and (a := _prep_object(acl, "by")) is not None), None
            )
            if agent is not None and _is_actor(inner := self._focus(agent, sentence, depth + 1)):
                return inner
            modifiers = [c for c in token.lefts if c.dep_ in ACTOR_MODIFIER_DEPS]
            span = self._named_part(token.doc[modifiers[0].left_edge.i : modifiers[-1].right_edge.i + 1]) if modifiers else None
            kind = self.resolver.resolve_span(span) if span is not None else None
            if _names_actor(kind):
                return kind
            # an action's "in" is where it happened ("signed an agreement in Buenos Aires"), not whom it
            # concerns, unless the action falls on its place ("a curfew in Algiers"); a thing's "in" is
            # ("the settlements in the Gaza Strip")
            lemma = token.lemma_.lower()
            action = lemma in NOUN_LEXICON or lemma in EFFORT_NOUNS
            placed = lemma in NOUN_LEXICON and cameo(NOUN_LEXICON[lemma]).plover in PLACE_TARGET_TYPES
            for prep in INNER_ACTOR_PREPS[1:]:
                if action and not placed and prep == "in":
                    continue
                pobj = _prep_object(token, prep)
                # "scores of Sierra Leonean and Liberian refugees": the parser may hang the noun on a conjunct
                for candidate in (pobj, *pobj.conjuncts) if pobj is not None else ():
                    if _is_actor(inner := self._focus(candidate, sentence, depth + 1)):
                        return inner
            # "rebel positions", "military bases": a kind of actor owns the thing when no one is named (a
            # "military offensive" is a kind of action, not the military's target)
            if _is_actor(kind) and not action:
                return kind
        return None

    def _named_part(self, span):
        """The modifiers without the plain words around them: "proposed Israeli" → "Israeli",
        "Albanian rebel-held" → "Albanian rebel", "Chilean fishing (boat)" → "Chilean"."""
        def plain(t) -> bool:
            if t.is_punct:
                return True
            if t.ent_type_ or t.pos_ not in ("ADJ", "VERB", "ADV", "NUM", "NOUN"):
                return False
            return self.resolver.table.resolve_phrase(t.text, date=self.resolver.date) is None

        start, end = span.start, span.end
        while start < end and plain(span.doc[start]):
            start += 1
        while end > start and plain(span.doc[end - 1]):
            end -= 1
        return span.doc[start:end] if end > start else None

    def _conditioned_party(self, token, sentence: int) -> ResolvedPhrase | None:
        """'threatened to stop talks if the United States goes ahead': whose conduct a threat is conditioned
        on is whom it is aimed at."""
        for verb in (token, *_children(token, "xcomp")):
            for clause in _children(verb, "advcl"):
                if any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in clause.children):
                    subject = next(iter(_children(clause, "nsubj", "nsubjpass")), None)
                    found = self._focus(subject, sentence) if subject is not None and subject.pos_ != "PRON" else None
                    if _is_actor(found):
                        return found
        return None

    def _place_target(self, token, sentence: int) -> ResolvedPhrase | None:
        """'demonstrated in Belgrade', 'imposed a curfew in the town of X': with no one named, the place
        the action is done in is what it is directed at."""
        for pobj in _clause_tokens(token):
            if pobj.dep_ != "pobj" or pobj.head.lower_ not in PLACE_PREPS:
                continue
            # "in the town of Cizre", "in the capital, Dili": the named place, not the kind of place
            named = pobj if pobj.ent_type_ in ("GPE", "LOC") else next(
                (c for c in [*_children(pobj, "appos"), _prep_object(pobj, "of")] if c is not None and c.ent_type_ in ("GPE", "LOC")),
                pobj,
            )
            found = self.resolver.resolve(named, sentence)
            if found is not None and _is_place(found):
                return found
            # "protested outside the Turkish embassy": a place that stands for an actor
            if pobj.head.lower_ in ("outside", "at") and _is_actor(found := self._focus(pobj, sentence)):
                return found
        return None

    def _target_in(self, token, sentence: int) -> ResolvedPhrase | None:
        """The actor inside a patient phrase ("any mistake by Washington" → Washington)."""
        by = _prep_object(token, "by")
        if by is not None:
            return self.resolver.resolve(by, sentence)
        return self._focus(token, sentence)

    def _noun_event(self, token, sentence: int) -> RawEvent | None:
        lemma = token.lemma_.lower()
        compound = next((f"{c.lower_} {lemma}" for c in token.children if c.dep_ == "compound"), None)
        code = NOUN_LEXICON.get(compound) if compound else None
        code = code or NOUN_LEXICON.get(lemma)
        if not code and lemma in EFFORT_NOUNS:
            # "a mediation effort", "the aid programme": the compounded noun names the action
            code = next((c for m in token.children if m.dep_ == "compound" and (c := NOUN_LEXICON.get(m.lemma_.lower()))), None)
        if not code:
            return None
        resolve = self.resolver.resolve
        head = token.head
        # "the invasion of South Lebanon", "the bombing of the camp": an event noun's "of" is its patient;
        # "support for Peru", "aid for refugees": its "for" is who benefits
        target_token = next((p for prep in (*TARGET_PREPS, "for", "of") if (p := _prep_object(token, prep)) is not None), None)
        owner = next(iter(_children(token, "poss")), None)
        if token.dep_ in ("dobj", "obj") and head.pos_ == "VERB":
            verb_lemma = _lemma(head)
            particle = next((c.lower_ for c in head.children if c.dep_ == "prt"), "")
            if verb_lemma in RECEIVING_LIGHT_VERBS:
                target = resolve(subject_of(head), sentence)
                actor = resolve(owner, sentence) if owner is not None and owner.pos_ != "PRON" else None
                return self._finish(head, f"{head.text} {token.text}", cameo(code), actor, target, sentence)
            if verb_lemma in LIGHT_VERBS or f"{verb_lemma} {particle}".strip() in LIGHT_VERBS or verb_lemma == "up":
                if target_token is None:
                    target_token = next(
                        (p for prep in TARGET_PREPS if (p := _prep_object(head, prep)) is not None), None
                    )
                actor = resolve(subject_of(head), sentence) if not _is_passive(head) else None
                target = self._focus(target_token, sentence) if target_token is not None else None
                target = target if _is_actor(target) else None
                event = self._finish(head, f"{head.text} {token.text}", cameo(code), actor, target, sentence)
                if event and verb_lemma in INTENT_VERBS and cameo(code).root in MATERIAL_CONFLICT_ROOTS:
                    event = _as_threat(event, event.actor)
                return event
            return None
        if owner is None:
            # "Palestinian riots against the policy", "Turkish strikes on the camps": a people or country
            # modifying the event noun is who does it.
            owner = next((m for m in token.children if m.dep_ in ("amod", "compound") and m.ent_type_ in ("NORP", "GPE")), None)
        between = _prep_object(token, "between")
        if owner is None and between is not None and between.conjuncts:
            # "talks between Peru and Ecuador", "clashes between X and Y": the parties, first as actor
            owner, target_token = between, between.conjuncts[0]
        elif owner is None and target_token is not None and target_token.head.lower_ != "of":
            # "the visit of the Chilean president to Lima": with a recipient named, "of" is the doer
            of = _prep_object(token, "of")
            owner = of if of is not None and _is_actor(self._focus(of, sentence)) else None
        if owner is not None and target_token is not None and owner.pos_ != "PRON":
            if owner.dep_ in ("poss", "pobj"):
                actor, target = self._focus(owner, sentence), self._focus(target_token, sentence)
            else:  # a modifier is a weaker cue ("Greek strikes against the pension rules"): both must be actors
                actor = self.resolver.resolve_span(token.doc[owner.i : owner.i + 1])
                target = self._focus(target_token, sentence)
                if not _is_actor(target):
                    return None
            event = self._finish(token, token.text, cameo(code), actor, target, sentence)
            # "the visit ... was cancelled": called off, it did not happen
            if event is not None and _lemma(head) in CANCEL_VERBS and token.dep_ in ("nsubjpass", "dobj", "nsubj"):
                event.negated = True
            return event
        return None

    def _request(self, token, sentence: int) -> RawEvent | None:
        """'X wants/urges Y to do Z' → X REQUEST of Y (what Z is decides the code)."""
        wanted = next(iter(_children(token, "ccomp", "xcomp", "acl")), None)
        if wanted is None and token.pos_ == "NOUN" and token.dep_ in ("dobj", "obj"):
            # "reiterated its demand today that Israel ease...": the parser hangs the clause on the verb.
            wanted = next((c for c in _children(token.head, "ccomp") if any(m.lower_ == "that" for m in _children(c, "mark"))), None)
        if wanted is None or wanted.pos_ != "VERB":
            return None
        subject = next(iter(_children(wanted, "nsubj")), None)
        infinitive = any(c.tag_ == "TO" for c in wanted.children) and wanted.dep_ != "acl"
        # "demanded that the US cancel the sale", "its demand that Israel ease": a that-clause with a bare
        # (subjunctive) verb or 'should'/'must' states what the addressee is to do.
        mandative = (
            subject is not None and subject.pos_ != "PRON" and _lemma(token) in MANDATIVE_WORDS
            and (
                wanted.tag_ == "VB"
                # "demanded that its partners refuse", "demanding that the minister resign": a plain present
                # form after a past or participle verb, or after a singular subject, is subjunctive
                or (wanted.tag_ == "VBP" and (token.tag_ in ("VBD", "VBN", "VBG") or subject.tag_ in ("NN", "NNP")))
                or any(c.lower_ in OBLIGATION_MODALS for c in _children(wanted, "aux"))
            )
        )
        if not (infinitive or mandative):
            return None
        addressee = subject or (_direct_object(token) if token.pos_ == "VERB" else None)
        if addressee is None:
            return None
        entries = VERB_LEXICON.get(_lemma(wanted))
        entry = _entry_for(wanted, entries) if entries else None
        root = entry.code[:2] if entry else ""
        code = _REQUEST_FOR_ROOT.get(root, "100" if token.lemma_.lower() in ("want", "demand", "insist") else "020")
        if token.pos_ == "VERB":
            actor = self.resolver.resolve(subject_of(token), sentence)
        else:  # "its demand that ...", "issued a demand that ...": the owner, else whoever made it
            owner = next(iter(_children(token, "poss")), None)
            maker = subject_of(token.head) if token.head.pos_ == "VERB" else None
            # "its demand": the owner is named as the verb's subject when it is a pronoun
            maker = owner if owner is not None and (owner.pos_ != "PRON" or maker is None) else maker
            actor = self.resolver.resolve(maker, sentence) if maker is not None else None
        target = self._focus(addressee, sentence)
        return self._finish(token, f"{token.text} ... {wanted.text}", cameo(code), actor, target, sentence)

    def _permission(self, token, sentence: int) -> RawEvent | None:
        """'The court allowed the candidate to run': letting someone act is yielding to them (CAMEO 08)."""
        allowed = next((c for c in _children(token, "xcomp", "ccomp") if c.pos_ == "VERB"), None)
        if allowed is None:
            return None
        grantee = _direct_object(token) or next(iter(_children(allowed, "nsubj")), None)
        target = self._focus(grantee, sentence) if grantee is not None else None
        if not _is_actor(target):
            return None
        actor = self.resolver.resolve(subject_of(token), sentence)
        return self._finish(token, f"{token.text} ... {allowed.text}", cameo(YIELD_CODE), actor, target, sentence)

    def _obligation(self, token, sentence: int) -> RawEvent | None:
        """'X said Y must/should do Z' → X demands of (must) or appeals to (should) Y."""
        modal = next((c.lower_ for c in token.children if c.dep_ == "aux" and c.lower_ in OBLIGATION_MODALS), None)
        speech = _speech_head(token) if modal else None
        if modal is None or speech is None or speech.pos_ not in ("VERB", "AUX") or token.dep_ != "ccomp" or token.head.i != speech.i:
            return None
        addressee = subject_of(token)
        if addressee is None or addressee.pos_ == "PRON":
            return None
        actor = self.resolver.resolve(subject_of(speech), sentence)
        target = self.resolver.resolve(addressee, sentence)
        code = cameo(OBLIGATION_MODALS[modal])
        return self._finish(speech, f"{speech.text} ... {modal} {token.text}", code, actor, target, sentence)

    # --- flags and recoding --------------------------------------------------------------------------
    def _finish(self, token, trigger: str, code: CameoCode, actor, target, sentence: int) -> RawEvent | None:
        actor, target = _as_named_in(actor, token.sent), _as_named_in(target, token.sent)
        if actor is None and target is None:
            return None
        # Someone must be known: a phrase the actor table cannot place at all is rarely an actor
        # ("give the enemy less places to attack").
        # A named person or body the table lacks ("Vice-President Moody Awori") counts as known when it
        # is the subject; an unplaced name alone in an object is too often a mis-tagged place or thing.
        if not ((actor is not None and actor.named) or (target is not None and target.match)):
            return None
        if actor is not None and target is not None and actor.code and actor.code == target.code and _same_side(actor, target):
            target = None
        negated, hypothetical, future = _modality(token)
        speech = _speech_head(token)
        event = RawEvent(
            token.i, trigger, code, actor, target, negated=negated, hypothetical=hypothetical,
            reported=speech is not None, historical=_historical(token),
        )
        if speech is not None and speech.pos_ in ("VERB", "AUX"):
            event.speaker = self.resolver.resolve(subject_of(speech), sentence)
        # A conditional or future conflict announced by a speaker is that speaker's threat.
        if hypothetical and not negated and future and event.speaker is not None and code.root in MATERIAL_CONFLICT_ROOTS:
            victim = target if target is not None and target.code != event.speaker.code else actor
            event = _as_threat(replace(event, target=victim), event.speaker)
            event.suppress_token = speech.i if speech is not None else None
        elif not negated and _ultimatum(token):
            event = _as_threat(event, actor)
        # "threatened to attack", "vowed to strike": the intent verb's subject threatens the target.
        elif _lemma(token.head) in INTENT_VERBS and token.dep_ == "xcomp" and code.root in MATERIAL_CONFLICT_ROOTS:
            event = _as_threat(event, actor)
            event.suppress_token = token.head.i
        # Stopped cooperation is a sanction: "no longer trains", "suspended aid".
        elif negated and code.root in ("06", "07") and _discontinued(token):
            event = replace(event, code=cameo("1622" if code.code == "062" else "162"), negated=False)
        # Announced cooperation ("will visit", "is ready to release") is an expressed intent, which
        # CAMEO codes 03 (PLOVER AGREE): the announcement happened, the deed has not yet.
        elif not negated and code.root in _INTENT_FOR_ROOT and _announced(token):
            event = replace(event, code=cameo(_INTENT_FOR_ROOT[code.root]), hypothetical=False)
        if event.target is None and event.code.plover == "THREATEN":
            event.target = self._conditioned_party(token, sentence)
        if event.target is None and event.code.plover in PLACE_TARGET_TYPES:
            event.target = self._place_target(token, sentence)
            event.target_is_place = event.target is not None
        if event.target is None and event.code.plover in RECIPIENT_TYPES and not _compound(event.actor, token.doc):
            return None  # cooperation, aid, sanctions and meetings need a counterpart (or two actors)
        return event


def _compound(phrase: ResolvedPhrase | None, doc) -> bool:
    """Whether a phrase names several actors ("Paraguay and Bolivia restored relations"): each is the
    other's counterpart, so a cooperation needs no recipient."""
    if phrase is None or phrase.antecedent is not None:
        return False
    span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
    return span is not None and bool(span.root.conjuncts)


def _same_side(actor: ResolvedPhrase, target: ResolvedPhrase) -> bool:
    """Whether two phrases with one actor code are one side ("Iran ... its proxies", "it"), not two
    actors the table happens to file together ("Iraqi Kurds" and "Iraq")."""
    if actor.antecedent or target.antecedent:
        return True
    def words(phrase: ResolvedPhrase) -> set[str]:
        return {w for w in phrase.text.lower().replace("'s", "").split() if w not in ("the", "a", "an")}

    return bool(words(actor) & words(target))


def _as_named_in(phrase: ResolvedPhrase | None, sent) -> ResolvedPhrase | None:
    """A pronoun whose antecedent is named in the same sentence is reported as that mention ("Syria
    says it will withdraw": the actor is "Syria"); one that reaches back to earlier sentences stays as
    written, its antecedent kept beside it."""
    span = phrase.antecedent_span if phrase is not None else None
    if phrase is None or span is None or phrase.antecedent is None:
        return phrase
    if not (sent.start_char <= span[0] and span[1] <= sent.end_char):
        return phrase
    return replace(phrase, text=phrase.antecedent, start=span[0], end=span[1])


def _clause_tokens(token):
    """The tokens of the clause a verb heads, in order, without its subject and the clauses inside it
    ("rebels in the Ivory Coast blocked transport into Abidjan": the action is in Abidjan)."""
    out = []
    stack = [token]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(c for c in current.children if c.dep_ not in CLAUSE_DEPS and c.dep_ not in ("nsubj", "nsubjpass"))
    return sorted(out, key=lambda t: t.i)


def _fold_protest_demands(doc, events: list[RawEvent]) -> list[RawEvent]:
    """'demonstrated, demanding X', 'staged a hunger strike to demand X': the demand is what the protest
    is for, one event; the protest takes the demand's addressee as its target."""
    protests = {e.trigger_token: e for e in events if e.code.plover == "PROTEST"}
    if not protests:
        return events
    kept = []
    for event in events:
        token = doc[event.trigger_token]
        # the demand hangs on the protest's verb, or on its event noun ("continued their strike to demand")
        protest = None
        if token.dep_ in ("advcl", "xcomp", "conj", "acl"):
            protest = protests.get(token.head.i) or protests.get(token.head.head.i)
        if event.code.plover == "REQUEST" and protest is not None:
            if (protest.target is None or protest.target_is_place) and event.target is not None:
                protest.target, protest.target_is_place = event.target, False
            continue
        kept.append(event)
    return kept


def _ultimatum(token) -> bool:
    """'will withdraw its force unless the president holds elections': an action made conditional on the
    other side's conduct is a threat."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in token.children
    )


def _announced(token) -> bool:
    """Said as a plan or commitment: 'will'/'would' on the verb, or the complement of 'plan', 'ready'..."""
    aux = {c.lower_ for c in token.children if c.dep_ == "aux"}
    if aux & ANNOUNCING_MODALS:
        return True
    head = token.head
    return token.dep_ == "xcomp" and (_lemma(head) in INTENT_VERBS or head.lower_ in ("ready", "willing", "prepared"))


def _is_place(found: ResolvedPhrase) -> bool:
    """A country, or a named place ("in Lima" is the city even where the table reads the capital as the
    government)."""
    if found.label in ("GPE", "LOC"):
        return True
    return found.match is not None and found.match.type == "GPE"


def _is_actor(found: ResolvedPhrase | None) -> bool:
    """A phrase the actor table can place at all (not a weapon, not an idea), or a named person, body or
    country it does not know."""
    if found is None:
        return False
    return found.match.type != "PRODUCT" if found.match is not None else found.named


def _names_actor(found: ResolvedPhrase | None) -> bool:
    """A phrase that names someone: a known actor, or a kind of actor with its country ("Serbian police"),
    not a bare kind ("its troops"), which loses to a named actor elsewhere in the clause."""
    if not _is_actor(found) or found is None:
        return False
    return found.match is None or found.match.type != "AGENT" or bool(found.match.country)


def _discontinued(token) -> bool:
    return any(t.lower_ in DISCONTINUE_WORDS for t in token.subtree) or any(
        t.lower_ in DISCONTINUE_WORDS for t in token.head.subtree if t.i < token.i
    )


def _as_threat(event: RawEvent, threatener: ResolvedPhrase | None) -> RawEvent:
    code = cameo(_THREAT_FOR_ROOT.get(event.code.root, "130"))
    return replace(event, code=code, actor=threatener, hypothetical=False, threatened=True)
