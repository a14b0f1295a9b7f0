// PoleOfInaccessibility.cpp — signed distance to a feature's rings, then the best-first
// cell search described in the header.
#include "geometry/PoleOfInaccessibility.h"
#include "geometry/Simplify.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <vector>

namespace bcmap {

namespace {

struct Edge {
  Vec2 a, b;
};

// A feature's rings flattened to edges (closing edge included, non-finite vertices left
// out), so the distance loop runs over one array.
struct Rings {
  std::vector<Edge> edges;
  Bounds box;
  Vec2 centroid{std::nan(""), std::nan("")};  // of the ring of largest area
  double largestArea = 0;
};

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Up to this many edges the search reads the exact rings. Each cell reads every edge, so a
// feature of a million vertices (a shore traced finely) took seconds; above it the rings
// are thinned to vertices at least a step apart (half the tolerance, or more so that about
// this many remain), which moves the pole by no more than the step.
constexpr size_t kExactEdges = 8192;

Rings collectRings(const GeometryColumn& g, size_t feature, double tolerance) {
  Rings out;
  std::vector<std::vector<Vec2>> rings;
  size_t vertices = 0;
  double perimeter = 0;
  for (uint32_t part = g.featureParts[feature]; part < g.featureParts[feature + 1]; ++part)
    for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
      std::vector<Vec2> ring;
      for (uint32_t v = g.ringVertices[r]; v < g.ringVertices[r + 1]; ++v)
        if (finite(g.xy[v])) ring.push_back(g.xy[v]);
      if (ring.empty()) continue;
      double area2 = 0, cx = 0, cy = 0;
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Vec2 a = ring[j], b = ring[i];
        perimeter += std::hypot(b.x - a.x, b.y - a.y);
        out.box.add(b);
        // Shoelace terms relative to the first vertex: projected coordinates are ~1e7, and
        // their products would lose the area of a small ring to rounding.
        const double ax = a.x - ring[0].x, ay = a.y - ring[0].y, bx = b.x - ring[0].x, by = b.y - ring[0].y;
        const double cross = ax * by - bx * ay;
        area2 += cross;
        cx += (ax + bx) * cross;
        cy += (ay + by) * cross;
      }
      if (std::abs(area2) > out.largestArea * 2) {
        out.largestArea = std::abs(area2) / 2;
        out.centroid = {ring[0].x + cx / (3 * area2), ring[0].y + cy / (3 * area2)};
      }
      vertices += ring.size();
      rings.push_back(std::move(ring));
    }
  const double step = vertices > kExactEdges && std::isfinite(perimeter)
                          ? std::max(tolerance / 2, perimeter / kExactEdges)
                          : 0;
  for (std::vector<Vec2>& ring : rings) {
    if (step > 0) {
      std::vector<Vec2> kept;
      for (uint32_t i : thinnedPositions(ring, step)) kept.push_back(ring[i]);
      if (kept.size() < 3) continue;
      ring = std::move(kept);
    }
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) out.edges.push_back({ring[j], ring[i]});
  }
  return out;
}

// Distance from q to the nearest edge, negative when q is outside (even-odd over all rings,
// so holes and separate parts count the way the renderer fills them).
double signedDistance(const Rings& rings, Vec2 q) {
  bool inside = false;
  double best = std::numeric_limits<double>::infinity();
  for (const Edge& e : rings.edges) {
    if ((e.a.y > q.y) != (e.b.y > q.y) && q.x < (e.b.x - e.a.x) * (q.y - e.a.y) / (e.b.y - e.a.y) + e.a.x)
      inside = !inside;
    const double dx = e.b.x - e.a.x, dy = e.b.y - e.a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((q.x - e.a.x) * dx + (q.y - e.a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = e.a.x + t * dx - q.x, ey = e.a.y + t * dy - q.y;
    best = std::min(best, ex * ex + ey * ey);
  }
  const double d = std::sqrt(best);
  return inside ? d : -d;
}

struct Cell {
  Vec2 centre;
  double half = 0;   // half the side
  double distance = 0;
  double bound = 0;  // the farthest any point of the cell can be: distance + half diagonal
};

Cell makeCell(const Rings& rings, Vec2 centre, double half) {
  Cell c;
  c.centre = centre;
  c.half = half;
  c.distance = signedDistance(rings, centre);
  c.bound = c.distance + half * std::sqrt(2.0);
  return c;
}

// A safety net for degenerate input (a sliver thousands of times longer than wide and a
// tiny tolerance): the search stops with the best point so far. Real outlines need far
// fewer (the five counties at tolerance 1e-3 of their size: a few hundred each).
constexpr size_t kMaxCells = 200000;

}  // namespace

Pole poleOfInaccessibility(const GeometryColumn& g, size_t feature, double tolerance) {
  Pole pole;
  if (feature + 1 >= g.featureParts.size()) return pole;
  const Rings rings = collectRings(g, feature, tolerance);
  if (rings.edges.empty()) return pole;
  const Bounds& b = rings.box;
  const double side = std::min(b.width(), b.height());
  if (!(side > 0) || !(rings.largestArea > 0)) {
    pole.point = rings.edges.front().a;
    return pole;
  }
  tolerance = std::max(tolerance, side * 1e-9);  // a zero tolerance would never stop

  auto lower = [](const Cell& x, const Cell& y) { return x.bound < y.bound; };
  std::priority_queue<Cell, std::vector<Cell>, decltype(lower)> queue(lower);
  // First cells: squares as wide as the box's short side, but no more than 256 along the
  // long one (a sliver would otherwise start with millions).
  const double cellSide = std::max(side, std::max(b.width(), b.height()) / 256);
  const double half = cellSide / 2;
  for (double x = b.minX; x < b.maxX; x += cellSide)
    for (double y = b.minY; y < b.maxY; y += cellSide) queue.push(makeCell(rings, {x + half, y + half}, half));

  // Start from the better of the main ring's centroid and the box centre: often already
  // close, so fewer cells survive the first cut.
  Cell best = makeCell(rings, {(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2}, 0);
  if (finite(rings.centroid)) {
    const Cell c = makeCell(rings, rings.centroid, 0);
    if (c.distance > best.distance) best = c;
  }
  size_t examined = queue.size();
  while (!queue.empty() && examined < kMaxCells) {
    const Cell c = queue.top();
    queue.pop();
    if (c.distance > best.distance) best = c;
    // Cells come out in order of their bound: when this one cannot beat the best by more
    // than the tolerance, none of the rest can.
    if (c.bound - best.distance <= tolerance) break;
    const double h = c.half / 2;
    for (const Vec2 d : {Vec2{-h, -h}, Vec2{h, -h}, Vec2{-h, h}, Vec2{h, h}})
      queue.push(makeCell(rings, {c.centre.x + d.x, c.centre.y + d.y}, h));
    examined += 4;
  }
  pole.point = best.centre;
  pole.distance = std::max(best.distance, 0.0);
  return pole;
}

}  // namespace bcmap
