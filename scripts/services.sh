#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL 15 and Redis 7 the tests use, as plain processes on
# free loopback ports, in a directory of their own.
#   scripts/services.sh start DIR   → writes DIR/env (CHAT_TEST_DATABASE_URL, CHAT_TEST_REDIS_URL)
#   scripts/services.sh stop DIR    → stops exactly what start started (by data dir and pid file)
# A service that cannot start is an error: tests never run without their database.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ -x "$PG_BIN/pg_ctl" ] || { echo "services: PostgreSQL server binaries not found" >&2; exit 1; }
    command -v redis-server >/dev/null || { echo "services: redis-server not found" >&2; exit 1; }
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    pg_port=$(free_port)
    as_postgres "$PG_BIN/initdb -D $dir/pg -U postgres -A trust --no-sync -E UTF8 --locale=C >$dir/initdb.log 2>&1" \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_postgres "$PG_BIN/pg_ctl -D $dir/pg -o '-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' -l $dir/pg.log -w start >/dev/null" \
      || { cat "$dir/pg.log" >&2; exit 1; }
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 100); do
      redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.05
    done
    redis-cli -p "$redis_port" ping | grep -q PONG || { echo "services: redis did not start" >&2; exit 1; }
    {
      echo "CHAT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/postgres"
      echo "CHAT_TEST_PG_DATA=$dir/pg"
      echo "CHAT_TEST_PG_BIN=$PG_BIN"
      echo "CHAT_TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
    } >"$dir/env"
    echo "services: postgres on 127.0.0.1:$pg_port, redis on 127.0.0.1:$redis_port"
    ;;
  stop)
    if [ -f "$dir/pg/postmaster.pid" ]; then
      as_postgres "$PG_BIN/pg_ctl -D $dir/pg -m immediate stop >/dev/null 2>&1" || true
    fi
    if [ -f "$dir/redis.pid" ]; then
      kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    fi
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
