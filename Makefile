# The two commands of the README: `make run` and `make test`. Both do the whole set-up.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR     ?= $(if $(CI),ON,ON)

.PHONY: run test deps data build build-asan test-asan build-tsan test-tsan test-main bench package clean
.PHONY: fuzz

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

# The tests never see the user's own bcmap folders (remembered plugin folders, the user plugin
# folder, sessions, caches): each run gets empty XDG homes of its own inside the build folder.
test_xdg = rm -rf $(1)/test-xdg && mkdir -p $(1)/test-xdg/config $(1)/test-xdg/data $(1)/test-xdg/cache \
  $(1)/test-xdg/state && env XDG_CONFIG_HOME=$(abspath $(1))/test-xdg/config \
  XDG_DATA_HOME=$(abspath $(1))/test-xdg/data XDG_CACHE_HOME=$(abspath $(1))/test-xdg/cache \
  XDG_STATE_HOME=$(abspath $(1))/test-xdg/state

test-main: build
	$(call test_xdg,$(BUILD)) sh -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS)'

# The sanitizer build runs the tests that need no window: unit, plugin and cli.
test-asan: build-asan
	$(call test_xdg,$(ASAN_BUILD)) sh -c "cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L 'unit|plugin|cli|asan'"

test: test-main test-asan

# ThreadSanitizer, a slow extra that `make test` leaves out. Only what the tests labelled
# tsan (tests/tsan/CMakeLists.txt) need is built; their TSAN_OPTIONS come with the label.
TSAN_TARGETS = LayerLoaderTest LayerStoreTest PluginFaultTest PluginHostTest UserStyleTest \
  FrameCacheTest FileChangeWatcherTest ProjectionTest TableCacheTest TableCacheThreadsTest DbFeedTest \
  DbAskerThreadsTest MapRendererTest \
  bcmap bcmap_probe bcmap_plugins bcmap_fixture_plugins bcmap_fault_fixture_plugins bcmap_tsan_canary

$(TSAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TSAN_BUILD) -DBCMAP_SANITIZE_THREAD=ON \
	  -DBCMAP_BUILD_BENCH=OFF -DBCMAP_WERROR=$(WERROR) $(CMAKE_FLAGS)

# Configured again first: a named target new since the last configure is otherwise unknown.
build-tsan: deps $(TSAN_BUILD)/CMakeCache.txt
	cmake -S . -B $(TSAN_BUILD) > /dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TARGETS)

# Headless: with no X server or Wayland named, GL comes from EGL.
test-tsan: build-tsan
	$(call test_xdg,$(TSAN_BUILD)) sh -c 'cd $(TSAN_BUILD) && env -u DISPLAY -u WAYLAND_DISPLAY ctest --output-on-failure -j $(JOBS) -L tsan'

# A .deb of the installed tree (cmake/BcmapPackage.cmake), written into the build folder;
# the last line printed is its path.
package: build
	cd $(BUILD) && cpack -G DEB > cpack-deb.log 2>&1 || { cat cpack-deb.log; exit 1; }
	@sed -n 's/^CPack: - package: \(.*\) generated\.$$/\1/p' $(BUILD)/cpack-deb.log

# The bench set of packages (QGIS for the side-by-side figures) is installed here only.
# issue11_bench.py: 10M points, QGIS 3.22, PostGIS 1M/10M (about 20 minutes, 6 more the first time to
# generate the 10M files, 3 GB in $(BUILD)/bench/cache).
bench: build
	@tools/setup-deps.sh bench
	$(BUILD)/bench/bcmap_bench --out bench/RESULTS.md
	python3 bench/issue11_bench.py --build $(BUILD) --out bench/RESULTS.md

# bench/soak.py: the viewer under Xvfb for SOAK_MINUTES (default 10) of scripted input (pan, zoom,
# time play, layer toggles, style changes, data and plugin hot reloads) with 200k generated points;
# RSS and frame times each minute into $(BUILD)/soak/; fails when RSS grows > 5 % after the first
# minute or the viewer dies. A benchmark: `make test` does not run it.
SOAK_MINUTES ?= 10
.PHONY: soak
soak: build
	python3 bench/soak.py --build $(BUILD) --minutes $(SOAK_MINUTES)

# libFuzzer (clang 14, its own build tree; the fuzz set of packages is installed here only):
# the harnesses of fuzz/ (fuzz/README.md), each run FUZZ_SECONDS from its committed corpus
# fuzz/corpus/<name>/; new inputs go to $(FUZZ_BUILD)/corpus-new/, crashes to
# $(FUZZ_BUILD)/findings/. FUZZERS="session filter" runs only those. `make test` replays the
# committed corpora without clang (tests/fuzz/).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZERS      ?=
fuzz:
	@tools/setup-deps.sh fuzz
	@test -f $(FUZZ_BUILD)/CMakeCache.txt || CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) \
	  -DBCMAP_FUZZ=ON -DBCMAP_BUILD_TESTS=OFF -DBCMAP_BUILD_BENCH=OFF -DBCMAP_WERROR=$(WERROR) $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target bcmap_fuzzers
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZERS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
