#include "geometry/SpatialIndex.h"

#include <algorithm>
#include <cmath>

namespace bcmap {

int SpatialIndex::colOf(double x) const {
  return std::clamp(static_cast<int>((x - extent_.minX) / cellW_), 0, cols_ - 1);
}
int SpatialIndex::rowOf(double y) const {
  return std::clamp(static_cast<int>((y - extent_.minY) / cellH_), 0, rows_ - 1);
}

void SpatialIndex::build(const std::vector<Bounds>& featureBounds, double featuresPerCell) {
  count_ = featureBounds.size();
  extent_ = Bounds{};
  for (const Bounds& b : featureBounds) extent_.add(b);
  cellStart_.clear();
  entries_.clear();
  if (extent_.empty()) {
    cols_ = rows_ = 0;
    return;
  }
  const double cells = std::clamp(static_cast<double>(count_) / featuresPerCell, 1.0, 4.0e6);
  const double w = std::max(extent_.width(), 1e-12), h = std::max(extent_.height(), 1e-12);
  cols_ = std::clamp(static_cast<int>(std::sqrt(cells * w / h)), 1, 4096);
  rows_ = std::clamp(static_cast<int>(cells / cols_), 1, 4096);
  cellW_ = w / cols_;
  cellH_ = h / rows_;

  // Two passes (count, then fill) so the grid is one flat array.
  cellStart_.assign(static_cast<size_t>(cols_) * rows_ + 1, 0);
  auto forCells = [&](const Bounds& b, auto&& fn) {
    if (b.empty()) return;
    const int c0 = colOf(b.minX), c1 = colOf(b.maxX), r0 = rowOf(b.minY), r1 = rowOf(b.maxY);
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) fn(static_cast<size_t>(r) * cols_ + c);
  };
  for (const Bounds& b : featureBounds) forCells(b, [&](size_t cell) { ++cellStart_[cell + 1]; });
  for (size_t i = 1; i < cellStart_.size(); ++i) cellStart_[i] += cellStart_[i - 1];
  entries_.resize(cellStart_.back());
  std::vector<uint32_t> fillAt(cellStart_.begin(), cellStart_.end() - 1);
  for (uint32_t f = 0; f < featureBounds.size(); ++f)
    forCells(featureBounds[f], [&](size_t cell) { entries_[fillAt[cell]++] = Candidate{f, featureBounds[f]}; });
}

void SpatialIndex::query(const Bounds& q, std::vector<Candidate>& out) const {
  out.clear();
  if (cols_ == 0 || q.empty()) return;
  if (q.maxX < extent_.minX || q.minX > extent_.maxX || q.maxY < extent_.minY || q.minY > extent_.maxY) return;
  const int c0 = colOf(q.minX), c1 = colOf(q.maxX), r0 = rowOf(q.minY), r1 = rowOf(q.maxY);
  for (int r = r0; r <= r1; ++r)
    for (int c = c0; c <= c1; ++c) {
      const size_t cell = static_cast<size_t>(r) * cols_ + c;
      for (uint32_t k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
        const Bounds& b = entries_[k].box;
        if (b.maxX < q.minX || b.minX > q.maxX || b.maxY < q.minY || b.minY > q.maxY) continue;
        // A box in several cells is reported once: from the first cell (lowest row, then
        // column) that both it and the query cover.
        if (c != std::max(c0, colOf(b.minX)) || r != std::max(r0, rowOf(b.minY))) continue;
        out.push_back(entries_[k]);
      }
    }
}

}  // namespace bcmap
