// SpatialIndex: a uniform grid over feature bounding boxes, for picking and identify.
// Built once per prepared layer; queries return candidate features whose boxes intersect.
#pragma once

#include <cstdint>
#include <vector>

#include "core/FeatureTable.h"

namespace bcmap {

class SpatialIndex {
 public:
  // Cells are sized so that about `featuresPerCell` features share a cell on average.
  void build(const std::vector<Bounds>& featureBounds, double featuresPerCell = 4.0);
  // Candidates whose box intersects `query`, each once, in ascending feature order.
  void query(const Bounds& query, std::vector<uint32_t>& out) const;
  bool empty() const { return count_ == 0; }

 private:
  Bounds extent_;
  int cols_ = 0, rows_ = 0;
  double cellW_ = 1, cellH_ = 1;
  size_t count_ = 0;
  std::vector<uint32_t> cellStart_;  // CSR: cell c owns entries [cellStart_[c], cellStart_[c+1])
  std::vector<uint32_t> entries_;
  std::vector<Bounds> boxes_;
  int colOf(double x) const;
  int rowOf(double y) const;
};

}  // namespace bcmap
