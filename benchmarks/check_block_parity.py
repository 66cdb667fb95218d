"""Check that HTML blocks segment pages exactly like the dump renderer, and time the blockifier.

For a sample of benchmark pages (read from ../shared at run time, never copied), the texts of
``html_to_blocks(parse_html(page))`` must equal ``html_to_dump(page, include_title=False)``'s lines,
and every block's ``ref`` must resolve (``element_at``) to an element whose lxml ``getpath`` is the ref. Prints the parity
rate and the first differing line of each mismatching page.

    python benchmarks/check_block_parity.py                 # 15 pages from each dataset
    python benchmarks/check_block_parity.py --per-set 0     # every page
    python benchmarks/check_block_parity.py --timing 200    # + timings, and trafilatura's
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from newsmill.extraction import html_blocks
from newsmill.extraction.figures import extract_figures
from newsmill.extraction.html_blocks import element_at, html_to_blocks, parse_html

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
RENDERER = BENCH.parent / "tools" / "html_to_dump.py"


def load_renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_html_to_dump", RENDERER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{RENDERER} not found: run with ../shared beside the project root")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_pages(per_set: int, seed: int) -> list[tuple[str, str]]:
    """(dataset/id, html) pairs: ``per_set`` random pages per dataset (0 = all), decoded as UTF-8."""
    pages: list[tuple[str, str]] = []
    for ds_dir in sorted(p for p in BENCH.iterdir() if (p / "html").is_dir()):
        files = sorted((ds_dir / "html").glob("*.html.gz"))
        if per_set:
            files = random.Random(seed).sample(files, min(per_set, len(files)))
        for f in files:
            html = gzip.decompress(f.read_bytes()).decode("utf-8")
            pages.append((f"{ds_dir.name}/{f.name.removesuffix('.html.gz')}", html))
    return pages


def first_difference(mine: list[str], ref: list[str]) -> str:
    for i, (a, b) in enumerate(zip(mine, ref, strict=False)):
        if a != b:
            return f"line {i + 1}: blocks {a[:80]!r} vs dump {b[:80]!r}"
    return f"{len(mine)} blocks vs {len(ref)} dump lines"


def check_parity(pages: list[tuple[str, str]]) -> int:
    renderer = load_renderer()
    same = bad_refs = 0
    for name, html in pages:
        doc = parse_html(html)
        blocks = html_to_blocks(doc)
        mine = [b.text for b in blocks]
        ref = renderer.html_to_dump(html, include_title=False).splitlines()
        if mine == ref:
            same += 1
        else:
            print(f"DIFF {name}: {first_difference(mine, ref)}")
        if doc is not None:
            tree = doc.getroottree()
            for b in blocks:
                found = element_at(doc, b.ref)
                if found is None or tree.getpath(found) != b.ref:
                    bad_refs += 1
                    print(f"BAD REF {name}: line {b.line} {b.ref}")
                    break
    n = len(pages)
    print(f"parity: {same}/{n} pages ({same / n:.1%}); pages with a bad ref: {bad_refs}")
    return 0 if same == n and not bad_refs else 1


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Best CPU time (process_time: other load on the machine does not count) of ``runs`` runs,
    each with a cold class/id cache, as on pages never seen before."""
    best = float("inf")
    for _ in range(runs):
        html_blocks._class_cache.clear()
        gc.collect()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def timing(pages: list[tuple[str, str]], runs: int) -> None:
    """Parse, blocks and figures times, the whole HTML extraction, and trafilatura on the same pages
    (one process, so one core)."""
    htmls = [h for _, h in pages]
    n = len(htmls)

    def report(label: str, seconds: float) -> None:
        print(f"{label:22s} {seconds / n * 1000:6.2f} ms/page = {n / seconds:5.0f} pages/s")

    t_parse = best_of(runs, lambda: [parse_html(h) for h in htmls])
    docs = [parse_html(h) for h in htmls]
    t_walk = best_of(runs, lambda: [html_to_blocks(d) for d in docs])
    blocks = [html_to_blocks(d) for d in docs]
    t_fig = best_of(runs, lambda: [extract_figures(d, b) for d, b in zip(docs, blocks, strict=True)])
    print(
        f"{n} pages, {sum(map(len, htmls)) / n / 1000:.0f} kB and {sum(map(len, blocks)) / n:.0f} blocks per page"
    )
    report("parse_html", t_parse)
    report("html_to_blocks", t_walk)
    report("parse + blocks", t_parse + t_walk)
    report("extract_figures", t_fig)
    from newsmill.extraction.html import extract_html

    report("extract_html (all)", best_of(runs, lambda: [extract_html(h) for h in htmls]))
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed: no comparison")
        return
    report("trafilatura.extract", best_of(runs, lambda: [trafilatura.extract(h) for h in htmls]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-set", type=int, default=15, help="pages per dataset (0 = all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timing", type=int, default=0, metavar="N", help="also time N pages")
    ap.add_argument("--runs", type=int, default=3, help="timing: best of this many runs")
    args = ap.parse_args(argv)
    if not BENCH.is_dir():
        raise SystemExit(f"{BENCH} not found: run with ../shared beside the project root")
    rc = check_parity(sample_pages(args.per_set, args.seed))
    if args.timing:
        pages = sample_pages(0, args.seed)
        random.Random(args.seed).shuffle(pages)
        timing(pages[: args.timing], args.runs)
    return rc


if __name__ == "__main__":
    sys.exit(main())
