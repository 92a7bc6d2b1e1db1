# The two commands of the README: `make run` and `make test`. Both install missing Debian packages
# (scripts/deps.sh), configure once and rebuild only what changed.
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= 2
CMAKE_ARGS ?=

.PHONY: all deps configure build run test test-fast bench format check-format clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Builds and starts the server on its embedded default: SQLite in ./data, no Redis.
run: build
	./$(BUILD)/chat-server

# Builds, starts throwaway PostgreSQL and Redis on loopback, runs the integration tests on the
# release build, then the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, stops
# them (scripts/test.sh).
test:
	@scripts/deps.sh test
	@scripts/test.sh

# The release suite only, without the sanitizer pass (quicker while developing).
test-fast:
	@scripts/deps.sh test
	@CHAT_SKIP_SANITIZERS=1 scripts/test.sh

bench: deps
	cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHAT_BUILD_BENCH=ON -DCHAT_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS) --target core_benchmark store_benchmark chat-server chat-loadgen
	bash scripts/bench.sh $(BUILD)-bench

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-bench
