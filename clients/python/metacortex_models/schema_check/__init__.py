"""Compares the models with a database's schema: tables, columns (type, nullability, server default, generated
expression), constraints (primary and foreign keys with their actions, CHECKs, unique), indexes (columns and
expressions, method, INCLUDE, predicate) and partition keys, both ways. Every difference is named.

    python3 -m metacortex_models.schema_check            # DATABASE_URL; exit 1 and one line per difference

Used by the test that keeps the models identical to ``sql/migrations``, and by the one-time handover of an
existing database (docs/migrations.md)."""
from typing import List, Sequence

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from .catalog import read_schema
from .compare import Difference, compare
from .expected import models_schema
from .shape import ColumnShape, SchemaShape, TableShape


def schemas_of(metadata: MetaData) -> List[str]:
    return sorted({table.schema for table in metadata.tables.values()})


def check(connection: Connection, metadata: MetaData = None, schemas: Sequence[str] = ()) -> List[Difference]:
    """Differences between the database behind ``connection`` and ``metadata`` (the models by default), over the
    models' schemas and any others named in ``schemas``."""
    if metadata is None:
        from .. import metadata as models_metadata

        metadata = models_metadata
    scope = sorted(set(schemas_of(metadata)) | set(schemas))
    return compare(read_schema(connection, scope), models_schema(metadata))


__all__ = ["ColumnShape", "Difference", "SchemaShape", "TableShape", "check", "compare", "models_schema", "read_schema"]
