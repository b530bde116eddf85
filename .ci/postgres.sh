#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
# Usage: source .ci/postgres.sh start   -> exports TEST_DATABASE_URL
#        .ci/postgres.sh stop
set -euo pipefail
PGROOT="${PGROOT:-/tmp/rtes-bot-pg}"
PGPORT="${PGPORT:-55432}"
bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL is not installed" >&2; return 1; }
  echo "$dir"
}
install_postgres() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "Installing PostgreSQL from Debian's packages..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}
start() {
  install_postgres
  local bin; bin=$(bindir)
  rm -rf "$PGROOT"; mkdir -p "$PGROOT"
  id -u postgres >/dev/null 2>&1 || useradd -r -M postgres
  chown postgres "$PGROOT"
  runuser -u postgres -- "$bin/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
    -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres rtes_test
  export TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$PGPORT/rtes_test"
  echo "PostgreSQL ready: $TEST_DATABASE_URL"
}
stop() {
  local bin; bin=$(bindir)
  runuser -u postgres -- "$bin/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
case "${1:-start}" in
  start) start ;;
  stop) stop ;;
esac
