// ViewerState: what the viewer's window, its panels and its test hook share — the view,
// the display CRS, the cursor and the hovered feature — plus the requests panels make
// (switch CRS, move a layer, fit all), which the main loop applies between frames so no
// panel changes the layer list while another part of the frame walks it.
//
// Coordinates: "window" units are GLFW's window coordinates (what ImGui uses); "px" are
// framebuffer pixels (what the View uses). On HiDPI screens one window unit is
// pixelRatio framebuffer pixels. The map fills the framebuffer above the status bar, so a
// map pixel and a framebuffer pixel share their origin (top-left).
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/Cli.h"
#include "core/FeatureTable.h"
#include "core/Projection.h"
#include "core/View.h"

namespace bcmap {

// An axis-aligned rectangle in window units (for tests: where to click, what to mask).
struct UiRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return !(x1 > x0 && y1 > y0); }
};

// Where one layer's controls are in the panel (window units; empty when not drawn).
struct LayerRowRects {
  std::string id;
  UiRect checkbox, up, down;
};

// A layer move the panel asks for: store indices (LayerStore::move).
struct LayerMove {
  size_t from = 0, to = 0;
};

// The panels' font size in logical pixels (ImGui's default is 13; CJK needs a little more).
inline constexpr float kUiFontPx = 15.0f;

struct ViewerState {
  const CliOptions* options = nullptr;
  AppSession* session = nullptr;

  // ---- the map --------------------------------------------------------------------------
  std::string displayCrs;
  std::optional<Transformer> toLonLat;  // displayCrs -> EPSG:4326
  bool displayIsGeographic = false;     // displayCrs is lon/lat (asked of PROJ once per CRS)
  View view;                            // of the map area, in framebuffer pixels
  float pixelRatio = 1.0f;              // framebuffer pixels per window unit
  float contentScale = 1.0f;            // the monitor's UI scale (GLFW content scale)

  // ---- the cursor (NaN when unknown or outside the map) ----------------------------------
  bool cursorInMap = false;
  Vec2 cursorWindow{NAN, NAN};  // window units
  Vec2 cursorPx{NAN, NAN};      // map pixels
  Vec2 cursorWorld{NAN, NAN};   // display CRS
  Vec2 cursorLonLat{NAN, NAN};  // degrees
  bool dragging = false;

  // ---- the feature under the cursor ------------------------------------------------------
  std::string hoverLayer;         // "" when nothing is hovered
  long long hoverFeature = -1;    // feature index in that layer
  std::string hoverFeatureId;
  std::string hoverText;          // LayerStore::describeFeature

  double frameMs = 0;  // CPU time of a frame, smoothed

  // ---- what the panels drew where (window units), for the test hook -----------------------
  std::vector<LayerRowRects> layerRows;  // in panel order, top first
  UiRect layerPanelRect, statusBarRect, tooltipRect;
  UiRect crsComboRect, crsFieldRect;  // empty while the CRS section is collapsed

  // ---- requests from panels, applied by the main loop between frames ----------------------
  std::optional<std::string> requestedCrs;
  std::optional<LayerMove> requestedMove;
  std::vector<std::string> requestedLoads;  // layer ids ticked visible before they were loaded
  bool fitRequested = false;
  bool layersChanged = false;  // visibility/opacity/order changed: redraw, re-hover
  std::string crsInput;        // the PROJ string field
  std::string crsError;        // why the last CRS switch was refused
};

// The target a "fit all" frames: the extent of the loaded, visible layers in the display
// CRS grown by 5 % a side (as `bcmap render` does); Baicheng itself when nothing is shown.
Bounds fitTarget(ViewerState& st);
// Fits the view to fitTarget().
void fitAll(ViewerState& st);
// Fits the view to `target` (display CRS) with the same 5 % margin.
void fitBounds(ViewerState& st, Bounds target);

// Switches the display CRS keeping the place at the centre of the view and the ground
// resolution (metres per pixel) there. False, with the reason in `err`, when PROJ cannot
// make the CRS or the centre cannot be placed in it; the state is then unchanged.
bool switchDisplayCrs(ViewerState& st, const std::string& crs, std::string* err);

// Refreshes cursorWorld/cursorLonLat from cursorPx and the view.
void updateCursorGeo(ViewerState& st);

}  // namespace bcmap
