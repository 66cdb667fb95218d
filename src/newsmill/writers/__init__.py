"""Writers: articles → bytes on disk or stdout, in the formats every command shares."""

from newsmill.writers.formats import FORMATS, ArticleWriter, Format, open_output, render_markdown, render_text

__all__ = ["FORMATS", "ArticleWriter", "Format", "open_output", "render_markdown", "render_text"]
