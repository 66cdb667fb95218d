"""The REST API (/api/...) over a small fictional database: search with facets, articles with their
enrichment, actors, events, dyads, network, places, duplicates, runs; paging bounds; a busy database."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from newsmill.enrichment.models import Enrichment
from newsmill.models import Article
from newsmill.web import create_app
from newsmill.web.app import MAX_LIMIT, MAX_OFFSET, RETRY_AFTER_SECONDS


# --- search ---------------------------------------------------------------------------------------
def test_search_ranks_hits_and_uses_article_field_names(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/api/articles", params={"q": "ambassador recalled"})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] >= 1
    top = data["hits"][0]
    assert top["id"] == ids["kessaria-recalls-ambassador"]
    assert {"id", "title", "url", "publisher", "published", "authors", "language"} <= set(Article.model_fields)
    assert {"id", "title", "url", "publisher", "published", "authors", "language", "score", "snippet"} <= set(top)
    assert top["publisher"] == "The Marlow Ridge Dispatch"
    assert top["authors"] == ["Ilse Varnham"]


def test_search_facets_count_the_matching_articles(client: TestClient) -> None:
    data = client.get("/api/articles", params={"q": "Velmont"}).json()
    facets = data["facets"]
    publishers = {f["value"]: f["count"] for f in facets["publisher"]}
    # The syndicated copy is a duplicate: only canonical articles are searched.
    assert publishers == {"The Marlow Ridge Dispatch": 3}
    assert {"value": "Ilse Varnham", "count": 2} in facets["author"]
    assert {"value": "Tarn Strait", "count": 3} in facets["tag"]
    assert facets["date"] == [{"value": "2025-03", "count": 3}]
    entities = {f["value"]: f["count"] for f in facets["entity"]}
    assert entities["Velmont navy"] == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"publisher": "the marlow ridge dispatch"}, 3),
        ({"publisher": "Eastwater Chronicle"}, 1),
        ({"author": "Tomas Reddick"}, 1),
        ({"tag": "diplomacy"}, 1),
        ({"language": "en"}, 4),
        ({"since": "2025-03-12", "until": "2025-03-20"}, 2),
        ({"entity": "Velmont navy"}, 2),
        ({"entity": "Velmont navy", "q": "ambassador"}, 1),
        ({"entity": "nobody at all"}, 0),
    ],
)
def test_search_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    data = client.get("/api/articles", params=params).json()
    assert data["total"] == expected, data
    assert len(data["hits"]) == expected


def test_search_pages_through_results(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 2}).json()
    second = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 4
    seen = [h["id"] for h in first["hits"]] + [h["id"] for h in second["hits"]]
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": MAX_LIMIT + 1},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": MAX_OFFSET + 1},
        {"since": "2025-02-30"},
        {"until": "yesterday"},
        {"since": "2025-03-20", "until": "2025-03-01"},
        {"q": "x" * 1001},
        {"publisher": "p" * 201},
    ],
)
def test_search_rejects_malformed_parameters_with_a_message(client: TestClient, params: dict[str, object]) -> None:
    r = client.get("/api/articles", params=params)
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


@pytest.mark.parametrize("q", ['"unclosed phrase', "title:", "AND OR NOT", ")(", "*", "publisher:[a TO", "\u202e\ufeff", "\U0001f600"])
def test_search_survives_odd_query_syntax(client: TestClient, q: str) -> None:
    r = client.get("/api/articles", params={"q": q})
    assert r.status_code == 200
    assert isinstance(r.json()["hits"], list)


# --- one article ------------------------------------------------------------------------------------
def test_article_with_its_enrichment(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/api/articles/{ids['velmont-warns-kessaria']}")
    assert r.status_code == 200
    data = r.json()
    assert Article.model_validate(data["article"]).title == data["article"]["title"]
    assert set(data["article"]) == set(Article.model_fields)
    assert data["article"]["title"] == "Velmont navy warns Kessaria over Tarn Strait patrols"
    enrichment = Enrichment.model_validate(data["enrichment"])
    assert [e.actor_code for e in enrichment.entities] == ["VLMMIL", "KSR"]
    assert enrichment.quotes[0].speaker == "Admiral Teodor Klane"
    assert {p.name for p in enrichment.places} == {"Tarn Strait", "Orlin", "Sarvik"}
    assert enrichment.events[0].plover == "THREATEN"
    assert data["duplicates"]["is_canonical"] is True
    assert [c["id"] for c in data["duplicates"]["copies"]] == [ids["syndicated-copy"]]


def test_duplicate_article_names_its_canonical_copy(client: TestClient, ids: dict[str, str]) -> None:
    data = client.get(f"/api/articles/{ids['syndicated-copy']}").json()
    assert data["duplicates"]["is_canonical"] is False
    assert data["duplicates"]["canonical_id"] == ids["velmont-warns-kessaria"]
    assert data["duplicates"]["reason"] == "exact"
    assert data["enrichment"] is None


def test_unknown_and_malformed_article_ids(client: TestClient) -> None:
    r = client.get("/api/articles/0123456789abcdef0123")
    assert r.status_code == 404 and "no article" in r.json()["detail"]
    r = client.get("/api/articles/" + "a" * 65)
    assert r.status_code == 422
    r = client.get("/api/articles/bad%20id%3B")
    assert r.status_code == 422


def test_blocks_of_a_page_file_carry_their_text_and_role(client: TestClient, ids: dict[str, str]) -> None:
    data = client.get(f"/api/articles/{ids['velmont-warns-kessaria']}/blocks").json()
    assert data["text_available"] is True and data["note"] is None
    by_role: dict[str, list[str]] = {}
    for block in data["blocks"]:
        by_role.setdefault(block["role"], []).append(block["text"] or "")
    assert any("We use cookies" in text for text in by_role["boilerplate"])
    assert any(text.startswith("The Velmont navy threatened") for text in by_role["body"])


def test_blocks_of_a_collection_record_say_why_there_is_no_text(client: TestClient, ids: dict[str, str]) -> None:
    data = client.get(f"/api/articles/{ids['harbour-fees-hostile']}/blocks").json()
    assert data["text_available"] is False
    assert "collection" in data["note"]
    assert data["blocks"] and all(b["text"] is None for b in data["blocks"])


# --- actors and events ------------------------------------------------------------------------------
def test_actors_with_counts_and_paging(client: TestClient) -> None:
    data = client.get("/api/actors").json()
    by_code = {a["code"]: a for a in data["actors"]}
    assert by_code["VLMMIL"] == {"code": "VLMMIL", "name": "Velmont navy", "as_actor": 2, "as_target": 0}
    assert by_code["KSRGOV"]["as_actor"] == 2 and by_code["KSRGOV"]["as_target"] == 1
    assert data["total"] == len(data["actors"])
    page = client.get("/api/actors", params={"limit": 2, "offset": 1}).json()
    assert [a["code"] for a in page["actors"]] == [a["code"] for a in data["actors"][1:3]]
    assert [a["code"] for a in client.get("/api/actors", params={"prefix": "vlm"}).json()["actors"]] == ["VLMGOV", "VLMMIL"]


def test_actor_profile_has_aliases_and_timeline(client: TestClient) -> None:
    data = client.get("/api/actors/VLMMIL").json()
    assert data["name"] == "Velmont navy"
    assert "Velmont Naval Command" in data["aliases"]
    assert data["country"] == "VLM" and data["sector"] == "MIL"
    assert data["events_as_actor"] == 2 and data["events_as_target"] == 0
    assert [e["plover"] for e in data["as_actor"]] == ["ASSAULT", "THREATEN"]  # newest first
    weeks = {(t["period"][:10], t["role"]): t["events"] for t in data["timeline"]}
    assert weeks == {("2025-03-03", "as actor"): 1, ("2025-03-10", "as actor"): 1}


def test_actor_prefix_profile_and_unknown_actor(client: TestClient) -> None:
    data = client.get("/api/actors/ksr", params={"period": "month"}).json()
    assert data["events_as_target"] == 4  # KSRCVL twice, KSRGOV once, KSR once
    assert data["timeline"][0]["period"].startswith("2025-03-01")
    assert client.get("/api/actors/ZZZ").status_code == 404
    assert client.get("/api/actors/IRN%3BDROP").status_code == 422
    assert client.get("/api/actors/VLM", params={"period": "year"}).status_code == 422


def test_events_filter_by_actor_prefix_target_date_and_plover(client: TestClient) -> None:
    data = client.get("/api/events", params={"actor": "vlm"}).json()
    assert data["total"] == 3
    assert [e["date"] for e in data["events"]] == ["2025-03-24", "2025-03-11", "2025-03-03"]
    assert client.get("/api/events", params={"actor": "VLM", "target": "KSRGOV"}).json()["total"] == 1
    assert client.get("/api/events", params={"since": "2025-03-12", "until": "2025-03-20"}).json()["total"] == 2
    assert client.get("/api/events", params={"plover": "assault"}).json()["total"] == 1
    paged = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 6 and len(paged["events"]) == 1
    assert client.get("/api/events", params={"plover": "ASSAULT'--"}).status_code == 422


def test_dyad_series_by_direction_and_plover(client: TestClient) -> None:
    data = client.get("/api/dyads/VLM/KSR", params={"period": "day"}).json()
    assert data["total"] == 5
    forward = [(s["period"], s["goldstein"]) for s in data["series"] if s["direction"] == "VLM → KSR"]
    assert forward == [("2025-03-03", -7.0), ("2025-03-11", -10.0), ("2025-03-24", 4.0)]
    plovers = {(r["direction"], r["plover"]): r["events"] for r in data["by_plover"]}
    assert plovers[("KSR → VLM", "REDUCE")] == 1 and plovers[("VLM → KSR", "ASSAULT")] == 1
    weekly = client.get("/api/dyads/VLM/KSR").json()["series"]
    assert {s["period"] for s in weekly} == {"2025-03-03", "2025-03-10", "2025-03-24"}


def test_network_weights_edges_by_count_and_hostility(client: TestClient) -> None:
    data = client.get("/api/network").json()
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[("VLMMIL", "KSRCVL")]["events"] == 2
    assert edges[("VLMMIL", "KSRCVL")]["hostility"] == 1.0
    assert edges[("VLMGOV", "KSRGOV")]["hostility"] == 0.0
    assert {n["code"] for n in data["nodes"]} >= {"VLMMIL", "KSRCVL", "VLMGOV", "KSRGOV"}
    countries = client.get("/api/network", params={"level": "country"}).json()
    pairs = {(e["source"], e["target"]): e["events"] for e in countries["edges"]}
    assert pairs[("VLM", "KSR")] == 3 and pairs[("KSR", "VLM")] == 2
    assert client.get("/api/network", params={"min_events": 2}).json()["edges"] == [
        e for e in data["edges"] if e["events"] >= 2
    ]


def test_places_with_coordinates(client: TestClient) -> None:
    places = {p["name"]: p for p in client.get("/api/places").json()["places"]}
    assert places["Orlin"]["mentions"] == 3 and places["Orlin"]["lat"] == 54.2
    only = client.get("/api/places", params={"country": "ksr"}).json()["places"]
    assert [p["name"] for p in only] == ["Sarvik"]


# --- ingest side ------------------------------------------------------------------------------------
def test_duplicates_and_runs(client: TestClient, ids: dict[str, str]) -> None:
    clusters = client.get("/api/duplicates").json()
    assert clusters["total"] == 1
    cluster = clusters["clusters"][0]
    assert cluster["canonical"]["id"] == ids["velmont-warns-kessaria"] and cluster["size"] == 2
    assert cluster["duplicates"][0]["publisher"] == "Eastwater Chronicle"
    runs = client.get("/api/runs").json()
    assert runs["counts"] == {"records": 5, "articles": 4, "duplicates": 1, "rejections": 0}
    assert runs["runs"][0]["status"] == "complete" and runs["runs"][0]["records"] == 5
    assert runs["enrichments"] == {"articles": 4, "skipped": 0}


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/actors", "/api/actors/{code}", "/api/events",
                 "/api/dyads/{a}/{b}", "/api/network", "/api/places", "/api/duplicates", "/api/runs"):
        assert path in paths
    limit = next(p for p in paths["/api/articles"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == MAX_LIMIT


# --- the database file --------------------------------------------------------------------------------
def test_database_without_enrichment_tables_gives_empty_results(web_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copy(web_db[0], db)
    shutil.copytree(f"{web_db[0]}.search", f"{db}.search")
    con = duckdb.connect(str(db))
    for table in ("events", "entities", "quotes", "places", "enrichments"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    client = TestClient(create_app(db, linger=0))
    assert client.get("/api/actors").json()["actors"] == []
    assert client.get("/api/network").json()["edges"] == []
    assert client.get(f"/api/articles/{web_db[1]['strait-talks-agreed']}").json()["enrichment"] is None
    assert client.get("/api/articles", params={"entity": "Velmont"}).json()["total"] == 0


def test_missing_database_is_a_503_with_a_message(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "nothing.duckdb"))
    r = client.get("/api/runs")
    assert r.status_code == 503 and "newsmill ingest" in r.json()["detail"]


def test_idle_server_releases_the_file_and_a_busy_one_answers_503(web_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    shutil.copy(web_db[0], db)
    shutil.copytree(f"{web_db[0]}.search", f"{db}.search")
    app = create_app(db, linger=0)
    client = TestClient(app)
    assert client.get("/api/runs").status_code == 200
    before = client.get("/api/articles", params={"q": "strait"}).json()
    assert not app.state.db.is_open  # released after the request: an ingest could start now
    writer = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
         "time.sleep(30)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "locked"
        r = client.get("/api/runs")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "ingest" in r.json()["detail"]
        page = client.get("/runs")
        assert page.status_code == 503 and "database busy" in page.text
        # The search index allows readers beside a writer: search still answers, with the last facets.
        during = client.get("/api/articles", params={"q": "strait"}).json()
        assert during["hits"] == before["hits"] and during["facets"] == before["facets"]
        assert any("ingest" in w for w in during["warnings"])
    finally:
        writer.kill()
        writer.wait()
    deadline = time.monotonic() + 10
    while client.get("/api/runs").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/api/runs").status_code == 200


def test_facets_follow_new_enrichments(web_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    from newsmill.enrichment.models import Entity
    from newsmill.store import Store
    from newsmill.store.enrichments import write_enrichments

    db = tmp_path / "growing.duckdb"
    shutil.copy(web_db[0], db)
    shutil.copytree(f"{web_db[0]}.search", f"{db}.search")
    client = TestClient(create_app(db, linger=0, facet_freshness=0))
    before = client.get("/api/articles", params={"q": "harbour fees"}).json()
    assert "Eastwater Port Authority" not in {f["value"] for f in before["facets"]["entity"]}
    article_id = web_db[1]["harbour-fees-hostile"]
    text = client.get(f"/api/articles/{article_id}").json()["article"]["body"][0]
    with Store(db) as store:  # the server is idle: it has let go of the file
        store.con.execute("BEGIN")
        write_enrichments(store.con, [Enrichment(article_id=article_id, entities=[
            Entity(text="port authority", start=0, end=len(text), label="ORG", canonical="Eastwater Port Authority")
        ])], stage="test_v1")
        store.con.execute("COMMIT")
    after = client.get("/api/articles", params={"q": "harbour fees"}).json()
    assert {"value": "Eastwater Port Authority", "count": 1} in after["facets"]["entity"]
    assert client.get("/api/articles", params={"entity": "eastwater port authority"}).json()["total"] == 1


def test_original_view_never_reads_a_path_an_article_claims(web_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """An imported Article JSON sets its own source_path: only files the ingest read are ever re-read."""
    from newsmill.web import queries

    secret = tmp_path / "secret.txt"
    secret.write_text("line one of a private file\nline two\n", encoding="utf-8")
    article = Article(id="forged", source_path=str(secret), source_kind="dump", body=["x"],
                      blocks=[{"ref": "L1", "role": "boilerplate", "score": 0.1}])
    con = duckdb.connect(str(web_db[0]), read_only=True)
    try:
        result = queries.original_blocks(con.cursor(), article, [tmp_path])
    finally:
        con.close()
    assert result["text_available"] is False and "no record" in result["note"]
    assert result["blocks"][0]["text"] is None


def test_answers_match_the_documented_schemas(client: TestClient, ids: dict[str, str]) -> None:
    from newsmill.web import schemas

    documented = client.get("/openapi.json").json()["paths"]
    cases = [
        ("/api/articles?q=strait", schemas.SearchPage),
        ("/api/articles?entity=Velmont+navy&since=2025-03-01", schemas.SearchPage),
        (f"/api/articles/{ids['velmont-warns-kessaria']}", schemas.ArticleView),
        (f"/api/articles/{ids['syndicated-copy']}", schemas.ArticleView),
        (f"/api/articles/{ids['velmont-warns-kessaria']}/blocks", schemas.PageBlocks),
        ("/api/actors", schemas.ActorList),
        ("/api/events?actor=VLM", schemas.EventList),
        ("/api/dyads/VLM/KSR", schemas.Dyad),
        ("/api/network", schemas.Network),
    ]
    for url, model in cases:
        model.model_validate(client.get(url).json())
        route = "/api/" + url.split("?")[0].split("/api/")[1]
        for article_id in ids.values():
            route = route.replace(article_id, "{article_id}")
        route = route.replace("/VLM/KSR", "/{a}/{b}")
        ref = documented[route]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + model.__name__)


def test_dyad_of_an_actor_with_itself_counts_each_event_once(web_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    from newsmill.enrichment.models import Event
    from newsmill.store import Store
    from newsmill.store.enrichments import write_enrichments

    db = tmp_path / "internal.duckdb"
    shutil.copy(web_db[0], db)
    shutil.copytree(f"{web_db[0]}.search", f"{db}.search")
    internal = Event(sentence=0, sentence_text="The navy defied the cabinet.", start=0, end=10, trigger="defied",
                     actor_code="VLMMIL", target_code="VLMGOV", cameo="120", plover="REJECT", goldstein=-4.0,
                     quad_class=3, date="2025-03-05")
    with Store(db) as store:
        store.con.execute("BEGIN")
        write_enrichments(store.con, [Enrichment(article_id=web_db[1]["harbour-fees-hostile"], events=[internal])],
                          stage="test_v1")
        store.con.execute("COMMIT")
    data = TestClient(create_app(db, linger=0)).get("/api/dyads/VLM/VLM").json()
    assert data["total"] == 1
    assert data["by_plover"] == [{"direction": "VLM → VLM", "plover": "REJECT", "events": 1}]
    assert [s["events"] for s in data["series"]] == [1]
