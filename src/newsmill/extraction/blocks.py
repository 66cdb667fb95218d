"""The unit of classification: a block of text with where it came from.

Dump lines and HTML text blocks both become ``Block`` objects, so that one classifier and one set of
role rules serve both inputs. A dump block only has its text; an HTML block also carries DOM evidence
(``dom``), named features that are 0.0 when unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: DOM features an HTML blockifier fills in (all floats; 0.0 for dump lines). The order is the order
#: of the model's input vector, so append, never reorder (and retrain when it changes).
DOM_FEATURES: tuple[str, ...] = (
    "link_density",  # share of the block's characters inside <a>
    "in_nav",  # inside nav/header/footer/aside or an element whose class/id says so
    "in_article",  # inside <article>, <main>, itemprop=articleBody or a class/id like 'article-body'
    "is_heading",  # h1..h6
    "is_h1",
    "is_paragraph",  # a <p>
    "is_list_item",  # li / dd / dt
    "in_figure",  # inside figure/figcaption or a class/id like 'caption'
    "in_table",
    "bad_class",  # class/id of the block or an ancestor matches comment|share|related|promo|...
    "good_class",  # class/id matches content|article|story|post-body|entry|...
    "depth",  # DOM depth / 20 (clipped to 1)
    "p_siblings",  # number of <p> siblings in the same parent / 10 (clipped)
    "is_byline_class",  # class/id/rel/itemprop says author/byline
    "is_time",  # contains <time> or class/id says date/time
    "is_blockquote",
    "is_pre",
)


@dataclass(slots=True)
class Block:
    text: str
    #: 'L<n>' for dump line n (1-based), else an element path such as '/html/body/div[2]/p[3]'
    ref: str
    #: 1-based line number in a dump, or the block's ordinal in an HTML page
    line: int
    dom: dict[str, float] = field(default_factory=dict)
    #: HTML tag of the block element ('' for dumps)
    tag: str = ""
