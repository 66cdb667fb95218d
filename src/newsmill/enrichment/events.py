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
the actor inside it (``targets.TargetFinder.focus``: "an admission by Moscow", "a US offer", "Haiti's
efforts"); an action or a thing with no actor in it is never a target. Never codes a target from
outside the sentence, and never invents an actor the sentence does not name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsmill.enrichment.cameo import CameoCode, cameo
from newsmill.enrichment.coref import ResolvedPhrase, Resolver, subject_of
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
    PERMIT_VERBS,
    RECEIVING_LIGHT_VERBS,
    SPEECH_VERBS,
    VERB_LEXICON,
    WANT_VERBS,
    LexiconEntry,
)
from newsmill.enrichment.targets import (
    EFFORT_NOUNS,
    PLACE_TARGET_TYPES,
    TARGET_PREPS,
    TargetFinder,
    _children,
    _direct_object,
    _entry_for,
    _is_actor,
    _is_passive,
    _lemma,
    _prep_object,
)

#: Longer sentences are run-ons, lists or markup debris: their parse is unreliable and slow to walk.
#: 120 tokens is about 3x the longest real sentence in the example article and our fixtures.
MAX_EVENT_SENTENCE_TOKENS = 120
#: Roots that become THREATEN when announced or planned rather than done: conflict from 14 (protest) up.
MATERIAL_CONFLICT_ROOTS = frozenset(f"{r}" for r in range(14, 21))
_THREAT_FOR_ROOT = {"16": "1312", "17": "131", "14": "133", "15": "138", "18": "138", "19": "138", "20": "138"}
#: PLOVER types that need a recipient (PLOVER manual), plus CONSULT, which needs a counterpart.
RECIPIENT_TYPES = frozenset(("COOPERATE", "AID", "SANCTION", "CONSULT"))
#: Cooperation announced rather than done → CAMEO "express intent" codes (meet, diplomatic, material,
#: aid, yield), which PLOVER files under AGREE.
_INTENT_FOR_ROOT = {"04": "036", "05": "032", "06": "030", "07": "033", "08": "030"}
ANNOUNCING_MODALS = frozenset(("will", "would", "'ll", "shall"))
#: Most conjoined actors split into separate events on one side ("A, B, C and D condemned...").
MAX_CONJUNCTS = 6
#: Obligations a speaker lays on someone: "must" is a demand (CAMEO 10), "should" an appeal (02).
OBLIGATION_MODALS = {"must": "100", "should": "020"}
#: Letting someone act ("allowed the candidate to run") is yielding to them.
YIELD_CODE = "080"
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
        self.targets = TargetFinder(resolver)

    def remember_subjects(self, sent, sentence: int) -> None:
        """Keep the sentence's named subjects as antecedents for later pronouns (events and quote speakers)."""
        for token in sent:
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("PROPN", "NOUN"):
                phrase = self.resolver.resolve(token, sentence)
                if phrase is not None:
                    self.resolver.remember_subject(token, phrase, sentence)

    def code(self, sent, sentence: int) -> list[RawEvent]:
        self.remember_subjects(sent, sentence)
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
            target = self.targets.target_in(patient, sentence) if patient is not None else None
        else:
            actor = self.targets.doer(subject_of(token), sentence)
            target = (
                self.targets.target(token, entry, sentence)
                or self.targets.complement_target(token, sentence)
                or self.targets.served_recipient(token, sentence)
                or self.targets.shared_object(token, sentence)
            )
        return self._finish(token, token.text, cameo(entry.code), actor, target, sentence)


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
                target = self.targets.focus(target_token, sentence) if target_token is not None else None
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
            owner = of if of is not None and _is_actor(self.targets.focus(of, sentence)) else None
        if owner is not None and target_token is not None and owner.pos_ != "PRON":
            if owner.dep_ in ("poss", "pobj"):
                actor, target = self.targets.focus(owner, sentence), self.targets.focus(target_token, sentence)
            else:  # a modifier is a weaker cue ("Greek strikes against the pension rules"): both must be actors
                actor = self.resolver.resolve_span(token.doc[owner.i : owner.i + 1])
                target = self.targets.focus(target_token, sentence)
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
        target = self.targets.focus(addressee, sentence)
        return self._finish(token, f"{token.text} ... {wanted.text}", cameo(code), actor, target, sentence)

    def _permission(self, token, sentence: int) -> RawEvent | None:
        """'The court allowed the candidate to run': letting someone act is yielding to them (CAMEO 08)."""
        allowed = next((c for c in _children(token, "xcomp", "ccomp") if c.pos_ == "VERB"), None)
        if allowed is None:
            return None
        grantee = _direct_object(token) or next(iter(_children(allowed, "nsubj")), None)
        target = self.targets.focus(grantee, sentence) if grantee is not None else None
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
            event.target = self.targets.conditioned_party(token, sentence)
        if event.target is None and event.code.plover == "PROTEST":
            event.target = self.targets.grievance_target(token, sentence)
        if event.target is None and event.code.plover in PLACE_TARGET_TYPES:
            event.target = self.targets.place_target(token, sentence)
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


def _discontinued(token) -> bool:
    return any(t.lower_ in DISCONTINUE_WORDS for t in token.subtree) or any(
        t.lower_ in DISCONTINUE_WORDS for t in token.head.subtree if t.i < token.i
    )


def _as_threat(event: RawEvent, threatener: ResolvedPhrase | None) -> RawEvent:
    code = cameo(_THREAT_FOR_ROOT.get(event.code.root, "130"))
    return replace(event, code=code, actor=threatener, hypothetical=False, threatened=True)
