"""Text output formats (json, jsonl, md, txt) and the sink they are written to (stdout or a file).

Every rendering derives from ``newsmill.models.Article`` (its JSON, Markdown and text views), so the
formats cannot drift from the data model. Files are written atomically: into a temporary file beside
the target, renamed over it only when the whole run has been written, so that an interrupted or failed
run never leaves a truncated file behind. This module never reads or extracts pages.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, TextIO, get_args

from newsmill.models import Article

Format = Literal["json", "jsonl", "md", "txt"]
FORMATS: tuple[str, ...] = get_args(Format)
#: Between articles in txt output: a form feed line, the traditional page break, which never occurs in
#: extracted text (a blank line cannot separate articles, paragraphs are separated by blank lines).
TXT_SEPARATOR = "\f\n"
#: Between articles in md output: a thematic break.
MD_SEPARATOR = "\n---\n\n"
JSON_INDENT = 2


def render_markdown(article: Article) -> str:
    """Markdown for one article; a page without an article becomes an HTML comment saying why."""
    if article.is_empty:
        return f"<!-- no article: {article.empty_reason or 'no text found'} -->\n"
    return article.to_markdown()


def render_text(article: Article) -> str:
    """The article text, paragraphs separated by blank lines; empty for a page without an article."""
    text = article.text()
    return text + "\n" if text else ""


class ArticleWriter:
    """Streams articles, in the order given, to ``sink`` in one format.

    ``as_array`` (json only) writes a JSON array even for a single article; without it the json format
    accepts exactly one article and writes it as an object.
    """

    def __init__(self, sink: TextIO, fmt: Format, *, as_array: bool = True) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self._sink = sink
        self._fmt = fmt
        self._as_array = as_array
        self.count = 0

    def write(self, article: Article) -> None:
        if self._fmt == "json" and not self._as_array and self.count:
            raise ValueError("the json format without as_array holds one article; pass as_array=True")
        self._sink.write(self._separator() + self._render(article))
        self.count += 1

    def close(self) -> None:
        """Finish the document (closes a JSON array); does not close the sink."""
        if self._fmt == "json" and self._as_array:
            self._sink.write("\n]\n" if self.count else "[]\n")

    def _separator(self) -> str:
        if self._fmt == "json" and self._as_array:
            return ",\n" if self.count else "[\n"
        if not self.count:
            return ""
        return {"md": MD_SEPARATOR, "txt": TXT_SEPARATOR}.get(self._fmt, "")

    def _render(self, article: Article) -> str:
        if self._fmt == "json":
            text = article.to_json(indent=JSON_INDENT)
            return textwrap.indent(text, " " * JSON_INDENT) if self._as_array else text + "\n"
        if self._fmt == "jsonl":
            return article.to_json() + "\n"
        if self._fmt == "md":
            return render_markdown(article)
        return render_text(article)


@contextlib.contextmanager
def open_output(target: str | Path | None) -> Iterator[TextIO]:
    """A UTF-8 text sink: stdout for ``None`` or ``"-"``, else ``target`` written atomically.

    The file only appears (or replaces an older one) when the block exits without an exception.
    """
    if target is None or str(target) == "-":
        yield from _stdout_sink()
        return
    path = Path(target)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(path))
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _stdout_sink() -> Iterator[TextIO]:
    # Always UTF-8, whatever the locale says: the output is data, not a message for the terminal.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # an in-memory replacement (tests, notebooks) takes str as it is
        yield sys.stdout
        return
    sys.stdout.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n", write_through=True)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()  # leave sys.stdout's buffer open


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
