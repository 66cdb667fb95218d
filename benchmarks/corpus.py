"""Benchmark pages with their gold, as objects, for the training script (paths and caches: common.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from common import (
    BENCH_DATA,
    CACHE,
    ROOT,
    dump_path,
    ensure_dumps,
    load_gold,
    read_dump,
    read_html,
    shared_module,
)

__all__ = ["BODY_SETS", "CACHE", "ROOT", "Page", "pages", "shared_module"]

#: The six sets with full-text gold (the issue's "mean of 6").
BODY_SETS = ("scrapinghub", "cleaneval", "cleanportaleval", "dragnet", "readability", "wcxb-test")


@dataclass
class Page:
    dataset: str
    id: str
    gold: dict

    def html(self) -> str:
        return read_html(self.dataset, self.id)

    def dump(self) -> str:
        if not dump_path(self.dataset, self.id).exists():
            ensure_dumps(self.dataset, [self.id], workers=1)
        return read_dump(self.dataset, self.id)


def pages(dataset: str, limit: int | None = None) -> Iterator[Page]:
    for gold in load_gold(dataset, limit):
        page = Page(dataset, str(gold["id"]), gold)
        if (BENCH_DATA / dataset / "html" / f"{page.id}.html.gz").exists():
            yield page
