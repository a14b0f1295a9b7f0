// Inspector: the window that lists the selected features (Selection.h) — for each its layer,
// its id, every attribute (field and value, the value selectable to copy), where it is
// (lon/lat, 6 decimals: a point's position, else its label anchor, else its box centre) and
// a "zoom to" button; several features as collapsible sections. Sample layers say so.
//
// Shown while something is selected; its close box hides it until the user changes the
// selection (not when a reload finds the same features again).
// Rectangles for the UI tests go to TestRects::named: "inspector.window", "inspector.close",
// "inspector.zoomAll",
// and for the k-th listed feature (0-based) "inspector.header.k" and "inspector.zoom.k";
// facts to TestRects::facts: "inspector.count" and "inspector.title.k" ("<layer id> #<id>").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;
class Selection;
struct Layer;

struct InspectorState {
  bool open = false;          // the user's pick turns it on, the close box off (a restored selection does neither)
  uint64_t seenVersion = 0;   // Selection::userVersion() when last drawn
  bool wasDocked = false;     // last frame's place: a change places the window anew
};

struct InspectorResult {
  UiRect window;                // empty when not shown
  std::optional<Bounds> zoomTo;  // a "zoom to" was pressed: frame this (display CRS)
  double pointScale = 0;         // ...and, a point, show it at 1:pointScale (pointScaleOf)
};

// What the window reads besides the selection.
struct InspectorInput {
  LayerStore* store = nullptr;  // the selected features' layers
  std::string displayCrs;       // what "zoom to" frames in
  float menuBarHeight = 0;      // window units
  // Where it opens (window units; empty: the window's top right below the menu bar): in
  // the map canvas's top right, below the search box, so it covers neither the box nor the
  // docked legend (issue 10); beside an open attribute table where the canvas has room.
  UiRect canvas;
  UiRect searchBox;
  // Non-empty: the part of the right dock it takes above the legend (issue 10: "legend /
  // inspector right"); it is drawn there, fixed, and covers no map. Empty (the right dock
  // folded, or the legend on the map): it floats in the canvas as above.
  UiRect docked;
};

// Whether drawInspector will show the window this frame (a selection, and open or a new
// pick of the user's): the right dock makes room for it before it is drawn.
bool inspectorWillShow(const InspectorState& panel, const Selection& selection);

// Where the window opens: see InspectorInput. `tables`: the open attribute tables' windows.
UiRect inspectorPlacement(const UiRect& canvas, const UiRect& searchBox, const std::vector<UiRect>& tables, float uiScale);

// Draws the window (where inspectorPlacement says, each time it appears).
InspectorResult drawInspector(const InspectorInput& in, InspectorState& panel, Selection& selection, float uiScale,
                              TestRects& rects);

// Where the inspector says a feature is, in lon/lat (NaN when it has no geometry).
Vec2 featureLonLat(LayerStore& store, Layer& layer, size_t feature);
// What "zoom to" frames, in `displayCrs`: the feature's box (zero-size for a point; the
// main loop shows a point at pointScaleOf its layer, ViewFraming.h).
std::optional<Bounds> featureZoomTarget(LayerStore& store, Layer& layer, size_t feature, const std::string& displayCrs);
// The scale (1:N) a point of `layer` is shown at: kDefaultPointScale (1:50,000), or the
// layer's label scale when that is larger-scale, so the point's label shows.
double pointScaleOf(const Layer& layer);

}  // namespace bcmap
