"""Who an event's action falls on: the target of a coded event, found in the parse.

Used by the event coder (``events.py``) once it has a trigger and its CAMEO code. The rules are syntactic:
objects and prepositional objects, the recipient of a governed infinitive or purpose clause, the party a
threat is conditioned on, the place of actions that fall on places, and inside a phrase about a thing the
actor it points at ("an admission by Moscow", "a US offer", "Haiti's efforts"). It must never return a
phrase that names no actor (an action, an idea, a thing with no actor in it) nor reach outside the
sentence. The small parse helpers the coder shares live here too.
"""

from __future__ import annotations

from newsmill.enrichment.cameo import cameo
from newsmill.enrichment.coref import PERSON_ROLE_NOUNS, ResolvedPhrase, Resolver
from newsmill.enrichment.lexicon import (
    INTENT_VERBS,
    LIGHT_VERBS,
    NOUN_LEXICON,
    PERMIT_VERBS,
    RECEIVING_LIGHT_VERBS,
    SPEECH_VERBS,
    VERB_LEXICON,
    WANT_VERBS,
    LexiconEntry,
)

#: Prepositions whose object is the target of an action ("fired at", "sanctions on", "threats against").
TARGET_PREPS = ("against", "at", "on", "upon", "to", "toward", "towards", "into", "with", "between")
#: Prepositions inside a phrase about a thing ("an admission by Moscow", "the right of Russian troops")
#: whose object is the actor the phrase points at, in order of preference: the doer, the owner, the
#: counterpart, the place.
INNER_ACTOR_PREPS = ("by", "of", "from", "with", "between", "against", "to", "toward", "towards", "on", "for", "in")
#: Modifiers before a head noun that can name its actor ("an Indian proposal", "a U.N. Security Council
#: resolution").
ACTOR_MODIFIER_DEPS = frozenset(("amod", "compound", "nmod", "npadvmod"))
#: How deep ``TargetFinder.focus`` follows nested phrases ("an extension of the mandate for the force in Lebanon").
MAX_FOCUS_DEPTH = 3
#: CAMEO codes of withdrawals (0871 truce ... 0874 retreat) and of mobilisation (15).
WITHDRAWAL_CODE_PREFIX = "087"
MOBILIZE_ROOT = "15"
#: Types whose action falls on the place it is done in when no one is named (protests, curfews,
#: bombardments, lifted restrictions, withdrawals, deployments); not meetings or agreements, which are
#: only held somewhere.
PLACE_TARGET_TYPES = frozenset(("PROTEST", "COERCE", "ASSAULT", "CONCEDE", "RETREAT", "MOBILIZE"))
#: Prepositions of the verb a purpose infinitive serves that say where its action is aimed ("sent
#: observers to Bosnia to monitor", "moved troops into the region to attack").
SERVED_PREPS = ("to", "into", "against", "toward", "towards")
#: Prepositions that say what a protest is about ("a strike over the bill", "in protest of the ruling").
GRIEVANCE_PREPS = ("over", "in")
#: Nouns of "in protest of X" / "in opposition to X".
PROTEST_NOUNS = frozenset(("protest", "opposition", "response", "retaliation"))
PLACE_PREPS = ("in", "into", "inside", "throughout", "across", "at", "outside")
#: Dependencies that start a clause of its own (its places are its own, not the verb's).
CLAUSE_DEPS = frozenset(("advcl", "relcl", "ccomp", "xcomp", "acl", "conj", "csubj", "parataxis"))
#: Nouns that measure or divide what follows their "of": the action is about that ("part of the aid").
PARTITIVE_NOUNS = frozenset(
    "part portion share bulk rest ton tonne dollar euro million billion thousand hundred amount number "
    "shipment consignment batch load series package round".split()
)
#: Nouns that take their action from a noun compounded onto them ("mediation effort", "aid programme").
EFFORT_NOUNS = frozenset("effort attempt bid mission programme program campaign operation initiative".split())
#: Irregular past endings of prefixed verbs the small model does not lemmatize ("retook", "forgave"),
#: found by inflecting every lexicon verb.
IRREGULAR_TAILS = {"took": "take", "gave": "give", "drew": "draw", "threw": "throw"}
#: Every verb lemma the coder acts on (lexicon entries and the cue lists), for ``_lemma``'s repairs.
KNOWN_VERBS = (
    frozenset(VERB_LEXICON) | LIGHT_VERBS | INTENT_VERBS | WANT_VERBS | SPEECH_VERBS | RECEIVING_LIGHT_VERBS | PERMIT_VERBS
)


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


class TargetFinder:
    """Finds actors (targets, and the doers of actions named as subjects) in one parsed sentence."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def doer(self, subject, sentence: int) -> ResolvedPhrase | None:
        """The actor of a verb from its subject; when the subject is an action ("Bolivia's attack on the
        outpost killed two soldiers", "US drone strikes killed ..."), whoever did that action."""
        if subject is None or subject.pos_ != "NOUN" or subject.lemma_.lower() not in NOUN_LEXICON:
            return self.resolver.resolve(subject, sentence)
        owner = next((c for c in _children(subject, "poss") if c.pos_ != "PRON"), None) or _prep_object(subject, "by")
        if owner is not None:
            return self.focus(owner, sentence)
        modifiers = [c for c in subject.lefts if c.dep_ in ACTOR_MODIFIER_DEPS]
        span = self.named_part(subject.doc[modifiers[0].left_edge.i : modifiers[-1].right_edge.i + 1]) if modifiers else None
        kind = self.resolver.resolve_span(span) if span is not None else None
        return kind if _is_actor(kind) else None

    def complement_target(self, token, sentence: int, depth: int = 0) -> ResolvedPhrase | None:
        """'threatened to break relations with Russia', 'offered to hand over to Britain': the recipient
        of the infinitive the verb governs is the verb's recipient too."""
        # "opened fire to disperse the demonstrators": a purpose infinitive says whom the action is aimed at
        purposes = [c for c in _children(token, "advcl") if any(a.tag_ == "TO" for a in _children(c, "aux"))]
        for comp in (*_children(token, "xcomp"), *purposes):
            if comp.pos_ != "VERB":
                continue
            entries = VERB_LEXICON.get(_lemma(comp))
            entry = (_entry_for(comp, entries) if entries else None) or LexiconEntry(comp.lemma_.lower(), "")
            found = self.target(comp, entry, sentence)
            if found is None and depth < 2:
                found = self.complement_target(comp, sentence, depth + 1)
            if found is not None:
                return found
        return None

    def target(self, token, entry: LexiconEntry, sentence: int) -> ResolvedPhrase | None:
        resolve, focus = self.resolver.resolve, self.focus
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

    def focus(self, token, sentence: int, depth: int = 0) -> ResolvedPhrase | None:
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
            if agent is not None and _is_actor(inner := self.focus(agent, sentence, depth + 1)):
                return inner
            modifiers = [c for c in token.lefts if c.dep_ in ACTOR_MODIFIER_DEPS]
            span = self.named_part(token.doc[modifiers[0].left_edge.i : modifiers[-1].right_edge.i + 1]) if modifiers else None
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
                    if _is_actor(inner := self.focus(candidate, sentence, depth + 1)):
                        return inner
            # "rebel positions", "military bases": a kind of actor owns the thing when no one is named (a
            # "military offensive" is a kind of action, not the military's target)
            if _is_actor(kind) and not action:
                return kind
        return None

    def named_part(self, span):
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

    def conditioned_party(self, token, sentence: int) -> ResolvedPhrase | None:
        """'threatened to stop talks if the United States goes ahead': whose conduct a threat is conditioned
        on is whom it is aimed at."""
        for verb in (token, *_children(token, "xcomp")):
            for clause in _children(verb, "advcl"):
                if any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in clause.children):
                    subject = next(iter(_children(clause, "nsubj", "nsubjpass")), None)
                    found = self.focus(subject, sentence) if subject is not None and subject.pos_ != "PRON" else None
                    if _is_actor(found):
                        return found
        return None

    def shared_object(self, token, sentence: int) -> ResolvedPhrase | None:
        """'Chile condemned and expelled the Bolivian envoy', 'established ties with and opened an embassy
        in Lima': a verb coordinated with a later one and left without an object of its own shares that
        verb's object (the parser hangs it on the last verb only)."""
        if _direct_object(token) is not None or any(_children(c, "pobj") for c in _children(token, "prep")):
            return None
        for conj in _children(token, "conj"):
            if conj.pos_ != "VERB" or _children(conj, "nsubj", "nsubjpass"):
                continue  # a verb with its own subject starts a clause of its own
            obj = _direct_object(conj)
            if obj is not None and _is_actor(found := self.focus(obj, sentence)):
                return found
        return None

    def served_recipient(self, token, sentence: int) -> ResolvedPhrase | None:
        """'sent 21 officers to Bosnia to investigate the feasibility of a force': an action in a purpose
        infinitive with no one named is aimed where the verb it serves sends or directs things."""
        head = token.head
        purpose = token.dep_ in ("advcl", "xcomp") and any(a.tag_ == "TO" for a in _children(token, "aux"))
        if not purpose or head.pos_ != "VERB" or head is token:
            return None
        for prep in SERVED_PREPS:
            carriers = (head, _direct_object(head))
            pobj = next((p for c in carriers if c is not None and (p := _prep_object(c, prep)) is not None), None)
            if pobj is not None and _is_actor(found := self.focus(pobj, sentence)):
                return found
        return None

    def grievance_target(self, token, sentence: int) -> ResolvedPhrase | None:
        """'went on strike over a bill signed by the minister', 'a hunger strike in protest of the
        government's refusal': what a protest is over, against or in protest of points at whom it is
        aimed (the actor in that phrase)."""
        for pobj in _clause_tokens(token):
            if pobj.dep_ != "pobj" or pobj.head.lower_ not in GRIEVANCE_PREPS:
                continue
            if pobj.head.lower_ == "in":
                if pobj.lemma_.lower() not in PROTEST_NOUNS:
                    continue
                # "in protest of / against / at X": the protest noun's own phrase
                pobj = next((p for prep in ("of", "against", "at", "over", "to", "for") if (p := _prep_object(pobj, prep)) is not None), None)
                if pobj is None:
                    continue
            if _is_actor(found := self.focus(pobj, sentence)):
                return found
        return None

    def place_target(self, token, sentence: int) -> ResolvedPhrase | None:
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
            if pobj.head.lower_ in ("outside", "at") and _is_actor(found := self.focus(pobj, sentence)):
                return found
        return None

    def target_in(self, token, sentence: int) -> ResolvedPhrase | None:
        """The actor inside a patient phrase ("any mistake by Washington" → Washington)."""
        by = _prep_object(token, "by")
        if by is not None:
            return self.resolver.resolve(by, sentence)
        return self.focus(token, sentence)
