#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: loopback only, trust auth, one database `duban_test`.
#
#   .ci/postgres.sh COMMAND [ARGS…]   start a cluster, run COMMAND with DUBAN_TEST_PG_URL set, stop it
#   source .ci/postgres.sh            define duban_pg_start / duban_pg_stop (what .ci/run does)
#
# Installs the `postgresql` apt package when no initdb is found (root only). As root, the server runs as
# the `postgres` user (created if missing): initdb and postgres refuse to run as root.

duban_pg_start() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if command -v initdb >/dev/null 2>&1; then
      bin="$(dirname "$(command -v initdb)")"
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== postgres: installing the postgresql package" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    else
      echo "postgres: no initdb found; install PostgreSQL (apt-get install postgresql) or put its bin/ on PATH" >&2
      return 1
    fi
  fi

  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    as=(runuser -u postgres --)
  fi

  DUBAN_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/duban-pg.XXXXXX")"
  [ "$(id -u)" = 0 ] && chown postgres: "$DUBAN_PG_DIR"
  DUBAN_PG_PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  DUBAN_PG_BIN="$bin"
  DUBAN_PG_AS=("${as[@]}")
  export DUBAN_PG_DIR DUBAN_PG_PORT DUBAN_PG_BIN

  "${as[@]}" "$bin/initdb" -D "$DUBAN_PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DUBAN_PG_DIR/initdb.log" 2>&1 \
    || { cat "$DUBAN_PG_DIR/initdb.log" >&2; return 1; }
  # Only the loopback interface, only trusted local connections.
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DUBAN_PG_DIR/data/pg_hba.conf"
  [ "$(id -u)" = 0 ] && chown postgres: "$DUBAN_PG_DIR/data/pg_hba.conf"
  "${as[@]}" "$bin/pg_ctl" -D "$DUBAN_PG_DIR/data" -l "$DUBAN_PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $DUBAN_PG_PORT -c unix_socket_directories=$DUBAN_PG_DIR -c fsync=on -c synchronous_commit=on -c max_connections=400" >/dev/null \
    || { cat "$DUBAN_PG_DIR/server.log" >&2; return 1; }
  local tries=0
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$DUBAN_PG_PORT"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then cat "$DUBAN_PG_DIR/server.log" >&2; return 1; fi
    sleep 0.5
  done
  "$bin/createdb" -h 127.0.0.1 -p "$DUBAN_PG_PORT" -U postgres duban_test
  export DUBAN_TEST_PG_URL="postgres://postgres@127.0.0.1:$DUBAN_PG_PORT/duban_test"
  echo "== postgres: $("$bin/postgres" --version) at $DUBAN_TEST_PG_URL" >&2
}

duban_pg_stop() {
  [ -n "${DUBAN_PG_DIR:-}" ] || return 0
  "${DUBAN_PG_AS[@]}" "$DUBAN_PG_BIN/pg_ctl" -D "$DUBAN_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DUBAN_PG_DIR"
  unset DUBAN_PG_DIR DUBAN_TEST_PG_URL
}

# Run as a program: start, run the command, stop whatever happens.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  if [ "$#" -eq 0 ]; then
    echo "usage: .ci/postgres.sh COMMAND [ARGS…]   (or: source .ci/postgres.sh; duban_pg_start; …; duban_pg_stop)" >&2
    exit 2
  fi
  trap duban_pg_stop EXIT
  trap 'exit 130' INT TERM
  duban_pg_start
  "$@"
fi
