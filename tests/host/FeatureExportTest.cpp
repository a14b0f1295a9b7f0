// FeatureExport: GeoJSON read back through GDAL (attributes, types, nulls, coordinates
// transformed to WGS 84 against the spherical Mercator formulas), ring winding and geometry
// types checked in the JSON itself, and the exact CSV text (RFC 4180 quoting, lon/lat or WKT).
#include <gtest/gtest.h>
#include <unistd.h>

#include <gdal.h>
#include <gdal_utils.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "host/FeatureExport.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

struct Builder {
  Layer layer;
  Builder(const char* id, GeometryKind kind, const char* crs) {
    layer.id = id;
    layer.kind = kind;
    layer.sourceCrs = crs;
    layer.status = LayerStatus::Loaded;
    layer.table.geometry.kind = kind;
  }
  // A feature: parts of rings of vertices.
  void feature(const std::vector<std::vector<std::vector<Vec2>>>& parts) {
    GeometryColumn& g = layer.table.geometry;
    for (const auto& part : parts) {
      for (const auto& ring : part) {
        g.xy.insert(g.xy.end(), ring.begin(), ring.end());
        g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
      }
      g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
    }
    g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
  }
  AttributeColumn& column(const char* name, FieldType type) {
    AttributeColumn c;
    c.name = name;
    c.type = type;
    layer.table.columns.push_back(std::move(c));
    return layer.table.columns.back();
  }
};

// Three points in Web Mercator with every kind of attribute.
Builder mercatorPoints() {
  Builder b("pts", GeometryKind::Point, "EPSG:3857");
  b.feature({{{{13674000.0, 5717000.0}}}});
  b.feature({{{{13700000.5, 5600000.25}}}});
  b.feature({{{{13500000.0, 5800000.0}}}});
  b.layer.table.ids = {"p1", "p2", "p3"};
  AttributeColumn& name = b.column("name", FieldType::String);
  name.strings = {"通榆县", "a,b \"c\"\nd", ""};
  AttributeColumn& n = b.column("n", FieldType::Integer);
  n.ints = {7, -3, 1234567890123};
  AttributeColumn& v = b.column("v", FieldType::Real);
  v.reals = {2.5, 0, 3.0};
  AttributeColumn& d = b.column("d", FieldType::Date);
  d.ints = {*parseDate("2018-06-01"), 0, *parseDate("2020-12-31")};
  for (AttributeColumn& c : b.layer.table.columns) c.isNull = {0, 0, 0};
  v.isNull[1] = 1;  // a null real
  d.isNull[1] = 1;  // a null date
  return b;
}

// Spherical Mercator (EPSG:3857) back to lon/lat, written out independently of PROJ.
Vec2 mercatorToLonLat(Vec2 p) {
  constexpr double r = 6378137.0;
  return {p.x / r * 180.0 / M_PI, (2.0 * std::atan(std::exp(p.y / r)) - M_PI / 2) * 180.0 / M_PI};
}

std::string tempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("bcmap-export-test-" + std::to_string(::getpid()) + "-" + name)).string();
}

TEST(FeatureExportTest, GeoJsonRoundTripsThroughGdal) {
  const Builder b = mercatorPoints();
  const std::string path = tempPath("pts.geojson");
  std::string err;
  // The order given is kept; index 9 does not exist and is skipped.
  ASSERT_TRUE(exportFeatures(b.layer, {2, 0, 9, 1}, ExportFormat::GeoJson, path, &err)) << err;
  EXPECT_FALSE(fs::exists(path + ".part"));

  VectorReadOptions o;
  o.path = path;
  o.allowFastGeoJson = false;  // GDAL's own GeoJSON driver
  const auto read = readVector(o, &err);
  ASSERT_TRUE(read) << err;
  fs::remove(path);
  const FeatureTable& t = read->table;
  EXPECT_TRUE(read->crs == "EPSG:4326" || read->crs == "OGC:CRS84") << read->crs;
  ASSERT_EQ(t.featureCount(), 3u);
  const size_t order[] = {2, 0, 1};
  for (size_t k = 0; k < 3; ++k) {
    const Vec2 want = mercatorToLonLat(b.layer.table.geometry.xy[order[k]]);
    // 7 decimals written: off by at most half of 1e-7.
    EXPECT_NEAR(t.geometry.xy[k].x, want.x, 0.6e-7) << k;
    EXPECT_NEAR(t.geometry.xy[k].y, want.y, 0.6e-7) << k;
  }
  auto col = [&](const char* name) -> const AttributeColumn& {
    const AttributeColumn* c = t.column(name);
    EXPECT_NE(c, nullptr) << name;
    static const AttributeColumn none;
    return c ? *c : none;
  };
  EXPECT_EQ(col("name").type, FieldType::String);
  EXPECT_EQ(col("name").strings, (std::vector<std::string>{"", "通榆县", "a,b \"c\"\nd"}));
  EXPECT_EQ(col("n").type, FieldType::Integer);
  EXPECT_EQ(col("n").ints, (std::vector<int64_t>{1234567890123, 7, -3}));
  EXPECT_EQ(col("v").type, FieldType::Real);  // 3.0 stays a real
  EXPECT_EQ(col("v").isNull, (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(col("v").reals[0], 3.0);
  EXPECT_EQ(col("v").reals[1], 2.5);
  EXPECT_EQ(col("d").type, FieldType::Date);
  EXPECT_EQ(col("d").isNull, (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(formatDate(static_cast<int32_t>(col("d").ints[0])), "2020-12-31");
  EXPECT_EQ(formatDate(static_cast<int32_t>(col("d").ints[1])), "2018-06-01");
}

TEST(FeatureExportTest, GeoJsonGeometryAndWinding) {
  // A polygon with a hole, both rings given clockwise and open (no closing vertex), and a
  // two-part polygon; lon/lat already.
  Builder b("poly", GeometryKind::Polygon, "EPSG:4326");
  const std::vector<Vec2> outerCw = {{0, 0}, {0, 10}, {10, 10}, {10, 0}};
  const std::vector<Vec2> holeCw = {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}};
  b.feature({{outerCw, holeCw}});
  b.feature({{{{20, 0}, {21, 0}, {21, 1}, {20, 0}}}, {{{30, 0}, {31, 0}, {31, 1}, {30, 0}}}});
  std::string err;
  const auto text = featuresToGeoJson(b.layer, {0, 1}, &err);
  ASSERT_TRUE(text) << err;
  const auto j = nlohmann::json::parse(*text);
  ASSERT_EQ(j["features"].size(), 2u);
  const auto& g0 = j["features"][0]["geometry"];
  EXPECT_EQ(g0["type"], "Polygon");
  EXPECT_EQ(j["features"][0]["id"], 0);  // no ids of its own: the index, a number
  // Outer counter-clockwise and closed; the hole clockwise (as given).
  EXPECT_EQ(g0["coordinates"][0], nlohmann::json::parse("[[10,0],[10,10],[0,10],[0,0],[10,0]]"));
  EXPECT_EQ(g0["coordinates"][1], nlohmann::json::parse("[[2,2],[2,4],[4,4],[4,2],[2,2]]"));
  const auto& g1 = j["features"][1]["geometry"];
  EXPECT_EQ(g1["type"], "MultiPolygon");
  EXPECT_EQ(g1["coordinates"], nlohmann::json::parse("[[[[20,0],[21,0],[21,1],[20,0]]],[[[30,0],[31,0],[31,1],[30,0]]]]"));
  EXPECT_TRUE(j["features"][0]["properties"].empty());
}

TEST(FeatureExportTest, CsvQuotesAndCoordinates) {
  Builder b = mercatorPoints();
  std::string err;
  const auto csv = featuresToCsv(b.layer, {1, 2}, &err);
  ASSERT_TRUE(csv) << err;
  const Vec2 p1 = mercatorToLonLat(b.layer.table.geometry.xy[1]), p2 = mercatorToLonLat(b.layer.table.geometry.xy[2]);
  std::istringstream rows(*csv);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(rows, line, '\n')) lines.push_back(line);
  // Nulls are empty fields; the newline, comma and quotes are quoted with quotes doubled.
  ASSERT_EQ(lines.size(), 4u);  // header, a row broken by its quoted newline, another row
  EXPECT_EQ(lines[0], "name,n,v,d,lon,lat\r");
  EXPECT_EQ(lines[1], "\"a,b \"\"c\"\"");
  auto lonLatOf = [](const std::string& l) {
    const size_t lat = l.rfind(','), lon = l.rfind(',', lat - 1);
    return Vec2{std::stod(l.substr(lon + 1, lat - lon - 1)), std::stod(l.substr(lat + 1))};
  };
  EXPECT_EQ(lines[2].substr(0, 7), "d\",-3,,");
  EXPECT_NEAR(lonLatOf(lines[2]).x, p1.x, 0.6e-7);
  EXPECT_NEAR(lonLatOf(lines[2]).y, p1.y, 0.6e-7);
  EXPECT_EQ(lines[3].substr(0, 30), ",1234567890123,3.0,2020-12-31,");
  EXPECT_NEAR(lonLatOf(lines[3]).x, p2.x, 0.6e-7);
  EXPECT_NEAR(lonLatOf(lines[3]).y, p2.y, 0.6e-7);
  EXPECT_EQ(lines[3].back(), '\r');
  EXPECT_NE((*csv)[0], '\xEF');  // no byte order mark
}

TEST(FeatureExportTest, CsvWritesWktForLinesAndPolygons) {
  Builder lines("roads", GeometryKind::Line, "EPSG:4326");
  lines.feature({{{{1, 2}, {3, 4.5}}}});
  lines.feature({{{{0, 0}, {1, 1}}}, {{{2, 2}, {3, 3}}}});
  AttributeColumn& name = lines.column("name, with comma", FieldType::String);
  name.strings = {"x", "y"};
  name.isNull = {0, 0};
  std::string err;
  EXPECT_EQ(*featuresToCsv(lines.layer, {0, 1}, &err),
            "\"name, with comma\",wkt\r\n"
            "x,\"LINESTRING (1 2, 3 4.5)\"\r\n"
            "y,\"MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))\"\r\n");
  Builder poly("poly", GeometryKind::Polygon, "EPSG:4326");
  poly.feature({{{{0, 0}, {1, 0}, {1, 1}}, {{0.2, 0.2}, {0.4, 0.2}, {0.4, 0.4}, {0.2, 0.2}}}});
  poly.feature({{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}});
  EXPECT_EQ(*featuresToCsv(poly.layer, {0, 1}, &err),
            "wkt\r\n"
            "\"POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2))\"\r\n"
            "\"MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))\"\r\n");
  // Multipoints are WKT too: lon/lat columns hold one point.
  Builder mp("mp", GeometryKind::Point, "EPSG:4326");
  mp.feature({{{{1, 1}}}, {{{2, 2}}}});
  EXPECT_EQ(*featuresToCsv(mp.layer, {0}, &err), "wkt\r\n\"MULTIPOINT ((1 1), (2 2))\"\r\n");
}

// Issue 12: an export never writes over a layer's input file, however its path is spelled,
// nor over a shapefile's sidecars; other names beside it are fine.
TEST(FeatureExportTest, RefusesToWriteOverAnInputFile) {
  initGdal();
  const fs::path dir = fs::temp_directory_path() / ("bcmap_export_input_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  const fs::path input = dir / "pts.geojson";
  const std::string text =
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},)"
      R"("geometry":{"type":"Point","coordinates":[122.8,45.6]}}]})";
  std::ofstream(input) << text;
  fs::create_symlink(input, dir / "link.geojson");
  PluginHost host;
  host.scan({BCMAP_PLUGIN_DIR});
  LayerStore store(BCMAP_GEODATA);
  Layer& l = store.addFileLayer(host, input.string(), false);
  store.load(l);
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  ASSERT_EQ(l.inputFiles.size(), 1u);
  for (const fs::path& spelled : {input, dir / "link.geojson", dir / "sub" / ".." / "pts.geojson"}) {
    const std::string why = inputFileAt(store, spelled.string());
    EXPECT_NE(why.find("input of layer " + l.id), std::string::npos) << spelled << ": " << why;
    std::string err;
    EXPECT_FALSE(exportFeatures(l, {0}, ExportFormat::GeoJson, spelled.string(), &err, &store));
    EXPECT_NE(err.find("choose another name"), std::string::npos) << err;
  }
  std::ostringstream now;
  now << std::ifstream(input).rdbuf();
  EXPECT_EQ(now.str(), text) << "the input was written over";
  // Another name beside it, or the same name elsewhere: written.
  std::string err;
  EXPECT_EQ(inputFileAt(store, (dir / "pts.csv").string()), "");
  EXPECT_TRUE(exportFeatures(l, {0}, ExportFormat::Csv, (dir / "pts.csv").string(), &err, &store)) << err;
  EXPECT_TRUE(exportFeatures(l, {0}, ExportFormat::GeoJson, (dir / "sub" / "pts.geojson").string(), &err, &store)) << err;
  // A shapefile's sidecars are its input too (GDAL reads the .dbf and .prj beside the .shp).
  {
    GDALDatasetH src = GDALOpenEx(input.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    ASSERT_NE(src, nullptr);
    const char* args[] = {"-f", "ESRI Shapefile", nullptr};
    GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(const_cast<char**>(args), nullptr);
    GDALDatasetH out = GDALVectorTranslate((dir / "roads.shp").c_str(), nullptr, 1, &src, o, nullptr);
    GDALVectorTranslateOptionsFree(o);
    ASSERT_NE(out, nullptr);
    GDALClose(out);
    GDALClose(src);
  }
  EXPECT_EQ(inputFileAt(store, (dir / "roads.dbf").string()), "") << "no layer reads roads.shp yet";
  Layer& roads = store.addFileLayer(host, (dir / "roads.shp").string(), false);
  store.load(roads);
  ASSERT_EQ(roads.status, LayerStatus::Loaded) << roads.error;
  EXPECT_NE(inputFileAt(store, (dir / "roads.dbf").string()).find("input of layer " + roads.id), std::string::npos);
  EXPECT_NE(inputFileAt(store, (dir / "ROADS.prj").string()).find("beside"), std::string::npos);
  EXPECT_EQ(inputFileAt(store, (dir / "roads.csv").string()), "");
  fs::remove_all(dir);
}

TEST(FeatureExportTest, ErrorsNameThePath) {
  const Builder b = mercatorPoints();
  std::string err;
  EXPECT_FALSE(exportFeatures(b.layer, {0}, ExportFormat::Csv, "/nonexistent-dir/x.csv", &err));
  EXPECT_EQ(err.rfind("export /nonexistent-dir/x.csv: ", 0), 0u) << err;
  Builder bad("bad", GeometryKind::Point, "EPSG:999999");
  bad.feature({{{{0, 0}}}});
  EXPECT_FALSE(featuresToGeoJson(bad.layer, {0}, &err));
  EXPECT_NE(err.find("EPSG:999999"), std::string::npos) << err;
}

}  // namespace
}  // namespace bcmap
