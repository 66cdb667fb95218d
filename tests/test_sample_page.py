"""The real example page in ../shared/samples against its hand-labelled gold (skipped without ../shared)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

import newsmill
from newsmill.models import Role

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
NAME = "jpost-2020-04-01-iran-iraq"

pytestmark = pytest.mark.skipif(not (SAMPLES / f"{NAME}.txt").exists(), reason="../shared/samples is absent")


def _token_f1(gold: str, pred: str) -> float:
    g = Counter(re.findall(r"\w+", gold.lower()))
    p = Counter(re.findall(r"\w+", pred.lower()))
    tp = sum((g & p).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((SAMPLES / f"{NAME}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article() -> newsmill.Article:
    return newsmill.extract(SAMPLES / f"{NAME}.txt")


def test_fields_exactly_right(article: newsmill.Article, gold: dict) -> None:
    assert article.source_kind == "dump"
    assert article.crawl_date == gold["dump_date"]
    assert article.title == gold["title"]
    assert article.dek == gold["dek"]
    assert article.authors == gold["authors"]
    assert article.published == gold["published"]
    assert [(im.caption, im.credit) for im in article.images] == [
        (im["caption"], im["credit"]) for im in gold["images"]
    ]
    assert article.tags == gold["tags"]
    assert article.publisher == gold["publisher"]


def test_body(article: newsmill.Article, gold: dict) -> None:
    assert _token_f1(gold["body"], "\n".join(article.body)) >= 0.98
    assert len(article.body) == len(gold["body"].split("\n\n"))


def test_line_roles_and_provenance(article: newsmill.Article, gold: dict) -> None:
    by_line = {int(b.ref[1:]): b.role for b in article.blocks}
    for role, lines in gold["line_roles"].items():
        for line in lines:
            assert by_line.get(line) == Role(role), f"line {line}"
    assert article.provenance["title"].lines == gold["line_roles"]["title"]
    assert article.provenance["body"].lines == gold["line_roles"]["body"]
