// PointLodOrder.cpp — Morton codes, point priorities, and the order itself (lodOrder).
#include "render/PointLodOrder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace bcmap::map_gpu {

namespace {

using Pt = std::array<float, 2>;

// Morton codes: 16 bits a coordinate, x in the even bits. Cells of one code prefix are
// contiguous in code order, so "the points of a cell" is a run of the sorted array.
uint32_t spreadBits(uint32_t v) {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

// A fixed pseudo-random priority per point (splitmix32 finaliser of its upload index):
// which point stands for a cell must not depend on the run or the machine.
uint32_t pointPriority(uint32_t i) {
  uint32_t z = i + 0x9e3779b9u;
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

// Highest set bit of x, -1 for 0.
int highBit(uint32_t x) { return x == 0 ? -1 : 31 - std::countl_zero(x); }

}  // namespace

uint32_t lodStacked(double alpha, double residual) {
  if (!(alpha > 0)) return 2 * kLodMaxPerCell + 2;
  if (alpha >= 1) return 1;
  return uint32_t(std::clamp(std::ceil(std::log(residual) / std::log(1.0 - alpha)), 1.0, double(2 * kLodMaxPerCell + 2)));
}

uint32_t lodPerCell(double alpha, double residual) {
  return std::min((lodStacked(alpha, residual) + 1) / 2, kLodMaxPerCell + 1);
}

PointOrder lodOrder(const std::vector<std::array<float, 2>>& xy, uint32_t perCell) {
  PointOrder out;
  const size_t n = xy.size();
  out.order.assign(n, 0);
  if (n == 0) return out;
  float minX = xy[0][0], minY = xy[0][1], maxX = minX, maxY = minY;
  for (const Pt& p : xy) {
    minX = std::min(minX, p[0]), maxX = std::max(maxX, p[0]);
    minY = std::min(minY, p[1]), maxY = std::max(maxY, p[1]);
  }
  const double extent = std::max(double(maxX) - minX, double(maxY) - minY);
  out.cellUnits = extent > 0 ? extent / 65535.0 : 1.0;
  // (code << 32 | upload index), radix-sorted on the code in two passes of 16 bits: the
  // pairs travel together, so every pass reads and writes sequentially.
  std::vector<uint64_t> a(n), tmp(n);
  for (size_t i = 0; i < n; ++i) {
    const auto qx = uint32_t(std::clamp((xy[i][0] - minX) / out.cellUnits, 0.0, 65535.0));
    const auto qy = uint32_t(std::clamp((xy[i][1] - minY) / out.cellUnits, 0.0, 65535.0));
    a[i] = uint64_t(spreadBits(qx) | (spreadBits(qy) << 1)) << 32 | i;
  }
  for (int shift : {32, 48}) {
    std::vector<uint32_t> count(65537, 0);
    for (uint64_t v : a) ++count[((v >> shift) & 0xffff) + 1];
    for (size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (uint64_t v : a) tmp[count[(v >> shift) & 0xffff]++] = v;
    a.swap(tmp);
  }
  tmp.clear();
  tmp.shrink_to_fit();
  // Finest to coarsest: the survivors of level b - 1 (up to perCell a cell, in code order)
  // are grouped by their level-b cell; a group larger than perCell, of a cell holding more
  // than `crowded` points, keeps its perCell highest, and the rest end at level b - 1. A level-b cell joins at most two level-(b-1)
  // cells (a group of at most 2 perCell), but level 0 (one code) may hold any number.
  // Survivors are compacted in place, codes apart from ranks (the scan reads codes only);
  // a rank orders by priority, ties to the lower index.
  const uint32_t m = std::max<uint32_t>(1, perCell);
  out.perCell = m;
  std::vector<int8_t> level(n, 32);
  std::vector<uint32_t> codes(n);
  std::vector<uint64_t> ranks(n);  // priority << 32 | ~index: higher ranks first
  for (size_t j = 0; j < n; ++j) {
    const auto i = uint32_t(a[j]);
    codes[j] = uint32_t(a[j] >> 32);
    ranks[j] = uint64_t(pointPriority(i)) << 32 | ~i;
  }
  // totals[k]: how many points (survivors or not) the cell of survivor k held at the level
  // before; a cell is thinned only when it holds more than `crowded` points (kLodCrowded).
  const uint64_t crowded = std::max<uint64_t>(m, kLodCrowded);
  std::vector<uint32_t> totals(n, 1);
  std::vector<std::pair<uint64_t, uint32_t>> group;  // (rank, code)
  // No cell is crowded below the first level at which `crowded` + 1 points in a row share
  // a cell: start there (levels 0..7 or so for a million points spread out), with each
  // point its own cell of one, as the passes below would have left them.
  int first = 33;
  for (size_t j = 0; j + crowded < n; ++j) first = std::min(first, highBit(codes[j] ^ codes[j + crowded]) + 1);
  if (first > 0 && first <= 32) {
    const int b = first - 1;  // the cells of level first - 1: count the points of each
    for (size_t g0 = 0; g0 < n;) {
      size_t g1 = g0 + 1;
      while (g1 < n && codes[g1] >> b == codes[g0] >> b) ++g1;
      for (size_t k = g0; k < g1; ++k) totals[k] = uint32_t(g1 - g0);
      g0 = g1;
    }
  }
  for (int b = std::min(first, 32); b <= 32 && codes.size() > m; ++b) {
    size_t w = 0;
    const size_t size = codes.size();
    for (size_t g0 = 0; g0 < size;) {
      const uint64_t cell = uint64_t(codes[g0]) >> b;
      size_t g1 = g0 + 1;
      uint64_t total = totals[g0];
      for (; g1 < size && uint64_t(codes[g1]) >> b == cell; ++g1)
        if (b == 0 || uint64_t(codes[g1]) >> (b - 1) != uint64_t(codes[g1 - 1]) >> (b - 1)) total += totals[g1];
      const auto t = uint32_t(std::min<uint64_t>(total, UINT32_MAX));
      if (g1 - g0 <= m || total <= crowded) {
        for (size_t k = g0; k < g1; ++k, ++w) codes[w] = codes[k], ranks[w] = ranks[k], totals[w] = t;
      } else {
        group.clear();
        for (size_t k = g0; k < g1; ++k) group.emplace_back(ranks[k], codes[k]);
        std::nth_element(group.begin(), group.begin() + m - 1, group.end(),
                         [](const auto& x, const auto& y) { return x.first > y.first; });
        for (size_t k = m; k < group.size(); ++k) level[~uint32_t(group[k].first)] = int8_t(b - 1);
        // The kept in code order (then upload order), as they were.
        std::sort(group.begin(), group.begin() + m, [](const auto& x, const auto& y) {
          return x.second != y.second ? x.second < y.second : ~uint32_t(x.first) < ~uint32_t(y.first);
        });
        for (size_t k = 0; k < m; ++k, ++w) ranks[w] = group[k].first, codes[w] = group[k].second, totals[w] = t;
      }
      g0 = g1;
    }
    codes.resize(w);
    ranks.resize(w);
    totals.resize(w);
  }
  codes = {};
  ranks = {};
  // Stable counting sort by level, finest first: Morton order survives inside a level, and
  // the representatives of every level are a suffix.
  std::array<uint32_t, kLodLevels> count{};
  for (int8_t lv : level) ++count[size_t(lv + 1)];
  std::array<uint32_t, kLodLevels> start{};
  uint32_t acc = 0;
  for (int lv = -1; lv <= 32; ++lv) {
    start[size_t(lv + 1)] = acc;
    acc += count[size_t(lv + 1)];
  }
  uint32_t fromEnd = 0;
  for (int lv = 32; lv >= -1; --lv) {
    fromEnd += count[size_t(lv + 1)];
    out.suffix[size_t(lv + 1)] = fromEnd;
  }
  for (size_t j = 0; j < n; ++j) {
    const auto i = uint32_t(a[j]);
    out.order[start[size_t(level[i] + 1)]++] = i;
  }
  return out;
}

}  // namespace bcmap::map_gpu
