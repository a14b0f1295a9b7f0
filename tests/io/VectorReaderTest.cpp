// VectorReaderTest: reading GDAL vector sources into FeatureTables — layout, attributes,
// dates, CRS, bad data, errors — from the hand-written fixtures in tests/data/vector/ and
// from GeoPackage/FlatGeobuf/Shapefile copies made at test time.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "common/TempDir.h"
#include "geometry/Gcj02.h"
#include "model/Log.h"
#include "io/ArrowReader.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return std::string(BCMAP_TEST_DATA) + "/vector/" + name; }

// A fresh folder under the system temp folder, removed with everything in it.
// The test's own folder (tests/common/TempDir.h), named "bcmap-vector-XXXXXX".
class TempDir : public bcmap_test::TempDir {
 public:
  TempDir() : bcmap_test::TempDir("bcmap-vector") {}
};

VectorReadResult read(const VectorReadOptions& o) {
  std::string err;
  auto r = readVector(o, &err);
  EXPECT_TRUE(r.has_value()) << err;
  return r ? std::move(*r) : VectorReadResult{};
}

VectorReadResult read(const std::string& path, bool arrow = true) {
  VectorReadOptions o;
  o.path = path;
  o.useArrowStream = arrow;
  return read(o);
}

std::string readError(const VectorReadOptions& o) {
  std::string err;
  auto r = readVector(o, &err);
  EXPECT_FALSE(r.has_value()) << o.path << " read without the expected error";
  return err;
}

bool logHas(const std::string& needle) {
  for (const LogEntry& e : logSnapshot())
    if (e.message.find(needle) != std::string::npos) return true;
  return false;
}

// Copies a vector source to another format with GDAL's ogr2ogr API.
void translate(const std::string& src, const std::string& dst, const char* format) {
  initGdal();
  GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(in, nullptr) << src;
  // Shapefiles default to ISO-8859-1 text; the fixtures hold Chinese names.
  const bool shapefile = std::string(format) == "ESRI Shapefile";
  char* argv[] = {const_cast<char*>("-f"), const_cast<char*>(format),
                  const_cast<char*>(shapefile ? "-lco" : nullptr), const_cast<char*>("ENCODING=UTF-8"), nullptr};
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv, nullptr);
  int usageError = 0;
  GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, options, &usageError);
  GDALVectorTranslateOptionsFree(options);
  ASSERT_NE(out, nullptr) << dst << ": " << CPLGetLastErrorMsg();
  GDALClose(out);
  GDALClose(in);
}

std::vector<Vec2> featureVertices(const GeometryColumn& g, size_t f) {
  const uint32_t r0 = g.partRings[g.featureParts[f]];
  const uint32_t r1 = g.partRings[g.featureParts[f + 1]];
  return {g.xy.begin() + g.ringVertices[r0], g.xy.begin() + g.ringVertices[r1]};
}

// Compares two tables feature by feature, matching features by id (some formats, such as
// FlatGeobuf with its spatial index, return them in another order).
void expectSameFeatures(const FeatureTable& a, const FeatureTable& b, const std::string& what) {
  ASSERT_EQ(a.featureCount(), b.featureCount()) << what;
  ASSERT_EQ(a.columns.size(), b.columns.size()) << what;
  ASSERT_EQ(a.ids.size(), a.featureCount()) << what << ": the comparison needs ids";
  EXPECT_EQ(a.geometry.kind, b.geometry.kind) << what;
  EXPECT_EQ(a.hasTime(), b.hasTime()) << what;
  std::map<std::string, size_t> rowOfId;
  for (size_t i = 0; i < b.featureCount(); ++i) rowOfId[b.featureId(i)] = i;
  for (size_t i = 0; i < a.featureCount(); ++i) {
    ASSERT_TRUE(rowOfId.count(a.ids[i])) << what << ": no feature " << a.ids[i];
    const size_t j = rowOfId[a.ids[i]];
    const GeometryColumn& ga = a.geometry;
    const GeometryColumn& gb = b.geometry;
    EXPECT_EQ(ga.featureParts[i + 1] - ga.featureParts[i], gb.featureParts[j + 1] - gb.featureParts[j])
        << what << " " << a.ids[i];
    const auto va = featureVertices(ga, i);
    const auto vb = featureVertices(gb, j);
    ASSERT_EQ(va.size(), vb.size()) << what << " " << a.ids[i];
    for (size_t k = 0; k < va.size(); ++k) {
      EXPECT_EQ(va[k].x, vb[k].x) << what << " " << a.ids[i];
      EXPECT_EQ(va[k].y, vb[k].y) << what << " " << a.ids[i];
    }
    for (size_t c = 0; c < a.columns.size(); ++c) {
      EXPECT_EQ(a.columns[c].name, b.columns[c].name) << what;
      EXPECT_EQ(a.columns[c].type, b.columns[c].type) << what << " " << a.columns[c].name;
      EXPECT_EQ(a.columns[c].text(i), b.columns[c].text(j)) << what << " " << a.columns[c].name << " " << a.ids[i];
      EXPECT_EQ(a.columns[c].isNull[i], b.columns[c].isNull[j]) << what << " " << a.columns[c].name << " " << a.ids[i];
    }
    if (a.hasTime()) {
      EXPECT_EQ(a.startDay[i], b.startDay[j]) << what << " " << a.ids[i];
      EXPECT_EQ(a.endDay[i], b.endDay[j]) << what << " " << a.ids[i];
    }
  }
}

void expectIdentical(const VectorReadResult& a, const VectorReadResult& b) {
  EXPECT_EQ(a.crs, b.crs);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.skipped, b.skipped);
  const FeatureTable& ta = a.table;
  const FeatureTable& tb = b.table;
  EXPECT_EQ(ta.geometry.featureParts, tb.geometry.featureParts);
  EXPECT_EQ(ta.geometry.partRings, tb.geometry.partRings);
  EXPECT_EQ(ta.geometry.ringVertices, tb.geometry.ringVertices);
  ASSERT_EQ(ta.geometry.xy.size(), tb.geometry.xy.size());
  for (size_t i = 0; i < ta.geometry.xy.size(); ++i) {
    EXPECT_EQ(ta.geometry.xy[i].x, tb.geometry.xy[i].x);
    EXPECT_EQ(ta.geometry.xy[i].y, tb.geometry.xy[i].y);
  }
  ASSERT_EQ(ta.columns.size(), tb.columns.size());
  for (size_t c = 0; c < ta.columns.size(); ++c) {
    EXPECT_EQ(ta.columns[c].name, tb.columns[c].name);
    EXPECT_EQ(ta.columns[c].type, tb.columns[c].type);
    EXPECT_EQ(ta.columns[c].isNull, tb.columns[c].isNull);
    EXPECT_EQ(ta.columns[c].ints, tb.columns[c].ints);
    EXPECT_EQ(ta.columns[c].reals, tb.columns[c].reals);
    EXPECT_EQ(ta.columns[c].strings, tb.columns[c].strings);
  }
  EXPECT_EQ(ta.ids, tb.ids);
  EXPECT_EQ(ta.startDay, tb.startDay);
  EXPECT_EQ(ta.endDay, tb.endDay);
}

int32_t day(const char* iso) { return parseDate(iso).value_or(kNoDay); }

VectorReadOptions pointsWithTime(const std::string& path) {
  VectorReadOptions o;
  o.path = path;
  o.idField = "code";
  o.startField = "start";
  o.endField = "end";
  return o;
}

// ---- layout and attributes -----------------------------------------------------------

TEST(VectorReaderTest, PointsWithAttributesAndDates) {
  for (bool arrow : {true, false}) {
    VectorReadOptions o = pointsWithTime(fixture("points.geojson"));
    o.useArrowStream = arrow;
    const VectorReadResult r = read(o);
    const FeatureTable& t = r.table;
    EXPECT_EQ(r.crs, "EPSG:4326");
    EXPECT_EQ(r.kind, GeometryKind::Point);
    EXPECT_EQ(t.geometry.kind, GeometryKind::Point);
    EXPECT_EQ(r.skipped, 0u);
    ASSERT_EQ(t.featureCount(), 4u);
    // Points: one part, one ring, one vertex each.
    EXPECT_EQ(t.geometry.featureParts, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(t.geometry.partRings, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(t.geometry.ringVertices, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
    // ... which single points keep implicit: no offsets stored (issue 11).
    EXPECT_TRUE(t.geometry.featureParts.implicit() && t.geometry.partRings.implicit() &&
                t.geometry.ringVertices.implicit());
    EXPECT_EQ(t.geometry.ringVertices.heapBytes(), 0u);
    EXPECT_EQ(t.geometry.xy[0].x, 122.85);  // longitude first
    EXPECT_EQ(t.geometry.xy[0].y, 45.62);
    EXPECT_EQ(t.geometry.xy[2].x, 124.29);

    ASSERT_EQ(t.columns.size(), 6u);
    const AttributeColumn* name = t.column("name");
    const AttributeColumn* count = t.column("count");
    const AttributeColumn* value = t.column("value");
    const AttributeColumn* start = t.column("start");
    const AttributeColumn* end = t.column("end");
    ASSERT_TRUE(name && count && value && start && end);
    EXPECT_EQ(t.columns[0].name, "code");  // source order
    EXPECT_EQ(name->type, FieldType::String);
    EXPECT_EQ(count->type, FieldType::Integer);
    EXPECT_EQ(value->type, FieldType::Real);
    EXPECT_EQ(start->type, FieldType::Date);
    EXPECT_EQ(name->text(0), "洮北区");
    EXPECT_EQ(count->ints[0], 12);
    EXPECT_TRUE(count->isNull[2]);
    EXPECT_EQ(value->reals[1], 2.25);
    EXPECT_TRUE(value->isNull[3]);
    EXPECT_EQ(start->text(1), "2017-01-15");
    EXPECT_TRUE(start->isNull[3]);

    EXPECT_EQ(t.ids, (std::vector<std::string>{"P1", "P2", "P3", "P4"}));
    ASSERT_TRUE(t.hasTime());
    EXPECT_EQ(t.startDay, (std::vector<int32_t>{day("2016-03-01"), day("2017-01-15"), day("2019-06-30"), kNoDay}));
    EXPECT_EQ(t.endDay, (std::vector<int32_t>{day("2018-12-31"), kNoDay, day("2020-12-31"), day("2020-01-01")}));
  }
}

TEST(VectorReaderTest, MultiPolygonWithHoleBecomesPartsAndRings) {
  const VectorReadResult r = read(fixture("multipolygon.geojson"));
  const GeometryColumn& g = r.table.geometry;
  EXPECT_EQ(r.kind, GeometryKind::Polygon);
  ASSERT_EQ(r.table.featureCount(), 2u);
  // A: two polygons (the first with a hole); B: one polygon.
  EXPECT_EQ(g.featureParts, (std::vector<uint32_t>{0, 2, 3}));
  EXPECT_EQ(g.partRings, (std::vector<uint32_t>{0, 2, 3, 4}));
  EXPECT_EQ(g.ringVertices, (std::vector<uint32_t>{0, 5, 10, 14, 19}));
  EXPECT_EQ(g.xy[0].x, 122.0);   // A, outer ring
  EXPECT_EQ(g.xy[5].x, 122.4);   // A, hole
  EXPECT_EQ(g.xy[10].x, 124.0);  // A, second polygon
  EXPECT_EQ(g.xy[14].y, 44.6);   // B
  EXPECT_EQ(r.table.column("name")->text(1), "B");
}

TEST(VectorReaderTest, LinesAndMultiLinesKeepXYOfThreeDimensionalInput) {
  const VectorReadResult r = read(fixture("line.geojson"));
  const GeometryColumn& g = r.table.geometry;
  EXPECT_EQ(r.kind, GeometryKind::Line);
  EXPECT_EQ(g.featureParts, (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(g.partRings, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(g.ringVertices, (std::vector<uint32_t>{0, 3, 5, 8}));
  // The first line has Z values; only x and y are kept, in order.
  EXPECT_EQ(g.xy[1].x, 123.0);
  EXPECT_EQ(g.xy[1].y, 45.7);
  EXPECT_EQ(g.xy[2].y, 45.85);
  EXPECT_EQ(g.xy[7].x, 122.9);
}

TEST(VectorReaderTest, CollectionsOfOneKindArePartsMixedOnesAreSkipped) {
  for (bool arrow : {true, false}) {
    const VectorReadResult r = read(fixture("collection.geojson"), arrow);
    const FeatureTable& t = r.table;
    EXPECT_EQ(r.kind, GeometryKind::Polygon);
    EXPECT_EQ(r.skipped, 2u);  // the mixed collection and the stray point
    ASSERT_EQ(t.featureCount(), 3u);
    EXPECT_EQ(t.column("name")->text(0), "two polygons");
    EXPECT_EQ(t.column("name")->text(1), "no geometry");
    EXPECT_EQ(t.geometry.featureParts, (std::vector<uint32_t>{0, 2, 2, 3}));  // null geometry: 0 parts
  }
  EXPECT_TRUE(logHas("feature 0 skipped: a geometry collection mixing"));
  EXPECT_TRUE(logHas("feature 3 skipped: a point in a polygon layer"));
}

TEST(VectorReaderTest, EmptyFeatureCollectionIsAnEmptyTable) {
  VectorReadOptions o;
  o.path = fixture("empty.geojson");
  const VectorReadResult r = read(o);
  EXPECT_EQ(r.table.featureCount(), 0u);
  EXPECT_EQ(r.kind, GeometryKind::None);
  EXPECT_EQ(r.skipped, 0u);
  o.expectKind = GeometryKind::Polygon;
  EXPECT_EQ(read(o).kind, GeometryKind::Polygon);
}

TEST(VectorReaderTest, FieldMapRenamesAndOrdersColumns) {
  VectorReadOptions o;
  o.path = fixture("points.geojson");
  o.fieldMap = {{"数量", "count"}, {"名称", "name"}, {"开始", "start"}};
  o.startField = "开始";  // a layer field name from the map works too
  const VectorReadResult r = read(o);
  const FeatureTable& t = r.table;
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[0].name, "数量");
  EXPECT_EQ(t.columns[0].type, FieldType::Integer);
  EXPECT_EQ(t.columns[1].name, "名称");
  EXPECT_EQ(t.columns[1].text(3), "通榆县");
  EXPECT_EQ(t.columns[2].type, FieldType::Date);
  EXPECT_EQ(t.startDay[0], day("2016-03-01"));
  EXPECT_EQ(t.endDay[0], kNoDay);  // no end field: open
  EXPECT_TRUE(t.ids.empty());
  EXPECT_EQ(t.featureId(2), "2");
}

TEST(VectorReaderTest, AttributeFilterSelectsFeatures) {
  VectorReadOptions o = pointsWithTime(fixture("points.geojson"));
  o.attributeFilter = "count > 5";
  const VectorReadResult r = read(o);
  EXPECT_EQ(r.table.ids, (std::vector<std::string>{"P1", "P2"}));

  o.attributeFilter = "count >>> nonsense";
  const std::string err = readError(o);
  EXPECT_EQ(err.rfind(o.path, 0), 0u) << err;
  EXPECT_NE(err.find("attribute filter"), std::string::npos) << err;
}

TEST(VectorReaderTest, ArrowStreamAndFeaturePathGiveTheSameTable) {
  // Without typed date fields a point layer goes through the Arrow stream.
  VectorReadOptions o;
  o.path = fixture("points.geojson");
  o.fieldMap = {{"code", "code"}, {"name", "name"}, {"count", "count"}, {"value", "value"}};
  o.idField = "code";
  o.allowFastGeoJson = false;  // the fast GeoJSON reader would serve it otherwise
  const VectorReadResult viaArrow = read(o);
  EXPECT_TRUE(viaArrow.viaArrowStream);
  o.useArrowStream = false;
  const VectorReadResult viaFeatures = read(o);
  EXPECT_FALSE(viaFeatures.viaArrowStream);
  expectIdentical(viaArrow, viaFeatures);
  EXPECT_EQ(viaArrow.table.featureCount(), 4u);
}

// ---- coordinates and CRS -------------------------------------------------------------

TEST(VectorReaderTest, NonFiniteAndOutOfRangeCoordinatesAreSkipped) {
  for (bool arrow : {true, false}) {
    VectorReadOptions o;
    o.path = fixture("bad_coords.geojson");
    o.idField = "code";
    o.useArrowStream = arrow;
    const VectorReadResult r = read(o);
    EXPECT_EQ(r.skipped, 3u);
    EXPECT_EQ(r.table.ids, (std::vector<std::string>{"ok1", "ok2"}));
    for (const Vec2& p : r.table.geometry.xy) EXPECT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
    EXPECT_EQ(r.table.geometry.ringVertices, (std::vector<uint32_t>{0, 1, 2}));
  }
  EXPECT_TRUE(logHas("feature 1 (id lon500) skipped: longitude/latitude out of range"));
  EXPECT_TRUE(logHas("feature 2 (id huge) skipped: non-finite coordinate"));
  EXPECT_TRUE(logHas("feature 3 (id lat-95) skipped: longitude/latitude out of range"));
}

TEST(VectorReaderTest, ProjectedSourceKeepsItsCrsAndSkipsTheLonLatCheck) {
  const VectorReadResult r = read(fixture("projected.geojson"));
  EXPECT_EQ(r.crs, "EPSG:32651");
  EXPECT_EQ(r.skipped, 0u);
  ASSERT_EQ(r.table.featureCount(), 2u);
  EXPECT_EQ(r.table.geometry.xy[0].x, 500000.0);  // easting first
  EXPECT_EQ(r.table.geometry.xy[0].y, 5050000.0);
}

TEST(VectorReaderTest, SourceCrsOverride) {
  VectorReadOptions o;
  o.path = fixture("points.geojson");
  o.sourceCrs = "EPSG:4490";  // CGCS2000 lon/lat
  EXPECT_EQ(read(o).crs, "EPSG:4490");
  o.sourceCrs = "EPSG:424242";
  const std::string err = readError(o);
  EXPECT_EQ(err.rfind(o.path, 0), 0u) << err;
  EXPECT_NE(err.find("EPSG:424242"), std::string::npos) << err;
}

TEST(VectorReaderTest, Gcj02IsConvertedToWgs84) {
  const VectorReadResult plain = read(fixture("points.geojson"));
  VectorReadOptions o;
  o.path = fixture("points.geojson");
  o.gcj02 = true;
  const VectorReadResult converted = read(o);
  EXPECT_EQ(converted.crs, "EPSG:4326");
  ASSERT_EQ(converted.table.geometry.xy.size(), plain.table.geometry.xy.size());
  for (size_t i = 0; i < plain.table.geometry.xy.size(); ++i) {
    const Vec2 expected = gcj02ToWgs84(plain.table.geometry.xy[i]);
    EXPECT_EQ(converted.table.geometry.xy[i].x, expected.x);
    EXPECT_EQ(converted.table.geometry.xy[i].y, expected.y);
    // The GCJ-02 offset in Jilin is a few hundred metres: thousandths of a degree.
    EXPECT_GT(std::fabs(expected.x - plain.table.geometry.xy[i].x), 1e-4);
  }
  o.path = fixture("projected.geojson");
  const std::string err = readError(o);
  EXPECT_NE(err.find("GCJ-02"), std::string::npos) << err;
}

// ---- errors --------------------------------------------------------------------------

TEST(VectorReaderTest, ErrorsNameThePathAndTheReason) {
  VectorReadOptions o;
  o.path = fixture("does_not_exist.geojson");
  std::string err = readError(o);
  EXPECT_EQ(err, o.path + ": no such file or directory");

  o.path = fixture("truncated.geojson");
  err = readError(o);
  EXPECT_EQ(err.rfind(o.path + ": cannot be read as a vector source: ", 0), 0u) << err;

  TempDir dir;
  o.path = dir.file("noise.dat");
  {
    std::ofstream out(o.path, std::ios::binary);
    std::mt19937 rng(7);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>(rng() & 0xff));
  }
  err = readError(o);
  EXPECT_EQ(err.rfind(o.path + ": not a vector source", 0), 0u) << err;

  // Only the drivers asked for are tried.
  o.path = fixture("points.geojson");
  o.allowedDrivers = {"GPKG"};
  err = readError(o);
  EXPECT_EQ(err.rfind(o.path + ": not a vector source", 0), 0u) << err;
  o.allowedDrivers.clear();

  o.layerName = "nope";
  err = readError(o);
  EXPECT_EQ(err, o.path + ": no such layer 'nope' (layers: points)");
  o.layerName = "points";
  EXPECT_EQ(read(o).table.featureCount(), 4u);
  o.layerName.clear();

  o.fieldMap = {{"name", "name"}, {"人口", "population"}};
  err = readError(o);
  EXPECT_EQ(err.rfind(o.path + ": ", 0), 0u) << err;
  EXPECT_NE(err.find("'population'"), std::string::npos) << err;
  o.fieldMap.clear();

  o.startField = "opening";
  err = readError(o);
  EXPECT_NE(err.find("'opening'"), std::string::npos) << err;
  o.startField = "count";
  err = readError(o);
  EXPECT_NE(err.find("not dates"), std::string::npos) << err;
  o.startField.clear();

  o.expectKind = GeometryKind::Polygon;
  err = readError(o);
  EXPECT_EQ(err.rfind(o.path + ": wrong geometry type: ", 0), 0u) << err;
  EXPECT_NE(err.find("point"), std::string::npos) << err;
  o.expectKind = GeometryKind::Point;
  EXPECT_EQ(read(o).table.featureCount(), 4u);
}

TEST(VectorReaderTest, BadDateNamesTheFeatureAndTheValue) {
  for (bool arrow : {true, false}) {
    // GDAL types "2018-02-30" as a date; it is no date.
    VectorReadOptions o;
    o.path = fixture("bad_date.geojson");
    o.idField = "code";
    o.useArrowStream = arrow;
    std::string err = readError(o);
    EXPECT_EQ(err, o.path + ": unparseable date in field 'start' of feature 1 (id D2): '2018-02-30' "
                            "(expected YYYY-MM-DD)");
    // A text field used as the start date.
    o.path = fixture("bad_date_text.geojson");
    o.startField = "start";
    err = readError(o);
    EXPECT_EQ(err, o.path + ": unparseable date in field 'start' of feature 1 (id T2): 'someday' "
                            "(expected YYYY-MM-DD)");
  }
}

// ---- other formats -------------------------------------------------------------------

TEST(VectorReaderTest, GeoPackageFlatGeobufAndShapefileReadTheSame) {
  TempDir dir;
  const VectorReadResult reference = read(pointsWithTime(fixture("points.geojson")));
  for (const auto& [format, name] : std::vector<std::pair<const char*, const char*>>{
           {"GPKG", "points.gpkg"}, {"FlatGeobuf", "points.fgb"}, {"ESRI Shapefile", "points.shp"}}) {
    const std::string path = dir.file(name);
    translate(fixture("points.geojson"), path, format);
    for (bool arrow : {true, false}) {
      VectorReadOptions o = pointsWithTime(path);
      o.useArrowStream = arrow;
      const VectorReadResult r = read(o);
      EXPECT_EQ(r.crs, "EPSG:4326") << format;
      expectSameFeatures(reference.table, r.table, format);
    }
  }
  // Polygons and lines, where the formats keep ring order (Shapefile reorients rings).
  for (const char* layer : {"multipolygon", "line"}) {
    VectorReadOptions ref;
    ref.path = fixture(std::string(layer) + ".geojson");
    ref.idField = "name";
    const VectorReadResult expected = read(ref);
    for (const auto& [format, ext] : std::vector<std::pair<const char*, const char*>>{
             {"GPKG", ".gpkg"}, {"FlatGeobuf", ".fgb"}}) {
      const std::string path = dir.file(std::string(layer) + ext);
      translate(ref.path, path, format);
      VectorReadOptions o = ref;
      o.path = path;
      expectSameFeatures(expected.table, read(o).table, std::string(format) + " " + layer);
    }
  }
}

TEST(VectorReaderTest, GeoPackagePointsWithBadCoordinatesOnBothPaths) {
  // Written with the OGR API: infinity cannot be written in GeoJSON. 3D multipoints, so the
  // Arrow path parses general WKB rather than its 2D point fast case. (OGR turns a point with
  // a NaN ordinate into POINT EMPTY, so non-finite input here is infinite.)
  initGdal();
  TempDir dir;
  const std::string path = dir.file("bad.gpkg");
  {
    GDALDriverH driver = GDALGetDriverByName("GPKG");
    ASSERT_NE(driver, nullptr);
    GDALDatasetH ds = GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "pts", srs, wkbMultiPoint25D, nullptr);
    OSRRelease(srs);
    ASSERT_NE(layer, nullptr);
    OGRFieldDefnH field = OGR_Fld_Create("code", OFTString);
    OGR_L_CreateField(layer, field, TRUE);
    OGR_Fld_Destroy(field);
    const struct {
      const char* code;
      std::vector<Vec2> points;
    } rows[] = {{"ok1", {{122.85, 45.62}}},
                {"-inf", {{122.0, 45.0}, {-INFINITY, 45.0}}},
                {"inf", {{122.0, INFINITY}}},
                {"lon-181", {{123.0, 45.0}, {-181.0, 45.0}}},
                {"empty", {{NAN, NAN}}},
                {"ok2", {{124.29, 45.51}, {124.3, 45.52}}}};
    for (const auto& row : rows) {
      OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
      OGR_F_SetFieldString(f, 0, row.code);
      OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPoint25D);
      for (const Vec2& p : row.points) {
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint25D);
        OGR_G_SetPoint(g, 0, p.x, p.y, 100.0);
        OGR_G_AddGeometryDirectly(multi, g);
      }
      OGR_F_SetGeometryDirectly(f, multi);
      ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
      OGR_F_Destroy(f);
    }
    GDALClose(ds);
  }
  VectorReadOptions o;
  o.path = path;
  o.idField = "code";
  o.allowFastGeoJson = false;  // the fast GeoJSON reader would serve it otherwise
  const VectorReadResult viaArrow = read(o);
  EXPECT_TRUE(viaArrow.viaArrowStream);
  o.useArrowStream = false;
  const VectorReadResult viaFeatures = read(o);
  expectIdentical(viaArrow, viaFeatures);
  EXPECT_EQ(viaArrow.kind, GeometryKind::Point);
  EXPECT_EQ(viaArrow.skipped, 3u);
  // POINT EMPTY (both ordinates NaN) is a feature without parts, not a bad coordinate.
  EXPECT_EQ(viaArrow.table.ids, (std::vector<std::string>{"ok1", "empty", "ok2"}));
  EXPECT_EQ(viaArrow.table.geometry.featureParts, (std::vector<uint32_t>{0, 1, 1, 3}));
  EXPECT_EQ(viaArrow.table.geometry.ringVertices, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(viaArrow.table.geometry.xy[2].y, 45.52);
}

// Issue 12: a FIFO, a device, a socket or a folder is refused before anything opens it (a
// read of a FIFO waits forever), and so is a file whose sidecar (same stem) is one.
TEST(VectorReaderTest, SpecialFilesAndTheirSidecarsAreRefusedAtOnce) {
  TempDir dir;
  const std::string fifo = dir.file("x.geojson");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  VectorReadOptions o;
  o.path = fifo;
  std::string err = readError(o);
  EXPECT_EQ(err, fifo + ": refused: it is a FIFO (named pipe), not a regular file (reading it could wait forever)");
  o.allowFastGeoJson = false;
  EXPECT_EQ(readError(o), err);

  // A shapefile whose .dbf is a FIFO: GDAL would open the .dbf itself.
  const std::string shp = dir.file("s.shp");
  translate(fixture("points.geojson"), shp, "ESRI Shapefile");
  o.path = shp;
  EXPECT_EQ(read(o).table.featureCount(), 4u);
  const std::string dbf = dir.file("s.dbf");
  ASSERT_EQ(std::remove(dbf.c_str()), 0);
  ASSERT_EQ(mkfifo(dbf.c_str(), 0600), 0);
  err = readError(o);
  EXPECT_NE(err.find(shp + ": refused: " + dbf + " beside it is a FIFO"), std::string::npos) << err;

  // A character device, and a folder (but a FileGDB's .gdb folder is GDAL's to read).
  o.path = "/dev/zero";
  EXPECT_NE(readError(o).find("/dev/zero: refused: it is a character device"), std::string::npos);
  fs::create_directories(dir.file("folder.geojson"));
  o.path = dir.file("folder.geojson");
  EXPECT_NE(readError(o).find("refused: it is a folder"), std::string::npos);
  fs::create_directories(dir.file("empty.gdb"));
  EXPECT_EQ(specialFileRefusal(dir.file("empty.gdb")), "");
  EXPECT_EQ(specialFileRefusal(fixture("points.geojson")), "");
}

// New-user trial: a 0-byte file was "not a vector source (none of these GDAL drivers
// recognizes it: …)", which hides why; a symbolic link to a FIFO was "x.geojson: … it is a
// FIFO" when x.geojson is a link the user may not know of. The file is said to be empty, and
// a link is named with its target (so is a sidecar that is one).
TEST(VectorReaderTest, AnEmptyFileAndALinkToASpecialFileAreSaidAsTheyAre) {
  TempDir dir;
  VectorReadOptions o;
  for (const char* name : {"empty.geojson", "empty.gpkg", "empty.csv", "empty.shp", "empty.fgb"}) {
    o.path = dir.file(name);
    std::ofstream(o.path, std::ios::binary).flush();
    for (bool fast : {true, false}) {
      o.allowFastGeoJson = fast;
      EXPECT_EQ(readError(o), o.path + ": the file is empty (0 bytes)") << name;
    }
  }
  o.allowFastGeoJson = true;
  // A link to an empty file: empty too (the link names the file the user gave).
  const std::string toEmpty = dir.file("to_empty.geojson");
  fs::create_symlink(dir.file("empty.geojson"), toEmpty);
  o.path = toEmpty;
  EXPECT_EQ(readError(o), toEmpty + ": the file is empty (0 bytes)");

  fs::create_directories(dir.file("data"));
  const std::string fifo = dir.file("data/f.geojson");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string link = dir.file("x.geojson");
  fs::create_symlink("data/f.geojson", link);
  o.path = link;
  const std::string target = fs::canonical(fifo).string();
  EXPECT_EQ(readError(o), link + " → " + target +
                              ": refused: it is a FIFO (named pipe), not a regular file (reading it could wait forever)");
  // A link to a link: the file at the end.
  const std::string twice = dir.file("twice.geojson");
  fs::create_symlink(link, twice);
  o.path = twice;
  EXPECT_EQ(readError(o).rfind(twice + " → " + target + ": refused: it is a FIFO", 0), 0u);
  // A sidecar that is a link to a FIFO.
  const std::string shp = dir.file("s.shp");
  translate(fixture("points.geojson"), shp, "ESRI Shapefile");
  ASSERT_EQ(std::remove(dir.file("s.dbf").c_str()), 0);
  fs::create_symlink(fifo, dir.file("s.dbf"));
  o.path = shp;
  const std::string err = readError(o);
  EXPECT_NE(err.find(shp + ": refused: " + dir.file("s.dbf") + " → " + target + " beside it is a FIFO"), std::string::npos)
      << err;
  // A plain FIFO is named as it was: no arrow.
  o.path = fifo;
  EXPECT_EQ(readError(o).rfind(fifo + ": refused: it is a FIFO", 0), 0u);
}

// A big point layer with typed date fields goes through the Arrow stream
// (kArrowTypedDatesMinFeatures) and gives the days the feature path gives: dates before 1970,
// nulls, and date-times late in the day in the zone they were written in. `zones`: the
// offsets (in quarter hours) the "end" values are written with, by feature.
void expectTypedDatesAgree(const std::string& path, const std::vector<int>& zones) {
  initGdal();
  {
    GDALDriverH driver = GDALGetDriverByName("FlatGeobuf");
    ASSERT_NE(driver, nullptr);
    GDALDatasetH ds = GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    char** options = CSLSetNameValue(nullptr, "SPATIAL_INDEX", "NO");  // features in the order written
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "pts", srs, wkbPoint, options);
    CSLDestroy(options);
    OSRRelease(srs);
    ASSERT_NE(layer, nullptr);
    for (const auto& [name, type] : std::vector<std::pair<const char*, OGRFieldType>>{
             {"code", OFTInteger}, {"start", OFTDate}, {"end", OFTDateTime}}) {
      OGRFieldDefnH field = OGR_Fld_Create(name, type);
      OGR_L_CreateField(layer, field, TRUE);
      OGR_Fld_Destroy(field);
    }
    for (long long i = 0; i < kArrowTypedDatesMinFeatures; ++i) {
      OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
      OGR_F_SetFieldInteger(f, 0, int(i));
      const int year = 1950 + int(i % 80), month = 1 + int(i / 80 % 12), dayOfMonth = 1 + int(i / 960 % 28);
      if (i % 97 != 0) OGR_F_SetFieldDateTime(f, 1, year, month, dayOfMonth, 0, 0, 0, 0);
      // 23:50 or 00:10 in the feature's zone: a day away from the same instant in UTC.
      const int tz = zones[size_t(i) % zones.size()];
      if (i % 89 != 0)
        OGR_F_SetFieldDateTimeEx(f, 2, year + 1, month, dayOfMonth, i % 2 ? 23 : 0, i % 2 ? 50 : 10, 0.0f, tz);
      OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
      OGR_G_SetPoint_2D(g, 0, 122.0 + double(i % 1000) * 1e-3, 45.0 + double(i / 1000) * 1e-3);
      OGR_F_SetGeometryDirectly(f, g);
      ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
      OGR_F_Destroy(f);
    }
    GDALClose(ds);
  }
  VectorReadOptions o = pointsWithTime(path);
  const VectorReadResult viaArrow = read(o);
  EXPECT_TRUE(viaArrow.viaArrowStream) << "a big layer with typed dates reads through the Arrow stream";
  o.useArrowStream = false;
  const VectorReadResult viaFeatures = read(o);
  ASSERT_EQ(viaArrow.table.featureCount(), size_t(kArrowTypedDatesMinFeatures));
  ASSERT_EQ(viaFeatures.table.featureCount(), size_t(kArrowTypedDatesMinFeatures));
  const FeatureTable& a = viaArrow.table;
  const FeatureTable& b = viaFeatures.table;
  ASSERT_TRUE(a.hasTime() && b.hasTime());
  size_t differ = 0, first = 0;
  for (size_t i = a.featureCount(); i-- > 0;)
    if (a.startDay[i] != b.startDay[i] || a.endDay[i] != b.endDay[i]) {
      ++differ;
      first = i;
    }
  EXPECT_EQ(differ, 0u) << "first at feature " << first << ": Arrow " << formatDate(a.startDay[first]) << " .. "
                        << formatDate(a.endDay[first]) << ", features " << formatDate(b.startDay[first]) << " .. "
                        << formatDate(b.endDay[first]);
  EXPECT_EQ(a.startDay[1], day("1951-01-01"));
  EXPECT_EQ(a.endDay[1], day("1952-01-01"));
}

TEST(VectorReaderTest, BigLayerReadsTypedDatesThroughTheArrowStreamAsTheFeaturePathDoes) {
  TempDir dir;
  {
    SCOPED_TRACE("one zone, UTC+8 (OGR's TZFlag 100 + 4 * 8)");
    expectTypedDatesAgree(dir.file("beijing.fgb"), {132});
  }
  {
    SCOPED_TRACE("no zone");
    expectTypedDatesAgree(dir.file("local.fgb"), {0});
  }
  {
    SCOPED_TRACE("mixed: UTC+8, UTC-5, UTC");
    expectTypedDatesAgree(dir.file("mixed.fgb"), {132, 80, 100});
  }
}

}  // namespace
}  // namespace bcmap
