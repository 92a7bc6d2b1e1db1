#!/usr/bin/env bash
# What `make bench` runs after building BUILD_DIR (Release, CHAT_BUILD_BENCH=ON): the
# microbenchmarks, the store benchmark on SQLite and on a throwaway PostgreSQL, then the standard
# load suite (loadgen/suite.sh: sessions, fan-out, REST, the seed scenario against a real server).
# Results go to bench-results/ (JSON, and loadgen/loadgen.md); docs/PERFORMANCE.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
out=bench-results
mkdir -p "$out"

"$build/bench/core_benchmark" --benchmark_out="$out/core.json" --benchmark_out_format=json

svc=$(mktemp -d /tmp/chat-bench-services.XXXXXX)
chmod 755 "$svc"
trap 'bash scripts/services.sh stop "$svc" || true; rm -rf "$svc"' EXIT
bash scripts/services.sh start "$svc"
url=$(grep CHAT_TEST_DATABASE_URL "$svc/env" | cut -d= -f2-)
CHAT_BENCH_DATABASE_URL="$url" CHAT_LOG=warn "$build/bench/store_benchmark" \
  --benchmark_out="$out/store.json" --benchmark_out_format=json
bash loadgen/suite.sh "$build/chat-server" "$out/loadgen"
echo "results in $out/"
