// Exact static render (label render; issue 11 §1): `bcmap render` of the counties and one
// million points must give the same picture with level of detail as shipped as with every
// point drawn ($BCMAP_POINT_LOD=0): at most 0.5 % of the image's pixels may differ by more
// than 8/255 in some channel. Checked at 1920x1080 framing the counties and at a zoomed
// box, for the file layer's default point (opaque), a translucent single colour and a
// categorised colour per point (where LOD must not change which colour wins a pixel).
//
// Sections: the points file (written once per run), rendering through the binary, the
// comparison, the cases.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <unistd.h>
#include <string>
#include <utility>
#include <vector>

#include "io/GdalSupport.h"
#include "io/VectorReader.h"
#include "render/ImageIo.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

constexpr size_t kPoints = 1'000'000;
constexpr double kMaxDifferingShare = 0.005;  // the issue's bar: 0.5 % of the pixels...
constexpr int kLevels = 8;                    // ...differing by more than 8/255

// ---- the points file ----------------------------------------------------------------------

// splitmix64: the same stream on every machine (the standard distributions are not).
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double unit() { return double(next() >> 11) * 0x1.0p-53; }
};

// Even-odd test over every county ring, edges bucketed by latitude band (the bench's way:
// points uniform inside the counties, so the picture has the counties' edges).
class InsideTest {
 public:
  explicit InsideTest(const GeometryColumn& g) : minY_(g.bounds().minY), bandH_(g.bounds().height() / kBands) {
    bands_.resize(kBands);
    for (size_t r = 0; r < g.ringCount(); ++r) {
      const size_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
      for (size_t i = v0, j = v1 - 1; v1 > v0 && i < v1; j = i++) {
        const Vec2 a = g.xy[j], b = g.xy[i];
        for (int k = band(std::min(a.y, b.y)); k <= band(std::max(a.y, b.y)); ++k) bands_[size_t(k)].push_back({a, b});
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
  static constexpr int kBands = 2048;
  int band(double y) const { return std::clamp(int((y - minY_) / bandH_), 0, kBands - 1); }
  double minY_, bandH_;
  std::vector<std::vector<std::pair<Vec2, Vec2>>> bands_;
};

struct Fixture {
  fs::path shared;     // in the build tree: the points file and the data cache, kept between runs
  fs::path dir;        // this run's pictures
  std::string points;  // FlatGeobuf: 1M points, fields cls (0..5, at random) and value
  Bounds countiesLonLat;
  std::string error;
};

Fixture makeFixture() {
  Fixture f;
  char tmpl[] = "/tmp/bcmap-exact-XXXXXX";
  if (!mkdtemp(tmpl)) {
    f.error = "mkdtemp failed";
    return f;
  }
  f.dir = tmpl;
  f.shared = fs::path(BCMAP_BINARY_DIR) / "tests" / "render" / "exact_render";
  std::error_code ec;
  fs::create_directories(f.shared, ec);
  VectorReadOptions o;
  o.path = std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson";
  std::string err;
  std::optional<VectorReadResult> counties = readVector(o, &err);
  if (!counties) {
    f.error = "counties: " + err;
    return f;
  }
  const GeometryColumn& g = counties->table.geometry;
  f.countiesLonLat = g.bounds();
  // Written once per build tree (bump v1 when the generator changes), under a name of this
  // process's own and renamed, so tests running side by side never read half a file.
  f.points = (f.shared / "points_1000000_v1.fgb").string();
  if (fs::exists(f.points, ec)) return f;
  const InsideTest test(g);
  initGdal();
  const std::string tmp = f.points + "." + std::to_string(getpid()) + ".tmp.fgb";
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("FlatGeobuf"), tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!ds) {
    f.error = "cannot create " + tmp;
    return f;
  }
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  char spatialIndex[] = "SPATIAL_INDEX=NO";
  char* options[] = {spatialIndex, nullptr};
  OGRLayerH layer = GDALDatasetCreateLayer(ds, "points", srs, wkbPoint, options);
  OSRDestroySpatialReference(srs);
  OGRFieldDefnH cls = OGR_Fld_Create("cls", OFTInteger);
  OGR_L_CreateField(layer, cls, 1);
  OGR_Fld_Destroy(cls);
  OGRFieldDefnH value = OGR_Fld_Create("value", OFTReal);
  OGR_L_CreateField(layer, value, 1);
  OGR_Fld_Destroy(value);
  Rng rng{20240601};
  const Bounds& b = f.countiesLonLat;
  OGRFeatureH feature = OGR_F_Create(OGR_L_GetLayerDefn(layer));
  OGRGeometryH point = OGR_G_CreateGeometry(wkbPoint);
  for (size_t n = 0; n < kPoints;) {
    const Vec2 q{b.minX + rng.unit() * b.width(), b.minY + rng.unit() * b.height()};
    if (!test.inside(q)) continue;
    OGR_G_SetPoint_2D(point, 0, q.x, q.y);
    OGR_F_SetGeometry(feature, point);
    OGR_F_SetFieldInteger(feature, 0, int(rng.next() % 6));
    OGR_F_SetFieldDouble(feature, 1, rng.unit() * 100);
    OGR_F_SetFID(feature, OGRNullFID);
    if (OGR_L_CreateFeature(layer, feature) != OGRERR_NONE) {
      f.error = "cannot write a point";
      break;
    }
    ++n;
  }
  OGR_G_DestroyGeometry(point);
  OGR_F_Destroy(feature);
  GDALClose(ds);
  if (f.error.empty()) fs::rename(tmp, f.points, ec);
  if (ec) f.error = "cannot rename " + tmp + ": " + ec.message();
  return f;
}

const Fixture& fixture() {
  static const Fixture f = makeFixture();
  return f;
}

// ---- rendering through the binary -----------------------------------------------------------

enum class Lod { AsShipped, AllPoints };

// `bcmap render` of the counties and the points, `pointPx` discs (4 px: the bench's case),
// into `name`.png; the style of the points layer from a session when `styleJson` is given.
std::optional<RgbaImage> render(const std::string& name, Lod lod, const std::string& bbox,
                                const std::string& styleJson, int pointPx, const std::string& size, double* seconds) {
  const Fixture& f = fixture();
  const fs::path out = f.dir / (name + (lod == Lod::AllPoints ? "_all.png" : "_lod.png"));
  std::string cmd;
  // A data cache of its own (the first render fills it, the others read it) and no user
  // settings: the run is the same on every machine.
  cmd += "XDG_CACHE_HOME='" + (f.shared / "cache").string() + "' XDG_CONFIG_HOME='" + (f.dir / "config").string() +
         "' XDG_STATE_HOME='" + (f.dir / "state").string() + "' ";
  if (lod == Lod::AllPoints) cmd += "BCMAP_POINT_LOD=0 ";
  cmd += "'" BCMAP_EXE "' render --layers counties --size " + size + " --point-size " + std::to_string(pointPx) +
         " --out '" + out.string() + "'";
  if (!bbox.empty()) cmd += " --bbox " + bbox;
  if (!styleJson.empty()) {
    const fs::path session = f.dir / (name + ".json");
    std::ofstream(session) << R"({"version": 1, "layers": [{"id": "file:points", "file": ")" << f.points
                           << R"(", "visible": true, "style": )" << styleJson << "}]}";
    cmd += " --session '" + session.string() + "'";
  }
  cmd += " '" + f.points + "'";
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = std::system(cmd.c_str());
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(rc, 0) << cmd;
  std::string err;
  std::optional<RgbaImage> img = readPng(out.string(), &err);
  EXPECT_TRUE(img) << err;
  return img;
}

// ---- the comparison -----------------------------------------------------------------------

struct Difference {
  size_t differing = 0;  // pixels with some channel more than kLevels apart
  size_t pixels = 0;
  size_t pointPixels = 0;  // pixels the points change in the full render (not the paper or a county's fill)
  double share() const { return pixels ? double(differing) / double(pixels) : 1.0; }
};

Difference compare(const RgbaImage& full, const RgbaImage& lod) {
  Difference d;
  d.pixels = size_t(full.width) * size_t(full.height);
  if (full.rgba.size() != lod.rgba.size()) {
    d.differing = d.pixels;
    return d;
  }
  for (size_t i = 0; i < full.rgba.size(); i += 4) {
    int m = 0;
    for (size_t k = 0; k < 3; ++k) m = std::max(m, std::abs(int(full.rgba[i + k]) - int(lod.rgba[i + k])));
    d.differing += m > kLevels;
  }
  return d;
}

// The counties' box in degrees (the frame is fitted to its height), or a box 1.1 times its
// width, as wide as the frame, around a point under halfway across and up: zoomed in 1.7x,
// the points cover the frame, still dense enough for LOD to leave half of them out.
std::string boxText(bool zoomed) {
  const Bounds& b = fixture().countiesLonLat;
  Bounds z = b;
  if (zoomed) {
    const double cx = b.minX + 0.45 * b.width(), cy = b.minY + 0.45 * b.height();
    const double hw = b.width() * 0.55, hh = hw * 1080.0 / 1920.0;
    z = {cx - hw, cy - hh, cx + hw, cy + hh};
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.6f,%.6f,%.6f,%.6f", z.minX, z.minY, z.maxX, z.maxY);
  return buf;
}

// ---- the cases -------------------------------------------------------------------------------

struct Case {
  const char* name;
  const char* style;  // "": the file layer's default (opaque, the first of kFileLayerPalette)
  int pointPx = 4;
  const char* size = "1920x1080";
};

// Named in test listings by its name (gtest would print the bytes).
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ExactRenderTest : public ::testing::TestWithParam<std::pair<Case, bool>> {};

TEST_P(ExactRenderTest, LodGivesThePictureOfEveryPoint) {
  ASSERT_TRUE(fixture().error.empty()) << fixture().error;
  const auto& [c, zoomed] = GetParam();
  const std::string name = std::string(c.name) + (zoomed ? "_zoomed" : "_full");
  const std::string box = boxText(zoomed);
  double tAll = 0, tLod = 0;
  const std::optional<RgbaImage> all = render(name, Lod::AllPoints, box, c.style, c.pointPx, c.size, &tAll);
  const std::optional<RgbaImage> lod = render(name, Lod::AsShipped, box, c.style, c.pointPx, c.size, &tLod);
  ASSERT_TRUE(all && lod);
  const Difference d = compare(*all, *lod);
  std::printf("%s: %zu of %zu pixels differ by more than %d/255 (%.3f %%); render %.2f s all points, %.2f s LOD\n",
              name.c_str(), d.differing, d.pixels, kLevels, 100.0 * d.share(), tAll, tLod);
  EXPECT_LE(d.share(), kMaxDifferingShare) << "pictures in " << fixture().dir.string();
}

const Case kOpaque{"opaque", ""};
// The vector_file plugin's point colour, #3a6fb0 at alpha 150: five stacked discs before
// the paper stops showing.
const Case kTranslucent{"translucent", R"({"kind": "single", "single": "#3a6fb096"})"};
const Case kCategorised{"categorised", R"({"kind": "categorized", "field": "cls", "ramp": "Okabe-Ito"})"};
// A window-sized map of 12 px points, where the edge of the points is a larger share of the
// picture (LOD without its fringe: 0.44 % off at 8 px, more at 12).
const Case kLarge{"large", "", 12, "1280x800"};

std::string caseName(const ::testing::TestParamInfo<std::pair<Case, bool>>& p) {
  return std::string(p.param.first.name) + (p.param.second ? "_zoomed" : "_full");
}

INSTANTIATE_TEST_SUITE_P(, ExactRenderTest,
                         ::testing::Values(std::pair{kTranslucent, false}, std::pair{kTranslucent, true},
                                           std::pair{kOpaque, false}, std::pair{kOpaque, true},
                                           std::pair{kCategorised, false}, std::pair{kCategorised, true},
                                           std::pair{kLarge, false}),
                         caseName);

}  // namespace
}  // namespace bcmap
