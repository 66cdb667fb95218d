"""HTML page → Article: DOM blocks through the same classifier and role rules as dumps, plus what the
markup declares (JSON-LD, OpenGraph, meta tags, figures)."""

from __future__ import annotations

import numpy as np

from newsmill.extraction.blocks import Block
from newsmill.extraction.classifier import get_model
from newsmill.extraction.deadline import Deadline
from newsmill.extraction.figures import find_figures
from newsmill.extraction.html_blocks import html_to_blocks, parse_html
from newsmill.extraction.metadata import extract_html_metadata
from newsmill.extraction.roles import HtmlEvidence, assemble_article
from newsmill.models import Article, Role


def _evidence(doc, blocks: list[Block], url: str | None) -> HtmlEvidence:  # type: ignore[no-untyped-def]
    ev = HtmlEvidence(meta=extract_html_metadata(doc, url))
    by_line = {b.line: i for i, b in enumerate(blocks)}
    for figure in find_figures(doc, blocks, url):
        ev.images.append(figure.image)
        for role, lines in ((Role.CAPTION, figure.caption_lines), (Role.CREDIT, figure.credit_lines)):
            for line in lines:
                i = by_line.get(line)
                if i is not None:
                    ev.figure_roles[i] = role
    return ev


def extract_html(html: str, *, url: str | None = None, deadline: Deadline | None = None) -> Article:
    doc = parse_html(html)
    if doc is None:
        return Article(url=url, source_kind="html", empty_reason="the HTML could not be parsed into a document")
    blocks = html_to_blocks(doc, deadline)
    if deadline:
        deadline.check("splitting HTML into blocks")
    model = get_model("html")
    scores = model.predict(blocks) if blocks else np.zeros(0)
    ev = _evidence(doc, blocks, url)
    if deadline:
        deadline.check("reading HTML metadata")
    return assemble_article(blocks, scores, source_kind="html", url=url, threshold=model.threshold,
                            evidence=ev, model_version=model.version)
