// WkbReader: one feature's geometry from WKB into a GeometryScratch, laid out as
// FeatureTable.h documents (parts, rings, vertices), x and y only. The OGR and Arrow stream
// readers parse WKB here; the GeoJSON reader stages its geometries in the same layout and
// reports the same statuses, so TableBuilder checks all three alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// One feature's geometry before it joins the table: validated first, then appended.
struct GeometryScratch {
  GeometryKind kind = GeometryKind::None;  // None: no parts (null or empty geometry)
  std::vector<Vec2> xy;
  std::vector<uint32_t> ringSizes;
  std::vector<uint32_t> partRingCounts;

  void clear() {
    kind = GeometryKind::None;
    xy.clear();
    ringSizes.clear();
    partRingCounts.clear();
  }
  void addPoint(double x, double y) {
    xy.push_back({x, y});
    ringSizes.push_back(1);
    partRingCounts.push_back(1);
  }
};

// Mixed: a collection mixing points, lines and polygons; Curve: a curved geometry (the OGR
// reader linearizes those through OGR first); Corrupt: WKB that does not parse.
enum class WkbStatus { Ok, Mixed, Curve, Corrupt };

// Reads ISO WKB (types 1..17, +1000/+2000/+3000 for Z/M/ZM) and the older extended WKB
// (high-bit Z/M/SRID flags) into `out` (cleared by the caller). A POINT with both ordinates
// NaN is POINT EMPTY by the WKB convention and gives no part.
WkbStatus readWkb(const uint8_t* data, size_t size, GeometryScratch& out);

}  // namespace bcmap
