"""Executors: run one function over many items (inline or in local worker processes)."""

from newsmill.executors.local import WorkerCrash, map_ordered

__all__ = ["WorkerCrash", "map_ordered"]
