// ViewHistory: back and forward through the views the user has settled on, as a browser
// does with pages. The viewer records a view when it settles — a gesture ends, or a jump
// (fly-to, fit, go to) lands — not on every frame, so one drag is one step back.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

struct ViewRecord {
  Vec2 center;                // display CRS units
  double unitsPerPixel = 1;   // display CRS units per framebuffer pixel
  std::string displayCrs;
};

// Views this close count as one (so a click without a drag, or a jump back to where the
// view already is, adds no step): the centre moved less than this many pixels ...
inline constexpr double kSameViewPx = 4.0;
// ... and the scale changed by less than this factor (1 %).
inline constexpr double kSameViewZoom = 1.01;
// Steps kept; the oldest go first.
inline constexpr size_t kViewHistoryCapacity = 100;

// Whether two views are the same step (same CRS, kSameViewPx, kSameViewZoom).
bool sameView(const ViewRecord& a, const ViewRecord& b);

class ViewHistory {
 public:
  explicit ViewHistory(size_t capacity = kViewHistoryCapacity);

  // The view settled. The same view as the current step replaces it (and keeps the forward
  // steps: settling on a view reached by back() must not lose them); a different one drops
  // the forward steps and becomes the new current step.
  void record(const ViewRecord& view);
  // The step before / after the current one, which becomes current; nullopt at either end.
  // The viewer shows it and, when it settles there, record() merges it.
  std::optional<ViewRecord> back();
  std::optional<ViewRecord> forward();

  bool canBack() const { return current_ > 0; }
  bool canForward() const { return current_ + 1 < steps_.size(); }
  size_t size() const { return steps_.size(); }
  // Index of the current step (0 when empty).
  size_t currentIndex() const { return current_; }
  const ViewRecord* current() const { return steps_.empty() ? nullptr : &steps_[current_]; }
  void clear();

 private:
  size_t capacity_;
  std::vector<ViewRecord> steps_;
  size_t current_ = 0;
};

}  // namespace bcmap
