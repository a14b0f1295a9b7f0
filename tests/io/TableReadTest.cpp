// TableReadTest (issue 12): sources whose features have no geometry read as tables — kind
// None, every row kept with zero parts, attributes as usual — through each reader: the
// simdjson GeoJSON reader and GDAL's (GeoJSON with null geometries or a GeometryCollection
// of empties), GDAL feature by feature (a .dbf alone, a CSV without coordinates, a
// GeoPackage attribute table), and a mixed file whose rows without geometry stay in the
// table beside the drawn ones (the Arrow stream and the feature path alike).
#include <gtest/gtest.h>

#include <gdal.h>
#include <gdal_utils.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/TempDir.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

class TempDir : public bcmap_test::TempDir {
 public:
  TempDir() : bcmap_test::TempDir("bcmap-table") {}
};

void writeText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

VectorReadResult read(const VectorReadOptions& o) {
  std::string err;
  std::optional<VectorReadResult> r = readVector(o, &err);
  EXPECT_TRUE(r.has_value()) << o.path << ": " << err;
  return r ? std::move(*r) : VectorReadResult{};
}

VectorReadResult read(const std::string& path, bool fastGeoJson = true, bool arrow = true) {
  VectorReadOptions o;
  o.path = path;
  o.allowFastGeoJson = fastGeoJson;
  o.useArrowStream = arrow;
  return read(o);
}

// Copies a source to another format with GDAL's ogr2ogr API (`extra`: more arguments).
void translate(const std::string& src, const std::string& dst, const char* format,
               std::vector<std::string> extra = {}) {
  initGdal();
  GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(in, nullptr) << src;
  std::vector<std::string> args = {"-f", format};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  int usageError = 0;
  GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, options, &usageError);
  GDALVectorTranslateOptionsFree(options);
  ASSERT_NE(out, nullptr) << dst << ": " << CPLGetLastErrorMsg();
  GDALClose(out);
  GDALClose(in);
}

size_t partsOf(const FeatureTable& t, size_t f) { return t.geometry.featureParts[f + 1] - t.geometry.featureParts[f]; }

// A table: no kind, every row there without geometry, nothing skipped.
void expectTable(const VectorReadResult& r, size_t rows, const std::string& what) {
  EXPECT_EQ(r.kind, GeometryKind::None) << what;
  EXPECT_EQ(r.table.geometry.kind, GeometryKind::None) << what;
  EXPECT_EQ(r.skipped, 0u) << what;
  ASSERT_EQ(r.table.featureCount(), rows) << what;
  EXPECT_TRUE(r.table.geometry.xy.empty()) << what;
  for (size_t f = 0; f < rows; ++f) EXPECT_EQ(partsOf(r.table, f), 0u) << what << " row " << f;
}

const char* const kVillagesCsv =
    "name,people,date\n"
    "村A,120,2018-03-01\n"
    "村B,300,2019-05-02\n"
    "村C,45,2020-01-01\n";

TEST(TableRead, GeoJsonOfNullGeometriesIsATableInBothReaders) {
  TempDir dir;
  const fs::path p = fs::path(dir.path()) / "allnull.geojson";
  writeText(p,
            R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"甲","n":1},"geometry":null},
{"type":"Feature","properties":{"name":"乙","n":2},"geometry":null},
{"type":"Feature","properties":{"name":"丙","n":3},"geometry":null}]})");
  for (bool fast : {true, false}) {
    const VectorReadResult r = read(p.string(), fast);
    const std::string what = fast ? "simdjson reader" : "GDAL";
    expectTable(r, 3, what);
    ASSERT_NE(r.table.column("name"), nullptr) << what;
    EXPECT_EQ(r.table.column("name")->text(1), "乙") << what;
    ASSERT_NE(r.table.column("n"), nullptr) << what;
    EXPECT_EQ(r.table.column("n")->type, FieldType::Integer) << what;
    EXPECT_EQ(r.table.column("n")->text(2), "3") << what;
  }
}

TEST(TableRead, GeometryCollectionsOfEmptiesAreATable) {
  TempDir dir;
  const fs::path p = fs::path(dir.path()) / "gcempty.geojson";
  writeText(p,
            R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"GeometryCollection","geometries":[]}},
{"type":"Feature","properties":{"name":"b"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[]}]}},
{"type":"Feature","properties":{"name":"c"},"geometry":{"type":"MultiPolygon","coordinates":[]}}]})");
  for (bool fast : {true, false}) {
    const VectorReadResult r = read(p.string(), fast);
    expectTable(r, 3, fast ? "simdjson reader" : "GDAL");
    EXPECT_EQ(r.table.column("name")->text(2), "c");
  }
}

TEST(TableRead, DbfAloneIsATable) {
  TempDir dir;
  const fs::path csv = fs::path(dir.path()) / "villages.csv";
  writeText(csv, kVillagesCsv);
  const fs::path dbf = fs::path(dir.path()) / "villages.dbf";
  translate(csv.string(), dbf.string(), "ESRI Shapefile", {"-lco", "ENCODING=UTF-8"});
  ASSERT_TRUE(fs::exists(dbf));
  ASSERT_FALSE(fs::exists(fs::path(dir.path()) / "villages.shp")) << "a .dbf alone, no .shp";
  const VectorReadResult r = read(dbf.string());
  expectTable(r, 3, "villages.dbf");
  EXPECT_EQ(r.table.column("name")->text(0), "村A");
  EXPECT_EQ(r.table.column("people")->text(1), "300");
}

TEST(TableRead, CsvWithoutCoordinatesIsATableWithItsDates) {
  TempDir dir;
  const fs::path csv = fs::path(dir.path()) / "villages.csv";
  writeText(csv, kVillagesCsv);
  VectorReadOptions o;
  o.path = csv.string();
  o.detectTime = true;  // as a file layer reads it: the date column is found
  const VectorReadResult r = read(o);
  expectTable(r, 3, "villages.csv");
  EXPECT_EQ(r.table.column("name")->text(2), "村C");
  ASSERT_TRUE(r.table.hasTime());
  EXPECT_EQ(r.table.startDay[0], parseDate("2018-03-01").value_or(kNoDay));
}

TEST(TableRead, GeoPackageAttributeTableIsATable) {
  TempDir dir;
  const fs::path csv = fs::path(dir.path()) / "villages.csv";
  writeText(csv, kVillagesCsv);
  const fs::path gpkg = fs::path(dir.path()) / "t.gpkg";
  translate(csv.string(), gpkg.string(), "GPKG", {"-nln", "t"});
  const VectorReadResult r = read(gpkg.string());
  expectTable(r, 3, "t.gpkg");
  EXPECT_EQ(r.table.column("name")->text(1), "村B");
}

// Some features with geometry, some without: the layer is of the kind of those that have
// one, and the others stay in the table (zero parts), not skipped.
TEST(TableRead, MixedFileKeepsTheRowsWithoutGeometry) {
  TempDir dir;
  const fs::path p = fs::path(dir.path()) / "mixed.geojson";
  writeText(p,
            R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[122.8,45.6]}},
{"type":"Feature","properties":{"name":"b"},"geometry":null},
{"type":"Feature","properties":{"name":"c"},"geometry":{"type":"Point","coordinates":[123.0,45.0]}},
{"type":"Feature","properties":{"name":"d"},"geometry":{"type":"GeometryCollection","geometries":[]}}]})");
  const fs::path gpkg = fs::path(dir.path()) / "mixed.gpkg";
  translate(p.string(), gpkg.string(), "GPKG", {"-nlt", "POINT"});
  struct Case {
    std::string path;
    bool fast, arrow;
  };
  for (const Case& c : {Case{p.string(), true, false}, Case{p.string(), false, false}, Case{gpkg.string(), false, true},
                        Case{gpkg.string(), false, false}}) {
    const VectorReadResult r = read(c.path, c.fast, c.arrow);
    const std::string what = c.path + (c.fast ? " (simdjson)" : c.arrow ? " (Arrow)" : " (features)");
    EXPECT_EQ(r.kind, GeometryKind::Point) << what;
    EXPECT_EQ(r.viaArrowStream, c.arrow) << what;
    EXPECT_EQ(r.skipped, 0u) << what;
    ASSERT_EQ(r.table.featureCount(), 4u) << what;
    EXPECT_EQ(partsOf(r.table, 0), 1u) << what;
    EXPECT_EQ(partsOf(r.table, 1), 0u) << what;
    EXPECT_EQ(partsOf(r.table, 2), 1u) << what;
    EXPECT_EQ(partsOf(r.table, 3), 0u) << what;
    EXPECT_EQ(r.table.column("name")->text(3), "d") << what;
  }
}

// A layer that expects a kind (a plugin's declared one) still reads a table's rows: no
// feature is of another kind, so none is an error; the host says they have no geometry.
TEST(TableRead, ExpectedKindTakesRowsWithoutGeometry) {
  TempDir dir;
  const fs::path csv = fs::path(dir.path()) / "villages.csv";
  writeText(csv, kVillagesCsv);
  VectorReadOptions o;
  o.path = csv.string();
  o.expectKind = GeometryKind::Point;
  const VectorReadResult r = read(o);
  EXPECT_EQ(r.kind, GeometryKind::Point);
  ASSERT_EQ(r.table.featureCount(), 3u);
  EXPECT_TRUE(r.table.geometry.xy.empty());
}

}  // namespace
}  // namespace bcmap