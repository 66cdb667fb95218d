"""Executors: run one function over many items (inline or in local worker processes)."""

from newsmill.executors.local import WorkerCrash, WorkerTimeout, map_ordered, map_stream

__all__ = ["WorkerCrash", "WorkerTimeout", "map_ordered", "map_stream"]
