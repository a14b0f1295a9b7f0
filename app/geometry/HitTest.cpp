#include "geometry/HitTest.h"

#include <algorithm>
#include <cmath>

namespace bcmap {

double segmentDistance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  // sqrt rather than hypot: identify calls this for every segment near a pick, and the
  // coordinates are far from where hypot's care about overflow would matter.
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

bool partContains(const GeometryColumn& g, size_t part, Vec2 q) {
  bool inside = false;
  for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
    const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
    if (v1 - v0 < 3) continue;
    for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++) {
      const Vec2 a = g.xy[i], b = g.xy[j];
      if ((a.y > q.y) != (b.y > q.y) && q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
  }
  return inside;
}

bool featureContains(const GeometryColumn& g, size_t feature, Vec2 q) {
  for (uint32_t part = g.featureParts[feature]; part < g.featureParts[feature + 1]; ++part)
    if (partContains(g, part, q)) return true;
  return false;
}

}  // namespace bcmap
