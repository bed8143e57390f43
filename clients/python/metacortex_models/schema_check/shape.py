"""The comparable shape of a schema: per table, its columns, constraints, indexes and partition key, each as the
text PostgreSQL prints (``format_type``, ``pg_get_expr``, ``pg_get_constraintdef``, ``pg_get_indexdef``).

Both sides are built into this shape, the database from its catalog (``catalog.py``) and the models from their
metadata (``expected.py``), then compared by ``compare.py``, a pure function."""
import re
from dataclasses import dataclass, field
from typing import Dict, Optional


@dataclass(frozen=True)
class ColumnShape:
    type: str
    nullable: bool
    default: Optional[str] = None
    generated: Optional[str] = None


@dataclass
class TableShape:
    columns: Dict[str, ColumnShape] = field(default_factory=dict)
    #: Constraint name -> ``pg_get_constraintdef`` text (primary, foreign, check, unique, exclusion).
    constraints: Dict[str, str] = field(default_factory=dict)
    #: Index name -> ``pg_get_indexdef`` text, for indexes that do not back a constraint.
    indexes: Dict[str, str] = field(default_factory=dict)
    #: ``pg_get_partkeydef``, e.g. ``RANGE (checked_at)``; None for a plain table.
    partition_by: Optional[str] = None


#: ``schema.table`` -> its shape.
SchemaShape = Dict[str, TableShape]

_QUOTED_SIMPLE = re.compile(r'"([a-z_][a-z0-9_$]*)"')
_SPACE = re.compile(r"\s+")


def normalize(sql: Optional[str]) -> Optional[str]:
    """Whitespace collapsed and simple identifiers unquoted (PostgreSQL quotes keywords such as ``position``),
    applied to both sides alike so that only real differences remain."""
    if sql is None:
        return None
    return _SPACE.sub(" ", _QUOTED_SIMPLE.sub(r"\1", sql)).strip()
