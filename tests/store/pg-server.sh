#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the store contract tests.
#   pg-server.sh start STATE_DIR   initdb + pg_ctl on a free port; writes
#                                  STATE_DIR/url (a libpq URI) for the tests
#   pg-server.sh stop STATE_DIR    stops it and removes its data
# The server refuses to run as root, so as root it runs as the `postgres`
# user (created by Debian's postgresql package), from a directory under /tmp
# that user can reach.
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state dir}
mkdir -p "$state"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-server: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [ -f "$state/datadir" ] && [ -d "$(cat "$state/datadir")" ]; then
    "$0" stop "$state" || true
  fi
  data=$(mktemp -d /tmp/kalm-pg.XXXXXX)
  chmod 700 "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; fi
  echo "$data" > "$state/datadir"
  as_pg "$bin/initdb" -D "$data/db" -U kalm -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; exit 1; }
  # A free port: start at a random one and skip those that answer.
  port=$((20000 + RANDOM % 20000))
  for _ in $(seq 1 200); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    port=$((port + 1))
  done
  as_pg "$bin/pg_ctl" -D "$data/db" -w -t 60 -l "$data/server.log" \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >"$state/pg_ctl.log" 2>&1 || { cat "$state/pg_ctl.log" "$data/server.log" >&2; exit 1; }
  echo "postgresql://kalm@127.0.0.1:$port/postgres" > "$state/url"
  echo "pg-server: PostgreSQL on 127.0.0.1:$port ($data)"
  ;;
stop)
  if [ -f "$state/datadir" ]; then
    data=$(cat "$state/datadir")
    if [ -d "$data/db" ]; then
      as_pg "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data"
    rm -f "$state/datadir" "$state/url"
  fi
  echo "pg-server: stopped"
  ;;
*)
  echo "usage: pg-server.sh start|stop STATE_DIR" >&2
  exit 2
  ;;
esac
