// Colour ramps (style/ColorRamps.h): OKLab against Ottosson's published values, exact end
// stops, lightness that only rises or only falls along a sequential ramp, and the
// colour-blind-safe ramps listed first.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "style/ColorRamps.h"

namespace bcmap {
namespace {

TEST(ColorRampsTest, OkLabMatchesPublishedValues) {
  // Björn Ottosson's table (bottosson.github.io/posts/oklab): white L 1, a b 0; sRGB red
  // (255, 0, 0) is L 0.627955, a 0.224863, b 0.125846. The matrices are given to 10
  // digits, so 1e-4 is room for their rounding, not for a wrong formula.
  const OkLab white = toOkLab({255, 255, 255, 255});
  EXPECT_NEAR(white.L, 1.0, 1e-4);
  EXPECT_NEAR(white.a, 0.0, 1e-4);
  EXPECT_NEAR(white.b, 0.0, 1e-4);
  const OkLab red = toOkLab({255, 0, 0, 255});
  EXPECT_NEAR(red.L, 0.627955, 1e-4);
  EXPECT_NEAR(red.a, 0.224863, 1e-4);
  EXPECT_NEAR(red.b, 0.125846, 1e-4);
  EXPECT_NEAR(toOkLab({0, 0, 0, 255}).L, 0.0, 1e-9);
  // Every 8-bit grey and primary comes back unchanged.
  for (int v = 0; v < 256; v += 5)
    for (Rgba c : {Rgba{uint8_t(v), uint8_t(v), uint8_t(v), 255}, Rgba{uint8_t(v), 0, 0, 255},
                   Rgba{0, uint8_t(v), 0, 255}, Rgba{0, 0, uint8_t(v), 255}})
      EXPECT_EQ(fromOkLab(toOkLab(c)), c) << v;
}

TEST(ColorRampsTest, SamplesEndOnTheRampsEndStops) {
  for (const ColorRamp& r : colorRamps()) {
    if (r.kind == RampKind::Qualitative) continue;
    for (size_t n : {2u, 3u, 5u, 9u}) {
      const std::vector<Rgba> c = sampleRamp(r, n);
      ASSERT_EQ(c.size(), n);
      EXPECT_EQ(c.front(), r.stops.front()) << r.name << " n=" << n;
      EXPECT_EQ(c.back(), r.stops.back()) << r.name << " n=" << n;
      const std::vector<Rgba> rev = sampleRamp(r, n, true);
      EXPECT_EQ(rev.front(), r.stops.back()) << r.name;
      EXPECT_EQ(rev.back(), r.stops.front()) << r.name;
    }
    // On a stop exactly, the stop's colour: 9 samples of a 9-stop ramp are its stops.
    if (r.stops.size() == 9) {
      const std::vector<Rgba> c = sampleRamp(r, 9);
      for (size_t i = 0; i < 9; ++i) EXPECT_EQ(c[i], r.stops[i]) << r.name << " stop " << i;
    }
  }
}

TEST(ColorRampsTest, SequentialLightnessIsMonotone) {
  for (const ColorRamp& r : colorRamps()) {
    if (r.kind != RampKind::Sequential) continue;
    const std::vector<Rgba> c = sampleRamp(r, 64);
    const double first = toOkLab(c.front()).L, last = toOkLab(c.back()).L;
    const double sign = last > first ? 1 : -1;
    EXPECT_GT(std::abs(last - first), 0.4) << r.name << ": a sequential ramp should span light to dark";
    for (size_t i = 1; i < c.size(); ++i)
      // 0.002: an 8-bit step in a channel moves L by up to ~0.004; flat stretches may round
      // either way, but no sample may turn back by more than that.
      EXPECT_GT(sign * (toOkLab(c[i]).L - toOkLab(c[i - 1]).L), -0.002) << r.name << " sample " << i;
  }
}

TEST(ColorRampsTest, DivergingRampsAreLightestInTheMiddle) {
  for (const ColorRamp& r : colorRamps()) {
    if (r.kind != RampKind::Diverging) continue;
    const std::vector<Rgba> c = sampleRamp(r, 5);
    const double mid = toOkLab(c[2]).L;
    for (size_t i : {0u, 1u, 3u, 4u}) EXPECT_GT(mid, toOkLab(c[i]).L) << r.name << " sample " << i;
  }
}

TEST(ColorRampsTest, QualitativeRampsHandOutTheirColoursInOrder) {
  const ColorRamp* okabe = findColorRamp("Okabe-Ito");
  ASSERT_NE(okabe, nullptr);
  const std::vector<Rgba> c = sampleRamp(*okabe, 10);
  EXPECT_EQ(c[0], (Rgba{0xe6, 0x9f, 0x00, 255}));  // orange, Okabe & Ito's first
  EXPECT_EQ(c[8], c[0]);                           // past the eighth, from the start again
  std::set<uint32_t> distinct;
  for (size_t i = 0; i < 8; ++i) distinct.insert(uint32_t(c[i].r) << 16 | uint32_t(c[i].g) << 8 | c[i].b);
  EXPECT_EQ(distinct.size(), 8u);
}

TEST(ColorRampsTest, ColourBlindSafeRampsComeFirst) {
  const auto ramps = colorRamps();
  ASSERT_GE(ramps.size(), 10u);
  bool seenUnsafe = false;
  for (const ColorRamp& r : ramps) {
    if (r.colourBlindSafeUpTo == 0) {
      seenUnsafe = true;
    } else {
      EXPECT_FALSE(seenUnsafe) << r.name << " is safe but listed after an unsafe ramp";
    }
  }
  EXPECT_TRUE(seenUnsafe);
  for (const char* safe : {"YlGnBu", "viridis", "cividis", "RdBu", "PuOr"})
    EXPECT_TRUE(colourBlindSafe(*findColorRamp(safe), 9)) << safe;
  EXPECT_TRUE(colourBlindSafe(*findColorRamp("Set2"), 3));
  EXPECT_FALSE(colourBlindSafe(*findColorRamp("Set2"), 4));
  EXPECT_FALSE(colourBlindSafe(*findColorRamp("RdYlGn"), 2));
  EXPECT_EQ(findColorRamp("no such ramp"), nullptr);
}

}  // namespace
}  // namespace bcmap
