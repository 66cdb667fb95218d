"""Ingest collections into the store: plan, run the record stages on an executor, write, index.

Importing this package loads nothing else: ``newsmill/__init__.py`` imports it before it binds the
function ``newsmill.ingest``, because Python sets ``newsmill.ingest`` to the package the first time the
package is imported, which would otherwise replace the function as soon as an ingest starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsmill.ingest.pipeline import IngestReport, Progress, ingest

__all__ = ["IngestReport", "Progress", "ingest"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from newsmill.ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
