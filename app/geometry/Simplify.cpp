#include "geometry/Simplify.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace bcmap {

namespace {

// Planar distance from `p` to the segment a-b. (A private copy until the shared one in
// geometry/HitTest lands; then this uses that.)
double segmentDistance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

}  // namespace

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

}  // namespace bcmap
