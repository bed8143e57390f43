"""Reads a database's schema shape from the PostgreSQL catalog, as PostgreSQL itself prints each object.

Runs in a read-only transaction with ``search_path = pg_catalog``, so every name outside pg_catalog is printed
schema-qualified (``app.users``, ``ext.citext``, ``app.uuid_generate_v7()``) whatever the role's own path is, and
with the time zone, date and interval styles PostgreSQL starts with, so constants print the same whatever the
session's settings (``'2000-01-01 00:00:00+00'::timestamp with time zone``, ``'1 day'::interval``).
Partitions are left out (they follow their parent); so are views."""
from typing import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.types import Text

from .shape import ColumnShape, SchemaShape, TableShape

TABLES = text(
    """
    SELECT c.oid, n.nspname || '.' || c.relname AS name, pg_get_partkeydef(c.oid) AS partition_by
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY (:schemas) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY 2"""
).bindparams(bindparam("schemas", type_=ARRAY(Text)))

COLUMNS = text(
    """
    SELECT a.attrelid AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, a.attgenerated <> '' AS is_generated,
           pg_get_expr(d.adbin, d.adrelid) AS expression
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ANY (CAST(:oids AS oid[])) AND a.attnum > 0 AND NOT a.attisdropped"""
)

CONSTRAINTS = text(
    """
    SELECT conrelid AS oid, conname AS name, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
     WHERE conrelid = ANY (CAST(:oids AS oid[])) AND contype <> 't'"""
)

# Indexes that back a primary key, unique or exclusion constraint are compared as that constraint.
INDEXES = text(
    """
    SELECT i.indrelid AS oid, c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = ANY (CAST(:oids AS oid[]))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))"""
)


#: The settings that change how a constant is printed, as PostgreSQL's defaults (the models write them this way).
PRINTING = (("TimeZone", "UTC"), ("DateStyle", "ISO, MDY"), ("IntervalStyle", "postgres"), ("extra_float_digits", "1"))


def read_schema(connection: Connection, schemas: Sequence[str]) -> SchemaShape:
    """The shape of every table in ``schemas``. Opens and rolls back its own read-only transaction."""
    with connection.begin() as transaction:
        connection.execute(text("SET TRANSACTION READ ONLY"))
        connection.execute(text("SET LOCAL search_path = pg_catalog"))
        for setting, value in PRINTING:
            connection.execute(text("SELECT set_config(:setting, :value, true)"), {"setting": setting, "value": value})
        tables = connection.execute(TABLES, {"schemas": list(schemas)}).all()
        by_oid = {row.oid: row.name for row in tables}
        shape: SchemaShape = {row.name: TableShape(partition_by=row.partition_by) for row in tables}
        oids = {"oids": list(by_oid)}
        for row in connection.execute(COLUMNS, oids):
            shape[by_oid[row.oid]].columns[row.name] = ColumnShape(
                type=row.type,
                nullable=row.nullable,
                default=None if row.is_generated else row.expression,
                generated=row.expression if row.is_generated else None,
            )
        for row in connection.execute(CONSTRAINTS, oids):
            shape[by_oid[row.oid]].constraints[row.name] = row.definition
        for row in connection.execute(INDEXES, oids):
            shape[by_oid[row.oid]].indexes[row.name] = row.definition
        transaction.rollback()
    return shape
