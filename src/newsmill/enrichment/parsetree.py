"""Constituency trees with Penn-Treebank labels: the sentence model the dictionary coder works on.

Two ways in: ``parse_ptb`` reads a bracketed parse as CoreNLP and the PETRARCH records write it
("(ROOT (S (NP (NNP Arnor)) (VP ...)))"), and ``from_spacy`` builds a tree from a spaCy sentence's
dependency parse (NP around nominal heads, VP around verbs, PP around prepositions, S/SBAR for
clauses), so the coder also runs inside our spaCy pipeline. This module never guesses at broken
brackets: it raises ``TreeSyntaxError`` with the position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Deeper bracket nesting than this is not a sentence parse; it would only make the recursive walks
#: of the coder slow. CoreNLP parses of 100-word news sentences stay below 40 levels.
MAX_TREE_DEPTH = 400


class TreeSyntaxError(ValueError):
    """A bracketed parse that cannot be read; the message says where."""


@dataclass
class Node:
    """A constituent (``word`` is None) or a preterminal holding one word (``children`` empty)."""

    label: str
    children: list[Node] = field(default_factory=list)
    word: str | None = None
    #: the token's position in its document, for trees built from spaCy, and how many tokens the word
    #: stands for (3 for "Barad-dur" rejoined from "Barad", "-", "dur")
    index: int | None = None
    width: int = 1

    @property
    def is_word(self) -> bool:
        return self.word is not None

    def words(self) -> list[str]:
        return [n.word for n in self.preterminals() if n.word is not None]

    def preterminals(self) -> Iterator[Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            if node.is_word:
                yield node
            else:
                stack.extend(reversed(node.children))

    def walk(self) -> Iterator[Node]:
        """Every node, parents before children, left to right."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def to_ptb(self) -> str:
        if self.is_word:
            return f"({self.label} {self.word})"
        return f"({self.label} " + " ".join(c.to_ptb() for c in self.children) + ")"


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield i, ch
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "()":
                i += 1
            yield start, text[start:i]


def parse_ptb(text: str) -> Node:
    """Read one bracketed Penn-Treebank parse. An unlabelled outer bracket becomes ROOT."""
    stack: list[Node] = []
    root: Node | None = None
    tokens = list(_tokens(text))
    i = 0
    while i < len(tokens):
        pos, tok = tokens[i]
        if tok == "(":
            if root is not None:
                raise TreeSyntaxError(f"text after the end of the tree at character {pos}")
            label = "ROOT"
            if i + 1 < len(tokens) and tokens[i + 1][1] not in "()":
                label = tokens[i + 1][1]
                i += 1
            node = Node(label)
            if i + 1 < len(tokens) and tokens[i + 1][1] not in "()":
                # a preterminal: (TAG word)
                node.word = tokens[i + 1][1]
                i += 1
                if i + 1 >= len(tokens) or tokens[i + 1][1] != ")":
                    raise TreeSyntaxError(f"preterminal ({label} ...) at character {pos} holds more than one word")
            if stack:
                stack[-1].children.append(node)
            stack.append(node)
            if len(stack) > MAX_TREE_DEPTH:
                raise TreeSyntaxError(f"tree deeper than {MAX_TREE_DEPTH} levels at character {pos}")
        elif tok == ")":
            if not stack:
                raise TreeSyntaxError(f"unbalanced ')' at character {pos}")
            node = stack.pop()
            if not stack:
                root = node
        else:
            raise TreeSyntaxError(f"word {tok!r} outside a bracket at character {pos}")
        i += 1
    if stack:
        raise TreeSyntaxError(f"{len(stack)} bracket(s) left open at the end of the parse")
    if root is None:
        raise TreeSyntaxError("empty parse")
    if root.label == "ROOT" and len(root.children) == 1 and root.children[0].label == "ROOT":
        root = root.children[0]
    return root


# --- spaCy adapter -------------------------------------------------------------------------------

_NOMINAL_POS = frozenset(("NOUN", "PROPN", "PRON", "NUM"))
_CLAUSAL_DEPS = frozenset(("ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis"))


def from_spacy(sent: Any) -> Node:
    """A PTB-style constituency tree for a spaCy sentence (a ``Span`` with a dependency parse).

    Each head word projects one phrase over its subtree: verbs a VP (with the subject outside it, in an
    S; an SBAR when a marker or relative word opens the clause), nouns and pronouns an NP, prepositions
    a PP, other heads keep their own words flat. Conjoined nominal heads ("Arnor, Gondor and Rohan")
    give one NP holding an NP per conjunct and the CC, the shape the Treebank uses.
    """
    root = next((t for t in sent if t.head == t or t.dep_ == "ROOT"), None)
    if root is None:
        return Node("ROOT", [Node("S", [_leaf(t) for t in sent])])
    tree = _clause(root, set())
    if tree.label != "S":
        tree = Node("S", [tree])
    result = Node("ROOT", [tree])
    _restore_missing(result, sent)
    return result


def _restore_missing(root: Node, sent: Any) -> None:
    """Put back tokens no phrase claimed (a "cc" or comma the parse hung on an unexpected word), each
    right after the word before it, so the tree always reads as the sentence does."""
    present: set[int] = set()
    parent_of: dict[int, tuple[Node, int]] = {}
    for node in root.walk():
        for position, child in enumerate(node.children):
            if child.is_word and child.index is not None:
                present.update(range(child.index, child.index + child.width))
                parent_of[child.index] = (node, position)
    for token in sent:
        if token.i in present:
            continue
        before = max((i for i in parent_of if i < token.i), default=None)
        if before is None:
            target, position = (root.children[0] if root.children else root), -1
        else:
            target, position = parent_of[before]
        leaf = _leaf(token)
        target.children.insert(position + 1, leaf)
        # positions after the insertion point in the same node moved by one
        for i, (node, pos) in list(parent_of.items()):
            if node is target and pos > position:
                parent_of[i] = (node, pos + 1)
        parent_of[token.i] = (target, position + 1)
        present.add(token.i)


def _leaf(token: Any) -> Node:
    return Node(token.tag_ or "XX", word=token.text, index=token.i)


def _ordered(head: Any, parts: list[tuple[int, Node]]) -> list[Node]:
    return [node for _, node in sorted(parts, key=lambda p: p[0])]


def _phrase(token: Any, visited: set[int]) -> Node:
    """The phrase a token heads, chosen by its part of speech."""
    if token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in token.children):
        return _clause(token, visited)
    if token.pos_ == "VERB":
        return _clause(token, visited)
    if token.pos_ in _NOMINAL_POS:
        return _noun_phrase(token, visited)
    if token.pos_ == "ADP" or token.dep_ == "prep":
        parts = [(token.i, _leaf(token))] + [(c.i, _phrase(c, visited)) for c in token.children]
        return Node("PP", _ordered(token, parts))
    parts = [(token.i, _leaf(token))] + [(c.i, _phrase(c, visited)) for c in token.children]
    if len(parts) == 1:
        return parts[0][1]
    return Node("ADJP" if token.pos_ == "ADJ" else "ADVP" if token.pos_ == "ADV" else "FRAG", _ordered(token, parts))


def _flat(token: Any) -> list[tuple[int, Node]]:
    """A modifier's words as preterminals, in order: "Prime Minister" in "Bree Prime Minister Romendacil"
    stays inside one flat NP, as the Treebank writes names and titles. Coordinated adjectives ("awful and
    evil minister") keep their own ADJP, so the noun phrase is not taken for a compound of actors."""
    leaves = [(t.i, Node("POS", word=t.text, index=t.i) if t.dep_ == "case" else _leaf(t)) for t in token.subtree]
    if token.pos_ == "ADJ" and any(t.dep_ == "cc" for t in token.subtree):
        return [(token.i, Node("ADJP", [n for _, n in sorted(leaves, key=lambda p: p[0])]))]
    return leaves


def _inside_name(head: Any, punct: Any) -> bool:
    """A hyphen or slash written without spaces inside a noun phrase ("Barad-dur", "12-year")."""
    return punct.text in ("-", "/") and not punct.whitespace_ and punct.i > head.left_edge.i


def _merge_hyphens(nodes: list[Node]) -> list[Node]:
    """Rejoin words the tokenizer split at a hyphen: dictionaries list "BARAD-DUR" as one word."""
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if (
            i + 2 < len(nodes) and node.is_word and nodes[i + 1].is_word and nodes[i + 1].word in ("-", "/")
            and nodes[i + 1].label in ("HYPH", ":", ",", "SYM", "NFP") and nodes[i + 2].is_word
        ):
            joined = f"{node.word}{nodes[i + 1].word}{nodes[i + 2].word}"
            out.append(Node(nodes[i + 2].label, word=joined, index=node.index, width=3))
            i += 3
            continue
        out.append(node)
        i += 1
    return out


def _noun_phrase(token: Any, visited: set[int], with_conjuncts: bool = True) -> Node:
    conjuncts = [c for c in token.conjuncts if c.i > token.i and c.pos_ in _NOMINAL_POS] if with_conjuncts else []
    inner_parts: list[tuple[int, Node]] = [(token.i, _leaf(token))]
    outer_parts: list[tuple[int, Node]] = []
    separators: list[tuple[int, Node]] = []
    for child in token.children:
        if child.dep_ == "conj":
            continue
        if child.dep_ in ("cc", "punct") and (conjuncts or not with_conjuncts):
            if with_conjuncts:
                separators.append((child.i, _leaf(child)))
            continue  # a member's separators are placed by the head of the coordination
        if child.dep_ == "prep" or child.dep_ in _CLAUSAL_DEPS:
            outer_parts.append((child.i, _phrase(child, visited)))
        elif child.dep_ == "case":  # possessive 's
            inner_parts.append((child.i, Node("POS", word=child.text, index=child.i)))
        elif child.dep_ == "punct" and not _inside_name(token, child):
            outer_parts.append((child.i, _leaf(child)))
        else:
            inner_parts.extend(_flat(child))
    core = Node("NP", _merge_hyphens(_ordered(token, inner_parts)))
    late: list[tuple[int, Node]] = []
    if conjuncts:
        # a clause or PP the parse hangs on the first conjunct but that follows the others ("A nor B,
        # whose leaders met, ..."): after the coordination, where it is read
        late = [p for p in outer_parts if p[0] > conjuncts[0].i]
        outer_parts = [p for p in outer_parts if p[0] < conjuncts[0].i]
        separators.extend(late)
    head = core if not outer_parts else Node("NP", [core] + _ordered(token, outer_parts))
    if not conjuncts:
        return head
    # "Mordor, Rohan, Fornost and Bree": spaCy chains the conjuncts; the Treebank lists them side by side
    bare = all(not [c for c in conjunct.children if c.dep_ not in ("cc", "punct", "conj")] for conjunct in conjuncts)
    # with a determiner ("the Danish media and government") the Treebank nests the first noun phrase
    has_determiner = any(c.dep_ in ("det", "poss") for c in token.children)
    if bare and not outer_parts and not has_determiner:
        # bare nouns share the head's modifiers, flat as in the Treebank: (NP (JJ Danish) (NNS media) (CC and)
        # (NN government))
        flat_parts = inner_parts + [(c.i, _leaf(c)) for c in conjuncts]
        flat_parts += [(c.i, _leaf(c)) for conjunct in conjuncts for c in conjunct.children if c.dep_ in ("cc", "punct")]
        last_word = conjuncts[-1].i
        inside_flat = [p for p in flat_parts + separators if p[0] <= last_word]
        trailing_flat = [p for p in separators if p[0] > last_word]
        flat = Node("NP", _merge_hyphens(_ordered(token, inside_flat)))
        return Node("NP", [flat] + [n for _, n in sorted(trailing_flat, key=lambda p: p[0])]) if trailing_flat else flat
    members: list[tuple[int, Node]] = [(token.i, head)]
    for conjunct in conjuncts:
        members.append((conjunct.i, _noun_phrase(conjunct, visited, with_conjuncts=False)))
        separators.extend((c.i, _leaf(c)) for c in conjunct.children if c.dep_ in ("cc", "punct"))
    last = conjuncts[-1].i
    inside = [p for p in separators if p[0] < last]
    trailing = [p for p in separators if p[0] > last]
    coordination = Node("NP", _ordered(token, members + inside))
    return Node("NP", [coordination] + [n for _, n in sorted(trailing, key=lambda p: p[0])]) if trailing else coordination


_SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass", "csubj", "csubjpass", "expl"))
_AUX_TAGS = frozenset(("MD", "VBZ", "VBD", "VBP", "VB", "VBN", "VBG", "TO"))


def _is_verb(token: Any) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _clause(verb: Any, visited: set[int]) -> Node:
    """S (subject + VP) or SBAR for a verb and its dependents. Conjoined verbs without a subject of
    their own share the subject: (S (NP ...) (VP (VP condemned ...) (CC and) (VP promised ...)))."""
    subject: list[tuple[int, Node]] = []
    before_vp: list[tuple[int, Node]] = []
    after_vp: list[tuple[int, Node]] = []
    marker: list[tuple[int, Node]] = []
    own_clauses: list[tuple[int, Node]] = []
    coordinated: list[tuple[int, Node]] = []
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            subject.append((child.i, _phrase(child, visited)))
        elif child.dep_ in ("aux", "auxpass"):
            # the small model sometimes hangs the subject on the auxiliary ("The Philippines was criticized")
            subject.extend((g.i, _phrase(g, visited)) for g in child.children if g.dep_ in _SUBJECT_DEPS)
        elif child.dep_ == "mark":
            marker.append((child.i, _leaf(child)))
        elif child.dep_ == "conj" and _is_verb(child):
            if any(c.dep_ in _SUBJECT_DEPS for c in child.children):
                own_clauses.append((child.i, _clause(child, visited)))
            else:
                coordinated.append((child.i, _conjoined_vp(child, visited)))
        elif child.dep_ == "cc" and any(c.dep_ == "conj" and _is_verb(c) for c in verb.children):
            (coordinated if child.i > verb.i else before_vp).append((child.i, _leaf(child)))
        elif child.dep_ == "punct" and (child.i == child.sent.end - 1 or child.i < verb.i):
            (before_vp if child.i < verb.i else after_vp).append((child.i, _leaf(child)))
    vp = _verb_phrase(verb, visited, before_vp)
    if coordinated:
        vp = Node("VP", [vp] + [n for _, n in sorted(coordinated, key=lambda p: p[0])])
    clause = Node("S", _ordered(verb, subject + before_vp + [(verb.i, vp)] + after_vp))
    if own_clauses:
        clause = Node("S", [clause] + [n for _, n in sorted(own_clauses, key=lambda p: p[0])])
    if marker:
        return Node("SBAR", [n for _, n in marker] + [clause])
    return clause


def _conjoined_vp(verb: Any, visited: set[int]) -> Node:
    """The VP of a conjoined verb that shares its subject; its own coordination nests inside it."""
    outside: list[tuple[int, Node]] = []
    vp = _verb_phrase(verb, visited, outside)
    nested = [(c.i, _conjoined_vp(c, visited)) for c in verb.children if c.dep_ == "conj" and _is_verb(c)]
    nested += [(c.i, _leaf(c)) for c in verb.children if c.dep_ == "cc" and nested]
    parts = [n for _, n in sorted(outside, key=lambda p: p[0])] + [vp]
    if nested:
        return Node("VP", parts + [n for _, n in sorted(nested, key=lambda p: p[0])])
    return vp if not outside else Node("VP", parts)


def _verb_phrase(verb: Any, visited: set[int], outside: list[tuple[int, Node]]) -> Node:
    """(VP (VBZ is) (VP (VBN shot) ...)): auxiliaries head VP shells as in the Treebank, "not" stays in
    the shell of its auxiliary, so every VP starts with its verb. Words before the verb that belong to
    no auxiliary go to ``outside`` (they precede the VP)."""
    before: list[tuple[int, Node]] = []
    after: list[tuple[int, Node]] = [(verb.i, _leaf(verb))]
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS or child.dep_ in ("mark", "cc") or (child.dep_ == "conj" and _is_verb(child)):
            continue
        if child.dep_ == "punct" and (child.i == child.sent.end - 1 or child.i < verb.i):
            continue
        if child.i < verb.i:
            before.append((child.i, _leaf(child) if child.dep_ in ("aux", "auxpass", "neg") else _phrase(child, visited)))
        else:
            after.append((child.i, _phrase(child, visited)))
    vp = Node("VP", [n for _, n in sorted(after, key=lambda p: p[0])])
    # words between auxiliaries stay in the shell of the auxiliary before them ("will not ever clash");
    # words before the first auxiliary precede the whole VP
    auxiliaries = [i for i, node in before if node.is_word and node.label in _AUX_TAGS]
    first_aux = min(auxiliaries) if auxiliaries else verb.i
    pending: list[Node] = []
    for index, node in sorted(before, key=lambda p: p[0], reverse=True):
        if index < first_aux:
            outside.append((index, node))
        elif node.is_word and node.label in _AUX_TAGS:
            vp = Node("VP", [node] + list(reversed(pending)) + [vp])
            pending = []
        else:
            pending.append(node)
    return vp
