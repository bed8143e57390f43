"""One libpq URL (``postgres://user:password@host:port/db?sslmode=verify-full&sslrootcert=ca.pem``) for both
drivers: psycopg2 hands the query to libpq as it is; asyncpg takes TLS as an ``ssl.SSLContext``, built here from the
same ``sslmode`` and ``sslrootcert``."""
import ssl
from typing import Optional, Tuple

from sqlalchemy.engine import URL, make_url

DRIVERS = ("psycopg2", "asyncpg")
#: libpq's modes that verify the server certificate; ``verify-full`` also checks the host name.
_VERIFYING = {"verify-ca": False, "verify-full": True}


def engine_url(url: str, driver: str) -> URL:
    """``url`` (``postgres://`` or ``postgresql://``, any driver suffix) with SQLAlchemy's ``postgresql+<driver>``
    scheme. For asyncpg the TLS parameters are removed (see ``asyncpg_ssl``)."""
    if driver not in DRIVERS:
        raise ValueError(f"driver must be one of {', '.join(DRIVERS)}, got {driver!r}")
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"url must be a postgres:// or postgresql:// URL, got {parsed.drivername}://")
    parsed = parsed.set(drivername=f"postgresql+{driver}")
    if driver == "asyncpg":
        parsed = parsed.difference_update_query(["sslmode", "sslrootcert"])
    return parsed


def asyncpg_ssl(url: str) -> Tuple[Optional[ssl.SSLContext], Optional[str]]:
    """The SSLContext asyncpg needs for ``url``'s sslmode/sslrootcert, and the mode (None: no TLS parameters)."""
    query = make_url(url.replace("postgres://", "postgresql://", 1)).query
    mode = query.get("sslmode")
    if mode is None or mode in ("disable", "allow", "prefer"):
        return None, mode
    context = ssl.create_default_context(cafile=query.get("sslrootcert"))
    if mode in _VERIFYING:
        context.check_hostname = _VERIFYING[mode]
    else:  # "require": encrypted, unverified, as libpq does it
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context, mode
