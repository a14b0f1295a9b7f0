// Sections: 1. generations and restyling  2. preparing for a display CRS  3. the extent
#include "host/LayerPrepare.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>

#include "geometry/PoleOfInaccessibility.h"
#include "geometry/Triangulate.h"
#include "io/Projection.h"

namespace bcmap {

// ---- 1. generations and restyling --------------------------------------------------------
namespace {
// One entry for all when every feature has the same (PreparedLayer::fillAt, pointSizeAt).
template <class T, class Same>
std::vector<T> compacted(const std::vector<T>& perFeature, Same same) {
  if (perFeature.size() > 1 &&
      std::all_of(perFeature.begin(), perFeature.end(), [&](const T& v) { return same(v, perFeature[0]); }))
    return {perFeature[0]};
  return perFeature;
}
}  // namespace

void setPreparedStyle(PreparedLayer& p, const std::vector<Rgba>& fill, const std::vector<float>& pointSizePx) {
  p.fill = compacted(fill, [](Rgba a, Rgba b) { return a == b; });
  // Bitwise, so NaN (the default size) matches NaN.
  p.pointSizePx = compacted(pointSizePx, [](float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; });
}

uint64_t nextPreparedGeneration() {
  static std::atomic<uint64_t> count{0};
  return ++count;
}

void restylePrepared(Layer& l) {
  for (auto& [crs, old] : l.prepared) {
    auto p = std::make_shared<PreparedLayer>(*old);
    setPreparedStyle(*p, l.hexes ? l.hexes->fill : l.fill, l.hexes ? std::vector<float>{} : l.pointSizePx);
    p->stroke = l.style.stroke;
    p->strokeWidthPx = l.style.strokeWidthPx;
    p->generation = nextPreparedGeneration();
    old = std::move(p);
  }
}

// ---- 2. preparing for a display CRS --------------------------------------------------------
namespace {

// The geometric half of a prepared form: projected, bounded, triangulated. Any thread.
std::shared_ptr<PreparedLayer> projectGeometry(const GeometryColumn& geometry, GeometryKind kind,
                                               const std::string& fromCrs, const std::string& displayCrs,
                                               std::string* err) {
  std::optional<Transformer> tr = Transformer::create(fromCrs, displayCrs, err);
  if (!tr) return nullptr;
  auto p = std::make_shared<PreparedLayer>();
  p->displayCrs = displayCrs;
  p->kind = kind;
  p->geometry = geometry;
  tr->transform(p->geometry.xy);
  p->bounds = p->geometry.bounds();
  if (p->kind == GeometryKind::Polygon) {
    triangulateColumn(p->geometry, p->triangles, p->featureTriangles, &p->fillXy);
  }
  return p;
}

// The style's half: colours, sizes, markers, time spans, labels, a new generation. UI thread.
void finishPrepared(Layer& l, PreparedLayer* p);

}  // namespace

std::unique_ptr<SpatialIndex> buildFeatureIndex(const GeometryColumn& g) {
  std::vector<Bounds> boxes(g.featureCount());
  for (size_t f = 0; f < boxes.size(); ++f) boxes[f] = g.featureBounds(f);
  auto index = std::make_unique<SpatialIndex>();
  index->build(boxes);
  return index;
}

PreparedGeometry prepareGeometry(const FeatureTable& table, GeometryKind kind, const std::string& sourceCrs,
                                 const std::string& displayCrs) {
  PreparedGeometry g;
  g.displayCrs = displayCrs;
  std::string e;
  g.display = projectGeometry(table.geometry, kind, sourceCrs, displayCrs, &e);
  g.lonLat = displayCrs == kLonLatCrs ? g.display : projectGeometry(table.geometry, kind, sourceCrs, kLonLatCrs, &e);
  if (g.lonLat) g.lonLatIndex = buildFeatureIndex(g.lonLat->geometry);
  return g;
}

void installPreparedGeometry(Layer& l, PreparedGeometry&& g) {
  if (l.status != LayerStatus::Loaded || l.hexes) return;
  if (g.display && g.display->geometry.featureCount() == l.table.featureCount()) {
    finishPrepared(l, g.display.get());
    l.prepared[g.displayCrs] = std::move(g.display);
  }
  if (g.lonLat && g.lonLat->geometry.featureCount() == l.table.featureCount()) {
    if (!l.prepared.count(kLonLatCrs)) {
      finishPrepared(l, g.lonLat.get());
      l.prepared[kLonLatCrs] = g.lonLat;
    }
    l.lonLatIndex = std::move(g.lonLatIndex);
  }
}

std::shared_ptr<const PreparedLayer> prepareLayer(Layer& l, const std::string& displayCrs, std::string* err) {
  if (l.status != LayerStatus::Loaded) {
    if (err) *err = "layer " + l.id + " is not loaded";
    return nullptr;
  }
  if (auto it = l.prepared.find(displayCrs); it != l.prepared.end()) return it->second;
  // An aggregated layer draws its hexagons (in their equal-area frame) instead of its points.
  const std::string& fromCrs = l.hexes ? l.hexes->bins.crs : l.sourceCrs;
  std::string e;
  std::shared_ptr<PreparedLayer> p = projectGeometry(l.shownTable().geometry, l.shownKind(), fromCrs, displayCrs, &e);
  if (!p) {
    if (err) *err = "layer " + l.id + ": cannot project " + fromCrs + " to " + displayCrs + ": " + e;
    return nullptr;
  }
  finishPrepared(l, p.get());
  l.prepared[displayCrs] = p;
  return p;
}

namespace {

void finishPrepared(Layer& l, PreparedLayer* p) {
  const std::string& displayCrs = p->displayCrs;
  std::string e;
  p->layerId = l.id;
  setPreparedStyle(*p, l.hexes ? l.hexes->fill : l.fill, l.hexes ? std::vector<float>{} : l.pointSizePx);
  p->stroke = l.style.stroke;
  p->strokeWidthPx = l.style.strokeWidthPx;
  p->pointSymbol = l.style.pointSymbol;
  p->lineMarkers = l.style.lineMarkers;
  p->lineEndMarkerPx = l.style.lineEndMarkerPx;
  if (!l.hexes) {  // hexagons count every point, whatever the day (HexBin.h)
    p->startDay = l.table.startDay;
    p->endDay = l.table.endDay;
  }
  // Unique per prepared form, so the renderer re-uploads after a reload or a CRS change.
  p->generation = nextPreparedGeneration();

  // Labels: the layer's label field; anchors from label_lon/label_lat when the data has
  // them (the counties do: a pole of inaccessibility computed at set-up), else a polygon's
  // pole of inaccessibility, a point's own position or the centre of a line's box.
  // A table layer (Layer::tableOnly) has no place to label.
  const AttributeColumn* primary =
      l.style.labelField.empty() || l.tableOnly() ? nullptr : l.table.column(l.style.labelField);
  if (primary) {
    // The texts stay in the table's columns (PreparedLayer::labelField).
    p->labelField = l.style.labelField;
    if (l.table.column(l.style.labelSecondaryField)) p->labelSecondaryField = l.style.labelSecondaryField;
    const AttributeColumn* lon = l.table.column("label_lon");
    const AttributeColumn* lat = l.table.column("label_lat");
    std::optional<Transformer> fromLonLat;
    if (lon && lat) fromLonLat = Transformer::create("EPSG:4326", displayCrs, &e);
    const GeometryColumn& g = p->geometry;
    const bool singlePoints = l.kind == GeometryKind::Point && p->kind == GeometryKind::Point &&
                              g.featureParts.implicit() && g.partRings.implicit() && g.ringVertices.implicit();
    // Single points are their own anchors: nothing to keep (labelAnchorAt reads the point).
    size_t n = l.table.featureCount();
    if (!fromLonLat && singlePoints && g.featureCount() == n) n = 0;
    p->labelAnchor.resize(n);
    for (size_t f = 0; f < n; ++f) {
      Vec2 a{std::nan(""), std::nan("")};
      if (f >= g.featureCount() || g.featureParts[f + 1] == g.featureParts[f]) {
        // No geometry (issue 12): nothing drawn, so no anchor and no label.
      } else if (fromLonLat && !std::isnan(lon->number(f)) && !std::isnan(lat->number(f))) {
        a = fromLonLat->forward({lon->number(f), lat->number(f)});
      } else if (l.kind == GeometryKind::Polygon) {
        // The box centre of a concave polygon can fall outside it; the pole cannot. A
        // thousandth of the feature's size is far below a pixel at any zoom that shows it whole.
        const Bounds b = g.featureBounds(f);
        a = poleOfInaccessibility(g, f, std::max(b.width(), b.height()) * 1e-3).point;
      } else {
        const Bounds b = g.featureBounds(f);
        if (!b.empty()) a = {(b.minX + b.maxX) * 0.5, (b.minY + b.maxY) * 0.5};
      }
      p->labelAnchor[f] = a;
    }
  }
}

}  // namespace

// ---- 3. the extent -------------------------------------------------------------------------
Bounds layerExtent(const Layer& l, const std::string& displayCrs, std::string* err) {
  if (l.status != LayerStatus::Loaded) {
    if (err) *err = "layer " + l.id + " is not loaded";
    return {};
  }
  if (auto it = l.prepared.find(displayCrs); it != l.prepared.end()) return it->second->bounds;
  // As prepareLayer projects: the hexagons from their equal-area frame, else the features.
  const std::string& fromCrs = l.hexes ? l.hexes->bins.crs : l.sourceCrs;
  std::string e;
  std::optional<Transformer> tr = Transformer::create(fromCrs, displayCrs, &e);
  if (!tr) {
    if (err) *err = "layer " + l.id + ": cannot project " + fromCrs + " to " + displayCrs + ": " + e;
    return {};
  }
  // Projected a slice at a time, so a layer of millions of vertices needs no second copy.
  // Bounds skip what PROJ could not project, as GeometryColumn::bounds() does.
  constexpr size_t kSlice = 4096;
  const std::vector<Vec2>& xy = l.shownTable().geometry.xy;
  std::vector<Vec2> slice;
  Bounds b;
  for (size_t i = 0; i < xy.size(); i += kSlice) {
    slice.assign(xy.begin() + static_cast<std::ptrdiff_t>(i),
                 xy.begin() + static_cast<std::ptrdiff_t>(std::min(xy.size(), i + kSlice)));
    tr->transform(slice);
    for (const Vec2& p : slice)
      if (std::isfinite(p.x) && std::isfinite(p.y)) b.add(p.x, p.y);
  }
  return b;
}

}  // namespace bcmap
