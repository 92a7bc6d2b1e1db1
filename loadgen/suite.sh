#!/usr/bin/env bash
# loadgen/suite.sh — the short standard load suite (`make bench` calls it).
#   usage: loadgen/suite.sh SERVER_BINARY OUTPUT_DIR
# Starts chat-server on SQLite in a temporary data directory (rate limits off, load-test users
# seeded), runs the standard chat-loadgen scenarios at modest sizes (a few minutes in all; with
# BENCH_SIZE=full at the sizes of docs/PERFORMANCE.md's targets, ~20 minutes), writes
# OUTPUT_DIR/<scenario>.json and OUTPUT_DIR/loadgen.md, stops the server. chat-loadgen is taken
# from LOADGEN_BIN or next to the server binary. Exit code: 0 if every scenario passed.
set -euo pipefail

server_bin=$(readlink -f "${1:?usage: suite.sh SERVER_BINARY OUTPUT_DIR}")
out_dir=${2:?usage: suite.sh SERVER_BINARY OUTPUT_DIR}
loadgen_bin=$(readlink -f "${LOADGEN_BIN:-$(dirname "$server_bin")/chat-loadgen}")
[[ -x $server_bin ]] || { echo "suite.sh: no server binary at $server_bin" >&2; exit 2; }
[[ -x $loadgen_bin ]] || { echo "suite.sh: no chat-loadgen at $loadgen_bin" >&2; exit 2; }
mkdir -p "$out_dir"
out_dir=$(readlink -f "$out_dir")

# BENCH_SIZE=full: the sizes of docs/PERFORMANCE.md's target rows (10,000 idle sessions held 60 s,
# fan-out 1 -> 1,000 at 100 msg/s and 1 -> 10,000 at 10 msg/s, REST POST at C = 64, the seed
# scenario at 500 VUs on its own timing): about 20 minutes. Any size below still overrides.
if [[ ${BENCH_SIZE:-short} == full ]]; then
  SESSIONS=${SESSIONS:-10000}
  SESSIONS_USERS=${SESSIONS_USERS:-1000}
  FANOUT_MEMBERS=${FANOUT_MEMBERS:-1000}
  FANOUT_RATE=${FANOUT_RATE:-100}
  FANOUT_LARGE_MEMBERS=${FANOUT_LARGE_MEMBERS:-10000}
  FANOUT_LARGE_RATE=${FANOUT_LARGE_RATE:-10}
  SEED_VUS=${SEED_VUS:-500}
  SEED_TIME_SCALE=${SEED_TIME_SCALE:-1}
fi
# Sizes of the standard suite (override through the environment).
SESSIONS=${SESSIONS:-2000}
SESSIONS_USERS=${SESSIONS_USERS:-$SESSIONS}
FANOUT_LARGE_MEMBERS=${FANOUT_LARGE_MEMBERS:-0}  # 0: no second, large fan-out
FANOUT_LARGE_RATE=${FANOUT_LARGE_RATE:-10}
FANOUT_MEMBERS=${FANOUT_MEMBERS:-200}
FANOUT_RATE=${FANOUT_RATE:-50}
REST_CONCURRENCY=${REST_CONCURRENCY:-64}
SEED_VUS=${SEED_VUS:-100}
SEED_TIME_SCALE=${SEED_TIME_SCALE:-0.05}
DURATION=${DURATION:-10}
# Idle sessions are held past their first heartbeat (at most 41.25 s after HELLO): until the
# client acknowledges READY, the server keeps it for a resume, so RSS per idle session is only
# meaningful after that.
SESSIONS_HOLD=${SESSIONS_HOLD:-60}
users=$(( SESSIONS > FANOUT_MEMBERS ? SESSIONS : FANOUT_MEMBERS ))
users=$(( users > REST_CONCURRENCY ? users : REST_CONCURRENCY ))
users=$(( users > SEED_VUS ? users : SEED_VUS ))
users=$(( users > FANOUT_LARGE_MEMBERS ? users : FANOUT_LARGE_MEMBERS ))

ulimit -n "$(ulimit -Hn)" || true
data_dir=$(mktemp -d /tmp/chat-loadgen-suite.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HOST=127.0.0.1 PORT=$port DATA_DIR=$data_dir FEATURE_RATE_LIMITING=false LOG_FORMAT=json \
  CHAT_LOG=${CHAT_LOG:-warn}
unset DATABASE_URL REDIS_URL

server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" && wait "$server_pid" || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

echo "suite: seeding $users load-test users in $data_dir" >&2
(cd "$data_dir" && "$server_bin" seed --load-test-users "$users" >/dev/null)
(cd "$data_dir" && exec "$server_bin" >"$out_dir/server.log" 2>&1) &
server_pid=$!  # the subshell execs the server, so this is the server's pid
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "suite: server exited; see $out_dir/server.log" >&2; exit 2; }
  sleep 0.1
done

status=0
run() {
  local name=$1
  shift
  echo "suite: $name: chat-loadgen $*" >&2
  if "$loadgen_bin" "$@" --target "http://127.0.0.1:$port" --json >"$out_dir/$name.json"; then
    echo "suite: $name PASS" >&2
  else
    echo "suite: $name FAIL (exit $?)" >&2
    status=1
  fi
}

run sessions sessions --sessions "$SESSIONS" --users "$SESSIONS_USERS" --duration "$SESSIONS_HOLD" \
  --server-pid "$server_pid"
run fanout fanout --members "$FANOUT_MEMBERS" --senders 1 --rate "$FANOUT_RATE" \
  --duration "$DURATION" --server-pid "$server_pid"
if (( FANOUT_LARGE_MEMBERS > 0 )); then
  run fanout_large fanout --members "$FANOUT_LARGE_MEMBERS" --senders 1 --rate "$FANOUT_LARGE_RATE" \
    --duration "$DURATION" --setup-concurrency 32 --drain 15 --server-pid "$server_pid"
fi
run rest rest --concurrency "$REST_CONCURRENCY" --duration "$DURATION" --server-pid "$server_pid"
run rest_post rest --concurrency "$REST_CONCURRENCY" --history-percent 0 --duration "$DURATION" \
  --server-pid "$server_pid"
run seed seed --vus "$SEED_VUS" --time-scale "$SEED_TIME_SCALE"

python3 - "$out_dir" "$server_bin" <<'PY' >"$out_dir/loadgen.md"
import json, os, sys
out, server = sys.argv[1], sys.argv[2]
print("# chat-loadgen standard suite\n")
print(f"Server: `{server}` on SQLite, FEATURE_RATE_LIMITING=false, loopback.\n")
print("| scenario | result | key figures | latency p50 / p99 / p99.9 / max (ms) |")
print("|---|---|---|---|")
keys = {
    "sessions": (["sessions_ready", "sessions_failed", "ready_per_s", "server_rss_per_session_kib"],
                 "connect_to_ready"),
    "fanout": (["messages_sent", "deliveries", "deliveries_per_s", "lost", "duplicated",
                "server_cpu_us_per_delivery"], "delivery"),
    "fanout_large": (["messages_sent", "deliveries", "deliveries_per_s", "lost", "duplicated",
                      "server_cpu_us_per_delivery"], "delivery"),
    "rest": (["requests_per_s", "posts", "history_gets", "non_2xx", "server_cpu_us_per_request"],
             "all"),
    "rest_post": (["requests_per_s", "posts", "non_2xx", "server_cpu_us_per_request"], "all"),
    "seed": (["iterations", "error_rate", "vus_peak"], "message_latency"),
}
for name, (metrics, lat) in keys.items():
    path = os.path.join(out, name + ".json")
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError):
        if name != "fanout_large":  # run only with BENCH_SIZE=full or FANOUT_LARGE_MEMBERS
            print(f"| {name} | no result | | |")
        continue
    m = r.get("metrics", {})
    figures = ", ".join(f"{k} {m[k]:.6g}" for k in metrics if k in m)
    l = r.get("latency_ms", {}).get(lat, {})
    lat_text = f"{lat}: {l.get('p50', 0)} / {l.get('p99', 0)} / {l.get('p999', 0)} / {l.get('max', 0)}"
    print(f"| {name} | {r.get('result')} | {figures} | {lat_text} |")
PY
cat "$out_dir/loadgen.md"
exit $status
