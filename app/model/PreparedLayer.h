// PreparedLayer: a layer made ready for drawing and picking in one display CRS —
// projected geometry, polygon triangles, per-feature resolved colours and sizes, time spans.
// Built once per (layer, display CRS) by the LayerStore; the renderer uploads it once.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

struct PreparedLayer {
  std::string layerId;
  std::string displayCrs;
  GeometryKind kind = GeometryKind::None;
  GeometryColumn geometry;  // in the display CRS (x east, y north)
  Bounds bounds;            // of geometry

  // Polygons: triangles as vertex indices; feature f owns triangle indices
  // [featureTriangles[f], featureTriangles[f+1]) (3 indices a triangle). An index
  // i < geometry.xy.size() is geometry.xy[i]; an index i >= geometry.xy.size() is
  // fillXy[i - geometry.xy.size()]: a corner of the even-odd fill of a polygon whose rings
  // cross (geometry/EvenOddFill.h), not a vertex of the geometry. Only the fill reads
  // fillXy; outlines, identify, hit tests and exports read the rings.
  std::vector<uint32_t> triangles;
  std::vector<uint32_t> featureTriangles{0};
  std::vector<Vec2> fillXy;

  // Resolved style (evaluated at load, never per frame): one entry per feature, or one
  // entry that every feature shares when the style gives them all the same (issue 11: a
  // million points drawn alike then cost no copy per point); empty: none (fillAt: no fill,
  // pointSizeAt: the caller's default). Read through fillAt / pointSizeAt.
  std::vector<Rgba> fill;
  std::vector<float> pointSizePx;
  const Rgba* fillAt(size_t f) const {
    if (fill.size() == 1) return &fill[0];
    return f < fill.size() ? &fill[f] : nullptr;
  }
  // One fill per feature, the shared one repeated (for comparisons and exports).
  std::vector<Rgba> fillPerFeature() const {
    return fill.size() == 1 ? std::vector<Rgba>(geometry.featureCount(), fill[0]) : fill;
  }
  float pointSizeAt(size_t f, float fallback) const {
    const float s = pointSizePx.size() == 1 ? pointSizePx[0] : f < pointSizePx.size() ? pointSizePx[f] : fallback;
    return std::isfinite(s) ? s : fallback;
  }
  Rgba stroke{40, 40, 40, 255};
  float strokeWidthPx = 1.0f;
  uint8_t pointSymbol = 0;     // bcmap_symbol: points, and the END marker of lines
  uint32_t lineMarkers = 0;    // BCMAP_LINE_MARKER_* bits (lines)
  float lineEndMarkerPx = 0;   // size of the END marker

  // Time spans per feature (kNoDay = open); empty: the layer has no time.
  std::vector<int32_t> startDay;
  std::vector<int32_t> endDay;

  // Labels. The text is not copied (issue 11: 32 B a point): it is read in place from the
  // layer's table, the columns named here ("": no labels, no second line; set only where
  // the table has the column). Restyles keep them, as they keep the anchors.
  std::string labelField;
  std::string labelSecondaryField;
  bool hasLabels() const { return !labelField.empty(); }
  // Label anchor per feature in the display CRS (NaN: no label). Empty while every anchor is
  // the feature's own point (a layer of single points without label_lon/label_lat: 16 B a
  // point saved); read through labelAnchorAt.
  std::vector<Vec2> labelAnchor;
  Vec2 labelAnchorAt(size_t f) const {
    if (!labelAnchor.empty()) return f < labelAnchor.size() ? labelAnchor[f] : Vec2{NAN, NAN};
    if (!hasLabels() || f >= geometry.featureCount() || geometry.featureParts[f] == geometry.featureParts[f + 1])
      return {NAN, NAN};
    return geometry.xy[geometry.ringVertices[geometry.partRings[geometry.featureParts[f]]]];
  }

  // Incremented whenever the content changes, so the renderer knows to re-upload.
  uint64_t generation = 0;
};

}  // namespace bcmap
