#include "nav/ViewFraming.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace bcmap {

PxRect freePartOf(const PxRect& canvas, const PxRect& cover) {
  if (canvas.empty() || cover.empty() || cover.x1 <= canvas.x0 || cover.x0 >= canvas.x1 || cover.y1 <= canvas.y0 ||
      cover.y0 >= canvas.y1)
    return canvas;
  const std::array<PxRect, 4> strips{{
      {canvas.x0, canvas.y0, std::max(canvas.x0, cover.x0), canvas.y1},  // left
      {std::min(canvas.x1, cover.x1), canvas.y0, canvas.x1, canvas.y1},  // right
      {canvas.x0, canvas.y0, canvas.x1, std::max(canvas.y0, cover.y0)},  // above
      {canvas.x0, std::min(canvas.y1, cover.y1), canvas.x1, canvas.y1},  // below
  }};
  const PxRect* best = nullptr;
  for (const PxRect& s : strips) {
    // A strip too thin to frame anything in does not count.
    if (s.empty() || s.width() < canvas.width() / 4 || s.height() < canvas.height() / 4) continue;
    if (!best || s.width() * s.height() > best->width() * best->height()) best = &s;
  }
  return best ? *best : canvas;
}

View frameInRect(const View& view, const Bounds& target, const PxRect& free, const Transformer& displayToLonLat,
                 double pointScale, double contentScale, double margin) {
  if (target.empty() || free.empty() || !(pointScale > 0) || !(contentScale > 0)) return view;
  const Vec2 centre{(target.minX + target.maxX) / 2, (target.minY + target.maxY) / 2};
  // Ground metres per display unit at the target: a view of one unit a pixel there.
  View probe = view;
  probe.center = centre;
  probe.unitsPerPixel = 1;
  const double metresPerUnit = groundMetresPerPixel(probe, displayToLonLat);
  if (!std::isfinite(metresPerUnit) || !(metresPerUnit > 0)) return view;
  const double pointUnitsPerPx = pointScale * kStandardPixelM / contentScale / metresPerUnit;
  const double fitUnitsPerPx = std::max(target.width() * (1 + 2 * margin) / free.width(),
                                        target.height() * (1 + 2 * margin) / free.height());
  View out = view;
  out.unitsPerPixel = std::max(fitUnitsPerPx, pointUnitsPerPx);
  // The target's centre goes to the centre of `free`: the view's centre is that far off it.
  const double dx = (free.x0 + free.x1) / 2 - view.widthPx * 0.5;
  const double dy = (free.y0 + free.y1) / 2 - view.heightPx * 0.5;
  out.center = {centre.x - dx * out.unitsPerPixel, centre.y + dy * out.unitsPerPixel};
  return out;
}

View fitBetweenBands(const View& view, const Bounds& target, double topBandPx, double bottomBandPx) {
  auto band = [&](double px) { return std::clamp(std::isfinite(px) ? px : 0.0, 0.0, 0.25 * view.heightPx); };
  const double top = band(topBandPx), bottom = band(bottomBandPx);
  View between = view;
  between.heightPx = std::max(1, static_cast<int>(std::lround(view.heightPx - top - bottom)));
  between.fit(target);
  View v = view;
  v.unitsPerPixel = between.unitsPerPixel;
  // The part between the bands is centred on the target: the view's centre lies half the
  // difference of the bands below it (world y grows upwards).
  v.center = {between.center.x, between.center.y - 0.5 * (bottom - top) * between.unitsPerPixel};
  return v;
}

}  // namespace bcmap
