"""HTML -> blocks (segmentation, DOM features, refs), parsing robustness, and figures/credits.

The fixture page is fictional. Parity with the reference dump renderer on real pages is checked
against ../shared (skipped when absent); benchmarks/check_block_parity.py does it at scale.
"""

from __future__ import annotations

import gzip
import importlib.util
import time
from pathlib import Path
from types import ModuleType

import lxml.html
import pytest
from lxml import etree

from newsmill.errors import ExtractionTimeout
from newsmill.extraction.blocks import DOM_FEATURES, Block
from newsmill.extraction.deadline import Deadline
from newsmill.extraction.figures import clean_credit, extract_figures, find_figures, image_src, split_credit
from newsmill.extraction.html_blocks import element_at, element_path, html_to_blocks, parse_html

PAGE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html lang="en">
<head>
  <title>Ferry crews vote to strike | The Test Courier</title>
  <script>var tpl = "<p>not text</p>";</script><style>p { color: red }</style>
</head>
<body class="single-post has-sidebar">
<header class="site-header">
  <nav class="main-nav"><ul>
    <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  </ul></nav>
</header>
<div class="cookie-banner" style="display: none">We use cookies</div>
<main id="main">
<article class="story">
  <header>
    <h1>Ferry crews vote to strike</h1>
    <p class="byline">By <a rel="author" href="/staff/mara">Mara Ellison</a></p>
    <time datetime="2024-03-14T07:45">14 March 2024</time>
  </header>
  <figure class="lead-image">
    <img src="data:image/gif;base64,R0lGOD" data-src="/img/ferry.jpg" alt="A ferry">
    <figcaption>The ferry terminal at dawn. <span class="credit">Photo: Jane Doe/Harbour Press</span></figcaption>
  </figure>
  <div class="article-body">
    <p>Ferry crews serving the <!-- a comment -->islands have voted to strike for <b>48</b> hours.</p>
    <p>The union said the vote was <a href="/vote">decisive</a>.<br>A second line after a break.</p>
    <div class="share-tools"><a href="#share">Share</a></div>
    <p hidden>Hidden paragraph</p>
    <p aria-hidden="true">Aria hidden</p>
    <table><tr><th>Route</th><th>Sailings</th></tr><tr><td>North</td><td>12</td></tr></table>
    <pre>line one
line two</pre>
    <blockquote><p>A quote.</p></blockquote>
    <noscript>Enable JavaScript</noscript>
  </div>
  <div class="wp-caption"><img src="/img/map.png" alt="">
    <p class="wp-caption-text">Map of the routes (photo credit: JOHN ROE/ AGENCY)</p></div>
</article>
<aside class="related-stories"><h2>Related</h2><ul>
  <li><a href="/a">Buses diverted</a></li><li><a href="/b">Port reopens</a></li>
</ul></aside>
</main>
<footer class="site-footer"><p>&copy; 2024 The Test Courier</p><div class="copyright">All rights reserved</div></footer>
</body>
</html>
"""

EXPECTED_LINES = [
    "Home",
    "News",
    "Sport",
    "Ferry crews vote to strike",
    "By Mara Ellison",
    "14 March 2024",
    "The ferry terminal at dawn. Photo: Jane Doe/Harbour Press",
    "Ferry crews serving the islands have voted to strike for 48 hours.",
    "The union said the vote was decisive.",
    "A second line after a break.",
    "Share",
    "Route Sailings",
    "North 12",
    "line one",
    "line two",
    "A quote.",
    "Map of the routes (photo credit: JOHN ROE/ AGENCY)",
    "Related",
    "Buses diverted",
    "Port reopens",
    "© 2024 The Test Courier",
    "All rights reserved",
]


@pytest.fixture(scope="module")
def page() -> tuple[etree._Element, list[Block]]:
    doc = parse_html(PAGE)
    assert doc is not None
    return doc, html_to_blocks(doc)


def block(blocks: list[Block], text: str) -> Block:
    return next(b for b in blocks if b.text == text)


# --- segmentation --------------------------------------------------------------------------------


def test_segmentation(page):
    _, blocks = page
    assert [b.text for b in blocks] == EXPECTED_LINES
    assert [b.line for b in blocks] == list(range(1, len(EXPECTED_LINES) + 1))


def test_tags_and_refs(page):
    doc, blocks = page
    assert block(blocks, "Home").tag == "li"
    assert block(blocks, "14 March 2024").tag == "header"  # text directly in <header>
    assert block(blocks, "North 12").tag == "tr"
    assert block(blocks, "line two").tag == "pre"
    assert block(blocks, "Ferry crews vote to strike").ref == "/html/body/main/article/header/h1"
    assert block(blocks, "Home").ref == "/html/body/header/nav/ul/li[1]"
    br_lines = [b for b in blocks if b.text.startswith(("The union", "A second"))]
    assert br_lines[0].ref == br_lines[1].ref  # lines split by <br> share their element
    tree = doc.getroottree()
    for b in blocks:
        el = element_at(doc, b.ref)
        assert el is not None and el.tag == b.tag
        assert tree.getpath(el) == b.ref == element_path(el)


def test_features(page):
    _, blocks = page
    for b in blocks:
        assert list(b.dom) == list(DOM_FEATURES) or set(b.dom) == set(DOM_FEATURES)
        assert all(0.0 <= v <= 1.0 for v in b.dom.values()), b
    nav = block(blocks, "News").dom
    assert nav["link_density"] > 0.95 and nav["in_nav"] == 1 and nav["is_list_item"] == 1
    assert nav["bad_class"] == 1 and nav["in_article"] == 0
    para = block(blocks, "Ferry crews serving the islands have voted to strike for 48 hours.").dom
    assert para["in_article"] == 1 and para["is_paragraph"] == 1 and para["good_class"] == 1
    assert para["link_density"] == 0 and para["in_nav"] == 0 and para["bad_class"] == 0
    assert para["p_siblings"] == pytest.approx(0.3)  # 3 other <p> in div.article-body (1 hidden)
    linked = block(blocks, "The union said the vote was decisive.").dom
    assert linked["link_density"] == pytest.approx(
        len("decisive") / len("The union said the vote was decisive.")
    )
    title = block(blocks, "Ferry crews vote to strike").dom
    assert title["is_heading"] == 1 and title["is_h1"] == 1
    assert title["in_nav"] == 0  # the article's own <header> is not navigation
    assert block(blocks, "By Mara Ellison").dom["is_byline_class"] == 1
    assert block(blocks, "14 March 2024").dom["is_time"] == 1
    assert block(blocks, "The ferry terminal at dawn. Photo: Jane Doe/Harbour Press").dom["in_figure"] == 1
    share = block(blocks, "Share").dom
    assert share["bad_class"] == 1 and share["good_class"] == 0  # the share bar cancels 'article-body'
    assert block(blocks, "North 12").dom["in_table"] == 1
    assert block(blocks, "line one").dom["is_pre"] == 1
    assert block(blocks, "A quote.").dom["is_blockquote"] == 1
    related = block(blocks, "Buses diverted").dom
    assert related["bad_class"] == 1 and related["in_nav"] == 1 and related["link_density"] > 0.95
    assert block(blocks, "All rights reserved").dom["in_nav"] == 1  # page-level <footer>
    assert 0 < para["depth"] < 1


def test_body_class_is_ignored():
    # 'has-sidebar' on <body> describes the page, not a region: it must not mark every block bad
    blocks = html_to_blocks(
        parse_html('<body class="has-sidebar"><div class="nav-open-x"><p>Text</p></div></body>')
    )
    assert blocks[0].dom["bad_class"] == 1  # the div's own class counts
    blocks = html_to_blocks(parse_html('<body class="has-sidebar"><div><p>Text</p></div></body>'))
    assert blocks[0].dom["bad_class"] == 0


def test_no_body_and_fragments():
    assert [b.text for b in html_to_blocks(parse_html("just text"))] == ["just text"]
    frag = lxml.html.fragment_fromstring("<div><p>a</p>b</div>")
    assert [b.text for b in html_to_blocks(frag)] == ["a", "b"]
    assert html_to_blocks(None) == []


def test_foreign_tree_with_comments():
    # a tree parsed elsewhere keeps its comments: their tails are still text
    doc = lxml.html.document_fromstring("<html><body><p>a<!-- c -->b</p><p>c</p></body></html>")
    assert [b.text for b in html_to_blocks(doc)] == ["ab", "c"]
    assert html_to_blocks(doc)[0].ref == "/html/body/p[1]"


def test_deadline_is_checked():
    doc = parse_html("<body>" + "<p>x</p>" * 2000 + "</body>")
    expired = Deadline(1e-9)
    time.sleep(0.001)
    with pytest.raises(ExtractionTimeout):
        html_to_blocks(doc, expired)


# --- parsing robustness --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "<!-- only a comment -->"])
def test_parse_empty(text):
    assert parse_html(text) is None


def test_parse_oddities():
    assert parse_html('<?xml version="1.0" encoding="iso-8859-1"?><p>x</p>') is not None
    assert parse_html('\ufeff<?xml version="1.0" encoding="utf-8"?><p>x</p>') is not None
    doc = parse_html("<p>a\ud800b</p><p>after</p>")  # lone surrogate: libxml2 would stop at it
    assert [b.text for b in html_to_blocks(doc)] == ["a\ufffdb", "after"]
    doc = parse_html("<p>a\x00b</p>")
    assert doc is not None and html_to_blocks(doc)
    doc = parse_html("</div></p><p>unclosed <b>bold <i>both</p><td>cell<li>item<p>tail")
    assert [b.text for b in html_to_blocks(doc)] == ["unclosed bold both", "cell", "item", "tail"]


@pytest.mark.parametrize("tag", ["div", "span", "p"])
def test_deep_nesting(tag):
    depth = 100_000
    html = f"<html><body><p>before</p>{f'<{tag}>x' * depth}deep{f'</{tag}>' * depth}</body></html>"
    started = time.perf_counter()
    doc = parse_html(html)
    assert doc is not None  # libxml2 stops at depth 2048 (huge_tree) and keeps what it has
    blocks = html_to_blocks(doc)
    assert blocks[0].text == "before"
    assert len(blocks) >= 2
    assert time.perf_counter() - started < 10


def test_deep_tree_built_by_hand():
    root = lxml.html.Element("html")
    node = etree.SubElement(root, "body")
    for _ in range(5_000):
        node = etree.SubElement(node, "div")
    node.text = "bottom"
    blocks = html_to_blocks(root)
    assert [b.text for b in blocks] == ["bottom"]
    assert blocks[0].dom["depth"] == 1.0
    assert element_at(root, blocks[0].ref) is node


# --- figures and credits -------------------------------------------------------------------------


def test_figures(page):
    doc, blocks = page
    figures = find_figures(doc, blocks, base_url="https://courier.example/news/ferry")
    assert len(figures) == 2
    lead, route_map = figures
    assert lead.image.caption == "The ferry terminal at dawn."
    assert lead.image.credit == "Jane Doe/Harbour Press"
    assert lead.image.src == "https://courier.example/img/ferry.jpg"  # data-src, not the placeholder
    assert lead.caption_lines == [7] and lead.credit_lines == []  # one line holds both
    assert lead.image.source is not None and lead.image.source.method == "html:figure"
    assert "/html/body/main/article/figure/figcaption" in lead.image.source.paths
    assert route_map.image.caption == "Map of the routes"
    assert route_map.image.credit == "JOHN ROE/ AGENCY"
    assert route_map.image.src == "https://courier.example/img/map.png"
    assert route_map.caption_lines == [17]
    assert extract_figures(doc, blocks) == [(f.image.model_copy(update={"src": f.image.src.removeprefix("https://courier.example")}), f.lines) for f in figures]  # fmt: skip


def test_figure_variants():
    html = """<body><article>
      <figure><img src="a.jpg" alt="Alt text of a"></figure>
      <figure><img src="b.jpg" alt="Alt of b"><figcaption>Caption of b</figcaption></figure>
      <figure><img src="c.jpg"><figcaption><p>Caption of c</p><p class="photo-credit">© Reuters</p></figcaption></figure>
      <div class="image"><img srcset="d-small.jpg 320w, d-big.jpg 1280w, d-mid.jpg 640w"></div>
      <p class="image-caption">Caption of d. Kevin Lamarque/REUTERS</p>
      <figure><video src="v.mp4"></video><figcaption>A video, not an image</figcaption></figure>
      <figure style="display:none"><img src="hidden.jpg"><figcaption>Hidden</figcaption></figure>
    </article><footer><img src="logo.png"><span class="copyright">© Site</span></footer></body>"""
    doc = parse_html(html)
    blocks = html_to_blocks(doc)
    figures = find_figures(doc, blocks)
    got = [(f.image.src, f.image.caption, f.image.credit, f.image.source.method) for f in figures]
    assert got == [
        ("a.jpg", "Alt text of a", None, "html:img-alt"),
        ("b.jpg", "Caption of b", None, "html:figure"),  # alt is only a fallback
        ("c.jpg", "Caption of c", "Reuters", "html:figure"),
        ("d-big.jpg", "Caption of d.", "Kevin Lamarque/REUTERS", "html:caption"),
    ]
    by_text = {b.text: b.line for b in blocks}
    assert figures[2].caption_lines == [by_text["Caption of c"]]
    assert figures[2].credit_lines == [by_text["© Reuters"]]
    assert figures[3].caption_lines == [by_text["Caption of d. Kevin Lamarque/REUTERS"]]


def test_image_src():
    def img(attrs: str) -> etree._Element:
        return lxml.html.fragment_fromstring(f"<img {attrs}>")

    assert image_src(img('src="x.jpg" data-lazy-src="real.jpg"')) == "real.jpg"
    assert image_src(img('src="data:image/png;base64,AAA" srcset="a.jpg 1x, b.jpg 2x"')) == "b.jpg"
    assert image_src(img('src="/p/x.jpg"'), "https://site.example/a/b") == "https://site.example/p/x.jpg"
    assert image_src(img('src="data:image/gif;base64,AAA"')) is None
    picture = lxml.html.fragment_fromstring('<picture><source srcset="w.webp 800w"><img alt=""></picture>')
    assert image_src(picture.find(".//img")) == "w.webp"  # libxml2 nests <img> in <source>


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Workers inspect the dam (photo credit: LEO MARTINS/COASTWIRE)", "Workers inspect the dam", "LEO MARTINS/COASTWIRE"),
        ("(photo credit: NINA HOLT/TRANSIT PRESS)", None, "NINA HOLT/TRANSIT PRESS"),
        ("The hall on Monday. Photo: Jane Doe / Reuters", "The hall on Monday.", "Jane Doe / Reuters"),
        ("The hall on Monday Photo: Jane Doe", "The hall on Monday", "Jane Doe"),
        ("Credit: Getty Images", None, "Getty Images"),
        ("Protesters in the square © AFP", "Protesters in the square", "AFP"),
        ("The president speaks. Kevin Lamarque/REUTERS", "The president speaks.", "Kevin Lamarque/REUTERS"),
        ("The president speaks. REUTERS/Kevin Lamarque", "The president speaks.", "REUTERS/Kevin Lamarque"),
        ("The memorial in New York (AP Photo/Mark Lennihan)", "The memorial in New York", "AP Photo/Mark Lennihan"),
        ("Fans cheer. AFP via Getty Images", "Fans cheer.", "AFP via Getty Images"),
        ("A bike lane.CreditCharlie Rubin for The New York Times", "A bike lane.", "Charlie Rubin for The New York Times"),
        ("Residents of Kyiv/Kiev queue for water", "Residents of Kyiv/Kiev queue for water", None),
        ("Officials say the source: a leaking pipe", "Officials say the source: a leaking pipe", None),
        ("Image: Jose Mourinho, left, has replaced Mauricio Pochettino as manager of Tottenham",
         "Jose Mourinho, left, has replaced Mauricio Pochettino as manager of Tottenham", None),
    ],
)  # fmt: skip
def test_split_credit(text, caption, credit):
    assert split_credit(text) == (caption, credit)


def test_clean_credit():
    assert clean_credit("Photo: Jane Doe/AP") == "Jane Doe/AP"
    assert clean_credit("(c) 2020 John Doe") == "John Doe"
    assert clean_credit("© REUTERS") == "REUTERS"
    assert clean_credit("  ") is None


# --- parity with the reference renderer (needs ../shared) ----------------------------------------


def _renderer(shared_dir: Path) -> ModuleType:
    path = shared_dir / "tools" / "html_to_dump.py"
    if not path.is_file():
        pytest.skip("../shared/tools/html_to_dump.py is absent")
    spec = importlib.util.spec_from_file_location("shared_html_to_dump", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
def test_parity_with_renderer(shared_dir):
    renderer = _renderer(shared_dir)
    assert [b.text for b in html_to_blocks(parse_html(PAGE))] == renderer.html_to_dump(
        PAGE, include_title=False
    ).splitlines()
    pages = []
    for dataset in ("scrapinghub", "cleaneval", "dragnet", "wcxb-test", "trafilatura-eval"):
        pages.extend(sorted((shared_dir / "benchmarks" / dataset / "html").glob("*.html.gz"))[:4])
    if not pages:
        pytest.skip("no benchmark pages in ../shared")
    for path in pages:
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        expected = renderer.html_to_dump(html, include_title=False).splitlines()
        assert [b.text for b in html_to_blocks(parse_html(html))] == expected, path.name
