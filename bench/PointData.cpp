#include "PointData.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "io/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap::bench {

const char* formatName(PointFormat f) {
  switch (f) {
    case PointFormat::GeoJson: return "GeoJSON";
    case PointFormat::GeoPackage: return "GeoPackage";
    case PointFormat::FlatGeobuf: return "FlatGeobuf";
    case PointFormat::Invalid: break;
  }
  return "?";
}

const char* formatExtension(PointFormat f) {
  switch (f) {
    case PointFormat::GeoJson: return "geojson";
    case PointFormat::GeoPackage: return "gpkg";
    case PointFormat::FlatGeobuf: return "fgb";
    case PointFormat::Invalid: break;
  }
  return "";
}

std::optional<CountyShapes> readCountyShapes(const std::string& geojsonPath, std::string* err) {
  VectorReadOptions o;
  o.path = geojsonPath;
  std::optional<VectorReadResult> r = readVector(o, err);
  if (!r) return std::nullopt;
  const GeometryColumn& g = r->table.geometry;
  CountyShapes out;
  for (size_t ring = 0; ring < g.ringCount(); ++ring) {
    std::vector<Vec2> pts(g.xy.begin() + g.ringVertices[ring], g.xy.begin() + g.ringVertices[ring + 1]);
    if (pts.size() >= 3) out.rings.push_back(std::move(pts));
  }
  out.bounds = g.bounds();
  if (out.rings.empty()) {
    if (err) *err = geojsonPath + ": no county rings";
    return std::nullopt;
  }
  return out;
}

namespace {

// splitmix64: a fixed, portable stream (std::uniform_real_distribution differs between
// standard libraries, which would make the files differ between machines).
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double unit() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1), 53 bits
};

// Even-odd inside test over all rings, with the edges bucketed by latitude band so a test
// looks at the few edges that cross its band instead of all ~40k.
class InsideTest {
 public:
  explicit InsideTest(const CountyShapes& c) : minY_(c.bounds.minY), bandH_(c.bounds.height() / kBands) {
    bands_.resize(kBands);
    for (const auto& ring : c.rings) {
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Vec2 a = ring[j], b = ring[i];
        const int b0 = band(std::min(a.y, b.y)), b1 = band(std::max(a.y, b.y));
        for (int k = b0; k <= b1; ++k) bands_[size_t(k)].push_back({a, b});
      }
    }
  }
  bool inside(Vec2 q) const {
    bool in = false;
    for (const auto& [a, b] : bands_[size_t(band(q.y))])
      if ((a.y > q.y) != (b.y > q.y) && q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x) in = !in;
    return in;
  }

 private:
  static constexpr int kBands = 4096;
  int band(double y) const { return std::clamp(int((y - minY_) / bandH_), 0, kBands - 1); }
  double minY_, bandH_;
  std::vector<std::vector<std::pair<Vec2, Vec2>>> bands_;
};

}  // namespace

std::vector<Vec2> samplePoints(const CountyShapes& counties, size_t count, uint64_t seed) {
  const InsideTest test(counties);
  Rng rng{seed};
  std::vector<Vec2> out;
  out.reserve(count);
  const Bounds& b = counties.bounds;
  while (out.size() < count) {
    const Vec2 q{b.minX + rng.unit() * b.width(), b.minY + rng.unit() * b.height()};
    if (test.inside(q)) out.push_back(q);
  }
  return out;
}

std::string ensurePointFile(const std::string& cacheDir, const CountyShapes& counties, size_t count,
                            PointFormat format, uint64_t seed, std::string* err) {
  // The name carries everything that shapes the content; bump v1 when the generator changes.
  char name[128];
  std::snprintf(name, sizeof name, "points_%zu_seed%llu_v1.%s", count, static_cast<unsigned long long>(seed),
                formatExtension(format));
  const fs::path path = fs::path(cacheDir) / name;
  std::error_code ec;
  if (fs::exists(path, ec)) return path.string();
  fs::create_directories(cacheDir, ec);
  const fs::path tmp = fs::path(cacheDir) / (std::string("tmp_") + name);
  fs::remove(tmp, ec);

  initGdal();
  const char* driverName = format == PointFormat::GeoJson      ? "GeoJSON"
                           : format == PointFormat::GeoPackage ? "GPKG"
                                                               : "FlatGeobuf";
  GDALDriverH driver = GDALGetDriverByName(driverName);
  if (!driver) {
    if (err) *err = std::string("GDAL has no ") + driverName + " driver";
    return {};
  }
  GDALDatasetH ds = GDALCreate(driver, tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!ds) {
    if (err) *err = tmp.string() + ": cannot create (" + CPLGetLastErrorMsg() + ")";
    return {};
  }
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayerH layer = GDALDatasetCreateLayer(ds, "points", srs, wkbPoint, nullptr);
  OSRDestroySpatialReference(srs);
  if (!layer) {
    GDALClose(ds);
    if (err) *err = tmp.string() + ": cannot create the layer";
    return {};
  }
  const std::pair<const char*, OGRFieldType> fields[] = {
      {"id", OFTInteger}, {"name", OFTString}, {"value", OFTReal}, {"date", OFTDate}};
  for (const auto& [fname, type] : fields) {
    OGRFieldDefnH f = OGR_Fld_Create(fname, type);
    OGR_L_CreateField(layer, f, TRUE);
    OGR_Fld_Destroy(f);
  }
  const std::vector<Vec2> pts = samplePoints(counties, count, seed);
  Rng rng{seed ^ 0x5eedull};
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  // GeoPackage: one transaction per 100k features instead of one per feature.
  constexpr size_t kBatch = 100000;
  const bool transactions = format == PointFormat::GeoPackage;
  bool ok = !transactions || OGR_L_StartTransaction(layer) == OGRERR_NONE;
  char text[64];
  const int32_t firstDay = *parseDate("2016-01-01");
  for (size_t i = 0; i < pts.size() && ok; ++i) {
    OGRFeatureH f = OGR_F_Create(defn);
    OGR_F_SetFieldInteger(f, 0, int(i + 1));
    std::snprintf(text, sizeof text, "测点 %06zu", i + 1);
    OGR_F_SetFieldString(f, 1, text);
    OGR_F_SetFieldDouble(f, 2, std::round(rng.unit() * 100000.0) / 100.0);
    // A day in 2016..2020, the programme years (1827 days from 2016-01-01).
    const std::string date = formatDate(firstDay + int32_t(rng.next() % 1827));
    OGR_F_SetFieldDateTime(f, 3, std::atoi(date.c_str()), std::atoi(date.c_str() + 5), std::atoi(date.c_str() + 8),
                           0, 0, 0, 0);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, pts[i].x, pts[i].y);
    OGR_F_SetGeometryDirectly(f, g);
    ok = OGR_L_CreateFeature(layer, f) == OGRERR_NONE;
    OGR_F_Destroy(f);
    if (transactions && (i + 1) % kBatch == 0) {
      ok = OGR_L_CommitTransaction(layer) == OGRERR_NONE && OGR_L_StartTransaction(layer) == OGRERR_NONE;
    }
  }
  if (transactions && OGR_L_CommitTransaction(layer) != OGRERR_NONE) ok = false;
  GDALClose(ds);
  if (!ok) {
    if (err) *err = tmp.string() + ": writing a feature failed (" + CPLGetLastErrorMsg() + ")";
    fs::remove(tmp, ec);
    return {};
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    if (err) *err = path.string() + ": " + ec.message();
    return {};
  }
  return path.string();
}

}  // namespace bcmap::bench
