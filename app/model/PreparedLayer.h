// PreparedLayer: a layer made ready for drawing and picking in one display CRS —
// projected geometry, polygon triangles, per-feature resolved colours and sizes, time spans.
// Built once per (layer, display CRS) by the LayerStore; the renderer uploads it once.
#pragma once

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

  // Polygons: triangles as indices into geometry.xy; feature f owns triangle indices
  // [featureTriangles[f], featureTriangles[f+1]) (3 indices a triangle).
  std::vector<uint32_t> triangles;
  std::vector<uint32_t> featureTriangles{0};

  // Resolved style, one entry per feature (evaluated at load, never per frame).
  std::vector<Rgba> fill;
  std::vector<float> pointSizePx;
  Rgba stroke{40, 40, 40, 255};
  float strokeWidthPx = 1.0f;
  uint8_t pointSymbol = 0;     // bcmap_symbol: points, and the END marker of lines
  uint32_t lineMarkers = 0;    // BCMAP_LINE_MARKER_* bits (lines)
  float lineEndMarkerPx = 0;   // size of the END marker

  // Time spans per feature (kNoDay = open); empty: the layer has no time.
  std::vector<int32_t> startDay;
  std::vector<int32_t> endDay;

  // Label anchor per feature in the display CRS (NaN: no label) and its text lines.
  std::vector<Vec2> labelAnchor;
  std::vector<std::string> labelPrimary;
  std::vector<std::string> labelSecondary;

  // Incremented whenever the content changes, so the renderer knows to re-upload.
  uint64_t generation = 0;
};

}  // namespace bcmap
