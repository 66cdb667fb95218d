"""The dictionary event coder on small dictionaries and parses of our own (fictional countries), the spaCy
adapter, EnrichStage(verb_files=...) end to end, and the PETRARCH unit-test records when ../shared is present."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newsmill.enrichment.dictcoder import (
    CoderOptions,
    DictionaryCoder,
    classify_dictionary_files,
    event_fields,
)
from newsmill.enrichment.dictionaries import (
    DictionaryLineError,
    read_actor_entries,
    read_agent_entries,
    read_discards,
)
from newsmill.enrichment.parsetree import TreeSyntaxError, parse_ptb
from newsmill.enrichment.verbdict import VerbDictionary

VERBS = """\
&TIETYPES
+TRADE
+MILITARY

--- RESTORE  [064] ---
RESTORE
- * &TIETYPES TIES [062]

--- ATTACK [190] ---
ATTACK
SHELL {SHELLS SHELLED SHELLING}
- * + WITH ROCKETS [195]

--- MEET [040:040] ---
MEET {MEETS MET MEETING}

--- SAY [---] ---
SAY {SAYS SAID SAYING}

--- CORDON [170] ---
+CORDON_OFF
"""
ACTORS = """\
VALDORIA [VAL]
+VALDORIAN
KESTRIA_ [KES]
OSTMARK [OST]
LUMERIA  [LUM/OST]   # a code for two actors at once
MARA_TELLEN [KES]
\t[KESGOV 20200101-20221231]
\t[KESOPP >20230101]
"""
AGENTS = """\
!PERSON! = MAN, WOMAN
MINISTER [~GOV]
REBEL [~REB]
AID_AGENCY [NGO~]
POLICE {} [~COP]
SPOKES!PERSON! [~SPK]
"""
DISCARDS = "+CHESS OLYMPIAD\nFOOTBALL CUP\n"  # a story-level line first, which no actor file could start with

#: Hand-written Penn-Treebank parses, as CoreNLP writes them.
RESTORE_TIES = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD restored) (NP (NN trade) (NNS ties)) (PP (IN with) (NP (NNP Kestria)))) (. .)))"
RESTORE_PLAIN = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD restored) (NP (NN contact)) (PP (IN with) (NP (NNP Kestria)))) (. .)))"
ATTACK = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD attacked) (NP (NNP Kestria))) (. .)))"
ATTACK_ROCKETS = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD attacked) (NP (NNP Kestria)) (PP (IN with) (NP (NNS rockets)))) (. .)))"
PASSIVE = "(ROOT (S (NP (NNP Kestria)) (VP (VBD was) (VP (VBN shelled) (PP (IN by) (NP (NNP Valdoria))))) (. .)))"
COMPOUND = (
    "(ROOT (S (NP (NP (NNP Valdoria)) (, ,) (NP (NNP Ostmark)) (CC and) (NP (NNP Kestria))) "
    "(VP (VBD attacked) (NP (NNP Lumeria))) (. .)))"
)
AGENTS_PAIR = (
    "(ROOT (S (NP (NP (NNP Valdoria) (POS 's)) (NN minister)) (VP (VBD met) (NP (NNP Kestria) (NNS rebels))) (. .)))"
)
NO_COUNTRY = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD attacked) (NP (NNP Kestria))) (. .)))"
DATED = "(ROOT (S (NP (NNP Mara) (NNP Tellen)) (VP (VBD attacked) (NP (NNP Ostmark))) (. .)))"
CORDON = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD cordoned) (PRT (RP off)) (NP (NNP Kestria))) (. .)))"
SAID = "(ROOT (S (NP (NNP Valdoria)) (VP (VBD said) (NP (NN nothing)) (PP (TO to) (NP (NNP Kestria)))) (. .)))"
TWO_VERBS = (
    "(ROOT (S (NP (NNP Valdoria)) (VP (VP (VBD attacked) (NP (NP (DT a) (NN convoy)) (PP (IN of) (NP (NNP Ostmark))))) "
    "(CC and) (VP (VBD met) (NP (NNP Kestria)))) (. .)))"
)
PREP_ACTOR = (
    "(ROOT (S (NP (NP (DT The) (NN minister)) (PP (IN of) (NP (NNP Ostmark)))) (VP (VBD attacked) (NP (NNP Kestria))) (. .)))"
)


@pytest.fixture(scope="module")
def coder() -> DictionaryCoder:
    verbs = VerbDictionary()
    verbs.read(VERBS.splitlines(), "test.verbs")
    return DictionaryCoder(
        verbs,
        read_actor_entries(ACTORS.splitlines(), "test.actors"),
        read_agent_entries(AGENTS.splitlines(), "test.agents"),
        read_discards(DISCARDS.splitlines()),
    )


def coded(coder: DictionaryCoder, ptb: str, date: str | None = "2021-06-01", **options: object) -> set[tuple[str, str, str]]:
    opts = CoderOptions(**options)  # type: ignore[arg-type]
    return {(e.source, e.target, e.code) for e in coder.code(parse_ptb(ptb), date, options=opts).events}


def test_verb_code_pattern_with_synset_and_pattern_target(coder: DictionaryCoder) -> None:
    assert coded(coder, RESTORE_PLAIN) == {("VAL", "KES", "064")}  # the verb's own code
    assert coded(coder, RESTORE_TIES) == {("VAL", "KES", "062")}  # "* &TIETYPES TIES"
    assert coded(coder, ATTACK) == {("VAL", "KES", "190")}
    assert coded(coder, ATTACK_ROCKETS) == {("VAL", "KES", "195")}  # "* + WITH ROCKETS"


def test_passive_swaps_source_and_target(coder: DictionaryCoder) -> None:
    event = coder.code(parse_ptb(PASSIVE), "2021-06-01").events[0]
    assert (event.source, event.target, event.code, event.passive) == ("VAL", "KES", "190", True)


def test_compound_actors_give_one_event_each_and_slash_codes_expand(coder: DictionaryCoder) -> None:
    assert coded(coder, COMPOUND) == {
        ("VAL", "LUM", "190"), ("VAL", "OST", "190"), ("KES", "LUM", "190"), ("KES", "OST", "190"),
        ("OST", "LUM", "190"),  # Ostmark attacking Lumeria-as-OST is a self-reference and is dropped
    }


def test_agents_compose_with_the_country_and_paired_codes(coder: DictionaryCoder) -> None:
    assert coded(coder, AGENTS_PAIR) == {("VALGOV", "KESREB", "040"), ("KESREB", "VALGOV", "040")}


def test_agent_without_a_country_and_null_coded_sides(coder: DictionaryCoder) -> None:
    assert coded(coder, NO_COUNTRY) == {("---GOV", "KES", "190")}
    crowd = NO_COUNTRY.replace("minister", "crowd")
    assert coded(coder, crowd) == set()  # a side without any code is dropped unless require_dyad is off
    assert coded(coder, crowd, require_dyad=False) == {("---", "KES", "190")}
    assert coded(coder, crowd, require_dyad=False, new_actor_length=3) == {('"THE CROWD"', "KES", "190")}


def test_prepositional_actor_phrase(coder: DictionaryCoder) -> None:
    assert coded(coder, PREP_ACTOR) == {("OSTGOV", "KES", "190")}


def test_date_restricted_codes(coder: DictionaryCoder) -> None:
    assert coded(coder, DATED, "2021-06-01") == {("KESGOV", "OST", "190")}
    assert coded(coder, DATED, "20240102") == {("KESOPP", "OST", "190")}
    assert coded(coder, DATED, "2019-12-31") == {("KES", "OST", "190")}
    assert coded(coder, DATED, None) == {("KES", "OST", "190")}


def test_multi_word_verb_and_null_coded_verb(coder: DictionaryCoder) -> None:
    assert coded(coder, CORDON) == {("VAL", "KES", "170")}
    assert coded(coder, SAID) == set()


def test_second_conjoined_verb_takes_the_clause_subject(coder: DictionaryCoder) -> None:
    assert coded(coder, TWO_VERBS) == {("VAL", "OST", "190"), ("VAL", "KES", "040"), ("KES", "VAL", "040")}


def test_discards_veto_sentence_and_story(coder: DictionaryCoder) -> None:
    sentence = coder.code(parse_ptb(ATTACK), "2021-06-01", text="Valdoria attacked Kestria at the football cup.")
    assert sentence.events == [] and sentence.discarded == "FOOTBALL CUP" and not sentence.story_discard
    story = coder.code(parse_ptb(ATTACK), "2021-06-01", text="Valdoria attacked Kestria at the Chess Olympiad.")
    assert story.events == [] and story.story_discard


def test_options_from_text_and_bad_values() -> None:
    options = CoderOptions().with_option("require_dyad", "FALSE").with_option("comma_max", "6")
    assert options.require_dyad is False and options.comma_max == 6
    assert CoderOptions().with_option("stop_on_error", "True") == CoderOptions()
    with pytest.raises(ValueError, match="whole number"):
        CoderOptions().with_option("comma_min", "two")


def test_tree_without_verbs_or_actors_gives_nothing(coder: DictionaryCoder) -> None:
    assert coded(coder, "(ROOT (FRAG (NP (NN weather)) (. .)))") == set()
    assert coded(coder, "(ROOT (S (VP (VB attack))))") == set()
    with pytest.raises(TreeSyntaxError):
        parse_ptb("(ROOT (S (NP (NNP Valdoria)) (VP (VBD attacked)")


def test_malformed_actor_and_agent_lines_name_file_and_line() -> None:
    with pytest.raises(DictionaryLineError, match=r"^a.actors:2: date restriction"):
        read_actor_entries(["VALDORIA [VAL]", "\t[VALGOV 2020-2021x]"], "a.actors")
    with pytest.raises(DictionaryLineError, match=r"^a.actors:1: synonym line before"):
        read_actor_entries(["+VALDORIAN"], "a.actors")
    with pytest.raises(DictionaryLineError, match=r"^a.actors:1: unbalanced"):
        read_actor_entries(["VALDORIA [VAL"], "a.actors")
    with pytest.raises(DictionaryLineError, match=r"^a.agents:1: agent code"):
        read_agent_entries(["MINISTER [GOV]"], "a.agents")


def test_lenient_loading_skips_bad_lines_with_warnings(tmp_path: Path) -> None:
    actors = tmp_path / "a.actors"
    actors.write_text("VALDORIA [VAL]\n\t[VALGOV 9008223-911221]\n+KESTRIA]_\nOSTMARK [OST]\n", encoding="utf-8")
    agents = tmp_path / "b.agents"
    agents.write_text("MINISTER [~GOV]\nDEPARTMENT [~ENV}\n", encoding="utf-8")
    verbs = tmp_path / "v.verbs"
    verbs.write_text(VERBS, encoding="utf-8")
    coder = DictionaryCoder.load([verbs], [actors], [agents])
    assert len(coder.warnings) == 3 and all("skipped" in w for w in coder.warnings)
    assert coded(coder, ATTACK.replace("Kestria", "Ostmark")) == {("VAL", "OST", "190")}


def test_very_long_sentence_is_coded_in_reasonable_time(coder: DictionaryCoder) -> None:
    words = " ".join("(NP (NN word) (NNS forces))" if i % 7 else "(NP (NNP Kestria))" for i in range(3000))
    tree = f"(ROOT (S (NP (NNP Valdoria)) (VP (VBD attacked) (NP {words})) (. .)))"
    assert coded(coder, tree) == {("VAL", "KES", "190")}


def test_event_fields_map_cameo_codes_and_keep_fictional_ones() -> None:
    plover, _mode, goldstein, quad = event_fields("190")
    assert plover and quad == 4 and goldstein < 0
    assert event_fields("902") == ("", None, 0.0, 0)
    assert event_fields("XYZ") == ("", None, 0.0, 0)


def test_classify_dictionary_files(tmp_path: Path) -> None:
    paths = {}
    for name, text in (("a.actors", ACTORS), ("b.agents", AGENTS), ("c.discards", DISCARDS)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    actors, agents, discards = classify_dictionary_files(paths.values())
    assert actors == [paths["a.actors"]] and agents == [paths["b.agents"]] and discards == [paths["c.discards"]]


# --- spaCy: the adapter and the enrichment stage ---


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    from newsmill.enrichment.pipeline import SPACY_MODEL

    return spacy.load(SPACY_MODEL)


def test_spacy_adapter_builds_ptb_like_trees(nlp, coder: DictionaryCoder) -> None:  # type: ignore[no-untyped-def]
    from newsmill.enrichment.parsetree import from_spacy

    sent = next(nlp("Valdoria attacked Kestria on Monday.").sents)
    tree = from_spacy(sent)
    labels = [n.label for n in tree.walk()]
    assert tree.label == "ROOT" and "VP" in labels and "NP" in labels
    assert tree.words() == [t.text for t in sent]
    assert {(e.source, e.target, e.code) for e in coder.code(tree, "2021-06-01").events} == {("VAL", "KES", "190")}
    passive = from_spacy(next(nlp("Kestria was attacked by Valdoria.").sents))
    assert {(e.source, e.target) for e in coder.code(passive, "2021-06-01").events} == {("VAL", "KES")}
    compound = from_spacy(next(nlp("Valdoria and Ostmark attacked Kestria.").sents))
    assert {(e.source, e.target) for e in coder.code(compound, "2021-06-01").events} == {("VAL", "KES"), ("OST", "KES")}


TRICKY_SENTENCES = [
    "Valdoria, Ostmark, Lumeria and Kestria welcomed the talks, officials said on Monday.",
    "The Kestrian minister will not ever attack Ostmark, it seems, after the Barad-dur incident.",
    "Ostmark was heavily and unjustly criticized by Valdoria over its 12-year dispute with Kestria.",
    "Neither Valdoria nor Kestria, whose leaders met in secret, condemned the attack and promised aid.",
    "Rebels who shot at Valdorian police were extradited to Kestria; the court said nothing.",
]


def test_spacy_adapter_keeps_every_word_in_order(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsmill.enrichment.parsetree import from_spacy

    for text in TRICKY_SENTENCES:
        for sent in nlp(text).sents:
            tree = from_spacy(sent)
            # hyphenated words come back joined ("Barad-dur"), so compare without the spaces
            assert "".join(tree.words()) == "".join(t.text for t in sent), text
            for vp in (n for n in tree.walk() if n.label == "VP"):
                assert vp.children, text


def test_spacy_adapter_shapes(nlp, coder: DictionaryCoder) -> None:  # type: ignore[no-untyped-def]
    from newsmill.enrichment.parsetree import from_spacy

    def tree(text: str):  # type: ignore[no-untyped-def]
        return from_spacy(next(nlp(text).sents))

    listing = tree("Valdoria, Ostmark, Lumeria and Kestria attacked Brenland.")
    subject = next(n for n in listing.walk() if n.label == "NP")
    assert sum(n.label == "CC" for n in subject.walk()) == 1 and subject.words()[:3] == ["Valdoria", ",", "Ostmark"]
    negated = tree("Valdoria will not ever attack Kestria.")
    assert " ".join(negated.words()).startswith("Valdoria will not ever attack")
    shared = tree("Valdoria condemned the vote and attacked Kestria.")
    assert {(e.source, e.target, e.code) for e in coder.code(shared, "2021-06-01").events} == {("VAL", "KES", "190")}


def test_enrich_stage_with_verb_files(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    from newsmill.enrichment.pipeline import EnrichStage
    from newsmill.models import Article

    files = {}
    for name, text in (("v.verbs", VERBS), ("a.actors", ACTORS), ("b.agents", AGENTS), ("c.discards", DISCARDS)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    stage = EnrichStage(
        actor_files=[files["a.actors"], files["b.agents"], files["c.discards"]], verb_files=[files["v.verbs"]]
    )
    article = Article(
        id="a1", published="2021-06-01",
        body=["Valdoria attacked Kestria on Monday.", "Kestria restored trade ties with Ostmark."],
    )
    record = stage.process_batch([article])[0]
    got = {(e.actor_code, e.target_code, e.cameo) for e in record.events}
    assert got == {("VAL", "KES", "190"), ("KES", "OST", "062")}
    attack = next(e for e in record.events if e.cameo == "190")
    assert attack.quad_class == 4 and attack.trigger == "attacked" and attack.date == "2021-06-01"
    discarded = stage.process_batch([Article(id="a2", body=["Valdoria attacked Kestria at the Chess Olympiad."])])[0]
    assert discarded.events == []
    # A photo caption names who is pictured, often on another day: no events from it, as with the lexicon.
    from newsmill.models import Image

    captioned = Article(
        id="a3", published="2021-06-01", images=[Image(caption="Valdoria attacked Kestria in 2019.")],
        body=["Kestria restored trade ties with Ostmark."],
    )
    got = {(e.actor_code, e.target_code, e.cameo) for e in stage.process_batch([captioned])[0].events}
    assert got == {("KES", "OST", "062")}


# --- the PETRARCH unit-test records (third-party data, read at run time) ---

#: Measured 0.961 (273 of 284 records) on the records' own parses; the margin allows small changes.
PETRARCH_RECORD_FLOOR = 0.95
#: Measured 0.866 (246 of 284) with trees from our spaCy adapter on the records' texts.
PETRARCH_SPACY_FLOOR = 0.85


def _petrarch_accuracy(folder: Path, tree_of) -> float:  # type: ignore[no-untyped-def]
    coder = DictionaryCoder.load(
        [folder / "PETR.Validate.verbs.txt"], [folder / "PETR.Validate.actors.txt"],
        [folder / "PETR.Validate.agents.txt"], [folder / "PETR.Validate.discards.txt"],
    )
    options = CoderOptions()
    right = total = 0
    for element in ET.parse(folder / "PETR.UnitTest.records.xml").getroot().iter():
        if element.tag == "Config" and element.get("option"):
            options = options.with_option(element.get("option", ""), element.get("value", ""))
            continue
        if element.tag != "Sentence":
            continue
        expected = {
            (c.get("sourcecode"), c.get("targetcode"), c.get("eventcode"))
            for c in element.findall("EventCoding") if c.get("eventcode")
        }
        text = re.sub(r"\s+", " ", element.findtext("Text") or "").strip()
        got: set[tuple[str | None, str | None, str | None]] = set()
        try:
            for tree, sentence in tree_of(element, text):
                got |= {(e.source, e.target, e.code) for e in coder.code(tree, element.get("date"), sentence, options).events}
        except TreeSyntaxError:
            got = set()
        total += 1
        right += got == expected
    assert total == 284
    return right / total


def test_petrarch_unit_test_records(shared_dir: Path) -> None:
    def own_parse(element, text):  # type: ignore[no-untyped-def]
        return [(parse_ptb(element.findtext("Parse") or ""), text)]

    assert _petrarch_accuracy(shared_dir / "events" / "petrarch2", own_parse) >= PETRARCH_RECORD_FLOOR


def test_petrarch_unit_test_records_through_spacy(shared_dir: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    from newsmill.enrichment.parsetree import from_spacy

    def spacy_trees(element, text):  # type: ignore[no-untyped-def]
        return [(from_spacy(sent), sent.text) for sent in nlp(text).sents]

    assert _petrarch_accuracy(shared_dir / "events" / "petrarch2", spacy_trees) >= PETRARCH_SPACY_FLOOR


def test_cli_enrich_with_verbs(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("spacy")
    page = tmp_path / "page.txt"
    page.write_text("Valdoria attacked Kestria on Monday.\n", encoding="utf-8")
    files = {}
    for name, text in (("v.verbs", VERBS), ("a.actors", ACTORS), ("b.agents", AGENTS), ("bad.verbs", "--- A [010] ---\nA\n- * B\n")):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    bad = run_cli("enrich", page, "--verbs", files["bad.verbs"])
    assert bad.code == 2 and "bad.verbs:3: pattern without a [code]" in bad.err
    missing = run_cli("enrich", page, "--verbs", tmp_path / "absent.verbs")
    assert missing.code == 2 and "cannot read the verb dictionary" in missing.err
    good = run_cli(
        "enrich", page, "--workers", "1", "--verbs", files["v.verbs"], "--actors", files["a.actors"], "--actors", files["b.agents"]
    )
    assert good.code == 0
    import json

    events = json.loads(good.out)["events"]
    assert [(e["actor_code"], e["target_code"], e["cameo"]) for e in events] == [("VAL", "KES", "190")]
