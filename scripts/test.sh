#!/usr/bin/env bash
# What `make test` runs: build, start PostgreSQL and Redis, run every test with ctest (release
# build), then build and run the suite again under ASan+UBSan, stop the services. Exits non-zero
# on any failure. CHAT_SKIP_SANITIZERS=1 skips the sanitizer pass (make test-fast).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS"

svc=$(mktemp -d /tmp/chat-test-services.XXXXXX)
chmod 755 "$svc"
cleanup() { scripts/services.sh stop "$svc" || true; rm -rf "$svc"; }
trap cleanup EXIT
scripts/services.sh start "$svc"
set -a; . "$svc/env"; set +a

status=0
echo "== test suite (release build)"
ctest --test-dir build --output-on-failure -j "$JOBS" || status=1

if [ "${CHAT_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== test suite (AddressSanitizer + UndefinedBehaviorSanitizer)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHAT_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null
  cmake --build build-asan -j "$JOBS"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS" || status=1
fi
exit $status
