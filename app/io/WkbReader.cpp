// WkbReader.cpp — the WKB parser behind readWkb (WkbReader.h).
#include "io/WkbReader.h"

#include <cmath>
#include <cstring>

namespace bcmap {
namespace {

// Keeps x and y only; nested collections are followed kMaxDepth deep.
class WkbReader {
 public:
  WkbReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}

  WkbStatus read(GeometryScratch& out) {
    GeometryKind kind = GeometryKind::None;
    const WkbStatus s = readGeometry(out, kind, 0);
    if (s == WkbStatus::Ok) out.kind = out.partRingCounts.empty() ? GeometryKind::None : kind;
    return s;
  }

 private:
  // Nesting deeper than this is not a real map geometry; it guards the recursion.
  static constexpr int kMaxDepth = 32;

  bool need(size_t n) const { return static_cast<size_t>(end_ - p_) >= n; }
  uint32_t u32() {
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return little_ ? v : __builtin_bswap32(v);
  }
  double f64() {
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    if (!little_) v = __builtin_bswap64(v);
    double d;
    std::memcpy(&d, &v, 8);
    return d;
  }

  // Reads `count` vertices of `dims` ordinates into out.xy.
  bool readVertices(GeometryScratch& out, uint32_t count, int dims) {
    const size_t stride = static_cast<size_t>(dims) * 8;
    if (count > static_cast<size_t>(end_ - p_) / stride) return false;
    for (uint32_t i = 0; i < count; ++i) {
      const double x = f64();
      const double y = f64();
      p_ += stride - 16;
      out.xy.push_back({x, y});
    }
    return true;
  }

  static GeometryKind kindOfType(uint32_t base) {
    switch (base) {
      case 1: case 4: return GeometryKind::Point;
      case 2: case 5: return GeometryKind::Line;
      case 3: case 6: case 15: case 16: case 17: return GeometryKind::Polygon;
      default: return GeometryKind::None;
    }
  }

  WkbStatus merge(GeometryKind& kind, GeometryKind sub) {
    if (sub == GeometryKind::None) return WkbStatus::Ok;
    if (kind == GeometryKind::None) kind = sub;
    return kind == sub ? WkbStatus::Ok : WkbStatus::Mixed;
  }

  WkbStatus readGeometry(GeometryScratch& out, GeometryKind& kind, int depth) {
    if (depth > kMaxDepth || !need(5)) return WkbStatus::Corrupt;
    const uint8_t order = *p_++;
    if (order > 1) return WkbStatus::Corrupt;
    little_ = order == 1;
    uint32_t type = u32();
    int dims = 2;
    if (type & 0x80000000u) ++dims;  // extended WKB: Z
    if (type & 0x40000000u) ++dims;  // extended WKB: M
    const bool hasSrid = (type & 0x20000000u) != 0;
    type &= 0x0FFFFFFFu;
    if (type >= 1000 && type < 4000) {
      const uint32_t flags = type / 1000;  // 1 Z, 2 M, 3 ZM
      dims = 2 + (flags == 3 ? 2 : 1);
      type %= 1000;
    }
    if (hasSrid) {
      if (!need(4)) return WkbStatus::Corrupt;
      p_ += 4;
    }
    if (type >= 8 && type <= 14) return WkbStatus::Curve;
    const GeometryKind own = kindOfType(type);
    switch (type) {
      case 1: {  // Point
        if (!need(static_cast<size_t>(dims) * 8)) return WkbStatus::Corrupt;
        const double x = f64();
        const double y = f64();
        p_ += static_cast<size_t>(dims - 2) * 8;
        if (!(std::isnan(x) && std::isnan(y))) {
          out.addPoint(x, y);
          return merge(kind, own);
        }
        return WkbStatus::Ok;
      }
      case 2: {  // LineString
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t n = u32();
        if (!readVertices(out, n, dims)) return WkbStatus::Corrupt;
        if (n == 0) return WkbStatus::Ok;
        out.ringSizes.push_back(n);
        out.partRingCounts.push_back(1);
        return merge(kind, own);
      }
      case 3:
      case 17: {  // Polygon, Triangle
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t rings = u32();
        uint32_t kept = 0;
        for (uint32_t r = 0; r < rings; ++r) {
          if (!need(4)) return WkbStatus::Corrupt;
          const uint32_t n = u32();
          if (!readVertices(out, n, dims)) return WkbStatus::Corrupt;
          if (n == 0) continue;
          if (kept == 0 && r != 0) {
            // The outer ring was empty: a hole without a shell cannot be drawn.
            out.xy.resize(out.xy.size() - n);
            continue;
          }
          out.ringSizes.push_back(n);
          ++kept;
        }
        if (kept == 0) return WkbStatus::Ok;
        out.partRingCounts.push_back(kept);
        return merge(kind, own);
      }
      case 4: case 5: case 6: case 7: case 15: case 16: {  // multi-geometries, collections
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t n = u32();
        for (uint32_t i = 0; i < n; ++i) {
          const bool outerLittle = little_;
          GeometryKind sub = GeometryKind::None;
          const WkbStatus s = readGeometry(out, sub, depth + 1);
          little_ = outerLittle;
          if (s != WkbStatus::Ok) return s;
          if (merge(kind, sub) != WkbStatus::Ok) return WkbStatus::Mixed;
        }
        return WkbStatus::Ok;
      }
      default: return WkbStatus::Corrupt;
    }
  }

  const uint8_t* p_;
  const uint8_t* end_;
  bool little_ = true;
};

}  // namespace

WkbStatus readWkb(const uint8_t* data, size_t size, GeometryScratch& out) {
  return WkbReader(data, size).read(out);
}

}  // namespace bcmap
