"""``python3 -m metacortex_models.schema_check [--url URL] [--schema NAME ...]``: compares the models with the
database at DATABASE_URL (or --url). Prints one block per difference and exits 1 if there is any, 0 if none, 2 on
a usage or connection error. Names on stderr the tables left out on purpose (``UNMAPPED_TABLES``). The URL (which
holds a password) is never printed."""
import argparse
import os
import sys

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from .. import UNMAPPED_TABLES
from ..urls import engine_url
from . import check


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m metacortex_models.schema_check", description=__doc__)
    parser.add_argument("--url", help="postgres:// URL of the database (default: DATABASE_URL)")
    parser.add_argument("--schema", action="append", default=[], help="also compare this schema (repeatable)")
    args = parser.parse_args(argv)
    url = args.url or os.environ.get("DATABASE_URL")
    if not url:
        print("schema_check: DATABASE_URL is not set (or pass --url)", file=sys.stderr)
        return 2
    engine = create_engine(engine_url(url, "psycopg2"), future=True, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            differences = check(connection, schemas=args.schema)
    except Exception as error:  # one line, without the URL: SQLAlchemy masks the password, the DBAPI never has it
        print(f"schema_check: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for difference in differences:
        print(difference)
    summary = f"{len(differences)} difference(s) between the database and the models"
    print(summary if differences else "the database and the models match", file=sys.stderr)
    print(f"not compared, unmapped on purpose: {', '.join(sorted(UNMAPPED_TABLES))}", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
