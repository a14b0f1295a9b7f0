// View: what part of the display CRS is on screen. Doubles throughout; the renderer turns
// it into float uniforms relative to each layer's local origin.
#pragma once

#include "model/FeatureTable.h"

namespace bcmap {

struct View {
  Vec2 center;              // display CRS units
  double unitsPerPixel = 1; // display CRS units per framebuffer pixel
  int widthPx = 1;
  int heightPx = 1;

  // Pixel coordinates: origin at the top-left, y down, pixel centres at +0.5.
  Vec2 toPixel(Vec2 world) const {
    return {(world.x - center.x) / unitsPerPixel + widthPx * 0.5,
            heightPx * 0.5 - (world.y - center.y) / unitsPerPixel};
  }
  Vec2 toWorld(Vec2 px) const {
    return {center.x + (px.x - widthPx * 0.5) * unitsPerPixel,
            center.y - (px.y - heightPx * 0.5) * unitsPerPixel};
  }
  Bounds worldBounds() const;
  // Scales so `b` just fits (aspect preserved), centred on its centre. An empty or
  // zero-size bounds leaves a sane view (no division by zero).
  void fit(const Bounds& b);
  // Zooms by `factor` (>1 zooms in) keeping the world point under `px` fixed.
  void zoomAbout(Vec2 px, double factor);
  void panPixels(double dx, double dy);
};

}  // namespace bcmap
