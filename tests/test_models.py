"""The data model: lossless JSON round trip, derived views, and the committed JSON Schema kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

from newsmill.models import SCHEMA_VERSION, Article, Image, Provenance, Role, article_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "article.schema.json"


def _article() -> Article:
    return Article(
        url="https://example.invalid/a",
        title="Ferry crews vote to strike",
        dek="Crews will walk out for 48 hours.",
        authors=["Mara Ellison", "Tom Reyes"],
        published="2024-03-14T07:45+00:00",
        body=["First paragraph.", "Second paragraph."],
        images=[Image(caption="A ferry at the pier", credit="JO HALE/COASTWIRE")],
        tags=["Ferries", "Strikes"],
        provenance={"title": Provenance(method="jsonld:headline", paths=["/html/head/script[2]"])},
    )


def test_json_round_trip_is_lossless() -> None:
    article = _article()
    again = Article.model_validate_json(article.to_json())
    assert again == article
    data = json.loads(article.to_json())
    assert data["authors"] == ["Mara Ellison", "Tom Reyes"]  # lists stay lists
    assert data["schema_version"] == SCHEMA_VERSION


def test_text_views() -> None:
    article = _article()
    assert article.text() == "First paragraph.\n\nSecond paragraph."
    full = article.text(title=True, dek=True, captions=True)
    assert full.split("\n\n")[:3] == [
        "Ferry crews vote to strike",
        "Crews will walk out for 48 hours.",
        "A ferry at the pier",
    ]
    md = article.to_markdown()
    assert md.startswith("# Ferry crews vote to strike") and "By Mara Ellison, Tom Reyes" in md


def test_committed_schema_matches_model() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(article_json_schema(), sort_keys=True)), (
        "schema/article.schema.json is stale: run `python -m newsmill.models schema/article.schema.json`"
    )
    assert set(Role) >= {Role.TITLE, Role.BODY, Role.BOILERPLATE}


def test_id_is_stable() -> None:
    a, b = _article(), _article()
    a.assign_id()
    b.assign_id()
    assert a.id == b.id and len(a.id) == 20
