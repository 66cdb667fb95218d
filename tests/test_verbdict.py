"""The TABARI/PETRARCH verb dictionary reader and the PTB tree reader, on small dictionaries of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmill.enrichment.parsetree import TreeSyntaxError, parse_ptb
from newsmill.enrichment.verbdict import Element, VerbDictionary, VerbDictionaryError, regular_forms

VERBS = """\
<!-- a small verb dictionary for the tests -->
&TIETYPES
+TRADE
+MILITARY

&CLOSENESS_
+CLOSER
+&TIETYPES   # a synset inside a synset

&FUND
+AID_PACKAGE_

--- RESTORE  [064] ---
RESTORE    # comment after a verb
RENEW [065]
- * &TIETYPES TIES [062]
- * &FUND TO + [070]
- SUDDENLY_* TIES [066]
- * _ TIES  [067]

--- ATTACK [190] ---
ATTACK
SHELL {SHELLS SHELLED SHELLING}
- $ FORCES * + [193]

--- MEET [040:040] ---
MEET {MEETS MET MEETING}
- * IN SECRET [:043]

--- SAY [---] ---
SAY {SAYS SAID SAYING}
- * CONCERN [012]
- * NOTHING [---]

--- CORDON [170] ---
+CORDON_OFF
WIRE_+TAP [171]

--- FIX [020] ---
FIX
GUESS
"""


def load(text: str = VERBS) -> VerbDictionary:
    d = VerbDictionary()
    d.read(text.splitlines(), "test.verbs")
    return d


def test_synsets_members_plurals_and_nesting() -> None:
    d = load()
    assert ("TRADE",) in d.synsets["&TIETYPES"] and ("TRADES",) in d.synsets["&TIETYPES"]
    closeness = d.synsets["&CLOSENESS"]
    assert ("CLOSER",) in closeness and ("CLOSERS",) not in closeness  # '&NAME_' means no plurals
    assert ("MILITARY",) in closeness and ("MILITARIES",) in closeness  # members of the nested synset
    assert d.synsets["&FUND"] == [("AID", "PACKAGE")]  # a member ending in '_' has no plural


def test_verb_forms_regular_irregular_and_codes() -> None:
    d = load()
    assert regular_forms("restore") == ["RESTORE", "RESTORES", "RESTORED", "RESTORING"]
    assert regular_forms("fix") == ["FIX", "FIXES", "FIXED", "FIXING"]
    assert [e.code for e in d.entries("restored")] == ["064"]
    assert d.entries("renewing")[0].code == "065" and d.entries("renewing")[0].meaning == "RESTORE"
    assert d.entries("shelled")[0].meaning == "ATTACK"
    assert d.entries("shelleds") == []  # irregular forms replace the generated ones
    assert d.entries("met")[0].code == "040:040"
    assert d.entries("said")[0].code == "---"
    assert d.entries("guesses")[0].meaning == "FIX"


def test_multi_word_verbs() -> None:
    d = load()
    cordon = d.entries("cordoned")
    assert cordon and cordon[0].after == ("OFF",) and cordon[0].code == "170"
    tap = d.entries("tapped") or d.entries("taped")
    assert tap and tap[0].before == ("WIRE",) and tap[0].code == "171"


def test_patterns_markers_synsets_adjacency_and_paired_codes() -> None:
    d = load()
    restore = {p.code: p for p in d.patterns["RESTORE"]}
    assert restore["062"].lower == (Element("&TIETYPES"), Element("TIES"))
    assert restore["070"].lower == (Element("&FUND"), Element("TO"), Element("+"))
    assert restore["066"].upper == (Element("SUDDENLY", adjacent=True),)
    assert restore["067"].lower == (Element("TIES"),)  # "_ " is an open match, as in PETRARCH
    attack = d.patterns["ATTACK"][0]
    assert attack.upper == (Element("FORCES"), Element("$")) and attack.lower == (Element("+"),)
    assert [p.code for p in d.patterns["MEET"]] == [":043"]
    assert [p.code for p in d.patterns["SAY"]] == ["012", "---"]


def test_petrarch2_phrase_brackets_are_read_as_words() -> None:
    d = load("--- PROMISE [030] ---\nPROMISE\n- * {MILITARY SUPPORT} (TO +) [032]\n")
    assert [e.text for e in d.patterns["PROMISE"][0].lower] == ["MILITARY", "SUPPORT", "TO", "+"]


def test_undefined_synset_drops_the_pattern_with_a_warning() -> None:
    d = load("--- PROMISE [030] ---\nPROMISE\n- * &NOWHERE [032]\n- * AID [033]\n")
    assert [p.code for p in d.patterns["PROMISE"]] == ["033"]
    assert d.warnings and "test.verbs:3" in d.warnings[0] and "&NOWHERE" in d.warnings[0]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("--- A [010] ---\nA\n- * B\n", ":3:", "without a [code]"),
        ("--- A [010] ---\nA\n- B C [011]\n", ":3:", "exactly one '*'"),
        ("--- A [010] ---\nA\n- * B * C [011]\n", ":3:", "exactly one '*'"),
        ("- * B [011]\n", ":1:", "pattern before any verb"),
        ("--- A [01 2] ---\n", ":1:", "not an event code"),
        ("--- A [010] ---\nA\nCORDON_OFF\n", ":3:", "needs a '+'"),
        ("&SET\n+&MISSING\n", ":2:", "never defined"),
        ("&\n", ":1:", "without a name"),
    ],
)
def test_malformed_lines_name_file_and_line(text: str, where: str, message: str) -> None:
    with pytest.raises(VerbDictionaryError) as caught:
        load(text)
    assert str(caught.value).startswith("test.verbs" + where) and message in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(VerbDictionaryError, match="cannot read the verb dictionary"):
        VerbDictionary.load([tmp_path / "absent.verbs"])


def test_binary_garbage_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "garbage.verbs"
    path.write_bytes(bytes(range(256)) * 4)
    try:
        VerbDictionary.load([path])
    except VerbDictionaryError as exc:
        assert "garbage.verbs:" in str(exc)


# --- bracketed parses ---


def test_parse_ptb_reads_a_tree() -> None:
    tree = parse_ptb("(ROOT (S (NP (NNP Valdoria)) (VP (VBD attacked) (NP (NNP Kestria))) (. .)))")
    assert tree.label == "ROOT" and tree.words() == ["Valdoria", "attacked", "Kestria", "."]
    vp = next(n for n in tree.walk() if n.label == "VP")
    assert vp.children[0].label == "VBD" and vp.children[0].word == "attacked"
    assert parse_ptb(tree.to_ptb()).to_ptb() == tree.to_ptb()


def test_parse_ptb_unlabelled_outer_bracket_and_whitespace() -> None:
    tree = parse_ptb("( (S\n  (NP (PRP It))\n\t(VP (VBZ works))))")
    assert tree.label == "ROOT" and tree.words() == ["It", "works"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(S (NP (NNP A)) (VP (VBD b))))", "unbalanced"),
        ("(S (NP (NNP A)) (VP (VBD b)", "left open"),
        ("(S (NP (NNP A))) (S (NP (NNP B)))", "after the end of the tree"),
        ("word (S (NP (NNP A)))", "outside a bracket"),
        ("", "empty parse"),
        ("(S (NN two words))", "more than one word"),
        ("(S" * 1000 + ")" * 1000, "deeper than"),
    ],
)
def test_malformed_brackets_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(TreeSyntaxError, match=message):
        parse_ptb(text)
