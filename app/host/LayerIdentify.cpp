// Sections: 1. the local frame (metres around the query)  2. identify  3. tooltips
#include "host/LayerIdentify.h"

#include <algorithm>
#include <cmath>

#include "geometry/HitTest.h"
#include "geometry/SpatialIndex.h"
#include "host/LayerPrepare.h"
#include "host/PluginServices.h"
#include "io/Projection.h"
#include "model/Log.h"

namespace bcmap {

// ---- 1. the local frame ------------------------------------------------------------------
namespace {

// Metres per degree at `lat` (WGS 84 radii of curvature).
void metresPerDegree(double latDeg, double& mx, double& my) {
  constexpr double a = 6378137.0, e2 = 0.00669437999014;
  const double phi = latDeg * M_PI / 180.0, s = std::sin(phi);
  const double w = std::sqrt(1 - e2 * s * s);
  my = (M_PI / 180.0) * a * (1 - e2) / (w * w * w);
  mx = (M_PI / 180.0) * a * std::cos(phi) / w;
}

// Where the local frame's distances may differ from the geodesic, relative to the radius:
// inside (1 - band) a point is a hit, beyond (1 + band) it is not, and in between the
// geodesic decides. The frame is within 1e-6 of the geodesic at a few km and within 1e-4 at
// 100 km (tests/host/IdentifyTest.cpp checks hits at 1e-6 either side of radii up to 100 km).
constexpr double kLocalBand = 1e-3;

// Metres from the query point q in a local equirectangular frame: a degree of longitude
// counts mx, of latitude my, taken at the mid-latitude of q and the other point (taking q's
// latitude alone is off by ~tan(lat) * dlat: 3e-4 at 2 km here). mx and my are linear in
// latitude over the few km identify looks at: their value and slope at q, once a query, so a
// candidate costs no trigonometry (the geodesic, Karney's, costs ~1 µs a point: most of a
// pick over 1M points before).
class LocalFrame {
 public:
  explicit LocalFrame(Vec2 q) : q_(q) {
    constexpr double kStepDeg = 0.01;
    double mx1 = 0, my1 = 0;
    metresPerDegree(q.y, mx_, my_);
    metresPerDegree(q.y + kStepDeg, mx1, my1);
    dmx_ = (mx1 - mx_) / kStepDeg;
    dmy_ = (my1 - my_) / kStepDeg;
  }
  double mx() const { return mx_; }
  double my() const { return my_; }
  Vec2 local(Vec2 v) const {
    const double dLat = v.y - q_.y, half = 0.5 * dLat;
    return {(v.x - q_.x) * (mx_ + dmx_ * half), dLat * (my_ + dmy_ * half)};
  }
  double distanceM(Vec2 v) const {
    const Vec2 p = local(v);
    return std::sqrt(p.x * p.x + p.y * p.y);
  }
  // The nearest vertex of feature f (points: a multipoint's nearest member).
  double nearestVertexM(const GeometryColumn& g, size_t f) const {
    double best = INFINITY;
    const uint32_t v0 = g.ringVertices[g.partRings[g.featureParts[f]]];
    const uint32_t v1 = g.ringVertices[g.partRings[g.featureParts[f + 1]]];
    for (uint32_t v = v0; v < v1; ++v) best = std::min(best, distanceM(g.xy[v]));
    return best;
  }
  // The nearest place on the lines of feature f (a one-vertex line: that vertex).
  double nearestOnLinesM(const GeometryColumn& g, size_t f) const {
    double best = INFINITY;
    for (uint32_t r = g.partRings[g.featureParts[f]]; r < g.partRings[g.featureParts[f + 1]]; ++r) {
      const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
      if (v1 - v0 == 1) best = std::min(best, distanceM(g.xy[v0]));
      for (uint32_t v = v0; v + 1 < v1; ++v) best = std::min(best, segmentDistance({0, 0}, local(g.xy[v]), local(g.xy[v + 1])));
    }
    return best;
  }

 private:
  Vec2 q_;
  double mx_ = 0, my_ = 0, dmx_ = 0, dmy_ = 0;
};

// The geodesic distance from q to the nearest vertex of feature f.
double nearestVertexGeodesicM(const GeometryColumn& g, size_t f, Vec2 q) {
  double best = INFINITY;
  const uint32_t v0 = g.ringVertices[g.partRings[g.featureParts[f]]];
  const uint32_t v1 = g.ringVertices[g.partRings[g.featureParts[f + 1]]];
  for (uint32_t v = v0; v < v1; ++v) best = std::min(best, geodesicDistanceM(q, g.xy[v]));
  return best;
}

// A hit before its text is made. rank: the layer's place among the layers with hits,
// 0 the topmost.
struct RawHit {
  size_t rank = 0;
  double distanceM = 0;
  uint32_t feature = 0;
};

// The layer's index of feature boxes in lon/lat (`g`: its lon/lat geometry), built once
// for identify and the nearest-feature hint alike. A load on a loader thread brings it
// built (installPreparedGeometry); this builds it for the rest (the CLI, hexagons).
void buildLonLatIndex(Layer& l, const GeometryColumn& g) {
  if (!l.lonLatIndex) l.lonLatIndex = buildFeatureIndex(g);
}

}  // namespace

// ---- 2. identify ----------------------------------------------------------------------------
std::vector<IdentifyHit> identifyLayers(std::vector<std::unique_ptr<Layer>>& layers, Vec2 q, double radiusM,
                                        const std::vector<std::string>& layerIds, const TimeFilter& day,
                                        const IdentifyOptions& options) {
  const LocalFrame frame(q);
  // The box the circle fits in, grown by the band so that the geodesic has the last word at
  // its edge.
  const double halfX = radiusM * (1 + kLocalBand) / frame.mx(), halfY = radiusM * (1 + kLocalBand) / frame.my();
  const Bounds box{q.x - halfX, q.y - halfY, q.x + halfX, q.y + halfY};
  std::vector<SpatialIndex::Candidate> candidates;
  std::vector<RawHit> raw;
  // The layers with hits, by rank, with their lon/lat copies.
  std::vector<std::pair<const Layer*, std::shared_ptr<const PreparedLayer>>> order;
  // Topmost first: the last layer in the list draws on top.
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    Layer& l = **it;
    // A table layer has nothing at any place (Layer::tableOnly).
    if (l.status != LayerStatus::Loaded || l.tableOnly()) continue;
    if (!layerIds.empty() && std::find(layerIds.begin(), layerIds.end(), l.id) == layerIds.end()) continue;
    std::string e;
    auto p = prepareLayer(l, kLonLatCrs, &e);
    if (!p) {
      logWarning(e);
      continue;
    }
    const GeometryColumn& g = p->geometry;
    buildLonLatIndex(l, g);
    // What the layer shows: its features, or the hexagons a point layer is aggregated into.
    const FeatureTable& shown = l.shownTable();
    const GeometryKind kind = l.shownKind();
    const Bounds query = kind == GeometryKind::Polygon ? Bounds{q.x, q.y, q.x, q.y} : box;
    l.lonLatIndex->query(query, candidates);
    const size_t before = raw.size();
    for (const SpatialIndex::Candidate& cand : candidates) {
      const uint32_t f = cand.feature;
      if (!shown.shownOn(f, day)) continue;  // hidden by the time filter
      double dist = -1;
      if (kind == GeometryKind::Polygon) {
        if (featureContains(g, f, q)) dist = 0;
      } else if (kind == GeometryKind::Point) {
        // A point's box is the point (or all of a multipoint's points, when they coincide):
        // no need to look the geometry up.
        const Bounds& b = cand.box;
        const double local = b.minX == b.maxX && b.minY == b.maxY ? frame.distanceM({b.minX, b.minY})
                                                                  : frame.nearestVertexM(g, f);
        if (local <= radiusM * (1 - kLocalBand) ||
            (local <= radiusM * (1 + kLocalBand) && nearestVertexGeodesicM(g, f, q) <= radiusM))
          dist = local;
      } else {
        const double local = frame.nearestOnLinesM(g, f);
        if (local <= radiusM) dist = local;
      }
      if (dist >= 0) raw.push_back({order.size(), dist, f});
    }
    if (raw.size() > before) order.emplace_back(&l, p);
  }
  // A total order (rank, distance, feature), so equal distances come out the same every time.
  auto byOrder = [](const RawHit& a, const RawHit& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.distanceM != b.distanceM) return a.distanceM < b.distanceM;
    return a.feature < b.feature;
  };
  const size_t n = std::min(options.maxHits, raw.size());
  if (n < raw.size()) std::partial_sort(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(n), raw.end(), byOrder);
  else std::sort(raw.begin(), raw.end(), byOrder);

  // Text only for the hits returned.
  std::vector<IdentifyHit> hits(n);
  for (size_t i = 0; i < n; ++i) {
    const Layer& l = *order[raw[i].rank].first;
    IdentifyHit& h = hits[i];
    h.layerId = l.id;
    h.feature = raw[i].feature;
    const FeatureTable& shown = l.shownTable();
    h.featureId = shown.featureId(h.feature);
    // A point's distance as the geodesic says (what `bcmap identify` prints).
    h.distanceM = raw[i].distanceM;
    if (l.shownKind() == GeometryKind::Point)
      h.distanceM = nearestVertexGeodesicM(order[raw[i].rank].second->geometry, h.feature, q);
    h.attributes.reserve(shown.columns.size());
    for (const AttributeColumn& c : shown.columns) h.attributes.emplace_back(c.name, c.text(h.feature));
  }
  return hits;
}

// ---- 2b. the nearest feature -------------------------------------------------------------------
namespace {

// The nearest place to the origin on segment a-b (local metres).
Vec2 nearestOnSegment(Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  const double t = len2 > 0 ? std::clamp(-(a.x * dx + a.y * dy) / len2, 0.0, 1.0) : 0.0;
  return {a.x + t * dx, a.y + t * dy};
}

}  // namespace

const char* compassPoint(double bearingDeg) {
  static const char* const kPoints[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};
  const double b = std::fmod(std::fmod(bearingDeg, 360.0) + 360.0, 360.0);
  return kPoints[static_cast<int>(std::floor((b + 22.5) / 45.0)) % 8];
}

std::optional<NearestFeature> nearestLayerFeature(std::vector<std::unique_ptr<Layer>>& layers, Vec2 q, double maxM,
                                                  const std::vector<std::string>& layerIds, const TimeFilter& day) {
  const LocalFrame frame(q);
  const double halfX = maxM / frame.mx(), halfY = maxM / frame.my();
  const Bounds box{q.x - halfX, q.y - halfY, q.x + halfX, q.y + halfY};
  std::optional<NearestFeature> best;
  Vec2 bestAt{0, 0};
  std::vector<SpatialIndex::Candidate> candidates;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {  // topmost first: it wins a tie
    Layer& l = **it;
    if (l.status != LayerStatus::Loaded || l.tableOnly()) continue;
    if (!layerIds.empty() && std::find(layerIds.begin(), layerIds.end(), l.id) == layerIds.end()) continue;
    std::string e;
    auto p = prepareLayer(l, kLonLatCrs, &e);
    if (!p) continue;
    const GeometryColumn& g = p->geometry;
    buildLonLatIndex(l, g);
    const FeatureTable& shown = l.shownTable();
    l.lonLatIndex->query(box, candidates);
    for (const SpatialIndex::Candidate& cand : candidates) {
      const uint32_t f = cand.feature;
      if (!shown.shownOn(f, day)) continue;
      // The nearest vertex, or place on a line or outline (a one-vertex ring: that vertex).
      double dist = INFINITY;
      Vec2 at{0, 0};
      for (uint32_t r = g.partRings[g.featureParts[f]]; r < g.partRings[g.featureParts[f + 1]]; ++r) {
        const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
        for (uint32_t v = v0; v < v1; ++v) {
          const Vec2 c = v + 1 < v1 && l.shownKind() != GeometryKind::Point
                             ? nearestOnSegment(frame.local(g.xy[v]), frame.local(g.xy[v + 1]))
                             : frame.local(g.xy[v]);
          const double d = std::hypot(c.x, c.y);
          if (d < dist) dist = d, at = c;
        }
      }
      if (!(dist <= maxM) || (best && dist >= best->distanceM)) continue;
      best = NearestFeature{l.id, l.displayName(), f, shown.featureId(f), {}, dist, 0};
      bestAt = at;
    }
  }
  if (!best) return best;
  best->bearingDeg = std::fmod(std::atan2(bestAt.x, bestAt.y) * 180.0 / M_PI + 360.0, 360.0);
  for (const auto& lp : layers) {
    if (lp->id != best->layerId) continue;
    const FeatureTable& shown = lp->shownTable();
    const AttributeColumn* name = shown.column(lp->style.labelField);
    if (!name) name = shown.column("name_zh");
    if (!name) name = shown.column("name");
    if (name) best->name = name->text(best->feature);
  }
  return best;
}

// ---- 3. tooltips -----------------------------------------------------------------------------
std::string describeLayerFeature(Layer& l, size_t feature, std::set<uint64_t>& warned) {
  if (l.hexes) {
    // A hexagon of an aggregated point layer: the plugin knows only its points.
    const FeatureTable& hex = l.shownTable();
    if (feature >= hex.featureCount()) return {};
    const AttributeColumn* count = hex.column("count");
    return l.displayName() + "\n六边形内的点 points in this hexagon: " + (count ? count->text(feature) : "?");
  }
  if (feature >= l.table.featureCount()) return {};
  ValueRow row;
  row.fill(l.table, feature);
  // While a loader thread has the instance, the tooltip makes do without the plugin.
  if (l.vtable && l.vtable->describe_feature && l.work != LayerWork::Loading) {
    char text[4096] = {0};
    char err[kPluginErrSize] = {0};
    if (l.vtable->describe_feature(l.instance, feature, row.fields.data(), row.values.data(),
                                   static_cast<uint32_t>(row.values.size()), text, sizeof text, err,
                                   sizeof err) == BCMAP_OK) {
      if (*text) return text;
    } else if (warned.insert(l.key).second) {
      // Once per layer: a tooltip is asked for on every hover.
      logWarning(callbackFailed(l.id, "describe_feature", err, "feature " + std::to_string(feature)) +
                 "; tooltips show the attributes instead");
    }
  }
  std::string out;
  for (size_t k = 0; k < row.fields.size(); ++k) {
    if (!out.empty()) out += '\n';
    out += std::string(row.fields[k].name) + ": " + row.text[k];
  }
  return out;
}

}  // namespace bcmap
