// PointLodOrder: the nested point order behind MapRenderer's level of detail (see "Points
// denser than pixels" in MapRenderer.h). For every Morton-code cell size, in steps of
// sqrt(2), the `perCell` points of highest fixed pseudo-random priority in each crowded
// cell come after the others, so drawing a suffix shows up to `perCell` points per crowded
// cell of that size (every point of the others), and they are the ones on top when every
// point is drawn.
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
// them look the same as every point drawn. n discs stacked let (1 - alpha)^n of what lies
// under them show; the smallest n with that <= residual is what a pixel needs over it. A
// pixel in dense points lies under the discs of about three cells half a diameter wide
// (pi (d/2)^2 / (d/2)^2), so a cell keeps half of n, rounded up (1 for opaque points, 3 at
// alpha 150/255: ExactRenderTest measures under 0.1 % of the pixels off, along the edges
// of the points). More translucent layers
// than kLodMaxPerCell allows are drawn whole.
inline constexpr uint32_t kLodMaxPerCell = 16;
// A cell is thinned only when it holds more than this many points (and more than perCell):
// where points are only a few to a cell, their neighbours are sparse too, and a point left
// out would leave paper showing where its disc was. Without MapRenderer's fringe pass, 3
// gave 1M points zoomed in 1.4x 0.53 % of the pixels off, 4 at most 0.27 % over zooms 1x
// to 2x (ExactRenderTest's data, 4 px discs); with it, under 0.01 %.
inline constexpr uint32_t kLodCrowded = 4;
uint32_t lodPerCell(double alpha, double residual);
// The n above: how many discs of opacity `alpha` must stack over a pixel before what lies
// under them shows by at most `residual` (1 for opaque points, 5 at alpha 150/255).
uint32_t lodStacked(double alpha, double residual);

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
