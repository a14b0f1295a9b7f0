// GeoJsonGeometry: the geometries of a GeoJSON file as the fast reader (GeoJsonReader.h)
// stages them in its one pass: every feature's parts laid out as WkbReader's GeometryScratch
// (FeatureTable.h's layout), its kind and whether it mixes kinds (WkbStatus::Mixed), and the
// layer's geometry type as GDAL's GeoJSON driver sets it. What GDAL would read otherwise
// (unclosed or short rings, mixed dimensions, empty or deep collections) declines.
#pragma once

#include <ogr_core.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "io/GeoJsonScan.h"
#include "model/FeatureTable.h"

namespace bcmap {

// Every geometry of the file. Feature f owns xy[xyBegin[f], xyBegin[f+1]) and so on.
struct StagedGeometry {
  std::vector<Vec2> xy;
  std::vector<uint32_t> ringSizes;
  std::vector<uint32_t> partRingCounts;
  std::vector<size_t> xyBegin{0}, ringBegin{0}, partBegin{0};
  std::vector<GeometryKind> kind;
  std::vector<uint8_t> mixed;  // a collection mixing kinds
};

// A "coordinates" member before its geometry's type is known: positions (x, y, z) and, in
// preorder, the element count of every array above the positions.
struct Coordinates {
  std::vector<double> xyz;
  std::vector<uint32_t> counts;
  int positionDepth = -1;  // nesting level of the positions (0: "coordinates" is one)
  void clear() {
    xyz.clear();
    counts.clear();
    positionDepth = -1;
  }
};

// Geometry collections nested deeper than this go to GDAL (WkbReader has its own limit, 32;
// real data has one level at most).
constexpr int kMaxCollectionDepth = 8;

class GeoJsonGeometry {
 public:
  // One coordinate buffer per collection depth, made up front: parseGeometry holds a
  // reference to its own while it recurses.
  explicit GeoJsonGeometry(GeoJsonScan& scan)
      : scan_(scan), coordinates_(static_cast<size_t>(kMaxCollectionDepth) + 1) {}

  // Reads a feature's non-null "geometry" (at JSON depth 3), staging its parts; merges its
  // kind into `kind` and sets `mixed` for a collection mixing kinds. False: declined.
  bool read(od::value& geometry, GeometryKind& kind, bool& mixed);
  // Closes the current feature's geometry (none if read was not called).
  void endFeature(GeometryKind kind, bool mixed);

  StagedGeometry& staged() { return staged_; }
  // The layer's kind, and whether its type has Z, as GDAL's GeoJSON driver decides them.
  GeometryKind layerKind() const;
  bool layerHasZ() const { return layerZ_; }

 private:
  void updateLayerType(OGRwkbGeometryType type, bool z);
  // The parse itself is GeometryParser's, local to GeoJsonGeometry.cpp.

  GeoJsonScan& scan_;
  StagedGeometry staged_;
  std::vector<Coordinates> coordinates_;  // one per collection depth
  size_t dims_ = 0;                       // of the current feature's positions
  bool firstGeometry_ = true;
  OGRwkbGeometryType layerType_ = wkbUnknown;
  bool layerZ_ = false;
};

}  // namespace bcmap
