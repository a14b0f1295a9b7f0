// Triangulate: polygon filling for the renderer. An ear-clipping triangulator after the
// earcut idea (z-order hashing of the ear test, holes bridged into the outer ring,
// duplicate and collinear points filtered, local self-intersections cured and the ring
// split along a diagonal as last resorts), so that broken real-world rings — the county
// borders touch themselves and repeat points thousands of times — still fill. Polygons it
// cannot fill correctly (rings that cross themselves, holes that cross their shell) are
// found after the clipping and, where the caller takes new vertices, filled by the
// even-odd rule instead (EvenOddFill.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// Where triangulatePolygon may put vertices of its own: the corners of an even-odd fill,
// which are not vertices of the geometry. They are appended to *xy, and a triangle refers to
// (*xy)[k] as firstIndex + k (k counted from the vector's start, earlier polygons' corners
// included). Null xy: no vertices of its own, the ear clipper's triangles whatever they are.
struct AddedVertices {
  std::vector<Vec2>* xy = nullptr;
  uint32_t firstIndex = 0;
};

// Triangulates one polygon: rings[0] is the outer ring, the others holes; a ring is its
// vertices in either winding, open or closed (a repeated closing vertex is ignored).
// Appends three vertex indices a triangle to `out`: baseIndex + the vertex's position in
// the rings laid end to end (ring 0's first vertex is baseIndex), or an added vertex's
// index (below). Broken input (self touching or crossing rings, holes outside the outer
// ring, NaN coordinates) never crashes or loops.
//
// Valid polygons, and those that only touch themselves, are ear clipped. After the
// clipping the fill is checked, in about n log n: whether the triangles' area is the outer
// ring's less the holes' it bridged (a crossing ring, or one the clipper could not finish,
// misses it) and whether two edges of the rings cross (a pentagram or a hole across its
// shell can match the area with overlapping triangles). Where either says the fill is wrong
// and `added` has a vector, the triangles are replaced by the even-odd fill (EvenOddFill.h:
// filled inside the outer ring by its own even-odd rule and inside no hole by that hole's),
// whose corners go to `added`; without one, or if that fill would exceed a budget linear
// in the vertices, the clipper's triangles stay and the log says so.
//
// The clipping's work is bounded by a budget linear in the vertices too: a polygon ear
// clipping cannot finish within it (a ring of spikes one vertex wide) is filled from its
// outline simplified (vertices at least 1/65536 of its length apart, still indices of its
// own vertices), and the log says so; such a polygon is not checked as above. The geometry
// itself is untouched. Returns false, with `out` unchanged, only on misuse: indices that
// would not fit in 32 bits.
bool triangulatePolygon(std::span<const std::span<const Vec2>> rings, uint32_t baseIndex,
                        std::vector<uint32_t>& out, AddedVertices added = {});

// Triangulates every polygon part of every feature of `geom` (the PreparedLayer fields):
// `triangles` gets vertex indices, `featureTriangles` featureCount()+1 offsets into
// `triangles` (feature f owns [featureTriangles[f], featureTriangles[f+1])). An index
// i < geom.xy.size() is geom.xy[i]; with `fillXy` given, an index i >= geom.xy.size() is
// (*fillXy)[i - geom.xy.size()], a corner of an even-odd fill (triangulatePolygon); without
// it every index is into geom.xy and crossing rings keep the ear clipper's fill. All three
// are replaced. Non-polygon geometry gives no triangles; inconsistent offsets are logged and
// give no triangles for the features they touch.
void triangulateColumn(const GeometryColumn& geom, std::vector<uint32_t>& triangles,
                       std::vector<uint32_t>& featureTriangles,
                       std::vector<Vec2>* fillXy = nullptr);

}  // namespace bcmap
