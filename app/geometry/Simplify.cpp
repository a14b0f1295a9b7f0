#include "geometry/Simplify.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "geometry/HitTest.h"

namespace bcmap {

std::vector<Vec2> simplify(const std::vector<Vec2>& in, double tolerance) {
  if (in.size() < 3) return in;
  std::vector<uint8_t> keep(in.size(), 0);
  keep.front() = keep.back() = 1;
  // An explicit stack rather than recursion: a 17,500-vertex border would recurse that deep
  // in the worst case.
  std::vector<std::pair<size_t, size_t>> todo{{0, in.size() - 1}};
  while (!todo.empty()) {
    const auto [a, b] = todo.back();
    todo.pop_back();
    double worst = -1;
    size_t at = a;
    for (size_t i = a + 1; i < b; ++i) {
      const double d = segmentDistance(in[i], in[a], in[b]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst > tolerance) {
      keep[at] = 1;
      todo.push_back({a, at});
      todo.push_back({at, b});
    }
  }
  std::vector<Vec2> out;
  for (size_t i = 0; i < in.size(); ++i)
    if (keep[i]) out.push_back(in[i]);
  return out;
}

std::vector<uint32_t> thinnedPositions(std::span<const Vec2> ring, double step) {
  std::vector<uint32_t> kept;
  const double step2 = step * step;
  const Vec2* last = nullptr;
  for (size_t i = 0; i < ring.size(); ++i) {
    const Vec2& v = ring[i];
    if (!std::isfinite(v.x) || !std::isfinite(v.y)) continue;
    if (last) {
      const double dx = v.x - last->x;
      const double dy = v.y - last->y;
      if (dx * dx + dy * dy < step2) continue;
    }
    kept.push_back(static_cast<uint32_t>(i));
    last = &v;
  }
  return kept;
}

}  // namespace bcmap
