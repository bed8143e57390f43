"""Compares two schema shapes and names every difference: pure, no database."""
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from .shape import ColumnShape, SchemaShape, TableShape, normalize


@dataclass(frozen=True, order=True)
class Difference:
    #: What differs: ``app.tasks``, ``app.tasks.title``, ``app.tasks constraint tasks_title_check``, ...
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _presence(kind: str, names: set, left: Dict, right: Dict, sides: Tuple[str, str]) -> List[Tuple[str, str]]:
    """One message per name on one side only. A definition (constraint, index) is quoted, so that the side that lacks
    it can copy the text as PostgreSQL prints it."""

    def quoted(value) -> str:
        return f": {normalize(value)}" if isinstance(value, str) else ""

    out = []
    for name in sorted(names):
        if name not in right:
            out.append((name, f"{kind} is in the {sides[0]}, not in the {sides[1]}{quoted(left[name])}"))
        elif name not in left:
            out.append((name, f"{kind} is in the {sides[1]}, not in the {sides[0]}{quoted(right[name])}"))
    return out


def _column(subject: str, actual: ColumnShape, expected: ColumnShape, sides: Tuple[str, str]) -> List[Difference]:
    out = []
    if actual.type.lower() != expected.type.lower():
        out.append(Difference(subject, f"type is {actual.type} in the {sides[0]}, {expected.type} in the {sides[1]}"))
    if actual.nullable != expected.nullable:
        word = {True: "NULL", False: "NOT NULL"}
        out.append(
            Difference(
                subject, f"{word[actual.nullable]} in the {sides[0]}, {word[expected.nullable]} in the {sides[1]}"
            )
        )
    for attribute, label in (("default", "server default"), ("generated", "generated expression")):
        a, e = normalize(getattr(actual, attribute)), normalize(getattr(expected, attribute))
        if a != e:
            out.append(
                Difference(subject, f"{label} is {a or '(none)'} in the {sides[0]}, {e or '(none)'} in the {sides[1]}")
            )
    return out


def _definitions(table: str, kind: str, actual: Dict[str, str], expected: Dict[str, str], sides) -> List[Difference]:
    out = [
        Difference(f"{table} {kind} {name}", message)
        for name, message in _presence(kind, set(actual) | set(expected), actual, expected, sides)
    ]
    for name in sorted(set(actual) & set(expected)):
        a, e = normalize(actual[name]), normalize(expected[name])
        if a != e:
            out.append(Difference(f"{table} {kind} {name}", f"differs\n    {sides[0]}: {a}\n    {sides[1]}: {e}"))
    return out


def _table(name: str, actual: TableShape, expected: TableShape, sides: Tuple[str, str]) -> List[Difference]:
    out = [
        Difference(f"{name}.{column}", message)
        for column, message in _presence(
            "column", set(actual.columns) | set(expected.columns), actual.columns, expected.columns, sides
        )
    ]
    for column in sorted(set(actual.columns) & set(expected.columns)):
        out += _column(f"{name}.{column}", actual.columns[column], expected.columns[column], sides)
    out += _definitions(name, "constraint", actual.constraints, expected.constraints, sides)
    out += _definitions(name, "index", actual.indexes, expected.indexes, sides)
    if normalize(actual.partition_by) != normalize(expected.partition_by):
        out.append(
            Difference(
                name,
                f"partitioned by {actual.partition_by or '(nothing)'} in the {sides[0]}, "
                f"{expected.partition_by or '(nothing)'} in the {sides[1]}",
            )
        )
    return out


def _unmapped(actual: SchemaShape, expected: SchemaShape, unmapped: Mapping[str, str], sides) -> List[Difference]:
    """A table listed as unmapped must be in ``actual`` and not in ``expected``: otherwise the list is out of date."""
    out = []
    for name in sorted(unmapped):
        if name in expected:
            out.append(Difference(name, f"table is in the {sides[1]} and on the list of unmapped tables"))
        if name not in actual:
            out.append(Difference(name, f"table is on the list of unmapped tables, not in the {sides[0]}"))
    return out


def compare(
    actual: SchemaShape,
    expected: SchemaShape,
    sides: Tuple[str, str] = ("database", "models"),
    unmapped: Optional[Mapping[str, str]] = None,
) -> List[Difference]:
    """Every difference between ``actual`` (``sides[0]``) and ``expected`` (``sides[1]``), sorted by subject. The
    tables named in ``unmapped`` (name -> why it has no model) are left out of ``actual``, and only those."""
    unmapped = unmapped or {}
    out = _unmapped(actual, expected, unmapped, sides)
    # A listed table that the models map after all is compared (and the list reported above).
    actual = {name: shape for name, shape in actual.items() if name not in unmapped or name in expected}
    names = set(actual) | set(expected)
    out += [Difference(name, message) for name, message in _presence("table", names, actual, expected, sides)]
    for name in sorted(set(actual) & set(expected)):
        out += _table(name, actual[name], expected[name], sides)
    return sorted(out)
