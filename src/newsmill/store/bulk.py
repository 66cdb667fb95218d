"""Bulk inserts through Arrow: DuckDB's ``executemany`` runs one statement per row, which made the
``pages`` and ``rejections`` inserts alone cost about 7 ms per 256-record batch row set (measured with
cProfile on a 400-page ingest); one ``INSERT ... SELECT`` from a registered Arrow table costs well under
a millisecond for the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in one statement."""
    if not rows:
        return
    data = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    view = f"bulk_{table}"
    con.register(view, data)
    try:
        names = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
    finally:
        con.unregister(view)
