// triangulateColumn (declared in Triangulate.h): walks a GeometryColumn's offsets, checks
// them and hands each polygon part to triangulatePolygon. Kept apart from the ear clipper
// (Triangulate.cpp) because it is about the column's layout, not the algorithm.

#include "geometry/Triangulate.h"

#include <limits>
#include <string>
#include <vector>

#include "model/Log.h"

namespace bcmap {

void triangulateColumn(const GeometryColumn& geom, std::vector<uint32_t>& triangles,
                       std::vector<uint32_t>& featureTriangles, std::vector<Vec2>* fillXy) {
  triangles.clear();
  if (fillXy) fillXy->clear();
  featureTriangles.assign(1, 0);
  if (geom.featureParts.empty()) {
    logError("triangulateColumn: the geometry has no featureParts offsets (expected {0})");
    return;
  }
  const size_t featureCount = geom.featureCount();
  featureTriangles.assign(featureCount + 1, 0);
  if (geom.kind != GeometryKind::Polygon) return;

  std::vector<std::span<const Vec2>> rings;
  AddedVertices added;
  if (fillXy && geom.xy.size() <= std::numeric_limits<uint32_t>::max()) {
    added = {fillXy, static_cast<uint32_t>(geom.xy.size())};
  }
  bool reported = false;
  auto report = [&](size_t feature, const char* what) {
    if (reported) return;  // one message is enough to find the broken producer
    logError("triangulateColumn: feature " + std::to_string(feature) + ": " + what);
    reported = true;
  };
  for (size_t f = 0; f < featureCount; ++f) {
    const uint32_t partBegin = geom.featureParts[f];
    const uint32_t partEnd = geom.featureParts[f + 1];
    if (partBegin > partEnd || partEnd >= geom.partRings.size()) {
      report(f, "part offsets out of range");
    } else {
      for (uint32_t p = partBegin; p < partEnd; ++p) {
        const uint32_t ringBegin = geom.partRings[p];
        const uint32_t ringEnd = geom.partRings[p + 1];
        if (ringBegin >= ringEnd) continue;  // a part without rings has nothing to fill
        if (ringEnd >= geom.ringVertices.size()) {
          report(f, "ring offsets out of range");
          continue;
        }
        rings.clear();
        bool valid = true;
        for (uint32_t r = ringBegin; r < ringEnd; ++r) {
          const uint32_t v0 = geom.ringVertices[r];
          const uint32_t v1 = geom.ringVertices[r + 1];
          if (v0 > v1 || v1 > geom.xy.size()) {
            valid = false;
            break;
          }
          rings.emplace_back(geom.xy.data() + v0, v1 - v0);
        }
        if (!valid) {
          report(f, "vertex offsets out of range");
          continue;
        }
        if (!triangulatePolygon(rings, geom.ringVertices[ringBegin], triangles, added)) {
          report(f, "more vertices than 32-bit indices can address");
        }
      }
    }
    featureTriangles[f + 1] = static_cast<uint32_t>(triangles.size());
  }
}

}  // namespace bcmap
