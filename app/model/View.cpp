#include "model/View.h"

#include <algorithm>
#include <cmath>

namespace bcmap {

Bounds View::worldBounds() const {
  Bounds b;
  b.add(toWorld({0, 0}));
  b.add(toWorld({double(widthPx), double(heightPx)}));
  return b;
}

void View::fit(const Bounds& b) {
  if (b.empty() || !std::isfinite(b.minX) || !std::isfinite(b.maxX)) return;
  center = {(b.minX + b.maxX) * 0.5, (b.minY + b.maxY) * 0.5};
  const double sx = b.width() / std::max(1, widthPx);
  const double sy = b.height() / std::max(1, heightPx);
  double upp = std::max(sx, sy);
  if (!(upp > 0)) upp = unitsPerPixel > 0 ? unitsPerPixel : 1.0;  // a single point
  unitsPerPixel = upp;
}

void View::zoomAbout(Vec2 px, double factor) {
  if (!(factor > 0)) return;
  const Vec2 anchor = toWorld(px);
  unitsPerPixel /= factor;
  // Put `anchor` back under `px`.
  const Vec2 moved = toWorld(px);
  center.x += anchor.x - moved.x;
  center.y += anchor.y - moved.y;
}

void View::panPixels(double dx, double dy) {
  center.x -= dx * unitsPerPixel;
  center.y += dy * unitsPerPixel;
}

}  // namespace bcmap
