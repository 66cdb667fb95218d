"""Hostile article text and hostile requests: everything escaped, no inline script, strict CSP and the
other security headers on every answer, links only for http(s) URLs, bounded parameters (4xx, never
500), loopback by default."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from web_site import BREAKOUT_PAYLOAD, JAVASCRIPT_URL, ONERROR_PAYLOAD, SCRIPT_PAYLOAD, SVG_PAYLOAD

from newsmill.commands import serve as serve_command
from newsmill.web import create_app
from newsmill.web.app import CONTENT_SECURITY_POLICY, safe_url


@pytest.fixture(scope="module")
def client(web_db: tuple[Path, dict[str, str]]) -> Iterator[TestClient]:
    app = create_app(web_db[0])
    yield TestClient(app, raise_server_exceptions=False)
    app.state.db.close()


@pytest.fixture(scope="module")
def hostile_id(web_db: tuple[Path, dict[str, str]]) -> str:
    return web_db[1]["harbour-fees-hostile"]


def _pages(hostile_id: str) -> list[str]:
    return [
        f"/articles/{hostile_id}", f"/articles/{hostile_id}?view=page", "/?q=harbour", "/?q=pwned", "/actors",
        "/actors/EVL", "/actors/KSR", "/dyad?a=EVL&b=KSR", "/network", "/map", "/runs", "/duplicates",
    ]


def test_hostile_text_is_escaped_everywhere(client: TestClient, hostile_id: str) -> None:
    for url in _pages(hostile_id):
        r = client.get(url)
        assert r.status_code == 200, url
        for payload in (SCRIPT_PAYLOAD, ONERROR_PAYLOAD, SVG_PAYLOAD, BREAKOUT_PAYLOAD, "<img", "<svg", "</script><script>"):
            assert payload not in r.text, (url, payload)
        doc = lxml.html.fromstring(r.text)
        assert not doc.xpath("//img | //svg | //iframe | //object | //embed"), url
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            assert not [name for name in element.attrib if name.lower().startswith("on")], (url, element.tag)


def test_hostile_text_still_reads_as_text(client: TestClient, hostile_id: str) -> None:
    doc = lxml.html.fromstring(client.get(f"/articles/{hostile_id}").text)
    assert doc.xpath("//h1")[0].text_content() == "Harbour fees rise again " + SCRIPT_PAYLOAD


def test_every_script_is_a_file_from_the_package_or_a_json_data_block(client: TestClient, hostile_id: str) -> None:
    for url in _pages(hostile_id):
        doc = lxml.html.fromstring(client.get(url).text)
        for script in doc.xpath("//script"):
            if script.get("src"):
                assert script.get("src").startswith("/static/"), url
                assert client.get(script.get("src")).status_code == 200
            else:
                assert script.get("type") == "application/json", url
                json.loads(script.text)  # intact: no payload ended the block early


def test_hostile_names_inside_chart_data_stay_inside_the_json(client: TestClient) -> None:
    doc = lxml.html.fromstring(client.get("/network").text)
    block = doc.xpath('//script[@type="application/json"]')[0]
    nodes = json.loads(block.text)["data"][0]["values"]
    assert BREAKOUT_PAYLOAD in {n["name"] for n in nodes}
    raw = client.get("/map").text
    assert "\\u003c/script\\u003e" in raw


def test_javascript_urls_are_never_links(client: TestClient, hostile_id: str) -> None:
    for url in _pages(hostile_id):
        doc = lxml.html.fromstring(client.get(url).text)
        for href in doc.xpath("//@href | //@src | //@action"):
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (url, href)
    doc = lxml.html.fromstring(client.get(f"/articles/{hostile_id}").text)
    assert doc.xpath('//*[@data-testid="source-url"]')[0].text == JAVASCRIPT_URL
    assert not doc.xpath('//*[@data-testid="source-link"]')


def test_http_urls_are_links_that_leak_nothing(client: TestClient, web_db: tuple[Path, dict[str, str]]) -> None:
    doc = lxml.html.fromstring(client.get(f"/articles/{web_db[1]['syndicated-copy']}").text)
    link = doc.xpath('//*[@data-testid="source-link"]')[0]
    assert link.get("href") == "https://eastwater-chronicle.example/world/velmont-warns-kessaria"
    assert "noopener" in link.get("rel") and "noreferrer" in link.get("rel")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://news.example/a?b=1", "https://news.example/a?b=1"),
        ("http://news.example/", "http://news.example/"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("  javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//news.example/a", None),
        ("http:///nohost", None),
        ("https://[::1", None),
        ("", None),
        (None, None),
        ("https://x.example/" + "a" * 5000, None),
    ],
)
def test_safe_url(value: str | None, expected: str | None) -> None:
    assert safe_url(value) == expected


def test_security_headers_on_every_kind_of_answer(client: TestClient, hostile_id: str) -> None:
    urls = [f"/articles/{hostile_id}", "/api/runs", "/static/app.css", "/static/vendor/vega.min.js", "/openapi.json",
            "/articles/nope", "/api/articles?limit=0", "/no/such/page", "/?q=%00"]
    for url in urls:
        r = client.get(url)
        assert r.status_code < 500, url
        assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_no_page_loads_anything_from_elsewhere(client: TestClient, hostile_id: str) -> None:
    for url in _pages(hostile_id):
        doc = lxml.html.fromstring(client.get(url).text)
        for ref in doc.xpath("//script/@src | //link/@href"):
            assert ref.startswith("/static/"), (url, ref)
    assert client.get("/docs").status_code == 404  # the stock docs page loads a CDN script


MALFORMED = [
    "/api/articles?limit=-5", "/api/articles?limit=1e9", "/api/articles?limit=99999999999999999999999",
    "/api/articles?offset=abc", "/api/articles?offset=100000000", "/api/articles?since=2025-02-30",
    "/api/articles?since=99999-01-01", "/api/articles?until=2025-13-01", "/api/articles?q=%00",
    "/api/articles?publisher=%01x", "/api/articles?q=" + "x" * 1200, "/api/articles?entity=" + "e" * 300,
    "/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/articles/x;DROP TABLE documents",
    "/api/actors?limit=0", "/api/actors?prefix=IR N", "/api/actors/IRN'--", "/api/actors/" + "A" * 40,
    "/api/actors/VLM?period=year", "/api/events?actor=%27", "/api/events?since=tomorrow",
    "/api/events?plover=<b>", "/api/dyads/VLM/%3Cscript%3E", "/api/network?level=galaxy", "/api/network?min_events=0",
    "/api/places?country=KESSARIA", "/api/duplicates?min_size=1", "/api/duplicates?limit=1000",
    "/?format=xml", "/?limit=0", "/articles/x?view=raw", "/dyad?a=&b=KSR", "/map?country=1", "/actors?prefix=%00",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_requests_get_a_4xx_with_a_message(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text[:300])
    if url.startswith("/api/") or "format=json" in url:
        assert r.json()["detail"]
    else:
        assert lxml.html.fromstring(r.text).xpath('//*[@data-testid="error-message"]')[0].text_content().strip()


ODD_BUT_VALID = [
    "/api/articles?q=%22unclosed", "/api/articles?q=title%3A", "/api/articles?q=%F0%9F%98%80",
    "/api/articles?q=%FF%FE", "/api/articles?publisher=%E2%80%AE", "/api/articles?since=0001-01-01",
    "/api/articles?until=9999-12-31", "/api/events?since=0001-01-01&until=9999-12-31", "/api/articles?offset=10000", "/api/events?actor=zz", "/api/dyads/A/B",
    "/api/actors?prefix=Q", "/?q=%3Cscript%3E", "/?entity=%3Cb%3E", "/api/articles?limit=100&offset=9900",
]


@pytest.mark.parametrize("url", ODD_BUT_VALID)
def test_odd_but_valid_requests_are_answered(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 200, url


def test_serve_binds_to_loopback_by_default_and_checks_its_arguments(
    monkeypatch: pytest.MonkeyPatch, web_db: tuple[Path, dict[str, str]], run_cli, tmp_path: Path  # noqa: ANN001
) -> None:
    parser = argparse.ArgumentParser()
    serve_command.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    started: dict[str, object] = {}
    monkeypatch.setenv("NEWSMILL_DB", "")  # restored after the test: --workers sets it
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.update(kw, app=app))
    assert run_cli("serve", "--db", web_db[0], "--port", "8123").code == 0
    assert started["host"] == "127.0.0.1" and started["port"] == 8123
    missing = run_cli("serve", "--db", tmp_path / "none.duckdb")
    assert missing.code == 2 and "no such database" in missing.err
    assert run_cli("serve", "--db", web_db[0], "--port", "70000").code == 2
    assert run_cli("serve", "--db", web_db[0], "--workers", "0").code == 2
    assert run_cli("serve", "--db", web_db[0], "--workers", "3").code == 0
    assert started["workers"] == 3 and started["factory"] is True
    assert started["app"] == "newsmill.web.app:app_from_environment"


def test_static_files_stay_inside_the_static_folder(client: TestClient) -> None:
    for url in ("/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/vendor/%2e%2e/%2e%2e/queries.py"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "create_app" not in r.text


def test_an_unexpected_failure_is_a_500_with_headers_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, web_db: tuple[Path, dict[str, str]]
) -> None:
    from newsmill.web import queries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals /home/someone/db")

    monkeypatch.setattr(queries, "runs", broken)
    client = TestClient(create_app(web_db[0]), raise_server_exceptions=False)
    for url, kind in (("/api/runs", "application/json"), ("/runs", "text/html")):
        r = client.get(url)
        assert r.status_code == 500 and r.headers["content-type"].startswith(kind)
        assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "RuntimeError" in r.text and "secret internals" not in r.text
