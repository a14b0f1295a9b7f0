// InsetMap: the overview map in a corner of the window — Baicheng's county outlines,
// simplified once from the counties layer's lon/lat geometry, drawn with ImGui's draw list
// in a small box, and the current view's outline in red. Clicking or dragging in the box
// asks the main loop to centre the map there.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/FeatureTable.h"
#include "model/View.h"
#include "ui/UiRect.h"

namespace bcmap {

class LayerStore;
class Transformer;

// The outline of what `view` shows, in lon/lat: its four edges with `perEdge` points each,
// so a view in a projected CRS comes out as the curved shape it is. Points PROJ cannot place
// are left out.
std::vector<Vec2> viewOutlineLonLat(const View& view, const Transformer& displayToLonLat, int perEdge = 8);

class InsetMap {
 public:
  // Whether the counties layer (id "counties") changed since prepare(store): loaded,
  // reloaded or gone. O(layers).
  bool stale(LayerStore& store) const;
  // Prepares the outlines from the counties layer prepared in EPSG:4326 (none when it is
  // not loaded: the box then shows the view's outline only).
  void prepare(LayerStore& store);
  // The same from any lon/lat polygon geometry (tests, other layers).
  void prepare(const GeometryColumn& lonLat);

  // Draws the box with its bottom-left corner at (left, bottom) (window units), `width`
  // logical pixels wide (its height follows the data's shape). `viewOutline`: what the map
  // shows now, in lon/lat (viewOutlineLonLat). Returns a lon/lat to centre the map on while
  // the user clicks or drags in the box (once per mouse position).
  std::optional<Vec2> draw(float uiScale, float left, float bottom, float width, std::span<const Vec2> viewOutline);
  // The mouse is held in the box: the main loop records the view in its history when this
  // turns false (the jump has settled).
  bool interacting() const { return interacting_; }
  const UiRect& rect() const { return rect_; }

 private:
  struct Ring {
    std::vector<Vec2> pts;  // in the inset's plane: x east, y north, unit = one degree of latitude
  };
  // lon/lat <-> the inset's plane: longitude shrunk by cos(the middle latitude), so shapes
  // look as they do on a conformal map at Baicheng's latitude.
  Vec2 toPlane(Vec2 lonLat) const { return {(lonLat.x - origin_.x) * lonScale_, lonLat.y - origin_.y}; }
  Vec2 fromPlane(Vec2 p) const { return {p.x / lonScale_ + origin_.x, p.y + origin_.y}; }

  std::vector<Ring> rings_;
  std::vector<uint32_t> triangles_;  // into the rings laid end to end
  std::vector<Vec2> vertices_;       // the rings laid end to end, for the fill
  Bounds planeBounds_;
  Vec2 origin_{0, 0};
  double lonScale_ = 1;
  uint64_t countiesKey_ = 0, countiesGeneration_ = 0;  // what prepare(store) used (0: none)
  bool interacting_ = false;
  Vec2 lastRequest_{NAN, NAN};
  UiRect rect_;
};

}  // namespace bcmap
