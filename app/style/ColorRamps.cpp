#include "style/ColorRamps.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace bcmap {

namespace {

constexpr Rgba hex(uint32_t rgb) {
  return Rgba{static_cast<uint8_t>(rgb >> 16), static_cast<uint8_t>((rgb >> 8) & 0xff),
              static_cast<uint8_t>(rgb & 0xff), 255};
}

// ---- the ramps' colours --------------------------------------------------------------------
// ColorBrewer 2.0 (Cynthia A. Brewer, Mark Harrower, Penn State; colorbrewer2.org; Apache
// 2.0): the 9-class sequential and 11-class diverging schemes, the largest of each, so the
// interpolation runs through every colour Brewer chose. ColorBrewer marks YlGnBu, YlOrRd,
// Blues, RdBu and PuOr colour-blind safe at every class count, Set2 up to 3 classes, and
// RdYlGn, Spectral and Set1 not at all.
constexpr std::array kYlGnBu = {hex(0xffffd9), hex(0xedf8b1), hex(0xc7e9b4), hex(0x7fcdbb), hex(0x41b6c4),
                                hex(0x1d91c0), hex(0x225ea8), hex(0x253494), hex(0x081d58)};
constexpr std::array kYlOrRd = {hex(0xffffcc), hex(0xffeda0), hex(0xfed976), hex(0xfeb24c), hex(0xfd8d3c),
                                hex(0xfc4e2a), hex(0xe31a1c), hex(0xbd0026), hex(0x800026)};
constexpr std::array kBlues = {hex(0xf7fbff), hex(0xdeebf7), hex(0xc6dbef), hex(0x9ecae1), hex(0x6baed6),
                               hex(0x4292c6), hex(0x2171b5), hex(0x08519c), hex(0x08306b)};
constexpr std::array kRdBu = {hex(0x67001f), hex(0xb2182b), hex(0xd6604d), hex(0xf4a582), hex(0xfddbc7), hex(0xf7f7f7),
                              hex(0xd1e5f0), hex(0x92c5de), hex(0x4393c3), hex(0x2166ac), hex(0x053061)};
constexpr std::array kPuOr = {hex(0x7f3b08), hex(0xb35806), hex(0xe08214), hex(0xfdb863), hex(0xfee0b6), hex(0xf7f7f7),
                              hex(0xd8daeb), hex(0xb2abd2), hex(0x8073ac), hex(0x542788), hex(0x2d004b)};
constexpr std::array kSet2 = {hex(0x66c2a5), hex(0xfc8d62), hex(0x8da0cb), hex(0xe78ac3),
                              hex(0xa6d854), hex(0xffd92f), hex(0xe5c494), hex(0xb3b3b3)};
constexpr std::array kRdYlGn = {hex(0xa50026), hex(0xd73027), hex(0xf46d43), hex(0xfdae61),
                                hex(0xfee08b), hex(0xffffbf), hex(0xd9ef8b), hex(0xa6d96a),
                                hex(0x66bd63), hex(0x1a9850), hex(0x006837)};
constexpr std::array kSpectral = {hex(0x9e0142), hex(0xd53e4f), hex(0xf46d43), hex(0xfdae61),
                                  hex(0xfee08b), hex(0xffffbf), hex(0xe6f598), hex(0xabdda4),
                                  hex(0x66c2a5), hex(0x3288bd), hex(0x5e4fa2)};
constexpr std::array kSet1 = {hex(0xe41a1c), hex(0x377eb8), hex(0x4daf4a), hex(0x984ea3), hex(0xff7f00),
                              hex(0xffff33), hex(0xa65628), hex(0xf781bf), hex(0x999999)};
// viridis (Stéfan van der Walt and Nathaniel Smith, matplotlib 2.0, 2015; CC0) and cividis
// (Jamie Nuñez, Christopher Anderton, Ryan Renslow, PLOS ONE 2018, made to look the same to
// readers with deuteranomaly): ten evenly spaced samples, as R's viridisLite gives them.
constexpr std::array kViridis = {hex(0x440154), hex(0x482878), hex(0x3e4a89), hex(0x31688e), hex(0x26828e),
                                 hex(0x1f9e89), hex(0x35b779), hex(0x6dcd59), hex(0xb4de2c), hex(0xfde725)};
constexpr std::array kCividis = {hex(0x00204d), hex(0x00336f), hex(0x39486b), hex(0x575c6d), hex(0x707173),
                                 hex(0x8a8779), hex(0xa69d75), hex(0xc4b56c), hex(0xe4cf5b), hex(0xffea46)};
// Okabe & Ito, "Color Universal Design" (2008): eight colours told apart under every
// common colour-vision deficiency (black last: it reads as "no data" on a map).
constexpr std::array kOkabeIto = {hex(0xe69f00), hex(0x56b4e9), hex(0x009e73), hex(0xf0e442),
                                  hex(0x0072b2), hex(0xd55e00), hex(0xcc79a7), hex(0x000000)};

// Colour-blind safe at any class count first, then by how many classes they stay safe for.
constexpr std::array kRamps = {
    ColorRamp{"YlGnBu", RampKind::Sequential, kAnyClassCount, kYlGnBu},
    ColorRamp{"YlOrRd", RampKind::Sequential, kAnyClassCount, kYlOrRd},
    ColorRamp{"Blues", RampKind::Sequential, kAnyClassCount, kBlues},
    ColorRamp{"viridis", RampKind::Sequential, kAnyClassCount, kViridis},
    ColorRamp{"cividis", RampKind::Sequential, kAnyClassCount, kCividis},
    ColorRamp{"RdBu", RampKind::Diverging, kAnyClassCount, kRdBu},
    ColorRamp{"PuOr", RampKind::Diverging, kAnyClassCount, kPuOr},
    ColorRamp{"Okabe-Ito", RampKind::Qualitative, kOkabeIto.size(), kOkabeIto},
    ColorRamp{"Set2", RampKind::Qualitative, 3, kSet2},
    ColorRamp{"RdYlGn", RampKind::Diverging, 0, kRdYlGn},
    ColorRamp{"Spectral", RampKind::Diverging, 0, kSpectral},
    ColorRamp{"Set1", RampKind::Qualitative, 0, kSet1},
};

// ---- sRGB <-> OKLab (Björn Ottosson, "A perceptual color space for image processing", 2020)
double toLinear(uint8_t c8) {
  const double c = c8 / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

uint8_t fromLinear(double c) {
  c = std::clamp(c, 0.0, 1.0);
  const double s = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
  return static_cast<uint8_t>(std::lround(std::clamp(s, 0.0, 1.0) * 255.0));
}

}  // namespace

OkLab toOkLab(Rgba c) {
  const double r = toLinear(c.r), g = toLinear(c.g), b = toLinear(c.b);
  const double l = std::cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const double m = std::cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const double s = std::cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return {0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
          1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
          0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

Rgba fromOkLab(OkLab c, uint8_t alpha) {
  const double l1 = c.L + 0.3963377774 * c.a + 0.2158037573 * c.b;
  const double m1 = c.L - 0.1055613458 * c.a - 0.0638541728 * c.b;
  const double s1 = c.L - 0.0894841775 * c.a - 1.2914855480 * c.b;
  const double l = l1 * l1 * l1, m = m1 * m1 * m1, s = s1 * s1 * s1;
  return Rgba{fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
              fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
              fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s), alpha};
}

std::span<const ColorRamp> colorRamps() { return kRamps; }

const ColorRamp* findColorRamp(std::string_view name) {
  for (const ColorRamp& r : kRamps)
    if (r.name == name) return &r;
  return nullptr;
}

Rgba rampColorAt(const ColorRamp& ramp, double t) {
  if (ramp.stops.empty()) return Rgba{};
  const size_t last = ramp.stops.size() - 1;
  const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * static_cast<double>(last);
  const size_t i = std::min(static_cast<size_t>(x), last);
  const double f = x - static_cast<double>(i);
  if (f == 0 || i == last) return ramp.stops[i];  // on a stop: its colour exactly
  const OkLab a = toOkLab(ramp.stops[i]), b = toOkLab(ramp.stops[i + 1]);
  return fromOkLab({a.L + (b.L - a.L) * f, a.a + (b.a - a.a) * f, a.b + (b.b - a.b) * f});
}

std::vector<Rgba> sampleRamp(const ColorRamp& ramp, size_t n, bool reversed) {
  std::vector<Rgba> out;
  if (ramp.stops.empty()) return out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (ramp.kind == RampKind::Qualitative)
      out.push_back(ramp.stops[i % ramp.stops.size()]);
    else
      out.push_back(rampColorAt(ramp, n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1)));
  }
  if (reversed) std::reverse(out.begin(), out.end());
  return out;
}

// ---- classes on the map -------------------------------------------------------------------
double okLabDistance(Rgba a, Rgba b) {
  const OkLab p = toOkLab(a), q = toOkLab(b);
  return std::sqrt((p.L - q.L) * (p.L - q.L) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

namespace {

// Steps along a ramp (t) and down OKLab lightness when looking for a readable colour.
constexpr double kRampStep = 0.01, kLightnessStep = 0.005;

bool readable(Rgba c, Rgba background) { return okLabDistance(c, background) >= kMinMapContrast; }

Rgba darkenedUntilReadable(Rgba c, Rgba background) {
  OkLab lab = toOkLab(c);
  Rgba out = c;
  while (!readable(out, background) && lab.L > 0) {
    lab.L = std::max(0.0, lab.L - kLightnessStep);
    out = fromOkLab(lab, c.a);
  }
  return out;
}

}  // namespace

std::vector<Rgba> classColours(const ColorRamp& ramp, size_t n, bool reversed, Rgba background) {
  std::vector<Rgba> out;
  if (ramp.kind == RampKind::Sequential && !ramp.stops.empty()) {
    // The readable part [t0, t1] of the ramp: an end that fades into the background is cut.
    double t0 = 0, t1 = 1;
    while (t0 < 1 && !readable(rampColorAt(ramp, t0), background)) t0 += kRampStep;
    while (t1 > t0 && !readable(rampColorAt(ramp, t1), background)) t1 -= kRampStep;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const double f = n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1);
      out.push_back(rampColorAt(ramp, t0 + (t1 - t0) * f));
    }
    if (reversed) std::reverse(out.begin(), out.end());
  } else {
    out = sampleRamp(ramp, n, reversed);
  }
  for (Rgba& c : out) c = darkenedUntilReadable(c, background);
  return out;
}

}  // namespace bcmap
