"""Shared plumbing for the benchmark scripts: where the benchmark data lives, its scorer and dump
renderer, dataset and page loading, process pinning and RSS probes, and BENCHMARKS.md sections.

The benchmark data sits next to the project (``../shared``) and is only read at run time: nothing
from it (pages, texts, gold) may ever be copied into the project. Rendered dumps are a cache under
``benchmarks/.cache`` (gitignored), never committed.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import platform
import re
import resource
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCH_DATA = SHARED / "benchmarks"
SHARED_TOOLS = SHARED / "tools"
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"

_MODULES: dict[str, ModuleType] = {}


def shared_available() -> bool:
    return (BENCH_DATA / "README.md").is_file() and (SHARED_TOOLS / "score.py").is_file()


def shared_module(name: str) -> ModuleType:
    """Import ``../shared/tools/<name>.py`` by path (it is not a package, and must not be vendored)."""
    if name not in _MODULES:
        path = SHARED_TOOLS / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"shared_{name}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _MODULES[name] = module
    return _MODULES[name]


# --- datasets and pages ---------------------------------------------------------------------------


def load_gold(dataset: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Gold records in file order (sorted by id); ``limit`` keeps the first N, for quick runs."""
    rows: list[dict[str, Any]] = []
    with open(BENCH_DATA / dataset / "gold.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows


def html_path(dataset: str, page_id: str) -> Path:
    return BENCH_DATA / dataset / "html" / f"{page_id}.html.gz"


def read_html(dataset: str, page_id: str) -> str:
    # The benchmark README: pages were transcoded to UTF-8 at build time and a <meta charset> inside
    # may be stale, so decode as UTF-8 whatever the page declares.
    return gzip.decompress(html_path(dataset, page_id).read_bytes()).decode("utf-8", errors="replace")


def dump_path(dataset: str, page_id: str) -> Path:
    return CACHE / "dumps" / dataset / f"{page_id}.txt"


def read_dump(dataset: str, page_id: str) -> str:
    return dump_path(dataset, page_id).read_text(encoding="utf-8")


def _render_dump(job: tuple[str, str]) -> None:
    dataset, page_id = job
    text = shared_module("html_to_dump").html_to_dump(read_html(dataset, page_id))
    out = dump_path(dataset, page_id)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)  # atomic, so an interrupted run never leaves a half-written dump in the cache


def ensure_dumps(dataset: str, page_ids: Sequence[str], workers: int = 2) -> int:
    """Render the dumps missing from the cache (with the shared renderer, title line included, as the
    README's reference table does); returns how many were rendered."""
    missing = [(dataset, pid) for pid in page_ids if not dump_path(dataset, pid).is_file()]
    if not missing:
        return 0
    dump_path(dataset, "x").parent.mkdir(parents=True, exist_ok=True)
    if workers <= 1 or len(missing) < 20:
        for job in missing:
            _render_dump(job)
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for _ in pool.imap_unordered(_render_dump, missing, chunksize=16):
                pass
    return len(missing)


_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})\b", re.I)


def html_lang(html: str) -> str | None:
    """The two/three-letter code of ``<html lang=...>``, lower-cased, if the page declares one."""
    m = _HTML_LANG_RE.search(html[:20000])
    return m.group(1).lower() if m else None


# --- processes ------------------------------------------------------------------------------------


def usable_cores(max_cores: int = 2) -> list[int]:
    """The CPU ids this process may run on, at most ``max_cores`` of them (one benchmark process each)."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux: no pinning, but still one process per "core"
        cores = list(range(os.cpu_count() or 1))
    return cores[:max_cores]


def pin_to_core(core: int | None) -> None:
    # Pinning makes "pages/s" a per-core figure, comparable between tools and with the README's table.
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def peak_rss_kb() -> int:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def current_rss_kb() -> int:
    """Current resident set size (VmRSS), falling back to the peak where /proc is unavailable."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return peak_rss_kb()


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cores": len(usable_cores(max_cores=1 << 16)),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


# --- files ----------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def write_section(path: Path, name: str, markdown: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path``.

    Each benchmark script owns one such section, so several can share BENCHMARKS.md without
    overwriting each other; the section is appended when the file does not have it yet.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# newsmill benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
