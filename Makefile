# The two commands of the README: `make run` and `make test`. Both do the whole set-up.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR     ?= $(if $(CI),ON,ON)

.PHONY: run test deps data build build-asan test-asan test-main bench clean

deps:
	@tools/setup-deps.sh

data: deps
	@python3 tools/fetch_counties.py
	@python3 tools/gen_villages.py
	@python3 tools/fetch_jilin_context.py
	@python3 tools/gen_pinyin.py

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DBCMAP_WERROR=$(WERROR) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@tools/run-viewer.sh $(BUILD)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBCMAP_SANITIZE=ON \
	  -DBCMAP_BUILD_BENCH=OFF -DBCMAP_WERROR=$(WERROR) $(CMAKE_FLAGS)

build-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

test-main: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The sanitizer build runs the tests that need no window: unit, plugin and cli.
test-asan: build-asan
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L 'unit|plugin|cli|asan'

test: test-main test-asan

bench: build
	$(BUILD)/bench/bcmap_bench --out bench/RESULTS.md

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
