#!/usr/bin/env python3
"""Extraction benchmark: newsmill and its peers on the same pages, in the same run.

Scores main-text extraction (token F1 against body gold, snippet F1 on trafilatura-eval) and
metadata (title / author / date exact match) on the public benchmark pages in ``../shared``, from
HTML and from plain-text dumps rendered with ``../shared/tools/html_to_dump.py``, and writes the
``## Extraction`` section of BENCHMARKS.md plus ``benchmarks/results/extraction.json``.

How it measures (so that figures are comparable):

* every tool runs in its own process pinned to one core, at most one process per core at a time,
  so "pages/s" is per core; the clock covers the extraction call only (not reading the file, nor
  rendering the dump); peak RSS is that process's ``ru_maxrss`` (imports included);
* a page whose extraction raises, or runs longer than ``--page-timeout`` seconds, counts as an empty
  output; both are counted and reported;
* peer predictions are cached in ``benchmarks/.cache/pred/<tool>-<version>/<input>/<dataset>.jsonl``
  so a re-run only recomputes newsmill (``--refresh-peers`` recomputes them);
* ``--lodo``: newsmill's line model is trained on these pages, so honest figures use, for dataset D,
  weights trained without D (``benchmarks/.cache/models/<input>-without-<D>.npz``).

Usage::

    python benchmarks/extraction.py                       # everything; peers from cache when present
    python benchmarks/extraction.py --limit 5 --no-write  # smoke test
    python benchmarks/extraction.py --lodo                # honest newsmill figures
    python benchmarks/extraction.py --memory              # RSS over 10,000 pages in one process
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import logging
import math
import re
import shlex
import signal
import subprocess
import sys
import time
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling modules, however the script is started

import common  # noqa: E402
from peers import FIELDS, PEERS, InputKind, PageInput, Prediction, Tool  # noqa: E402

# --- datasets and what each gold set defines ------------------------------------------------------

#: Sets with full body gold; "mean of 6" is over these.
BODY_SETS = ("scrapinghub", "cleaneval", "cleanportaleval", "dragnet", "readability", "wcxb-test")
#: Sets scored with `with` / `without` snippets (score.py's score_snippets).
SNIPPET_SETS = ("trafilatura-eval",)
TEXT_SETS = BODY_SETS + SNIPPET_SETS
ALL_SETS = (*TEXT_SETS, "htmldate-eval")
#: Metadata gold per set (our field names; the gold calls authors "author").
META_SETS: dict[str, tuple[str, ...]] = {
    "readability": ("title", "authors", "date"),
    "trafilatura-eval": ("title", "authors", "date"),
    "wcxb-test": ("title", "authors", "date"),
    "htmldate-eval": ("date",),
}
GOLD_FIELD = {"title": "title", "authors": "author", "date": "date"}
INPUTS: tuple[InputKind, ...] = ("html", "dump")

#: Seconds before a peer's page counts as a hang (empty output). No peer needs more than a few
#: seconds on any benchmark page; 20 s only catches pathological loops.
PAGE_TIMEOUT_S = 20.0
#: Pages newsmill extracts in one process for --memory, and how often RSS is sampled.
MEMORY_PAGES = 10_000
MEMORY_SAMPLE_EVERY = 1_000


class TextView(NamedTuple):
    """Which of newsmill's extra fields belong in the text a gold set defines."""

    title: bool
    dek: bool
    captions: bool
    why: str


#: The text newsmill is scored on, per gold set: ``Article.text(title=, dek=, captions=)``.
#: Decided from each SOURCE.md and from counts over the gold (does the page's headline / standfirst /
#: caption text appear in the gold?). Peers are scored on their own output as-is.
TEXT_VIEW: dict[str, TextView] = {
    "scrapinghub": TextView(False, False, False,
                            "articleBody only: headline NOT included (h1 in gold on 1/173 pages), "
                            "figcaptions 0/112, standfirsts 3/143"),
    "cleaneval": TextView(True, True, True,
                          "all non-boilerplate text of the page (h1 in gold on 61/67 pages)"),
    "cleanportaleval": TextView(True, True, True,
                                "CleanEval format: headline (62/70), captions (67/80), standfirsts (10/11) kept"),
    "dragnet": TextView(True, True, True,
                        "manually copied text starting with the headline (plus byline/dateline lines "
                        "Article.text cannot add); real standfirsts and in-article captions kept"),
    "readability": TextView(False, False, True,
                            "Readability.js output: title separate (in body 11/121), figcaptions kept "
                            "(63/111), header standfirst dropped (in 18/44)"),
    "wcxb-test": TextView(False, True, False,
                          "main_content: title not in body (37/256 articles), standfirst kept (246/343), "
                          "captions not (6/249)"),
    "trafilatura-eval": TextView(False, True, False,
                                 "snippets: title in 11 `with` vs 15 `without`; standfirsts hit 35 `with` "
                                 "vs 6 `without`; captions 37 `with` vs 116 `without`"),
    "htmldate-eval": TextView(False, False, False, "date gold only; text not scored"),
}


# --- newsmill as a tool ---------------------------------------------------------------------------


class Newsmill(Tool):
    name = "newsmill"
    label = "newsmill"
    fields = frozenset(FIELDS)

    @classmethod
    def version(cls) -> str:
        import newsmill

        return newsmill.__version__

    @classmethod
    def display(cls) -> str:
        return f"newsmill {cls.version()}"

    def setup(self) -> None:
        import newsmill

        self._extract = newsmill.extract

    def run(self, page: PageInput) -> Prediction:
        art = self._extract(page.content, kind=self.input)
        view = TEXT_VIEW[page.dataset]
        text = art.text(title=view.title, dek=view.dek, captions=view.captions)
        return Prediction(text=text, title=art.title, authors=list(art.authors), date=art.published)


class NewsmillHtml(Newsmill):
    input = "html"


class NewsmillDump(Newsmill):
    input = "dump"


TOOLS: tuple[type[Tool], ...] = (NewsmillHtml, NewsmillDump, *PEERS)
TOOL_NAMES = tuple(dict.fromkeys(t.name for t in TOOLS))


def find_tool(name: str, kind: str) -> type[Tool]:
    for tool in TOOLS:
        if tool.name == name and tool.input == kind:
            return tool
    raise KeyError(f"no tool {name!r} for {kind} input")


def tool_datasets(tool: type[Tool], datasets: Sequence[str]) -> list[str]:
    """The requested sets on which the tool produces something that is scored."""
    out = []
    for ds in datasets:
        scores_text = "text" in tool.fields and ds in TEXT_SETS
        scores_meta = bool(set(META_SETS.get(ds, ())) & tool.fields)
        if scores_text or scores_meta:
            out.append(ds)
    return out


# --- jobs: what to (re)compute --------------------------------------------------------------------


@dataclass
class DatasetJob:
    dataset: str
    ids: list[str]
    out: Path
    weights: str | None = None  # newsmill --lodo weights for this set
    langs: dict[str, str] = field(default_factory=dict)  # gold `lang` per id (jusText only)

    @property
    def meta(self) -> Path:
        return self.out.with_name(self.out.name.replace(".jsonl", ".meta.json"))


@dataclass
class Job:
    tool: type[Tool]
    datasets: list[DatasetJob]
    label: str = ""

    #: Rough seconds per page on one core (README reference table), to start the longest jobs first.
    COST: ClassVar[dict[str, float]] = {"newspaper4k": 1 / 7, "goose3": 1 / 16, "trafilatura": 1 / 40,
                                        "readability-lxml": 1 / 51, "justext": 1 / 73, "htmldate": 1 / 40}

    def cost(self) -> float:
        return sum(len(d.ids) for d in self.datasets) * self.COST.get(self.tool.name, 1 / 100)


def pred_dir(tool: type[Tool], lodo: bool) -> Path:
    if tool.name == "newsmill":
        # newsmill is recomputed every run; its predictions are kept for inspection only.
        return common.CACHE / "pred" / f"{tool.key()}-{'lodo' if lodo else 'shipped'}" / tool.input
    return common.CACHE / "pred" / tool.key() / tool.input


def cache_is_fresh(tool: type[Tool], dj: DatasetJob) -> bool:
    if not (dj.out.is_file() and dj.meta.is_file()):
        return False
    meta = json.loads(dj.meta.read_text(encoding="utf-8"))
    if meta.get("adapter_rev") != tool.adapter_rev:
        return False
    cached = {row["id"] for row in common.read_jsonl(dj.out)}
    return set(dj.ids) <= cached


def lodo_weights(kind: str, dataset: str) -> str | None:
    """The leave-one-dataset-out weights for ``dataset``, or None (with a warning) to use the shipped ones."""
    path = common.CACHE / "models" / f"{kind}-without-{dataset}.npz"
    if importlib.util.find_spec("newsmill.extraction.classifier") is None:
        print(f"WARNING: newsmill.extraction.classifier is missing; {kind}/{dataset} uses the shipped weights")
        return None
    if not path.is_file():
        # Sets outside the training data need no held-out model, but only the trainer knows which they are.
        print(f"WARNING: {path.relative_to(common.ROOT)} is missing; newsmill {kind}/{dataset} uses the shipped "
              "weights" + ("" if dataset in BODY_SETS else " (honest only if training leaves this set out)"))
        return None
    return str(path.relative_to(common.ROOT))  # relative: results files must not name this machine


def selected_tools(args: argparse.Namespace) -> Iterator[tuple[str, str, type[Tool]]]:
    """(input kind, tool name, tool) for every requested tool that reads that input."""
    for kind in args.inputs:
        for name in args.tools:
            try:
                yield kind, name, find_tool(name, kind)
            except KeyError:
                continue


def plan_jobs(args: argparse.Namespace, gold: dict[str, list[dict[str, Any]]]) -> tuple[list[Job], dict[str, DatasetJob]]:
    """Jobs to run now, and for each (tool, input, dataset) where its predictions will be."""
    jobs: list[Job] = []
    where: dict[str, DatasetJob] = {}
    for kind, _name, tool in selected_tools(args):
        todo: list[DatasetJob] = []
        for ds in tool_datasets(tool, args.datasets):
            ids = [g["id"] for g in gold[ds]]
            langs = {g["id"]: g["lang"] for g in gold[ds] if tool.needs_lang and g.get("lang")}
            dj = DatasetJob(ds, ids, pred_dir(tool, args.lodo) / f"{ds}.jsonl", langs=langs)
            where[f"{tool.name}|{kind}|{ds}"] = dj
            if tool.name != "newsmill" and not args.refresh_peers and cache_is_fresh(tool, dj):
                continue
            if tool.name == "newsmill" and args.lodo:
                dj.weights = lodo_weights(kind, ds)
                # One process per set, so weights loaded for one set never leak into the next.
                jobs.append(Job(tool, [dj], f"newsmill/{kind}/{ds}"))
                continue
            todo.append(dj)
        if todo:
            jobs.append(Job(tool, todo, f"{tool.name}/{kind}"))
    # newsmill first (fast feedback), then the longest peers first so both cores stay busy.
    jobs.sort(key=lambda j: (j.tool.name != "newsmill", -j.cost()))
    return jobs, where


# --- worker: one tool, one process, one core ------------------------------------------------------


class PageTimeout(BaseException):
    """BaseException, so that a peer's own ``except Exception`` cannot swallow the timeout."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise PageTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def quiet_libraries() -> None:
    # Peers log a warning for every page they discard; thousands of lines would bury real errors.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def page_input(kind: str, ds: DatasetJob, page_id: str, needs_lang: bool) -> PageInput:
    content = common.read_html(ds.dataset, page_id) if kind == "html" else common.read_dump(ds.dataset, page_id)
    lang = None
    if needs_lang:
        lang = ds.langs.get(page_id)
        if lang is None:
            html = content if kind == "html" else common.read_html(ds.dataset, page_id)
            lang = common.html_lang(html)
    return PageInput(page_id, ds.dataset, content, lang)


def extract_one(tool: Tool, page: PageInput, timeout: float) -> tuple[Prediction, str, float, str | None]:
    """Run the tool on one page: (prediction, status, extraction seconds, error message)."""
    status, error = "ok", None
    t0 = time.perf_counter()
    try:
        with time_limit(timeout):
            pred = tool.run(page)
    except PageTimeout:
        pred, status, error = Prediction(), "timeout", f"over {timeout:g}s"
    except Exception as exc:  # a tool's failure on one page is its empty output, not our crash
        pred, status, error = Prediction(), "error", f"{type(exc).__name__}: {str(exc)[:200]}"
    seconds = time.perf_counter() - t0
    if status == "ok":
        try:
            with time_limit(timeout):
                tool.untimed_metadata(page, pred)
        except (Exception, PageTimeout):  # metadata failure leaves the text intact
            pass
    return pred, status, seconds, error


def run_dataset(tool: Tool, ds: DatasetJob, timeout: float) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    counts = {"ok": 0, "error": 0, "timeout": 0}
    samples: list[str] = []
    total = 0.0
    for page_id in ds.ids:
        page = page_input(tool.input, ds, page_id, tool.needs_lang)
        pred, status, seconds, error = extract_one(tool, page, timeout)
        total += seconds
        counts[status] += 1
        if error and len(samples) < 5:
            samples.append(f"{page_id}: {error}")
        rows.append({"id": page_id, "text": pred.text, "title": pred.title, "authors": pred.authors,
                     "date": pred.date, "status": status, "seconds": round(seconds, 6)})
    stats = {
        "tool": tool.name, "version": tool.version(), "adapter_rev": tool.adapter_rev, "input": tool.input,
        "dataset": ds.dataset, "n": len(ds.ids), "seconds": total, "errors": counts["error"],
        "timeouts": counts["timeout"], "error_samples": samples, "peak_rss_kb": common.peak_rss_kb(),
        "weights": ds.weights, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return rows, stats


def worker_main(spec_path: Path) -> int:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    common.pin_to_core(spec.get("core"))
    quiet_libraries()
    signal.signal(signal.SIGALRM, _on_alarm)
    if spec["mode"] == "memory":
        return memory_worker(spec)
    tool = find_tool(spec["tool"], spec["input"])()
    tool.setup()
    for raw in spec["datasets"]:
        ds = DatasetJob(raw["dataset"], raw["ids"], Path(raw["out"]), raw.get("weights"), raw.get("langs", {}))
        if ds.weights:
            importlib.import_module("newsmill.extraction.classifier").load_weights(common.ROOT / ds.weights)
        rows, stats = run_dataset(tool, ds, spec["page_timeout"])
        common.write_jsonl(ds.out, rows)
        common.write_json(ds.meta, stats)
        print(f"{spec['label']}: {ds.dataset} {stats['n']} pages in {stats['seconds']:.1f}s "
              f"({stats['errors']} errors, {stats['timeouts']} timeouts)", file=sys.stderr, flush=True)
    return 0


# --- scheduler: at most one worker per core -------------------------------------------------------


def job_spec(job: Job, core: int | None, timeout: float) -> dict[str, Any]:
    return {
        "mode": "extract", "tool": job.tool.name, "input": job.tool.input, "label": job.label, "core": core,
        "page_timeout": timeout,
        "datasets": [{"dataset": d.dataset, "ids": d.ids, "out": str(d.out), "weights": d.weights,
                      "langs": d.langs} for d in job.datasets],
    }


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    label: str
    started: float
    log: Path


def start_worker(spec: dict[str, Any], label: str) -> Running:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
    spec_path = common.CACHE / "jobs" / f"{slug}.json"
    log = common.CACHE / "logs" / f"{slug}.log"
    common.write_json(spec_path, spec)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(spec_path)],
                                stdout=subprocess.DEVNULL, stderr=err)
    return Running(proc, label, time.monotonic(), log)


def run_specs(specs: list[tuple[dict[str, Any], str]], cores: list[int]) -> list[str]:
    """Run worker specs, one per free core; returns the labels of the workers that failed."""
    pending = list(specs)
    running: dict[int, Running] = {}
    failed: list[str] = []
    while pending or running:
        for core in cores:
            if core not in running and pending:
                spec, label = pending.pop(0)
                spec["core"] = core
                running[core] = start_worker(spec, label)
                print(f"  start {label} (core {core})", flush=True)
        time.sleep(0.2)
        for core, run in list(running.items()):
            rc = run.proc.poll()
            if rc is None:
                continue
            del running[core]
            took = time.monotonic() - run.started
            if rc == 0:
                print(f"  done  {run.label} in {took:.0f}s", flush=True)
            else:
                failed.append(run.label)
                print(f"  FAILED {run.label} (exit {rc}); see {run.log.relative_to(common.ROOT)}", flush=True)
    return failed


# --- scoring --------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:;|,|\||&|\band\b)\s*")
_BY_RE = re.compile(r"^by\s+")
_WORD_RE = re.compile(r"\w+")
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")


def norm_title(value: Any) -> str | None:
    """NFKC, whitespace collapsed, case-folded. No site-suffix stripping: some gold titles keep theirs."""
    if not isinstance(value, str):
        return None
    return _WS_RE.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold() or None


def norm_authors(value: Any) -> frozenset[str]:
    """A set of names: split on ; , | & 'and', a leading 'by' dropped, each name reduced to its
    case-folded word tokens (so 'Sarah E. Needleman' == 'sarah e needleman')."""
    items = value if isinstance(value, list) else [value]
    names = set()
    for item in items:
        if not isinstance(item, str):
            continue
        for part in _AUTHOR_SPLIT_RE.split(unicodedata.normalize("NFKC", item).casefold()):
            name = " ".join(_WORD_RE.findall(_BY_RE.sub("", part.strip())))
            if name:
                names.add(name)
    return frozenset(names)


def norm_date(value: Any) -> str | None:
    """YYYY-MM-DD (or YYYY-MM when that is all there is) from ISO-like text; other formats via dateutil."""
    if not isinstance(value, str) or not value.strip():
        return None
    m = _ISO_DATE_RE.match(value)
    if m:
        year, month, day = m.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    from dateutil import parser as date_parser

    try:
        with warnings.catch_warnings():  # unknown zone names ("CEST") are irrelevant to the day
            warnings.simplefilter("ignore")
            return date_parser.parse(value).date().isoformat()
    except (ValueError, OverflowError):
        return None


def meta_match(fieldname: str, gold: Any, pred: Any) -> bool:
    if fieldname == "title":
        return norm_title(pred) is not None and norm_title(pred) == norm_title(gold)
    if fieldname == "authors":
        return bool(norm_authors(pred)) and norm_authors(pred) == norm_authors(gold)
    g, p = norm_date(gold), norm_date(pred)
    return g is not None and p is not None and p[: len(g)] == g


def has_gold(fieldname: str, record: dict[str, Any]) -> bool:
    value = record.get(GOLD_FIELD[fieldname])
    if fieldname == "authors":
        return bool(norm_authors(value))
    if fieldname == "date":
        return norm_date(value) is not None
    return norm_title(value) is not None


def load_predictions(dj: DatasetJob) -> dict[str, dict[str, Any]]:
    if not dj.out.is_file():
        return {}
    wanted = set(dj.ids)
    return {row["id"]: row for row in common.read_jsonl(dj.out) if row["id"] in wanted}


def score_dataset(tool: type[Tool], dj: DatasetJob, gold: list[dict[str, Any]], score: Any) -> dict[str, Any]:
    preds = load_predictions(dj)
    meta = json.loads(dj.meta.read_text(encoding="utf-8")) if dj.meta.is_file() else {}
    res: dict[str, Any] = {"n": len(gold), "missing": sum(1 for g in gold if g["id"] not in preds)}
    res.update({k: meta.get(k) for k in ("seconds", "errors", "timeouts", "peak_rss_kb", "weights", "error_samples")})
    res["pages_scored_for_speed"] = meta.get("n")
    res["mode"] = "lodo" if meta.get("weights") else "shipped"

    def text(page_id: str) -> str | None:
        return (preds.get(page_id) or {}).get("text")

    if "text" in tool.fields and dj.dataset in BODY_SETS:
        res["body"] = score.score_pages((g["body"], text(g["id"])) for g in gold if g.get("body") is not None)
    if "text" in tool.fields and dj.dataset in SNIPPET_SETS:
        res["snippets"] = score.score_snippets((g.get("with") or [], g.get("without") or [], text(g["id"])) for g in gold)
    meta_res = {}
    for fname in set(META_SETS.get(dj.dataset, ())) & tool.fields:
        scored = [g for g in gold if has_gold(fname, g)]
        hits = sum(meta_match(fname, g[GOLD_FIELD[fname]], (preds.get(g["id"]) or {}).get(fname)) for g in scored)
        meta_res[fname] = {"n": len(scored), "correct": hits, "accuracy": hits / len(scored) if scored else None}
    if meta_res:
        res["metadata"] = meta_res
    return res


def speed(per_set: dict[str, dict[str, Any]], text_tool: bool) -> dict[str, Any]:
    """Pages per second on one core, and peak RSS, over the sets the tool was timed on."""
    sets = [r for ds, r in per_set.items() if (ds in TEXT_SETS or not text_tool) and r.get("seconds")]
    pages = sum(r["pages_scored_for_speed"] or 0 for r in sets)
    seconds = sum(r["seconds"] for r in sets)
    rss = [r["peak_rss_kb"] for r in per_set.values() if r.get("peak_rss_kb")]
    return {
        "pages": pages,
        "pages_per_s": pages / seconds if seconds else None,
        "peak_rss_mb": max(rss) / 1024 if rss else None,
        "errors": sum(r.get("errors") or 0 for r in per_set.values()),
        "timeouts": sum(r.get("timeouts") or 0 for r in per_set.values()),
        "missing": sum(r.get("missing") or 0 for r in per_set.values()),
    }


def mean_of_body(per_set: dict[str, dict[str, Any]], key: str = "f1") -> float | None:
    values = [per_set[ds]["body"][key] for ds in BODY_SETS if ds in per_set and "body" in per_set[ds]]
    return sum(values) / len(values) if len(values) == len(BODY_SETS) else None


def score_all(args: argparse.Namespace, gold: dict[str, list[dict[str, Any]]], where: dict[str, DatasetJob]) -> dict[str, Any]:
    score = common.shared_module("score")
    results: dict[str, Any] = {}
    for kind, name, tool in selected_tools(args):
        per_set = {ds: score_dataset(tool, where[f"{name}|{kind}|{ds}"], gold[ds], score)
                   for ds in tool_datasets(tool, args.datasets)}
        if not per_set:
            continue
        results.setdefault(kind, {})[name] = {
            "label": tool.display(), "version": tool.version(), "fields": sorted(tool.fields),
            "timed": tool.timed, "baseline": tool.baseline, "datasets": per_set,
            "mean_of_6_f1": mean_of_body(per_set), "mean_of_6_micro_f1": mean_of_body(per_set, "micro_f1"),
            **speed(per_set, "text" in tool.fields),
        }
    return results


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """newsmill's mean of 6 against the best real peer's, per input."""
    out = {}
    for kind, tools in results.items():
        peers = {n: r for n, r in tools.items() if n != "newsmill" and not r["baseline"] and r["mean_of_6_f1"] is not None}
        best = max(peers, key=lambda n: peers[n]["mean_of_6_f1"]) if peers else None
        nm = tools.get("newsmill", {})
        out[kind] = {
            "newsmill_mean_of_6": nm.get("mean_of_6_f1"),
            "best_peer": tools[best]["label"] if best else None,
            "best_peer_mean_of_6": peers[best]["mean_of_6_f1"] if best else None,
        }
    return out


# --- report ---------------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def fmt_rate(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def newsmill_mode(row: dict[str, Any], lodo: bool) -> str:
    """Which weights produced newsmill's figures: a --lodo run without some leave-one-out files is mixed."""
    if not lodo:
        return "shipped weights"
    body = [ds for ds in BODY_SETS if ds in row["datasets"]]
    held_out = sum(1 for ds in body if row["datasets"][ds]["mode"] == "lodo")
    if held_out == len(body):
        return "leave-one-dataset-out"
    return f"leave-one-dataset-out on {held_out}/{len(body)} body sets, † = shipped weights"


def newsmill_label(row: dict[str, Any], lodo: bool) -> str:
    return f"**{row['label']}** ({newsmill_mode(row, lodo)})"


def cell(row: dict[str, Any], ds: str, name: str, lodo: bool, key: str = "f1") -> str:
    res = row["datasets"].get(ds)
    if res is None:
        return ""
    value = res["snippets"]["snip_f1"] if ds in SNIPPET_SETS else res.get("body", {}).get(key)
    mark = "†" if name == "newsmill" and lodo and res["mode"] != "lodo" else ""
    return fmt(value) + mark


def text_table(kind_results: dict[str, Any], datasets: Sequence[str], lodo: bool) -> list[str]:
    shown = [ds for ds in TEXT_SETS if ds in datasets]
    head = ["tool", *[f"{ds} (snippet F1)" if ds in SNIPPET_SETS else ds for ds in shown],
            "mean of 6", "sh F1 (scrapinghub)", "pages/s per core", "peak RSS MB", "failed pages"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = sorted(kind_results.items(), key=lambda kv: (kv[0] != "newsmill", -(kv[1]["mean_of_6_f1"] or -1)))
    for name, row in rows:
        if "text" not in row["fields"]:
            continue
        sh = row["datasets"].get("scrapinghub", {}).get("body", {}).get("sh_f1")
        failed = f"{row['errors']} err / {row['timeouts']} t/o" + (f" / {row['missing']} missing" if row["missing"] else "")
        label = newsmill_label(row, lodo) if name == "newsmill" else row["label"]
        cells = [label, *[cell(row, ds, name, lodo) for ds in shown], fmt(row["mean_of_6_f1"]), fmt(sh),
                 fmt_rate(row["pages_per_s"]) if row["timed"] else "—",
                 fmt(row["peak_rss_mb"], 0) if row["timed"] else "—", failed]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def micro_table(kind_results: dict[str, Any], datasets: Sequence[str], lodo: bool) -> list[str]:
    shown = [ds for ds in BODY_SETS if ds in datasets]
    head = ["tool", *shown, "mean of 6"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in sorted(kind_results.items(), key=lambda kv: (kv[0] != "newsmill", -(kv[1]["mean_of_6_micro_f1"] or -1))):
        if "text" not in row["fields"]:
            continue
        label = newsmill_label(row, lodo) if name == "newsmill" else row["label"]
        cells = [label, *[cell(row, ds, name, lodo, "micro_f1") for ds in shown], fmt(row["mean_of_6_micro_f1"])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def metadata_table(kind_results: dict[str, Any], lodo: bool) -> list[str]:
    columns: list[tuple[str, str, int]] = []
    for ds, fields in META_SETS.items():
        for fname in fields:
            ns = [r["datasets"][ds]["metadata"][fname]["n"] for r in kind_results.values()
                  if fname in r["datasets"].get(ds, {}).get("metadata", {})]
            if ns and ns[0]:  # a quick --limit run may have no gold for a field
                columns.append((ds, fname, ns[0]))
    if not columns:
        return []
    head = ["tool", *[f"{ds} {f} (n={n})" for ds, f, n in columns]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in sorted(kind_results.items(), key=lambda kv: kv[0] != "newsmill"):
        if not set(row["fields"]) - {"text"}:
            continue
        cells = [newsmill_label(row, lodo) if name == "newsmill" else row["label"]]
        for ds, fname, _ in columns:
            m = row["datasets"].get(ds, {}).get("metadata", {}).get(fname)
            cells.append(fmt(m["accuracy"], 2) if m else "")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


METHOD_NOTES = """\
How these figures were measured:

* Same pages for every tool, decoded as UTF-8; tools get the page only (no URL). Dumps are rendered
  with `../shared/tools/html_to_dump.py` (title line first). "dump-*" = the tool given the dump's lines,
  html-escaped, each wrapped as `<p>` in a minimal HTML document; "dump, keep everything" = the whole dump.
* Macro token F1 = mean over pages of bag-of-`\\w+`-tokens F1 (lower-cased); micro = corpus-summed counts;
  sh F1 = scrapinghub's 4-gram shingle metric; snippet F1 = trafilatura-eval `with`/`without` snippets,
  corpus-level. All from `../shared/tools/score.py`.
* newsmill is scored on `Article.text(title=, dek=, captions=)` as the gold set defines its text (table
  below); peers on their plain-text output as-is (trafilatura: `extract(include_comments=False)`;
  readability-lxml: `summary()` rendered block by block with the shared renderer; jusText: non-boilerplate
  paragraphs, stoplist of the page's language (gold `lang`, else `<html lang>`, else English); newspaper4k:
  `Article(input_html)` + `parse()`; goose3: `extract(raw_html=)`; resiliparse:
  `extract_plain_text(main_content=True, comments=False, alt_texts=False)`; boilerpy3: `ArticleExtractor`;
  htmldate: `find_date(original_date=True)`, as the gold dates are publication dates).
* Each tool runs in its own process pinned to one core, at most one process per core; pages/s per core =
  pages / summed seconds of the extraction call only (no file reading, no dump rendering; trafilatura's
  separate `extract_metadata()` call for the metadata table is not timed), over the 7 text sets (htmldate: its
  date sets). Peak RSS = `ru_maxrss` of that process, imports included. A page that raises or runs over
  the per-page timeout counts as empty output (failed pages column).
* Metadata = exact match on pages whose gold has the field. Title: NFKC, whitespace collapsed, case-folded
  (no site-suffix stripping for anyone: some gold titles keep theirs). Authors: the set of names (split on
  `; , | & and`, leading "by" dropped, each name reduced to its case-folded word tokens) must equal the gold
  set. Date: YYYY-MM-DD prefix (YYYY-MM where the gold has no day); non-ISO outputs parsed with dateutil."""


BACKTICK, QUOTE = "`", "'"  # a backtick inside an error message would end the code span


def failure_notes(report: dict[str, Any]) -> list[str]:
    """The first error message of each tool that failed on some pages, so a reader can tell why."""
    notes = []
    for kind, tools in report["results"].items():
        for row in tools.values():
            sample = next((s for r in row["datasets"].values() for s in (r.get("error_samples") or [])), None)
            if sample:
                notes.append(f"* {row['label']} ({kind}): {row['errors']} errors, {row['timeouts']} timeouts; "
                             f"first: `{sample[:160].replace(BACKTICK, QUOTE)}`")
    if report["failed_workers"]:
        notes.append(f"* worker processes that crashed (their sets count as empty): {', '.join(report['failed_workers'])}")
    return ["", "Failed pages (each counts as an empty output):", "", *notes] if notes else []


def render_text_view() -> list[str]:
    lines = ["| gold set | headline | dek | captions | why |", "|---|---|---|---|---|"]
    yes = {True: "yes", False: "no"}
    for ds, v in TEXT_VIEW.items():
        lines.append(f"| {ds} | {yes[v.title]} | {yes[v.dek]} | {yes[v.captions]} | {v.why} |")
    return lines


def render_extraction(report: dict[str, Any]) -> list[str]:
    lodo = report["lodo"]
    out = [
        f"Generated {report['generated']} by `{report['command']}`.",
        f"Machine: {report['machine']['cores']} cores ({report['machine']['cpu']}), Python "
        f"{report['machine']['python']}, {report['machine']['platform']}.",
        "",
        f"newsmill weights: **{'leave-one-dataset-out (--lodo)' if lodo else 'shipped (trained on these pages: not a result; see --lodo)'}**."
        + (" † = no leave-one-out weights for that set, shipped weights used." if lodo else ""),
    ]
    if report["limit"]:
        out.append(f"\n**Partial run: only the first {report['limit']} pages of each set.**")
    out += ["", "Tool versions: " + ", ".join(sorted({r["label"] for t in report["results"].values() for r in t.values()})) + "."]
    for kind in report["inputs"]:
        kind_results = report["results"].get(kind)
        if not kind_results:
            continue
        s = report["summary"][kind]
        out += ["", f"### {kind.upper() if kind == 'html' else 'Dump'} input: macro token F1 (trafilatura-eval: snippet F1)", ""]
        out += text_table(kind_results, report["datasets"], lodo)
        mode = newsmill_mode(kind_results["newsmill"], lodo) if "newsmill" in kind_results else "not run"
        out += ["", f"Mean of 6 body sets, {kind}: newsmill {fmt(s['newsmill_mean_of_6'])}"
                f" ({mode}); best peer "
                f"{s['best_peer'] or '—'} {fmt(s['best_peer_mean_of_6'])}."]
        out += ["", f"Micro token F1, {kind} input:", ""] + micro_table(kind_results, report["datasets"], lodo)
        meta = metadata_table(kind_results, lodo)
        if meta:
            out += ["", f"Metadata exact-match accuracy, {kind} input:", ""] + meta
    out += render_targets(report)
    out += failure_notes(report)
    out += ["", "Text newsmill is scored on, per gold set (`TEXT_VIEW` in `benchmarks/extraction.py`):", ""]
    out += render_text_view()
    out += ["", METHOD_NOTES]
    return out


SAMPLE = common.SHARED / "samples" / "jpost-2020-04-01-iran-iraq"
SAMPLE_FIELDS = ("title", "dek", "authors", "published", "tags")


def sample_check() -> dict[str, Any] | None:
    """The issue's example page against its hand-labelled gold: body token F1 and exact fields."""
    txt, gold_path = SAMPLE.with_suffix(".txt"), SAMPLE.with_suffix(".gold.json")
    if not txt.is_file():
        return None
    import newsmill

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    art = newsmill.extract(txt)
    tp, fp, fn = common.shared_module("score").bag_counts(gold["body"], "\n".join(art.body))
    exact = {f: getattr(art, f) == gold[f] for f in SAMPLE_FIELDS}
    images = [(im.caption, im.credit) for im in art.images]
    exact["caption"] = [c for c, _ in images] == [im["caption"] for im in gold["images"]]
    exact["credit"] = [c for _, c in images] == [im["credit"] for im in gold["images"]]
    return {"body_f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "exact": exact}


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def render_targets(report: dict[str, Any]) -> list[str]:
    """The issue's targets, each with the figure measured in this run and whether it is met."""
    res, rows = report["results"], []
    sample = report.get("sample")
    if sample:
        wrong = [f for f, ok in sample["exact"].items() if not ok]
        rows.append(("example page: body token F1 ≥ 0.98", f"{sample['body_f1']:.3f}", _met(sample["body_f1"] >= 0.98)))
        rows.append(("example page: title, dek, authors, time, caption, credit, tags exact",
                     "all exact" if not wrong else "wrong: " + ", ".join(wrong), _met(not wrong)))
    dump_nm = res.get("dump", {}).get("newsmill", {})
    if dump_nm.get("mean_of_6_f1") is not None:
        rows.append(("dumps: mean macro F1 of 6 ≥ 0.90", fmt(dump_nm["mean_of_6_f1"]), _met(dump_nm["mean_of_6_f1"] >= 0.90)))
    html = res.get("html", {})
    nm, tr = html.get("newsmill", {}), html.get("trafilatura", {})
    if nm.get("mean_of_6_f1") is not None and tr.get("mean_of_6_f1") is not None:
        rows.append(("HTML: mean macro F1 of 6 above trafilatura's", f"{fmt(nm['mean_of_6_f1'])} vs {fmt(tr['mean_of_6_f1'])}",
                     _met(nm["mean_of_6_f1"] > tr["mean_of_6_f1"])))
    sh = nm.get("datasets", {}).get("scrapinghub", {}).get("body", {}).get("sh_f1")
    if sh is not None:
        rows.append(("HTML: scrapinghub shingle F1 ≥ 0.965", fmt(sh), _met(sh >= 0.965)))
    snip = [r.get("datasets", {}).get("trafilatura-eval", {}).get("snippets", {}).get("snip_f1") for r in (nm, tr)]
    if None not in snip:
        rows.append(("HTML: trafilatura-eval snippet F1 ≥ trafilatura's", f"{fmt(snip[0])} vs {fmt(snip[1])}", _met(snip[0] >= snip[1])))
    for kind in ("html", "dump"):
        tools = res.get(kind, {})
        if "newsmill" not in tools:
            continue
        for ds, fields in META_SETS.items():
            for fname in fields:
                mine = tools["newsmill"]["datasets"].get(ds, {}).get("metadata", {}).get(fname, {}).get("accuracy")
                # Peers only read HTML, so dumps are compared with the best peer on the HTML of the same pages.
                peers = [r["datasets"].get(ds, {}).get("metadata", {}).get(fname, {}).get("accuracy")
                         for n, r in res.get("html", {}).items() if n != "newsmill" and not r["baseline"]]
                peers = [p for p in peers if p is not None]
                if mine is not None and peers:
                    rows.append((f"{kind}: {ds} {fname} accuracy ≥ best peer's", f"{mine:.2f} vs {max(peers):.2f}",
                                 _met(mine >= max(peers))))
    if nm.get("pages_per_s") and tr.get("pages_per_s"):
        ratio = nm["pages_per_s"] / tr["pages_per_s"]
        rows.append(("HTML speed ≥ 2× trafilatura's pages/s per core", f"{nm['pages_per_s']:.0f} vs {tr['pages_per_s']:.0f} ({ratio:.2f}×)",
                     _met(ratio >= 2)))
    if dump_nm.get("pages_per_s"):
        rows.append(("dumps ≥ 1,000 pages/s per core", f"{dump_nm['pages_per_s']:.0f}", _met(dump_nm["pages_per_s"] >= 1000)))
    if not rows:
        return []
    out = ["", "### Targets (issue: extraction core), from this run", "", "| target | measured | |", "|---|---|---|"]
    out += [f"| {t} | {m} | {ok} |" for t, m, ok in rows]
    return out


def render_memory(mem: dict[str, Any]) -> list[str]:
    out = ["", "### Memory flatness", "",
           f"Generated {mem['generated']} by `{mem['command']}`: newsmill over {mem['pages']:,} pages "
           "(cycling the benchmark pages) in one process, RSS sampled every "
           f"{mem['sample_every']:,} pages.", "",
           "| input | RSS at first sample MB | RSS at last sample MB | growth MB | all samples MB | pages/s | failed pages |",
           "|---|---|---|---|---|---|---|"]
    for kind, r in mem["inputs"].items():
        first, last = r["samples"][0][1] / 1024, r["samples"][-1][1] / 1024
        # All samples, because one big page early on lifts RSS once (allocator high-water mark), which
        # first-vs-last alone cannot tell apart from a steady leak.
        every = ", ".join(f"{kb / 1024:.0f}" for _, kb in r["samples"])
        out.append(f"| {kind} | {first:.0f} (page {r['samples'][0][0]:,}) | {last:.0f} (page {r['samples'][-1][0]:,}) "
                   f"| {last - first:+.0f} | {every} | {fmt_rate(r['pages_per_s'])} | {r['failed']} |")
    return out


def write_markdown(no_write: bool) -> str:
    """Rebuild the whole section from the saved results, so an --memory run keeps the tables and vice versa."""
    ext_path, mem_path = common.RESULTS / "extraction.json", common.RESULTS / "extraction-memory.json"
    lines = ["## Extraction", ""]
    if ext_path.is_file():
        lines += render_extraction(json.loads(ext_path.read_text(encoding="utf-8")))
    if mem_path.is_file():
        lines += render_memory(json.loads(mem_path.read_text(encoding="utf-8")))
    markdown = "\n".join(lines) + "\n"
    if not no_write:
        common.write_section(common.BENCHMARKS_MD, "extraction", markdown)
    return markdown


# --- --memory -------------------------------------------------------------------------------------


def memory_worker(spec: dict[str, Any]) -> int:
    import newsmill

    pages: list[tuple[str, str]] = [tuple(p) for p in spec["pages"]]  # type: ignore[misc]
    samples: list[tuple[int, int]] = []
    failed = 0
    seconds = 0.0
    for i in range(spec["count"]):
        ds, page_id = pages[i % len(pages)]
        content = common.read_html(ds, page_id) if spec["input"] == "html" else common.read_dump(ds, page_id)
        t0 = time.perf_counter()
        try:
            newsmill.extract(content, kind=spec["input"])
        except Exception:  # counted; memory is what this mode measures
            failed += 1
        seconds += time.perf_counter() - t0
        if (i + 1) % spec["sample_every"] == 0:
            samples.append((i + 1, common.current_rss_kb()))
    result = {"samples": samples, "failed": failed, "seconds": seconds,
              "pages_per_s": spec["count"] / seconds if seconds else None}
    common.write_json(Path(spec["out"]), result)
    return 0


def run_memory(args: argparse.Namespace, gold: dict[str, list[dict[str, Any]]], cores: list[int]) -> int:
    pages = [(ds, g["id"]) for ds in args.datasets for g in gold[ds]]
    specs = []
    for kind in args.inputs:
        out = common.CACHE / "memory" / f"{kind}.json"
        specs.append(({"mode": "memory", "input": kind, "pages": pages, "count": args.memory_pages,
                       "sample_every": MEMORY_SAMPLE_EVERY, "out": str(out)}, f"memory/{kind}"))
    if run_specs(specs, cores):
        return 1
    mem = {"generated": now(), "command": command_line(), "pages": args.memory_pages,
           "sample_every": MEMORY_SAMPLE_EVERY,
           "inputs": {kind: json.loads((common.CACHE / "memory" / f"{kind}.json").read_text()) for kind in args.inputs}}
    for kind, r in mem["inputs"].items():
        s = r["samples"]
        print(f"memory {kind}: {s[0][1] / 1024:.0f} MB at page {s[0][0]} -> {s[-1][1] / 1024:.0f} MB at page {s[-1][0]}")
    if not args.no_write:
        common.write_json(common.RESULTS / "extraction-memory.json", mem)
        write_markdown(False)
    return 0


# --- main -----------------------------------------------------------------------------------------


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def command_line() -> str:
    return shlex.join(["python", "benchmarks/extraction.py", *sys.argv[1:]])


def csv_list(allowed: Sequence[str]) -> Any:
    def parse(value: str) -> list[str]:
        items = [v.strip() for v in value.split(",") if v.strip()]
        bad = [v for v in items if v not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown: {', '.join(bad)} (choose from {', '.join(allowed)})")
        return items

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=csv_list(ALL_SETS), default=list(ALL_SETS), help="comma-separated sets")
    ap.add_argument("--tools", type=csv_list(TOOL_NAMES), default=list(TOOL_NAMES), help="comma-separated tools")
    ap.add_argument("--inputs", type=csv_list(INPUTS), default=list(INPUTS), help="html,dump")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set (quick runs)")
    ap.add_argument("--lodo", action="store_true", help="newsmill with leave-one-dataset-out weights")
    ap.add_argument("--refresh-peers", action="store_true", help="recompute cached peer predictions")
    ap.add_argument("--no-write", action="store_true", help="print the report; write no BENCHMARKS.md or results")
    ap.add_argument("--page-timeout", type=float, default=PAGE_TIMEOUT_S, help="seconds per page (default 20)")
    ap.add_argument("--cores", type=int, default=2, help="worker processes at a time, one per core (default 2)")
    ap.add_argument("--memory", action="store_true", help="RSS of newsmill over --memory-pages pages instead")
    ap.add_argument("--memory-pages", type=int, default=MEMORY_PAGES)
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    if not common.shared_available():
        print(f"SKIPPED: the benchmark data ({common.SHARED.name}/ next to the project) is absent; nothing to measure.")
        return 0
    gold = {ds: common.load_gold(ds, args.limit) for ds in args.datasets}
    cores = common.usable_cores(args.cores)
    if "dump" in args.inputs:
        t0 = time.monotonic()
        rendered = sum(common.ensure_dumps(ds, [g["id"] for g in gold[ds]], len(cores)) for ds in args.datasets)
        if rendered:
            print(f"rendered {rendered} dumps in {time.monotonic() - t0:.0f}s (cached in benchmarks/.cache/dumps)")
    if args.memory:
        return run_memory(args, gold, cores)

    jobs, where = plan_jobs(args, gold)
    cached = len(where) - sum(len(j.datasets) for j in jobs)
    print(f"{len(jobs)} worker jobs on {len(cores)} core(s); {cached} tool/input/set results from cache")
    failed = run_specs([(job_spec(j, None, args.page_timeout), j.label) for j in jobs], cores)
    results = score_all(args, gold, where)
    report = {
        "generated": now(), "command": command_line(), "machine": common.machine_info(),
        "limit": args.limit, "lodo": args.lodo, "inputs": args.inputs, "datasets": args.datasets,
        "tools": args.tools, "failed_workers": failed, "page_timeout_s": args.page_timeout,
        "text_view": {ds: v._asdict() for ds, v in TEXT_VIEW.items()},
        "summary": summary(results), "results": results, "sample": sample_check(),
    }
    if args.no_write:
        tmp = common.CACHE / "last-report.json"
        common.write_json(tmp, report)
        print("\n".join(render_extraction(report)))
    else:
        common.write_json(common.RESULTS / "extraction.json", report)
        write_markdown(False)
        print("\n".join(render_extraction(report)))
        print(f"\nwrote {common.BENCHMARKS_MD.relative_to(common.ROOT)} and benchmarks/results/extraction.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
