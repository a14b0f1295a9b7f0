// ViewerState: what the viewer's window and its panels share — the view,
// the display CRS, the cursor and the hovered feature — plus the requests panels make
// (switch CRS, move a layer, fit all), which the main loop applies between frames so no
// panel changes the layer list while another part of the frame walks it.
//
// Coordinates: "window" units are GLFW's window coordinates (what ImGui uses); "px" are
// framebuffer pixels (what the View uses). On HiDPI screens one window unit is
// pixelRatio framebuffer pixels. The map fills the canvas (canvasRect: the window less the
// docked panels, ui/Layout.h), so a map pixel is a framebuffer pixel counted from the
// canvas's top-left corner.
#pragma once

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/AppSession.h"
#include "model/FeatureTable.h"
#include "host/Selection.h"
#include "model/TimeRange.h"
#include "io/Projection.h"
#include "host/StyleHistory.h"
#include "model/View.h"
#include "ui/Layout.h"
#include "ui/PanelState.h"
#include "ui/panels/StyleEditor.h"

namespace bcmap {

class DbFeeds;

struct ViewerState {
  const AppOptions* options = nullptr;
  AppSession* session = nullptr;
  DbFeeds* dbFeeds = nullptr;  // the database layers' feeds and askers (Viewer.cpp's loop)

  // ---- the map --------------------------------------------------------------------------
  std::string displayCrs;
  std::optional<Transformer> toLonLat;  // displayCrs -> EPSG:4326
  bool displayIsGeographic = false;     // displayCrs is lon/lat (asked of PROJ once per CRS)
  View view;                            // of the map canvas, in framebuffer pixels
  float pixelRatio = 1.0f;              // framebuffer pixels per window unit
  float contentScale = 1.0f;            // the monitor's UI scale (GLFW content scale)
  float userUiScale = 1.0f;             // the user's 界面缩放 UI scale, on top of contentScale
  PanelToggles panels;
  float menuBarHeight = 0;              // window units; the panels start below it

  // ---- the layout (ui/Layout.h): docks around the map canvas ------------------------------
  DockState dock;                       // widths and collapsed states (saved in the session)
  LayoutRects layout;                   // this frame's docks and canvas, window units
  double attributionBandPx = 0;         // the attribution lines' height along the map's bottom
                                        // (framebuffer pixels, last frame): fitting keeps clear of it
  std::string notice;                   // the status bar's word on what just happened (a save)
  bool noticeIsError = false;
  double noticeUntilSec = 0;            // glfwGetTime() when it goes
  double topOverlayPx = 0;              // the search box's bottom below the canvas's top, likewise
  UiRect canvasRect;                    // the map's part of the window (window units, snapped
                                        // to framebuffer pixels): what fitting and Home frame
  float timeBarHeight = 0;              // the time bar's height last frame (0: not yet drawn)
  std::optional<View> lastFit;          // the view fitAll made last; kept while the layout
                                        // settles (the first frames), so Home stays framed
  double lastFitTopPx = 0;              // the bands that fit kept clear of (fitBands)
  double lastFitBottomPx = 0;

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
  std::string hoverText;          // LayerStore::describeFeature; a database layer's: its server's (DbAsker.h)

  // ---- the selection (click, Shift-click; Esc clears) and user styles ---------------------
  Selection selection;
  StyleEditorState styleEditor;
  std::vector<StyleEditRequest> requestedStyles;  // from the style editors, applied between frames
  StyleHistory styleHistory;                      // Ctrl+Z

  double frameMs = 0;  // CPU time of a frame, smoothed

  // ---- time ------------------------------------------------------------------------------
  TimeState time;

  // ---- settings: edits in progress and what the last apply said ----------------------------
  LayerSettingsState layerSettings;

  // ---- the session file (Session.h) -----------------------------------------------------
  std::string sessionPath;   // "" when there is no place for it (no HOME)
  int sessionSaves = 0;      // how many times it was written (Ctrl+S, exit)
  std::string sessionError;  // why the last save failed

  // ---- requests from panels, applied by the main loop between frames ----------------------
  std::optional<std::string> requestedCrs;
  std::optional<LayerMove> requestedMove;
  std::vector<std::string> requestedLoads;  // layer ids ticked visible before they were loaded
  bool fitRequested = false;
  bool saveRequested = false;  // Ctrl+S
  bool quitRequested = false;  // the File menu's Quit
  bool undoRequested = false;  // Ctrl+Z: the last style change
  bool redoRequested = false;  // Ctrl+Shift+Z, Ctrl+Y: the style change undone last
  bool backRequested = false, forwardRequested = false;  // through past views
  std::string requestedTable;  // a layer id: open its attribute table
  std::string requestedRemoval;  // a layer id: take it out of the list (LayerStore::remove)
  MeasureRequest measureRequest = MeasureRequest::None;
  bool layersChanged = false;  // visibility/opacity/order changed: redraw, re-hover
  bool timeChanged = false;    // the filter day changed: redraw, re-hover
  std::string crsInput;        // the PROJ string field
  std::string crsError;        // why the last CRS switch was refused
};

// The target a "fit all" frames: the extent of the loaded, visible layers in the display
// CRS grown by 5 % a side (as `bcmap render` does); Baicheng itself when nothing is shown.
Bounds fitTarget(ViewerState& st);
// Fits the view to fitTarget() between the bands the map's overlays take (the search box
// over the canvas's top, the attribution along its bottom: topOverlayPx, attributionBandPx).
void fitAll(ViewerState& st);
// The view is as the last fitAll left it: the user has not moved it since.
bool stillFitted(const ViewerState& st);
// Still fitted, but the overlays' bands moved since (measured only once a frame is drawn,
// or a dock resized the search box): fitAll again keeps Home's framing clear of them.
bool fitBandsChanged(const ViewerState& st);
// Fits the view to `target` (display CRS) with the same 5 % margin.
void fitBounds(ViewerState& st, Bounds target);

// Switches the display CRS keeping the place at the centre of the view and the ground
// resolution (metres per pixel) there. False, with the reason in `err`, when PROJ cannot
// make the CRS or the centre cannot be placed in it; the state is then unchanged.
bool switchDisplayCrs(ViewerState& st, const std::string& crs, std::string* err);

// Refreshes cursorWorld/cursorLonLat from cursorPx and the view.
void updateCursorGeo(ViewerState& st);

// After LayerStore::remove(layerId): what the state keeps of that layer by id goes — its
// features in the selection, the feature hovered, its steps in the undo history (Ctrl+Z
// does not bring a removed layer back, nor restyle a layer it no longer has), the style
// editor's and the settings' drafts and errors, and requests not applied yet.
void forgetRemovedLayer(ViewerState& st, const std::string& layerId);


}  // namespace bcmap
