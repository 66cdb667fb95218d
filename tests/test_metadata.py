"""HTML metadata: each source, the order of trust between them, and the provenance recorded.

All pages are fictional (sites under .example / .invalid), written the way real CMSs write them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import lxml.html

import newsmill
from newsmill.extraction.metadata import PageMetadata, extract_html_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
BOILERPLATE = """
<header class="site-header"><a class="logo" href="/">The Harbour Gazette</a>
  <nav><a href="/news">News</a> | <a href="/sport">Sport</a> | <a href="/opinion">Opinion</a></nav></header>
"""
FOOTER = """
<aside class="related"><h3>More from Mara Quill</h3><ul><li><a href="/x">Old story</a>
  <span class="author">By Someone Else</span> <time datetime="2019-01-01">Jan 1, 2019</time></li></ul></aside>
<footer><p>© 2024 The Harbour Gazette. All rights reserved.</p></footer>
"""


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def extract(html: str, url: str | None = None, **kw) -> PageMetadata:
    return extract_html_metadata(parse(html), url, now=NOW, **kw)


YOAST_GRAPH = """<!doctype html>
<html lang="en-GB"><head>
<title>Tide gauge upgrade finished early | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="og:title" content="Tide gauge upgrade finished early | The Harbour Gazette">
<meta property="article:published_time" content="2024-03-05T09:15:00+00:00">
<meta property="article:modified_time" content="2024-03-06T11:00:00+00:00">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "@id": "https://harbour-gazette.example/#website", "name": "The Harbour Gazette"},
  {"@type": "Organization", "@id": "https://harbour-gazette.example/#org", "name": "Harbour Gazette Media Ltd"},
  {"@type": "WebPage", "@id": "https://harbour-gazette.example/tide/#webpage",
   "name": "Tide gauge upgrade finished early | The Harbour Gazette",
   "datePublished": "2024-03-05T09:15:00+00:00", "dateModified": "2024-03-06T11:00:00+00:00"},
  {"@type": "NewsArticle", "@id": "https://harbour-gazette.example/tide/#article",
   "headline": "Tide gauge upgrade finished early",
   "author": [{"@id": "https://harbour-gazette.example/#/person/1"}, {"@type": "Person", "name": "Ivo Brandt"}],
   "publisher": {"@id": "https://harbour-gazette.example/#org"},
   "datePublished": "2024-03-05T09:15:00+00:00", "dateModified": "2024-03-06T11:00:00+00:00",
   "articleSection": ["Local", "Science"], "keywords": ["tides", "harbour", "engineering"],
   "inLanguage": "en-GB", "isAccessibleForFree": false,
   "image": {"@type": "ImageObject", "url": "/media/gauge.jpg"}},
  {"@type": "Person", "@id": "https://harbour-gazette.example/#/person/1", "name": "Mara Quill"}
]}
</script></head>
<body>""" + BOILERPLATE + """
<article><h1>Tide gauge upgrade finished early</h1>
<p class="byline">By <a rel="author" href="/authors/mara-quill">Mara Quill</a> and Ivo Brandt</p>
<p>The harbour authority said the new gauge went live on Monday, two weeks ahead of schedule.</p>
</article>""" + FOOTER + "</body></html>"


def test_jsonld_graph_with_references() -> None:
    meta = extract(YOAST_GRAPH, "https://harbour-gazette.example/tide/")
    assert meta.title == "Tide gauge upgrade finished early"
    assert meta.authors == ["Mara Quill", "Ivo Brandt"]
    assert meta.provenance["authors"].method == "jsonld:author"
    assert meta.published == "2024-03-05T09:15:00+00:00"
    assert meta.provenance["published"].method == "jsonld:datePublished"
    assert meta.updated == "2024-03-06T11:00:00+00:00"
    assert meta.provenance["updated"].method == "jsonld:dateModified"
    assert meta.publisher == "Harbour Gazette Media Ltd"
    assert meta.section == "Local"
    assert meta.tags == ["tides", "harbour", "engineering"]
    assert meta.language == "en-GB"
    assert meta.paywalled is True
    assert meta.provenance["paywalled"].method == "jsonld:isAccessibleForFree"
    assert meta.image_url == "https://harbour-gazette.example/media/gauge.jpg"
    assert meta.provenance["title"].paths  # the element that won is recorded


BROKEN_JSONLD = """<html><head>
<title>Ferry timetable changes - Northport Courier</title>
<script type="application/ld+json">
<!--
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Ferry timetable changes from &quot;next week&quot;",
 "author": {"@type": "Person", "name": "Lina Sørensen"},
 "datePublished": "2023-09-14T07:30:00+02:00",
 "dateModified": "2023-09-14T08:05:00+02:00",
}
-->
</script>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "broken "quoted" value"</script>
</head><body><h1>Ferry timetable changes from "next week"</h1><p>Text.</p></body></html>"""


def test_invalid_jsonld_is_repaired() -> None:
    meta = extract(BROKEN_JSONLD, "https://northport-courier.example/ferry")
    # HTML comments and a trailing comma are repaired; entities in values are decoded
    assert meta.title == 'Ferry timetable changes from "next week"'
    assert meta.authors == ["Lina Sørensen"]
    assert meta.published == "2023-09-14T07:30:00+02:00"
    assert meta.updated == "2023-09-14T08:05:00+02:00"


SALVAGE_ONLY = """<html><head><script type="application/ld+json">
{"@type": "BlogPosting", "headline": "Quilting for "beginners"", "datePublished": "2022-02-02",
 "author": {"@type": "Person", "name": "Ruth Example"}}
</script></head><body><p>Body.</p></body></html>"""


def test_unrepairable_jsonld_is_salvaged_and_flagged() -> None:
    meta = extract(SALVAGE_ONLY, use_htmldate=False)
    assert meta.published == "2022-02-02"
    assert meta.provenance["published"].method == "jsonld-salvaged:datePublished"
    assert meta.authors == ["Ruth Example"]


OG_ONLY = """<html><head>
<meta charset="utf-8"><title>Council backs bike lanes – Riverside Post</title>
<meta property="og:site_name" content="Riverside Post">
<meta property="og:title" content="Council backs bike lanes">
<meta property="og:locale" content="en_US">
<meta property="og:image" content="https://cdn.riverside-post.example/bike.jpg">
<meta property="og:description" content="A narrow vote after a long night.">
<meta property="article:published_time" content="2024-05-02T22:40:00-04:00">
<meta property="og:updated_time" content="2024-05-03T08:00:00-04:00">
<meta property="article:section" content="City Hall">
<meta property="article:tag" content="transport"><meta property="article:tag" content="council">
<meta name="author" content="TOM EXAMPLE, ANA SAMPLE">
</head><body><h1>Council backs bike lanes</h1><p>After four hours...</p></body></html>"""


def test_opengraph_only_page() -> None:
    meta = extract(OG_ONLY, "https://www.riverside-post.example/2024/05/02/bike-lanes")
    assert meta.title == "Council backs bike lanes"
    assert meta.authors == ["Tom Example", "Ana Sample"]
    assert meta.provenance["authors"].method == "meta:author"
    assert meta.published == "2024-05-02T22:40:00-04:00"
    assert meta.provenance["published"].method == "meta:article:published_time"
    assert meta.updated == "2024-05-03T08:00:00-04:00"
    assert meta.provenance["updated"].method == "meta:og:updated_time"
    assert meta.publisher == "Riverside Post"
    assert meta.section == "City Hall"
    assert meta.tags == ["transport", "council"]
    assert meta.language == "en-US"
    assert meta.description == "A narrow vote after a long night."
    assert meta.image_url == "https://cdn.riverside-post.example/bike.jpg"
    assert meta.paywalled is False


MICRODATA_ONLY = """<html><head><title>Moss Survey Returns | Fieldnotes</title></head><body>
<div itemscope itemtype="https://schema.org/BlogPosting">
  <h1 itemprop="headline">Moss survey returns</h1>
  <p>Posted by <span itemprop="author" itemscope itemtype="https://schema.org/Person">
     <span itemprop="name">Petra Example</span></span>
     on <time itemprop="datePublished" datetime="2021-10-03">3 October 2021</time>
     (updated <time itemprop="dateModified" datetime="2021-10-05T10:00">5 October</time>)</p>
  <div itemprop="articleBody"><p>Forty volunteers counted mosses...</p></div>
</div></body></html>"""


def test_microdata_only_page() -> None:
    meta = extract(MICRODATA_ONLY, "https://fieldnotes.example/moss")
    assert meta.title == "Moss survey returns"
    assert meta.authors == ["Petra Example"]
    assert meta.provenance["authors"].method == "microdata:author"
    assert meta.published == "2021-10-03"
    assert meta.provenance["published"].method == "microdata:datePublished"
    assert meta.updated == "2021-10-05T10:00"
    assert meta.publisher == "fieldnotes.example"
    assert meta.provenance["publisher"].method == "url:host"


def test_title_site_prefix_and_suffix_are_stripped() -> None:
    page = """<html><head><title>Northport Courier - Lighthouse reopens after restoration</title>
    <meta property="og:site_name" content="Northport Courier"></head>
    <body><h1 class="logo">Northport Courier</h1><p>x</p></body></html>"""
    meta = extract(page, "https://northport-courier.example/lighthouse")
    assert meta.title == "Lighthouse reopens after restoration"
    suffix = """<html><head><title>Lighthouse reopens after restoration | Sports | NPC Online</title></head>
    <body><p>x</p></body></html>"""
    assert extract(suffix, "https://npconline.example/a").title == "Lighthouse reopens after restoration"


def test_visible_headline_confirming_a_kicker_title_wins() -> None:
    page = """<html><head><meta property="og:title" content="Climate: Banks keep drilling">
    <title>Climate: Banks keep drilling | Weekly Example</title></head>
    <body><h1><span class="kicker">Climate</span> Banks keep drilling</h1>
    <h1>Banks keep drilling</h1></body></html>"""
    meta = extract(page)
    assert meta.title == "Banks keep drilling"
    assert meta.provenance["title"].method == "html:h1"


def test_section_label_h1_does_not_beat_the_title() -> None:
    page = """<html><head><title>Levy on ferry tickets dropped - Example County</title></head>
    <body><h1>News</h1><h2>Levy on ferry tickets dropped</h2></body></html>"""
    assert extract(page).title == "Levy on ferry tickets dropped"


def test_published_and_updated_are_never_mixed_up() -> None:
    only_modified = """<html><head>
    <meta property="article:modified_time" content="2024-02-10T12:00:00+01:00">
    <script type="application/ld+json">{"@type": "Article", "headline": "Fixed", "dateModified": "2024-02-10"}</script>
    </head><body><p class="meta">Updated: February 10, 2024 at 12:00</p><p>Body.</p></body></html>"""
    meta = extract(only_modified, use_htmldate=False)
    assert meta.published is None
    assert meta.updated == "2024-02-10T12:00:00+01:00"
    both = """<html><head>
    <meta property="article:modified_time" content="2024-02-10T12:00:00+01:00">
    <meta property="og:updated_time" content="2024-02-10T12:00:00+01:00">
    <meta name="pubdate" content="2024-02-01">
    </head><body><p>x</p></body></html>"""
    meta = extract(both)
    assert (meta.published, meta.updated) == ("2024-02-01", "2024-02-10T12:00:00+01:00")


def test_visible_byline_in_capitals_with_date() -> None:
    page = """<html lang="en"><head><title>Storm closes the causeway - Bay Example</title></head><body>
    """ + BOILERPLATE + """
    <article><h1>Storm closes the causeway</h1>
    <div class="article-byline">By SETH Q. EXAMPLEMAN APRIL 1, 2020 16:37</div>
    <p>Waves topped the causeway overnight...</p></article>""" + FOOTER + "</body></html>"
    meta = extract(page, "https://bay-example.example/storm")
    assert meta.authors == ["Seth Q. Exampleman"]
    assert meta.provenance["authors"].method == "html:byline"
    assert meta.published == "2020-04-01T16:37"
    assert meta.provenance["published"].method == "html:dateline"


def test_cms_default_author_gives_way_to_the_byline() -> None:
    page = """<html><head>
    <script type="application/ld+json">{"@type": "Article", "headline": "Kiln fire", "author": {"name": "admin"}}</script>
    <meta name="author" content="Kiln Weekly"><meta property="og:site_name" content="Kiln Weekly">
    </head><body><h1>Kiln fire</h1><span class="byline author vcard">Von Jens Probe</span></body></html>"""
    meta = extract(page, use_htmldate=False)
    assert meta.authors == ["Jens Probe"]


def test_organisation_author_only_when_no_person_is_named() -> None:
    page = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "headline": "Grid upgrade", "author": {"@type": "Organization", "name": "Example Wire"}}
    </script></head><body><p>x</p></body></html>"""
    assert extract(page, use_htmldate=False).authors == ["Example Wire"]


def test_utc_time_is_shown_in_the_local_zone_the_page_prints() -> None:
    page = """<html><head>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Late vote",
      "datePublished": "2023-11-09T03:28:35Z"}</script>
    <meta name="sailthru.date" content="2023-11-08 22:28:35">
    </head><body><p>x</p></body></html>"""
    meta = extract(page, "https://gazette.example/late-vote")
    assert meta.published == "2023-11-08T22:28:35-05:00"


def test_utc_time_on_a_single_zone_country_site() -> None:
    page = """<html><head><meta property="article:published_time" content="2022-05-04T00:44:52Z">
    </head><body><p>x</p></body></html>"""
    meta = extract(page, "https://www.diario-exemplo.com.br/politica/x")
    assert meta.published == "2022-05-03T21:44:52-03:00"
    assert meta.provenance["published"].method.endswith("+zone:America/Sao_Paulo")
    # a ".co" start-up domain is not read as Colombian
    generic = extract(page, "https://tidy.co/blog/x")
    assert generic.published == "2022-05-04T00:44:52+00:00"


def test_implausible_dates_are_ignored() -> None:
    page = """<html><head><meta property="article:published_time" content="2099-01-01T00:00:00Z">
    <meta name="date" content="2024-01-15"></head><body><p>x</p></body></html>"""
    assert extract(page, use_htmldate=False).published == "2024-01-15"


def test_htmldate_is_the_flagged_last_resort() -> None:
    page = """<html><head><title>Club results</title></head><body><h1>Club results</h1>
    <p>Results below.</p></body></html>"""
    meta = extract(page, "https://club.example/2021/06/14/results/")
    assert meta.published == "2021-06-14"
    assert meta.provenance["published"].method.startswith("htmldate")
    assert extract(page, "https://club.example/2021/06/14/results/", use_htmldate=False).published is None


def test_language_sources() -> None:
    assert extract('<html><head><meta http-equiv="content-language" content="de-de"></head><body></body></html>').language == "de-DE"
    assert extract('<html lang="{{ lang }}"><head><meta property="og:locale" content="fr_FR"></head></html>').language == "fr-FR"


def test_empty_page_and_tree_untouched() -> None:
    meta = extract("<html><body></body></html>", use_htmldate=False)
    assert meta.title is None and meta.authors == [] and meta.published is None
    doc = parse(YOAST_GRAPH)
    before = lxml.html.tostring(doc)
    extract_html_metadata(doc, "https://harbour-gazette.example/tide/", now=NOW)
    assert lxml.html.tostring(doc) == before


def test_fast_on_a_large_page() -> None:
    paragraphs = "".join(f"<div class='para-{i}'><p>Paragraph {i} of the story about the harbour.</p></div>" for i in range(3000))
    doc = parse(YOAST_GRAPH.replace("<p>The harbour authority", paragraphs + "<p>The harbour authority"))
    start = time.perf_counter()
    meta = extract_html_metadata(doc, "https://harbour-gazette.example/tide/", now=NOW)
    assert meta.published == "2024-03-05T09:15:00+00:00"
    assert time.perf_counter() - start < 0.25


# --- the page's own address ---------------------------------------------------------------------------
_CANONICAL_PAGE = """<html><head><title>Pier repairs begin | Saltmarsh Gazette</title>
<link rel="canonical" href="{href}"><meta property="og:url" content="https://saltmarsh-gazette.example/og/pier">
</head><body><article><h1>Pier repairs begin</h1>
<p>Work on the storm-damaged pier at Saltmarsh began on Monday, the harbour board said, and is due to last
until the end of the summer season, when the walkway will reopen to visitors and anglers alike.</p>
<p>Contractors will first replace the timber decking at the seaward end, where the winter storms tore away
more than forty metres of planking and left the lifeboat slipway exposed to the tide.</p>
</article></body></html>"""


def test_saved_page_takes_its_url_from_the_canonical_link():
    page = _CANONICAL_PAGE.format(href="https://saltmarsh-gazette.example/news/pier-repairs")
    article = newsmill.extract(page, kind="html")
    assert article.url == "https://saltmarsh-gazette.example/news/pier-repairs"
    assert article.provenance["url"].method == "html:link-canonical"


def test_address_given_by_the_caller_wins_over_the_canonical_link():
    page = _CANONICAL_PAGE.format(href="https://saltmarsh-gazette.example/news/pier-repairs")
    article = newsmill.extract(page, kind="html", url="https://mirror.example/pier")
    assert article.url == "https://mirror.example/pier"


def test_canonical_link_that_is_not_http_is_ignored():
    page = _CANONICAL_PAGE.format(href="javascript:alert(1)")
    article = newsmill.extract(page, kind="html")
    assert article.url == "https://saltmarsh-gazette.example/og/pier"  # og:url, the next candidate


def test_free_text_date_of_a_declared_language_page_is_found_with_that_language_only(monkeypatch) -> None:
    """htmldate's extensive search parses free text with dateparser; newsmill narrows it to the page's
    language and English (all languages cost ~20 ms a string), and gives htmldate its own parser back."""
    import htmldate.extractors

    from newsmill.extraction.metadata import _dateparser_languages, _htmldate_candidate

    factory = htmldate.extractors.get_external_parser
    parse = htmldate.extractors._external_date
    used: list[object] = []

    def spy(text: str):  # which dateparser parser htmldate asks for while it parses free text
        used.append(htmldate.extractors.get_external_parser())
        return parse(text)

    monkeypatch.setattr(htmldate.extractors, "_external_date", spy)
    # A Polish date htmldate's fast rules do not read: only the extensive search (dateparser) finds it.
    page = """<html lang="pl"><head><title>Nowy most na Odrze</title></head><body><article>
      <h1>Nowy most na Odrze</h1><div class="info"><span>3 maja 2022 r.</span></div>
      <p>Most połączy obie dzielnice miasta i zastąpi starą przeprawę promową.</p>
    </article></body></html>"""
    found = _htmldate_candidate(lxml.html.fromstring(page), None, datetime(2024, 1, 1, tzinfo=UTC).date(), True, "pl")
    assert found is not None and found.value == "2022-05-03" and found.method == "htmldate:extensive"
    assert used and all(parser is not factory() for parser in used)
    assert {tuple(parser.languages) for parser in used} == {("pl", "en")}  # type: ignore[attr-defined]
    assert htmldate.extractors.get_external_parser is factory
    assert _dateparser_languages("de-AT") == ("de", "en")
    assert _dateparser_languages("en-GB") == ("en",)
    assert _dateparser_languages("qq") is None and _dateparser_languages(None) is None
