"""The web UI in a real browser: Playwright driving Debian's chromium against `create_app` on loopback.

The store is built by ingesting fictional pages written here (a wire site's stories on militias, Iran
and the US in Iraq, wrapped in realistic boilerplate) and enriching them with ``newsmill.enrich_store``,
so actor and dyad pages have real events. Two more pages carry script, event-handler and ``javascript:``
payloads in the title, byline, body, caption, tags, JSON-LD and URL: the tests show that none of them
runs anywhere in the UI, that the payload text is shown as text, and that the Content-Security-Policy is
sent and enforced. Screenshots go to test-artifacts/browser/ (git-ignored).

Chromium is found as ``$NEWSMILL_CHROMIUM``, ``chromium`` or ``chromium-browser`` on PATH; without it the
tests skip, unless ``NEWSMILL_REQUIRE_BROWSER`` is set (``.ci/run`` sets it), where they fail.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The launch flags the issue prescribes: no sandbox (containers), no GPU, and nothing that would try
#: to reach the internet (the machine has none) or slow the start down.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
#: Milliseconds a page element may take to appear: pages render in tens of ms locally, charts in a few
#: hundred; 15 s absorbs a heavily loaded CI machine without hiding a page that never renders.
WAIT_MS = 15_000

# --- hostile input ----------------------------------------------------------------------------------
#: What every payload tries to do: leave a mark a test can read, rename the tab, open a dialog.
PAYLOAD_JS = "window.__pwned=(window.__pwned||0)+1;document.title='PWNED';alert('xss')"
PWNED_TITLE = "PWNED"


def find_chromium() -> str | None:
    configured = os.environ.get("NEWSMILL_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


# --- fictional pages --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Story:
    slug: str
    headline: str
    published: str
    author: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ("Middle East", "Iraq")


WIRE_STORIES = (
    Story(
        "militias-threaten-us-forces", "Militias threaten US forces in Iraq", "2025-01-06T08:10:00+00:00",
        "Delphine Carrow",
        (
            "Iran-backed militias threatened on Monday to attack American troops in Iraq unless Washington "
            "withdrew its forces by the end of the month.",
            "The US State Department condemned the threats and said American forces would stay in Iraq at the "
            "request of the Iraqi government.",
            "Iraqi Prime Minister Mohammed Shia al-Sudani met the US ambassador in Baghdad on Tuesday to discuss "
            "security at the bases, his office said.",
            "Two bases in western Iraq have been hit by drones three times since December, according to a US "
            "defence official who asked not to be named because he was not allowed to brief reporters.",
        ),
    ),
    Story(
        "iran-warns-washington", "Iran warns Washington over strikes in Iraq", "2025-01-20T11:45:00+00:00",
        "Osric Lockhart",
        (
            "Iran threatened the United States on Sunday with a response to any strike on armed groups in "
            "Iraq, a foreign ministry spokesman said in Tehran.",
            "The United States accused Iran of arming the militias that attacked its bases in Iraq this month.",
            "Iraq's foreign minister urged both governments to keep their dispute off Iraqi soil and called "
            "for talks in Baghdad.",
            "Oil prices rose slightly after the exchange, traders in London said, before falling back by the "
            "end of the day.",
        ),
    ),
    Story(
        "rockets-hit-base", "Rockets hit base hosting US troops near Baghdad", "2025-02-03T06:30:00+00:00",
        "Priya Stainforth",
        (
            "Militants fired rockets at a base hosting US troops near Baghdad airport early on Monday, Iraqi "
            "security officials said. No one was hurt.",
            "The United States blamed Iran-backed militias for the attack and threatened to strike back.",
            "Iran denied any role and warned the United States against what it called reckless escalation.",
            "Iraqi police found a burnt-out truck carrying a rocket launcher in a field two kilometres from "
            "the airport, a police spokesman said.",
        ),
    ),
)
WIRE_SITE = "The Meridian Wire"
WIRE_HOST = "www.meridian-wire.example"
#: Words that appear only in the wire site's boilerplate, never in a story: the struck-through lines.
WIRE_BOILERPLATE = ("Most read on Meridian", "Sign up for the Meridian Morning briefing")


def wire_page(story: Story) -> str:
    e = html.escape
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.headline,
        "datePublished": story.published, "author": {"@type": "Person", "name": story.author},
        "publisher": {"@type": "Organization", "name": WIRE_SITE}, "keywords": list(story.tags),
    }
    body = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(story.headline)} | {WIRE_SITE}</title>
<link rel="canonical" href="https://{WIRE_HOST}/world/{story.slug}">
<meta property="og:site_name" content="{WIRE_SITE}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<div class="topbar"><a href="/">{WIRE_SITE}</a> <a href="/login">Sign in</a> <a href="/subscribe">Subscribe</a></div>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/markets">Markets</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/video">Video</a></li></ul></nav>
<div class="cookie-banner">We use cookies to measure how our site is used and to show you relevant advertising.
<button>Accept all</button> <button>Manage choices</button></div>
<main><article>
<h1>{e(story.headline)}</h1>
<p class="byline">By {e(story.author)}</p>
<time datetime="{story.published}">{story.published[:10]}</time>
{body}
<p class="tags">Topics: {", ".join(f'<a href="/topic/{e(t)}">{e(t)}</a>' for t in story.tags)}</p>
</article></main>
<aside><h2>{WIRE_BOILERPLATE[0]}</h2><ol>
<li><a href="/a">Central bank holds rates for a third month</a></li>
<li><a href="/b">Storm closes ports along the northern coast</a></li>
<li><a href="/c">Football: cup final moved to a new date</a></li></ol></aside>
<div class="newsletter"><h3>{WIRE_BOILERPLATE[1]}</h3><p>The day's top stories in your inbox every weekday at 6am.</p>
<form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>
<footer><p>© 2025 Meridian Wire Ltd. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


HOSTILE_SITE = "The Kelpmouth Clarion"
#: Each hostile copy's own paragraphs, so that the copies are different stories, not near duplicates.
HOSTILE_FILLER = (
    (
        "Fishermen's association secretary Tamsin Carrow said members had asked for lights on the north quay "
        "since 2019, but wanted to see where the poles would stand first. \"Nobody is against lights,\" she "
        "said. \"We are against surprises.\"",
        "The harbour master, Gideon Polglase, said the current lamps were installed in the 1970s and that "
        "replacement parts were no longer made. Two of the eleven lamps have not worked since January.",
        "Councillor Hester Rowe, who represents the harbour ward, said she would ask the county council whether "
        "a road safety grant could cover part of the cost.",
    ),
    (
        "Stallholders at the fish market said their vans were loaded before dawn in near darkness, and that a "
        "porter broke his wrist on the wet cobbles in November.",
        "Market superintendent Linnea Jessop told the meeting the market's own budget could not pay for poles "
        "and cabling, and asked the commissioners to share the bill with the town council.",
        "Several traders asked for the lamps to be shielded so that they would not dazzle crews steering into "
        "the inner basin at night.",
    ),
    (
        "Ferry operator Quarrie Lines said its evening crossings to the islands already use floodlights "
        "mounted on the vessels, which light the ramp but not the waiting area.",
        "Passengers waiting for the last sailing of the day often stand in the dark beside the vehicle lanes, "
        "according to a survey by the island community council.",
        "Island councillor Soren Ormerod said the slip needed railings as much as it needed lights, and that "
        "the two should be installed together to save on contractors.",
    ),
)


def hostile_page(variant: int) -> str:
    """A local story with payloads in every field the UI shows; ``variant`` makes each copy its own story."""
    e = html.escape
    quay = ("north quay", "fish market", "ferry slip")[variant]
    headline = f"Quay lights vote <img src=x onerror=\"{PAYLOAD_JS}\"> delayed at the {quay}"
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
        "datePublished": f"2025-03-0{4 + variant}T09:30:00+00:00",
        "author": {"@type": "Person", "name": f"Morwenna Tregear<script>{PAYLOAD_JS}</script>"},
        "keywords": [f"Harbour<svg onload=\"{PAYLOAD_JS}\">", "javascript:alert(1)"],
    }
    filler = "\n".join(f"<p>{e(p)}</p>" for p in HOSTILE_FILLER[variant])
    ld_json = json.dumps(ld).replace("</", "<\\/")  # as sites do: "</script>" inside it would end the element
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{e(headline)} | {HOSTILE_SITE}</title>
<link rel="canonical" href="javascript:{e(PAYLOAD_JS)}//">
<meta property="og:url" content="javascript:{e(PAYLOAD_JS)}//">
<meta property="og:site_name" content="{HOSTILE_SITE}">
<meta property="article:tag" content="&lt;script&gt;{e(PAYLOAD_JS)}&lt;/script&gt;">
<script type="application/ld+json">{ld_json}</script>
<script>{PAYLOAD_JS}</script>
</head><body onload="{e(PAYLOAD_JS)}">
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="javascript:{e(PAYLOAD_JS)}">Sport</a></nav></header>
<div class="cookie">We use cookies to improve your experience. <button onclick="{e(PAYLOAD_JS)}">Accept all</button></div>
<article>
<h1>{e(headline)}</h1>
<p class="byline">By Morwenna Tregear</p>
<figure><img src="x" onerror="{e(PAYLOAD_JS)}"><figcaption>The {quay} at dusk &lt;svg onload="{e(PAYLOAD_JS)}"&gt; Photo: Clarion staff</figcaption></figure>
<p>Kelpmouth harbour commissioners postponed a vote on new lights for the {quay} on Tuesday after fishermen said the plan &lt;script&gt;{e(PAYLOAD_JS)}&lt;/script&gt; had never been shown to them.</p>
<p>The commissioners' chair, Idris Penhallow, said the board would meet the fishermen's association again before the end of March, and that nothing would be installed before the summer.</p>
<p>A link in the consultation, <a href="javascript:{e(PAYLOAD_JS)}">read the full plan</a>, pointed nowhere, residents said; others pasted &lt;a href="javascript:{e(PAYLOAD_JS)}"&gt;this&lt;/a&gt; into the comments.</p>
<p>The United States condemned Iran &lt;img src=x onerror="{e(PAYLOAD_JS)}"&gt; for the attacks, a visiting American diplomat told the harbour's trade fair, to the surprise of the stallholders.</p>
{filler}
<p onmouseover="{e(PAYLOAD_JS)}">The lights would cost about eighty thousand pounds, paid from the harbour's maintenance reserve, the commissioners said in a statement.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Lifeboat crew called out twice in one night</a></li><li><a href="/b">Ferry timetable changes from April</a></li></ul></aside>
<footer>© 2025 Kelpmouth Clarion Media. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


#: URLs the hostile records claim: a script URL, and an http URL that tries to break out of an attribute.
HOSTILE_URLS = (
    f"javascript:{PAYLOAD_JS}//",
    f"https://www.kelpmouth-clarion.example/news/quay\"><script>{PAYLOAD_JS}</script><a href=\"x",
)


def write_pages(folder: Path) -> None:
    """The wire stories and one hostile page as HTML files; two hostile pages as JSONL records (with URLs)."""
    folder.mkdir(parents=True, exist_ok=True)
    for story in WIRE_STORIES:
        (folder / f"{story.slug}.html").write_text(wire_page(story), encoding="utf-8")
    (folder / "quay-lights.html").write_text(hostile_page(0), encoding="utf-8")
    with open(folder / "hostile-records.jsonl", "w", encoding="utf-8") as f:
        for variant, url in enumerate(HOSTILE_URLS, start=1):
            f.write(json.dumps({"url": url, "html": hostile_page(variant)}) + "\n")


# --- the store, the server, the browser ----------------------------------------------------------------
@dataclass
class WebStore:
    db: Path
    pages: Path
    ids: dict[str, str]  # title prefix -> article id
    dyad: tuple[str, str]  # the actor pair with the most events


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        reason = "no chromium binary (install Debian's `chromium` package, or set NEWSMILL_CHROMIUM)"
        if os.environ.get("NEWSMILL_REQUIRE_BROWSER"):
            pytest.fail(reason + "; NEWSMILL_REQUIRE_BROWSER is set")
        pytest.skip(reason)
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    return path


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> WebStore:
    import duckdb

    import newsmill

    root = tmp_path_factory.mktemp("web")
    pages, db = root / "pages", root / "news.duckdb"
    write_pages(pages)
    report = newsmill.ingest([pages], db=db, workers=1)
    assert report.run.records == len(WIRE_STORIES) + 1 + len(HOSTILE_URLS), report
    newsmill.enrich_store(db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = {title: article_id for article_id, title in con.execute("SELECT id, title FROM articles").fetchall()}
        pair = con.execute(
            "SELECT actor_code, target_code FROM events WHERE actor_code IS NOT NULL AND target_code IS NOT NULL "
            "GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    assert len(ids) == len(WIRE_STORIES) + 1 + len(HOSTILE_URLS), ids
    assert pair is not None, "the wire stories gave no event with both actor and target codes"
    return WebStore(db, pages, ids, (pair[0], pair[1]))


@pytest.fixture(scope="module")
def server(web_store: WebStore) -> Iterator[str]:
    """The app on 127.0.0.1 (a free port, taken by binding port 0), in a thread; its base URL."""
    import uvicorn

    from newsmill.web.app import create_app

    app = create_app(web_store.db, source_dirs=[web_store.pages])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_MS / 1000
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@dataclass
class Watch:
    """What the page did that it must not: dialogs, CSP violations (console and DOM events), page errors."""

    dialogs: list[str] = field(default_factory=list)
    csp_console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


# Runs before any page script: records CSP violations as the page sees them (evidence that something was
# injected and blocked) without being subject to the CSP itself.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || ''));
});
"""


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A persistent chromium context on a fresh user-data dir (nothing from a previous run)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(_RECORD_CSP_VIOLATIONS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    tab = browser.new_page()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("console", lambda m: watch.csp_console.append(m.text) if "Content Security Policy" in m.text else None)
    tab.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    yield tab, watch
    tab.close()


def screenshot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_nothing_ran(tab: Any, watch: Watch) -> None:
    assert tab.evaluate("window.__pwned") is None, "a payload ran"
    assert tab.title() != PWNED_TITLE  # the payload's own text may be in the title, escaped
    assert watch.dialogs == [], watch.dialogs
    # A violation means markup got into the page unescaped and only the CSP stopped it.
    assert tab.evaluate("window.__cspViolations") == [], "CSP violations: markup got into the page"
    assert watch.csp_console == [], watch.csp_console
    script_urls = tab.evaluate(
        "[...document.querySelectorAll('[href], [src], [action], [formaction]')].flatMap(el =>"
        " ['href', 'src', 'action', 'formaction'].map(n => el.getAttribute(n) || '')"
        ".filter(v => /^\\s*javascript:/i.test(v)).map(v => el.tagName + ' ' + v))"
    )
    assert script_urls == [], f"javascript: URLs in the page: {script_urls}"
    assert tab.locator("script:not([src]):not([type='application/json'])").count() == 0, "an inline script"
    handlers = tab.evaluate(
        "[...document.querySelectorAll('*')].flatMap(el => [...el.attributes].filter(a => /^on/i.test(a.name))"
        ".map(a => el.tagName + ' ' + a.name))"
    )
    assert handlers == [], f"event-handler attributes in the page: {handlers}"


# --- the tests -------------------------------------------------------------------------------------
def test_search_open_article_and_toggle_boilerplate(server: str, web_store: WebStore, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    tab.goto(server + "/")
    tab.get_by_test_id("search-input").fill("rockets Baghdad airport")
    tab.get_by_test_id("search-submit").click()
    tab.wait_for_url("**/?q=*")
    results = tab.get_by_test_id("result-link")
    results.first.wait_for()
    assert results.first.inner_text() == "Rockets hit base hosting US troops near Baghdad"
    screenshot(tab, "search")

    results.first.click()
    tab.wait_for_url(f"**/articles/{web_store.ids['Rockets hit base hosting US troops near Baghdad']}")
    clean, original = tab.get_by_test_id("clean-view"), tab.get_by_test_id("original-view")
    assert clean.is_visible() and not original.is_visible()
    assert "burnt-out truck carrying a rocket launcher" in clean.inner_text()
    assert not any(words in clean.inner_text() for words in WIRE_BOILERPLATE)
    screenshot(tab, "article")

    tab.get_by_test_id("boilerplate-toggle").click()
    original.wait_for(state="visible")
    assert not clean.is_visible()
    # The removed boilerplate is shown struck through, each block with its role.
    struck = original.locator("[data-testid=block][data-role=boilerplate] del")
    struck_text = " ".join(struck.all_inner_texts())
    assert all(words in struck_text for words in WIRE_BOILERPLATE), struck_text
    body_blocks = original.locator("[data-testid=block][data-role=body]")
    assert "burnt-out truck" in " ".join(body_blocks.all_inner_texts())
    screenshot(tab, "article-original-page")

    tab.get_by_test_id("boilerplate-toggle").click()
    clean.wait_for(state="visible")
    assert not original.is_visible()
    assert_nothing_ran(tab, watch)


def test_actor_page_and_dyad_chart(server: str, web_store: WebStore, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    actor, target = web_store.dyad
    tab.goto(server + "/actors")
    tab.get_by_test_id("actors-table").get_by_role("link", name=actor, exact=True).click()
    tab.wait_for_url(f"**/actors/{actor}")
    assert actor in tab.get_by_test_id("actor-name").inner_text()
    chart = tab.get_by_test_id("actor-chart")
    chart.locator("svg, canvas").first.wait_for()
    screenshot(tab, "actor")

    tab.locator(f"[data-testid=dyad-link][href$='b={target}']").first.click()
    tab.wait_for_url(f"**/dyad?a={actor}&b={target}*")
    chart = tab.get_by_test_id("dyad-chart")
    drawn = chart.locator("svg, canvas").first
    drawn.wait_for()
    box = drawn.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50, box
    # Vega draws SVG marks (or canvas pixels) only once the data and spec are valid.
    if chart.locator("svg").count():
        assert chart.locator("svg .mark-line path, svg .mark-rect path, svg .mark-bar path, svg path").count() > 0
    assert tab.get_by_test_id("dyad-events").locator("tbody tr").count() >= 1
    screenshot(tab, "dyad")
    assert watch.page_errors == [], watch.page_errors
    assert_nothing_ran(tab, watch)


def test_hostile_pages_run_nothing_anywhere(server: str, web_store: WebStore, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    hostile = [i for t, i in web_store.ids.items() if t and t.startswith("Quay lights vote")]
    assert len(hostile) == 1 + len(HOSTILE_URLS)

    response = tab.goto(server + "/?q=quay+lights")
    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, csp
    assert tab.get_by_test_id("result-link").count() == len(hostile)
    # The payload is on the page, as text: escaped, not dropped (else this test would prove nothing).
    assert "onerror=" in tab.get_by_test_id("result-link").first.inner_text()
    screenshot(tab, "hostile-search")
    assert_nothing_ran(tab, watch)

    seen_text, source_links = "", 0
    for number, article_id in enumerate(hostile):
        for view in ("text", "page"):
            response = tab.goto(f"{server}/articles/{article_id}?view={view}")
            assert response is not None and response.status == 200
            assert "script-src 'self'" in response.headers.get("content-security-policy", "")
            tab.mouse.move(400, 400)  # hover-triggered handlers (onmouseover) get their chance
            seen_text += tab.locator("main").inner_text()
            # A hostile URL is never a link, and an http one cannot break out of its attribute.
            for link in tab.get_by_test_id("source-link").all():
                assert (link.get_attribute("href") or "").startswith("https://www.kelpmouth-clarion.example/")
                source_links += 1
            screenshot(tab, f"hostile-article-{number}-{view}")
            assert_nothing_ran(tab, watch)
    for payload in ("<script>", "onerror=", "<svg onload=", "javascript:"):
        assert payload in seen_text, f"{payload!r} not shown as text on any hostile article page"
    assert source_links == 2, "the http URL with a quote in it is linked on both views of its article"

    for path in ("/actors", "/network", "/map", "/runs", "/duplicates",
                 f"/dyad?a={web_store.dyad[0]}&b={web_store.dyad[1]}"):
        response = tab.goto(server + path)
        assert response is not None and response.status == 200, path
        tab.wait_for_load_state("networkidle")
        # Charts are drawn from data that includes hostile text (sentences, names): they must still draw.
        for chart in tab.locator("div.chart[data-chart-spec]").all():
            chart.locator("svg, canvas").first.wait_for()
        screenshot(tab, "hostile-" + path.strip("/").split("?")[0])
        assert_nothing_ran(tab, watch)
    assert watch.page_errors == [], watch.page_errors


def test_csp_blocks_script_injected_into_the_page(server: str, page: tuple[Any, Watch]) -> None:
    """Second line of defence: even markup that got in could not run, because the CSP is enforced."""
    tab, watch = page
    tab.goto(server + "/")
    tab.evaluate(
        """() => {
        const s = document.createElement('script');
        s.textContent = "window.__pwned = 1";
        document.body.appendChild(s);
        const img = document.createElement('img');
        img.setAttribute('src', 'data:,x');
        img.setAttribute('onerror', 'window.__pwned = 2');
        document.body.appendChild(img);
        }"""
    )
    tab.wait_for_function("window.__cspViolations.length >= 2")  # the script and the handler, both refused
    assert tab.evaluate("window.__pwned") is None
    violations = tab.evaluate("window.__cspViolations")
    assert all(v.startswith("script-src") for v in violations), violations
    assert watch.dialogs == []
