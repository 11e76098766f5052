# salesbox: the two quick-start commands and friends. Everything is a thin wrapper over CMake.
#   make demo    install what is missing, build, generate the demo company and serve it
#   make test    install what is missing, build, run every test
#   make bench   run the benchmarks (figures go into docs/benchmarks.md by hand)
#   make format  clang-format the C++ sources
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_DB ?= demo/salesbox.db
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DSALESBOX_BUILD_BENCH=ON

.PHONY: all deps configure build test demo bench format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

demo: build
	$(BUILD)/salesbox demo --db $(DEMO_DB) --replace

bench: build
	scripts/run-benchmarks $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)
