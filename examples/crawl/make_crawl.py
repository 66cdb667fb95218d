"""Build the demo crawl: ``crawl.warc.gz`` (WARC/1.0 records, gzipped per record) and ``records.jsonl``.

The sites, the people and the stories are made up. The crawl holds what a real news crawl throws at an
ingest: a wire story re-published by two sites in their own page templates (one of them edited it, so
it is a near duplicate), a page crawled twice, the same page again under a URL with ``utm_`` tracking
parameters, an image, a picture gallery with no article, and an HTTP 404. The output is byte-for-byte
the same on every run (fixed record ids, dates and gzip timestamps), so the committed files can be
checked against this script.

    python examples/crawl/make_crawl.py [OUTPUT_FOLDER]     # default: the folder of this script
"""

from __future__ import annotations

import gzip
import html
import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    lang: str
    sections: tuple[str, ...]
    footer: str


@dataclass(frozen=True)
class Story:
    slug: str
    headline: str
    standfirst: str
    author: str
    published: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]


SENTINEL = Site("The Saltmarsh Sentinel", "www.saltmarsh-sentinel.example", "en-GB",
                ("News", "Harbour", "Business", "Sport", "Letters"), "Saltmarsh Sentinel Newspapers Ltd")
FENWICK = Site("Fenwick Valley Times", "www.fenwickvalley-times.example", "en-GB",
               ("Home", "Valley", "Farming", "Arts", "Sport"), "Fenwick Valley Times Co.")
BRACKENRIDGE = Site("Brackenridge Post", "brackenridge-post.example", "en-US",
                    ("Latest", "City", "Schools", "Business", "Outdoors"), "Brackenridge Post Media")

RESERVOIR = Story(
    "reservoir-levels-lowest-in-thirty-years", "Reservoir levels fall to lowest point in thirty years",
    "Water companies in the north are asking customers to save water after the driest spring on record.",
    "Northern Wire Service", "2025-06-02T07:00:00+00:00", ("Drought", "Water"),
    (
        "Reservoirs across the northern uplands have fallen to their lowest level for the time of year in three "
        "decades, after the driest spring since records began at the Hollin Moor weather station.",
        "The largest of them, Greystone Water, was at 41 per cent of capacity on Sunday, against an average of 78 "
        "per cent for early June, according to figures published by the regional water authority.",
        "Engineers said the level had dropped by almost a metre in a fortnight as warm winds dried out the "
        "catchment and demand from gardens and farms rose sharply during the bank holiday heatwave.",
        "The authority has not yet announced a hosepipe ban, but said one could follow within weeks if the "
        "weather stayed dry, and asked households to take shorter showers and to leave lawns unwatered.",
        "Farmers in the lower valleys have started moving cattle to fields with natural springs, and several "
        "angling clubs have suspended fishing on rivers where water temperatures have risen above safe levels.",
    ),
)
#: The Fenwick copy of the wire story: one paragraph edited and a local paragraph added at the end.
RESERVOIR_FENWICK = Story(
    RESERVOIR.slug, RESERVOIR.headline, RESERVOIR.standfirst, RESERVOIR.author, "2025-06-02T09:30:00+00:00",
    RESERVOIR.tags,
    RESERVOIR.paragraphs[:3]
    + (
        "The authority has not yet announced a hosepipe ban, but warned that one could follow within weeks if "
        "the weather stayed dry, and asked households to take shorter showers and leave their lawns unwatered.",
    )
    + RESERVOIR.paragraphs[4:]
    + (
        "In the Fenwick valley, the parish council said it would switch off the fountain on the green and water "
        "the war memorial's flower beds with rainwater collected from the village hall roof.",
    ),
)
BRIDGE = Story(
    "harbour-bridge-closure", "Harbour swing bridge to close for six weeks of repairs",
    "Drivers face a twelve-mile detour while engineers replace the bridge's corroded turning gear.",
    "Ellen Threlkeld", "2025-05-28T16:45:00+00:00", ("Harbour", "Roads"),
    (
        "The swing bridge across Saltmarsh harbour will close to traffic for six weeks from the end of June so "
        "that engineers can replace the corroded gear that turns it to let boats through.",
        "The county council said inspectors had found cracks in two of the teeth of the main ring gear in "
        "April, and that the bridge had been turned by hand since then as a precaution.",
        "Drivers will face a twelve-mile detour through Upper Saltmarsh, although a temporary footbridge will "
        "let people on foot and on bicycles cross the harbour for most of the closure.",
        "Harbour traders said the timing, at the start of the summer season, could not be worse, and asked the "
        "council to pay for extra signs directing visitors to the car parks on the east quay.",
    ),
)
ORCHESTRA = Story(
    "valley-youth-orchestra-national-prize", "Valley youth orchestra wins national prize",
    "Sixty young players from the Fenwick valley beat forty orchestras to the title.",
    "Rhodri Penwarden", "2025-05-19T11:20:00+00:00", ("Music", "Young people"),
    (
        "The Fenwick Valley Youth Orchestra has won the national youth orchestra prize at its first attempt, "
        "beating forty other orchestras in the final at the Castlegate concert hall on Saturday.",
        "The sixty players, aged between eleven and eighteen, performed a programme of music by composers from "
        "the north, including a new piece written for them by their conductor, Aled Morrow.",
        "The judges praised the orchestra's string section and said the performance of the new piece was the "
        "most exciting they had heard from young musicians in many years of the competition.",
        "The prize of five thousand pounds will pay for new instruments and for a tour of the valley's schools "
        "in the autumn, where the players will give free concerts and lead workshops.",
    ),
)
MILL = Story(
    "mill-site-sold-housing-trust", "Old woollen mill site sold to housing trust",
    "The trust plans 120 homes for rent and a riverside path on the former Calder Mill land.",
    "Jonah Whitcombe", "2025-06-01T13:00:00+00:00", ("Housing", "Business"),
    (
        "The site of the old Calder woollen mill, empty since the factory closed in 2009, has been sold to a "
        "community housing trust that plans to build 120 homes for rent on the riverside land.",
        "The trust said half of the homes would be let at rents linked to local wages, and that the mill's "
        "brick chimney and engine house would be kept and restored as a cafe and meeting room.",
        "A public path along the river, closed for more than a decade because of the state of the mill walls, "
        "would reopen as part of the first phase of building, the trust's director said.",
        "Neighbours welcomed the plans but asked for a new crossing on Mill Road, where traffic has grown since "
        "the opening of the retail park on the other side of the river.",
    ),
)
NIGHT_BUS = Story(
    "night-bus-pilot-extended", "Night bus pilot extended through the summer",
    "Ridership on the late route doubled in its first two months.",
    "Jonah Whitcombe", "2025-05-30T08:10:00+00:00", ("Transport",),
    (
        "A pilot night bus service linking the city centre with the hospital and the east side estates will "
        "run until the end of September after ridership doubled during its first two months.",
        "The transit authority said an average of 310 people a night used the route in May, most of them "
        "hospital staff and hospitality workers finishing late shifts in the centre.",
        "Riders had asked for a stop near the new student housing on Ferris Street, and the authority said it "
        "would add one from the middle of June without changing the timetable.",
    ),
)


def story_url(site: Site, story: Story, query: str = "") -> str:
    day = story.published[:10].replace("-", "/")
    return f"https://{site.host}/news/{day}/{story.slug}/" + (f"?{query}" if query else "")


def article_page(site: Site, story: Story) -> str:
    e = html.escape
    nav = " ".join(f'<a href="/{s.lower()}/">{e(s)}</a>' for s in site.sections)
    body = "\n".join(f"      <p>{e(p)}</p>" for p in story.paragraphs)
    tags = ", ".join(f'<a href="/tag/{t.lower().replace(" ", "-")}/" rel="tag">{e(t)}</a>' for t in story.tags)
    meta_tags = "\n".join(f'<meta property="article:tag" content="{e(t)}">' for t in story.tags)
    return f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<title>{e(story.headline)} | {e(site.name)}</title>
<meta name="description" content="{e(story.standfirst)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(site.name)}">
<meta property="og:title" content="{e(story.headline)}">
<meta property="article:published_time" content="{story.published}">
<meta name="author" content="{e(story.author)}">
{meta_tags}
<link rel="canonical" href="{story_url(site, story)}">
</head>
<body>
<div class="cookie-notice">We use cookies to run this site and to measure our audience.
  <a href="/cookies/">Cookie settings</a> <button>Accept</button></div>
<header class="masthead">
  <a class="logo" href="/">{e(site.name)}</a>
  <nav class="sections">{nav}</nav>
  <a href="/subscribe/">Subscribe</a> <a href="/account/">Sign in</a>
</header>
<main>
  <article>
    <h1>{e(story.headline)}</h1>
    <p class="standfirst">{e(story.standfirst)}</p>
    <p class="byline">By {e(story.author)} &middot; <time datetime="{story.published}">{story.published[:10]}</time></p>
    <div class="story-body">
{body}
    </div>
    <p class="tags">More on: {tags}</p>
  </article>
  <aside class="most-read"><h2>Most read</h2>
    <ol><li><a href="/news/1/">Lifeboat called out twice in one night</a></li>
    <li><a href="/news/2/">Market square plans go on show</a></li>
    <li><a href="/news/3/">Your pictures of the week</a></li></ol></aside>
  <aside class="newsletter"><h2>Get the morning briefing</h2>
    <p>The news that matters here, in your inbox at seven every weekday.</p>
    <form><input type="email" placeholder="Your email"><button>Sign me up</button></form></aside>
</main>
<footer><a href="/about/">About us</a> <a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a>
  <p>&copy; 2025 {e(site.footer)}</p></footer>
</body>
</html>
"""


def gallery_page(site: Site) -> str:
    e = html.escape
    nav = " ".join(f'<a href="/{s.lower()}/">{e(s)}</a>' for s in site.sections)
    pictures = "".join(f'<figure><img src="https://{site.host}/gallery/{n}.jpg" alt=""></figure>' for n in range(6))
    return f"""<!DOCTYPE html>
<html lang="{site.lang}"><head><meta charset="utf-8"><title>Your pictures of the week | {e(site.name)}</title></head>
<body><header><a class="logo" href="/">{e(site.name)}</a><nav>{nav}</nav></header>
<main><h1>Your pictures of the week</h1>{pictures}</main>
<footer><a href="/about/">About us</a> <a href="/contact/">Contact</a></footer></body></html>
"""


def fake_jpeg() -> bytes:
    """A few hundred bytes that start like a JPEG: the crawler stored an image, not a page."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9"


def warc_record(record_type: str, url: str, date: str, block: bytes, content_type: str) -> bytes:
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{record_type} {date} {url}")
    head = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: {date}\r\n" + (f"WARC-Target-URI: {url}\r\n" if url else "")
        + f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode("utf-8") + block + b"\r\n\r\n"


def response(url: str, date: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK") -> list[bytes]:
    """A request record and its response record, as a crawler writes them."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    http = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n\r\n".encode()
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: fictional-crawler/1.0\r\n\r\n".encode()
    return [
        warc_record("request", url, date, request, "application/http; msgtype=request"),
        warc_record("response", url, date, http + data, "application/http; msgtype=response"),
    ]


def crawl_records() -> list[bytes]:
    info = b"software: fictional-crawler/1.0\r\nformat: WARC File Format 1.0\r\nisPartOf: newsmill-demo-crawl\r\n"
    bridge = story_url(SENTINEL, BRIDGE)
    mill = story_url(BRACKENRIDGE, MILL)
    return [
        warc_record("warcinfo", "", "2025-06-03T06:00:00Z", info, "application/warc-fields"),
        *response(story_url(SENTINEL, RESERVOIR), "2025-06-03T06:01:10Z", article_page(SENTINEL, RESERVOIR)),
        *response(story_url(FENWICK, RESERVOIR_FENWICK), "2025-06-03T06:01:40Z",
                  article_page(FENWICK, RESERVOIR_FENWICK)),
        *response(bridge, "2025-06-03T06:02:05Z", article_page(SENTINEL, BRIDGE)),
        *response(story_url(SENTINEL, BRIDGE, "utm_source=newsletter&utm_medium=email&utm_campaign=morning"),
                  "2025-06-03T06:02:30Z", article_page(SENTINEL, BRIDGE)),
        *response(story_url(FENWICK, ORCHESTRA), "2025-06-03T06:03:00Z", article_page(FENWICK, ORCHESTRA)),
        *response(mill, "2025-06-03T06:03:20Z", article_page(BRACKENRIDGE, MILL)),
        *response(mill, "2025-06-03T18:03:20Z", article_page(BRACKENRIDGE, MILL)),  # re-crawled the same evening
        *response(f"https://{SENTINEL.host}/images/harbour-bridge.jpg", "2025-06-03T06:04:00Z", fake_jpeg(),
                  "image/jpeg"),
        *response(f"https://{BRACKENRIDGE.host}/galleries/pictures-of-the-week/", "2025-06-03T06:04:30Z",
                  gallery_page(BRACKENRIDGE)),
        *response(f"https://{FENWICK.host}/news/2019/01/04/old-story/", "2025-06-03T06:05:00Z",
                  "<html><body><h1>Page not found</h1></body></html>", status="404 Not Found"),
    ]


def jsonl_records() -> list[dict[str, str]]:
    dump = "\n".join(
        ["Fenwick Valley Times | Home | Valley | Farming | Arts | Sport", RESERVOIR_FENWICK.headline,
         "By Northern Wire Service", *RESERVOIR_FENWICK.paragraphs, "About us | Contact | Privacy"]
    )
    return [
        {"url": story_url(BRACKENRIDGE, NIGHT_BUS), "html": article_page(BRACKENRIDGE, NIGHT_BUS),
         "fetched_at": "2025-06-03T07:00:00Z"},
        # The same story as the Fenwick page of the crawl, saved by another tool as a text dump.
        {"url": "https://archive.fenwickvalley-times.example/2025/06/02/reservoir", "text": dump,
         "fetched_at": "2025-06-04T07:00:00Z"},
        {"url": f"https://{BRACKENRIDGE.host}/live/", "title": "Live: election night", "fetched_at": "2025-06-03T07:05:00Z"},
    ]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    with (out / "crawl.warc.gz").open("wb") as warc:
        for record in crawl_records():
            warc.write(gzip.compress(record, compresslevel=9, mtime=0))
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in jsonl_records()]
    (out / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out / 'crawl.warc.gz'} and {out / 'records.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
