"""Article-understanding benchmark: events, actors, places and quotes scored against ../shared/events.

    python benchmarks/events.py                 # everything, writes results/events.json + BENCHMARKS.md
    python benchmarks/events.py --quick         # small slices of each set, prints only (no files written)
    python benchmarks/events.py --only plover ngec

Sets (each folder's SOURCE.md says what it holds; nothing from them is copied into the project):
  petrarch   PETRARCH unit-test records; their validation actor/agent dictionaries are loaded at run time
  plover     PLOVER gold records: event type accuracy, actor and target token F1
  ngec       NGEC actor-resolution cases: accuracy of our actor table's resolver
  geowebnews GeoWebNews: toponym F1 and accuracy within 161 km
  example    the example article (../shared/samples) against newsmill_seed000 gold
  speed      articles/s on one core, and enrichment time / spaCy's bare nlp.pipe time on the same texts
Peers run in the same process where one is installed: spaCy's bare NER for toponyms and actor spans, and
a most-frequent-type baseline for PLOVER.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BENCHMARKS_MD,
    RESULTS,
    SHARED,
    machine_info,
    pin_to_core,
    usable_cores,
    write_json,
    write_section,
)

from newsmill.enrichment.actors import ActorTable
from newsmill.enrichment.dictcoder import CoderOptions, DictionaryCoder
from newsmill.enrichment.models import Enrichment, Event
from newsmill.enrichment.parsetree import TreeSyntaxError, parse_ptb
from newsmill.enrichment.pipeline import SPACY_MODEL, EnrichStage
from newsmill.enrichment.places import Gazetteer
from newsmill.models import Article

EVENTS = SHARED / "events"
SAMPLE = SHARED / "samples" / "jpost-2020-04-01-iran-iraq.txt"
#: The 2016 PLOVER names in the gold records → the current (POLECAT) types we emit (plover/SOURCE.md).
PLOVER_2016_TO_CURRENT = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
#: GeoWebNews annotation types that are toponyms. The *_Expression types mark whole phrases around a
#: toponym, Non_Toponym/Homonym/Language are not places (Gritta et al. 2019, section 3).
GWN_TOPONYM_TYPES = frozenset(
    "Literal Literal_Modifier Non_Literal_Modifier Metonymic Mixed Coercion Demonym Embedded_Literal "
    "Embedded_Non_Lit".split()
)
#: The usual geocoding tolerance: 161 km = 100 miles (Gritta et al. 2019 and earlier geoparsing work).
ACC_KM = 161.0
#: Words that carry no identity when spans or speaker names are compared token by token.
FUNCTION_WORDS = frozenset("the a an of in on at to and or its his her their 's ’s current".split())
QUICK_LIMIT = 40
#: The PLOVER records split by position in the file, made when the lexicon work resumed after a first
#: session had tuned on all 322: even positions ("dev") are the ones whose misses may be read when the
#: coder changes, odd positions ("heldout") are scored but never inspected.
PLOVER_HALVES = ("dev", "heldout")

TARGETS: list[tuple[str, str, float, str]] = [
    # (label, result path, threshold, comparison) — from issue 4
    ("example: core events found (of 11)", "example.core_events_found", 9, ">="),
    ("example: event precision", "example.event_precision", 0.70, ">="),
    ("example: entities normalized (of 17)", "example.entities_right", 15, ">="),
    ("example: quote items right (of 6)", "example.quotes_right", 6, ">="),
    ("PETRARCH unit tests: records right", "petrarch.record_accuracy", 0.85, ">="),
    ("PLOVER gold: type accuracy", "plover.type_accuracy", 0.70, ">="),
    ("PLOVER gold: actor span F1", "plover.actor_f1", 0.70, ">="),
    ("PLOVER gold: target span F1", "plover.target_f1", 0.70, ">="),
    ("NGEC actor resolution: accuracy", "ngec.accuracy", 0.80, ">="),
    ("GeoWebNews: toponym F1", "geowebnews.f1", 0.80, ">="),
    ("GeoWebNews: accuracy@161 km", "geowebnews.acc_at_161", 0.85, ">="),
    ("speed: enrichment / bare spaCy time", "speed.ratio_to_spacy", 1.3, "<="),
]


# --- helpers --------------------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\u00a0", " ").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _tokens(text: str | None) -> list[str]:
    return [t for t in re.findall(r"[\w'-]+", _norm(text)) if t not in FUNCTION_WORDS]


def _prf(tp: float, pred: float, gold: float) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _article(text: str, published: str | None = None, article_id: str = "") -> Article:
    return Article(id=article_id, body=[text], published=published)


def _enrich(stage: EnrichStage, texts: list[str], published: list[str | None] | None = None) -> list[Enrichment]:
    dates = published or [None] * len(texts)
    articles = [_article(t, d, str(i)) for i, (t, d) in enumerate(zip(texts, dates, strict=True))]
    return stage.process_batch(articles)


def _asserted(event: Event) -> bool:
    return not (event.negated or event.hypothetical or event.historical)


# --- PETRARCH unit tests ---------------------------------------------------------------------------


def _petrarch_records(root: ET.Element) -> list[tuple[ET.Element, CoderOptions]]:
    """The records in file order, each with the run options its preceding <Config> tags set (PETRARCH
    applies a <Config> to every record after it until changed)."""
    options = CoderOptions()
    out = []
    for element in root.iter():
        if element.tag == "Config" and element.get("option"):
            options = options.with_option(element.get("option", ""), element.get("value", ""))
        elif element.tag == "Sentence":
            out.append((element, options))
    return out


def _petrarch_score(records: list[ET.Element], predicted: list[set[tuple[str, str, str]]]) -> dict[str, Any]:
    strict = events_expected = events_found = no_event_records = no_event_right = 0
    categories: Counter[str] = Counter()
    categories_right: Counter[str] = Counter()
    wrong = []
    for record, got in zip(records, predicted, strict=True):
        expected = {
            (c.get("sourcecode") or "", c.get("targetcode") or "", c.get("eventcode") or "")
            for c in record.findall("EventCoding")
            if c.get("eventcode")
        }
        right = got == expected
        if not expected:
            no_event_records += 1
            no_event_right += right
        for source, target, code in expected:
            events_expected += 1
            events_found += any(s == source and t == target and c[:2] == code[:2] for s, t, c in got)
        strict += right
        category = record.get("category", "?")
        categories[category] += 1
        categories_right[category] += right
        if not right:
            wrong.append(record.get("id", "?"))
    return {
        "records": len(records),
        "record_accuracy": round(strict / len(records), 3) if records else 0.0,
        "expected_events": events_expected,
        "events_found_root_and_actors": events_found,
        "event_recall_root_and_actors": round(events_found / events_expected, 3) if events_expected else 0.0,
        "no_event_records_right": f"{no_event_right}/{no_event_records}",
        "by_category": {c: f"{categories_right[c]}/{n}" for c, n in sorted(categories.items())},
        "wrong_records": wrong,
    }


def bench_petrarch(limit: int | None) -> dict[str, Any]:
    """The dictionary coder with the four PETR.Validate dictionaries (a) on the records' own parses, as
    PETRARCH itself is scored: the target figure; (b) inside EnrichStage on the <Text>, with our spaCy
    adapter building the trees."""
    folder = EVENTS / "petrarch2"
    root = ET.parse(folder / "PETR.UnitTest.records.xml").getroot()
    records_with_options = _petrarch_records(root)[:limit]
    records = [r for r, _ in records_with_options]
    verbs = [folder / "PETR.Validate.verbs.txt"]
    actors, agents, discards = (folder / f"PETR.Validate.{k}.txt" for k in ("actors", "agents", "discards"))
    coder = DictionaryCoder.load(verbs, [actors], [agents], [discards])
    texts = [re.sub(r"\s+", " ", r.findtext("Text") or "").strip() for r in records]
    dates = [f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d := r.get("date", "")) == 8 else None for r in records]
    on_parses: list[set[tuple[str, str, str]]] = []
    unreadable = 0
    started = time.perf_counter()
    for (record, options), text, date in zip(records_with_options, texts, dates, strict=True):
        try:
            tree = parse_ptb(record.findtext("Parse") or "")
        except TreeSyntaxError:
            unreadable += 1  # the ERROR records' broken brackets: no events, as PETRARCH skips them
            on_parses.append(set())
            continue
        coding = coder.code(tree, date, text, options)
        on_parses.append({(e.source, e.target, e.code) for e in coding.events})
    parse_seconds = time.perf_counter() - started
    result = _petrarch_score(records, on_parses)
    result["unreadable_parses"] = unreadable
    result["records_per_second_on_parses"] = round(len(records) / parse_seconds, 1) if parse_seconds else None
    stage = EnrichStage(actor_files=[actors, agents, discards], verb_files=verbs)
    stage.setup()
    enriched = []
    for (_record, options), text, date in zip(records_with_options, texts, dates, strict=True):
        stage.dictionary_coder.options = options  # the records' <Config> switches, as on the parses
        enriched.extend(_enrich(stage, [text], [date]))
    on_spacy = [{(e.actor_code or "", e.target_code or "", e.cameo) for e in r.events} for r in enriched]
    spacy_result = _petrarch_score(records, on_spacy)
    result["spacy_adapter"] = {k: v for k, v in spacy_result.items() if k != "wrong_records"}
    result["note"] = (
        "dictionary coder (verbdict + dictcoder) with PETR.Validate verbs/actors/agents/discards; record_accuracy "
        "is on the records' own Penn-Treebank parses (as PETRARCH is scored), spacy_adapter on the <Text> through "
        "EnrichStage(verb_files=...) with trees built from spaCy's dependency parse (ERROR records expect no event "
        "because their parse is broken, and ICC-01's parse differs from its text, so the spaCy path cannot match "
        "those). Not copied: '###' codes from a commented-out actor line (COMPOUND-34/35), an XYZ code found in no "
        "dictionary (AGENT-08), 'former' as an ELI agent absent from the agents file (AGENTS-18/19), contradictory "
        "'% HAVE *' expectations (DEMO-25 against DEMO-26..28). The coder was written while reading failures of all "
        "284 records (they are feature tests of PETRARCH's semantics, not a sample of news), so there is no held-out "
        "figure; its tests use dictionaries and parses of our own"
    )
    return result


# --- PLOVER gold --------------------------------------------------------------------------------------


def _plover_records(limit: int | None) -> list[dict[str, Any]]:
    data = json.loads((EVENTS / "plover" / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8"))
    return [r for r in data if r.get("event") not in (None, "DOCUMENT") and r.get("text")][:limit]


def _main_event(events: list[Event]) -> Event | None:
    """The event a one-sentence record is about: asserted, with the most actors resolved, earliest first."""
    if not events:
        return None
    return max(events, key=lambda e: (_asserted(e), bool(e.actor_code) + bool(e.target_code), -e.start))


def _span_counts(predicted: str | None, gold: Iterable[str]) -> tuple[int, int, int]:
    pred = Counter(_tokens(predicted))
    want: Counter[str] = Counter()
    for text in gold:
        want.update(_tokens(text))
    return sum((pred & want).values()), sum(pred.values()), sum(want.values())


def _actor_texts(field: Any) -> list[str]:
    """actorText values of a record's source/target (a list of dicts, one dict or a bare string)."""
    items = field if isinstance(field, list) else [field] if field else []
    return [item.get("actorText") or "" if isinstance(item, dict) else str(item) for item in items]


def _plover_half(record_index: int) -> str:
    """Which half of the PLOVER records a record (by its position in the file) belongs to."""
    return PLOVER_HALVES[record_index % len(PLOVER_HALVES)]


def _plover_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Type accuracy and actor/target token F1 over per-record rows from ``bench_plover``."""
    totals = {role: [sum(row[role][i] for row in rows) for i in range(3)] for role in ("actor", "target")}
    return {
        "records": len(rows),
        "type_accuracy": round(sum(row["right"] for row in rows) / len(rows), 3) if rows else 0.0,
        "actor_f1": _prf(*totals["actor"])["f1"],
        "target_f1": _prf(*totals["target"])["f1"],
        "actor": _prf(*totals["actor"]),
        "target": _prf(*totals["target"]),
    }


def bench_plover(limit: int | None, nlp: Any) -> dict[str, Any]:
    records = _plover_records(limit)
    stage = EnrichStage()
    results = _enrich(stage, [r["text"] for r in records])
    gold_types = [PLOVER_2016_TO_CURRENT.get(r["event"], r["event"]) for r in records]
    majority = Counter(gold_types).most_common(1)[0][0]
    rows: list[dict[str, Any]] = []
    for index, (record, result, gold_type) in enumerate(zip(records, results, gold_types, strict=True)):
        event = _main_event(result.events)
        predicted = event.plover if event else "NONE"
        row: dict[str, Any] = {"half": _plover_half(index), "right": predicted == gold_type,
                               "confusion": f"{gold_type}->{predicted}"}
        # Conjoined actors are split into one event per dyad; the record codes them as one event.
        same = [e for e in result.events if event and e.trigger == event.trigger and e.start == event.start]
        actors = " ".join(dict.fromkeys(e.actor for e in same if e.actor)) or None
        targets = " ".join(dict.fromkeys(e.target for e in same if e.target)) or None
        for role, key, text in (("actor", "source", actors), ("target", "target", targets)):
            row[role] = _span_counts(text, _actor_texts(record.get(key)))
        rows.append(row)
    baseline = {"actor": [0, 0, 0], "target": [0, 0, 0]}
    if nlp is not None:  # peer: spaCy's own entities, first before the root verb = actor, first after = target
        for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
            root = next((t for t in doc if t.dep_ == "ROOT"), None)
            ents = [e for e in doc.ents if e.label_ in ("GPE", "NORP", "ORG", "PERSON")]
            before = next((e.text for e in ents if root is None or e.end <= root.i), None)
            after = next((e.text for e in ents if root is not None and e.start > root.i), None)
            for role, key, text in (("actor", "source", before), ("target", "target", after)):
                for i, value in enumerate(_span_counts(text, _actor_texts(record.get(key)))):
                    baseline[role][i] += value
    dev = [row for row in rows if row["half"] == "dev"]
    out: dict[str, Any] = {
        **_plover_summary(rows),
        "halves": {half: _plover_summary([row for row in rows if row["half"] == half]) for half in PLOVER_HALVES},
        # Misses are listed for the development half only: the held-out half's are not to be read.
        "dev_top_confusions": dict(Counter(row["confusion"] for row in dev if not row["right"]).most_common(8)),
        "peers": {
            "most_frequent_type": {"type": majority, "type_accuracy": round(gold_types.count(majority) / len(records), 3)},
        },
    }
    if nlp is not None:
        out["peers"]["spacy_ner_first_entities"] = {
            "actor_f1": _prf(*baseline["actor"])["f1"], "target_f1": _prf(*baseline["target"])["f1"]
        }
    return out


# --- NGEC actor resolution ---------------------------------------------------------------------------


def _wiki_norm(title: str | None) -> str:
    text = unicodedata.normalize("NFKD", (title or "").replace("_", " "))
    return "".join(c for c in text if not unicodedata.combining(c)).strip().lower()


def _ngec_date(text: str) -> str | None:
    """The case's date as ISO ("2022-03-01", "1 January 2018"); "today" and "" mean the current holder."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    for layout in ("%d %B %Y", "%B %d, %Y", "%B %d %Y"):
        try:
            return datetime.strptime(text, layout).date().isoformat()
        except ValueError:
            continue
    return None


#: Failures listed in the results: development cases only, so that reading them never shows a held-out case.
NGEC_FAILURES_SHOWN = 15


def _ngec_split(line_number: int) -> str:
    """Even lines of the case file are for development (their failures may be read), odd lines are held out."""
    return "dev" if line_number % 2 == 0 else "heldout"


def _ngec_check(table: ActorTable, case: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Whether our resolver gets one case right, and what it returned."""
    # NGEC's context argument is the story's country ("Mexico", "German"): ours is context_country.
    context = table.resolve_phrase(case["context"]) if case.get("context") else None
    match = table.resolve_phrase(case["input"], date=_ngec_date(case.get("date", "")),
                                 context_country=context.country if context else None)
    country = (match.country if match else None) or ""
    sector = (match.sector if match else None) or ""
    wiki = _wiki_norm(match.wikipedia if match else None)
    checks: list[bool] = []
    for key, want in case["expected"].items():
        if key == "country" or key == "cc":
            checks.append(country == (want or ""))
        elif key == "country !=":
            checks.append(country != want)
        elif key == "code_1":
            checks.append(sector == (want or ""))
        elif key in ("wiki", "title"):
            checks.append(wiki == _wiki_norm(want))
        elif key == "wiki !=":
            checks.append(wiki != _wiki_norm(want))
        elif key == "unresolved" or (key == "code" and want is None):
            checks.append(match is None or not match.code)
        # code_2 (secondary sector), pattern, text, source, actor_wiki_job: NGEC internals, not scored
    got = {"country": country, "sector": sector, "wiki": wiki, "method": match.method if match else None}
    return bool(checks) and all(checks), got


def _ngec_changed_hands(case: dict[str, Any], got: dict[str, Any], table: ActorTable) -> bool:
    """An undated case ("the current holder") that fails only because an office changed hands between the
    case being written and now: right with former official and office holder swapped."""
    if _ngec_date(case.get("date", "")) or {case["expected"].get("code_1"), got["sector"]} != {"GOV", "ELI"}:
        return False
    return _ngec_check(table, {**case, "expected": {**case["expected"], "code_1": got["sector"]}})[0]


def bench_ngec(limit: int | None) -> dict[str, Any]:
    lines = (EVENTS / "ngec" / "actor_resolution_cases.jsonl").open(encoding="utf-8")
    cases = [(n, json.loads(line)) for n, line in enumerate(lines)]
    cases = cases[:limit]
    table = ActorTable.load()
    gazetteer = Gazetteer()
    gazetteer.bind(table)  # as EnrichStage.setup binds it
    # The same resolver without the table's people: what rules and classes of actors achieve alone. Many
    # NGEC cases name heads of state; the table's person rows follow a rule stated in actors.txt that does not
    # look at these cases (they were once partly filled from them).
    without_people = ActorTable(agents=table.agents)
    without_people.add_rows(row for row in table.rows if row.type != "PERSON")
    gazetteer.bind(without_people)
    right_by_method: Counter[str] = Counter()
    by_method: Counter[str] = Counter()
    right_by_split: Counter[str] = Counter()
    right_without_people: Counter[str] = Counter()
    by_split: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    changed_hands = 0
    for line_number, case in cases:
        ok, got = _ngec_check(table, case)
        split = _ngec_split(line_number)
        by_method[case["method"]] += 1
        right_by_method[case["method"]] += ok
        by_split[split] += 1
        right_by_split[split] += ok
        right_without_people[split] += _ngec_check(without_people, case)[0]
        if not ok and _ngec_changed_hands(case, got, table):
            changed_hands += 1
        if not ok and split == "dev" and len(failures) < NGEC_FAILURES_SHOWN:
            failures.append({"line": line_number, "method": case["method"], "input": case["input"],
                             "expected": case["expected"], "got": got})
    total = sum(by_method.values())

    def accuracy(right: int, n: int) -> float:
        return round(right / n, 3) if n else 0.0

    return {
        "cases": total,
        "accuracy": accuracy(sum(right_by_method.values()), total),
        "dev_cases": by_split["dev"],
        "dev_accuracy": accuracy(right_by_split["dev"], by_split["dev"]),
        "heldout_cases": by_split["heldout"],
        "heldout_accuracy": accuracy(right_by_split["heldout"], by_split["heldout"]),
        "undated_cases_whose_office_changed_hands": changed_hands,
        "without_person_rows": {
            "accuracy": accuracy(sum(right_without_people.values()), total),
            "dev_accuracy": accuracy(right_without_people["dev"], by_split["dev"]),
            "heldout_accuracy": accuracy(right_without_people["heldout"], by_split["heldout"]),
        },
        "by_method": {m: f"{right_by_method[m]}/{n}" for m, n in sorted(by_method.items())},
        "sample_failures": failures,
    }


# --- GeoWebNews --------------------------------------------------------------------------------------


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _gwn_articles(limit: int | None) -> list[tuple[str, list[dict[str, Any]]]]:
    root = ET.parse(EVENTS / "geowebnews" / "GWN.xml").getroot()
    out = []
    for article in root.findall("article")[:limit]:
        gold = []
        for toponym in article.find("toponyms") or []:
            fields = {child.tag: child.text for child in toponym}
            if fields.get("type") in GWN_TOPONYM_TYPES:
                gold.append(fields)
        out.append((article.findtext("text") or "", gold))
    return out


def _match_spans(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one overlapping (pred index, gold index) pairs, greedy in text order."""
    used: set[int] = set()
    pairs = []
    for i, (ps, pe) in enumerate(pred):
        for j, (gs, ge) in enumerate(gold):
            if j not in used and ps < ge and gs < pe:
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def bench_geowebnews(limit: int | None, nlp: Any) -> dict[str, Any]:
    articles = _gwn_articles(limit)
    stage = EnrichStage()
    results = _enrich(stage, [text for text, _ in articles])
    tp = n_pred = n_gold = 0
    distances: list[float] = []
    approximate: list[bool] = []
    with_coords = 0
    for (_text, gold), result in zip(articles, results, strict=True):
        gold_spans = [(int(g["start"]), int(g["end"])) for g in gold]
        pred_spans = [(p.start, p.end) for p in result.places]
        pairs = _match_spans(pred_spans, gold_spans)
        tp += len(pairs)
        n_pred += len(pred_spans)
        n_gold += len(gold_spans)
        for i, j in pairs:
            g, p = gold[j], result.places[i]
            if g.get("latitude") and g.get("longitude"):
                with_coords += 1
                approximate.append(p.feature == "approximate")
                if p.lat is not None and p.lon is not None:
                    distances.append(_km(float(g["latitude"]), float(g["longitude"]), p.lat, p.lon))
                else:
                    distances.append(float("inf"))
    out: dict[str, Any] = {"articles": len(articles), "gold_toponyms": n_gold, **_prf(tp, n_pred, n_gold)}
    out["acc_at_161"] = round(sum(d <= ACC_KM for d in distances) / len(distances), 3) if distances else 0.0
    out["geocoded_pairs"] = with_coords
    # The same figure with "approximate" points (unknown places put at the article's main locality)
    # counted as misses: what the gazetteer alone gets right.
    gazetteer_hits = sum(d <= ACC_KM and not a for d, a in zip(distances, approximate, strict=True))
    out["acc_at_161_gazetteer_only"] = round(gazetteer_hits / len(distances), 3) if distances else 0.0
    out["approximate_pairs"] = sum(approximate)
    finite = sorted(d for d in distances if d != float("inf"))
    out["median_error_km"] = round(finite[len(finite) // 2], 1) if finite else None
    if nlp is not None:
        btp = bpred = 0
        for (_text, gold), doc in zip(articles, nlp.pipe(t for t, _ in articles), strict=True):
            spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC", "NORP")]
            btp += len(_match_spans(spans, [(int(g["start"]), int(g["end"])) for g in gold]))
            bpred += len(spans)
        out["peers"] = {"spacy_ner_gpe_loc_fac_norp": _prf(btp, bpred, n_gold)}
    return out


# --- the example article --------------------------------------------------------------------------------


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _side_ok(text: str | None, name: str | None, code: str | None, gold: dict[str, Any]) -> bool:
    want_code = gold.get("code")
    keys = gold.get("match") or []
    if not want_code and not keys:
        return True
    if gold.get("text") is None and not (text or code):  # an implicit side: leaving it empty is right
        return True
    if code and want_code and code[:3] == want_code[:3]:
        return True
    surface = _norm(f"{text or ''} | {name or ''}")
    return any(re.search(rf"\b{re.escape(k)}\b", surface) for k in keys)


def _event_matches(event: Event, gold: dict[str, Any]) -> bool:
    if _norm(gold["sent_contains"]) not in _norm(event.sentence_text):
        return False
    gold_type = PLOVER_2016_TO_CURRENT.get(gold["plover"], gold["plover"])
    if event.plover != gold_type and event.cameo[:2] not in gold.get("cameo_ok", []):
        return False
    return _side_ok(event.actor, event.actor_name, event.actor_code, gold["actor"]) and _side_ok(
        event.target, event.target_name, event.target_code, gold["target"]
    )


def _speaker_ok(quote: Any, gold: dict[str, Any]) -> bool:
    want = set(_tokens(gold.get("speaker"))) | set(_tokens(gold.get("speaker_canonical")))
    have = set(_tokens(quote.speaker)) | set(_tokens(quote.speaker_canonical))
    return bool(want & have)


def _mention_key(text: str) -> str:
    return re.sub(r"^(?:the|a|an) ", "", _norm(text).removesuffix("'s"))


def score_example(result: Enrichment) -> dict[str, Any]:
    folder = EVENTS / "newsmill_seed000"
    gold_events = _jsonl(folder / "gold_events.jsonl")
    core = [g for g in gold_events if g.get("core")]
    found = [g["id"] for g in core if any(_event_matches(e, g) for e in result.events)]
    asserted = [e for e in result.events if _asserted(e)]
    correct = [e for e in asserted if any(_event_matches(e, g) for g in gold_events)]
    entities_right = []
    for gold in _jsonl(folder / "gold_entities.jsonl"):
        mentions = {_mention_key(m) for m in gold["mentions"]}
        hits = [e for e in result.entities if _mention_key(e.text) in mentions]
        want = gold.get("actor_code")
        if want is None:  # a thing, not an actor: right when found and not taken for a person
            ok = bool(hits) and all(e.label != "PERSON" and not e.actor_code for e in hits)
        else:
            ok = bool(hits) and any(e.actor_code == want or (len(want) == 3 and (e.actor_code or "")[:3] == want)
                                    for e in hits)
            ok = ok and all((e.actor_code or want)[:3] == want[:3] for e in hits)
        if ok:
            entities_right.append(gold["canonical"])
    quotes_right = []
    for gold in _jsonl(folder / "gold_quotes.jsonl"):
        if gold.get("quote"):
            hits = [q for q in result.quotes if q.quote and _norm(gold["quote"]) in _norm(q.quote)]
        else:
            opening = " ".join(_norm(gold["claim"]).split()[:4])
            hits = [q for q in result.quotes if q.quote is None and opening in _norm(q.claim)]
        if gold.get("speaker") is None:
            ok = bool(hits) and all(q.speaker is None for q in hits)
        else:
            ok = any(_speaker_ok(q, gold) for q in hits)
        if ok:
            quotes_right.append(gold["id"])
    return {
        "core_events_found": len(found),
        "core_events": len(core),
        "core_found_ids": found,
        "asserted_events": len(asserted),
        "event_precision": round(len(correct) / len(asserted), 3) if asserted else 0.0,
        "entities_right": len(entities_right),
        "entities": 17,
        "entities_missed": sorted(
            {g["canonical"] for g in _jsonl(folder / "gold_entities.jsonl")} - set(entities_right)
        ),
        "quotes_right": len(quotes_right),
        "quote_ids_right": quotes_right,
    }


def bench_example() -> dict[str, Any]:
    import newsmill

    article = newsmill.extract(str(SAMPLE))
    result = EnrichStage().process_batch([article])[0]
    return score_example(result)


# --- speed -------------------------------------------------------------------------------------------------


def bench_speed(limit: int | None) -> dict[str, Any]:
    """Same texts through spaCy's bare pipeline and through the whole stage, on one pinned core."""
    import spacy

    import newsmill

    cores = usable_cores(max_cores=1)
    pin_to_core(cores[0] if cores else None)
    texts = [text for text, _ in _gwn_articles(limit)]
    texts.append(newsmill.extract(str(SAMPLE)).text(title=True, dek=True, captions=True))
    stage = EnrichStage()
    stage.setup()
    nlp = spacy.load(SPACY_MODEL)
    articles = [_article(t, None, str(i)) for i, t in enumerate(texts)]
    list(nlp.pipe(texts[:5]))  # warm caches on both sides before timing
    stage.process_batch(articles[:5])
    # CPU seconds of this process are the figure of record: on a shared machine wall time also counts
    # other jobs' turns. Wall seconds are kept beside them. Best of two runs for both.
    best = {"spacy_cpu": float("inf"), "spacy_wall": float("inf"), "enrich_cpu": float("inf"), "enrich_wall": float("inf")}
    for _ in range(2):
        c0, w0 = time.process_time(), time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=stage.batch_size):
            pass
        best["spacy_cpu"] = min(best["spacy_cpu"], time.process_time() - c0)
        best["spacy_wall"] = min(best["spacy_wall"], time.perf_counter() - w0)
        assert stage.table is not None
        stage.table._phrase_cache.clear()  # each timed run starts cold, like a fresh worker
        c0, w0 = time.process_time(), time.perf_counter()
        stage.process_batch(articles)
        best["enrich_cpu"] = min(best["enrich_cpu"], time.process_time() - c0)
        best["enrich_wall"] = min(best["enrich_wall"], time.perf_counter() - w0)
    return {
        "articles": len(texts),
        "characters": sum(len(t) for t in texts),
        "spacy_cpu_seconds": round(best["spacy_cpu"], 2),
        "enrich_cpu_seconds": round(best["enrich_cpu"], 2),
        "spacy_wall_seconds": round(best["spacy_wall"], 2),
        "enrich_wall_seconds": round(best["enrich_wall"], 2),
        "articles_per_second_per_core": round(len(texts) / best["enrich_cpu"], 1),
        "ratio_to_spacy": round(best["enrich_cpu"] / best["spacy_cpu"], 2),
        "ratio_to_spacy_wall": round(best["enrich_wall"] / best["spacy_wall"], 2),
    }


# --- report ------------------------------------------------------------------------------------------------


def _get(results: dict[str, Any], path: str) -> Any:
    value: Any = results
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def targets_table(results: dict[str, Any]) -> tuple[str, dict[str, str]]:
    rows = ["| target | threshold | measured | |", "|---|---|---|---|"]
    verdicts: dict[str, str] = {}
    for label, path, threshold, op in TARGETS:
        value = _get(results, path)
        if value is None:
            verdict = "not run"
        else:
            met = value >= threshold if op == ">=" else value <= threshold
            verdict = "met" if met else "missed"
        verdicts[label] = verdict
        rows.append(f"| {label} | {op} {threshold:g} | {'' if value is None else value} | {verdict} |")
    return "\n".join(rows), verdicts


def markdown(results: dict[str, Any]) -> str:
    table, _ = targets_table(results)
    lines = ["## Article understanding (benchmarks/events.py)", "",
             f"Run {results['run_at']} on {results['machine'].get('cpu', '?')}; "
             f"`python benchmarks/events.py` regenerates this section and `benchmarks/results/events.json`.", "",
             table, ""]
    if plover := results.get("plover"):
        peers = plover.get("peers", {})
        mft = peers.get("most_frequent_type", {})
        ner = peers.get("spacy_ner_first_entities", {})
        lines.append(f"- PLOVER ({plover['records']} records): type accuracy {plover['type_accuracy']}, actor F1 "
                     f"{plover['actor_f1']}, target F1 {plover['target_f1']}. Peers: most frequent type "
                     f"({mft.get('type')}) {mft.get('type_accuracy')}; spaCy NER first entity before/after the root "
                     f"verb: actor F1 {ner.get('actor_f1')}, target F1 {ner.get('target_f1')}.")
        halves = plover.get("halves", {})
        dev, held = halves.get("dev", {}), halves.get("heldout", {})
        lines.append(f"- PLOVER by half (records at even positions = development, odd = held out): development "
                     f"({dev.get('records')}) type {dev.get('type_accuracy')}, actor F1 {dev.get('actor_f1')}, "
                     f"target F1 {dev.get('target_f1')}; held out ({held.get('records')}) type "
                     f"{held.get('type_accuracy')}, actor F1 {held.get('actor_f1')}, target F1 "
                     f"{held.get('target_f1')}. A first session added lexicon lines while reading misses of all "
                     "322 records (general verbs, not their sentences), so the whole-set figure is a development "
                     "score; since the split, only development misses were read, and the held-out half has been "
                     "scored but not inspected (it still saw that first session's lexicon work). At the split "
                     "(same script, before any rule written against the development half) the halves stood at: "
                     "development type 0.609, actor F1 0.664, target F1 0.432; held out 0.565, 0.656, 0.407. The "
                     "later rules are syntactic (where a target sits in a phrase, infinitives, that-clauses, "
                     "purpose clauses, places, counts, pronouns named in the sentence) and verb senses by CAMEO "
                     "category; the gap between the halves is what they fit the development half beyond the rest.")
    if petrarch := results.get("petrarch"):
        lines.append(f"- PETRARCH ({petrarch['records']} records): {petrarch['record_accuracy']} of records exactly "
                     f"right; expected events found with the right actors and CAMEO root: "
                     f"{petrarch['event_recall_root_and_actors']}; through the spaCy adapter on the texts: "
                     f"{petrarch.get('spacy_adapter', {}).get('record_accuracy')}. {petrarch['note']}.")
    if ngec := results.get("ngec"):
        lines.append(f"- NGEC ({ngec['cases']} cases): accuracy {ngec['accuracy']}; development half (even lines, "
                     f"{ngec['dev_cases']} cases) {ngec['dev_accuracy']}, held-out half (odd lines, "
                     f"{ngec['heldout_cases']} cases) {ngec['heldout_accuracy']}; by method {ngec['by_method']}. Rules "
                     "and vocabulary were written while reading development failures only (the held-out figure is the "
                     "honest one); nothing was added because a case names it. The table's person rows follow rules "
                     "stated in actors.txt (every state's heads of state and government since 2010 and foreign and "
                     "defence ministers since 2015, vice presidents and speakers since 2015; G20 heads since 2000, G20 "
                     "sub-national heads, military and intelligence chiefs and spokespeople since 2015; heads of "
                     "international bodies), not these inputs; without them accuracy is "
                     f"{ngec['without_person_rows']['accuracy']} (held-out {ngec['without_person_rows']['heldout_accuracy']}"
                     "): what the rules and the classes of actors achieve alone. Undated cases mean the holder when the "
                     f"case was written: {ngec['undated_cases_whose_office_changed_hands']} fail only because the office "
                     "changed hands since (we answer as of today). NGEC's rarer people and bodies (most query_wiki "
                     "cases) are unknown to the table unless a user file adds them.")
    if gwn := results.get("geowebnews"):
        peer = gwn.get("peers", {}).get("spacy_ner_gpe_loc_fac_norp", {})
        lines.append(f"- GeoWebNews ({gwn['articles']} articles, {gwn['gold_toponyms']} toponyms): P {gwn['precision']} "
                     f"R {gwn['recall']} F1 {gwn['f1']}; acc@161 km {gwn['acc_at_161']} over {gwn['geocoded_pairs']} "
                     f"matched toponyms with gold coordinates (median error {gwn['median_error_km']} km); "
                     f"{gwn['approximate_pairs']} of them are places missing from the gazetteer put at the article's "
                     f"main city or country; without those acc@161 is {gwn['acc_at_161_gazetteer_only']}. "
                     f"Peer: spaCy NER (GPE/LOC/FAC/NORP) F1 {peer.get('f1')}.")
    if example := results.get("example"):
        lines.append("- Example article: three table rows that existed only because the article names them (two "
                     "militia front groups and a Hezbollah official) were removed; the groups now count as misses, "
                     "the official is found by a general rule (a person named after an organisation's possessive).")
        lines.append(f"- Example article: core events {example['core_events_found']}/{example['core_events']} "
                     f"({', '.join(example['core_found_ids'])}); precision {example['event_precision']} over "
                     f"{example['asserted_events']} asserted events; entities {example['entities_right']}/17 "
                     f"(missed: {', '.join(example['entities_missed']) or 'none'}); quotes {example['quotes_right']}/6.")
    if speed := results.get("speed"):
        lines.append(f"- Speed ({speed['articles']} articles, {speed['characters']:,} characters, one pinned core, "
                     f"CPU seconds): {speed['articles_per_second_per_core']} articles/s; enrichment "
                     f"{speed['enrich_cpu_seconds']} s vs bare spaCy `nlp.pipe` {speed['spacy_cpu_seconds']} s = "
                     f"{speed['ratio_to_spacy']}x (wall clock {speed['enrich_wall_seconds']} s vs "
                     f"{speed['spacy_wall_seconds']} s = {speed['ratio_to_spacy_wall']}x on a shared machine).")
    return "\n".join(lines)



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"first {QUICK_LIMIT} items of each set; no files written")
    parser.add_argument("--only", nargs="+", choices=["petrarch", "plover", "ngec", "geowebnews", "example", "speed"])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not EVENTS.is_dir():
        print(f"benchmark data not found at {EVENTS}", file=sys.stderr)
        return 2
    limit = QUICK_LIMIT if args.quick else None
    wanted = args.only or ["example", "petrarch", "plover", "ngec", "geowebnews", "speed"]
    try:
        import spacy

        peer_nlp = spacy.load(SPACY_MODEL) if {"plover", "geowebnews"} & set(wanted) else None
    except (ImportError, OSError):
        peer_nlp = None
    results: dict[str, Any] = {"run_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "machine": machine_info(), "quick": args.quick}
    runners: dict[str, Callable[[], dict[str, Any]]] = {
        "example": bench_example,
        "petrarch": lambda: bench_petrarch(limit),
        "plover": lambda: bench_plover(limit, peer_nlp),
        "ngec": lambda: bench_ngec(limit),
        "geowebnews": lambda: bench_geowebnews(limit, peer_nlp),
        "speed": lambda: bench_speed(limit),
    }
    for name in wanted:
        t0 = time.perf_counter()
        results[name] = runners[name]()
        results[name]["bench_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"{name}: {json.dumps(results[name], ensure_ascii=False)}", flush=True)
    table, verdicts = targets_table(results)
    results["targets"] = verdicts
    print(table)
    if not (args.quick or args.no_write or args.only):
        write_json(RESULTS / "events.json", results)
        write_section(BENCHMARKS_MD, "events", markdown(results))
    elif args.only and not (args.quick or args.no_write):
        write_json(RESULTS / f"events-{'-'.join(args.only)}.json", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
