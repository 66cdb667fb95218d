"""Fictional news pages and WARC records for the ingest tests (sites, stories and archives made up here).

``news_page(site, story)`` (from fictional_news) wraps a story in a site's boilerplate, so that the same
story on two sites is a near duplicate the way a syndicated wire copy is. ``warc_response`` and
``write_warc`` build WARC/1.0 response records by hand, gzipped per record as Common Crawl writes them.
"""

from __future__ import annotations

import gzip
import html
import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

# Site, Story, news_page and story_url are imported from here by the ingest, store and search tests.
from fictional_news import Site, Story, nav_list, news_page, story_url

KESTREL = Site(
    "The Kestrel Bay Gazette", "www.kestrelbay-gazette.example", "en-GB",
    ("News", "Business", "Sport", "Opinion", "Weather", "Obituaries"),
    ("Lifeboat volunteers honoured at harbour ceremony", "Bypass roadworks to close Mill Lane for a month",
     "Kestrel Bay Rovers sign goalkeeper on loan"),
    "The Bay Briefing", "Kestrel Bay Media Ltd",
)
LOWMOOR = Site(
    "Lowmoor Evening Star", "www.lowmoor-star.example", "en-GB",
    ("Home", "Local", "Politics", "Money", "Sport", "Lifestyle"),
    ("Market hall traders fear rent rise", "New bus timetable explained", "Five walks for the long weekend"),
    "Star at Six", "Lowmoor Star Publishing",
)
ASHCOMBE = Site(
    "Ashcombe Courier", "ashcombe-courier.example", "en-US",
    ("Latest", "Region", "Nation", "Business", "Arts", "Sports"),
    ("County fair draws record crowds", "School board approves new calendar", "Storm knocks out power on Ridge Road"),
    "Courier Daily", "Ashcombe News Group",
)
SITES = (KESTREL, LOWMOOR, ASHCOMBE)

WIRE_RAIL = Story(
    "coastal-rail-line-reopens", "Coastal rail line reopens two years after cliff collapse",
    "Trains will run again between Kestrel Bay and Marram Head from Monday after a repair costing 41 million.",
    ("Tamsin Okafor",), "2024-05-03T06:30:00+00:00", ("Rail", "Transport"),
    (
        "Passenger trains will run again on the coastal line between Kestrel Bay and Marram Head from Monday, "
        "two years after a cliff collapse swept away a section of track near Gullstone cutting.",
        "Engineers have built a reinforced concrete shelf along 300 metres of the route and drilled more than "
        "900 anchors into the rock face above it, the network operator said on Friday.",
        "The repair cost 41 million and took longer than planned after storms in the first winter washed away "
        "the temporary access road that crews had cut along the beach below the cliffs.",
        "Replacement buses have carried around 2,000 passengers a day while the line was closed, adding up to "
        "fifty minutes to journeys for students travelling to the college at Marram Head.",
        "The first train is due to leave Kestrel Bay at 05:52 on Monday, and the operator said a full timetable "
        "would run from the first day, with extra carriages on the morning services for the first fortnight.",
        "Local councillors welcomed the reopening but asked for a long-term plan for the rest of the coastal "
        "section, where surveyors have identified three other stretches of cliff that are eroding quickly.",
    ),
)
#: The same wire story, updated: one paragraph edited, one added (a near duplicate, not an exact one).
WIRE_RAIL_UPDATED = replace(
    WIRE_RAIL,
    paragraphs=WIRE_RAIL.paragraphs[:3]
    + (
        "Replacement buses have carried around 2,100 passengers a day while the line was closed, adding as much "
        "as fifty minutes to journeys for students travelling to the college at Marram Head.",
    )
    + WIRE_RAIL.paragraphs[4:]
    + ("The operator said tickets bought for the replacement buses would be valid on trains until the end of May.",),
)
FERRY_VOTE = Story(
    "ferry-crews-vote-to-strike", "Ferry crews vote to strike over night sailings",
    "Crews on the Marram Sound ferries will walk out for two days later this month.",
    ("Idris Vantongeren",), "2024-05-06T08:15:00+00:00", ("Ferries", "Strikes"),
    (
        "Ferry crews on the Marram Sound crossings have voted to strike for two days later this month in a "
        "dispute over staffing on the last sailings of the night.",
        "Members of the seafarers' union backed the walkout by 204 votes to 33, the union said, after the "
        "operator announced it would cut one deckhand from each of the two late departures.",
        "The union's organiser said a crew of three could not safely manage a full car deck and the passenger "
        "lounge in winter weather, and that members had raised the problem for more than a year.",
        "The operator said the late sailings carried fewer than forty passengers on average and that it had "
        "offered extra rest breaks and a review of the change after six months.",
        "Talks are due to resume at the conciliation service next week, and the union said it would call off "
        "the action if the four-person crews were kept while an independent safety review took place.",
    ),
)
#: Another story on the same dispute (same topic and names, different text): must NOT be merged with FERRY_VOTE.
FERRY_ISLANDERS = Story(
    "islanders-plan-for-ferry-strike", "Islanders draw up plans for two days without a ferry",
    "The island council is arranging boats for hospital patients during the strike.",
    ("Maud Penhallow",), "2024-05-08T17:40:00+00:00", ("Ferries", "Health"),
    (
        "Residents of Gannet Isle are preparing for two days without a scheduled crossing after ferry crews "
        "voted to strike, with the island council organising boats for people with hospital appointments.",
        "The council's emergency officer said the coastguard had agreed to carry patients on its launch if the "
        "weather allowed, and that a list of everyone with appointments on the strike days was being compiled.",
        "Shopkeepers on the island said they had ordered double deliveries of bread, milk and newspapers for the "
        "days before the walkout, and the island school will open as usual because its teachers live locally.",
        "The harbour master said fishing boats and freight vessels would be unaffected, and that the slipway at "
        "the north pier would stay open for small craft throughout the dispute.",
        "Several islanders said they supported the crews, pointing out that the late ferry is often the only way "
        "home for those who work evening shifts at the hospital on the mainland.",
    ),
)
LIBRARY = Story(
    "carnegie-library-reopens", "Carnegie library reopens after a two-year restoration",
    "The 1906 building has a new roof, a lift and a children's wing in the old coal store.",
    ("Priya Elsworth",), "2023-11-20T10:00:00+00:00", ("Libraries", "Heritage"),
    (
        "The Carnegie library on Chapel Street reopened on Monday after a two-year restoration that replaced its "
        "leaking slate roof and added a lift to the upper reading room.",
        "The building, which opened in 1906 with a grant from the steel magnate's foundation, had been closed "
        "since inspectors found rot in the timbers that hold up the dome above the main staircase.",
        "Volunteers moved more than 40,000 books into storage at the old drill hall while the work went on, and "
        "a temporary lending desk at the market hall stayed open three days a week.",
        "The former coal store in the basement has become a children's wing with a story corner and a small "
        "garden, paid for by a campaign that raised money through quiz nights and a sponsored swim.",
        "Opening hours will be longer than before the closure, with late evenings on Tuesdays and Thursdays and "
        "Sunday afternoons during school holidays.",
    ),
)
WIND_FARM = Story(
    "offshore-wind-farm-approved", "Offshore wind farm off Marram Head wins approval",
    "Sixty turbines will stand twelve miles out to sea, with the cable coming ashore at Saltings Beach.",
    ("Tamsin Okafor", "Gideon Marsh"), "2024-02-12T14:20:00+00:00", ("Energy", "Climate"),
    (
        "Plans for sixty wind turbines twelve miles off Marram Head were approved by the planning inspectorate "
        "on Monday, clearing the way for construction to begin next spring.",
        "The developer said the farm would generate enough electricity for around 400,000 homes and would bring "
        "about 150 permanent maintenance jobs to the harbour at Kestrel Bay.",
        "Campaigners who opposed the scheme had argued that the cable route through the dunes at Saltings Beach "
        "would disturb nesting terns, and the approval requires the work there to be done in winter.",
        "Fishermen's groups said they had reached an agreement with the developer on compensation for the loss of "
        "grounds around the turbines, which will be closed to trawling during construction.",
        "The first turbines are expected to turn in three years, and the developer has promised a community fund "
        "worth 500,000 a year for the towns along the coast.",
    ),
)
BUDGET = Story(
    "council-budget-bin-collections", "Council budget keeps weekly bin collections but raises parking fees",
    "Councillors approved the spending plan by 31 votes to 12 after a four-hour debate.",
    ("Gideon Marsh",), "2024-03-01T19:05:00+00:00", ("Council", "Politics"),
    (
        "Weekly bin collections will continue for another year after councillors approved a budget that raises "
        "parking charges in the town centre and freezes most other fees.",
        "The spending plan passed by 31 votes to 12 after a four-hour debate in which opposition members argued "
        "that higher parking charges would drive shoppers to the retail park on the bypass.",
        "The council leader said the alternative was fortnightly collections, which residents had rejected in a "
        "consultation last autumn by a margin of almost three to one.",
        "Charges at the harbour car park will rise by twenty pence an hour from April, while the first thirty "
        "minutes at the market square will stay free to help small shops.",
        "The budget also sets aside money for two new gritters and for repairs to the swimming pool roof, which "
        "has been closed since a storm damaged it in January.",
    ),
)
STORIES = (WIRE_RAIL, FERRY_VOTE, FERRY_ISLANDERS, LIBRARY, WIND_FARM, BUDGET)


def gallery_page(site: Site) -> str:
    """A picture gallery: navigation, a heading and images, no article text (extracted empty, so rejected)."""
    e = html.escape
    nav = nav_list(site)
    figures = "".join(f'<figure><img src="https://{site.host}/img/week-{i}.jpg" alt=""></figure>' for i in range(8))
    return f"""<!DOCTYPE html>
<html lang="{site.lang}"><head><meta charset="utf-8"><title>Pictures of the week | {e(site.name)}</title></head>
<body><header><p class="site-title"><a href="/">{e(site.name)}</a></p><nav><ul>{nav}</ul></nav></header>
<main><h1>Pictures of the week</h1>{figures}</main>
<footer><a href="/about/">About us</a> <a href="/contact/">Contact</a></footer>
</body></html>
"""


# --- WARC ---------------------------------------------------------------------------------------------------
def http_response(body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


def warc_record(
    url: str, block: bytes, *, record_type: str = "response", date: str = "2024-05-07T10:00:00Z",
    content_type: str = "application/http; msgtype=response", declared_length: int | None = None,
) -> bytes:
    """One WARC/1.0 record; ``declared_length`` lies about the block size (to build truncated records)."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{record_type}:{url}:{date}:{len(block)}")
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {record_type}\r\n"
        f"WARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block) if declared_length is None else declared_length}\r\n\r\n"
    )
    return head.encode("utf-8") + block + b"\r\n\r\n"


def warc_response(url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **kw: object) -> bytes:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return warc_record(url, http_response(data, content_type), **kw)  # type: ignore[arg-type]


def warcinfo() -> bytes:
    return warc_record("", b"software: newsmill tests\r\nformat: WARC File Format 1.0\r\n",
                       record_type="warcinfo", content_type="application/warc-fields")


def request_record(url: str) -> bytes:
    return warc_record(url, f"GET / HTTP/1.1\r\nHost: {url}\r\n\r\n".encode(),
                       record_type="request", content_type="application/http; msgtype=request")


def write_warc(path: Path, records: list[bytes], *, gzipped: bool | None = None) -> Path:
    """Write ``records``; gzipped per record (one gzip member each) when the name ends in .gz."""
    gz = path.name.endswith(".gz") if gzipped is None else gzipped
    with path.open("wb") as out:
        for record in records:
            out.write(gzip.compress(record, mtime=0) if gz else record)
    return path


# --- a small mixed crawl ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CrawlEntry:
    """One record of ``write_mixed_crawl``, with the outcome a correct ingest gives it."""

    url: str
    expect: str  # "article", "exact", "near", "same-document" or a rejection reason
    record: bytes


def mixed_crawl_entries() -> list[CrawlEntry]:
    rail_k, rail_l, rail_a = (story_url(s, WIRE_RAIL) for s in (KESTREL, LOWMOOR, ASHCOMBE))
    ferry = story_url(KESTREL, FERRY_VOTE)
    library = story_url(KESTREL, LIBRARY)
    tracked = story_url(KESTREL, LIBRARY, query="utm_source=newsletter&utm_medium=email&fbclid=abc123")
    return [
        # The updated wire copy is as early as the others and longer: by the rule it is the canonical one.
        CrawlEntry(rail_k, "near", warc_response(rail_k, news_page(KESTREL, WIRE_RAIL))),
        CrawlEntry(rail_l, "near", warc_response(rail_l, news_page(LOWMOOR, WIRE_RAIL))),
        CrawlEntry(rail_a, "article", warc_response(rail_a, news_page(ASHCOMBE, WIRE_RAIL_UPDATED))),
        CrawlEntry(ferry, "article", warc_response(ferry, news_page(KESTREL, FERRY_VOTE))),
        CrawlEntry(
            story_url(LOWMOOR, FERRY_ISLANDERS), "article",
            warc_response(story_url(LOWMOOR, FERRY_ISLANDERS), news_page(LOWMOOR, FERRY_ISLANDERS)),
        ),
        CrawlEntry(library, "article", warc_response(library, news_page(KESTREL, LIBRARY))),
        CrawlEntry(tracked, "same-document", warc_response(tracked, news_page(KESTREL, LIBRARY, url=library))),
        CrawlEntry(ferry, "same-document",
                   warc_response(ferry, news_page(KESTREL, FERRY_VOTE), date="2024-05-08T09:30:00Z")),
        CrawlEntry("https://www.kestrelbay-gazette.example/img/ferry.jpg", "not-a-page",
                   warc_response("https://www.kestrelbay-gazette.example/img/ferry.jpg",
                                 b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4, "image/jpeg")),
        CrawlEntry("https://www.lowmoor-star.example/pictures/", "no-article",
                   warc_response("https://www.lowmoor-star.example/pictures/", gallery_page(LOWMOOR))),
        CrawlEntry("https://ashcombe-courier.example/old-story/", "http-status",
                   warc_record("https://ashcombe-courier.example/old-story/",
                               http_response(b"<h1>Not found</h1>", status="404 Not Found"))),
    ]


def mixed_jsonl_rows() -> list[tuple[dict | str, str]]:
    """JSONL rows (a dict, or a raw line) with their expected outcome."""
    return [
        ({"url": story_url(ASHCOMBE, WIND_FARM), "html": news_page(ASHCOMBE, WIND_FARM),
          "fetched_at": "2024-02-13T08:00:00Z"}, "article"),
        ({"url": story_url(LOWMOOR, BUDGET), "html": news_page(LOWMOOR, BUDGET)}, "article"),
        ('{"url": "https://www.lowmoor-star.example/broken", "html": "<p>unterminated', "malformed-json"),
    ]


def write_mixed_crawl(folder: Path, *, order: list[int] | None = None) -> tuple[list[Path], list[str]]:
    """A WARC.gz and a JSONL file in ``folder``; returns the files and the expected outcome of each record.

    ``order`` permutes the WARC records (to check that the result does not depend on input order).
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries = mixed_crawl_entries()
    if order is not None:
        entries = [entries[i] for i in order]
    warc = write_warc(folder / "crawl.warc.gz", [warcinfo()] + [e.record for e in entries])
    rows = mixed_jsonl_rows()
    jsonl = folder / "records.jsonl"
    jsonl.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r, _ in rows) + "\n", encoding="utf-8")
    return [warc, jsonl], [e.expect for e in entries] + [expect for _, expect in rows]


def record_outcomes(db: Path) -> list[str]:
    """Each stored record's outcome in input order (files by path, records by offset or line):
    "article" (canonical), "duplicate", "same-document" or the rejection reason."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """SELECT p.source, p.locator, p.outcome, r.reason, x.article_id IS NOT NULL
               FROM pages p LEFT JOIN rejections r USING (record_key)
               LEFT JOIN duplicates x ON x.article_id = p.article_id"""
        ).fetchall()

    def position(row: tuple) -> tuple[str, int]:
        _, _, number = row[1].partition(":")
        return row[0], int(number or 0)

    labels = []
    for _source, _locator, outcome, reason, is_duplicate in sorted(rows, key=position):
        if outcome == "rejected":
            labels.append(reason)
        elif outcome == "same-document":
            labels.append("same-document")
        else:
            labels.append("duplicate" if is_duplicate else "article")
    return labels


def expected_outcomes(expect: list[str]) -> list[str]:
    return ["duplicate" if e in ("exact", "near") else e for e in expect]
