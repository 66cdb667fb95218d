"""Fictional news sites, stories and the page renderer that every test fixture module shares.

``news_page(site, story)`` wraps a story in a site's boilerplate the way a CMS template does: cookie banner,
top bar, masthead and navigation, headline, standfirst, byline, body, tags, "Most read", newsletter box and
footer, with the metadata a real page carries (Open Graph, ``article:*`` and author meta tags, and JSON-LD
unless ``jsonld=False``). Every text is HTML-escaped, so a story may carry hostile payloads anywhere
(headline, byline, tags, body, URL) and the page source stays well-formed: the payloads are text on the page,
never markup. Sites and stories are made up by the modules that use this one (ingest_pages, web_site,
enrich_pages); nothing here is copied from a real site.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    lang: str = "en"
    sections: tuple[str, ...] = ("News",)
    most_read: tuple[str, ...] = ()
    #: The title of the newsletter box.
    newsletter: str = "The Morning Briefing"
    #: Who the copyright line names; the site's own name when empty.
    owner: str = ""


@dataclass(frozen=True)
class Story:
    slug: str
    headline: str
    standfirst: str
    authors: tuple[str, ...]
    published: str  # ISO 8601 with offset
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    section: str = "news"
    #: The page's language when it is not the site's (a German story on an English site).
    lang: str | None = None


def story_url(site: Site, story: Story, *, query: str = "") -> str:
    """Where ``site`` publishes ``story``: /section/yyyy/mm/dd/slug/, with ``query`` appended if given."""
    return f"https://{site.host}/{story.section}/{story.published[:10].replace('-', '/')}/{story.slug}/" + (
        f"?{query}" if query else ""
    )


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def nav_list(site: Site) -> str:
    """The site's section links, as the ``<li>`` items of its navigation bar."""
    e = html.escape
    return "".join(f'<li><a href="/{e(_slug(s))}/">{e(s)}</a></li>' for s in site.sections)


def news_page(site: Site, story: Story, *, url: str | None = None, jsonld: bool = True) -> str:
    """``story`` as an HTML page of ``site`` at ``url`` (its ``story_url`` by default).

    ``jsonld=False`` leaves out the JSON-LD block, so metadata can only come from the meta tags and the
    visible byline (as on many small CMS sites).
    """
    e = html.escape
    url = url or story_url(site, story)
    most = "".join(f'<li><a href="/news/{i}/">{e(t)}</a></li>' for i, t in enumerate(site.most_read))
    meta_tags = "".join(f'<meta property="article:tag" content="{e(t)}">\n' for t in story.tags)
    body = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    byline = " and ".join(f'<a class="author" href="/authors/{e(_slug(a))}/">{e(a)}</a>' for a in story.authors)
    tags = ", ".join(f'<a href="/tag/{e(_slug(t))}/" rel="tag">{e(t)}</a>' for t in story.tags)
    tags_box = f'<div class="tags">Tags: {tags}</div>\n' if story.tags else ""
    ld = ""
    if jsonld:
        data = json.dumps(
            {
                "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.headline,
                "datePublished": story.published, "author": [{"@type": "Person", "name": a} for a in story.authors],
                "publisher": {"@type": "Organization", "name": site.name}, "keywords": list(story.tags),
            }
        )
        # As sites do: a "</script>" inside a story's text must not end the element early.
        safe = data.replace("</", "<\\/")
        ld = f'<script type="application/ld+json">{safe}</script>\n'
    return f"""<!DOCTYPE html>
<html lang="{e(story.lang or site.lang)}">
<head>
<meta charset="utf-8">
<title>{e(story.headline)} | {e(site.name)}</title>
<meta name="description" content="{e(story.standfirst)}">
<link rel="canonical" href="{e(url)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(story.headline)}">
<meta property="og:site_name" content="{e(site.name)}">
<meta property="og:url" content="{e(url)}">
<meta name="author" content="{e(" and ".join(story.authors))}">
<meta property="article:published_time" content="{e(story.published)}">
{meta_tags}{ld}<script>window.__pageScriptRan = true;</script>
</head>
<body class="single-post">
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience and to show you
personalised advertising. <a href="/privacy/">Read our cookie policy</a>.</p><button>Accept all</button>
<button>Manage settings</button></div>
<div class="top-bar"><a href="/subscribe/">Subscribe</a> <a href="/login/">Sign in</a> <a href="/e-paper/">E-paper</a></div>
<header class="masthead"><p class="site-title"><a href="/">{e(site.name)}</a></p>
<nav class="primary-nav"><ul>{nav_list(site)}</ul></nav></header>
<main>
<article>
<h1 class="headline">{e(story.headline)}</h1>
<p class="standfirst">{e(story.standfirst)}</p>
<div class="byline">By {byline}</div>
<time datetime="{e(story.published)}">{e(story.published[:10])}</time>
<div class="article-body">
{body}
</div>
{tags_box}</article>
<section class="most-read"><h2>Most read</h2><ol>{most}</ol></section>
<section class="newsletter"><h2>{e(site.newsletter)}</h2><p>The day's top stories in your inbox every
evening. Free to sign up, unsubscribe at any time.</p><form><input type="email" placeholder="Email address">
<button>Sign up</button></form></section>
</main>
<footer class="site-footer"><a href="/about/">About us</a> <a href="/contact/">Contact</a> <a href="/advertise/">
Advertise</a> <a href="/privacy/">Privacy</a> <a href="/terms/">Terms</a>
<p>&copy; {e(story.published[:4])} {e(site.owner or site.name)}. All rights reserved.</p></footer>
</body>
</html>
"""
