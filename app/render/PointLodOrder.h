// PointLodOrder: the nested point order behind MapRenderer's level of detail (see "Points
// denser than pixels" in MapRenderer.h). For every Morton-code cell size, in steps of
// sqrt(2), the point of highest fixed pseudo-random priority in each occupied cell comes
// before the others, so drawing a prefix shows one point per cell of that size.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace bcmap::map_gpu {

// LOD cells: level b groups codes by code >> b, a cell of 2^(b/2) finest cells a side
// (odd b: a 2:1 rectangle of the same area). Levels 0..32; -1 marks a second point in the
// same finest cell.
constexpr int kLodLevels = 34;  // b = -1 .. 32

struct PointOrder {
  std::vector<uint32_t> order;                 // draw position -> upload index
  std::array<uint32_t, kLodLevels> prefix{};   // prefix[b + 1]: points of level >= b
  double cellUnits = 1;                        // side of the finest cell, layer units
};

// Sorts points (layer-local xy) so that for every level b the representatives of that
// level's cells come first: a cell's representative is its point of highest priority,
// and a point that represents a cell at level b represents its cell at every finer level
// too (it is the highest of a sub-range), so each level is a prefix of the next.
PointOrder lodOrder(const std::vector<std::array<float, 2>>& xy);

}  // namespace bcmap::map_gpu
