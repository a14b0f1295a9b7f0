// GeoJsonReaderTest: the fast GeoJSON reader (io/GeoJsonReader.h) against GDAL's GeoJSON
// driver. Every .geojson/.json under tests/data and geodata is read both ways, with several
// option sets, and the results must be identical (or both reads fail with the same
// message); files named declined_* in tests/data/geojson must go to GDAL, the other files
// there must be read by the fast reader. Deep nesting (generated here) must be declined
// without deep recursion, and truncated files must never crash either reader.
// The timing of both readers is bench/ReadSearchBench.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/TempDir.h"
#include "io/GeoJsonReader.h"
#include "model/Log.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp folder, removed with everything in it.
// The test's own folder (tests/common/TempDir.h), named "bcmap-geojson-XXXXXX".
class TempDir : public bcmap_test::TempDir {
 public:
  TempDir() : bcmap_test::TempDir("bcmap-geojson") {}
};

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every GeoJSON file of the suite, found when the test runs.
std::vector<std::string> suiteGeoJsonFiles() {
  std::vector<std::string> files;
  auto isGeoJson = [](const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".geojson" || ext == ".json";
  };
  for (const auto& e : fs::recursive_directory_iterator(BCMAP_TEST_DATA))
    if (e.is_regular_file() && isGeoJson(e.path())) files.push_back(e.path().string());
  for (const auto& e : fs::directory_iterator(BCMAP_GEODATA))
    if (e.is_regular_file() && e.path().extension() == ".geojson") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

struct Outcome {
  std::optional<VectorReadResult> result;
  std::string err;
};

Outcome readWith(VectorReadOptions o, bool allowFast) {
  o.allowFastGeoJson = allowFast;
  Outcome out;
  out.result = readVector(o, &out.err);
  return out;
}

// Coordinates come from the same decimal text through correctly rounded conversions on
// both sides, so they should be equal; 1e-12 relative is the most the comparison allows.
bool sameCoordinate(double a, double b) {
  if (a == b) return true;
  return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

// Expects the two outcomes to be the same read: success or failure with the same message,
// the same table, CRS, kind and skip count.
void expectSameOutcome(const Outcome& fast, const Outcome& gdal, const std::string& what) {
  ASSERT_EQ(fast.result.has_value(), gdal.result.has_value())
      << what << "\n fast: " << (fast.result ? "read" : fast.err) << "\n gdal: " << (gdal.result ? "read" : gdal.err);
  if (!fast.result) {
    EXPECT_EQ(fast.err, gdal.err) << what;
    return;
  }
  const VectorReadResult& a = *fast.result;
  const VectorReadResult& b = *gdal.result;
  EXPECT_EQ(a.crs, b.crs) << what;
  EXPECT_EQ(a.kind, b.kind) << what;
  EXPECT_EQ(a.skipped, b.skipped) << what;
  const FeatureTable& ta = a.table;
  const FeatureTable& tb = b.table;
  ASSERT_EQ(ta.featureCount(), tb.featureCount()) << what;
  EXPECT_EQ(ta.geometry.kind, tb.geometry.kind) << what;
  EXPECT_EQ(ta.geometry.featureParts, tb.geometry.featureParts) << what;
  EXPECT_EQ(ta.geometry.partRings, tb.geometry.partRings) << what;
  EXPECT_EQ(ta.geometry.ringVertices, tb.geometry.ringVertices) << what;
  ASSERT_EQ(ta.geometry.xy.size(), tb.geometry.xy.size()) << what;
  for (size_t i = 0; i < ta.geometry.xy.size(); ++i) {
    EXPECT_TRUE(sameCoordinate(ta.geometry.xy[i].x, tb.geometry.xy[i].x)) << what << " vertex " << i;
    EXPECT_TRUE(sameCoordinate(ta.geometry.xy[i].y, tb.geometry.xy[i].y)) << what << " vertex " << i;
  }
  ASSERT_EQ(ta.columns.size(), tb.columns.size()) << what;
  for (size_t c = 0; c < ta.columns.size(); ++c) {
    const AttributeColumn& ca = ta.columns[c];
    const AttributeColumn& cb = tb.columns[c];
    const std::string col = what + " column '" + ca.name + "'";
    EXPECT_EQ(ca.name, cb.name) << col;
    EXPECT_EQ(ca.type, cb.type) << col;
    EXPECT_EQ(ca.isNull, cb.isNull) << col;
    EXPECT_EQ(ca.ints, cb.ints) << col;
    EXPECT_EQ(ca.strings, cb.strings) << col;
    ASSERT_EQ(ca.reals.size(), cb.reals.size()) << col;
    for (size_t i = 0; i < ca.reals.size(); ++i)
      EXPECT_TRUE(ca.reals[i] == cb.reals[i] || (std::isnan(ca.reals[i]) && std::isnan(cb.reals[i])))
          << col << " row " << i << ": " << ca.reals[i] << " vs " << cb.reals[i];
    for (size_t i = 0; i < ca.size() && i < cb.size(); ++i) EXPECT_EQ(ca.text(i), cb.text(i)) << col << " row " << i;
  }
  EXPECT_EQ(ta.ids, tb.ids) << what;
  EXPECT_EQ(ta.startDay, tb.startDay) << what;
  EXPECT_EQ(ta.endDay, tb.endDay) << what;
}

// Which reader readVector uses for these options: "fast", "fast (error)", or GDAL's with
// the reason the fast reader declined.
std::string servedBy(const VectorReadOptions& o, GeoJsonFastStatus* status = nullptr) {
  if (!geoJsonFastPathApplies(o)) {
    if (status != nullptr) *status = GeoJsonFastStatus::Declined;
    return "gdal (options)";
  }
  std::string err;
  const GeoJsonFastResult r = readGeoJsonFast(o, &err);
  if (status != nullptr) *status = r.status;
  switch (r.status) {
    case GeoJsonFastStatus::Read: return "fast";
    case GeoJsonFastStatus::Failed: return "fast (error)";
    case GeoJsonFastStatus::Declined: return "gdal (" + r.declined + ")";
  }
  return "?";
}

// Reads `o` through readVector with and without the fast reader and compares; returns
// which reader served it.
std::string compareBothWays(const VectorReadOptions& o, const std::string& what, GeoJsonFastStatus* status = nullptr) {
  const std::string served = servedBy(o, status);
  const Outcome fast = readWith(o, true);
  const Outcome gdal = readWith(o, false);
  expectSameOutcome(fast, gdal, what + " [" + served + "]");
  return served;
}

// The option sets every file is read with, derived from its columns as GDAL reads them.
std::vector<std::pair<std::string, VectorReadOptions>> optionVariants(const std::string& path) {
  std::vector<std::pair<std::string, VectorReadOptions>> v;
  VectorReadOptions base;
  base.path = path;
  v.emplace_back("defaults", base);
  for (GeometryKind k : {GeometryKind::Point, GeometryKind::Line, GeometryKind::Polygon}) {
    VectorReadOptions o = base;
    o.expectKind = k;
    v.emplace_back(std::string("expectKind ") + geometryKindName(k), o);
  }
  {
    VectorReadOptions o = base;
    o.gcj02 = true;
    v.emplace_back("gcj02", o);
    o.gcj02 = false;
    o.sourceCrs = "EPSG:32651";  // projected: no lon/lat range check
    v.emplace_back("sourceCrs EPSG:32651", o);
    o.gcj02 = true;
    v.emplace_back("sourceCrs EPSG:32651 + gcj02", o);
  }
  Outcome columns = readWith(base, false);
  if (!columns.result) return v;
  const FeatureTable& t = columns.result->table;
  for (const AttributeColumn& c : t.columns) {
    VectorReadOptions o = base;
    o.idField = c.name;
    v.emplace_back("idField " + c.name, o);
    o.idField.clear();
    o.startField = c.name;
    v.emplace_back("startField " + c.name, o);
    o.endField = c.name;
    o.startField.clear();
    v.emplace_back("endField " + c.name, o);
  }
  if (!t.columns.empty()) {
    // Renamed, reordered, one source column twice, a name in another case, a missing one.
    VectorReadOptions o = base;
    const std::string first = t.columns.front().name;
    const std::string last = t.columns.back().name;
    o.fieldMap = {{"last", last}, {"first", first}, {"again", last}};
    v.emplace_back("fieldMap", o);
    std::string upper = first;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    o.fieldMap = {{"upper", upper}};
    o.idField = "upper";
    v.emplace_back("fieldMap in another case + idField by layer name", o);
    o.fieldMap = {{"x", "no such field"}};
    o.idField.clear();
    v.emplace_back("fieldMap missing", o);
  }
  return v;
}

std::string fileName(const std::string& path) { return fs::path(path).filename().string(); }
bool inGeoJsonFixtures(const std::string& path) { return fs::path(path).parent_path().filename() == "geojson"; }

class GeoJsonReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Skipped-feature warnings are expected by the hundred here.
    setLogEchoLevel(LogLevel::Error);
    initGdal();
  }
};

// ---- the differential test --------------------------------------------------------------

TEST_F(GeoJsonReaderTest, EveryGeoJsonInTheSuiteReadsAsGdalReadsIt) {
  const std::vector<std::string> files = suiteGeoJsonFiles();
  ASSERT_GE(files.size(), 20u) << "the suite's GeoJSON files were not found under " << BCMAP_TEST_DATA;
  size_t fastFiles = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    GeoJsonFastStatus status = GeoJsonFastStatus::Declined;
    std::string served;
    for (const auto& [name, o] : optionVariants(path)) {
      GeoJsonFastStatus s = GeoJsonFastStatus::Declined;
      const std::string by = compareBothWays(o, path + " (" + name + ")", &s);
      if (name == "defaults") {
        status = s;
        served = by;
      }
    }
    std::cout << "[ differential ] " << fs::relative(path, BCMAP_SOURCE_DIR).string() << ": " << served << "\n";
    if (status != GeoJsonFastStatus::Declined) ++fastFiles;
    // The fixtures made for this reader say by their names which reader must serve them.
    if (inGeoJsonFixtures(path)) {
      if (fileName(path).rfind("declined_", 0) == 0)
        EXPECT_EQ(status, GeoJsonFastStatus::Declined) << path << " should go to GDAL: " << served;
      else
        EXPECT_NE(status, GeoJsonFastStatus::Declined) << path << " should be read by the fast reader: " << served;
    }
  }
  EXPECT_GE(fastFiles, 15u);
}

TEST_F(GeoJsonReaderTest, TheCountyBoundariesAndTheTestPointsAreReadFast) {
  for (const char* name : {"vector/points.geojson", "vector/multipolygon.geojson", "vector/collection.geojson"}) {
    VectorReadOptions o;
    o.path = std::string(BCMAP_TEST_DATA) + "/" + name;
    GeoJsonFastStatus s = GeoJsonFastStatus::Declined;
    servedBy(o, &s);
    EXPECT_EQ(s, GeoJsonFastStatus::Read) << name;
  }
  VectorReadOptions o;
  o.path = std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson";
  o.idField = "adcode";
  GeoJsonFastStatus s = GeoJsonFastStatus::Declined;
  EXPECT_EQ(compareBothWays(o, "counties"), "fast");
  servedBy(o, &s);
  EXPECT_EQ(s, GeoJsonFastStatus::Read);
}

// What GDAL does, written down (the differential test checks the same against GDAL itself).
TEST_F(GeoJsonReaderTest, FieldTypesAndOrderFollowGdal) {
  VectorReadOptions o;
  o.path = std::string(BCMAP_TEST_DATA) + "/geojson/order.geojson";
  std::string err;
  GeoJsonFastResult r = readGeoJsonFast(o, &err);
  ASSERT_EQ(r.status, GeoJsonFastStatus::Read) << r.declined << err;
  std::vector<std::string> names;
  for (const AttributeColumn& c : r.result.table.columns) names.push_back(c.name);
  // Keys that follow one another in a feature keep that order; otherwise names sort.
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha2", "beta", "omega", "zeta", "mid", "alpha", "gamma"}));

  o.path = std::string(BCMAP_TEST_DATA) + "/geojson/types.geojson";
  r = readGeoJsonFast(o, &err);
  ASSERT_EQ(r.status, GeoJsonFastStatus::Read) << r.declined << err;
  const FeatureTable& t = r.result.table;
  auto typeOf = [&](const char* name) {
    const AttributeColumn* c = t.column(name);
    return c != nullptr ? c->type : FieldType::Invalid;
  };
  EXPECT_EQ(typeOf("int"), FieldType::Integer);
  EXPECT_EQ(typeOf("int64"), FieldType::Integer);
  EXPECT_EQ(typeOf("bool_int"), FieldType::Integer);
  EXPECT_EQ(typeOf("int_real"), FieldType::Real);
  EXPECT_EQ(typeOf("bool_real"), FieldType::Real);
  EXPECT_EQ(typeOf("date"), FieldType::Date);
  EXPECT_EQ(typeOf("date_text"), FieldType::String);
  EXPECT_EQ(typeOf("int_text"), FieldType::String);
  EXPECT_EQ(typeOf("object"), FieldType::String);
  EXPECT_EQ(typeOf("nulls"), FieldType::String);
  EXPECT_EQ(typeOf("null_int"), FieldType::Integer);
  EXPECT_EQ(t.column("object")->text(0), R"({ "a": 1, "b": [ 1, 2.5, "x\/y" ], "c": null, "d": { } })");
  EXPECT_EQ(t.column("int_list")->text(0), "(3:1,2,3)");
  EXPECT_EQ(t.column("real_text")->text(2), "0.10000000000000001");  // json-c's %.17g
  EXPECT_EQ(t.column("text_list")->text(1), "[ 1, 2 ]");
  EXPECT_EQ(t.column("bool_text")->text(0), "true");
  EXPECT_EQ(t.column("bool")->ints, (std::vector<int64_t>{1, 0, 0, 0, 0}));
}

TEST_F(GeoJsonReaderTest, OptionsBehaveAsOnTheGdalPath) {
  const std::string points = std::string(BCMAP_TEST_DATA) + "/vector/points.geojson";
  VectorReadOptions o;
  o.path = points;
  o.idField = "code";
  o.startField = "start";
  o.endField = "end";
  EXPECT_EQ(compareBothWays(o, "points with time"), "fast");
  o.fieldMap = {{"数量", "count"}, {"名称", "name"}, {"开始", "start"}};
  o.startField = "开始";
  o.endField.clear();
  EXPECT_EQ(compareBothWays(o, "points, field map"), "fast");
  o.startField = "count";
  EXPECT_EQ(compareBothWays(o, "numbers as dates"), "fast (error)");

  // Errors name the file and say the same as on the GDAL path.
  VectorReadOptions bad;
  bad.path = std::string(BCMAP_TEST_DATA) + "/vector/bad_date.geojson";
  bad.idField = "code";
  const Outcome fast = readWith(bad, true);
  ASSERT_FALSE(fast.result);
  EXPECT_EQ(fast.err, bad.path + ": unparseable date in field 'start' of feature 1 (id D2): '2018-02-30' "
                                 "(expected YYYY-MM-DD)");
  EXPECT_EQ(servedBy(bad), "fast (error)");

  // Options the fast reader does not take go to GDAL.
  o = VectorReadOptions{};
  o.path = points;
  o.attributeFilter = "count > 5";
  EXPECT_FALSE(geoJsonFastPathApplies(o));
  o.attributeFilter.clear();
  o.layerName = "points";
  EXPECT_FALSE(geoJsonFastPathApplies(o));
  o.layerName.clear();
  o.allowedDrivers = {"GPKG"};
  EXPECT_FALSE(geoJsonFastPathApplies(o));
  o.allowedDrivers = {"geojson"};
  EXPECT_TRUE(geoJsonFastPathApplies(o));
  o.allowFastGeoJson = false;
  EXPECT_FALSE(geoJsonFastPathApplies(o));
}

// ---- bounded recursion --------------------------------------------------------------------

std::string featureCollection(const std::string& features) {
  return R"({"type":"FeatureCollection","features":[)" + features + "]}";
}

TEST_F(GeoJsonReaderTest, DeepNestingIsDeclinedWithoutDeepRecursion) {
  TempDir dir;
  constexpr int kLevels = 10000;  // far past simdjson's and GDAL's limits (1024)
  const std::string open(kLevels, '['), close(kLevels, ']');
  std::string objects;
  for (int i = 0; i < kLevels; ++i) objects += R"({"a":)";
  objects += "1" + std::string(kLevels, '}');
  std::string collections = R"({"type":"Point","coordinates":[122.5,45.5]})";
  for (int i = 0; i < 400; ++i) collections = R"({"type":"GeometryCollection","geometries":[)" + collections + "]}";
  const std::pair<const char*, std::string> cases[] = {
      {"deep_coordinates.geojson",
       featureCollection(R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":)" + open +
                         close + "}}")},
      {"deep_property_array.geojson",
       featureCollection(R"({"type":"Feature","properties":{"a":)" + open + close + R"(},"geometry":null})")},
      {"deep_property_object.geojson",
       featureCollection(R"({"type":"Feature","properties":{"a":)" + objects + R"(},"geometry":null})")},
      {"deep_foreign_member.geojson",
       featureCollection(R"({"type":"Feature","x":)" + open + close + R"(,"properties":{},"geometry":null})")},
      {"deep_collections.geojson",
       featureCollection(R"({"type":"Feature","properties":{},"geometry":)" + collections + "}")},
  };
  for (const auto& [name, text] : cases) {
    VectorReadOptions o;
    o.path = dir.file(name);
    writeFile(o.path, text);
    std::string err;
    const GeoJsonFastResult fast = readGeoJsonFast(o, &err);
    EXPECT_EQ(fast.status, GeoJsonFastStatus::Declined) << name;
    EXPECT_NE(fast.declined.find("nested too deeply"), std::string::npos) << name << ": " << fast.declined;
    // GDAL has its own limits and fails cleanly (or, for the collections, skips the feature
    // its WKB parser finds too deep); readVector gives GDAL's outcome either way.
    const std::string served = compareBothWays(o, name);
    std::cout << "[ deep ] " << name << ": " << served << "\n";
    const Outcome gdal = readWith(o, false);
    if (!gdal.result) {
      EXPECT_EQ(gdal.err.rfind(o.path + ": ", 0), 0u) << gdal.err;
    }
  }
}

TEST_F(GeoJsonReaderTest, ModeratelyDeepPropertiesAreReadAsJsonText) {
  TempDir dir;
  constexpr int kLevels = 100;  // within kGeoJsonMaxJsonDepth
  VectorReadOptions o;
  o.path = dir.file("nested.geojson");
  writeFile(o.path, featureCollection(R"({"type":"Feature","properties":{"a":)" + std::string(kLevels, '[') +
                                      std::string(kLevels, ']') + R"(},"geometry":null})"));
  EXPECT_EQ(compareBothWays(o, "100 levels"), "fast");
}

// ---- truncation ------------------------------------------------------------------------------

TEST_F(GeoJsonReaderTest, TruncatedFilesNeverCrashAndFailAsGdalDoes) {
  TempDir dir;
  for (const char* fixture : {"geojson/types.geojson", "vector/points.geojson"}) {
    const std::string text = readFile(std::string(BCMAP_TEST_DATA) + "/" + fixture);
    ASSERT_GT(text.size(), 500u);
    const size_t end = text.find_last_not_of(" \n\r\t") + 1;  // the document without trailing space
    size_t readAsWhole = 0;
    // Every 97th byte (a prime, so the cuts fall on every kind of token).
    for (size_t cut = 0; cut < end; cut += 97) {
      VectorReadOptions o;
      o.path = dir.file("cut_" + std::to_string(cut) + ".geojson");
      writeFile(o.path, text.substr(0, cut));
      GeoJsonFastStatus s = GeoJsonFastStatus::Declined;
      compareBothWays(o, std::string(fixture) + " cut at " + std::to_string(cut), &s);
      if (s != GeoJsonFastStatus::Declined) ++readAsWhole;
      const Outcome out = readWith(o, true);
      if (!out.result) {
        EXPECT_EQ(out.err.rfind(o.path + ": ", 0), 0u) << out.err;
      }
    }
    EXPECT_EQ(readAsWhole, 0u) << fixture << ": the fast reader took a truncated file for a whole one";
  }
}

TEST_F(GeoJsonReaderTest, DamagedFilesReadAsGdalReadsThem) {
  // Every 97th byte replaced by characters that change the JSON's structure or values.
  TempDir dir;
  size_t fast = 0, total = 0;
  for (const char* fixture : {"geojson/types.geojson", "geojson/all_kinds.geojson", "vector/points.geojson"}) {
    const std::string text = readFile(std::string(BCMAP_TEST_DATA) + "/" + fixture);
    for (size_t at = 0; at < text.size(); at += 97) {
      for (const char c : {'"', '}', ']', ',', '1', '-', '\\', ' ', 'e'}) {
        std::string damaged = text;
        damaged[at] = c;
        VectorReadOptions o;
        o.path = dir.file("damaged.geojson");
        writeFile(o.path, damaged);
        GeoJsonFastStatus status = GeoJsonFastStatus::Declined;
        compareBothWays(o, std::string(fixture) + " with '" + c + "' at " + std::to_string(at), &status);
        fast += status != GeoJsonFastStatus::Declined;
        ++total;
      }
    }
  }
  std::cout << "[ damaged ] " << fast << " of " << total << " damaged files read by the fast reader\n";
  EXPECT_GT(fast, total / 10);  // many changes keep the JSON valid (a digit for a digit, a space)
}

TEST_F(GeoJsonReaderTest, RandomFilesReadAsGdalReadsThem) {
  // Random mixes of value kinds per key, key orders and geometry kinds (fixed seed): the
  // field typing and ordering rules against GDAL's on many more combinations than the
  // fixtures hold.
  const char* const values[] = {
      "null", "true", "false", "0", "-7", "2147483648", "-5000000000", "1.5", "-0.0", "1e5", "0.1",
      "\"text\"", "\"\"", "\"2016-02-29\"", "\"2018-02-30\"", "\"2016-13-01\"", "\"12\"", "\"a/b\"",
      "{ \"k\": [ 1, \"v\" ] }", "{ }", "[ ]", "[ 1, 2 ]", "[ 1, 6000000000 ]", "[ 1.5, 2 ]", "[ \"x\", \"y\" ]",
      "[ null ]", "[ [ 1 ] ]", "[ 1, \"a\" ]"};
  const char* const keys[] = {"a", "b", "c", "Dd", "e_1", "名"};
  const char* const geometries[] = {
      "null", R"({ "type": "Point", "coordinates": [ 122.5, 45.5 ] })",
      R"({ "type": "Point", "coordinates": [ 122.5, 45.5, 10 ] })",
      R"({ "type": "MultiPoint", "coordinates": [ [ 122.5, 45.5 ], [ 190, 45 ] ] })",
      R"({ "type": "LineString", "coordinates": [ [ 122.5, 45.5 ], [ 123, 46 ] ] })",
      R"({ "type": "Polygon", "coordinates": [ [ [ 122, 45 ], [ 123, 45 ], [ 123, 46 ], [ 122, 45 ] ] ] })",
      R"({ "type": "GeometryCollection", "geometries": [ { "type": "Point", "coordinates": [ 122, 45 ] } ] })"};
  std::mt19937 rng(97);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  TempDir dir;
  size_t fast = 0;
  constexpr int kFiles = 150;
  for (int file = 0; file < kFiles; ++file) {
    // Each file draws from a few value kinds only, so that many files stay typeable.
    std::vector<const char*> pool;
    for (int i = 0; i < 3; ++i) pool.push_back(values[pick(std::size(values))]);
    const size_t geometryKinds = 1 + pick(2);
    const size_t firstGeometry = pick(std::size(geometries) - 1);
    std::string text = "{ \"type\": \"FeatureCollection\", \"features\": [\n";
    const size_t features = 1 + pick(12);
    for (size_t f = 0; f < features; ++f) {
      std::vector<const char*> order(std::begin(keys), std::end(keys));
      std::shuffle(order.begin(), order.end(), rng);
      order.resize(pick(order.size() + 1));
      text += f > 0 ? ",\n" : "";
      text += "{ \"type\": \"Feature\", \"properties\": { ";
      for (size_t k = 0; k < order.size(); ++k)
        text += std::string(k > 0 ? ", " : "") + "\"" + order[k] + "\": " + pool[pick(pool.size())];
      text += std::string(" }, \"geometry\": ") + geometries[firstGeometry + pick(geometryKinds)] + " }";
    }
    text += "\n] }\n";
    VectorReadOptions o;
    o.path = dir.file("random_" + std::to_string(file) + ".geojson");
    writeFile(o.path, text);
    GeoJsonFastStatus status = GeoJsonFastStatus::Declined;
    compareBothWays(o, o.path + ":\n" + text, &status);
    fast += status != GeoJsonFastStatus::Declined;
  }
  std::cout << "[ random ] " << fast << " of " << kFiles << " random files read by the fast reader\n";
  EXPECT_GT(fast, static_cast<size_t>(kFiles) / 2);
}

}  // namespace
}  // namespace bcmap
