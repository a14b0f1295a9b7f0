// EvenOddFill (see EvenOddFill.h). Sections:
//   1. edges and predicates
//   2. gathering the edges, and the crossing search (a sweep over x)
//   3. the slabs: walking each one upwards, merging trapezoids, emitting triangles

#include "geometry/EvenOddFill.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bcmap {
namespace {

// ---------------------------------------------------------------------------------------
// 1. Edges and predicates

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
// A crossing found costs this many steps of the budget, not one: it adds a slab, whose walk
// sorts at least the two edges, and corners; so a budget spent on crossings leaves their
// list (8 bytes each) no bigger than the work itself.
constexpr int64_t kWorkPerCrossing = 8;
// The corners are indexed in 32 bits, four a trapezoid.
constexpr size_t kMaxCorners = std::numeric_limits<uint32_t>::max() - 4;

double cross(Vec2 o, Vec2 a, Vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

bool opposite(double u, double v) { return (u > 0 && v < 0) || (u < 0 && v > 0); }

bool sameXY(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }

// The y at x of the edge from a to b (a.x < b.x), its own end exactly at either end. The one
// formula every corner is computed with: two trapezoids that share a corner get the same
// bits for it.
double yAt(Vec2 a, Vec2 b, double x) {
  if (x <= a.x) return a.y;
  if (x >= b.x) return b.y;
  const double t = (x - a.x) / (b.x - a.x);
  return a.y + t * (b.y - a.y);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// 2. Gathering the edges, and the crossing search

EvenOddFill::EvenOddFill(std::span<const std::span<const Vec2>> rings, int64_t work)
    : ringCount_(rings.size()), work_(work) {
  Bounds box;
  size_t vertexCount = 0;
  for (const auto& ring : rings) vertexCount += ring.size();
  edges_.reserve(vertexCount);
  for (size_t r = 0; r < rings.size(); ++r) {
    // Each finite vertex to the next one, and the last back to the first (a zero-length
    // edge where the ring is closed already).
    const Vec2* first = nullptr;
    const Vec2* prev = nullptr;
    auto addEdge = [&](Vec2 p, Vec2 q) {
      if (sameXY(p, q)) return;
      edges_.push_back({p.x <= q.x ? p : q, p.x <= q.x ? q : p, static_cast<uint32_t>(r)});
    };
    for (const Vec2& v : rings[r]) {
      if (!std::isfinite(v.x) || !std::isfinite(v.y)) continue;
      box.add(v.x, v.y);
      if (prev) addEdge(*prev, v);
      else first = &v;
      prev = &v;
    }
    if (prev) addEdge(*prev, *first);
  }
  // Every product below is of two coordinate differences; past this they overflow, and a
  // NaN in the sort's keys would break the ordering.
  if (!box.empty() && !std::isfinite(4 * box.width() * box.height())) {
    crossings_ = EdgeCrossings::OverBudget;
    edges_.clear();
    return;
  }
  work_ -= static_cast<int64_t>(edges_.size());
  sortEdges(box.minX, box.maxX);
  findCrossings();
}

// Sorts the edges by left end, once: the crossing search and the slabs both sweep in this
// order. A bucket sort: one bucket an edge on average over the x range, the edges moved into
// them in one pass, then each bucket sorted on its own (std::sort, so a crowded bucket costs
// n log n at worst). Real rings spread their vertices over x, so this is about three passes
// over the edges where a comparison sort of the whole makes log n: it keeps the check of
// valid polygons, which every clipped polygon goes through, cheap.
void EvenOddFill::sortEdges(double minX, double maxX) {
  const size_t n = edges_.size();
  if (n < 2) return;
  const double scale = maxX > minX ? static_cast<double>(n - 1) / (maxX - minX) : 0;
  auto bucketOf = [&](const Edge& e) {
    // Clamped: rounding may put the right end a hair past n - 1.
    return std::min(static_cast<size_t>((e.a.x - minX) * scale), n - 1);
  };
  std::vector<uint32_t> start(n + 1, 0);
  for (const Edge& e : edges_) ++start[bucketOf(e) + 1];
  for (size_t b = 0; b < n; ++b) start[b + 1] += start[b];
  std::vector<Edge> sorted(n);
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const Edge& e : edges_) sorted[next[bucketOf(e)]++] = e;
  const auto before = [](const Edge& p, const Edge& q) { return p.a.x < q.a.x; };
  for (size_t b = 0; b < n; ++b) {
    if (start[b + 1] - start[b] > 1) {
      std::sort(sorted.begin() + start[b], sorted.begin() + start[b + 1], before);
    }
  }
  edges_.swap(sorted);
}

// A sweep over x: edges in the order of their left ends, each tested against the edges still
// open there (whose right ends lie at or past its left end) whose y ranges meet its own.
// Linear in the pairs of edges that overlap in x, each a step of the budget.
void EvenOddFill::findCrossings() {
  // The open edges are copied in with their y ranges, so the inner loop reads them in a
  // row rather than from wherever they lie in edges_.
  struct Open {
    Vec2 a, b;
    double low, high;
  };
  std::vector<Open> open;
  for (const Edge& e : edges_) {
    const Open mine{e.a, e.b, std::min(e.a.y, e.b.y), std::max(e.a.y, e.b.y)};
    size_t kept = 0;
    for (size_t k = 0; k < open.size(); ++k) {
      const Open f = open[k];
      if (f.b.x < e.a.x) continue;  // ended left of e: no later edge meets it either
      open[kept++] = f;
      if (--work_ < 0) {
        crossings_ = EdgeCrossings::OverBudget;
        return;
      }
      if (std::max(f.low, mine.low) > std::min(f.high, mine.high)) continue;
      const double d1 = cross(e.a, e.b, f.a);
      const double d2 = cross(e.a, e.b, f.b);
      if (!opposite(d1, d2) || !opposite(cross(f.a, f.b, e.a), cross(f.a, f.b, e.b))) continue;
      crossings_ = EdgeCrossings::Some;
      work_ -= kWorkPerCrossing;
      // Where f meets the line through e, kept within both edges' x ranges (rounding).
      const double x = f.a.x + (f.b.x - f.a.x) * (d1 / (d1 - d2));
      if (std::isfinite(x)) {
        crossingX_.push_back(std::clamp(x, std::max(e.a.x, f.a.x), std::min(e.b.x, f.b.x)));
      }
    }
    open.resize(kept);
    open.push_back(mine);
  }
}

// ---------------------------------------------------------------------------------------
// 3. The slabs

// Emits the trapezoid between edges lo (below) and hi (above) from x0 to x1: two triangles,
// one where the two edges meet at an end.
void EvenOddFill::closeRun(uint32_t lo, uint32_t hi, double x0, double x1, std::vector<Vec2>& xy,
                           std::vector<uint32_t>& triangles) const {
  const Edge& l = edges_[lo];
  const Edge& h = edges_[hi];
  const Vec2 p0{x0, yAt(l.a, l.b, x0)};
  const Vec2 p1{x1, yAt(l.a, l.b, x1)};
  const Vec2 p2{x1, yAt(h.a, h.b, x1)};
  const Vec2 p3{x0, yAt(h.a, h.b, x0)};
  const bool right = !sameXY(p1, p2);
  const bool left = !sameXY(p0, p3);
  if (!right && !left) return;  // no height at either end: nothing to fill
  const uint32_t first = static_cast<uint32_t>(xy.size());
  xy.push_back(p0);
  xy.push_back(p1);
  uint32_t i2 = first + 1;
  if (right) {
    xy.push_back(p2);
    i2 = first + 2;
    triangles.insert(triangles.end(), {first, first + 1, i2});
  }
  if (left) {
    xy.push_back(p3);
    triangles.insert(triangles.end(), {first, i2, static_cast<uint32_t>(xy.size() - 1)});
  }
}

bool EvenOddFill::fill(std::vector<Vec2>& xy, std::vector<uint32_t>& triangles) {
  if (crossings_ == EdgeCrossings::OverBudget) return false;

  std::vector<double> xs(crossingX_);
  xs.reserve(xs.size() + 2 * edges_.size());
  std::vector<uint32_t> starts;  // the edges that span slabs (not vertical), by left end
  for (uint32_t i = 0; i < edges_.size(); ++i) {
    xs.push_back(edges_[i].a.x);
    xs.push_back(edges_[i].b.x);
    if (edges_[i].a.x < edges_[i].b.x) starts.push_back(i);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  const size_t xyMark = xy.size();
  const size_t triangleMark = triangles.size();
  struct Key {
    double y, slope;
    uint32_t edge;
  };
  struct Run {
    uint32_t lo, hi;
  };
  std::vector<uint32_t> active;
  std::vector<Key> keys;
  std::vector<uint8_t> parity(ringCount_, 0);
  std::vector<uint32_t> openHi(edges_.size(), kNone);  // by a run's lower edge: its upper one
  std::vector<double> openX(edges_.size(), 0);         // ... and where it began
  std::vector<uint32_t> currentHi(edges_.size(), kNone);
  std::vector<Run> previous, current;
  size_t nextStart = 0;

  for (size_t s = 0; s + 1 < xs.size(); ++s) {
    const double x0 = xs[s];
    const double x1 = xs[s + 1];
    // Halves first: the sum of two huge coordinates could overflow.
    const double middle = x0 / 2 + x1 / 2;

    // The edges spanning [x0, x1]: every end is a slab boundary, so an edge that started at
    // or before x0 and has not ended there spans the whole slab.
    active.erase(std::remove_if(active.begin(), active.end(),
                                [&](uint32_t e) { return edges_[e].b.x <= x0; }),
                 active.end());
    while (nextStart < starts.size() && edges_[starts[nextStart]].a.x <= x0) {
      active.push_back(starts[nextStart++]);
    }
    work_ -= static_cast<int64_t>(active.size()) + 1;
    if (work_ < 0 || xy.size() - xyMark > kMaxCorners) {
      xy.resize(xyMark);
      triangles.resize(triangleMark);
      crossings_ = EdgeCrossings::OverBudget;
      return false;
    }

    // Bottom to top at the slab's middle; edges that meet there (only where the middle
    // rounds onto a boundary) by slope, so the one going up to the right comes above.
    keys.clear();
    for (uint32_t e : active) {
      const Edge& edge = edges_[e];
      keys.push_back({yAt(edge.a, edge.b, middle), (edge.b.y - edge.a.y) / (edge.b.x - edge.a.x), e});
    }
    std::sort(keys.begin(), keys.end(), [](const Key& p, const Key& q) {
      if (p.y != q.y) return p.y < q.y;
      if (p.slope != q.slope) return p.slope < q.slope;
      return p.edge < q.edge;
    });

    // Walk upwards: inside the shell by its own parity and inside no hole by each hole's.
    bool inShell = false;
    size_t inHoles = 0;
    bool filled = false;
    uint32_t lo = kNone;
    for (const Key& k : keys) {
      const uint32_t ring = edges_[k.edge].ring;
      parity[ring] ^= 1;
      if (ring == 0) inShell = parity[ring] != 0;
      else if (parity[ring]) ++inHoles;
      else --inHoles;
      const bool nowFilled = inShell && inHoles == 0;
      if (nowFilled && !filled) lo = k.edge;
      if (!nowFilled && filled) current.push_back({lo, k.edge});
      filled = nowFilled;
    }
    for (const Key& k : keys) parity[edges_[k.edge].ring] = 0;  // even already: a closed ring

    // A run bounded by the same two edges as in the slab before goes on; the others end at
    // x0 (their trapezoids are emitted) or begin there.
    for (const Run& r : current) currentHi[r.lo] = r.hi;
    for (const Run& r : previous) {
      if (currentHi[r.lo] == r.hi) continue;
      closeRun(r.lo, r.hi, openX[r.lo], x0, xy, triangles);
      openHi[r.lo] = kNone;
    }
    for (const Run& r : current) {
      if (openHi[r.lo] != r.hi) {
        openHi[r.lo] = r.hi;
        openX[r.lo] = x0;
      }
      currentHi[r.lo] = kNone;
    }
    std::swap(previous, current);
    current.clear();
  }
  for (const Run& r : previous) closeRun(r.lo, r.hi, openX[r.lo], xs.back(), xy, triangles);
  return true;
}

}  // namespace bcmap
