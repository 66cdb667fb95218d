"""Model field annotations → DuckDB column types: the one mapping behind every table derived from a model
(the documents table from ``Article``, the enrichment tables from the enrichment records)."""

from __future__ import annotations

import types
import typing


def column_type(annotation: object, *, strict: bool = False) -> str:
    """The DuckDB type of a model field's annotation. Unknown types are VARCHAR, or a TypeError when ``strict``
    (enrichment records must stay flat, so a nested field there is a mistake, not text)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return column_type(args[0], strict=strict)
    if annotation is bool:
        return "BOOLEAN"
    if annotation is int:
        return "BIGINT"
    if annotation is float:
        return "DOUBLE"
    if origin is list and args == [str]:
        return "VARCHAR[]"
    if annotation is str or not strict:
        return "VARCHAR"
    raise TypeError(f"no column type for {annotation!r}: records stored as table rows must stay flat")
