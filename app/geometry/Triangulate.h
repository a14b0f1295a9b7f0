// Triangulate: polygon filling for the renderer. An ear-clipping triangulator after the
// earcut idea (z-order hashing of the ear test, holes bridged into the outer ring,
// duplicate and collinear points filtered, local self-intersections cured and the ring
// split along a diagonal as last resorts), so that broken real-world rings — the county
// borders touch themselves and repeat points thousands of times — still fill.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// Triangulates one polygon: rings[0] is the outer ring, the others holes; a ring is its
// vertices in either winding, open or closed (a repeated closing vertex is ignored).
// Appends three vertex indices a triangle to `out`: baseIndex + the vertex's position in
// the rings laid end to end (ring 0's first vertex is baseIndex). Broken input (self
// touching or crossing rings, holes outside the outer ring, NaN coordinates) gives the
// best triangulation the algorithm finds and never crashes or loops. The work is bounded by
// a budget linear in the vertices: a polygon ear clipping cannot finish within it (a ring
// of spikes one vertex wide) is filled from its outline simplified (vertices at least
// 1/65536 of its length apart, still indices of its own vertices), and the log says so; the
// geometry itself is untouched. Returns false, with `out` unchanged, only on misuse:
// indices that would not fit in 32 bits.
bool triangulatePolygon(std::span<const std::span<const Vec2>> rings, uint32_t baseIndex,
                        std::vector<uint32_t>& out);

// Triangulates every polygon part of every feature of `geom` (the PreparedLayer fields):
// `triangles` gets indices into geom.xy, `featureTriangles` featureCount()+1 offsets into
// `triangles` (feature f owns [featureTriangles[f], featureTriangles[f+1])). Both are
// replaced. Non-polygon geometry gives no triangles; inconsistent offsets are logged and
// give no triangles for the features they touch.
void triangulateColumn(const GeometryColumn& geom, std::vector<uint32_t>& triangles,
                       std::vector<uint32_t>& featureTriangles);

}  // namespace bcmap
