"""Benchmark pages and their gold, read from ../shared/benchmarks at run time (never copied here).

Shared by the training script and the benchmarks. Dumps are rendered with ../shared/tools/html_to_dump.py
and cached under benchmarks/.cache/dumps (gitignored).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "benchmarks"
CACHE = ROOT / "benchmarks" / ".cache"
#: The six sets with full-text gold (the issue's "mean of 6").
BODY_SETS = ("scrapinghub", "cleaneval", "cleanportaleval", "dragnet", "readability", "wcxb-test")


def shared_module(name: str) -> ModuleType:
    """Import ../shared/tools/<name>.py (stdlib + lxml only) without copying it."""
    path = SHARED / "tools" / f"{name}.py"
    if not path.exists():
        raise SystemExit(f"{path} not found: the benchmarks need ../shared beside the project root")
    spec = importlib.util.spec_from_file_location(f"shared_{name}", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Page:
    dataset: str
    id: str
    gold: dict

    @property
    def html_path(self) -> Path:
        return BENCH / self.dataset / "html" / f"{self.id}.html.gz"

    def html(self) -> str:
        return gzip.decompress(self.html_path.read_bytes()).decode("utf-8", errors="replace")

    def dump(self) -> str:
        cached = CACHE / "dumps" / self.dataset / f"{self.id}.txt"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
        text = shared_module("html_to_dump").html_to_dump(self.html())
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
        return text


def pages(dataset: str, limit: int | None = None) -> Iterator[Page]:
    with (BENCH / dataset / "gold.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            gold = json.loads(line)
            page = Page(dataset, str(gold["id"]), gold)
            if page.html_path.exists():
                yield page
