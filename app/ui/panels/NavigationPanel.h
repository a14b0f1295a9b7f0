// NavigationPanel: the "导航 Navigation" window — go to a typed coordinate (read by
// resolveGoTo in CoordinateInput.h, its error shown under the field), the cursor and centre coordinates
// with "copy", zoom to a layer, and back / forward through the view history. It changes
// nothing itself: what the user asked for comes back as NavigationRequests.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "model/FeatureTable.h"
#include "ui/UiRect.h"

namespace bcmap {

class LayerStore;
class Transformer;

// What the panel reads each frame.
struct NavigationInput {
  LayerStore* store = nullptr;                 // the loaded layers, for "zoom to layer"
  const Transformer* displayToLonLat = nullptr;  // ViewerState::toLonLat (null: go to is refused)
  std::string_view displayCrs;
  bool displayIsGeographic = false;
  Vec2 cursorLonLat{NAN, NAN};  // NaN off the map
  Vec2 cursorWorld{NAN, NAN};
  Vec2 centreWorld{NAN, NAN};   // the view's centre, display CRS
  bool canBack = false, canForward = false;  // ViewHistory::canBack/canForward
  // Where the loaded data is (lon/lat; empty: unknown). A go-to landing far from it is
  // carried out but noted: numbers out of lon/lat range are read as display-CRS metres,
  // which a user who mistyped degrees did not mean.
  Bounds dataLonLat;
};

// What the user asked for this frame.
struct NavigationRequests {
  std::optional<Vec2> goToWorld;   // centre the view here (display CRS), keeping the scale
  std::optional<Vec2> goToLonLat;  // the same place in lon/lat
  std::string zoomToLayer;         // a layer id: fit the view to its extent ("" none)
  bool back = false, forward = false;
};

struct NavigationRects {
  UiRect window, goToField, goToButton, copyButton, layerCombo, backButton, forwardButton;
};

class NavigationPanel {
 public:
  // Draws the window with its top-right corner at (right, top) (window units). `open`:
  // the panel toggle (its close button clears it).
  NavigationRequests draw(const NavigationInput& in, float uiScale, float right, float top, bool* open);
  const NavigationRects& rects() const { return rects_; }
  // The go-to field's text and the error it last produced ("" when none).
  const std::string& goToText() const { return goTo_; }
  const std::string& goToError() const { return goToError_; }
  // The note under the field after a go-to far from the data ("" when none).
  const std::string& goToNote() const { return goToNote_; }

 private:
  std::string goTo_, goToError_, goToNote_;
  double copiedAtSec_ = -1;  // when "copy" was pressed (ImGui time), for the "copied" note
  NavigationRects rects_;
};

// Ctrl+C over the map (and the panel's copy button): puts formatCursorCoordinate(...) on
// the clipboard (ImGui::SetClipboardText) and returns it; "" (clipboard untouched) when
// lonLat is not finite.
std::string copyCoordinate(Vec2 lonLat, Vec2 world, std::string_view displayCrs, bool displayIsGeographic);

}  // namespace bcmap
