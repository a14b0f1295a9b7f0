// Triangulate: ear clipping after the earcut idea (Mapbox's earcut.js describes it; this
// is an independent implementation of the same steps, in double precision).
//
// Sections:
//   1. ring nodes and geometric predicates
//   2. EarClipper: building rings, bridging holes, z-order index
//   3. EarClipper: the clipping loop and its fallbacks (filter, cure, split)
//   4. the fallback for polygons that ear clipping cannot do in near-linear time: the fill
//      from a simplified outline
//   5. the check of the clipped fill, and the even-odd fill (EvenOddFill.cpp) where it fails
//   6. triangulatePolygon (triangulateColumn, the walk over a GeometryColumn's offsets, is in
//      TriangulateColumn.cpp)
//
// Conventions: the outer ring is linked counter-clockwise (x east, y north) and holes
// clockwise, so after bridging the single ring has the polygon's interior on its left.
// orient(a, b, c) > 0 means a left (convex) turn.

#include "geometry/Triangulate.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

#include "geometry/EvenOddFill.h"
#include "geometry/Simplify.h"
#include "model/Log.h"

namespace bcmap {
namespace {

// ---------------------------------------------------------------------------------------
// 1. Ring nodes and geometric predicates

// A vertex of a ring being clipped. A ring is a circular doubly linked list; while
// clipping a big ring, prevZ/nextZ order its vertices along a z-order curve so the ear test
// visits only vertices whose keys fall in the ear's bounding box.
struct Node {
  double x = 0, y = 0;
  uint32_t index = 0;  // position in the polygon's rings laid end to end
  uint32_t z = 0;
  Node* prev = nullptr;
  Node* next = nullptr;
  Node* prevZ = nullptr;
  Node* nextZ = nullptr;
  uint32_t chunk = 0;    // while holes are bridged: the chunk (see Chunk) it belongs to
  uint64_t queuedAt = 0;  // while clipping: its latest place in the queue of vertices to test
  bool steiner = false;  // a one-point hole: kept even where it looks collinear
  bool removed = false;
};

// While holes are bridged, the ring is cut into chunks of consecutive nodes with the
// bounding box of the edges leaving them, so a bridge search reads a few boxes instead of
// every edge of a ring that grows with each hole (water-huge3: 1,443 holes). A chunk is
// [head, stop) in ring order; head and stop may since have been removed, in which case
// their next pointers still lead forward to the live ring.
struct Chunk {
  Node* head = nullptr;
  Node* stop = nullptr;
  Bounds box;
  bool wholeRing = false;  // head == stop means the whole ring, not an empty chunk
};

// Nodes a chunk: small enough that a chunk whose box is hit costs little to read, large
// enough that the boxes are few.
constexpr int kChunkSize = 16;
// Rings of more vertices than this use the z-order index; below it a plain scan of the
// ring is cheaper than sorting (earcut's cut-off, 80 vertices).
constexpr size_t kHashMinVertices = 80;
// Z-order keys quantise each axis to 15 bits so two interleave into 30 (earcut's grid).
constexpr double kZGridMax = 32767.0;
// The split fallback is cubic in the worst case (pairs of vertices times a scan of the
// ring). Real rings use a tiny part of this; a pathological one (10,000 random points)
// gives up after well under a second on this machine instead of hanging the caller.
constexpr int64_t kSplitWorkBudget = 100'000'000;
// The ear tests' budget: one a test and one a vertex its z-order scan visits, a fixed part
// plus a part per vertex. Ear clipping is quadratic at worst. The queue of clipRing keeps
// dense, nearly collinear rings near-linear (a circle of a million vertices with 1e-7 of
// noise: 12 a vertex), but spiky rings still climb (a comb of teeth one vertex wide: 300 a
// vertex at 10,000 vertices, 3,000 at 100,000). The rings of the tests use less: the earcut
// corpus at most 225 a vertex (water-huge3's 12,864 vertices, 1,443 holes: inside the fixed
// part), random-walk coastlines 11 to 70. A polygon over budget is filled from a simplified
// outline instead (section 4), so the work stays linear in the vertices.
constexpr int64_t kEarWorkBase = 4'000'000;
constexpr int64_t kEarWorkPerVertex = 64;
// Past a quarter of a million vertices each further vertex adds a quarter as much: a ring
// that big which the clipper cannot finish is filled from its simplified outline (at most
// kSimplifiedVertices, more than a screen can show of it), and the full budget spent first
// was most of the time of rendering one (a million nearly collinear vertices: 5.5 s of ear
// tests before the fallback, 9 s for the whole `bcmap render`). A circle of a million
// vertices (12 a vertex) stays well inside.
constexpr int64_t kEarWorkFullVertices = 262'144;
constexpr int64_t kEarWorkPerVertexBeyond = 16;

int64_t earWorkBudget(size_t vertexCount) {
  const int64_t n = static_cast<int64_t>(vertexCount);
  return kEarWorkBase + kEarWorkPerVertex * std::min(n, kEarWorkFullVertices) +
         kEarWorkPerVertexBeyond * std::max<int64_t>(0, n - kEarWorkFullVertices);
}
// The fallback's outlines: at most this many vertices at first, a quarter as many at each
// further try, and no try below the last (a ring that still cannot be clipped is left
// unfilled, its outline drawn).
constexpr size_t kSimplifiedVertices = 65536;
constexpr size_t kSimplifiedVerticesLast = 64;

// Twice the signed area of triangle abc, as the cross product of the two edges that meet
// at b: > 0 for a left turn at b. Taking it at b (not at a) matters for rounding: a
// vertex a hair's breadth off the line through its neighbours must come out collinear the
// same way whichever neighbour is far away.
double orient(double ax, double ay, double bx, double by, double cx, double cy) {
  return (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
}

double orient(const Node* a, const Node* b, const Node* c) {
  return orient(a->x, a->y, b->x, b->y, c->x, c->y);
}

bool sameXY(const Node* a, const Node* b) { return a->x == b->x && a->y == b->y; }

int signOf(double v) { return (v > 0) - (v < 0); }

// Whether (px, py) lies in the counter-clockwise triangle abc or on its boundary.
// Each edge is taken relative to p, so p's three tests round alike.
bool inTriangle(double ax, double ay, double bx, double by, double cx, double cy, double px,
                double py) {
  return (ax - px) * (by - py) - (bx - px) * (ay - py) >= 0 &&
         (bx - px) * (cy - py) - (cx - px) * (by - py) >= 0 &&
         (cx - px) * (ay - py) - (ax - px) * (cy - py) >= 0;
}

// Whether p adds nothing to the ring's shape: it repeats its successor, or lies on the
// line through its neighbours.
bool isRedundant(const Node* p) {
  return p != p->next && !p->steiner &&
         (sameXY(p, p->next) || orient(p->prev, p, p->next) == 0);
}

// The first live node from p on: a removed node's next pointer still leads forward.
Node* liveForward(Node* p) {
  while (p->removed) p = p->next;
  return p;
}

// For collinear p, q, r: whether q lies within the bounding box of segment pr.
bool onSegment(const Node* p, const Node* q, const Node* r) {
  return q->x <= std::max(p->x, r->x) && q->x >= std::min(p->x, r->x) &&
         q->y <= std::max(p->y, r->y) && q->y >= std::min(p->y, r->y);
}

enum class Touching { Counts, Ignored };

// Whether segments p1q1 and p2q2 meet: crossing, or also touching (an end on the other
// segment, or collinear overlap) when `touching` counts.
bool intersects(const Node* p1, const Node* q1, const Node* p2, const Node* q2,
                Touching touching = Touching::Counts) {
  const int o1 = signOf(orient(p1, q1, p2));
  const int o2 = signOf(orient(p1, q1, q2));
  const int o3 = signOf(orient(p2, q2, p1));
  const int o4 = signOf(orient(p2, q2, q1));
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  if (touching == Touching::Ignored) return false;
  if (o1 != o2 && o3 != o4) return true;
  if (o1 == 0 && onSegment(p1, p2, q1)) return true;
  if (o2 == 0 && onSegment(p1, q2, q1)) return true;
  if (o3 == 0 && onSegment(p2, p1, q2)) return true;
  if (o4 == 0 && onSegment(p2, q1, q2)) return true;
  return false;
}

// Whether the segment from a towards b starts into the interior wedge at corner a.
bool locallyInside(const Node* a, const Node* b) {
  if (orient(a->prev, a, a->next) > 0) {  // convex corner: left of both edges
    return orient(a->prev, a, b) >= 0 && orient(a, a->next, b) >= 0;
  }
  return orient(a->prev, a, b) > 0 || orient(a, a->next, b) > 0;  // reflex: left of one
}

// Even-odd test of the midpoint of ab against the ring through a.
bool middleInside(const Node* a, const Node* b, int64_t& work) {
  const double mx = (a->x + b->x) / 2;
  const double my = (a->y + b->y) / 2;
  bool inside = false;
  const Node* p = a;
  do {
    const Node* q = p->next;
    if ((p->y > my) != (q->y > my)) {
      const double crossX = p->x + (my - p->y) * (q->x - p->x) / (q->y - p->y);
      if (mx < crossX) inside = !inside;
    }
    --work;
    p = q;
  } while (p != a);
  return inside;
}

// Whether segment ab crosses or touches an edge of the ring that does not end at a or b
// (or at their copies made by earlier bridges, which share the index).
bool intersectsRing(const Node* a, const Node* b, int64_t& work) {
  const Node* p = a;
  do {
    const Node* q = p->next;
    if (p->index != a->index && q->index != a->index && p->index != b->index &&
        q->index != b->index && intersects(p, q, a, b)) {
      return true;
    }
    --work;
    p = q;
  } while (p != a);
  return false;
}

// Whether the interior wedge at p lies inside the wedge at m (they share a location):
// used to pick among several vertices at one spot the one a bridge may attach to.
bool sectorContainsSector(const Node* m, const Node* p) {
  return orient(m->prev, m, p->prev) > 0 && orient(p->next, m, m->next) > 0;
}

// Whether the diagonal ab lies inside the ring, so the ring may be cut along it.
bool isValidDiagonal(const Node* a, const Node* b, int64_t& work) {
  if (a->next->index == b->index || a->prev->index == b->index) return false;
  // A zero-length diagonal between two reflex copies of one point (a self-touching ring)
  // cuts the ring at the touch.
  const bool touch = sameXY(a, b) && orient(a->prev, a, a->next) < 0 &&
                     orient(b->prev, b, b->next) < 0;
  if (!touch) {
    const bool visible = locallyInside(a, b) && locallyInside(b, a);
    // A diagonal collinear with both edges at b would leave two wedges facing apart.
    const bool facesApart = orient(a->prev, a, b->prev) == 0 && orient(a, b->prev, b) == 0;
    if (!visible || facesApart || !middleInside(a, b, work)) return false;
  }
  return !intersectsRing(a, b, work);
}

Node* leftmostOf(Node* start) {
  Node* best = start;
  for (Node* p = start->next; p != start; p = p->next) {
    if (p->x < best->x || (p->x == best->x && p->y < best->y)) best = p;
  }
  return best;
}

uint32_t spreadBits(uint32_t v) {
  v = (v | (v << 8)) & 0x00FF00FFu;
  v = (v | (v << 4)) & 0x0F0F0F0Fu;
  v = (v | (v << 2)) & 0x33333333u;
  v = (v | (v << 1)) & 0x55555555u;
  return v;
}

// ---------------------------------------------------------------------------------------
// 2. EarClipper: building rings, bridging holes, z-order index

class EarClipper {
 public:
  // `indexMap`, when given, maps a vertex's position in `rings` laid end to end to the index
  // emitted (a simplified outline's vertices are a subset of the polygon's).
  EarClipper(std::vector<uint32_t>& out, uint32_t baseIndex, size_t vertexCount,
             const uint32_t* indexMap = nullptr)
      : out_(out),
        base_(baseIndex),
        indexMap_(indexMap),
        earWork_(earWorkBudget(vertexCount)) {}

  void run(std::span<const std::span<const Vec2>> rings);
  // Whether the ear tests ran out of budget: the triangles emitted then fill only part of
  // the polygon.
  bool exhausted() const { return exhausted_; }
  // Twice the area of the triangles emitted, each taken as positive.
  double emittedTwiceArea() const { return emittedTwiceArea_; }
  // The holes (positions in `rings`) left out because they lie outside the ring.
  const std::vector<size_t>& skippedHoles() const { return skippedHoles_; }

 private:
  Node* makeNode(uint32_t index, double x, double y);
  void unlink(Node* p);
  Node* filterRange(Node* start, Node* end);
  Node* filterRing(Node* start, size_t* removed = nullptr);
  Node* linkRing(std::span<const Vec2> ring, uint32_t firstIndex, bool counterClockwise);
  Node* splitPolygon(Node* a, Node* b);
  Node* eliminateHoles(std::span<const std::span<const Vec2>> rings, Node* outer);
  Node* bridgeHole(Node* hole, Node* outer);
  void indexChunks(Node* first, Node* stop);
  template <typename Visit>
  void visitChunk(Chunk& chunk, Visit&& visit);
  Node* findBridge(Node* hole, Node* outer);
  bool outsideRing(const Node* hole);
  uint32_t zKey(double x, double y) const;
  void indexCurve(Node* start);

  void clipRing(Node* ear, std::vector<Node*>& pending);
  bool isEar(const Node* ear);
  bool isEarHashed(const Node* ear);
  Node* cureLocalIntersections(Node* start);
  void splitRing(Node* start, std::vector<Node*>& pending);
  void emit(const Node* a, const Node* b, const Node* c);

  std::deque<Node> pool_;  // a deque keeps node addresses stable as it grows
  std::vector<Node*> scratch_;
  std::vector<Chunk> chunks_;
  bool chunked_ = false;  // while holes are bridged
  std::vector<uint32_t>& out_;
  uint32_t base_;
  const uint32_t* indexMap_;
  int64_t earWork_;
  bool exhausted_ = false;
  bool hashed_ = false;
  double minX_ = 0, minY_ = 0, zScale_ = 0;
  int64_t splitWork_ = kSplitWorkBudget;
  bool warnedBudget_ = false;
  double emittedTwiceArea_ = 0;
  std::vector<size_t> skippedHoles_;
};

Node* EarClipper::makeNode(uint32_t index, double x, double y) {
  Node& n = pool_.emplace_back();
  n.index = index;
  n.x = x;
  n.y = y;
  return &n;
}

void EarClipper::unlink(Node* p) {
  p->next->prev = p->prev;
  p->prev->next = p->next;
  if (p->prevZ) p->prevZ->nextZ = p->nextZ;
  if (p->nextZ) p->nextZ->prevZ = p->prevZ;
  p->removed = true;  // prev/next stay as they were: callers still step from p
  // The edge from p's predecessor now reaches p's successor; its chunk must cover that.
  if (chunked_) chunks_[p->prev->chunk].box.add(p->next->x, p->next->y);
}

// Removes redundant vertices from start to end, stepping back after each removal (the
// vertex before may have become redundant) but walking no further than end, so a cut
// is tidied without a turn round the whole ring. Returns a vertex still in the ring.
Node* EarClipper::filterRange(Node* start, Node* end) {
  Node* p = start;
  for (;;) {
    if (isRedundant(p)) {
      Node* back = p->prev;
      if (p == end) end = back;
      unlink(p);
      p = back;
      continue;
    }
    if (p == end || p == p->next) return p;
    p = p->next;
  }
}

// Removes redundant vertices from the whole ring: done when a full turn after the last
// removal finds none, so a run of thousands of repeats costs one pass.
Node* EarClipper::filterRing(Node* start, size_t* removed) {
  Node* p = start;
  Node* lastChange = start;
  for (;;) {
    if (isRedundant(p)) {
      Node* back = p->prev;
      unlink(p);
      if (removed) ++*removed;
      p = lastChange = back;
      continue;
    }
    p = p->next;
    if (p == lastChange) return p;
  }
}

// Links one ring in the wanted winding, leaving out non-finite vertices and a closing
// vertex that repeats the first. Returns its last node, or null if nothing is left.
Node* EarClipper::linkRing(std::span<const Vec2> ring, uint32_t firstIndex,
                           bool counterClockwise) {
  double twiceArea = 0;
  const Vec2* prev = nullptr;
  const Vec2* first = nullptr;
  for (const Vec2& v : ring) {
    if (!std::isfinite(v.x) || !std::isfinite(v.y)) continue;
    if (prev) twiceArea += prev->x * v.y - v.x * prev->y;
    else first = &v;
    prev = &v;
  }
  if (!first) return nullptr;
  twiceArea += prev->x * first->y - first->x * prev->y;
  const bool forward = counterClockwise ? twiceArea > 0 : !(twiceArea > 0);

  Node* last = nullptr;
  auto append = [&](size_t i) {
    const Vec2& v = ring[i];
    if (!std::isfinite(v.x) || !std::isfinite(v.y)) return;
    Node* n = makeNode(firstIndex + static_cast<uint32_t>(i), v.x, v.y);
    if (!last) {
      n->prev = n->next = n;
    } else {
      n->next = last->next;
      n->prev = last;
      last->next->prev = n;
      last->next = n;
    }
    last = n;
  };
  if (forward) {
    for (size_t i = 0; i < ring.size(); ++i) append(i);
  } else {
    for (size_t i = ring.size(); i-- > 0;) append(i);
  }
  if (!last) return nullptr;
  if (last != last->next && sameXY(last, last->next)) {
    Node* closing = last;
    last = last->next;
    unlink(closing);
  }
  return last;
}

// Joins a and b by a two-way cut. If they are on one ring it becomes two rings
// (a -> b -> ... and a' -> a.next ... b.prev -> b'); if b is on a hole the hole is spliced
// into a's ring. Returns b', the copy of b.
Node* EarClipper::splitPolygon(Node* a, Node* b) {
  Node* a2 = makeNode(a->index, a->x, a->y);
  Node* b2 = makeNode(b->index, b->x, b->y);
  Node* an = a->next;
  Node* bp = b->prev;
  a->next = b;
  b->prev = a;
  a2->next = an;
  an->prev = a2;
  b2->next = a2;
  a2->prev = b2;
  bp->next = b2;
  b2->prev = bp;
  return b2;
}

Node* EarClipper::eliminateHoles(std::span<const std::span<const Vec2>> rings, Node* outer) {
  struct Hole {
    Node* leftmost;
    double x, y, direction;
    size_t ring;
  };
  std::vector<Hole> holes;
  uint32_t first = static_cast<uint32_t>(rings[0].size());
  for (size_t r = 1; r < rings.size(); ++r) {
    Node* list = linkRing(rings[r], first, false);
    first += static_cast<uint32_t>(rings[r].size());
    if (!list) continue;
    if (list == list->next) list->steiner = true;
    Node* left = leftmostOf(list);
    // Holes whose leftmost vertices coincide are bridged in counter-clockwise order of
    // their first edges, so each later one finds the earlier one's bridge at that point.
    const double direction = std::atan2(left->next->y - left->y, left->next->x - left->x);
    holes.push_back({left, left->x, left->y, direction, r});
  }
  std::stable_sort(holes.begin(), holes.end(), [](const Hole& a, const Hole& b) {
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    return a.direction < b.direction;
  });
  chunks_.clear();
  indexChunks(outer, outer);
  chunked_ = true;
  for (const Hole& h : holes) {
    if (Node* bridged = bridgeHole(h.leftmost, outer)) outer = bridged;
    else skippedHoles_.push_back(h.ring);
  }
  chunked_ = false;
  return filterRing(outer);
}

// Splits `first` up to (not including) `stop` into chunks; stop == first: the whole ring.
void EarClipper::indexChunks(Node* first, Node* stop) {
  Node* p = first;
  do {
    Chunk chunk;
    chunk.head = p;
    const uint32_t id = static_cast<uint32_t>(chunks_.size());
    int count = 0;
    do {
      p->chunk = id;
      chunk.box.add(p->x, p->y);
      chunk.box.add(p->next->x, p->next->y);
      p = p->next;
    } while (++count < kChunkSize && p != stop);
    chunk.stop = p;
    chunk.wholeRing = chunk.head == chunk.stop;
    chunks_.push_back(chunk);
  } while (p != stop);
}

// Calls visit(node) for each live node of the chunk.
template <typename Visit>
void EarClipper::visitChunk(Chunk& chunk, Visit&& visit) {
  chunk.head = liveForward(chunk.head);
  chunk.stop = liveForward(chunk.stop);
  if (chunk.head == chunk.stop && !chunk.wholeRing) return;  // all of it was filtered away
  Node* p = chunk.head;
  do {
    visit(p);
    p = p->next;
  } while (p != chunk.stop);
}

// Splices the hole into the ring through a bridge; returns a vertex of the ring, or null
// (the ring unchanged) where the hole lies outside it.
Node* EarClipper::bridgeHole(Node* hole, Node* outer) {
  Node* bridge = findBridge(hole, outer);
  if (!bridge) return nullptr;  // no outer edge to its left: the hole lies outside, skip it

  // The chunk holding the bridge vertex ends at it; what followed it becomes new chunks,
  // and so does the hole with the two bridge copies, so no chunk ever spans a splice.
  Chunk& home = chunks_[bridge->chunk];
  home.head = liveForward(home.head);
  Node* oldStop = home.wholeRing ? home.head : liveForward(home.stop);
  Node* after = bridge->next;
  Node* reverse = splitPolygon(bridge, hole);  // bridge, hole ... reverse, bridge', after
  home.stop = hole;
  home.wholeRing = false;
  home.box.add(hole->x, hole->y);
  if (after != oldStop) indexChunks(after, oldStop);
  indexChunks(hole, after);

  Node* kept = filterRange(reverse, reverse->next);
  // A degenerate hole can collapse so far that the filter eats the bridge vertex too.
  if (bridge->removed) return kept;
  return filterRange(bridge, bridge->next);
}

// Eberly's bridge: the vertex that the hole's leftmost vertex `hole` can see, found by
// casting a ray to the left. Null when the hole lies outside the ring (the ray meets no
// edge, or crosses the ring an even number of times: see outsideRing), where a bridge
// would fill the outside between them.
// `outer` is where the previous hole was bridged: holes that share their leftmost point
// come in turn, and each must attach where the one before it did.
Node* EarClipper::findBridge(Node* hole, Node* outer) {
  const double hx = hole->x;
  const double hy = hole->y;
  double hitX = -std::numeric_limits<double>::infinity();
  Node* m = nullptr;
  Node* touch = nullptr;  // a vertex on the hole point, or the left end of an edge on it

  if (sameXY(hole, outer)) return outer;  // the hole touches the ring: a zero-length bridge
  for (Chunk& chunk : chunks_) {
    const Bounds& box = chunk.box;
    if (hy < box.minY || hy > box.maxY || box.minX > hx || box.maxX <= hitX) continue;
    visitChunk(chunk, [&](Node* p) {
      if (touch) return;
      Node* q = p->next;
      if (sameXY(hole, q)) {
        touch = q;
        return;
      }
      // Edges that go down across the ray's line face the hole from its left on a
      // counter-clockwise outer ring.
      // Where the ray meets an edge; exactly its end where it passes through one, so the two
      // edges at a vertex on the ray meet it at one x (the upward one must not win by rounding).
      auto crossX = [&] {
        if (hy == p->y) return p->x;
        if (hy == q->y) return q->x;
        return p->x + (hy - p->y) * (q->x - p->x) / (q->y - p->y);
      };
      if (hy <= p->y && hy >= q->y && q->y != p->y) {
        const double x = crossX();
        if (x <= hx && x > hitX) {
          hitX = x;
          m = p->x < q->x ? p : q;
          if (x == hx) touch = m;  // the hole lies on this edge: its left end is visible
        }
      }
    });
    if (touch) return touch;
  }
  if (!m || outsideRing(hole)) return nullptr;

  // Vertices inside the triangle (hole, ray hit, m) hide m. Among them the one that
  // makes the smallest angle with the ray is visible; ties go to the nearer vertex, and
  // between copies of one location to the wedge that contains the other.
  const double mx = m->x;
  const double my = m->y;
  const double lowY = std::min(hy, my);
  const double highY = std::max(hy, my);
  double tanMin = std::numeric_limits<double>::infinity();
  for (Chunk& chunk : chunks_) {
    const Bounds& box = chunk.box;
    if (box.maxX < mx || box.minX > hx || box.maxY < lowY || box.minY > highY) continue;
    visitChunk(chunk, [&](Node* p) {
      if (!(hx >= p->x && p->x >= mx && hx != p->x)) return;
      const bool inside = hy < my ? inTriangle(hx, hy, mx, my, hitX, hy, p->x, p->y)
                                  : inTriangle(hitX, hy, mx, my, hx, hy, p->x, p->y);
      if (!inside) return;
      const double tan = std::abs(hy - p->y) / (hx - p->x);
      // A vertex on the ray whose next edge runs along the ray past the hole point is
      // fine too: the hole touches that edge, and the bridge runs along it.
      const bool alongEdge = p->y == hy && p->next->y == hy && p->next->x > hx;
      if ((locallyInside(p, hole) || alongEdge) &&
          (tan < tanMin ||
           (tan == tanMin && (p->x > m->x || (p->x == m->x && sectorContainsSector(m, p)))))) {
        m = p;
        tanMin = tan;
      }
    });
  }
  return m;
}

// Whether a hole's leftmost vertex lies outside the ring as bridged so far (the outer ring
// and the holes bridged before it): an even number of crossings to its left, counting an
// edge when one end is above the ray and the other not. A vertex on an edge counts as
// inside, as does one on the ring's vertices (touching holes are bridged as before).
bool EarClipper::outsideRing(const Node* hole) {
  const double hx = hole->x;
  const double hy = hole->y;
  bool inside = false;
  bool onEdge = false;
  for (Chunk& chunk : chunks_) {
    const Bounds& box = chunk.box;
    if (hy < box.minY || hy > box.maxY || box.minX > hx) continue;
    visitChunk(chunk, [&](Node* p) {
      const Node* q = p->next;
      if (onEdge) return;
      if (orient(p->x, p->y, q->x, q->y, hx, hy) == 0 && hx >= std::min(p->x, q->x) &&
          hx <= std::max(p->x, q->x) && hy >= std::min(p->y, q->y) &&
          hy <= std::max(p->y, q->y)) {
        onEdge = true;
        return;
      }
      if ((p->y > hy) != (q->y > hy)) {
        const double x = p->x + (hy - p->y) * (q->x - p->x) / (q->y - p->y);
        if (x < hx) inside = !inside;
      }
    });
    if (onEdge) return false;
  }
  return !inside;
}

uint32_t EarClipper::zKey(double x, double y) const {
  const double gx = std::clamp((x - minX_) * zScale_, 0.0, kZGridMax);
  const double gy = std::clamp((y - minY_) * zScale_, 0.0, kZGridMax);
  return spreadBits(static_cast<uint32_t>(gx)) | (spreadBits(static_cast<uint32_t>(gy)) << 1);
}

void EarClipper::indexCurve(Node* start) {
  scratch_.clear();
  Node* p = start;
  do {
    p->z = zKey(p->x, p->y);
    scratch_.push_back(p);
    p = p->next;
  } while (p != start);
  std::stable_sort(scratch_.begin(), scratch_.end(),
                   [](const Node* a, const Node* b) { return a->z < b->z; });
  for (size_t i = 0; i < scratch_.size(); ++i) {
    scratch_[i]->prevZ = i > 0 ? scratch_[i - 1] : nullptr;
    scratch_[i]->nextZ = i + 1 < scratch_.size() ? scratch_[i + 1] : nullptr;
  }
}

void EarClipper::run(std::span<const std::span<const Vec2>> rings) {
  if (rings.empty()) return;
  Node* outer = linkRing(rings[0], 0, true);
  if (!outer || outer->next == outer->prev) return;
  if (rings.size() > 1) outer = eliminateHoles(rings, outer);

  if (pool_.size() > kHashMinVertices) {
    Bounds box;
    for (const Node& n : pool_) box.add(n.x, n.y);
    const double size = std::max(box.width(), box.height());
    if (size > 0 && std::isfinite(size)) {
      hashed_ = true;
      minX_ = box.minX;
      minY_ = box.minY;
      zScale_ = kZGridMax / size;
    }
  }

  // Splits make more rings; a work list instead of recursion keeps deep splitting of a
  // pathological ring off the call stack.
  std::vector<Node*> pending{outer};
  while (!pending.empty() && !exhausted_) {
    Node* ring = pending.back();
    pending.pop_back();
    clipRing(ring, pending);
  }
}

// ---------------------------------------------------------------------------------------
// 3. EarClipper: the clipping loop and its fallbacks

void EarClipper::emit(const Node* a, const Node* b, const Node* c) {
  emittedTwiceArea_ += std::abs(orient(a, b, c));
  for (const Node* n : {a, b, c}) out_.push_back(base_ + (indexMap_ ? indexMap_[n->index] : n->index));
}

// Clips ears off one ring until two vertices are left. The vertices to test wait in a
// first-in first-out queue: at first the whole ring in order; the two neighbours of each ear
// clipped go to its back, and their earlier places are void. So the clipping goes round the
// ring in passes, each taking every other vertex or so, rather than fanning out from one
// vertex: a fan's ears grow with each clip until every test reads much of the ring
// (quadratic on dense, nearly collinear rings: a circle of 100,000 vertices with 1e-7 of
// noise took 10 s), and a clip is never followed by a walk round the ring to the next ear.
// When the queue runs dry after a clip somewhere, the whole ring is tested once more (a clip
// can turn a far reflex vertex convex, which frees the ears it blocked). When a whole pass
// finds no ear, it drops repeated and collinear vertices and goes on if that removed any;
// else it cures small self-intersections once, and last splits the ring in two along a
// valid diagonal (both halves go to `pending`).
void EarClipper::clipRing(Node* start, std::vector<Node*>& pending) {
  if (hashed_) indexCurve(start);
  std::vector<Node*> queue;
  uint64_t dropped = 0;  // places taken off the queue's front: a place is dropped + index
  size_t head = 0;
  auto enqueue = [&](Node* p) {
    p->queuedAt = dropped + queue.size();
    queue.push_back(p);
  };
  auto enqueueRing = [&](Node* from) {
    dropped += queue.size();
    queue.clear();
    head = 0;
    Node* p = from;
    do {
      enqueue(p);
      p = p->next;
    } while (p != from);
  };
  enqueueRing(start);
  Node* live = start;  // a vertex still in the ring
  bool cured = false;
  bool clippedSincePass = false;
  while (live->prev != live->next) {
    if (head == queue.size()) {
      // The queue ran dry: test the whole ring again if anything was clipped since the
      // last full pass, else the fallbacks.
      if (!clippedSincePass) {
        size_t removed = 0;
        live = filterRing(live, &removed);
        if (removed == 0) {
          if (cured) {
            splitRing(live, pending);
            return;
          }
          live = cureLocalIntersections(live);
          cured = true;
        }
        if (live->prev == live->next) return;
      }
      enqueueRing(live);
      clippedSincePass = false;
      continue;
    }
    if (earWork_ < 0) {
      exhausted_ = true;
      return;
    }
    const uint64_t place = dropped + head;
    Node* ear = queue[head++];
    if (head > 4096 && head * 2 > queue.size()) {  // keep the queue's memory to what waits
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head));
      dropped += head;
      head = 0;
    }
    if (ear->removed || ear->queuedAt != place) continue;  // clipped, or waiting further back
    --earWork_;
    if (hashed_ ? isEarHashed(ear) : isEar(ear)) {
      Node* prev = ear->prev;
      Node* next = ear->next;
      emit(prev, ear, next);
      unlink(ear);
      enqueue(prev);
      enqueue(next);
      live = next;
      clippedSincePass = true;
    }
  }
}

// An ear is a convex corner whose triangle holds no reflex vertex of the ring. Vertices
// at the corner a itself are let through: they are the other visits of a ring that
// touches itself there and cannot block the cut.
bool EarClipper::isEar(const Node* ear) {
  const Node* a = ear->prev;
  const Node* b = ear;
  const Node* c = ear->next;
  if (orient(a, b, c) <= 0) return false;
  const double x0 = std::min({a->x, b->x, c->x});
  const double x1 = std::max({a->x, b->x, c->x});
  const double y0 = std::min({a->y, b->y, c->y});
  const double y1 = std::max({a->y, b->y, c->y});
  for (const Node* p = c->next; p != a; p = p->next) {
    --earWork_;
    if (p->x >= x0 && p->x <= x1 && p->y >= y0 && p->y <= y1 && !sameXY(p, a) &&
        inTriangle(a->x, a->y, b->x, b->y, c->x, c->y, p->x, p->y) &&
        orient(p->prev, p, p->next) <= 0) {
      return false;
    }
  }
  return true;
}

// The same test, visiting only vertices whose z-order keys lie between those of the
// triangle's bounding-box corners, outwards from the ear in both directions.
bool EarClipper::isEarHashed(const Node* ear) {
  const Node* a = ear->prev;
  const Node* b = ear;
  const Node* c = ear->next;
  if (orient(a, b, c) <= 0) return false;
  const double x0 = std::min({a->x, b->x, c->x});
  const double x1 = std::max({a->x, b->x, c->x});
  const double y0 = std::min({a->y, b->y, c->y});
  const double y1 = std::max({a->y, b->y, c->y});
  const uint32_t minZ = zKey(x0, y0);
  const uint32_t maxZ = zKey(x1, y1);
  // The bounding-box test first: it rejects nearly everything. (a itself is let
  // through by the location test, as in isEar.)
  auto blocks = [&](const Node* p) {
    --earWork_;
    return p->x >= x0 && p->x <= x1 && p->y >= y0 && p->y <= y1 && p != c &&
           !sameXY(p, a) && inTriangle(a->x, a->y, b->x, b->y, c->x, c->y, p->x, p->y) &&
           orient(p->prev, p, p->next) <= 0;
  };
  const Node* down = ear->prevZ;
  const Node* up = ear->nextZ;
  while (down && down->z >= minZ && up && up->z <= maxZ) {
    if (blocks(down) || blocks(up)) return false;
    down = down->prevZ;
    up = up->nextZ;
  }
  for (; down && down->z >= minZ; down = down->prevZ) {
    if (blocks(down)) return false;
  }
  for (; up && up->z <= maxZ; up = up->nextZ) {
    if (blocks(up)) return false;
  }
  return true;
}

// Where the ring crosses itself between neighbours (a-p and p.next-b cross), the small
// triangle a, p, b is cut off and p, p.next dropped, which untangles the crossing.
Node* EarClipper::cureLocalIntersections(Node* start) {
  Node* p = start;
  bool cured = false;
  do {
    Node* a = p->prev;
    Node* pn = p->next;
    Node* b = pn->next;
    if (intersects(a, p, pn, b, Touching::Ignored) && locallyInside(a, b) &&
        locallyInside(b, a)) {
      emit(a, p, b);
      unlink(p);
      unlink(pn);
      p = start = b;
      cured = true;
    }
    p = p->next;
  } while (p != start);
  return cured ? filterRing(p) : p;
}

void EarClipper::splitRing(Node* start, std::vector<Node*>& pending) {
  Node* a = start;
  do {
    for (Node* b = a->next->next; b != a->prev; b = b->next) {
      if (splitWork_ <= 0) {
        if (!warnedBudget_) {
          logWarning("triangulate: gave up splitting a ring that stays without ears; part "
                     "of the polygon is left unfilled");
          warnedBudget_ = true;
        }
        return;
      }
      --splitWork_;
      if (a->index != b->index && isValidDiagonal(a, b, splitWork_)) {
        Node* c = splitPolygon(a, b);
        a = filterRange(a, a->next);
        c = filterRange(c, c->next);
        pending.push_back(c);
        pending.push_back(a);
        return;
      }
    }
    a = a->next;
  } while (a != start);
}

// ---------------------------------------------------------------------------------------
// 4. triangulatePolygon, and the fill from a simplified outline

// A polygon's rings with fewer vertices: each ring keeps its first vertex and then every vertex
// at least `step` from the last one kept (one pass, so linear), and `index` maps the kept
// vertices, laid end to end, back to their positions in the original rings. A hole that
// keeps fewer than three vertices is dropped; so is the polygon, if its outer ring does.
struct SimplifiedRings {
  std::vector<Vec2> xy;
  std::vector<uint32_t> index;
  std::vector<std::span<const Vec2>> rings;
};

SimplifiedRings simplifyRings(std::span<const std::span<const Vec2>> rings, double step) {
  SimplifiedRings s;
  std::vector<size_t> ends;
  uint32_t first = 0;
  for (size_t r = 0; r < rings.size(); ++r) {
    const size_t begin = s.xy.size();
    for (uint32_t i : thinnedPositions(rings[r], step)) {
      s.xy.push_back(rings[r][i]);
      s.index.push_back(first + i);
    }
    first += static_cast<uint32_t>(rings[r].size());
    if (s.xy.size() - begin < 3) {
      if (r == 0) return {};
      s.xy.resize(begin);
      s.index.resize(begin);
      continue;
    }
    ends.push_back(s.xy.size());
  }
  size_t begin = 0;
  for (size_t end : ends) {
    s.rings.emplace_back(s.xy.data() + begin, end - begin);
    begin = end;
  }
  return s;
}

double perimeter(std::span<const std::span<const Vec2>> rings) {
  double length = 0;
  for (const auto& ring : rings) {
    const Vec2* last = nullptr;
    for (const Vec2& v : ring) {
      if (!std::isfinite(v.x) || !std::isfinite(v.y)) continue;
      if (last) length += std::hypot(v.x - last->x, v.y - last->y);
      last = &v;
    }
  }
  return length;
}

// The fallback for a polygon whose ear clipping ran out of budget: fills it from outlines
// of at most kSimplifiedVertices vertices (a step of the perimeter over that count between
// kept vertices), then of a quarter as many at each try over budget. The fill then departs
// from the outline by up to the step: for a million-vertex coastline 1/65536 of its length,
// far below a pixel at any scale that shows the whole feature. The outline is drawn from the
// exact rings, and identify and export read them. Returns false if no try finished.
bool fillFromSimplifiedOutline(std::span<const std::span<const Vec2>> rings, size_t vertexCount,
                               uint32_t baseIndex, std::vector<uint32_t>& out) {
  const size_t mark = out.size();
  const double length = perimeter(rings);
  if (!(length > 0) || !std::isfinite(length)) return false;
  for (size_t target = std::min(kSimplifiedVertices, vertexCount / 2);
       target >= kSimplifiedVerticesLast; target /= 4) {
    const double step = length / static_cast<double>(target);
    const SimplifiedRings simple = simplifyRings(rings, step);
    if (simple.rings.empty()) return false;
    out.resize(mark);
    EarClipper clipper(out, baseIndex, simple.xy.size(), simple.index.data());
    clipper.run(simple.rings);
    if (!clipper.exhausted()) {
      logInfo("triangulate: a polygon of " + std::to_string(vertexCount) +
              " vertices is filled from its outline simplified to " +
              std::to_string(simple.xy.size()) + " vertices (kept at least " +
              std::to_string(step) + " apart); its outline, identify and export use every vertex");
      return true;
    }
  }
  out.resize(mark);
  return false;
}

// ---------------------------------------------------------------------------------------
// 5. The check of the clipped fill, and the even-odd fill where it fails

// The area check's tolerance, relative to the larger of the two areas: far above the
// rounding of sums over a million triangles (each term exact to 1e-16 of itself), far below
// a lobe anyone could see. Zero-area rings compare with an absolute floor instead, a
// fraction of the bounding box's area (that is where rounding lives for them).
constexpr double kAreaTolerance = 1e-9;
constexpr double kZeroAreaTolerance = 1e-12;

// Twice the area of a ring's finite vertices, taken relative to the first of them: rings
// far from the origin (projected metres in the millions) would otherwise lose digits.
double ringTwiceArea(std::span<const Vec2> ring, Bounds* box = nullptr) {
  const Vec2* origin = nullptr;
  const Vec2* prev = nullptr;
  double twice = 0;
  for (const Vec2& v : ring) {
    if (!std::isfinite(v.x) || !std::isfinite(v.y)) continue;
    if (box) box->add(v.x, v.y);
    if (!origin) origin = &v;
    if (prev) twice += (prev->x - origin->x) * (v.y - origin->y) - (v.x - origin->x) * (prev->y - origin->y);
    prev = &v;
  }
  return std::abs(twice);
}

// Whether the clipped triangles cover the area a correct fill has: the outer ring's less
// each hole that was bridged (a hole outside the ring was left out, and so is its area).
// Triangles of a ring clipped to the end always sum to its signed area, so this misses a
// pentagram (its centre counted twice by the winding, and twice by the triangles) but
// catches a bow-tie, whose lobes wind opposite ways, and rings the clipper gave up on.
bool areaMatches(std::span<const std::span<const Vec2>> rings, const EarClipper& clipper) {
  if (rings.empty()) return true;
  Bounds box;
  double expected = ringTwiceArea(rings[0], &box);
  std::vector<bool> skipped(rings.size(), false);
  for (size_t r : clipper.skippedHoles()) skipped[r] = true;
  for (size_t r = 1; r < rings.size(); ++r) {
    if (!skipped[r]) expected -= ringTwiceArea(rings[r]);
  }
  const double filled = clipper.emittedTwiceArea();
  const double floor = box.empty() ? 0 : kZeroAreaTolerance * box.width() * box.height();
  return std::abs(filled - expected) <=
         kAreaTolerance * std::max(std::abs(expected), filled) + floor;
}

// Replaces the clipped triangles from `mark` on by the even-odd fill if the check finds
// them wrong. The fill's own budget is the clipper's: linear in the vertices.
void refillIfWrong(std::span<const std::span<const Vec2>> rings, size_t vertexCount,
                   const EarClipper& clipper, AddedVertices added, size_t mark,
                   std::vector<uint32_t>& out) {
  const bool areaRight = areaMatches(rings, clipper);
  EvenOddFill evenOdd(rings, earWorkBudget(vertexCount));
  const EdgeCrossings crossings = evenOdd.crossings();
  // Crossings not searched to the end, with the area right: most likely valid, and there is
  // no budget left to fill it otherwise anyway.
  if (areaRight && crossings != EdgeCrossings::Some) return;
  std::vector<Vec2> xy;
  std::vector<uint32_t> triangles;
  if (!evenOdd.fill(xy, triangles)) {
    logWarning("triangulate: a polygon of " + std::to_string(vertexCount) +
               " vertices whose rings cross cannot be filled by the even-odd rule within its "
               "work budget (or its coordinates overflow); it keeps the ear clipper's fill, "
               "which may overlap or miss parts");
    return;
  }
  const uint64_t first = uint64_t{added.firstIndex} + added.xy->size();
  if (first + xy.size() > uint64_t{std::numeric_limits<uint32_t>::max()} + 1) {
    logWarning("triangulate: the even-odd fill of a polygon of " + std::to_string(vertexCount) +
               " vertices would need indices past 32 bits; it keeps the ear clipper's fill");
    return;
  }
  out.resize(mark);
  out.reserve(mark + triangles.size());
  for (uint32_t i : triangles) out.push_back(static_cast<uint32_t>(first + i));
  added.xy->insert(added.xy->end(), xy.begin(), xy.end());
}

}  // namespace

// ---------------------------------------------------------------------------------------
// 6. triangulatePolygon

bool triangulatePolygon(std::span<const std::span<const Vec2>> rings, uint32_t baseIndex,
                        std::vector<uint32_t>& out, AddedVertices added) {
  uint64_t total = 0;
  for (const auto& ring : rings) total += ring.size();
  if (uint64_t{baseIndex} + total > uint64_t{std::numeric_limits<uint32_t>::max()} + 1) {
    return false;
  }
  const size_t mark = out.size();
  EarClipper clipper(out, baseIndex, total);
  clipper.run(rings);
  if (!clipper.exhausted()) {
    if (added.xy) refillIfWrong(rings, total, clipper, added, mark, out);
    return true;
  }
  // Over budget: what was clipped so far is a correct part of the fill, kept only if the
  // simplified outline cannot be filled either.
  std::vector<uint32_t> partial(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end());
  out.resize(mark);
  if (fillFromSimplifiedOutline(rings, total, baseIndex, out)) return true;
  out.insert(out.end(), partial.begin(), partial.end());
  logWarning("triangulate: a polygon of " + std::to_string(total) +
             " vertices could not be filled in time, even from a simplified outline; part of "
             "it is left unfilled (its outline is drawn)");
  return true;
}

}  // namespace bcmap
