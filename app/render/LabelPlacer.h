// LabelPlacer: the parts of map label placement that are not drawing — the order labels are
// tried in, a label's lines laid out at a spot around its anchor, and a grid of the boxes
// already taken. MapFrame tries each label in order at its spots and takes the first spot
// whose box is free (greedy: a label once placed is never moved).
//
// Cost: the grid buckets boxes by square cells, so a test looks only at the boxes in the
// cells it touches; placing n labels is O(n) small tests, not O(n^2). A label's lines are
// measured once (LabelSize, which MapFrame keeps between frames); trying it at another spot
// is arithmetic.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"
#include "render/TextRenderer.h"

namespace bcmap {

// Where a label stands in the queue: the layer's labelPriority (higher first), then the
// layer's place in the drawing order (the top layer first), then the feature's order in its
// layer (data order: the layers carry no ranking attribute, and a fixed order keeps labels
// from jumping between frames).
struct LabelRank {
  int priority = 0;
  size_t layerFromTop = 0;  // 0: the layer drawn last (on top)
  size_t feature = 0;
};
bool rankedBefore(const LabelRank& a, const LabelRank& b);

// Whether two pixel boxes share interior (touching edges do not count: label boxes already
// include their halo, which is the margin between labels).
bool boxesOverlap(const Bounds& a, const Bounds& b);

// Boxes taken so far, bucketed by cells of cellPx over a widthPx x heightPx area. Boxes
// reaching outside the area are bucketed in its border cells, so they still collide.
class CollisionGrid {
 public:
  CollisionGrid(double widthPx, double heightPx, double cellPx);
  bool overlaps(const Bounds& box) const;
  void insert(const Bounds& box);  // an empty box is ignored
  size_t size() const { return boxes_.size(); }

 private:
  struct CellRange {
    int x0, y0, x1, y1;
  };
  CellRange cells(const Bounds& box) const;
  double cellPx_;
  int cols_, rows_;
  std::vector<Bounds> boxes_;
  std::vector<std::vector<uint32_t>> cells_;  // per cell, indices into boxes_
};

// Where a label's block of lines goes relative to its anchor. Centre: centred on it (areas
// and lines); the sides: a gap away from it (points, the gap clearing the symbol).
enum class LabelSpot : uint8_t { Centre = 0, Right = 1, Left = 2, Above = 3, Below = 4 };
// The spots a point label tries, in order: right of the point reads first in Chinese and
// English alike; then left, above, below.
inline constexpr std::array<LabelSpot, 4> kPointLabelSpots = {LabelSpot::Right, LabelSpot::Left,
                                                             LabelSpot::Above, LabelSpot::Below};

// The clear space between a symbol's edge and its label, logical px (before pixelRatio):
// the label's halo (2 px) already keeps glyphs off the box edge; this keeps the box itself
// off the symbol's antialiased rim and its darker ring.
inline constexpr double kLabelSymbolGapPx = 2.0;
// How far a symbol drawn `sizePx` across (the same-area circle's diameter, as MapRenderer
// draws it) reaches from its centre, in device px: its radius times symbolExtent, times
// pixelRatio. Sized symbols (a size field) give their own sizePx.
double symbolReachPx(float sizePx, uint8_t symbol, double pixelRatio);
// The gap a label keeps from its anchor at a side spot: the symbol's reach plus
// kLabelSymbolGapPx (times pixelRatio), so the label box never covers its own symbol.
double labelGapPx(float sizePx, uint8_t symbol, double pixelRatio);
// Whether a line's label anchored at anchorPx stands on its START marker, a disc of
// radiusPx at startPx (易地扶贫搬迁: the origin village's name at its disc): then the label
// goes beside the disc as a point's does, not centred over it ("西●村").
bool anchoredOnMarker(Vec2 anchorPx, Vec2 startPx, double radiusPx);

// A label placed at one spot: where to draw each line (addText with the given styles) and
// the box the two cover, halos included.
struct LabelPlacement {
  Vec2 primaryAt, secondaryAt;
  Bounds box;
};

// A style anchored left / top: how label lines are measured and drawn (LabelBlock moves
// them by whole pixels, which moves the drawn glyphs by exactly as much, as TextRenderer
// snaps the anchor and lays out from it).
TextStyle leftTop(TextStyle style);

// The boxes of a label's primary line and optional secondary line (empty: none), each drawn
// with its leftTop style at (0, 0), halo included.
struct LabelSize {
  Bounds primary, secondary;
};
LabelSize measureLabel(const TextRenderer& text, std::string_view primary, const TextStyle& primaryStyle,
                       std::string_view secondary, const TextStyle& secondaryStyle);

// A label's primary line with the optional secondary line under it, lineGapPx apart. Lines
// are aligned towards the anchor: left-aligned right of a point, right-aligned left of it,
// centred otherwise.
class LabelBlock {
 public:
  LabelBlock(const LabelSize& size, double lineGapPx) : size_(size), lineGapPx_(lineGapPx) {}
  bool empty() const { return size_.primary.empty(); }
  bool hasSecondary() const { return !size_.secondary.empty(); }
  // The block at `spot` of anchorPx, gapPx away (ignored for Centre): where to draw each
  // line (with its leftTop style) and the box. Positions are whole pixels, so the box is
  // exactly what TextRenderer draws there.
  LabelPlacement at(Vec2 anchorPx, LabelSpot spot, double gapPx) const;

 private:
  LabelSize size_;
  double lineGapPx_;
};

}  // namespace bcmap
