// TableCacheThreadsTest: the data cache (io/TableCache.h) read and written from several
// threads at once, as the viewer's loader threads do (host/LayerLoader.h: each load asks
// the host's read_vector service, which reads through readVectorCached). Built in every
// tree (label unit); under ThreadSanitizer it is one of the tsan tests
// (tests/tsan/CMakeLists.txt), where it exists to be raced: one source read by every
// thread at once (each a miss that stores the same entry), several sources at once in a
// cache small enough that each store evicts what another thread is reading.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/TempDir.h"
#include "io/TableCache.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

constexpr int kThreads = 4;

// A small GeoJSON source, `n` points with a name and a number each, an hour old (older
// than kRacySeconds, so a read of it is stored).
std::string writeSource(const bcmap_test::TempDir& dir, const std::string& name, int n) {
  std::string text = R"({"type":"FeatureCollection","features":[)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) text += ",";
    text += R"({"type":"Feature","properties":{"name":"p)" + std::to_string(i) + R"(","n":)" + std::to_string(i) +
            R"(},"geometry":{"type":"Point","coordinates":[)" + std::to_string(122 + 0.01 * i) + ",45]}}";
  }
  text += "]}";
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1));
  return path;
}

// The parts of a read the threads compare.
struct Summary {
  size_t features = 0, points = 0, columns = 0;
  friend bool operator==(const Summary&, const Summary&) = default;
};

Summary summaryOf(const VectorReadResult& r) {
  return {r.table.featureCount(), r.table.geometry.xy.size(), r.table.columns.size()};
}

// Runs `body(thread index)` on kThreads threads started together.
template <class F>
void onThreads(F body) {
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k) threads.emplace_back([&body, k] { body(k); });
  for (std::thread& t : threads) t.join();
}

TEST(TableCacheThreadsTest, OneSourceReadByEveryThreadAtOnceLeavesOneWholeEntry) {
  bcmap_test::TempDir dir("bcmap-tsan-cache");
  ASSERT_TRUE(dir.ok());
  const std::string path = writeSource(dir, "points.geojson", 500);
  const TableCache cache(dir.file("cache"), kDefaultDataCacheBytes);
  VectorReadOptions o;
  o.path = path;

  for (int round = 0; round < 2; ++round) {  // all misses storing the entry, then all hits
    std::vector<std::optional<Summary>> got(kThreads);
    std::vector<std::string> errors(kThreads);
    onThreads([&](int k) {
      std::optional<VectorReadResult> r = readVectorCached(o, cache, &errors[k]);
      if (r) got[k] = summaryOf(*r);
    });
    for (int k = 0; k < kThreads; ++k) {
      ASSERT_TRUE(got[k]) << "round " << round << ", thread " << k << ": " << errors[k];
      EXPECT_EQ(got[k]->features, 500u);
      EXPECT_EQ(*got[k], *got[0]);
    }
    const DataCacheUsage u = dataCacheUsage(cache.dir());
    EXPECT_EQ(u.files, 1u) << "round " << round;
    EXPECT_EQ(cache.lookup(*tableCacheKey(o)).status, CacheLookup::Hit) << "round " << round;
  }
}

TEST(TableCacheThreadsTest, SeveralSourcesAtOnceInACacheThatEvictsWhileOthersRead) {
  bcmap_test::TempDir dir("bcmap-tsan-cache");
  ASSERT_TRUE(dir.ok());
  std::vector<std::string> paths;
  for (int k = 0; k < kThreads; ++k) paths.push_back(writeSource(dir, "s" + std::to_string(k) + ".geojson", 200 + 50 * k));
  // The first entry's size: the cache holds about two, so every store evicts another's.
  const TableCache probe(dir.file("probe"), kDefaultDataCacheBytes);
  VectorReadOptions first;
  first.path = paths[0];
  std::string err;
  ASSERT_TRUE(readVectorCached(first, probe, &err)) << err;
  const uint64_t entryBytes = dataCacheUsage(probe.dir()).bytes;
  ASSERT_GT(entryBytes, 0u);
  const TableCache cache(dir.file("cache"), entryBytes * 5 / 2);

  std::vector<std::string> errors(kThreads);
  std::vector<int> wrong(kThreads, 0);
  onThreads([&](int k) {
    for (int i = 0; i < 6; ++i) {
      const int s = (k + i) % kThreads;  // each thread walks the sources from its own
      VectorReadOptions o;
      o.path = paths[s];
      std::optional<VectorReadResult> r = readVectorCached(o, cache, &errors[k]);
      if (!r || r->table.featureCount() != static_cast<size_t>(200 + 50 * s)) ++wrong[k];
    }
  });
  for (int k = 0; k < kThreads; ++k) EXPECT_EQ(wrong[k], 0) << "thread " << k << ": " << errors[k];
  EXPECT_LE(dataCacheUsage(cache.dir()).bytes, cache.maxBytes());
}

TEST(TableCacheThreadsTest, TheProcessCacheFromSeveralThreads) {
  bcmap_test::TempDir dir("bcmap-tsan-cache");
  ASSERT_TRUE(dir.ok());
  // Set before any thread starts (setenv is not thread-safe), as main() does.
  ASSERT_EQ(setenv("BCMAP_CACHE_DIR", dir.file("home").c_str(), 1), 0);
  const std::string a = writeSource(dir, "a.geojson", 300), b = writeSource(dir, "b.geojson", 120);
  std::vector<std::string> errors(kThreads);
  std::vector<int> wrong(kThreads, 0);
  onThreads([&](int k) {
    for (int i = 0; i < 3; ++i) {
      VectorReadOptions o;
      o.path = (k + i) % 2 == 0 ? a : b;
      if (!dataCacheEnabled()) ++wrong[k];
      std::optional<VectorReadResult> r = readVectorCached(o, &errors[k]);
      if (!r || r->table.featureCount() != (o.path == a ? 300u : 120u)) ++wrong[k];
    }
  });
  unsetenv("BCMAP_CACHE_DIR");
  for (int k = 0; k < kThreads; ++k) EXPECT_EQ(wrong[k], 0) << "thread " << k << ": " << errors[k];
  EXPECT_EQ(dataCacheUsage(dir.file("home/data")).files, 2u);
}

}  // namespace
}  // namespace bcmap
