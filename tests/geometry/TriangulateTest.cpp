// Triangulate tests: small hand-made polygons, then every fixture of the earcut corpus
// (tests/corpora/earcut, from mapbox/earcut under its ISC licence: real coast lines and
// buildings, and deliberately broken rings) against the area deviation earcut itself
// reaches (expected.json). The corpus goes through triangulatePolygon as the renderer's
// column does, with room for the even-odd fill's corners: the fixtures whose rings cross
// (bad-hole, simplified-us-border, water, water-huge, water-huge2) or that the clipper
// fills wrongly (issue142) take it, and are marked so. Their deviation is still measured
// against the outer ring's area less the holes', which is not the rule's area where rings
// cross (a loop winding twice is counted twice there and left empty by the rule).
//
// Sections: 1. a tiny JSON reader  2. area helpers  3. unit cases  4. the corpus

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "geometry/Triangulate.h"

namespace bcmap {
namespace {

// ---------------------------------------------------------------------------------------
// 1. A tiny JSON reader: enough for the corpus (objects, arrays, numbers, plain strings).

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  double number = 0;
  std::string text;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json* find(const std::string& key) const {
    for (const auto& [name, value] : members) {
      if (name == key) return &value;
    }
    return nullptr;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  std::optional<Json> parseDocument() {
    Json value;
    if (!parseValue(value, 0)) return std::nullopt;
    skipSpace();
    if (pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  static constexpr int kMaxDepth = 64;  // the corpus nests three deep

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool parseString(std::string& out) {
    if (!consume('"')) return false;
    const size_t end = text_.find('"', pos_);
    if (end == std::string_view::npos) return false;
    out.assign(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out.find('\\') == std::string::npos;  // no escapes in the corpus
  }

  bool parseValue(Json& out, int depth) {
    if (depth > kMaxDepth) return false;
    skipSpace();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '[') {
      ++pos_;
      out.type = Json::Type::Array;
      if (consume(']')) return true;
      do {
        out.items.emplace_back();
        if (!parseValue(out.items.back(), depth + 1)) return false;
      } while (consume(','));
      return consume(']');
    }
    if (c == '{') {
      ++pos_;
      out.type = Json::Type::Object;
      if (consume('}')) return true;
      do {
        std::string key;
        if (!parseString(key) || !consume(':')) return false;
        out.members.emplace_back(std::move(key), Json{});
        if (!parseValue(out.members.back().second, depth + 1)) return false;
      } while (consume(','));
      return consume('}');
    }
    if (c == '"') {
      out.type = Json::Type::String;
      return parseString(out.text);
    }
    for (const auto& [word, type, truth] :
         {std::tuple{"true", Json::Type::Bool, 1.0}, std::tuple{"false", Json::Type::Bool, 0.0},
          std::tuple{"null", Json::Type::Null, 0.0}}) {
      const std::string_view w(word);
      if (text_.substr(pos_, w.size()) == w) {
        pos_ += w.size();
        out.type = type;
        out.number = truth;
        return true;
      }
    }
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(begin, end, out.number);
    if (ec != std::errc() || ptr == begin) return false;
    pos_ += static_cast<size_t>(ptr - begin);
    out.type = Json::Type::Number;
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::optional<Json> readJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  return JsonReader(text).parseDocument();
}

using Rings = std::vector<std::vector<Vec2>>;

// A fixture is [[[x, y], ...], ...]: rings of points, the first the outer one.
std::optional<Rings> ringsFromJson(const Json& doc) {
  if (doc.type != Json::Type::Array) return std::nullopt;
  Rings rings;
  for (const Json& ring : doc.items) {
    if (ring.type != Json::Type::Array) return std::nullopt;
    auto& out = rings.emplace_back();
    for (const Json& point : ring.items) {
      if (point.type != Json::Type::Array || point.items.size() < 2 ||
          point.items[0].type != Json::Type::Number || point.items[1].type != Json::Type::Number) {
        return std::nullopt;
      }
      out.push_back({point.items[0].number, point.items[1].number});
    }
  }
  return rings;
}

// ---------------------------------------------------------------------------------------
// 2. Area helpers

// Shoelace area taken relative to the ring's first vertex: several fixtures are small
// shapes far from the origin (longitudes near 160), where absolute coordinates would
// cancel away ten digits and swamp the deviation being measured.
double ringArea(const std::vector<Vec2>& ring) {
  const Vec2 o = ring.front();
  double twice = 0;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    twice += (ring[j].x - o.x) * (ring[i].y - o.y) - (ring[i].x - o.x) * (ring[j].y - o.y);
  }
  return std::abs(twice) / 2;
}

// Outer ring area minus hole areas: the area a correct fill covers (earcut's definition).
// Where the holes outweigh the outer ring (a degenerate outer ring, as in issue107) the
// fill is empty, so the area is taken as 0; earcut's own test gets there by letting the
// deviation go negative.
double polygonArea(const Rings& rings) {
  double area = 0;
  for (size_t r = 0; r < rings.size(); ++r) {
    if (rings[r].empty()) continue;
    area += r == 0 ? ringArea(rings[r]) : -ringArea(rings[r]);
  }
  return std::max(area, 0.0);
}

std::vector<Vec2> flatten(const Rings& rings) {
  std::vector<Vec2> all;
  for (const auto& ring : rings) all.insert(all.end(), ring.begin(), ring.end());
  return all;
}

double trianglesArea(const std::vector<Vec2>& xy, const std::vector<uint32_t>& triangles,
                     uint32_t baseIndex = 0) {
  double area = 0;
  for (size_t t = 0; t + 2 < triangles.size(); t += 3) {
    const Vec2& a = xy[triangles[t] - baseIndex];
    const Vec2& b = xy[triangles[t + 1] - baseIndex];
    const Vec2& c = xy[triangles[t + 2] - baseIndex];
    area += std::abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / 2;
  }
  return area;
}

// Relative deviation as earcut measures it; 0 when both areas are 0.
double deviation(double expected, double actual) {
  if (expected == 0 && actual == 0) return 0;
  return std::abs(actual - expected) / std::abs(expected);
}

// The even-odd rule at the centres of a 199 x 199 grid over the rings' box (odd offsets, so no
// centre lies on the integer coordinates of the corpus): inside the outer ring by its own
// parity and inside no hole by its own. Returns how many centres the triangles cover a
// number of times other than the rule's 1 or 0.
size_t ruleMismatches(const Rings& rings, const std::vector<Vec2>& xy,
                      const std::vector<uint32_t>& triangles) {
  constexpr int kCells = 199;
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (const auto& ring : rings) {
    for (const Vec2& v : ring) {
      x0 = std::min(x0, v.x), y0 = std::min(y0, v.y), x1 = std::max(x1, v.x), y1 = std::max(y1, v.y);
    }
  }
  const double w = (x1 - x0) / kCells, h = (y1 - y0) / kCells;
  auto centre = [&](int i, int j) { return Vec2{x0 + (i + 0.5123) * w, y0 + (j + 0.4871) * h}; };
  std::vector<int> count(kCells * kCells, 0);
  for (size_t t = 0; t + 2 < triangles.size(); t += 3) {
    const Vec2 a = xy[triangles[t]], b = xy[triangles[t + 1]], c = xy[triangles[t + 2]];
    const int i0 = std::max(0, int(std::floor((std::min({a.x, b.x, c.x}) - x0) / w)) - 1);
    const int i1 = std::min(kCells - 1, int(std::ceil((std::max({a.x, b.x, c.x}) - x0) / w)) + 1);
    const int j0 = std::max(0, int(std::floor((std::min({a.y, b.y, c.y}) - y0) / h)) - 1);
    const int j1 = std::min(kCells - 1, int(std::ceil((std::max({a.y, b.y, c.y}) - y0) / h)) + 1);
    for (int j = j0; j <= j1; ++j) {
      for (int i = i0; i <= i1; ++i) {
        const Vec2 p = centre(i, j);
        const double d1 = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        const double d2 = (c.x - b.x) * (p.y - b.y) - (c.y - b.y) * (p.x - b.x);
        const double d3 = (a.x - c.x) * (p.y - c.y) - (a.y - c.y) * (p.x - c.x);
        if ((d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0)) ++count[j * kCells + i];
      }
    }
  }
  auto inside = [](const std::vector<Vec2>& ring, Vec2 p) {
    bool in = false;
    for (size_t k = 0, prev = ring.size() - 1; k < ring.size(); prev = k++) {
      const Vec2 u = ring[prev], v = ring[k];
      if ((u.y > p.y) != (v.y > p.y) && p.x < u.x + (p.y - u.y) * (v.x - u.x) / (v.y - u.y)) in = !in;
    }
    return in;
  };
  size_t wrong = 0;
  for (int j = 0; j < kCells; ++j) {
    for (int i = 0; i < kCells; ++i) {
      const Vec2 p = centre(i, j);
      bool filled = !rings.empty() && !rings[0].empty() && inside(rings[0], p);
      for (size_t r = 1; filled && r < rings.size(); ++r) filled = rings[r].empty() || !inside(rings[r], p);
      wrong += count[j * kCells + i] != (filled ? 1 : 0);
    }
  }
  return wrong;
}

std::vector<uint32_t> triangulate(const Rings& rings, uint32_t baseIndex = 0) {
  std::vector<std::span<const Vec2>> spans(rings.begin(), rings.end());
  std::vector<uint32_t> out;
  EXPECT_TRUE(triangulatePolygon(spans, baseIndex, out));
  EXPECT_EQ(out.size() % 3, 0u);
  return out;
}

void expectIndicesInRange(const std::vector<uint32_t>& triangles, size_t vertexCount,
                          uint32_t baseIndex = 0) {
  for (uint32_t i : triangles) {
    ASSERT_GE(i, baseIndex);
    ASSERT_LT(i - baseIndex, vertexCount);
  }
}

// ---------------------------------------------------------------------------------------
// 3. Unit cases

TEST(Triangulate, Square) {
  const Rings rings{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}};
  const auto tris = triangulate(rings);
  EXPECT_EQ(tris.size(), 6u);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris), 1.0);
}

TEST(Triangulate, ClockwiseClosedSquareMatchesOpenOne) {
  // Winding and a repeated closing vertex must not matter; the closing vertex is unused.
  const Rings rings{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}};
  const auto tris = triangulate(rings);
  EXPECT_EQ(tris.size(), 6u);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris), 1.0);
  // Either copy of the closing vertex may be used, not both.
  EXPECT_FALSE(std::count(tris.begin(), tris.end(), 0u) &&
               std::count(tris.begin(), tris.end(), 4u));
}

TEST(Triangulate, SquareWithHole) {
  const Rings rings{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}}};
  const auto tris = triangulate(rings);
  // n vertices and h holes always give n + 2h - 2 triangles.
  EXPECT_EQ(tris.size() / 3, 8u);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris), 16.0 - 4.0);
  expectIndicesInRange(tris, 8);
}

TEST(Triangulate, RepeatedPoints) {
  // The county rings repeat a vertex up to thousands of times in a row.
  Rings rings(1);
  const Vec2 corners[] = {{0, 0}, {10, 0}, {10, 5}, {0, 5}};
  for (const Vec2& c : corners) {
    for (int k = 0; k < 3000; ++k) rings[0].push_back(c);
  }
  rings[0].push_back(corners[0]);
  const auto tris = triangulate(rings);
  EXPECT_EQ(tris.size(), 6u);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris), 50.0);
  expectIndicesInRange(tris, rings[0].size());
}

TEST(Triangulate, SelfTouchingFigureEight) {
  // Two unit squares joined at (1, 1): the ring passes that point twice.
  const Rings rings{{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}}};
  const auto tris = triangulate(rings);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris), 2.0);
  EXPECT_EQ(tris.size() / 3, 4u);  // two triangles a square, none spanning the touch
}

TEST(Triangulate, CollinearRingGivesNothing) {
  const Rings rings{{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {1, 1}}};
  EXPECT_TRUE(triangulate(rings).empty());
  const Rings point{{{5, 5}, {5, 5}, {5, 5}}};
  EXPECT_TRUE(triangulate(point).empty());
  EXPECT_TRUE(triangulate(Rings{}).empty());
  EXPECT_TRUE(triangulate(Rings{{}}).empty());
}

TEST(Triangulate, BaseIndexOffsetsIndices) {
  const Rings rings{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}}};
  const auto tris = triangulate(rings, 1000);
  expectIndicesInRange(tris, 8, 1000);
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(rings), tris, 1000), 12.0);
}

TEST(Triangulate, IndexOverflowIsMisuse) {
  const Rings rings{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}};
  std::vector<std::span<const Vec2>> spans(rings.begin(), rings.end());
  std::vector<uint32_t> out{7, 8, 9};
  EXPECT_FALSE(triangulatePolygon(spans, std::numeric_limits<uint32_t>::max() - 2, out));
  EXPECT_EQ(out, (std::vector<uint32_t>{7, 8, 9}));
  EXPECT_TRUE(triangulatePolygon(spans, std::numeric_limits<uint32_t>::max() - 3, out));
}

TEST(Triangulate, NonFiniteAndCrossingInputDoesNotCrash) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const Rings withNan{{{0, 0}, {nan, 3}, {4, 0}, {4, inf}, {4, 4}, {0, 4}}};
  const auto tris = triangulate(withNan);
  for (uint32_t i : tris) EXPECT_TRUE(i != 1 && i != 3) << "a non-finite vertex was used";
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(withNan), tris), 16.0);

  const Rings bowTie{{{0, 0}, {2, 2}, {2, 0}, {0, 2}}};
  expectIndicesInRange(triangulate(bowTie), 4);
  const Rings holeOutside{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{5, 5}, {6, 5}, {6, 6}}};
  EXPECT_DOUBLE_EQ(trianglesArea(flatten(holeOutside), triangulate(holeOutside)), 1.0);
  const Rings huge{{{-1e300, -1e300}, {1e300, -1e300}, {1e300, 1e300}, {-1e300, 1e300}}};
  expectIndicesInRange(triangulate(huge), 4);
}

TEST(Triangulate, RandomStarPolygonsAreExact) {
  // Star-shaped rings are simple whatever the radii, so the fill must be exact; repeats
  // and collinear midpoints are sprinkled in as the county data has them.
  std::mt19937 rng(20240601);  // fixed: the test must be deterministic
  std::uniform_real_distribution<double> radius(10, 100);
  for (int round = 0; round < 200; ++round) {
    const int n = 3 + static_cast<int>(rng() % 300);
    Rings rings(1);
    for (int i = 0; i < n; ++i) {
      const double angle = 2 * std::numbers::pi * i / n;
      const double r = radius(rng);
      const Vec2 p{500 + r * std::cos(angle), 500 + r * std::sin(angle)};
      if (!rings[0].empty() && rng() % 4 == 0) {
        const Vec2 q = rings[0].back();
        rings[0].push_back({(p.x + q.x) / 2, (p.y + q.y) / 2});
      }
      rings[0].push_back(p);
      if (rng() % 5 == 0) rings[0].push_back(p);
    }
    if (round % 2 == 0) std::reverse(rings[0].begin(), rings[0].end());
    const auto tris = triangulate(rings);
    expectIndicesInRange(tris, rings[0].size());
    EXPECT_LE(deviation(polygonArea(rings), trianglesArea(flatten(rings), tris)), 1e-12)
        << "round " << round;
  }
}

TEST(Triangulate, RandomJunkNeverCrashes) {
  // Rings of random points on a coarse grid: self-crossing, collinear, repeated, holes
  // anywhere. Nothing to check but that it returns, with valid indices.
  std::mt19937 rng(77);
  for (int round = 0; round < 500; ++round) {
    const int grid = round % 3 == 0 ? 4 : 30;
    std::uniform_int_distribution<int> coord(0, grid);
    Rings rings(1 + (round % 4 == 0 ? rng() % 5 : 0));
    size_t count = 0;
    for (auto& ring : rings) {
      const int n = 1 + static_cast<int>(rng() % 40);
      for (int i = 0; i < n; ++i) {
        ring.push_back({static_cast<double>(coord(rng)), static_cast<double>(coord(rng))});
      }
      count += ring.size();
    }
    const auto tris = triangulate(rings);
    expectIndicesInRange(tris, count);
  }
}

// A ring of n vertices on the unit circle (centre 120, 45), each moved by Gaussian noise of
// the given size: with 1e-7 of noise, about half the corners are reflex by a hair.
Rings noisyCircle(int n, double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> jitter(0, noise);
  Rings rings(1);
  rings[0].reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double angle = 2 * std::numbers::pi * i / n;
    const double r = 1 + jitter(rng);
    rings[0].push_back({120 + r * std::cos(angle), 45 + r * std::sin(angle)});
  }
  return rings;
}

TEST(Triangulate, DenseNearlyCollinearRingIsFilledExactly) {
  // Ears clipped in a fan from one vertex grow with each clip until every test reads much
  // of the ring: 100,000 vertices like these took 10 s. In passes round the ring it is
  // linear, and the fill exact: n - 2 triangles with the ring's area.
  const int n = 200'000;
  const Rings rings = noisyCircle(n, 1e-7, 11);
  const auto tris = triangulate(rings);
  expectIndicesInRange(tris, rings[0].size());
  EXPECT_EQ(tris.size() / 3, static_cast<size_t>(n - 2));
  EXPECT_LE(deviation(polygonArea(rings), trianglesArea(flatten(rings), tris)), 1e-9);
}

TEST(Triangulate, SpikyRingOverBudgetIsFilledFromASimplifiedOutline) {
  // A comb of teeth one vertex wide above and below a strip: ear clipping stays quadratic on
  // it (3,000 tests a vertex at 100,000 vertices). Over the work budget the polygon is filled
  // from its outline with vertices at least 1/65536 of its length apart: fewer triangles
  // than the exact n - 2, each corner one of the ring's own vertices (the indices still
  // address the feature's geometry), and the area within 1 %.
  const int half = 150'000;
  Rings rings(1);
  for (int i = 0; i < half; ++i) rings[0].push_back({double(i), (i % 2) ? 1.0 : 0.0});
  for (int i = 0; i < half; ++i) rings[0].push_back({double(half - 1 - i), (i % 2) ? 3.0 : 4.0});
  const auto tris = triangulate(rings, 7);
  expectIndicesInRange(tris, rings[0].size(), 7);
  EXPECT_LT(tris.size() / 3, static_cast<size_t>(2 * half - 2));
  EXPECT_GT(tris.size() / 3, 1000u);
  std::vector<uint32_t> local(tris);
  for (uint32_t& i : local) i -= 7;
  EXPECT_LE(deviation(polygonArea(rings), trianglesArea(flatten(rings), local)), 0.01);
}

TEST(Triangulate, HolesOutsideTheirShellAreLeftOut) {
  // A hole beside the shell (its leftward ray meets the shell's right side) used to be
  // bridged to it, filling the gap between them; a hole inside another hole lies outside the
  // polygon too. Neither may add to the fill: the area is the shell's less its real hole.
  const Rings beside{{{0, 0}, {1, 0}, {1, 1}, {0, 1}},
                     {{2, 0.2}, {3, 0.2}, {3, 0.8}, {2, 0.8}}};
  EXPECT_NEAR(trianglesArea(flatten(beside), triangulate(beside)), 1.0, 1e-12);
  const Rings nested{{{0, 0}, {10, 0}, {10, 10}, {0, 10}},
                     {{2, 2}, {8, 2}, {8, 8}, {2, 8}},
                     {{4, 4}, {6, 4}, {6, 6}, {4, 6}}};
  EXPECT_NEAR(trianglesArea(flatten(nested), triangulate(nested)), 100.0 - 36.0, 1e-9);
  // A hole touching the shell from inside at a vertex and along an edge is still a hole.
  const Rings touching{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{0, 1}, {2, 1}, {2, 3}, {0, 3}}};
  EXPECT_NEAR(trianglesArea(flatten(touching), triangulate(touching)), 16.0 - 4.0, 1e-9);
}

TEST(Triangulate, ColumnFillsFeatureOffsets) {
  GeometryColumn geom;
  geom.kind = GeometryKind::Polygon;
  auto addRing = [&](std::initializer_list<Vec2> pts) {
    geom.xy.insert(geom.xy.end(), pts);
    geom.ringVertices.push_back(static_cast<uint32_t>(geom.xy.size()));
  };
  // Feature 0: a square with a hole. Feature 1: two parts (squares). Feature 2: empty.
  addRing({{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}});
  addRing({{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}});
  geom.partRings.push_back(2);
  geom.featureParts.push_back(1);
  addRing({{10, 0}, {11, 0}, {11, 1}, {10, 1}});
  geom.partRings.push_back(3);
  addRing({{20, 0}, {22, 0}, {22, 2}, {20, 2}});
  geom.partRings.push_back(4);
  geom.featureParts.push_back(3);
  geom.featureParts.push_back(3);

  std::vector<uint32_t> triangles;
  std::vector<uint32_t> featureTriangles{42};
  triangulateColumn(geom, triangles, featureTriangles);
  ASSERT_EQ(featureTriangles.size(), 4u);
  EXPECT_EQ(featureTriangles[0], 0u);
  EXPECT_EQ(featureTriangles[2], triangles.size());
  EXPECT_EQ(featureTriangles[3], featureTriangles[2]);
  auto areaOf = [&](size_t f) {
    const std::vector<uint32_t> own(triangles.begin() + featureTriangles[f],
                                    triangles.begin() + featureTriangles[f + 1]);
    return trianglesArea(geom.xy, own);
  };
  EXPECT_DOUBLE_EQ(areaOf(0), 12.0);
  EXPECT_DOUBLE_EQ(areaOf(1), 5.0);
  expectIndicesInRange(triangles, geom.xy.size());

  geom.kind = GeometryKind::Line;
  triangulateColumn(geom, triangles, featureTriangles);
  EXPECT_TRUE(triangles.empty());
  EXPECT_EQ(featureTriangles, (std::vector<uint32_t>{0, 0, 0, 0}));
}

// ---------------------------------------------------------------------------------------
// 4. The earcut corpus

const std::filesystem::path kEarcutDir = std::filesystem::path(BCMAP_CORPORA) / "earcut";

std::vector<std::string> fixtureNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kEarcutDir / "fixtures", ec)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Expected {
  std::map<std::string, double> triangles;
  std::map<std::string, double> errors;
};

const Expected& expected() {
  static const Expected table = [] {
    Expected e;
    const auto doc = readJsonFile(kEarcutDir / "expected.json");
    if (!doc) return e;
    for (const auto& [key, target] : {std::pair{"triangles", &e.triangles},
                                      std::pair{"errors", &e.errors}}) {
      if (const Json* section = doc->find(key)) {
        for (const auto& [name, value] : section->members) (*target)[name] = value.number;
      }
    }
    return e;
  }();
  return table;
}

TEST(TriangulateCorpus, CorpusIsPresent) {
  EXPECT_FALSE(fixtureNames().empty()) << "no fixtures under " << kEarcutDir;
  EXPECT_FALSE(expected().triangles.empty()) << "cannot read " << kEarcutDir / "expected.json";
}

class TriangulateFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TriangulateFixture, AreaMatchesPolygon) {
  const std::string& name = GetParam();
  const auto doc = readJsonFile(kEarcutDir / "fixtures" / (name + ".json"));
  ASSERT_TRUE(doc) << "cannot parse fixture " << name;
  const auto rings = ringsFromJson(*doc);
  ASSERT_TRUE(rings) << "fixture " << name << " is not an array of rings";

  const bool timed = name.rfind("water-huge", 0) == 0;
  std::vector<Vec2> xy = flatten(*rings);
  const std::vector<std::span<const Vec2>> spans(rings->begin(), rings->end());
  std::vector<uint32_t> tris;
  std::vector<Vec2> added;
  const AddedVertices room{&added, static_cast<uint32_t>(xy.size())};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(triangulatePolygon(spans, 0, tris, room));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  xy.insert(xy.end(), added.begin(), added.end());
  expectIndicesInRange(tris, xy.size());

  const double dev = deviation(polygonArea(*rings), trianglesArea(xy, tris));
  const auto& errors = expected().errors;
  const auto published = errors.find(name);
  // Exact fixtures: earcut reaches 0; 1e-9 leaves room only for rounding in the area sums.
  // Others: earcut's own figure, but never asked tighter than 1 % (the brief's floor); so
  // are the fixtures filled by the even-odd rule, whose reference here is not the rule's
  // area (simplified-us-border: a loop of 0.0084 winding twice, 6e-8 of the area). Those
  // are checked against the rule point by point instead (rule mismatches below).
  const double limit = published == errors.end() && added.empty()
                           ? 1e-9
                           : std::max(published == errors.end() ? 0.0 : published->second, 0.01);
  const double earcutError = published == errors.end() ? 0.0 : published->second;
  const auto count = expected().triangles.find(name);
  // Differences within rounding of the area sums (1e-14) count as equal.
  const char* verdict = dev > earcutError + 1e-14   ? "  MISSES earcut"
                        : dev < earcutError - 1e-14 ? "  BEATS earcut"
                                                    : "";
  std::printf("[fixture] %-22s triangles %6zu (earcut %6.0f)  deviation %.3g (earcut %.3g)%s%s",
              name.c_str(), tris.size() / 3,
              count == expected().triangles.end() ? -1.0 : count->second, dev, earcutError,
              verdict, added.empty() ? "" : "  even-odd");
  if (timed) {
    // A second, warm run gives a steadier figure than the first one.
    const auto again = std::chrono::steady_clock::now();
    std::vector<uint32_t> warm;
    added.clear();
    (void)triangulatePolygon(spans, 0, warm, room);
    const double warmMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - again)
            .count();
    std::printf("  time %.2f ms (warm %.2f ms)", ms, warmMs);
  }
  std::printf("\n");
  EXPECT_LE(dev, limit) << "fixture " << name;
  if (!added.empty()) {
    EXPECT_EQ(ruleMismatches(*rings, xy, tris), 0u) << "fixture " << name;
  }
}

std::string paramName(const ::testing::TestParamInfo<std::string>& info) {
  std::string id = info.param;
  for (char& c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return id;
}

INSTANTIATE_TEST_SUITE_P(Earcut, TriangulateFixture, ::testing::ValuesIn(fixtureNames()),
                         paramName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TriangulateFixture);

}  // namespace
}  // namespace bcmap
