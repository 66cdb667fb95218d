"""Per-document time limit, enforced inside the library (not only by the CLI).

Extractors call ``deadline.check()`` between blocks; parsing itself is bounded by the input size limit
(``MAX_PAGE_BYTES``) and by linear-time code. Hard isolation of a runaway C parser is the executor's job
(worker processes that are killed), since no Python signal can interrupt code inside lxml.
"""

from __future__ import annotations

import time

from newsmill.errors import ExtractionTimeout


class Deadline:
    __slots__ = ("limit", "_end")

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self._end = time.monotonic() + limit if limit else float("inf")

    def check(self, where: str = "") -> None:
        if time.monotonic() > self._end:
            raise ExtractionTimeout(
                f"extraction took longer than {self.limit:g}s{' (' + where + ')' if where else ''}; "
                "the page is probably pathological; raise time_limit if it is not"
            )
