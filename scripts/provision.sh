#!/usr/bin/env bash
# Provisioning shared by `npm test`, `npm run local` and .ci/run: makes sure PostgreSQL 15, the extensions and the
# tools this project runs are on the machine. Installs them with apt-get when it can (root, or sudo without a
# password); otherwise prints the exact command and stops. Quiet and quick when everything is already there.
set -euo pipefail

PACKAGES=(postgresql-15 postgresql-15-pgaudit postgresql-15-partman postgresql-15-cron postgresql-15-pgtap pgbackrest pgbouncer openssl
  python3 python3-sqlalchemy python3-psycopg2 python3-asyncpg)
BIN=/usr/lib/postgresql/15/bin
EXT=/usr/share/postgresql/15/extension

missing=()
[ -x "$BIN/postgres" ] && [ -x "$BIN/initdb" ] && [ -x "$BIN/pgbench" ] || missing+=(postgresql-15)
[ -f "$EXT/pgaudit.control" ] || missing+=(postgresql-15-pgaudit)
[ -f "$EXT/pg_partman.control" ] || missing+=(postgresql-15-partman)
[ -f "$EXT/pg_cron.control" ] || missing+=(postgresql-15-cron)
[ -f "$EXT/pgtap.control" ] || missing+=(postgresql-15-pgtap)
command -v pgbackrest >/dev/null || missing+=(pgbackrest)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v openssl >/dev/null || missing+=(openssl)
# The backend's Python package (clients/python) and its tests run on Debian's interpreter and modules.
PY=/usr/bin/python3
[ -x "$PY" ] || missing+=(python3)
for module in sqlalchemy:python3-sqlalchemy psycopg2:python3-psycopg2 asyncpg:python3-asyncpg; do
  [ -x "$PY" ] && "$PY" -c "import ${module%%:*}" 2>/dev/null || missing+=("${module#*:}")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "provision: PostgreSQL 15, pgaudit, pg_partman, pg_cron, pgTAP, pgBackRest, PgBouncer, openssl and Python 3 with SQLAlchemy, psycopg2 and asyncpg are installed"
  exit 0
fi

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "provision: missing ${missing[*]}." >&2
  echo "provision: install them as root, then run this again:" >&2
  echo "  sudo sh -c '$install_cmd'" >&2
  echo "provision: (PostgreSQL 15 comes from Debian 12 / Ubuntu 22.04+, or the PGDG apt repository elsewhere.)" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "provision: missing ${missing[*]} and this machine has no apt-get; install the equivalent packages by hand." >&2
  exit 1
fi

echo "provision: installing ${missing[*]} with apt-get"
$sudo apt-get update -qq
# The packages' own service start is refused in containers and not wanted anywhere: this project starts its own
# clusters and never depends on a system service.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "provision: installed ${missing[*]}"
