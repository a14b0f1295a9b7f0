// TableCacheTest: the data cache (io/TableCache.h). Round trips of every column kind, a miss
// on a change to each part of the key, damaged files (truncated, each section and the header
// corrupted, a folder, a FIFO or a link in the entry's place) falling back to the source with
// the same table and a log line, least-recently-used eviction, two processes writing one
// entry, and the switches that turn it off.
// Sections: helpers · round trips · the hook and the key · damaged files · eviction and
// writers · switches and what is not cached
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "common/TempDir.h"
#include "io/TableCache.h"
#include "model/Log.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// ---- helpers ---------------------------------------------------------------------------
// The test's own folder (tests/common/TempDir.h), named "bcmap-tablecache-XXXXXX".
class TempDir : public bcmap_test::TempDir {
 public:
  TempDir() : bcmap_test::TempDir("bcmap-tablecache") {}
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// An hour ago: older than the racy window, so a read of it may be stored.
void age(const std::string& path, int seconds = 3600) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds));
}

void expectSameTable(const VectorReadResult& a, const VectorReadResult& b) {
  EXPECT_EQ(a.crs, b.crs);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.skipped, b.skipped);
  const GeometryColumn &ga = a.table.geometry, &gb = b.table.geometry;
  EXPECT_EQ(ga.kind, gb.kind);
  ASSERT_EQ(ga.xy.size(), gb.xy.size());
  if (!ga.xy.empty()) {
    EXPECT_EQ(std::memcmp(ga.xy.data(), gb.xy.data(), ga.xy.size() * sizeof(Vec2)), 0);
  }
  EXPECT_EQ(ga.ringVertices, gb.ringVertices);
  EXPECT_EQ(ga.partRings, gb.partRings);
  EXPECT_EQ(ga.featureParts, gb.featureParts);
  EXPECT_EQ(a.table.ids, b.table.ids);
  EXPECT_EQ(a.table.startDay, b.table.startDay);
  EXPECT_EQ(a.table.endDay, b.table.endDay);
  ASSERT_EQ(a.table.columns.size(), b.table.columns.size());
  for (size_t c = 0; c < a.table.columns.size(); ++c) {
    const AttributeColumn &ca = a.table.columns[c], &cb = b.table.columns[c];
    EXPECT_EQ(ca.name, cb.name);
    EXPECT_EQ(ca.type, cb.type) << ca.name;
    EXPECT_EQ(ca.isNull, cb.isNull) << ca.name;
    EXPECT_EQ(ca.ints, cb.ints) << ca.name;
    ASSERT_EQ(ca.reals.size(), cb.reals.size()) << ca.name;
    // Bit for bit (NaN, -0.0); an empty column's data() may be null, which memcmp may not take.
    if (!ca.reals.empty()) {
      EXPECT_EQ(std::memcmp(ca.reals.data(), cb.reals.data(), ca.reals.size() * sizeof(double)), 0) << ca.name;
    }
    EXPECT_EQ(ca.strings, cb.strings) << ca.name;
  }
}

// Two multipolygons with holes, a polygon, a feature with no geometry; every column kind with
// nulls; ids; time spans with open ends.
VectorReadResult richTable() {
  VectorReadResult r;
  r.crs = "EPSG:4326";
  r.kind = GeometryKind::Polygon;
  r.viaArrowStream = true;
  GeometryColumn& g = r.table.geometry;
  g.kind = GeometryKind::Polygon;
  auto ring = [&](double x, double y, double s) {
    for (Vec2 p : {Vec2{x, y}, Vec2{x + s, y}, Vec2{x + s, y + s}, Vec2{x, y + s}, Vec2{x, y}}) g.xy.push_back(p);
    g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
  };
  // Feature 0: two parts, the first with two holes.
  ring(122, 45, 1), ring(122.1, 45.1, 0.2), ring(122.5, 45.5, 0.2);
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
  ring(124, 45, 0.5);
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
  g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
  // Feature 1: no geometry.
  g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
  // Feature 2: one polygon with one hole, a coordinate that is not finite kept as it is.
  ring(121, 44, 2), ring(121.5, 44.5, 0.5);
  g.xy.back().x = -0.0;
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
  g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));

  AttributeColumn ints{"人口", FieldType::Integer, {5, 0, -9000000000LL}, {}, {}, {0, 1, 0}};
  AttributeColumn reals{"area", FieldType::Real, {}, {1.5, 0, std::nan("")}, {}, {0, 1, 0}};
  AttributeColumn strings{"name", FieldType::String, {}, {}, {"洮北区", "", std::string("a\0b", 3)}, {0, 1, 0}};
  AttributeColumn dates{"since", FieldType::Date, {*parseDate("2016-01-01"), 0, -1}, {}, {}, {0, 1, 0}};
  r.table.columns = {ints, reals, strings, dates};
  r.table.ids = {"220802", "", "220821"};
  r.table.startDay = {*parseDate("2016-01-01"), kNoDay, 0};
  r.table.endDay = {kNoDay, kNoDay, *parseDate("2020-12-31")};
  return r;
}

TableCacheKey handKey(const std::string& identity, const std::string& state = "state") {
  TableCacheKey k;
  k.identity = identity;
  k.state = state;
  return k;
}

size_t logCount(const std::string& needle) {
  size_t n = 0;
  for (const LogEntry& e : logSnapshot()) n += e.message.find(needle) != std::string::npos;
  return n;
}

// A GeoJSON source: multipolygons with holes, a point-free feature, attributes of each
// kind, an id and a time span.
constexpr const char* kGeoJson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"220802","name":"洮北区","pop":378000,"area":2554.5,"from":"2016-01-01","to":null},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[122,45],[123,45],[123,46],[122,46],[122,45]],[[122.2,45.2],[122.4,45.2],[122.4,45.4],[122.2,45.2]]],[[[124,45],[124.5,45],[124.5,45.5],[124,45]]]]}},
{"type":"Feature","properties":{"code":"220821","name":null,"pop":null,"area":null,"from":null,"to":"2020-12-31"},"geometry":null},
{"type":"Feature","properties":{"code":"220822","name":"通榆县","pop":300000,"area":8476.1,"from":"2017-05-05","to":"2021-01-01"},
 "geometry":{"type":"Polygon","coordinates":[[[121,44],[122,44],[122,45],[121,44]]]}}]})";

struct SourceFixture {
  TempDir dir;
  std::string path = dir.file("counties.geojson");
  VectorReadOptions options;
  TableCache cache{dir.file("cache"), kDefaultDataCacheBytes};
  SourceFixture() {
    spit(path, kGeoJson);
    age(path);
    options.path = path;
    options.idField = "code";
    options.startField = "from";
    options.endField = "to";
  }
  VectorReadResult source() const {
    std::string err;
    std::optional<VectorReadResult> r = readVector(options, &err);
    EXPECT_TRUE(r) << err;
    return r ? std::move(*r) : VectorReadResult{};
  }
  VectorReadResult cached() const {
    std::string err;
    std::optional<VectorReadResult> r = readVectorCached(options, cache, &err);
    EXPECT_TRUE(r) << err;
    return r ? std::move(*r) : VectorReadResult{};
  }
  std::string entry() const { return cache.pathFor(*tableCacheKey(options)); }
};

// ---- round trips ---------------------------------------------------------------------------
TEST(TableCacheTest, RoundTripsEveryColumnKind) {
  TempDir dir;
  const TableCache cache(dir.file("c"), kDefaultDataCacheBytes);
  const TableCacheKey key = handKey("rich");
  const VectorReadResult in = richTable();
  std::string why;
  ASSERT_TRUE(cache.store(key, in, &why)) << why;
  CacheLookupResult out = cache.lookup(key);
  ASSERT_EQ(out.status, CacheLookup::Hit) << out.why;
  expectSameTable(in, *out.result);
  EXPECT_TRUE(out.result->viaArrowStream);
  EXPECT_EQ(out.result->table.columns[2].strings[2], std::string("a\0b", 3));
  EXPECT_EQ(out.result->table.featureId(1), "1");
}

// String columns come back in the layout they went in: a column of three states still coded
// (a byte a row, on disk too), a column of distinct names plain (an offset a row), with the
// same values.
TEST(TableCacheTest, RoundTripsCodedAndPlainStringColumns) {
  TempDir dir;
  const TableCache cache(dir.file("c"), kDefaultDataCacheBytes);
  constexpr uint32_t kRows = 3000;
  auto table = [&](bool withStrings) {
    VectorReadResult r;
    r.crs = "EPSG:4326";
    r.kind = GeometryKind::Point;
    GeometryColumn& g = r.table.geometry;
    g.kind = GeometryKind::Point;
    AttributeColumn state{"state", FieldType::String, {}, {}, {}, {}};
    AttributeColumn name{"name", FieldType::String, {}, {}, {}, {}};
    const char* states[] = {"poor", "exited", ""};
    for (uint32_t i = 0; i < kRows; ++i) {
      g.xy.push_back({122 + i * 1e-4, 45});
      g.ringVertices.push_back(i + 1), g.partRings.push_back(i + 1), g.featureParts.push_back(i + 1);
      state.appendString(states[i % 3]), state.isNull.push_back(i % 3 == 2);
      name.appendString("村 " + std::to_string(i)), name.isNull.push_back(0);
    }
    if (withStrings) r.table.columns = {state, name};
    return r;
  };
  const VectorReadResult in = table(true);
  ASSERT_TRUE(in.table.columns[0].strings.coded());
  ASSERT_FALSE(in.table.columns[1].strings.coded());
  std::string why;
  ASSERT_TRUE(cache.store(handKey("strings"), in, &why)) << why;
  CacheLookupResult out = cache.lookup(handKey("strings"));
  ASSERT_EQ(out.status, CacheLookup::Hit) << out.why;
  expectSameTable(in, *out.result);
  const FeatureTable& t = out.result->table;
  EXPECT_TRUE(t.columns[0].strings.coded());
  EXPECT_EQ(t.columns[0].strings.distinctCount(), 3u);
  EXPECT_FALSE(t.columns[1].strings.coded());
  EXPECT_EQ(t.columns[0].str(1), "exited");
  EXPECT_EQ(t.columns[1].str(2999), "村 2999");
  EXPECT_EQ(t.columns[1].text(17), "村 17");

  // On disk: the coded column a byte a row, the plain one its text and an 8-byte offset a
  // row ("村 0" .. "村 2999": 5 to 8 bytes, 7.6 on average), and both columns' null flags
  // (a byte a row each). The layout before wrote an offset a row for the states too.
  ASSERT_TRUE(cache.store(handKey("no strings"), table(false), &why)) << why;
  const double perRow =
      double(fs::file_size(cache.pathFor(handKey("strings"))) - fs::file_size(cache.pathFor(handKey("no strings")))) /
      kRows;
  EXPECT_LE(perRow, 1.0 + 7.7 + 8.0 + 2.0 + 0.2);
}

TEST(TableCacheTest, RoundTripsAnEmptyTable) {
  TempDir dir;
  const TableCache cache(dir.file("c"), kDefaultDataCacheBytes);
  VectorReadResult empty;
  empty.crs = "EPSG:3857";
  VectorReadResult emptyWithColumns = empty;
  emptyWithColumns.kind = emptyWithColumns.table.geometry.kind = GeometryKind::Point;
  emptyWithColumns.table.columns = {AttributeColumn{"n", FieldType::Integer, {}, {}, {}, {}},
                                    AttributeColumn{"s", FieldType::String, {}, {}, {}, {}}};
  for (const VectorReadResult* in : {&empty, &emptyWithColumns}) {
    const TableCacheKey key = handKey(std::to_string(in->table.columns.size()));
    std::string why;
    ASSERT_TRUE(cache.store(key, *in, &why)) << why;
    CacheLookupResult out = cache.lookup(key);
    ASSERT_EQ(out.status, CacheLookup::Hit) << out.why;
    expectSameTable(*in, *out.result);
    EXPECT_EQ(out.result->table.featureCount(), 0u);
  }
}

TEST(TableCacheTest, AFeatureOfOneHundredThousandPropertiesIsCachedAndReadBack) {
  // The writer wrote such a table as 100,006 sections, which the reader refused as damaged,
  // so every open read the source again and rewrote the entry.
  TempDir dir;
  std::string json = R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{)";
  for (int i = 0; i < 100'000; ++i) json += (i ? ",\"p" : "\"p") + std::to_string(i) + "\":" + std::to_string(i);
  json += R"(},"geometry":{"type":"Point","coordinates":[122.8,45.6]}}]})";
  const std::string path = dir.file("wide.geojson");
  spit(path, json);
  age(path);
  VectorReadOptions options;
  options.path = path;
  const TableCache cache{dir.file("cache"), kDefaultDataCacheBytes};
  std::string err;
  const std::optional<VectorReadResult> first = readVectorCached(options, cache, &err);
  ASSERT_TRUE(first) << err;
  ASSERT_EQ(first->table.columns.size(), 100'000u);
  const size_t hitsBefore = logCount("read from the data cache");
  const std::optional<VectorReadResult> second = readVectorCached(options, cache, &err);
  ASSERT_TRUE(second) << err;
  EXPECT_EQ(logCount("read from the data cache"), hitsBefore + 1);
  expectSameTable(*first, *second);
}

// ---- the hook and the key ------------------------------------------------------------------
TEST(TableCacheTest, TheSecondReadComesFromTheCacheWithTheSameTable) {
  SourceFixture f;
  const VectorReadResult source = f.source();
  ASSERT_EQ(source.table.featureCount(), 3u);
  EXPECT_FALSE(fs::exists(f.entry()));
  expectSameTable(source, f.cached());  // a miss: read and stored
  ASSERT_TRUE(fs::is_regular_file(f.entry()));
  const size_t hitsBefore = logCount("read from the data cache");
  expectSameTable(source, f.cached());
  EXPECT_EQ(logCount("read from the data cache"), hitsBefore + 1);
  EXPECT_EQ(f.cache.lookup(*tableCacheKey(f.options)).status, CacheLookup::Hit);
}

TEST(TableCacheTest, EachPartOfTheKeyMisses) {
  SourceFixture f;
  const TableCacheKey key = *tableCacheKey(f.options);
  std::string why;
  ASSERT_TRUE(f.cache.store(key, f.source(), &why)) << why;
  ASSERT_EQ(f.cache.lookup(key).status, CacheLookup::Hit);

  auto expectMiss = [&](const VectorReadOptions& o, const char* what, uint32_t version = kTableCacheReaderVersion) {
    const std::optional<TableCacheKey> k = tableCacheKey(o, version);
    ASSERT_TRUE(k) << what;
    EXPECT_NE(k->text(), key.text()) << what;
    EXPECT_EQ(f.cache.lookup(*k).status, CacheLookup::Miss) << what;
  };
  expectMiss(f.options, "the reader version", kTableCacheReaderVersion + 1);
  // The request: every option that changes the result.
  std::vector<std::pair<const char*, std::function<void(VectorReadOptions&)>>> changes = {
      {"layer", [](VectorReadOptions& o) { o.layerName = "counties"; }},
      {"filter", [](VectorReadOptions& o) { o.attributeFilter = "pop > 0"; }},
      {"field map", [](VectorReadOptions& o) { o.fieldMap = {{"名称", "name"}}; }},
      {"field map order", [](VectorReadOptions& o) { o.fieldMap = {{"name", "name"}, {"pop", "pop"}}; }},
      {"source crs", [](VectorReadOptions& o) { o.sourceCrs = "EPSG:4490"; }},
      {"gcj02", [](VectorReadOptions& o) { o.gcj02 = true; }},
      {"start field", [](VectorReadOptions& o) { o.startField = "to"; }},
      {"end field", [](VectorReadOptions& o) { o.endField.clear(); }},
      {"id field", [](VectorReadOptions& o) { o.idField = "name"; }},
      {"expected kind", [](VectorReadOptions& o) { o.expectKind = GeometryKind::Polygon; }},
      {"drivers", [](VectorReadOptions& o) { o.allowedDrivers = {"GeoJSON"}; }},
      {"arrow stream", [](VectorReadOptions& o) { o.useArrowStream = false; }},
      {"fast geojson", [](VectorReadOptions& o) { o.allowFastGeoJson = false; }},
  };
  for (auto& [what, change] : changes) {
    VectorReadOptions o = f.options;
    change(o);
    expectMiss(o, what);
  }
  // The field map's order is the columns' order.
  VectorReadOptions ab = f.options, ba = f.options;
  ab.fieldMap = {{"name", "name"}, {"pop", "pop"}};
  ba.fieldMap = {{"pop", "pop"}, {"name", "name"}};
  EXPECT_NE(tableCacheKey(ab)->fileName(), tableCacheKey(ba)->fileName());
  // The path: the same bytes under another name.
  const std::string copy = f.dir.file("copy.geojson");
  fs::copy_file(f.path, copy);
  age(copy);
  VectorReadOptions other = f.options;
  other.path = copy;
  expectMiss(other, "the path");
  // The modification time, alone.
  age(f.path, 7200);
  expectMiss(f.options, "the mtime");
  // The size (same mtime as before the append).
  const auto mtime = fs::last_write_time(f.path);
  std::ofstream(f.path, std::ios::app) << "\n";
  fs::last_write_time(f.path, mtime);
  expectMiss(f.options, "the size");
  // A Shapefile's sidecar (the .dbf beside a .shp) is part of its state.
  const std::string shp = f.dir.file("a.shp");
  spit(shp, "x");
  VectorReadOptions shpOptions;
  shpOptions.path = shp;
  const std::string before = tableCacheKey(shpOptions)->text();
  spit(f.dir.file("a.dbf"), "y");
  EXPECT_NE(tableCacheKey(shpOptions)->text(), before) << "a new .dbf";
}

TEST(TableCacheTest, AChangedSourceIsReadAgainAndReplacesItsEntry) {
  SourceFixture f;
  f.cached();
  const std::string entry = f.entry();
  ASSERT_TRUE(fs::exists(entry));
  std::string text = kGeoJson;
  text.replace(text.find("洮北区"), std::strlen("洮北区"), "白城市");
  spit(f.path, text);
  age(f.path, 60);
  EXPECT_EQ(f.entry(), entry) << "the same request names the same file";
  const VectorReadResult now = f.cached();
  EXPECT_EQ(now.table.column("name")->strings[0], "白城市");
  expectSameTable(f.source(), now);
  EXPECT_EQ(dataCacheUsage(f.cache.dir()).files, 1u);
  expectSameTable(f.source(), f.cached());
}

// ---- damaged files -------------------------------------------------------------------------
struct SectionSpan {
  uint64_t offset, length;
};

std::vector<SectionSpan> sectionsOf(const std::string& bytes) {
  uint32_t count = 0;
  std::memcpy(&count, bytes.data() + 12, 4);
  std::vector<SectionSpan> out;
  for (uint32_t i = 0; i < count; ++i) {
    SectionSpan s{};
    std::memcpy(&s.offset, bytes.data() + 48 + 32 * i + 8, 8);
    std::memcpy(&s.length, bytes.data() + 48 + 32 * i + 16, 8);
    out.push_back(s);
  }
  return out;
}

// Damages the entry with `damage`, then checks the read falls back to the source (same
// table), says so in the log, and rebuilds the entry.
void expectFallback(SourceFixture& f, const std::string& what, const std::function<void(const std::string&)>& damage) {
  SCOPED_TRACE(what);
  const VectorReadResult source = f.source();
  f.cached();
  const std::string entry = f.entry();
  ASSERT_EQ(f.cache.lookup(*tableCacheKey(f.options)).status, CacheLookup::Hit);
  damage(entry);
  const size_t warnings = logCount("is damaged");
  expectSameTable(source, f.cached());
  EXPECT_EQ(logCount("is damaged"), warnings + 1) << "a log line names the damage";
  EXPECT_EQ(f.cache.lookup(*tableCacheKey(f.options)).status, CacheLookup::Hit) << "rebuilt";
}

TEST(TableCacheTest, ATruncatedFileIsRebuiltFromTheSource) {
  SourceFixture f;
  f.cached();
  const size_t size = fs::file_size(f.entry());
  for (size_t keep : {size_t{0}, size_t{10}, size_t{48}, size_t{48 + 32 * 3}, size / 2, size - 1}) {
    expectFallback(f, "truncated to " + std::to_string(keep),
                   [keep](const std::string& e) { ASSERT_EQ(::truncate(e.c_str(), static_cast<off_t>(keep)), 0); });
  }
  expectFallback(f, "grown by a byte", [](const std::string& e) { std::ofstream(e, std::ios::app) << 'x'; });
}

TEST(TableCacheTest, ACorruptedHeaderOrSectionIsRebuiltFromTheSource) {
  SourceFixture f;
  f.cached();
  const std::string good = slurp(f.entry());
  const std::vector<SectionSpan> sections = sectionsOf(good);
  ASSERT_EQ(sections.size(), 6u + 6u) << "6 fixed sections, then one a column: code, name, pop, area, from, to";
  auto flipAt = [&](size_t at) {
    return [&good, at](const std::string& e) {
      std::string bad = good;
      bad[at] = static_cast<char>(bad[at] ^ 0x10);
      spit(e, bad);
    };
  };
  // The header: magic, version, section count, key hash, size, checksum, feature count; the
  // section table.
  for (size_t at : {0, 8, 12, 16, 24, 32, 40, 48 + 8, 48 + 16, 48 + 24})
    expectFallback(f, "header byte " + std::to_string(at), flipAt(at));
  // Each section, one byte in its middle.
  for (size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].length == 0) continue;
    expectFallback(f, "section " + std::to_string(i), flipAt(sections[i].offset + sections[i].length / 2));
  }
  expectFallback(f, "the middle of the file", flipAt(good.size() / 2));
}

TEST(TableCacheTest, AFolderAFifoOrALinkInItsPlaceIsRebuilt) {
  SourceFixture f;
  expectFallback(f, "a folder", [](const std::string& e) {
    fs::remove(e);
    fs::create_directories(fs::path(e) / "inside");
  });
  expectFallback(f, "a FIFO (must not block)", [](const std::string& e) {
    fs::remove(e);
    ASSERT_EQ(::mkfifo(e.c_str(), 0600), 0);
  });
  expectFallback(f, "a link to a good entry", [&f](const std::string& e) {
    const std::string elsewhere = f.dir.file("elsewhere.bcmt");
    fs::rename(e, elsewhere);
    fs::create_symlink(elsewhere, e);
  });
  expectFallback(f, "zero length", [](const std::string& e) { spit(e, ""); });
  expectFallback(f, "another file's bytes", [](const std::string& e) { spit(e, std::string(4096, 'z')); });
}

// Another process truncates and restores the entry in place while this one reads it: each
// read is a hit with the whole table or damaged, never a crash (a mapped file would raise
// SIGBUS on the pages cut off).
TEST(TableCacheTest, AnEntryTruncatedWhileReadIsNeverTrustedNorFatal) {
  TempDir dir;
  const TableCache cache(dir.file("c"), kDefaultDataCacheBytes);
  VectorReadResult big = richTable();
  for (int i = 0; i < 100000; ++i) big.table.geometry.xy.push_back({1.0 * i, 2.0 * i});
  big.table.geometry.ringVertices.set(big.table.geometry.ringVertices.size() - 1, static_cast<uint32_t>(big.table.geometry.xy.size()));
  const TableCacheKey key = handKey("shrinking");
  const std::string good = encodeTableCache(key, big);
  fs::create_directories(cache.dir());
  const std::string entry = cache.pathFor(key);
  spit(entry, good);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
    for (unsigned i = 1; std::chrono::steady_clock::now() < end; ++i) {
      if (::truncate(entry.c_str(), static_cast<off_t>((i * 7919u) % good.size())) != 0) continue;
      std::ofstream(entry, std::ios::binary | std::ios::in | std::ios::out) << good;  // in place, same inode
    }
    _exit(0);
  }
  size_t hits = 0, damaged = 0;
  for (int i = 0; i < 300; ++i) {
    // Damaged entries are removed by lookup; put the entry back for the writer to keep cutting.
    if (!fs::exists(entry)) spit(entry, good);
    CacheLookupResult r = cache.lookup(key);
    if (r.status == CacheLookup::Hit) {
      ++hits;
      expectSameTable(big, *r.result);
    } else {
      damaged += r.status == CacheLookup::Damaged;
    }
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_GT(hits + damaged, 0u);
  std::printf("while truncated under it: %zu hits, %zu damaged\n", hits, damaged);
}

// ---- eviction and writers ------------------------------------------------------------------
TEST(TableCacheTest, EvictsTheLeastRecentlyUsedAfterAWrite) {
  TempDir dir;
  const VectorReadResult table = richTable();
  const size_t one = encodeTableCache(handKey("a"), table).size();
  const TableCache cache(dir.file("c"), 2 * one + one / 2);  // room for two
  std::string why;
  ASSERT_TRUE(cache.store(handKey("a"), table, &why)) << why;
  ASSERT_TRUE(cache.store(handKey("b"), table, &why)) << why;
  // a written first, b later; then a is used, so b is the least recently used.
  age(cache.pathFor(handKey("a")), 200);
  age(cache.pathFor(handKey("b")), 100);
  ASSERT_EQ(cache.lookup(handKey("a")).status, CacheLookup::Hit);
  ASSERT_TRUE(cache.store(handKey("c"), table, &why)) << why;
  EXPECT_TRUE(fs::exists(cache.pathFor(handKey("a"))));
  EXPECT_FALSE(fs::exists(cache.pathFor(handKey("b"))));
  EXPECT_TRUE(fs::exists(cache.pathFor(handKey("c"))));
  EXPECT_EQ(dataCacheUsage(cache.dir()).files, 2u);
  EXPECT_LE(dataCacheUsage(cache.dir()).bytes, cache.maxBytes());
  // Without a use, the oldest write goes.
  age(cache.pathFor(handKey("a")), 50);
  age(cache.pathFor(handKey("c")), 10);
  ASSERT_TRUE(cache.store(handKey("d"), table, &why)) << why;
  EXPECT_FALSE(fs::exists(cache.pathFor(handKey("a"))));
  EXPECT_TRUE(fs::exists(cache.pathFor(handKey("c"))));
  // One entry larger than the whole cache is not written.
  const TableCache tiny(dir.file("tiny"), one - 1);
  EXPECT_FALSE(tiny.store(handKey("a"), table, &why));
  EXPECT_EQ(dataCacheUsage(tiny.dir()).files, 0u);
}

TEST(TableCacheTest, TwoProcessesWritingOneEntryLeaveOneWholeFile) {
  TempDir dir;
  const TableCache cache(dir.file("c"), kDefaultDataCacheBytes);
  VectorReadResult big = richTable();
  for (int i = 0; i < 200000; ++i) big.table.geometry.xy.push_back({1.0 * i, 2.0 * i});
  big.table.geometry.ringVertices.set(big.table.geometry.ringVertices.size() - 1, static_cast<uint32_t>(big.table.geometry.xy.size()));
  std::vector<pid_t> children;
  for (int c = 0; c < 3; ++c) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      bool ok = true;
      for (int i = 0; i < 8; ++i) ok = cache.store(handKey("same"), big, nullptr) && ok;
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  bool ok = true;
  for (int i = 0; i < 8; ++i) ok = cache.store(handKey("same"), big, nullptr) && ok;
  EXPECT_TRUE(ok);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed";
  }
  CacheLookupResult out = cache.lookup(handKey("same"));
  ASSERT_EQ(out.status, CacheLookup::Hit) << out.why;
  expectSameTable(big, *out.result);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(cache.dir())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "no temporary file is left";
}

// ---- switches and what is not cached -------------------------------------------------------
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) setenv(name, value, 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(TableCacheTest, TheProcessCacheLivesUnderXdgAndCanBeSwitchedOff) {
  SourceFixture f;
  const ScopedEnv xdg("XDG_CACHE_HOME", f.dir.file("xdg").c_str());
  const ScopedEnv dir("BCMAP_CACHE_DIR", nullptr);
  const ScopedEnv limit("BCMAP_DATA_CACHE_MAX_MB", "7");
  EXPECT_EQ(dataCacheDir(), f.dir.file("xdg") + "/bcmap/data");
  EXPECT_EQ(dataCacheLimitBytes(), uint64_t{7} << 20);
  std::string err;
  {
    const ScopedEnv off("BCMAP_DATA_CACHE", "0");
    EXPECT_FALSE(dataCacheEnabled());
    ASSERT_TRUE(readVectorCached(f.options, &err)) << err;
    EXPECT_EQ(dataCacheUsage(dataCacheDir()).files, 0u) << "BCMAP_DATA_CACHE=0 writes nothing";
  }
  setDataCacheEnabled(false);
  ASSERT_TRUE(readVectorCached(f.options, &err)) << err;
  EXPECT_EQ(dataCacheUsage(dataCacheDir()).files, 0u) << "--no-cache writes nothing";
  setDataCacheEnabled(true);
  ASSERT_TRUE(readVectorCached(f.options, &err)) << err;
  EXPECT_EQ(dataCacheUsage(dataCacheDir()).files, 1u);
  // clear removes the entries, and nothing else in the cache folder above it.
  spit(f.dir.file("xdg") + "/bcmap/probe-cache.tsv", "probe");
  size_t removed = 0;
  ASSERT_TRUE(clearDataCache(dataCacheDir(), &removed, &err)) << err;
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(dataCacheUsage(dataCacheDir()).files, 0u);
  EXPECT_EQ(slurp(f.dir.file("xdg") + "/bcmap/probe-cache.tsv"), "probe");
}

TEST(TableCacheTest, OnlyLocalSettledWholeReadsAreCached) {
  SourceFixture f;
  for (const char* source : {"PG:dbname=gis host=db tables=points", "postgresql://u@db:5432/gis?table=p",
                             "https://example.com/a.geojson", "/vsicurl/https://example.com/a.fgb",
                             "/vsizip/a.zip/a.shp"}) {
    VectorReadOptions o;
    o.path = source;
    EXPECT_FALSE(tableCacheKey(o)) << source;
  }
  VectorReadOptions folder;
  folder.path = f.dir.path();
  EXPECT_FALSE(tableCacheKey(folder)) << "a folder";
  // A source written just now may still change within its timestamp's tick: not stored.
  spit(f.path, kGeoJson);
  f.cached();
  EXPECT_EQ(dataCacheUsage(f.cache.dir()).files, 0u) << "racy";
  // A read that dropped features is read again each time (its warnings repeat).
  const std::string bad = f.dir.file("bad.geojson");
  spit(bad, R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[122,45]}},
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500,45]}}]})");
  age(bad);
  VectorReadOptions o;
  o.path = bad;
  std::string err;
  std::optional<VectorReadResult> r = readVectorCached(o, f.cache, &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->skipped, 1u);
  EXPECT_EQ(dataCacheUsage(f.cache.dir()).files, 0u) << "skipped features";
}

}  // namespace
}  // namespace bcmap
