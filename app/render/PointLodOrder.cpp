// PointLodOrder.cpp — Morton codes, point priorities, and the order itself (lodOrder).
#include "render/PointLodOrder.h"

#include <algorithm>
#include <bit>

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

PointOrder lodOrder(const std::vector<std::array<float, 2>>& xy) {
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
  std::vector<uint64_t> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    const auto qx = uint32_t(std::clamp((xy[i][0] - minX) / out.cellUnits, 0.0, 65535.0));
    const auto qy = uint32_t(std::clamp((xy[i][1] - minY) / out.cellUnits, 0.0, 65535.0));
    a[i] = uint64_t(spreadBits(qx) | (spreadBits(qy) << 1)) << 32 | i;
  }
  for (int shift : {32, 48}) {
    std::vector<uint32_t> count(65537, 0);
    for (uint64_t v : a) ++count[((v >> shift) & 0xffff) + 1];
    for (size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (uint64_t v : a) b[count[(v >> shift) & 0xffff]++] = v;
    a.swap(b);
  }
  b.clear();
  b.shrink_to_fit();
  auto code = [&](size_t j) { return uint32_t(a[j] >> 32); };
  auto index = [&](size_t j) { return uint32_t(a[j]); };
  std::vector<uint32_t> priority(n);
  for (size_t j = 0; j < n; ++j) priority[j] = pointPriority(index(j));
  // Nearest point of higher priority on each side (monotonic stack); a point represents
  // its cell at level b exactly when neither of them is in that cell. Ties (equal hashes)
  // go to the lower upload index.
  auto higher = [&](size_t j, size_t k) {
    return priority[j] != priority[k] ? priority[j] > priority[k] : index(j) < index(k);
  };
  std::vector<int8_t> level(n, 32);
  std::vector<uint32_t> stack;
  for (int pass = 0; pass < 2; ++pass) {
    stack.clear();
    for (size_t step = 0; step < n; ++step) {
      const size_t j = pass == 0 ? step : n - 1 - step;
      while (!stack.empty() && higher(j, stack.back())) stack.pop_back();
      if (!stack.empty()) level[j] = int8_t(std::min(int(level[j]), highBit(code(j) ^ code(stack.back()))));
      stack.push_back(uint32_t(j));
    }
  }
  // Stable counting sort by level, coarsest first: Morton order survives inside a level.
  std::array<uint32_t, kLodLevels> count{};
  for (int8_t lv : level) ++count[size_t(lv + 1)];
  std::array<uint32_t, kLodLevels> start{};
  uint32_t acc = 0;
  for (int lv = 32; lv >= -1; --lv) {
    start[size_t(lv + 1)] = acc;
    acc += count[size_t(lv + 1)];
    out.prefix[size_t(lv + 1)] = acc;
  }
  for (size_t j = 0; j < n; ++j) out.order[start[size_t(level[j] + 1)]++] = index(j);
  return out;
}

}  // namespace bcmap::map_gpu
