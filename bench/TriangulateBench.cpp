// Triangulation of single big polygons (issue 12: work per feature near-linear in its size):
// dense, nearly collinear rings (a shore traced at high resolution), a random-walk coastline,
// a comb of one-vertex teeth (the ring ear clipping cannot do in linear time, filled from
// a simplified outline), and a ladder of bow-ties (a ring crossing itself at every other
// vertex: the even-odd fill). Each is triangulated as the renderer's column does it, with
// room for the even-odd fill's corners, so the valid rings' times include the check that
// sends crossing rings there (--ear-only: without that room, the ear clipper alone, as
// before the even-odd fill). Medians printed, nothing written:
//   $(BUILD)/bench/bcmap_triangulate_bench [--runs N] [--vertices N] [--ear-only]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "BenchUtil.h"
#include "geometry/Triangulate.h"

namespace {

using bcmap::Vec2;
using Ring = std::vector<Vec2>;

// A circle of n vertices, each moved off it by Gaussian noise of `noise` (radius 1).
Ring noisyCircle(size_t n, double noise) {
  std::mt19937 rng(11);
  std::normal_distribution<double> jitter(0, noise);
  Ring ring(n);
  for (size_t i = 0; i < n; ++i) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
    const double r = 1 + jitter(rng);
    ring[i] = {120 + r * std::cos(angle), 45 + r * std::sin(angle)};
  }
  return ring;
}

// A coastline: the radius walks randomly (steps of 2e-4, kept within 0.5..1.5).
Ring walkingCoast(size_t n) {
  std::mt19937 rng(3);
  std::normal_distribution<double> step(0, 2e-4);
  Ring ring(n);
  double r = 1;
  for (size_t i = 0; i < n; ++i) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
    r = std::clamp(r + step(rng), 0.5, 1.5);
    ring[i] = {120 + r * std::cos(angle), 45 + r * std::sin(angle)};
  }
  return ring;
}

// Teeth one vertex wide above and below a strip.
Ring comb(size_t n) {
  Ring ring;
  const size_t half = n / 2;
  for (size_t i = 0; i < half; ++i) ring.push_back({double(i), (i % 2) ? 1.0 : 0.0});
  for (size_t i = 0; i < half; ++i) ring.push_back({double(half - 1 - i), (i % 2) ? 3.0 : 4.0});
  return ring;
}

// A zigzag out along y = +-1 and its mirror image back: the two cross at every half unit.
Ring ladder(size_t n) {
  Ring ring;
  const size_t units = n / 2 - 1;
  for (size_t i = 0; i <= units; ++i) ring.push_back({double(i), (i % 2) ? 1.0 : -1.0});
  for (size_t i = units + 1; i-- > 0;) ring.push_back({double(i), (i % 2) ? -1.0 : 1.0});
  return ring;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  size_t vertices = 1'000'000;
  bool earOnly = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--ear-only")) earOnly = true;
  }
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--vertices")) vertices = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const bcmap::bench::MachineInfo m = bcmap::bench::machineInfo();
  std::printf("machine: %s, %d cores, %.0f GB; %s; build %s\n", m.cpuModel.c_str(), m.cores,
              m.ramGb, m.compiler.c_str(), BCMAP_BUILD_TYPE);
  std::printf("%-34s %10s %10s %12s %10s\n", "ring", "vertices", "triangles", "median ms",
              "ns/vertex");
  struct Case {
    const char* name;
    std::function<Ring(size_t)> make;
  };
  const Case cases[] = {
      {"circle, noise 1e-7 (near-collinear)", [](size_t n) { return noisyCircle(n, 1e-7); }},
      {"circle, no noise", [](size_t n) { return noisyCircle(n, 0); }},
      {"random-walk coastline", walkingCoast},
      {"comb of 1-vertex teeth (simplified)", comb},
      {"ladder of bow-ties (even-odd fill)", ladder},
  };
  for (const Case& c : cases) {
    for (size_t n : {vertices / 10, vertices}) {
      const Ring ring = c.make(n);
      const std::span<const Vec2> spans[] = {ring};
      std::vector<double> ms;
      size_t triangles = 0;
      for (int r = 0; r < runs; ++r) {
        std::vector<uint32_t> out;
        std::vector<Vec2> added;
        const double t0 = bcmap::bench::monotonicMs();
        bcmap::triangulatePolygon(spans, 0, out,
                                  {earOnly ? nullptr : &added, static_cast<uint32_t>(ring.size())});
        ms.push_back(bcmap::bench::monotonicMs() - t0);
        triangles = out.size() / 3;
      }
      const double med = bcmap::bench::median(ms);
      std::printf("%-34s %10zu %10zu %12.1f %10.0f\n", c.name, ring.size(), triangles, med,
                  med * 1e6 / static_cast<double>(ring.size()));
      std::fflush(stdout);
    }
  }
  return 0;
}
