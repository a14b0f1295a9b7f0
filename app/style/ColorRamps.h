// ColorRamps: the named colour ramps a user style picks from, and sampling n colours from
// one. Sequential and diverging ramps are interpolated linearly in OKLab (Ottosson 2020),
// whose lightness axis tracks perceived lightness, so the steps between sampled classes
// look even; qualitative ramps hand out their colours in order.
//
// Which ramps stay distinguishable with the common colour-vision deficiencies is recorded
// per ramp (colourBlindSafeUpTo); colorRamps() lists the safe ones first, as the style
// editor shows them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "model/PreparedLayer.h"

namespace bcmap {

enum class RampKind : uint8_t { Sequential = 0, Diverging = 1, Qualitative = 2 };

struct ColorRamp {
  std::string_view name;         // "YlGnBu": what the session file stores
  RampKind kind = RampKind::Sequential;
  // Distinguishable by readers with protan, deutan and tritan deficiencies for up to this
  // many classes (0: not at all; kAnyClassCount: however many are sampled).
  size_t colourBlindSafeUpTo = 0;
  std::span<const Rgba> stops;   // low to high (sequential: light to dark, or dark to light)
};
inline constexpr size_t kAnyClassCount = static_cast<size_t>(-1);

inline bool colourBlindSafe(const ColorRamp& r, size_t classes) { return classes <= r.colourBlindSafeUpTo; }

// Every ramp: the colour-blind-safe ones (for any class count) first, then the rest.
std::span<const ColorRamp> colorRamps();
const ColorRamp* findColorRamp(std::string_view name);  // nullptr when unknown

// n colours low to high (reversed: high to low). Sequential and diverging: evenly spaced
// over the whole ramp, the first and last exactly its end stops (n = 1: the middle).
// Qualitative: the ramp's colours in order, repeating past its end.
std::vector<Rgba> sampleRamp(const ColorRamp& ramp, size_t n, bool reversed = false);
// The colour at t in [0, 1] along a sequential or diverging ramp (clamped).
Rgba rampColorAt(const ColorRamp& ramp, double t);

// OKLab: L (0 black .. 1 white), a (green–red), b (blue–yellow).
struct OkLab {
  double L = 0, a = 0, b = 0;
};
OkLab toOkLab(Rgba c);
Rgba fromOkLab(OkLab c, uint8_t alpha = 255);  // clamped to the sRGB gamut

// ---- classes on the map (issue 10) -------------------------------------------------------
// The map's background: render's FrameOptions::background (MapFrame.h), a light paper tone.
inline constexpr Rgba kMapBackground{242, 239, 233, 255};
// How far apart (Euclidean distance in OKLab) a class colour must be from the background to
// read as a symbol on it. A just-noticeable difference is about 0.02; ColorBrewer's lightest
// steps (#ffffd9 at 0.056, #f7fbff at 0.037, RdBu's middle #f7f7f7 at 0.025) vanish on the
// paper tone, while #fed976 (0.13) and the yellows of viridis and Okabe-Ito (0.17) read well.
inline constexpr double kMinMapContrast = 0.1;
double okLabDistance(Rgba a, Rgba b);

// n class colours of `ramp` as a user style puts them on a map over `background`: those of
// sampleRamp(), except that a sequential ramp's end too close to the background is left
// out (sampling runs over the part of the ramp that reads on it, so the steps stay even),
// and any colour still closer than kMinMapContrast (a diverging ramp's pale middle, a pale
// qualitative colour) is darkened in OKLab lightness, its hue kept, until it is not.
std::vector<Rgba> classColours(const ColorRamp& ramp, size_t n, bool reversed = false,
                               Rgba background = kMapBackground);

}  // namespace bcmap
