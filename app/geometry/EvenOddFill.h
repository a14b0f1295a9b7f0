// EvenOddFill: the fill of polygons that ear clipping (Triangulate) cannot fill correctly —
// rings that cross themselves (a bow-tie, a pentagram drawn as one ring), holes that cross
// their shell or each other. The rule: a point is filled when it lies inside the outer ring
// by the even-odd rule of that ring alone, and inside no hole by the even-odd rule of that
// hole alone. So a bow-tie fills both lobes, a pentagram its five points and not its inner
// pentagon, a hole crossing the shell cuts out only what it covers of the shell, and a hole
// outside the shell changes nothing.
//
// How: the plane is cut into vertical slabs at the x of every vertex and of every crossing
// of two edges, so no two edges cross inside a slab. In each slab the edges spanning it are
// ordered by their y at the slab's middle and walked upwards, keeping each ring's parity;
// each stretch where the rule holds is a trapezoid between two edges, merged with the same
// stretch in the next slabs while the same two edges bound it, and drawn as two triangles.
// Every corner is an edge evaluated at a slab boundary by one formula (yAt), so trapezoids
// that meet share their corners exactly and filled neighbours meet only along vertical
// lines: no cracks, no overlaps.
//
// The work is bounded: the crossing search reads each pair of edges whose x ranges overlap
// (edges sorted by x, so rings of short edges cost near n log n, not n squared) and the
// slabs cost the edges spanning each; both count against the budget given, and past it
// the caller keeps its other fill.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// What the crossing search found.
enum class EdgeCrossings {
  None,        // no two edges cross
  Some,        // at least two edges cross each other's interiors
  OverBudget,  // the search ran out of work before it could tell
};

class EvenOddFill {
 public:
  // Gathers the edges of `rings` (rings[0] the outer ring, the others holes; a ring open or
  // closed, in either winding; non-finite vertices left out, as the ear clipper does, and
  // zero-length edges skipped) and looks for edges that cross, within `work` steps. A
  // crossing counts when each edge passes through the other's interior; touching ends, a
  // vertex on another edge and collinear overlaps (valid rings that touch themselves) do not.
  // Coordinates whose differences overflow a double give OverBudget: nothing to fill with.
  EvenOddFill(std::span<const std::span<const Vec2>> rings, int64_t work);

  EdgeCrossings crossings() const { return crossings_; }

  // Fills the polygon by the rule: appends the triangles' corners to `xy` and three indices
  // a triangle (into `xy`, counted from its first element) to `triangles`. Returns false,
  // appending nothing, when the crossing search or the slabs ran out of work.
  bool fill(std::vector<Vec2>& xy, std::vector<uint32_t>& triangles);

 private:
  struct Edge {
    Vec2 a, b;  // a.x <= b.x
    uint32_t ring = 0;
  };

  void sortEdges(double minX, double maxX);
  void findCrossings();
  void closeRun(uint32_t lo, uint32_t hi, double x0, double x1, std::vector<Vec2>& xy,
                std::vector<uint32_t>& triangles) const;

  std::vector<Edge> edges_;  // by left end (a.x)
  std::vector<double> crossingX_;  // where two edges cross (the slab boundaries they add)
  size_t ringCount_ = 0;
  int64_t work_ = 0;
  EdgeCrossings crossings_ = EdgeCrossings::None;
};

}  // namespace bcmap
