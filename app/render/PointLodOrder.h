// PointLodOrder: the nested point order behind MapRenderer's level of detail (see "Points
// denser than pixels" in MapRenderer.h). For every Morton-code cell size, in steps of
// sqrt(2), the `perCell` points of highest fixed pseudo-random priority in each occupied
// cell come after the others, so drawing a suffix shows up to `perCell` points per cell of
// that size, and they are the ones on top when every point is drawn.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace bcmap::map_gpu {

// LOD cells: level b groups codes by code >> b, a cell of 2^(b/2) finest cells a side
// (odd b: a 2:1 rectangle of the same area). Levels 0..32; -1 marks a second point in the
// same finest cell.
constexpr int kLodLevels = 34;  // b = -1 .. 32

// How many representatives a cell must keep so that points of opacity `alpha` stacked on
// them look the same as every point drawn: the smallest m with (1 - alpha)^m <= residual,
// at least 2 (an opaque disc's antialiased, darker rim shows what lies below it), at most
// kLodMaxPerCell (more translucent layers than that are drawn whole).
inline constexpr uint32_t kLodMaxPerCell = 16;
uint32_t lodPerCell(double alpha, double residual);

struct PointOrder {
  std::vector<uint32_t> order;                 // draw position -> upload index
  std::array<uint32_t, kLodLevels> suffix{};   // suffix[b + 1]: points of level >= b, the last ones
  double cellUnits = 1;                        // side of the finest cell, layer units
  uint32_t perCell = 1;                        // representatives a cell keeps
};

// Sorts points (layer-local xy) so that for every level b the representatives of that
// level's cells come last: a cell's representatives are its `perCell` points of highest
// priority, and a point that represents a cell at level b represents its cell at every
// finer level too (it is among the highest of a subset), so each level is a suffix of the
// next. Coarse representatives last: with every point drawn they are on top, so a level's
// suffix shows what is on top of the full picture wherever it covers.
PointOrder lodOrder(const std::vector<std::array<float, 2>>& xy, uint32_t perCell);

}  // namespace bcmap::map_gpu
