// ViewFraming: where the view goes when the user asks to see one feature or place (a row of
// the attribute table, the inspector's "zoom to", a search result): its box fitted into the
// part of the map canvas that nothing covers, or, for a point, the point at the centre of
// that part at a readable scale (not the 1:2,500 a 500 m square made, where a village is a
// dot on an empty beige field).
//
// Pure: a view, rectangles in the view's pixels and a transformer in, a view out.
#pragma once

#include "io/Projection.h"
#include "model/View.h"

namespace bcmap {

// A rectangle in the view's pixels (framebuffer pixels, origin top-left, y down).
struct PxRect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  bool empty() const { return !(x1 > x0 && y1 > y0); }
};

// The scale (1:N) a point is shown at when its layer names none: a village with its
// neighbours and the roads between them (1:50,000, the topographic map's scale).
inline constexpr double kDefaultPointScale = 50000.0;

// The part of `canvas` that `cover` (a floating window over it) leaves free: the larger of
// the strips left of, right of, above and below `cover`, by area. `canvas` itself when
// `cover` is empty or misses it; also when no strip is at least a quarter of the canvas's
// width and a quarter of its height (a window over nearly all of it: nothing to gain).
PxRect freePartOf(const PxRect& canvas, const PxRect& cover);

// The view that shows `target` (display CRS) in `free`: a box fitted with a margin of
// `margin` (fraction of its size, each side) and centred in `free`, zoomed in no further
// than `pointScale`; a point (zero-size box) at the centre of `free` at 1:`pointScale`.
// `displayToLonLat` measures the ground (scale = ground metres per logical pixel / 0.28 mm);
// `contentScale` is framebuffer pixels per logical pixel. `view`'s size is kept; returned
// unchanged when `target` or `free` is empty or the ground cannot be measured there.
View frameInRect(const View& view, const Bounds& target, const PxRect& free, const Transformer& displayToLonLat,
                 double pointScale, double contentScale, double margin = 0.05);

// `view` fitted to `target` (View::fit) within the part of the view between a band of
// `topBandPx` framebuffer pixels along its top edge (the search box over the map) and one of
// `bottomBandPx` along its bottom edge (the attribution lines, which would otherwise lie
// over the data's southern edge), centred in that part. Each band counts for at most a
// quarter of the view's height; 0 and 0 is View::fit itself.
View fitBetweenBands(const View& view, const Bounds& target, double topBandPx, double bottomBandPx);

}  // namespace bcmap
