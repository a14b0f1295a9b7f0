// Simplify: Douglas–Peucker line simplification — the fewest points of a line (or ring)
// that keep every dropped point within a tolerance of the kept line. The overview map
// (ui/panels/InsetMap) simplifies Baicheng's county borders with it once, on load.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// The points of `in` that keep it within `tolerance` (same units as the coordinates; the
// distance is planar, to the segment between two kept points), in their order. The first
// and last points are always kept, so a closed ring stays closed; fewer than 3 points come
// back unchanged.
std::vector<Vec2> simplify(const std::vector<Vec2>& in, double tolerance);

// Radial thinning, one pass: the positions in `ring` of its first finite vertex and then of
// every finite vertex at least `step` from the last one kept. Linear where Douglas–Peucker
// is not, for the rings too big to fill or search whole (Triangulate's fallback, the pole of
// inaccessibility of a huge polygon).
std::vector<uint32_t> thinnedPositions(std::span<const Vec2> ring, double step);

}  // namespace bcmap
