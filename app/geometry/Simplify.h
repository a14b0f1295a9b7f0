// Simplify: Douglas–Peucker line simplification — the fewest points of a line (or ring)
// that keep every dropped point within a tolerance of the kept line. The overview map
// (ui/panels/InsetMap) simplifies Baicheng's county borders with it once, on load.
#pragma once

#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// The points of `in` that keep it within `tolerance` (same units as the coordinates; the
// distance is planar, to the segment between two kept points), in their order. The first
// and last points are always kept, so a closed ring stays closed; fewer than 3 points come
// back unchanged.
std::vector<Vec2> simplify(const std::vector<Vec2>& in, double tolerance);

}  // namespace bcmap
