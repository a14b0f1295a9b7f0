// SpatialIndex: a uniform grid over feature bounding boxes, for picking and identify.
// Built once per prepared layer; queries return candidate features whose boxes intersect.
#pragma once

#include <cstdint>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

class SpatialIndex {
 public:
  struct Candidate {
    uint32_t feature = 0;
    Bounds box;  // the feature's bounding box (for a point, the point itself)
  };

  // Cells are sized so that about `featuresPerCell` features share a cell on average.
  void build(const std::vector<Bounds>& featureBounds, double featuresPerCell = 4.0);
  // Candidates whose box intersects `query`, each once, in no particular order (sorting
  // them cost a fifth of a pick over 1M points; identify orders its hits itself).
  void query(const Bounds& query, std::vector<Candidate>& out) const;
  bool empty() const { return count_ == 0; }

 private:
  Bounds extent_;
  int cols_ = 0, rows_ = 0;
  double cellW_ = 1, cellH_ = 1;
  size_t count_ = 0;
  // CSR: cell c owns entries [cellStart_[c], cellStart_[c+1]). Each entry carries its
  // feature's box, so a query reads memory in order: looking boxes up by feature number cost
  // a cache miss a candidate (features in a cell lie anywhere in a 1M-feature table).
  std::vector<uint32_t> cellStart_;
  std::vector<Candidate> entries_;
  int colOf(double x) const;
  int rowOf(double y) const;
};

}  // namespace bcmap
