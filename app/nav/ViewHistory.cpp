#include "nav/ViewHistory.h"

#include <algorithm>
#include <cmath>

namespace bcmap {

bool sameView(const ViewRecord& a, const ViewRecord& b) {
  if (a.displayCrs != b.displayCrs) return false;
  if (!(a.unitsPerPixel > 0 && b.unitsPerPixel > 0)) return false;
  const double zoom = a.unitsPerPixel / b.unitsPerPixel;
  if (zoom > kSameViewZoom || zoom < 1 / kSameViewZoom) return false;
  // In pixels of the finer of the two views.
  const double upp = std::min(a.unitsPerPixel, b.unitsPerPixel);
  return std::hypot(a.center.x - b.center.x, a.center.y - b.center.y) < kSameViewPx * upp;
}

ViewHistory::ViewHistory(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

void ViewHistory::record(const ViewRecord& view) {
  if (!steps_.empty() && sameView(steps_[current_], view)) {
    steps_[current_] = view;
    return;
  }
  if (!steps_.empty()) steps_.resize(current_ + 1);  // a new branch: the forward steps go
  steps_.push_back(view);
  if (steps_.size() > capacity_) steps_.erase(steps_.begin(), steps_.begin() + static_cast<std::ptrdiff_t>(steps_.size() - capacity_));
  current_ = steps_.size() - 1;
}

std::optional<ViewRecord> ViewHistory::back() {
  if (!canBack()) return std::nullopt;
  return steps_[--current_];
}

std::optional<ViewRecord> ViewHistory::forward() {
  if (!canForward()) return std::nullopt;
  return steps_[++current_];
}

void ViewHistory::clear() {
  steps_.clear();
  current_ = 0;
}

}  // namespace bcmap
