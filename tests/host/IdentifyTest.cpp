// LayerStore::identify on layers made in the test (no plugin): the order of hits (topmost
// layer first, then nearest, then feature index), IdentifyOptions::maxHits, the radius edge
// against the geodesic at radii from 10 m to 100 km, and the time filter. And its spatial
// index against a brute-force search.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>

#include "host/LayerStore.h"
#include "io/Projection.h"

namespace bcmap {
namespace {

// In Baicheng (Taobei district).
constexpr Vec2 kQ{122.84, 45.62};

Layer& addLayer(LayerStore& store, const std::string& id, GeometryKind kind) {
  auto l = std::make_unique<Layer>();
  l->id = id;
  l->kind = kind;
  l->sourceCrs = kLonLatCrs;
  l->status = LayerStatus::Loaded;
  l->table.geometry.kind = kind;
  store.layers().push_back(std::move(l));
  return *store.layers().back();
}

// One feature of one part of one ring.
void addRing(FeatureTable& t, const std::vector<Vec2>& ring) {
  GeometryColumn& g = t.geometry;
  g.xy.insert(g.xy.end(), ring.begin(), ring.end());
  g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
  g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
}

void addIntColumn(FeatureTable& t, const std::string& name, const std::vector<int64_t>& values) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::Integer;
  c.ints = values;
  c.isNull.assign(values.size(), 0);
  t.columns.push_back(std::move(c));
}

// The place at geodesic distance `m` from `from` along the direction (dx, dy) in degrees,
// by bisection on geodesicDistanceM (monotonic along a short straight line in lon/lat).
Vec2 atDistance(Vec2 from, double dx, double dy, double m) {
  double lo = 0, hi = 1;
  while (geodesicDistanceM(from, {from.x + hi * dx, from.y + hi * dy}) < m) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (geodesicDistanceM(from, {from.x + mid * dx, from.y + mid * dy}) < m ? lo : hi) = mid;
  }
  return {from.x + lo * dx, from.y + lo * dy};
}

class IdentifyTest : public ::testing::Test {
 protected:
  LayerStore store{"."};
};

TEST_F(IdentifyTest, OrdersByLayerThenDistanceThenFeature) {
  // Bottom: a polygon around the place. Top: points 300 m, 100 m, 100 m (twice, the same
  // place) and 700 m east.
  Layer& poly = addLayer(store, "poly", GeometryKind::Polygon);
  addRing(poly.table, {{122.8, 45.6}, {122.9, 45.6}, {122.9, 45.65}, {122.8, 45.65}, {122.8, 45.6}});
  addIntColumn(poly.table, "code", {42});
  Layer& pts = addLayer(store, "pts", GeometryKind::Point);
  const Vec2 m100 = atDistance(kQ, 1e-3, 0, 100), m300 = atDistance(kQ, 1e-3, 0, 300);
  const Vec2 m700 = atDistance(kQ, 1e-3, 0, 700);
  for (Vec2 p : {m300, m100, m700, m100}) addRing(pts.table, {p});
  addIntColumn(pts.table, "n", {10, 11, 12, 13});

  const auto hits = store.identify(kQ, 500, {});
  ASSERT_EQ(hits.size(), 4u);
  // pts is last in the list, so drawn on top: its hits come first, nearest first, the two at
  // the same place by feature index; then the polygon.
  EXPECT_EQ(hits[0].layerId, "pts");
  EXPECT_EQ(hits[0].feature, 1u);
  EXPECT_EQ(hits[1].feature, 3u);
  EXPECT_EQ(hits[2].feature, 0u);
  EXPECT_EQ(hits[3].layerId, "poly");
  EXPECT_EQ(hits[3].distanceM, 0);
  EXPECT_NEAR(hits[0].distanceM, 100, 1e-6);
  EXPECT_NEAR(hits[2].distanceM, 300, 1e-6);
  // Every hit carries its attributes and id.
  EXPECT_EQ(hits[1].featureId, "3");
  ASSERT_EQ(hits[1].attributes.size(), 1u);
  EXPECT_EQ(hits[1].attributes[0], (std::pair<std::string, std::string>{"n", "13"}));
  ASSERT_EQ(hits[3].attributes.size(), 1u);
  EXPECT_EQ(hits[3].attributes[0].second, "42");

  // The hover's question: the same first hit, alone.
  const auto top = store.identify(kQ, 500, {}, kNoDay, IdentifyOptions{1});
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].layerId, "pts");
  EXPECT_EQ(top[0].feature, 1u);
  EXPECT_EQ(top[0].distanceM, hits[0].distanceM);
  EXPECT_EQ(top[0].attributes, hits[0].attributes);
  EXPECT_EQ(store.identify(kQ, 500, {}, kNoDay, IdentifyOptions{3}).size(), 3u);

  // Reordered: the polygon on top.
  store.move(0, 1);
  const auto swapped = store.identify(kQ, 500, {});
  ASSERT_EQ(swapped.size(), 4u);
  EXPECT_EQ(swapped[0].layerId, "poly");
  EXPECT_EQ(swapped[1].feature, 1u);

  // Only the layers asked about.
  const auto onlyPoly = store.identify(kQ, 500, {"poly"});
  ASSERT_EQ(onlyPoly.size(), 1u);
  EXPECT_EQ(onlyPoly[0].layerId, "poly");
}

TEST_F(IdentifyTest, RadiusEdgeFollowsTheGeodesic) {
  // A point a millionth of the radius inside is found, one a millionth outside is not, in
  // eight directions, from 10 m to 100 km: the local frame's error stays inside its band.
  Layer& pts = addLayer(store, "pts", GeometryKind::Point);
  const double radii[] = {10, 300, 2000, 20000, 100000};
  struct Case {
    double radius;
    bool inside;
  };
  std::vector<Case> cases;
  for (double r : radii)
    for (int k = 0; k < 8; ++k) {
      const double a = k * M_PI / 4 + 0.1;
      for (bool inside : {true, false}) {
        addRing(pts.table, {atDistance(kQ, 1e-3 * std::cos(a), 1e-3 * std::sin(a), r * (inside ? 1 - 1e-6 : 1 + 1e-6))});
        cases.push_back({r, inside});
      }
    }
  for (double r : radii) {
    const auto hits = store.identify(kQ, r, {});
    std::vector<size_t> found;
    for (const IdentifyHit& h : hits) found.push_back(h.feature);
    for (size_t f = 0; f < cases.size(); ++f) {
      const bool expected = cases[f].radius < r || (cases[f].radius == r && cases[f].inside);
      EXPECT_EQ(std::count(found.begin(), found.end(), f), expected ? 1 : 0) << "radius " << r << " feature " << f;
    }
    // Nearest first, and the distance reported is the geodesic.
    for (size_t i = 0; i < hits.size(); ++i) {
      EXPECT_DOUBLE_EQ(hits[i].distanceM, geodesicDistanceM(kQ, pts.table.geometry.xy[hits[i].feature]));
      if (i) {
        EXPECT_LE(hits[i - 1].distanceM, hits[i].distanceM * (1 + 1e-6));
      }
    }
  }
}

TEST_F(IdentifyTest, LinesByTheirNearestSegment) {
  // A line passing 200 m north of the place, from 1 km west to 1 km east of it.
  Layer& line = addLayer(store, "line", GeometryKind::Line);
  const Vec2 north = atDistance(kQ, 0, 1e-3, 200);
  const double dLon = atDistance(north, 1e-3, 0, 1000).x - north.x;
  addRing(line.table, {{north.x - dLon, north.y}, {north.x + dLon, north.y}});
  EXPECT_TRUE(store.identify(kQ, 190, {}).empty());
  const auto hits = store.identify(kQ, 210, {});
  ASSERT_EQ(hits.size(), 1u);
  // The local frame is within 1e-6 of the geodesic at this range.
  EXPECT_NEAR(hits[0].distanceM, 200, 0.01);
}

TEST_F(IdentifyTest, HidesWhatTheTimeFilterHides) {
  Layer& pts = addLayer(store, "pts", GeometryKind::Point);
  addRing(pts.table, {kQ});
  addRing(pts.table, {kQ});
  pts.table.startDay = {100, kNoDay};
  pts.table.endDay = {200, 150};
  auto features = [&](const TimeFilter& day) {
    std::vector<size_t> out;
    for (const IdentifyHit& h : store.identify(kQ, 10, {}, day)) out.push_back(h.feature);
    return out;
  };
  EXPECT_EQ(features(kNoDay), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(features(99), (std::vector<size_t>{1}));
  EXPECT_EQ(features(175), (std::vector<size_t>{0}));
  EXPECT_EQ(features(TimeFilter{175, TimeMode::Cumulative, 0}), (std::vector<size_t>{0, 1}));
}

TEST(SpatialIndexTest, FindsWhatBruteForceFindsOnce) {
  // Boxes of every size, from points to a third of the extent, so many span several cells.
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> at(0, 100), size(0, 30);
  std::vector<Bounds> boxes(2000);
  for (size_t i = 0; i < boxes.size(); ++i) {
    const double x = at(rng), y = at(rng), w = i % 4 ? 0.0 : size(rng), h = i % 4 ? 0.0 : size(rng);
    boxes[i] = Bounds{x, y, x + w, y + h};
  }
  SpatialIndex index;
  index.build(boxes);
  std::vector<SpatialIndex::Candidate> candidates;
  for (int k = 0; k < 200; ++k) {
    const double x = at(rng), y = at(rng), w = size(rng) * 0.3, h = size(rng) * 0.3;
    const Bounds q{x, y, x + w, y + h};
    index.query(q, candidates);
    std::vector<uint32_t> got;
    for (const SpatialIndex::Candidate& c : candidates) {
      got.push_back(c.feature);
      EXPECT_EQ(c.box.minX, boxes[c.feature].minX);
      EXPECT_EQ(c.box.maxY, boxes[c.feature].maxY);
    }
    std::sort(got.begin(), got.end());
    std::vector<uint32_t> want;
    for (uint32_t f = 0; f < boxes.size(); ++f) {
      const Bounds& b = boxes[f];
      if (!(b.maxX < q.minX || b.minX > q.maxX || b.maxY < q.minY || b.minY > q.maxY)) want.push_back(f);
    }
    EXPECT_EQ(got, want) << "query " << k;  // sorted: equal also means each once
  }
}

}  // namespace
}  // namespace bcmap
