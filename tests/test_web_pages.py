"""Server-rendered pages: search with facets, article view with highlights and the boilerplate toggle,
actor, dyad, network, map, runs and duplicates pages, each with a JSON twin equal to its API data."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsmill.web import create_app


def page(client: TestClient, url: str, **params: object) -> lxml.html.HtmlElement:
    r = client.get(url, params=params) if params else client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(r.text)


def by_testid(doc: lxml.html.HtmlElement, name: str) -> list[lxml.html.HtmlElement]:
    return doc.xpath(f'//*[@data-testid="{name}"]')


def chart_spec(doc: lxml.html.HtmlElement, container_testid: str) -> dict:
    container = by_testid(doc, container_testid)[0]
    block = doc.get_element_by_id(container.get("data-chart-spec"))
    assert block.tag == "script" and block.get("type") == "application/json"
    return json.loads(block.text)


def test_search_page_lists_results_and_facets(client: TestClient, ids: dict[str, str]) -> None:
    doc = page(client, "/", q="strait")
    assert by_testid(doc, "search-input")[0].get("value") == "strait"
    links = by_testid(doc, "result-link")
    assert {a.get("href") for a in links} == {
        f"/articles/{ids[s]}" for s in ("velmont-warns-kessaria", "kessaria-recalls-ambassador", "strait-talks-agreed")
    }
    assert by_testid(doc, "result-count")[0].text_content().startswith("3 articles")
    author_links = by_testid(doc, "facet-author")[0].xpath(".//a")
    assert any(a.text == "Ilse Varnham" and "author=Ilse+Varnham" in a.get("href") and "q=strait" in a.get("href")
               for a in author_links)
    entity_facet = by_testid(doc, "facet-entity")[0].text_content()
    assert "Velmont navy" in entity_facet


def test_search_page_follows_a_facet_and_pages(client: TestClient) -> None:
    doc = page(client, "/", q="strait", author="Ilse Varnham")
    assert len(by_testid(doc, "result-link")) == 2
    assert doc.xpath('//input[@type="hidden"][@name="author"]/@value') == ["Ilse Varnham"]
    first = page(client, "/", limit=2)
    nxt = by_testid(first, "next-page")[0].get("href")
    assert "offset=2" in nxt and "limit=2" in nxt
    second = page(client, nxt)
    assert by_testid(second, "prev-page")


def test_search_page_json_twin_equals_the_api(client: TestClient) -> None:
    doc = page(client, "/", q="Velmont", tag="Tarn Strait")
    twin = by_testid(doc, "json-twin")[0].get("href")
    assert "format=json" in twin
    assert client.get(twin).json() == client.get("/api/articles", params={"q": "Velmont", "tag": "Tarn Strait"}).json()


def test_article_page_highlights_entities_and_event_sentences(client: TestClient, ids: dict[str, str]) -> None:
    doc = page(client, f"/articles/{ids['velmont-warns-kessaria']}")
    clean = by_testid(doc, "clean-view")[0]
    assert clean.get("hidden") is None
    assert clean.xpath(".//h1")[0].text_content() == "Velmont navy warns Kessaria over Tarn Strait patrols"
    marks = [m.text_content() for m in by_testid(doc, "entity")]
    assert marks == ["Velmont navy", "Kessaria"]
    sentences = [s.text_content() for s in by_testid(doc, "event-sentence")]
    assert sentences == [
        "The Velmont navy threatened to seize Kessarian trawlers in the Tarn Strait on Monday, the sharpest "
        "warning yet in a dispute over fishing rights that has simmered since the autumn."
    ]
    actor_links = {a.get("href") for a in by_testid(doc, "actor-link")}
    assert {"/actors/VLMMIL", "/actors/KSRCVL"} <= actor_links
    assert by_testid(doc, "dyad-link")[0].get("href") == "/dyad?a=VLMMIL&b=KSRCVL"


def test_article_page_toggle_shows_blocks_with_boilerplate_struck_through(client: TestClient, ids: dict[str, str]) -> None:
    doc = page(client, f"/articles/{ids['velmont-warns-kessaria']}")
    toggle = by_testid(doc, "boilerplate-toggle")[0]
    assert toggle.tag == "button" and toggle.get("aria-pressed") == "false"
    original = by_testid(doc, "original-view")[0]
    assert original.get("hidden") is not None
    blocks = by_testid(original, "block")
    roles = {b.get("data-role") for b in blocks}
    assert {"boilerplate", "title", "body"} <= roles
    struck = [b.xpath(".//del")[0].text_content() for b in blocks if b.get("data-role") == "boilerplate"]
    assert any("We use cookies" in text for text in struck)
    body = [b for b in blocks if b.get("data-role") == "body"]
    assert not body[0].xpath(".//del") and "threatened to seize" in body[0].text_content()
    server_side = page(client, f"/articles/{ids['velmont-warns-kessaria']}", view="page")
    assert by_testid(server_side, "original-view")[0].get("hidden") is None
    assert by_testid(server_side, "clean-view")[0].get("hidden") is not None


def test_article_page_json_twin(client: TestClient, ids: dict[str, str]) -> None:
    article_id = ids["kessaria-recalls-ambassador"]
    assert client.get(f"/articles/{article_id}", params={"format": "json"}).json() == client.get(
        f"/api/articles/{article_id}"
    ).json()


def test_article_page_for_a_missing_article_is_a_404_page(client: TestClient) -> None:
    r = client.get("/articles/0000000000")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no article" in lxml.html.fromstring(r.text).xpath('//*[@data-testid="error-message"]')[0].text


def test_actor_page_profile_timeline_and_links(client: TestClient) -> None:
    doc = page(client, "/actors/VLMMIL")
    assert by_testid(doc, "actor-name")[0].text_content().startswith("Velmont navy")
    assert "Velmont Naval Command" in by_testid(doc, "aliases")[0].text_content()
    spec = chart_spec(doc, "actor-chart")
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert sum(row["events"] for row in spec["data"]["values"]) == 2
    assert "/dyad?a=VLMMIL&b=KSRCVL" in {a.get("href") for a in by_testid(doc, "dyad-link")}
    assert client.get("/actors/VLMMIL", params={"format": "json"}).json() == client.get("/api/actors/VLMMIL").json()


def test_actors_page_lists_codes(client: TestClient) -> None:
    doc = page(client, "/actors")
    assert {a.text for a in by_testid(doc, "actor-link")} >= {"VLMMIL", "VLMGOV", "KSRGOV", "KSRCVL"}


def test_dyad_page_chart_has_goldstein_series_and_plover_counts(client: TestClient) -> None:
    doc = page(client, "/dyad", a="vlm", b="ksr", period="day")
    container = by_testid(doc, "dyad-chart")[0]
    assert container.get("id") == "dyad-chart"
    spec = chart_spec(doc, "dyad-chart")
    line, counts, bars = spec["vconcat"]
    assert line["encoding"]["y"]["field"] == "goldstein"
    assert ("2025-03-11", "VLM → KSR", -10.0) in [(r["period"], r["direction"], r["goldstein"]) for r in line["data"]["values"]]
    assert {r["plover"] for r in bars["data"]["values"]} == {"THREATEN", "ASSAULT", "CONSULT", "REDUCE", "AGREE"}
    assert len(by_testid(doc, "dyad-events")[0].xpath(".//tbody/tr")) == 5
    assert client.get("/dyad", params={"a": "vlm", "b": "ksr", "period": "day", "format": "json"}).json() == client.get(
        "/api/dyads/VLM/KSR", params={"period": "day"}
    ).json()


def test_dyad_page_needs_two_valid_codes(client: TestClient) -> None:
    assert client.get("/dyad", params={"a": "VLM"}).status_code == 422
    assert client.get("/dyad", params={"a": "VLM", "b": "<x>"}).status_code == 422


def test_network_page_draws_a_force_graph_of_the_edges(client: TestClient) -> None:
    doc = page(client, "/network")
    spec = chart_spec(doc, "network-chart")
    assert spec["$schema"].endswith("vega/v5.json")
    nodes = next(d for d in spec["data"] if d["name"] == "node-data")["values"]
    links = next(d for d in spec["data"] if d["name"] == "link-data")["values"]
    codes = [n["code"] for n in nodes]
    drawn = {(codes[link["source"]], codes[link["target"]]) for link in links}
    assert ("VLMMIL", "KSRCVL") in drawn and ("KSRGOV", "VLMGOV") in drawn
    assert len(by_testid(doc, "network-edges")[0].xpath(".//tbody/tr")) == len(links)


def test_map_page_plots_places_without_tiles(client: TestClient) -> None:
    doc = page(client, "/map")
    spec = chart_spec(doc, "map-chart")
    text = json.dumps(spec)
    assert "url" not in {k for layer in spec["layer"] for k in layer.get("data", {})}
    assert "http" not in text.replace(spec["$schema"], "")
    points = spec["layer"][-1]["data"]["values"]
    assert {p["name"] for p in points} >= {"Orlin", "Sarvik", "Tarn Strait"}


def test_runs_and_duplicates_pages(client: TestClient, ids: dict[str, str]) -> None:
    doc = page(client, "/runs")
    assert by_testid(doc, "store-counts")[0].text_content().startswith("5 records = 4 articles + 1 duplicates")
    assert len(by_testid(doc, "runs-table")[0].xpath(".//tbody/tr")) == 1
    doc = page(client, "/duplicates")
    cluster = by_testid(doc, "cluster")[0]
    assert f"/articles/{ids['syndicated-copy']}" in cluster.xpath(".//a/@href")
    assert client.get("/runs", params={"format": "json"}).json() == client.get("/api/runs").json()


def test_pages_reject_bad_parameters_with_an_html_message(client: TestClient) -> None:
    r = client.get("/", params={"limit": "lots"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "limit" in r.text
    r = client.get("/", params={"format": "xml"})
    assert r.status_code == 422
    r = client.get("/", params={"limit": "lots", "format": "json"})
    assert r.status_code == 422 and "limit" in r.json()["detail"]


def test_date_facet_links_cover_the_whole_month(client: TestClient) -> None:
    from newsmill.web.app import month_bounds

    assert month_bounds("2025-02") == ("2025-02-01", "2025-02-28")
    assert month_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    doc = page(client, "/", q="strait")
    link = by_testid(doc, "facet-date")[0].xpath(".//a/@href")[0]
    assert "since=2025-03-01" in link and "until=2025-03-31" in link
    assert len(by_testid(page(client, link), "result-link")) == 3


@pytest.mark.shared
@pytest.mark.slow
def test_sample_article_shows_iran_threatening_the_us(shared_dir: Path, tmp_path: Path) -> None:
    """The issue's check: the dyad page of the sample page (read from ../shared) shows Iran's threats
    against the US, with the real ingest and enrichment."""
    pytest.importorskip("spacy")
    import newsmill

    sample = shared_dir / "samples" / "jpost-2020-04-01-iran-iraq.txt"
    db = tmp_path / "sample.duckdb"
    newsmill.ingest([sample], db=db, workers=1)
    newsmill.enrich_store(db=db, workers=1)
    client = TestClient(create_app(db))
    dyad = client.get("/api/dyads/IRN/USA").json()
    threats = [r for r in dyad["by_plover"] if r["direction"] == "IRN → USA" and r["plover"] == "THREATEN"]
    assert threats and threats[0]["events"] >= 1
    hostile = [s for s in dyad["series"] if s["direction"] == "IRN → USA"]
    assert hostile and all(s["goldstein"] < 0 for s in hostile)
    doc = page(client, "/dyad", a="IRN", b="USA")
    assert chart_spec(doc, "dyad-chart")["vconcat"][0]["data"]["values"]
    article_id = client.get("/api/articles").json()["hits"][0]["id"]
    article = page(client, f"/articles/{article_id}")
    assert by_testid(article, "event-sentence")
    struck = [b for b in by_testid(article, "block") if b.get("data-role") == "boilerplate"]
    assert struck and struck[0].xpath(".//del")[0].text_content().strip()


def test_map_place_links_search_for_the_place(client: TestClient) -> None:
    doc = page(client, "/map")
    link = next(a.get("href") for a in by_testid(doc, "places-table")[0].xpath(".//a") if a.text == "Orlin")
    assert {h.text for h in by_testid(page(client, link), "result-link")} == {
        "Velmont navy warns Kessaria over Tarn Strait patrols", "Kessaria recalls its ambassador after strait boarding",
        "Velmont and Kessaria agree to strait talks in Orlin",
    }


def test_highlights_survive_overlapping_and_out_of_range_offsets() -> None:
    from newsmill.enrichment.models import Enrichment, Entity, Event
    from newsmill.models import Article
    from newsmill.web.queries import text_segments

    article = Article(title="Orlin harbour", body=["Velmont navy ships left Orlin.", "Talks resume."])
    # enrichment text: "Orlin harbour\n\nVelmont navy ships left Orlin.\n\nTalks resume."
    enrichment = Enrichment(
        entities=[
            Entity(text="Velmont navy", start=15, end=27, label="ORG"),
            Entity(text="Velmont", start=15, end=22, label="GPE"),  # nested in the one above
            Entity(text="past the end", start=60, end=900, label="ORG"),
            Entity(text="backwards", start=20, end=10, label="ORG"),
        ],
        events=[Event(sentence=1, sentence_text="Velmont navy ships left Orlin.", start=15, end=45, trigger="left",
                      cameo="0", plover="MOVE", goldstein=0.0, quad_class=1)],
    )
    parts = text_segments(article, enrichment)
    assert ["".join(run["text"] for run in part["runs"]) for part in parts] == [
        "Orlin harbour", "Velmont navy ships left Orlin.", "Talks resume."
    ]
    body = parts[1]["runs"]
    assert body[0] == {"text": "Velmont", "entity": 0, "events": [0]}
    assert body[1] == {"text": " navy", "entity": 0, "events": [0]}
    assert all(run["entity"] is None and run["events"] == [] for run in parts[2]["runs"])
    assert text_segments(article, None)[1]["runs"] == [{"text": "Velmont navy ships left Orlin.", "entity": None, "events": []}]
