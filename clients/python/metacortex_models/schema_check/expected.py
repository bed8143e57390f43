"""The schema shape the models declare, rendered the way PostgreSQL prints each object, so that it compares text
for text with ``catalog.read_schema``."""
from typing import Iterable, Optional

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, Index, MetaData, PrimaryKeyConstraint, Table
from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import TextClause

from .shape import ColumnShape, SchemaShape, TableShape

DIALECT = postgresql.dialect()


def _sql(element) -> Optional[str]:
    """The SQL text of a server default, computed expression, predicate or index element."""
    if element is None:
        return None
    if isinstance(element, str):
        return element
    if isinstance(element, TextClause):
        return element.text
    if isinstance(element, Column):
        return element.name
    compiled = element.compile(dialect=DIALECT, compile_kwargs={"literal_binds": True, "include_table": False})
    return str(compiled)


def _names(columns: Iterable) -> str:
    return ", ".join(c if isinstance(c, str) else c.name for c in columns)


def column_shape(column: Column) -> ColumnShape:
    default = column.server_default
    return ColumnShape(
        type=column.type.compile(dialect=DIALECT).lower(),
        nullable=bool(column.nullable),
        default=_sql(default.arg) if default is not None and hasattr(default, "arg") else None,
        generated=_sql(column.computed.sqltext) if column.computed is not None else None,
    )


def foreign_key_definition(fk: ForeignKeyConstraint) -> str:
    target = fk.elements[0].column.table
    parts = [
        f"FOREIGN KEY ({_names(fk.columns)}) REFERENCES {target.schema}.{target.name}"
        f"({_names(e.column for e in fk.elements)})"
    ]
    if fk.match:
        parts.append(f"MATCH {fk.match.upper()}")
    if fk.onupdate:
        parts.append(f"ON UPDATE {fk.onupdate.upper()}")
    if fk.ondelete:
        # PostgreSQL 15: ON DELETE SET NULL (col, ...) names the columns to clear (info["ondelete_columns"]).
        listed = fk.info.get("ondelete_columns")
        parts.append(f"ON DELETE {fk.ondelete.upper()}" + (f" ({', '.join(listed)})" if listed else ""))
    if fk.deferrable:
        parts.append("DEFERRABLE")
    if fk.initially and fk.initially.upper() == "DEFERRED":
        parts.append("INITIALLY DEFERRED")
    return " ".join(parts)


def constraint_definition(constraint) -> Optional[str]:
    if isinstance(constraint, PrimaryKeyConstraint):
        return f"PRIMARY KEY ({_names(constraint.columns)})" if len(constraint.columns) else None
    if isinstance(constraint, ForeignKeyConstraint):
        return foreign_key_definition(constraint)
    if isinstance(constraint, CheckConstraint):
        return f"CHECK ({_sql(constraint.sqltext)})"
    if isinstance(constraint, UniqueConstraint):
        return f"UNIQUE ({_names(constraint.columns)})"
    raise TypeError(f"{constraint.name}: no rendering for {type(constraint).__name__}")


def index_definition(index: Index, table: Table) -> str:
    options = index.dialect_options["postgresql"]
    partitioned = bool(table.dialect_options["postgresql"].get("partition_by"))
    sql = (
        f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {index.name} ON {'ONLY ' if partitioned else ''}"
        f"{table.schema}.{table.name} USING {options.get('using') or 'btree'} "
        f"({', '.join(_sql(e) for e in index.expressions)})"
    )
    if options.get("include"):
        sql += f" INCLUDE ({_names(options['include'])})"
    if options.get("where") is not None:
        sql += f" WHERE {_sql(options['where'])}"
    return sql


def table_shape(table: Table) -> TableShape:
    shape = TableShape(partition_by=table.dialect_options["postgresql"].get("partition_by"))
    for column in table.columns:
        shape.columns[column.name] = column_shape(column)
    for constraint in table.constraints:
        definition = constraint_definition(constraint)
        if definition is None:
            continue
        if not constraint.name:
            raise ValueError(f"{table.fullname}: every constraint needs the database's name ({definition})")
        shape.constraints[constraint.name] = definition
    for index in table.indexes:
        shape.indexes[index.name] = index_definition(index, table)
    return shape


def models_schema(metadata: MetaData) -> SchemaShape:
    """The shape of every table in ``metadata``."""
    return {table.fullname: table_shape(table) for table in metadata.sorted_tables}
