"""Compares the models with a database's schema: tables, columns (type, nullability, server default, generated
expression), constraints (primary and foreign keys with their actions, CHECKs, unique), indexes (columns and
expressions, method, INCLUDE, predicate) and partition keys, both ways. Every difference is named. The tables the
models leave out on purpose (``metacortex_models.UNMAPPED_TABLES``, each with its reason) are skipped, and only those.
Triggers, functions, policies and grants are not compared (the schema dump test covers them).

    python3 -m metacortex_models.schema_check            # DATABASE_URL; exit 1 and one line per difference

Used by the test that keeps the models identical to ``sql/migrations``, and by the one-time handover of an
existing database (docs/migrations.md)."""
from typing import List, Mapping, Optional, Sequence

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from .catalog import read_schema
from .compare import Difference, compare
from .expected import models_schema
from .shape import ColumnShape, SchemaShape, TableShape


def schemas_of(metadata: MetaData) -> List[str]:
    return sorted({table.schema for table in metadata.tables.values()})


def check(
    connection: Connection,
    metadata: Optional[MetaData] = None,
    schemas: Sequence[str] = (),
    unmapped: Optional[Mapping[str, str]] = None,
) -> List[Difference]:
    """Differences between the database behind ``connection`` and ``metadata``, over the metadata's schemas and any
    others named in ``schemas``, leaving out the tables in ``unmapped`` (name -> reason). By default the models and
    their ``UNMAPPED_TABLES``."""
    if metadata is None:
        from .. import UNMAPPED_TABLES
        from .. import metadata as models_metadata

        metadata = models_metadata
        unmapped = UNMAPPED_TABLES if unmapped is None else unmapped
    scope = sorted(set(schemas_of(metadata)) | set(schemas))
    return compare(read_schema(connection, scope), models_schema(metadata), unmapped=unmapped)


__all__ = ["ColumnShape", "Difference", "SchemaShape", "TableShape", "check", "compare", "models_schema", "read_schema"]
