"""A small fictional news database for the web tests: pages from two made-up sites, one hostile page, and
hand-written enrichments (entities, quotes, places, events) so that actor, dyad, network and map pages
have data. Velmont (VLM) and Kessaria (KSR) are invented countries; every story here is invented.

``build_web_db(folder)`` ingests the pages with the real pipeline and stores the enrichments through the
store's writer, and returns the database path and the ids of the articles by slug.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import fictional_news
from fictional_news import Site, Story

from newsmill.enrichment.models import Enrichment, Entity, Event, Place, Quote, enrichment_text

#: Payloads a hostile page carries in its headline, byline, tags, body and URL; none may ever run.
SCRIPT_PAYLOAD = "<script>window.__pwned = 1</script>"
ONERROR_PAYLOAD = '<img src=x onerror="window.__pwned = 2">'
SVG_PAYLOAD = '"><svg onload="window.__pwned = 3">'
JAVASCRIPT_URL = "javascript:window.__pwned = 4"
#: A name that would end a <script> data block early if it were not escaped inside the JSON.
BREAKOUT_PAYLOAD = "</script><script>window.__pwned = 5</script>"


DISPATCH = Site(
    "The Marlow Ridge Dispatch", "www.marlowridge-dispatch.example", "en",
    ("World", "Region", "Business", "Sport", "Opinion"),
    ("Ridge tram extension opens in May", "Marlow Ridge Athletic reach cup semi-final", "Allotment waiting list hits 400"),
    "Get the morning briefing",
)
CHRONICLE = Site(
    "Eastwater Chronicle", "eastwater-chronicle.example", "en",
    ("Home", "World", "Harbour", "Money", "Culture"),
    ("Eastwater lido to reopen after repairs", "Council tax: what changes in April", "Ferry timetable for the holiday"),
    "Get the morning briefing",
)


PATROLS = Story(
    "velmont-warns-kessaria",
    "Velmont navy warns Kessaria over Tarn Strait patrols",
    "Admirals in Velmont say patrol boats will stop Kessarian trawlers entering the disputed channel.",
    ("Ilse Varnham",),
    "2025-03-03T08:15:00+00:00",
    ("Tarn Strait", "Velmont", "Kessaria"),
    (
        "The Velmont navy threatened to seize Kessarian trawlers in the Tarn Strait on Monday, the sharpest "
        "warning yet in a dispute over fishing rights that has simmered since the autumn.",
        "\u201cAny vessel that crosses the median line will be boarded,\u201d said Admiral Teodor Klane, who commands "
        "the northern fleet from the port of Orlin.",
        "Kessaria's foreign ministry called the statement reckless and said its fishing fleet would keep working "
        "the grounds it has used for generations, according to a statement released in Sarvik.",
        "Diplomats in both capitals said no talks were planned, although harbour officials in Orlin reported "
        "that several trawlers had already turned back.",
    ),
)
RECALL = Story(
    "kessaria-recalls-ambassador",
    "Kessaria recalls its ambassador after strait boarding",
    "The recall follows the boarding of a Kessarian trawler by Velmont sailors near the median line.",
    ("Ilse Varnham",),
    "2025-03-12T17:40:00+00:00",
    ("Tarn Strait", "Kessaria"),
    (
        "Kessaria recalled its ambassador from Velmont on Wednesday after Velmont sailors boarded a trawler and "
        "detained its crew of nine near the median line of the Tarn Strait.",
        "The Velmont navy attacked the trawler's radio mast before boarding it, the crew's union said.",
        "\u201cThis is an act of piracy,\u201d said Maren Ostrova, Kessaria's foreign minister, speaking in Sarvik.",
        "Velmont's defence ministry said the boarding was lawful and that the crew would be released once the "
        "catch had been inspected in Orlin.",
    ),
)
TALKS = Story(
    "strait-talks-agreed",
    "Velmont and Kessaria agree to strait talks in Orlin",
    "Both governments will send negotiators to Orlin next week, easing a month of confrontation at sea.",
    ("Tomas Reddick",),
    "2025-03-24T10:05:00+00:00",
    ("Tarn Strait", "Diplomacy"),
    (
        "The governments of Velmont and Kessaria agreed on Monday to hold talks on fishing rights in the Tarn "
        "Strait, a month after the boarding of a Kessarian trawler brought the two close to a naval clash.",
        "Velmont's government invited Kessarian negotiators to Orlin, and Kessaria accepted the invitation "
        "within hours, officials on both sides said.",
        "\u201cWe want the boats back at work and the sailors back home,\u201d said Maren Ostrova after the "
        "announcement in Sarvik.",
    ),
)
HOSTILE = Story(
    "harbour-fees-hostile",
    f"Harbour fees rise again {SCRIPT_PAYLOAD}",
    f"Traders say the increase is steep {ONERROR_PAYLOAD}",
    (f"Pell Sorrow {SVG_PAYLOAD}",),
    "2025-03-20T09:00:00+00:00",
    (f"Harbour {ONERROR_PAYLOAD}",),
    (
        f"Harbour fees in Eastwater will rise by eight per cent from April, the port authority said on Thursday "
        f"{SCRIPT_PAYLOAD}, in a notice pinned to the gate of the fish market.",
        f"Stallholders said the rise would be passed on to customers {ONERROR_PAYLOAD} and that the market "
        f"could lose its Saturday traders to the retail park outside town.",
        f"A spokesperson for the authority said the money would pay for new pontoons {SVG_PAYLOAD} and for "
        f"dredging the inner basin, which has not been done for eleven years.",
    ),
)
STORIES = (PATROLS, RECALL, TALKS, HOSTILE)


def news_page(site: Site, story: Story, *, url: str) -> str:
    """The story inside the site's boilerplate; every text is HTML-escaped, as a real CMS writes it. No
    JSON-LD: these sites' metadata is in meta tags and the byline only."""
    return fictional_news.news_page(site, story, url=url, jsonld=False)


def write_pages(folder: Path) -> dict[str, tuple[Path, str]]:
    """The inputs: the Dispatch's stories as page files, and a crawl (JSONL) holding the hostile page under a
    ``javascript:`` URL and the patrols story syndicated on the Chronicle. Returns slug -> (source, locator).
    """
    import json

    folder.mkdir(parents=True, exist_ok=True)
    sources: dict[str, tuple[Path, str]] = {}
    for story in (PATROLS, RECALL, TALKS):
        path = folder / f"{story.slug}.html"
        path.write_text(news_page(DISPATCH, story, url=f"https://{DISPATCH.host}/world/{story.slug}"), encoding="utf-8")
        sources[story.slug] = (path, "")
    crawl = folder / "crawl.jsonl"
    records = [
        {"url": JAVASCRIPT_URL, "html": news_page(CHRONICLE, HOSTILE, url=JAVASCRIPT_URL)},
        # Syndicated three hours later: the earlier Dispatch page is the cluster's canonical copy.
        {"url": f"https://{CHRONICLE.host}/world/{PATROLS.slug}",
         "html": news_page(CHRONICLE, replace(PATROLS, published="2025-03-03T11:15:00+00:00"),
                           url=f"https://{CHRONICLE.host}/world/{PATROLS.slug}")},
    ]
    crawl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    sources[HOSTILE.slug] = (crawl, "line:1")
    sources["syndicated-copy"] = (crawl, "line:2")
    return sources


# --- enrichments ------------------------------------------------------------------------------------
ACTORS = {
    "VLMMIL": ("Velmont navy", "VLM", "MIL"),
    "VLMGOV": ("Velmont government", "VLM", "GOV"),
    "KSRGOV": ("Kessaria government", "KSR", "GOV"),
    "KSR": ("Kessaria", "KSR", None),
    "KSRCVL": ("Kessarian fishers", "KSR", "CVL"),
}
PLACES = {"Orlin": (54.2, 11.6, "VLM"), "Sarvik": (57.9, 16.3, "KSR"), "Tarn Strait": (56.0, 13.8, None)}


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _entity(text: str, mention: str, code: str, label: str = "ORG", aliases: tuple[str, ...] = ()) -> Entity:
    start, end = _span(text, mention)
    name, country, sector = ACTORS[code]
    return Entity(text=mention, start=start, end=end, label=label, canonical=name, actor_code=code,
                  country=country, sector=sector, aliases=list(aliases), method="table")


def _place(text: str, mention: str) -> Place:
    start, end = _span(text, mention)
    lat, lon, country = PLACES[mention]
    return Place(text=mention, start=start, end=end, name=mention, country=country,
                 feature="region" if mention == "Tarn Strait" else "city", lat=lat, lon=lon)


def _event(text: str, sentence_start: str, trigger: str, actor: str, target: str, plover: str, cameo: str,
           goldstein: float, quad: int, day: str) -> Event:
    start = text.index(sentence_start)
    ends = [i for i in (text.find(". ", start), text.find(".\n", start)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return Event(
        sentence=0, sentence_text=text[start:end], start=start, end=end, trigger=trigger,
        actor=ACTORS[actor][0], actor_code=actor, actor_name=ACTORS[actor][0],
        target=ACTORS[target][0], target_code=target, target_name=ACTORS[target][0],
        cameo=cameo, plover=plover, goldstein=goldstein, quad_class=quad, date=day, confidence=0.8,
    )


def enrichments_for(article_text: dict[str, str], ids: dict[str, str]) -> list[Enrichment]:
    """Hand-coded enrichments of the Velmont-Kessaria stories; offsets found in each article's text."""
    out = []
    t = article_text[PATROLS.slug]
    out.append(Enrichment(
        article_id=ids[PATROLS.slug], language="en",
        entities=[_entity(t, "Velmont navy", "VLMMIL", aliases=("Velmont Naval Command",)),
                  _entity(t, "Kessaria", "KSR", label="GPE")],
        quotes=[Quote(kind="direct", quote="Any vessel that crosses the median line will be boarded",
                      claim="Any vessel that crosses the median line will be boarded", start=_span(t, "Any vessel")[0],
                      end=_span(t, "boarded")[1], speaker="Admiral Teodor Klane", cue="said", cue_lemma="say")],
        places=[_place(t, "Tarn Strait"), _place(t, "Orlin"), _place(t, "Sarvik")],
        events=[_event(t, "The Velmont navy threatened", "threatened to seize", "VLMMIL", "KSRCVL", "THREATEN", "138",
                       -7.0, 3, "2025-03-03")],
    ))
    t = article_text[RECALL.slug]
    out.append(Enrichment(
        article_id=ids[RECALL.slug], language="en",
        entities=[_entity(t, "Kessaria", "KSRGOV", label="GPE"), _entity(t, "Velmont navy", "VLMMIL")],
        places=[_place(t, "Tarn Strait"), _place(t, "Sarvik"), _place(t, "Orlin")],
        events=[
            _event(t, "Kessaria recalled its ambassador", "recalled its ambassador", "KSRGOV", "VLMGOV", "REDUCE", "161",
                   -4.0, 3, "2025-03-12"),
            _event(t, "The Velmont navy attacked", "attacked", "VLMMIL", "KSRCVL", "ASSAULT", "190", -10.0, 4,
                   "2025-03-11"),
        ],
    ))
    t = article_text[TALKS.slug]
    out.append(Enrichment(
        article_id=ids[TALKS.slug], language="en",
        entities=[_entity(t, "Velmont", "VLMGOV", label="GPE"), _entity(t, "Kessaria", "KSRGOV", label="GPE")],
        places=[_place(t, "Orlin"), _place(t, "Sarvik")],
        events=[
            _event(t, "Velmont's government invited", "invited", "VLMGOV", "KSRGOV", "CONSULT", "036", 4.0, 1,
                   "2025-03-24"),
            _event(t, "The governments of Velmont and Kessaria agreed", "agreed", "KSRGOV", "VLMGOV", "AGREE", "057",
                   8.0, 1, "2025-03-24"),
        ],
    ))
    t = article_text[HOSTILE.slug]
    start, end = _span(t, SCRIPT_PAYLOAD)
    sentence_start = t.index("Harbour fees in Eastwater")
    sentence_end = t.index(".", end) + 1
    out.append(Enrichment(
        article_id=ids[HOSTILE.slug], language="en",
        entities=[Entity(text=SCRIPT_PAYLOAD, start=start, end=end, label="ORG", canonical=BREAKOUT_PAYLOAD,
                         actor_code="EVL", aliases=[ONERROR_PAYLOAD], method="ner")],
        places=[Place(text=SCRIPT_PAYLOAD, start=start, end=end, name=BREAKOUT_PAYLOAD, feature="city",
                      lat=50.0, lon=1.0)],
        events=[Event(sentence=2, sentence_text=t[sentence_start:sentence_end], start=sentence_start, end=sentence_end,
                      trigger="rise", actor=BREAKOUT_PAYLOAD, actor_code="EVL", actor_name=BREAKOUT_PAYLOAD,
                      target=ACTORS["KSR"][0], target_code="KSR", target_name=ACTORS["KSR"][0], cameo="112",
                      plover="ACCUSE", goldstein=-2.0, quad_class=3, date="2025-03-20")],
    ))
    return out


def build_web_db(folder: Path) -> tuple[Path, dict[str, str]]:
    """Ingest the pages into ``folder/web.duckdb`` and store the enrichments; returns (db, ids by slug)."""
    import newsmill
    from newsmill.store import Store
    from newsmill.store.enrichments import write_enrichments

    sources = write_pages(folder / "pages")
    db = folder / "web.duckdb"
    newsmill.ingest([folder / "pages"], db=db, workers=1)
    with Store(db) as store:
        ids = {}
        texts = {}
        for slug, (path, locator) in sources.items():
            row = store.con.execute(
                "SELECT article_id FROM pages WHERE source = ? AND locator = ?", [str(path), locator]
            ).fetchone()
            assert row is not None and row[0], f"{path} {locator} was not stored as an article"
            ids[slug] = row[0]
            article = store.article(row[0])
            assert article is not None
            texts[slug] = enrichment_text(article)
        store.con.execute("BEGIN")
        write_enrichments(store.con, enrichments_for(texts, ids), stage="test_v1")
        store.con.execute("COMMIT")
    return db, ids
