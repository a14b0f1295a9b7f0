// CoordinateInputTest: what "go to" reads and what "copy coordinate" writes.
#include <gtest/gtest.h>

#include <cmath>

#include "nav/CoordinateInput.h"
#include "io/Projection.h"

namespace bcmap {
namespace {

// The coordinate read from `text` with a projected display CRS; fails the test on an error.
ParsedCoordinate read(const std::string& text, bool geographic = false) {
  std::string err;
  const std::optional<ParsedCoordinate> c = parseCoordinate(text, geographic, &err);
  EXPECT_TRUE(c) << "\"" << text << "\": " << err;
  return c.value_or(ParsedCoordinate{});
}

// The error for `text`.
std::string error(const std::string& text, bool geographic = false) {
  std::string err;
  const std::optional<ParsedCoordinate> c = parseCoordinate(text, geographic, &err);
  EXPECT_FALSE(c) << "\"" << text << "\" read as " << c->value.x << ", " << c->value.y;
  return err;
}

void expectLonLat(const std::string& text, double lon, double lat) {
  const ParsedCoordinate c = read(text);
  EXPECT_EQ(c.kind, CoordinateKind::LonLat) << text;
  EXPECT_NEAR(c.value.x, lon, 1e-12) << text;
  EXPECT_NEAR(c.value.y, lat, 1e-12) << text;
}

TEST(CoordinateInputTest, DecimalDegreesLonLat) {
  expectLonLat("123.5, 45.6", 123.5, 45.6);
  expectLonLat("123.5 45.6", 123.5, 45.6);
  expectLonLat("  123.5 ,  45.6  ", 123.5, 45.6);
  expectLonLat("123.5;45.6", 123.5, 45.6);
  expectLonLat("123.5，45.6", 123.5, 45.6);       // full-width comma
  expectLonLat("１２３.５　４５.６", 123.5, 45.6);  // full-width digits, ideographic space
  expectLonLat("-70.25 -33.5", -70.25, -33.5);
  expectLonLat("+123 45", 123, 45);
  expectLonLat(".5 .25", 0.5, 0.25);
  // Latitude typed first: only that order is in range.
  expectLonLat("45.6, 123.5", 123.5, 45.6);
  // Both orders in range: lon lat as documented.
  expectLonLat("45, 60", 45, 60);
}

TEST(CoordinateInputTest, HemisphereLetters) {
  expectLonLat("45.6N 123.5E", 123.5, 45.6);
  expectLonLat("123.5E 45.6N", 123.5, 45.6);
  expectLonLat("N45.6 E123.5", 123.5, 45.6);
  expectLonLat("N 45.6, E 123.5", 123.5, 45.6);
  expectLonLat("45.6n,123.5e", 123.5, 45.6);
  expectLonLat("123.5E45.6N", 123.5, 45.6);
  expectLonLat("45.6S 123.5W", -123.5, -45.6);
  expectLonLat("北纬45.6 东经123.5", 123.5, 45.6);
  expectLonLat("西经70.25，南纬33.5", -70.25, -33.5);
  // One letter says which axis the other value is.
  expectLonLat("45.6N 123.5", 123.5, 45.6);
  expectLonLat("123.5 45.6N", 123.5, 45.6);
}

TEST(CoordinateInputTest, DegreesMinutesSeconds) {
  expectLonLat("45°36'N 123°30'E", 123.5, 45.6);
  expectLonLat("45° 36' N, 123° 30' E", 123.5, 45.6);
  expectLonLat("45°36'36\"N 123°30'18\"E", 123 + 30.0 / 60 + 18.0 / 3600, 45 + 36.0 / 60 + 36.0 / 3600);
  expectLonLat("45°36′36″N 123°30′18″E", 123 + 30.0 / 60 + 18.0 / 3600, 45 + 36.0 / 60 + 36.0 / 3600);
  expectLonLat("45°36'36''N 123°30'18''E", 123 + 30.0 / 60 + 18.0 / 3600, 45 + 36.0 / 60 + 36.0 / 3600);
  expectLonLat("北纬45度36分 东经123度30分", 123.5, 45.6);
  expectLonLat("45°36.5'N 123°E", 123, 45 + 36.5 / 60);
  expectLonLat("45°30\"N 123°E", 123, 45 + 30.0 / 3600);  // seconds without minutes
  expectLonLat("123°30' 45°36'", 123.5, 45.6);
  expectLonLat("-70°15' -33°30'", -70.25, -33.5);
}

TEST(CoordinateInputTest, ProjectedNumbersAreDisplayCrs) {
  const ParsedCoordinate c = read("13747236.12 5717264.35");
  EXPECT_EQ(c.kind, CoordinateKind::Projected);
  EXPECT_DOUBLE_EQ(c.value.x, 13747236.12);
  EXPECT_DOUBLE_EQ(c.value.y, 5717264.35);
  const ParsedCoordinate utm = read("405000, 5050000");
  EXPECT_EQ(utm.kind, CoordinateKind::Projected);
  EXPECT_DOUBLE_EQ(utm.value.x, 405000);
  // One number in lon range, the other past 180 in both orders: projected.
  EXPECT_EQ(read("150 200").kind, CoordinateKind::Projected);
  // A geographic display has no projected reading.
  EXPECT_EQ(error("13747236.12 5717264.35", true), coordinate_error::kRange);
  EXPECT_EQ(read("123.5 45.6", true).kind, CoordinateKind::LonLat);
}

TEST(CoordinateInputTest, Refusals) {
  EXPECT_EQ(error(""), coordinate_error::kEmpty);
  EXPECT_EQ(error("   "), coordinate_error::kEmpty);
  EXPECT_EQ(error("abc"), coordinate_error::kUnexpected);
  EXPECT_EQ(error("123.5 45.6 x"), coordinate_error::kUnexpected);
  EXPECT_EQ(error("123.5"), coordinate_error::kCount);
  EXPECT_EQ(error("1 2 3"), coordinate_error::kCount);
  EXPECT_EQ(error("45°70'N 123°E"), coordinate_error::kDms);
  EXPECT_EQ(error("36' 45°"), coordinate_error::kDms);
  EXPECT_EQ(error("45 36' 123 30'"), coordinate_error::kDms);  // minutes need a degree sign
  EXPECT_EQ(error("45°36'12' 123°"), coordinate_error::kDms);   // minutes twice
  EXPECT_EQ(error("45°-36' 123°"), coordinate_error::kDms);
  EXPECT_EQ(error("45.6N 123.5N"), coordinate_error::kHemisphere);
  EXPECT_EQ(error("45.6E 123.5W"), coordinate_error::kHemisphere);
  EXPECT_EQ(error("45.6N E"), coordinate_error::kHemisphere);
  EXPECT_EQ(error("N E 45 123"), coordinate_error::kHemisphere);
  EXPECT_EQ(error("-45.6N 123.5E"), coordinate_error::kSign);
  EXPECT_EQ(error("S-45.6 123.5E"), coordinate_error::kSign);
  EXPECT_EQ(error("95°N 123°E"), coordinate_error::kRange);
  EXPECT_EQ(error("45°N 190°E"), coordinate_error::kRange);
  EXPECT_EQ(error("200° 300°"), coordinate_error::kRange);  // degrees are never projected
  EXPECT_EQ(error("123.5 45.6 (note"), coordinate_error::kUnexpected);
}

TEST(CoordinateInputTest, FormatsForCopyingAndReadsThemBack) {
  EXPECT_EQ(formatLonLat({123.4567891, 45.1}), "123.456789, 45.100000");
  EXPECT_EQ(formatDisplayXy({13747236.123, 5717264.349}, false), "13747236.12, 5717264.35");
  EXPECT_EQ(formatDisplayXy({123.4567891, 45.1}, true), "123.456789, 45.100000");
  const std::string copied = formatCursorCoordinate({123.5, 45.6}, {13747236.123, 5717264.349}, "EPSG:3857", false);
  EXPECT_EQ(copied, "123.500000, 45.600000 (EPSG:3857 13747236.12, 5717264.35)");
  expectLonLat(copied, 123.5, 45.6);  // pastes back into "go to"
  EXPECT_EQ(formatCursorCoordinate({123.5, 45.6}, {123.5, 45.6}, "EPSG:4326", true), "123.500000, 45.600000");
  EXPECT_EQ(formatCursorCoordinate({NAN, 45.6}, {0, 0}, "EPSG:3857", false), "");
  EXPECT_EQ(formatCursorCoordinate({123.5, 45.6}, {NAN, NAN}, "EPSG:3857", false), "123.500000, 45.600000");
}

TEST(CoordinateInputTest, GoToPlacesTheTargetInBothSystems) {
  std::string err;
  auto mercator = Transformer::create("EPSG:3857", kLonLatCrs, &err);
  ASSERT_TRUE(mercator) << err;
  // Web Mercator on the sphere of radius a: x = a λ, y = a ln tan(π/4 + φ/2).
  constexpr double a = 6378137.0, pi = 3.14159265358979323846;
  const double x = a * 123.5 * pi / 180, y = a * std::log(std::tan(pi / 4 + 45.6 * pi / 360));
  std::optional<GoToTarget> t = resolveGoTo("45°36'N 123°30'E", *mercator, false, &err);
  ASSERT_TRUE(t) << err;
  EXPECT_NEAR(t->world.x, x, 1e-6);
  EXPECT_NEAR(t->world.y, y, 1e-6);
  EXPECT_DOUBLE_EQ(t->lonLat.x, 123.5);
  // Typed in the display CRS: the lon/lat comes from PROJ.
  t = resolveGoTo(std::to_string(x) + " " + std::to_string(y), *mercator, false, &err);
  ASSERT_TRUE(t) << err;
  EXPECT_NEAR(t->lonLat.x, 123.5, 1e-9);
  EXPECT_NEAR(t->lonLat.y, 45.6, 1e-9);
  // A typed error passes through.
  EXPECT_FALSE(resolveGoTo("1 2 3", *mercator, false, &err));
  EXPECT_EQ(err, coordinate_error::kCount);
  // An orthographic view of Baicheng's side of the globe has no place for the far side,
  // nor for x, y beyond its disc (radius a).
  auto ortho = Transformer::create("+proj=ortho +lat_0=45 +lon_0=123 +ellps=WGS84 +type=crs", kLonLatCrs, &err);
  ASSERT_TRUE(ortho) << err;
  EXPECT_TRUE(resolveGoTo("123 45", *ortho, false, &err)) << err;
  EXPECT_FALSE(resolveGoTo("-57 -45", *ortho, false, &err));
  EXPECT_EQ(err, coordinate_error::kOutside);
  EXPECT_FALSE(resolveGoTo("7000000 7000000", *ortho, false, &err));
  EXPECT_EQ(err, coordinate_error::kOutside);
}

}  // namespace
}  // namespace bcmap
