"""Plain-text dump → Article: every line classified, then headline, byline, captions... assigned by rules.

A dump is a whole page flattened to text, one block per line (see README "Input formats"). Renderers
differ: some keep blank lines, some prefix line 1 with ``date YYYY-MM-DD``, some print captions twice.
"""

from __future__ import annotations

import numpy as np

from newsmill.extraction.blocks import Block
from newsmill.extraction.classifier import get_model
from newsmill.extraction.deadline import Deadline
from newsmill.extraction.roles import assemble_article
from newsmill.models import Article
from newsmill.readers.sources import DATE_PREFIX_RE


def dump_to_blocks(text: str) -> tuple[list[Block], str | None]:
    """One Block per non-empty line (whitespace collapsed); returns the crawl date of a date prefix too."""
    crawl_date = None
    blocks: list[Block] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if lineno == 1:
            m = DATE_PREFIX_RE.match(raw)
            if m:
                crawl_date = m.group(1)
                raw = raw[m.end():]
        line = " ".join(raw.split())
        if line:
            blocks.append(Block(text=line, ref=f"L{lineno}", line=lineno))
    return blocks, crawl_date


def extract_dump(text: str, *, url: str | None = None, deadline: Deadline | None = None) -> Article:
    blocks, crawl_date = dump_to_blocks(text)
    if deadline:
        deadline.check("reading dump lines")
    model = get_model("dump")
    scores = model.predict(blocks) if blocks else np.zeros(0)
    if deadline:
        deadline.check("classifying dump lines")
    article = assemble_article(blocks, scores, source_kind="dump", url=url, threshold=model.threshold,
                               model_version=model.version)
    article.crawl_date = crawl_date
    return article
