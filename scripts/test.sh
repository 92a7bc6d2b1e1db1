#!/usr/bin/env bash
# What `make test` runs: build the server and the load generator, start PostgreSQL and Redis, run
# the integration tests against the release build, then build and run the whole suite (unit and
# integration tests) under ASan+UBSan, stop the services. Exits non-zero on any failure.
# CHAT_SKIP_SANITIZERS=1 skips the sanitizer pass and runs the whole suite on the release build
# instead (make test-fast).
# CHAT_BUILD_DIR (default build) names the release build directory; the sanitizer one is
# ${CHAT_BUILD_DIR}-asan.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
BUILD=${CHAT_BUILD_DIR:-build}
ASAN_BUILD=${BUILD}-asan
sanitize=1
[ "${CHAT_SKIP_SANITIZERS:-0}" = 1 ] && sanitize=0

# Both builds are clean builds in CI, so they are unity builds (cmake/unity_build.cmake), and they
# carry line tables only (-g1): enough for file:line in sanitizer reports and backtraces, at about
# 60 % of the compile time of full debug info (-g). The sanitizer build is not optimised (-O0): it
# compiles in 6 min instead of 8.8 at -O1, and its test pass took 171 s against 166 s (the tests
# wait on sockets, argon2 and the databases far more than on our code). Warnings that need the
# optimiser are the release build's to catch (in the code it builds: the server and chat-loadgen;
# `make test-fast` builds the tests at -O2 too).
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHAT_UNITY_BUILD=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
# The unit tests exercise our code in-process: under the sanitizers they check everything a
# release run of them would, and more. So when the sanitizer pass runs they run only there, and
# the release build skips compiling them (a third of its time on a 2-core machine). The release
# binaries still face every integration test.
release_targets=()
release_tests=()
if [ $sanitize = 1 ]; then
  release_targets=(--target chat-server chat-loadgen)
  release_tests=(-L integration)
fi
cmake --build "$BUILD" -j "$JOBS" "${release_targets[@]}"
echo "== release build done at ${SECONDS}s"

svc=$(mktemp -d /tmp/chat-test-services.XXXXXX)
chmod 755 "$svc"
asan_log="$svc/asan-build.log"
asan_pid=
tree() {  # a process and its descendants (the background build: cmake, ninja, compilers)
  local child
  echo "$1"
  for child in $(pgrep -P "$1"); do tree "$child"; done
}
kill_tree() { kill $(tree "$1") 2>/dev/null || true; }
cleanup() {
  if [ -n "$asan_pid" ]; then kill_tree "$asan_pid"; fi
  scripts/services.sh stop "$svc" || true
  rm -rf "$svc"
}
trap cleanup EXIT
scripts/services.sh start "$svc"
set -a; . "$svc/env"; set +a

# The release tests spend part of their time waiting on sockets and sleeps: the sanitizer build
# runs meanwhile, at lower priority so that the tests keep their CPU (back to normal priority
# after them where allowed, i.e. as root). Its output follows the tests.
if [ $sanitize = 1 ]; then
  ( cmake -S . -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHAT_SANITIZE=ON \
      -DCHAT_UNITY_BUILD=ON -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" >/dev/null &&
    nice -n 10 cmake --build "$ASAN_BUILD" -j "$JOBS" ) >"$asan_log" 2>&1 &
  asan_pid=$!
fi

status=0
echo "== test suite (release build)"
ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" "${release_tests[@]}" || status=1
echo "== release tests done at ${SECONDS}s"

if [ $sanitize = 1 ]; then
  echo "== test suite (AddressSanitizer + UndefinedBehaviorSanitizer)"
  renice -n 0 -p $(tree "$asan_pid") >/dev/null 2>&1 || true
  asan_status=0
  wait "$asan_pid" || asan_status=$?
  asan_pid=
  cat "$asan_log"
  echo "== sanitizer build done at ${SECONDS}s"
  if [ $asan_status != 0 ]; then
    echo "sanitizer build failed" >&2
    exit 1
  fi
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$ASAN_BUILD" --output-on-failure -j "$JOBS" || status=1
  echo "== sanitizer tests done at ${SECONDS}s"
fi
exit $status
