# The front door. `make run` and `make test` are all a newcomer types on a fresh Debian machine.
SHELL := /bin/bash
DATA_DIR ?= ./data
JOBS ?= $(shell nproc)

.PHONY: all bootstrap build run test test-only bench fuzz web clean format

all: build

bootstrap:
	@scripts/bootstrap

# Release build: build/bin/hqadz (and build/bin/tgsim), plus web/dist when web/ exists.
build: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@if [ -f web/package.json ]; then scripts/build-web; fi

# Builds, then starts the platform on embedded defaults with demo data.
run: build
	@exec build/bin/hqadz serve --demo --data-dir $(DATA_DIR)

# AddressSanitizer + UBSan build, every test suite, SQLite and a throwaway PostgreSQL.
test: bootstrap
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@if [ -f web/package.json ]; then scripts/build-web; fi
	@HQADZ_REQUIRE_PG=1 scripts/with-postgres ctest --preset asan

test-only:
	@HQADZ_REQUIRE_PG=1 scripts/with-postgres ctest --preset asan

# Release build with the benchmark programs, then the benchmarks (bench/README.md).
bench: bootstrap
	@scripts/bootstrap wrk nginx-light
	@cmake --preset release -DHQADZ_BENCH=ON >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@bench/run

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build

# libFuzzer targets (clang, build/fuzz), FUZZ_SECONDS each (default 60); see fuzz/README.md.
fuzz: bootstrap
	@scripts/bootstrap clang libclang-rt-14-dev
	@scripts/fuzz
