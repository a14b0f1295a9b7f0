// ProjectionTest: the PROJ transformers, the display CRS choices, ground distances.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "io/Projection.h"

namespace bcmap {
namespace {

constexpr double kPi = std::numbers::pi;
// WGS 84 semi-major axis and first eccentricity squared (NIMA TR8350.2); EPSG:3857 uses
// the sphere of radius a.
constexpr double kWgs84A = 6378137.0;
constexpr double kWgs84E2 = 0.00669437999014;

// Baicheng's five county-level seats and the corners of the city's extent.
const std::vector<Vec2> kBaichengLonLat = {
    {122.839, 45.620}, {122.788, 45.339}, {124.292, 45.507}, {123.200, 45.847},
    {123.088, 44.813}, {121.6, 44.2},     {124.4, 46.4}};

TEST(ProjectionTest, DisplayChoicesExistInTheProjDatabase) {
  EXPECT_STREQ(kDefaultDisplayCrs, "EPSG:3857");
  for (const DisplayCrs& c : kDisplayCrsChoices) {
    std::string err;
    EXPECT_TRUE(isValidCrs(c.code, &err)) << c.code << ": " << err;
    EXPECT_FALSE(crsName(c.code).empty()) << c.code;
    EXPECT_FALSE(isGeographicCrs(c.code)) << c.code;
    EXPECT_TRUE(Transformer::create(kLonLatCrs, c.code, &err).has_value()) << c.code << ": " << err;
  }
  EXPECT_EQ(crsName("EPSG:3857"), "WGS 84 / Pseudo-Mercator");
  EXPECT_EQ(crsName("ESRI:102025"), "Asia_North_Albers_Equal_Area_Conic");
  // The second new-user trial: the CRS window said "当前 Now: unknown" for a +proj string.
  EXPECT_EQ(crsName("+proj=laea +lat_0=45 +lon_0=123 +type=crs"), "Lambert Azimuthal Equal Area (+proj)");
  EXPECT_EQ(crsName("not a crs"), "");
  EXPECT_EQ(crsName("EPSG:4550"), "CGCS2000 / 3-degree Gauss-Kruger CM 123E");
  EXPECT_EQ(crsName("EPSG:32651"), "WGS 84 / UTM zone 51N");
  EXPECT_TRUE(isGeographicCrs("EPSG:4326"));
}

TEST(ProjectionTest, InvalidCrsIsReportedNotThrown) {
  std::string err;
  EXPECT_FALSE(isValidCrs("EPSG:999999", &err));
  EXPECT_NE(err.find("EPSG:999999"), std::string::npos) << err;
  EXPECT_FALSE(isValidCrs("not a crs at all", &err));
  EXPECT_EQ(crsName("not a crs at all"), "");
  // A coordinate operation is not a CRS.
  EXPECT_FALSE(isValidCrs("+proj=merc", nullptr));

  err.clear();
  EXPECT_FALSE(Transformer::create("EPSG:4326", "EPSG:999999", &err).has_value());
  EXPECT_NE(err.find("EPSG:999999"), std::string::npos) << err;
  EXPECT_FALSE(Transformer::create("", "EPSG:3857", nullptr).has_value());
}

// The issue's own example: a bare PROJ string is an operation to PROJ 6+, and the viewer's
// box refused it with "not a CRS (a coordinate operation?)" while --crs appended
// +type=crs itself. One function now makes every entry point's text a CRS.
TEST(ProjectionTest, NormalizeCrsMakesAProjStringACrs) {
  std::string err;
  auto laea = normalizeCrs("  +proj=laea   +lat_0=45 +lon_0=123\n", &err);
  ASSERT_TRUE(laea) << err;
  EXPECT_EQ(*laea, "+proj=laea +lat_0=45 +lon_0=123 +type=crs");
  EXPECT_TRUE(isValidCrs(*laea, nullptr));
  EXPECT_TRUE(Transformer::create(*laea, kLonLatCrs, &err).has_value()) << err;
  // Already a CRS: nothing added twice.
  EXPECT_EQ(normalizeCrs("+proj=laea +lat_0=45 +lon_0=123 +type=crs", nullptr).value_or(""),
            "+proj=laea +lat_0=45 +lon_0=123 +type=crs");
  // Normalising twice changes nothing (a session saves the normal form and reads it back).
  EXPECT_EQ(normalizeCrs(*laea, nullptr).value_or(""), *laea);
}

TEST(ProjectionTest, NormalizeCrsRefusesAPlusStringWithoutProjAtOnce) {
  // The session fuzzer's input: PROJ read it as a name to search its database for (1.5 s,
  // 7 s under ASan). Refused without asking PROJ, the message saying what is missing.
  std::string err;
  EXPECT_FALSE(normalizeCrs("+ +lat_0=45 +lon_0=125 +type=crs", &err));
  EXPECT_NE(err.find("+proj="), std::string::npos) << err;
  // "init=" inside another token is no +init= (the fuzzer's second such input: 10 s).
  EXPECT_FALSE(normalizeCrs("+prl=0=init=" + std::string(120, 'L') + "type=crs", &err));
  EXPECT_NE(err.find("is not a PROJ string"), std::string::npos) << err;
  // +proj= anywhere is read as a PROJ string, put first where PROJ looks for it.
  EXPECT_EQ(normalizeCrs("+lat_0=45  +lon_0=123 +proj=laea", &err).value_or(""),
            "+proj=laea +lat_0=45 +lon_0=123 +type=crs")
      << err;
}

TEST(ProjectionTest, NormalizeCrsTakesCodesWktAndProjJson) {
  EXPECT_EQ(normalizeCrs("EPSG:3857", nullptr).value_or(""), "EPSG:3857");
  EXPECT_EQ(normalizeCrs(" epsg:32651 ", nullptr).value_or(""), "EPSG:32651");
  EXPECT_EQ(normalizeCrs("4326", nullptr).value_or(""), "EPSG:4326");
  EXPECT_EQ(normalizeCrs("esri:102025", nullptr).value_or(""), "ESRI:102025");
  const std::string wkt =
      "GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\",6378137,298.257223563]],"
      "CS[ellipsoidal,2],AXIS[\"latitude\",north,ANGLEUNIT[\"degree\",0.0174532925199433]],"
      "AXIS[\"longitude\",east,ANGLEUNIT[\"degree\",0.0174532925199433]]]";
  std::string err;
  EXPECT_EQ(normalizeCrs("\t" + wkt + " ", &err).value_or(""), wkt) << err;
  const std::string projjson =
      R"({"type":"GeographicCRS","name":"WGS 84","datum":{"type":"GeodeticReferenceFrame","name":"World Geodetic System 1984",)"
      R"("ellipsoid":{"name":"WGS 84","semi_major_axis":6378137,"inverse_flattening":298.257223563}},)"
      R"("coordinate_system":{"subtype":"ellipsoidal","axis":[{"name":"Latitude","abbreviation":"lat","direction":"north","unit":"degree"},)"
      R"({"name":"Longitude","abbreviation":"lon","direction":"east","unit":"degree"}]}})";
  EXPECT_EQ(normalizeCrs(projjson, &err).value_or(""), projjson) << err;
  EXPECT_TRUE(isGeographicCrs(projjson));
}

TEST(ProjectionTest, NormalizeCrsSaysWhatItTakes) {
  std::string err;
  EXPECT_FALSE(normalizeCrs("   ", &err));
  EXPECT_NE(err.find("no CRS given"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(normalizeCrs("EPSG:999999", &err));
  EXPECT_NE(err.find("'EPSG:999999'"), std::string::npos) << err;
  EXPECT_NE(err.find("+proj=laea"), std::string::npos) << err;  // the forms it takes
  err.clear();
  EXPECT_FALSE(normalizeCrs("not a crs at all", &err));
  EXPECT_NE(err.find("'not a crs at all' is not a CRS"), std::string::npos) << err;
  // A PROJ string PROJ does not know: refused with PROJ's reason.
  err.clear();
  EXPECT_FALSE(normalizeCrs("+proj=nosuchprojection +lat_0=45", &err));
  EXPECT_NE(err.find("'+proj=nosuchprojection +lat_0=45' is not a CRS"), std::string::npos) << err;
}

TEST(ProjectionTest, RoundTripsBaichengPointsThroughEveryDisplayCrs) {
  for (const DisplayCrs& c : kDisplayCrsChoices) {
    std::string err;
    auto t = Transformer::create(kLonLatCrs, c.code, &err);
    ASSERT_TRUE(t) << err;
    EXPECT_FALSE(t->isIdentity());
    std::vector<Vec2> pts = kBaichengLonLat;
    size_t failed = 99;
    ASSERT_TRUE(t->transform(pts, &failed)) << c.code;
    EXPECT_EQ(failed, 0u);
    for (size_t i = 0; i < pts.size(); ++i) {
      // The block transform and the one-point call agree exactly.
      const Vec2 one = t->forward(kBaichengLonLat[i]);
      EXPECT_EQ(one.x, pts[i].x);
      EXPECT_EQ(one.y, pts[i].y);
      // Projected metres, not degrees: the points are far from the origin of every choice
      // except near the CM of EPSG:4550 and UTM 51N, whose false easting is 500 km.
      EXPECT_GT(std::fabs(pts[i].x) + std::fabs(pts[i].y), 1e5) << c.code;
      const Vec2 back = t->inverse(pts[i]);
      // 1e-6 degrees is about 0.1 m; PROJ's inverse series are good to ~1e-9.
      EXPECT_NEAR(back.x, kBaichengLonLat[i].x, 1e-6) << c.code;
      EXPECT_NEAR(back.y, kBaichengLonLat[i].y, 1e-6) << c.code;
    }
    ASSERT_TRUE(t->inverseTransform(pts));
    for (size_t i = 0; i < pts.size(); ++i) {
      EXPECT_NEAR(pts[i].x, kBaichengLonLat[i].x, 1e-6) << c.code;
      EXPECT_NEAR(pts[i].y, kBaichengLonLat[i].y, 1e-6) << c.code;
    }
  }
}

TEST(ProjectionTest, LonLatInputIsLongitudeFirst) {
  auto t = Transformer::create("EPSG:4326", "EPSG:3857", nullptr);
  ASSERT_TRUE(t);
  const Vec2 p = t->forward({123.0, 45.0});
  // Spherical Mercator on the WGS 84 semi-major axis (EPSG:1024 method).
  const double x = kWgs84A * 123.0 * kPi / 180.0;
  const double y = kWgs84A * std::log(std::tan(kPi / 4 + 45.0 * kPi / 360.0));
  EXPECT_NEAR(p.x, x, 1e-6);  // 13692297.37 m
  EXPECT_NEAR(p.y, y, 1e-6);  // 5621521.49 m
  EXPECT_NEAR(p.x, 13692297.37, 0.01);
  EXPECT_NEAR(p.y, 5621521.49, 0.01);

  // UTM 51N (central meridian 123E): a point on the CM has the false easting exactly.
  auto utm = Transformer::create("EPSG:4326", "EPSG:32651", nullptr);
  ASSERT_TRUE(utm);
  const Vec2 u = utm->forward({123.0, 45.0});
  EXPECT_NEAR(u.x, 500000.0, 1e-6);
  EXPECT_NEAR(u.y, 4982950.4, 0.1);  // northing of 45N at k0 = 0.9996

  // EPSG:4550 is northing-first by its definition; normalized it is easting-first too.
  auto gk = Transformer::create("EPSG:4326", "EPSG:4550", nullptr);
  ASSERT_TRUE(gk);
  const Vec2 g = gk->forward({123.0, 45.0});
  EXPECT_NEAR(g.x, 500000.0, 1e-6);
  EXPECT_NEAR(g.y, 4984944.4, 0.1);  // k0 = 1 on GRS 80: 4982950.4 / 0.9996
}

TEST(ProjectionTest, IdentityLeavesPointsAlone) {
  auto same = Transformer::create("EPSG:3857", "EPSG:3857", nullptr);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->isIdentity());
  // Same CRS up to the axis order of a geographic CRS: also the identity once normalized.
  auto crs84 = Transformer::create("OGC:CRS84", "EPSG:4326", nullptr);
  ASSERT_TRUE(crs84);
  EXPECT_TRUE(crs84->isIdentity());
  EXPECT_EQ(crs84->forward({123.5, 45.25}).x, 123.5);
  EXPECT_EQ(crs84->forward({123.5, 45.25}).y, 45.25);

  std::vector<Vec2> pts = {{13692297.123456789, 5621521.987654321}, {-1.5, 2.5}, {NAN, 1.0}};
  size_t failed = 0;
  EXPECT_FALSE(same->transform(pts, &failed));
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(pts[0].x, 13692297.123456789);
  EXPECT_EQ(pts[0].y, 5621521.987654321);
  EXPECT_EQ(pts[1].x, -1.5);
  EXPECT_TRUE(std::isnan(pts[2].x) && std::isnan(pts[2].y));

  Bounds b;
  b.add(1, 2);
  b.add(3, 4);
  auto out = same->transformBounds(b);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->minX, 1);
  EXPECT_EQ(out->maxY, 4);
  EXPECT_FALSE(same->transformBounds(Bounds{}).has_value());
}

TEST(ProjectionTest, FailedPointsBecomeNaNAndAreCounted) {
  auto t = Transformer::create("EPSG:4326", "EPSG:3857", nullptr);
  ASSERT_TRUE(t);
  // A latitude beyond the pole is invalid; NaN input cannot be transformed.
  std::vector<Vec2> pts = {{123.0, 45.0}, {0.0, 91.0}, {NAN, 45.0}, {124.0, 46.0}};
  size_t failed = 0;
  EXPECT_FALSE(t->transform(pts, &failed));
  EXPECT_EQ(failed, 2u);
  EXPECT_TRUE(std::isfinite(pts[0].x) && std::isfinite(pts[3].y));
  EXPECT_TRUE(std::isnan(pts[1].x) && std::isnan(pts[1].y));
  EXPECT_TRUE(std::isnan(pts[2].x) && std::isnan(pts[2].y));
  const Vec2 beyond = t->forward({0.0, 91.0});
  EXPECT_TRUE(std::isnan(beyond.x) && std::isnan(beyond.y));
  const Vec2 back = t->inverse({NAN, 0.0});
  EXPECT_TRUE(std::isnan(back.x) && std::isnan(back.y));
  // The transformer still works after a failure.
  EXPECT_NEAR(t->forward({123.0, 45.0}).x, kWgs84A * 123.0 * kPi / 180.0, 1e-6);
}

TEST(ProjectionTest, LargeSpansAreTransformedInBlocks) {
  auto t = Transformer::create("EPSG:4326", "EPSG:32651", nullptr);
  ASSERT_TRUE(t);
  // More than one block (4096 points), with a failure in the second block.
  std::vector<Vec2> pts(10000);
  for (size_t i = 0; i < pts.size(); ++i)
    pts[i] = {121.6 + 2.8 * static_cast<double>(i) / 10000.0, 44.2 + 2.2 * static_cast<double>(i % 97) / 97.0};
  pts[5000] = {NAN, NAN};
  std::vector<Vec2> copy = pts;
  size_t failed = 0;
  EXPECT_FALSE(t->transform(pts, &failed));
  EXPECT_EQ(failed, 1u);
  for (size_t i = 0; i < pts.size(); i += 997) {
    if (i == 5000) continue;
    const Vec2 one = t->forward(copy[i]);
    EXPECT_EQ(one.x, pts[i].x);
    EXPECT_EQ(one.y, pts[i].y);
  }
}

// Inputs of 262144 points or more are split over the cores, each part with its own copy of
// the operation: the result is the one point-by-point transforms give, failures counted in
// every part, both ways.
TEST(ProjectionTest, BigSpansAreSplitOverThreadsWithTheSameResult) {
  auto t = Transformer::create("EPSG:4326", "EPSG:3857", nullptr);
  ASSERT_TRUE(t);
  const size_t n = 600001;  // not a multiple of the part count
  std::vector<Vec2> pts(n);
  for (size_t i = 0; i < n; ++i)
    pts[i] = {121.6 + 2.8 * static_cast<double>(i) / double(n), 44.2 + 2.2 * static_cast<double>(i % 997) / 997.0};
  for (size_t bad : {size_t(7), n / 4 + 3, n / 2 + 1, n - 1}) pts[bad] = {0.0, 91.0};
  const std::vector<Vec2> source = pts;
  size_t failed = 0;
  EXPECT_FALSE(t->transform(pts, &failed));
  EXPECT_EQ(failed, 4u);
  size_t nan = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(pts[i].x)) {
      ++nan;
      continue;
    }
    if (i % 1009 == 0 || i + 1 == n / 2 || i + 2 == n) {
      const Vec2 one = t->forward(source[i]);
      ASSERT_EQ(one.x, pts[i].x) << i;
      ASSERT_EQ(one.y, pts[i].y) << i;
    }
  }
  EXPECT_EQ(nan, 4u);
  // And back: every transformed point returns to its source.
  for (Vec2& p : pts)
    if (std::isnan(p.x)) p = {0.0, 0.0};
  EXPECT_TRUE(t->inverseTransform(pts, &failed));
  EXPECT_EQ(failed, 0u);
  for (size_t i = 0; i < n; i += 4999) {
    if (source[i].y > 90) continue;
    EXPECT_NEAR(pts[i].x, source[i].x, 1e-9) << i;
    EXPECT_NEAR(pts[i].y, source[i].y, 1e-9) << i;
  }
}

TEST(ProjectionTest, TransformedBoundsContainEveryEdgePoint) {
  Bounds city;  // Baicheng's extent in lon/lat
  city.add(121.6, 44.2);
  city.add(124.4, 46.4);
  constexpr int kSteps = 50;
  for (const DisplayCrs& c : kDisplayCrsChoices) {
    auto t = Transformer::create(kLonLatCrs, c.code, nullptr);
    ASSERT_TRUE(t);
    auto out = t->transformBounds(city);
    ASSERT_TRUE(out) << c.code;
    EXPECT_LT(out->minX, out->maxX);
    EXPECT_LT(out->minY, out->maxY);
    // proj_trans_bounds densifies each edge and takes the extremes, so every edge point
    // lies inside (1 mm slack for rounding between PROJ's densified points and ours).
    constexpr double kSlackM = 1e-3;
    for (int i = 0; i <= kSteps; ++i) {
      const double f = static_cast<double>(i) / kSteps;
      const double lon = city.minX + f * city.width();
      const double lat = city.minY + f * city.height();
      for (Vec2 p : {Vec2{lon, city.minY}, Vec2{lon, city.maxY}, Vec2{city.minX, lat}, Vec2{city.maxX, lat}}) {
        const Vec2 q = t->forward(p);
        EXPECT_GE(q.x, out->minX - kSlackM) << c.code;
        EXPECT_LE(q.x, out->maxX + kSlackM) << c.code;
        EXPECT_GE(q.y, out->minY - kSlackM) << c.code;
        EXPECT_LE(q.y, out->maxY + kSlackM) << c.code;
      }
    }
    // And the result is not absurdly loose: the corners' own box is within a few km of it.
    Bounds corners;
    for (Vec2 p : {Vec2{city.minX, city.minY}, Vec2{city.maxX, city.minY}, Vec2{city.minX, city.maxY}, Vec2{city.maxX, city.maxY}})
      corners.add(t->forward(p));
    EXPECT_LT(corners.minX - out->minX, 5000.0) << c.code;
    EXPECT_LT(out->maxY - corners.maxY, 5000.0) << c.code;
  }
}

TEST(ProjectionTest, GeodesicDistances) {
  // One degree of latitude centred on 45N: the meridian arc there is 111131.8 m
  // (111132.954 - 559.822 cos 2φ + 1.175 cos 4φ, the series for WGS 84).
  EXPECT_NEAR(geodesicDistanceM({123.0, 44.5}, {123.0, 45.5}), 111131.8, 1.0);
  // Along the equator a short geodesic is the equator itself: a * Δλ exactly.
  EXPECT_NEAR(geodesicDistanceM({0.0, 0.0}, {1.0, 0.0}), kWgs84A * kPi / 180.0, 1e-6);
  EXPECT_EQ(geodesicDistanceM({123.0, 45.0}, {123.0, 45.0}), 0.0);
  EXPECT_TRUE(std::isnan(geodesicDistanceM({NAN, 45.0}, {123.0, 45.0})));
}

// Radius of the parallel at `latDeg` on WGS 84: N cos φ.
double parallelRadius(double latDeg) {
  const double phi = latDeg * kPi / 180.0;
  return kWgs84A * std::cos(phi) / std::sqrt(1.0 - kWgs84E2 * std::sin(phi) * std::sin(phi));
}

TEST(ProjectionTest, GroundMetresPerPixelAtTheViewCentre) {
  auto toMerc = Transformer::create("EPSG:4326", "EPSG:3857", nullptr);
  auto toLonLat = Transformer::create("EPSG:3857", "EPSG:4326", nullptr);
  ASSERT_TRUE(toMerc && toLonLat);
  View view;
  view.center = toMerc->forward({123.0, 45.0});
  view.unitsPerPixel = 10.0;
  view.widthPx = 800;
  view.heightPx = 600;
  // One Web Mercator unit is 1/a radians of longitude; along the parallel that is
  // N cos φ / a metres on the ground.
  const double expected = 10.0 * parallelRadius(45.0) / kWgs84A;
  EXPECT_NEAR(groundMetresPerPixel(view, *toLonLat), expected, expected * 1e-6);  // ~7.08 m

  // A lon/lat display: the identity transformer.
  auto identity = Transformer::create("EPSG:4326", "EPSG:4326", nullptr);
  ASSERT_TRUE(identity);
  View geo;
  geo.center = {123.0, 45.0};
  geo.unitsPerPixel = 0.001;
  geo.widthPx = 640;
  geo.heightPx = 480;
  const double expectedGeo = 0.001 * kPi / 180.0 * parallelRadius(45.0);
  EXPECT_NEAR(groundMetresPerPixel(geo, *identity), expectedGeo, expectedGeo * 1e-6);
}

TEST(ProjectionTest, ScaleDenominatorUsesTheOgcStandardPixel) {
  EXPECT_DOUBLE_EQ(scaleDenominator(0.28), 1000.0);
  EXPECT_DOUBLE_EQ(scaleDenominator(1.0), 1.0 / 0.00028);
  EXPECT_DOUBLE_EQ(scaleDenominator(0.0), 0.0);
}

TEST(ProjectionTest, TransformerIsMoveOnly) {
  static_assert(!std::is_copy_constructible_v<Transformer>);
  static_assert(std::is_nothrow_move_constructible_v<Transformer>);
  auto a = Transformer::create("EPSG:4326", "EPSG:3857", nullptr);
  ASSERT_TRUE(a);
  Transformer b = std::move(*a);
  EXPECT_EQ(b.sourceCrs(), "EPSG:4326");
  EXPECT_EQ(b.targetCrs(), "EPSG:3857");
  auto c = Transformer::create("EPSG:3857", "EPSG:3857", nullptr);
  ASSERT_TRUE(c);
  *c = std::move(b);
  EXPECT_FALSE(c->isIdentity());
  EXPECT_NEAR(c->forward({123.0, 45.0}).x, kWgs84A * 123.0 * kPi / 180.0, 1e-6);
}

}  // namespace
}  // namespace bcmap
