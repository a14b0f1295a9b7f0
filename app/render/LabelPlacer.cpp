// LabelPlacer.cpp — sections: order, collision grid, label blocks.
#include "render/LabelPlacer.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "render/MapRenderer.h"

namespace bcmap {

// ---- order ----------------------------------------------------------------------------------

bool rankedBefore(const LabelRank& a, const LabelRank& b) {
  return std::tuple(-int64_t(a.priority), a.layerFromTop, a.feature) <
         std::tuple(-int64_t(b.priority), b.layerFromTop, b.feature);
}

bool boxesOverlap(const Bounds& a, const Bounds& b) {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
}

// ---- collision grid ---------------------------------------------------------------------------

CollisionGrid::CollisionGrid(double widthPx, double heightPx, double cellPx)
    : cellPx_(cellPx > 1 ? cellPx : 1),
      cols_(std::max(1, int(std::ceil(std::max(widthPx, 1.0) / cellPx_)))),
      rows_(std::max(1, int(std::ceil(std::max(heightPx, 1.0) / cellPx_)))),
      cells_(size_t(cols_) * size_t(rows_)) {}

CollisionGrid::CellRange CollisionGrid::cells(const Bounds& b) const {
  auto col = [&](double x) { return int(std::clamp(std::floor(x / cellPx_), 0.0, double(cols_ - 1))); };
  auto row = [&](double y) { return int(std::clamp(std::floor(y / cellPx_), 0.0, double(rows_ - 1))); };
  return {col(b.minX), row(b.minY), col(b.maxX), row(b.maxY)};
}

bool CollisionGrid::overlaps(const Bounds& box) const {
  if (box.empty()) return false;
  const CellRange c = cells(box);
  for (int y = c.y0; y <= c.y1; ++y)
    for (int x = c.x0; x <= c.x1; ++x)
      for (uint32_t i : cells_[size_t(y) * size_t(cols_) + size_t(x)])
        if (boxesOverlap(box, boxes_[i])) return true;
  return false;
}

void CollisionGrid::insert(const Bounds& box) {
  if (box.empty()) return;
  const auto index = uint32_t(boxes_.size());
  boxes_.push_back(box);
  const CellRange c = cells(box);
  for (int y = c.y0; y <= c.y1; ++y)
    for (int x = c.x0; x <= c.x1; ++x) cells_[size_t(y) * size_t(cols_) + size_t(x)].push_back(index);
}

// ---- label blocks ---------------------------------------------------------------------------

TextStyle leftTop(TextStyle style) {
  style.anchorX = TextAnchorX::Left;
  style.anchorY = TextAnchorY::Top;
  return style;
}

LabelSize measureLabel(const TextRenderer& text, std::string_view primary, const TextStyle& primaryStyle,
                       std::string_view secondary, const TextStyle& secondaryStyle) {
  LabelSize out;
  out.primary = text.measureBox(primary, {0, 0}, leftTop(primaryStyle));
  if (!secondary.empty() && !out.primary.empty()) out.secondary = text.measureBox(secondary, {0, 0}, leftTop(secondaryStyle));
  return out;
}

namespace {

Bounds shifted(const Bounds& b, Vec2 d) { return {b.minX + d.x, b.minY + d.y, b.maxX + d.x, b.maxY + d.y}; }

}  // namespace

double symbolReachPx(float sizePx, uint8_t symbol, double pixelRatio) {
  return std::max(0.0, double(sizePx)) * pixelRatio * 0.5 * symbolExtent(symbol);
}

double labelGapPx(float sizePx, uint8_t symbol, double pixelRatio) {
  return symbolReachPx(sizePx, symbol, pixelRatio) + kLabelSymbolGapPx * pixelRatio;
}

bool anchoredOnMarker(Vec2 anchorPx, Vec2 startPx, double radiusPx) {
  // Half a pixel of slack: the anchor and the vertex go through different projections
  // (label_lon/label_lat against the projected geometry).
  return std::hypot(anchorPx.x - startPx.x, anchorPx.y - startPx.y) <= radiusPx + 0.5;
}

LabelPlacement LabelBlock::at(Vec2 anchorPx, LabelSpot spot, double gapPx) const {
  LabelPlacement out;
  if (empty()) return out;
  const Bounds& first = size_.primary;
  const Bounds& second = size_.secondary;
  const bool two = hasSecondary();
  const double w = std::max(first.width(), two ? second.width() : 0.0);
  const double h = first.height() + (two ? lineGapPx_ + second.height() : 0.0);
  double left = anchorPx.x - w / 2, top = anchorPx.y - h / 2;
  switch (spot) {
    case LabelSpot::Centre: break;
    case LabelSpot::Right: left = anchorPx.x + gapPx; break;
    case LabelSpot::Left: left = anchorPx.x - gapPx - w; break;
    case LabelSpot::Above: top = anchorPx.y - gapPx - h; break;
    case LabelSpot::Below: top = anchorPx.y + gapPx; break;
  }
  // A line's left edge inside the block, aligned towards the anchor.
  auto lineLeft = [&](const Bounds& line) {
    switch (spot) {
      case LabelSpot::Right: return 0.0;
      case LabelSpot::Left: return w - line.width();
      default: return std::round((w - line.width()) / 2);
    }
  };
  out.primaryAt = {std::round(left + lineLeft(first) - first.minX), std::round(top - first.minY)};
  out.box = shifted(first, out.primaryAt);
  if (two) {
    const double secondTop = top + first.height() + lineGapPx_;
    out.secondaryAt = {std::round(left + lineLeft(second) - second.minX), std::round(secondTop - second.minY)};
    out.box.add(shifted(second, out.secondaryAt));
  }
  return out;
}

}  // namespace bcmap
