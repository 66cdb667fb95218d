"""Ingest collections into the store: plan, run the record stages on an executor, write, index."""

from newsmill.ingest.pipeline import IngestReport, Progress, ingest

__all__ = ["IngestReport", "Progress", "ingest"]
