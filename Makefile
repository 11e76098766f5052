# salesbox: the two quick-start commands and friends. Everything is a thin wrapper over CMake.
#   make demo    install what is missing, build, generate the demo company and serve it
#   make test    install what is missing, build, run every test
#   make bench   run the benchmarks (figures go into docs/benchmarks.md by hand)
#   make format  clang-format the C++ sources
#   make screenshots  run the browser tests and keep their screenshots in docs/screenshots
#   make fuzz    build the libFuzzer targets with clang, ASan and UBSan and run each for
#                FUZZ_SECONDS (default 60) — see docs/reliability.md
#   make test-asan  build everything with ASan and UBSan (g++) in build-asan and run the tests
#                but the browser's
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_DB ?= demo/salesbox.db
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DSALESBOX_BUILD_BENCH=ON

.PHONY: all deps configure build web test demo bench format clean screenshots fuzz test-asan

WEB_SOURCES := $(shell find web/src web/index.html web/public web/vite.config.ts web/svelte.config.js web/tsconfig.json web/scripts -type f 2>/dev/null)

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure web
	cmake --build $(BUILD) -j $(JOBS)

# The web app: npm ci when package-lock.json changed, npm run build when a source changed.
web: web/dist/index.html

web/node_modules/.installed: web/package-lock.json web/package.json | deps
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build --silent
	touch $@

# ctest lists skipped tests after its summary; the summary is repeated as the last line.
test: build
	cd $(BUILD) && set -o pipefail && ctest --output-on-failure -j $(JOBS) --timeout 600 2>&1 | tee ctest.log; \
	  status=$$?; grep -E "tests passed|No tests were found" ctest.log | tail -1; exit $$status

demo: build
	$(BUILD)/salesbox demo --db $(DEMO_DB) --replace

screenshots: build
	scripts/run-e2e $(BUILD) docs/screenshots

bench: build
	scripts/run-benchmarks $(BUILD)

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DSALESBOX_FUZZ=ON -DSALESBOX_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_csv fuzz_parsers fuzz_playbook fuzz_http
	scripts/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

ASAN_BUILD ?= build-asan
test-asan: deps web
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -LE browser --timeout 1800

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)
