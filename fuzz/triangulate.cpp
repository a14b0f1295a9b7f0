// Harness: the ear-clipping triangulator (geometry/Triangulate.h, triangulatePolygon) on
// rings made from bytes, and the even-odd fill (EvenOddFill.h) it hands crossing rings to.
// Its promise: any rings (self-touching, crossing, NaN, holes outside) give triangles whose
// indices lie in the rings or, with room for added vertices, among the finite corners it
// added, and it never crashes or loops.
//
// Input: byte 0 picks the ring count (1..4, low 2 bits), the coordinate form (bit 2: 0 =
// signed bytes on a small grid, so duplicates and collinear runs are common; 1 = raw floats,
// NaN, infinities and denormals included), room for added vertices (bit 3: the even-odd fill
// of crossing rings may run), and a base index near 2^32 (bit 7: the misuse path, where the
// indices would not fit). Then one byte per ring but the last: that ring's
// vertex count; the last ring takes the rest. At most kMaxVertices vertices: the clipper is
// quadratic at worst, and a run should find bugs rather than time that case (issue 12
// measures large rings separately).
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "FuzzSupport.h"
#include "geometry/Triangulate.h"

namespace {
constexpr size_t kMaxVertices = 2000;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bcmap::fuzz::ByteReader in(data, size);
  const uint8_t head = in.byte();
  const size_t ringCount = 1 + (head & 3u);
  const bool floats = (head & 4u) != 0;
  const bool room = (head & 8u) != 0;
  const uint32_t baseIndex = (head & 0x80u) ? UINT32_MAX - 1000u : in.byte();
  std::vector<size_t> sizes;
  for (size_t r = 0; r + 1 < ringCount; ++r) sizes.push_back(in.byte());
  const size_t bytesPerVertex = floats ? 8 : 2;
  size_t used = 0;
  for (size_t s : sizes) used += s;
  sizes.push_back(in.left() / bytesPerVertex > used ? in.left() / bytesPerVertex - used : 0);

  std::vector<std::vector<bcmap::Vec2>> rings;
  size_t total = 0;
  for (size_t s : sizes) {
    std::vector<bcmap::Vec2> ring;
    for (size_t v = 0; v < s && total < kMaxVertices; ++v, ++total) {
      if (floats) {
        const float x = in.pod<float>(), y = in.pod<float>();
        ring.push_back({x, y});
      } else {
        const auto x = static_cast<int8_t>(in.byte()), y = static_cast<int8_t>(in.byte());
        ring.push_back({x * 0.5, y * 0.5});
      }
    }
    rings.push_back(std::move(ring));
  }
  std::vector<std::span<const bcmap::Vec2>> spans(rings.begin(), rings.end());
  std::vector<uint32_t> out = {7};  // appended to, never replaced
  // Added corners are numbered after the rings, where that fits in 32 bits.
  std::vector<bcmap::Vec2> added = {{1, 2}};  // appended to, never replaced
  const uint64_t firstAdded = uint64_t{baseIndex} + total;
  bcmap::AddedVertices where;
  if (room && firstAdded <= UINT32_MAX) where = {&added, static_cast<uint32_t>(firstAdded)};
  const bool ok = bcmap::triangulatePolygon(spans, baseIndex, out, where);
  BCMAP_FUZZ_CHECK(out.size() % 3 == 1 && out[0] == 7);
  if (!ok) {
    BCMAP_FUZZ_CHECK(out.size() == 1);
    BCMAP_FUZZ_CHECK(uint64_t{baseIndex} + total > UINT32_MAX);  // the one misuse it may refuse
    return 0;
  }
  BCMAP_FUZZ_CHECK(added.size() >= 1 && added[0].x == 1 && added[0].y == 2);
  BCMAP_FUZZ_CHECK(where.xy || added.size() == 1);
  for (size_t i = 1; i < added.size(); ++i) {
    BCMAP_FUZZ_CHECK(std::isfinite(added[i].x) && std::isfinite(added[i].y));
  }
  for (size_t i = 1; i < out.size(); ++i) {
    BCMAP_FUZZ_CHECK(out[i] >= baseIndex);
    const bool own = out[i] - baseIndex < total;
    // An added corner: after the rings, past the entry that was there before.
    const bool corner = where.xy && out[i] - firstAdded >= 1 && out[i] - firstAdded < added.size();
    BCMAP_FUZZ_CHECK(own || corner);
  }
  return 0;
}
