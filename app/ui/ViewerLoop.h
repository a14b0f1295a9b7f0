// ViewerLoop: the pieces of the viewer's loop shared by its four files — what the window
// queues (WindowContext), the gesture in progress, the tools around the map and what one
// frame keeps (Frame). Private to app/ui's Viewer*.cpp; panels never include it.
//
// Who does what:
//   Viewer.cpp          set-up, the loop, shutdown (runViewer)
//   ViewerInput.cpp     GLFW callbacks, keys for ImGui, input applied to the view, history
//   ViewerRequests.cpp  the panels' requests, dropped files, clicks and hover
//   ViewerFrame.cpp     one frame: the panels, the map, the screenshot
#pragma once

#include <imgui.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/PluginWatcher.h"
#include "host/SearchIndex.h"
#include "model/View.h"
#include "nav/ViewHistory.h"
#include "render/FrameCache.h"
#include "render/GlContext.h"
#include "render/MapFrame.h"
#include "ui/UiFont.h"
#include "ui/ViewerState.h"
#include "ui/panels/AttributeTable.h"
#include "ui/panels/ExportDialog.h"
#include "ui/panels/FileDialog.h"
#include "ui/panels/InsetMap.h"
#include "ui/panels/Inspector.h"
#include "ui/panels/LogPanel.h"
#include "ui/panels/MeasureTool.h"
#include "ui/panels/MissingData.h"
#include "ui/panels/NavigationPanel.h"
#include "ui/panels/PluginFoldersPanel.h"
#include "ui/panels/ReloadOffer.h"
#include "ui/panels/SearchPanel.h"
#include "ui/panels/TimeChart.h"
#include "ui/testing/TestHooks.h"
#include "ui/testing/TestRects.h"

struct GLFWwindow;

namespace bcmap::viewer {

constexpr int kSettleFrames = 3;          // frames drawn after an event (ImGui settles hover/size)
constexpr double kNoticeSeconds = 5.0;    // how long the status bar's notice (a save) stays
constexpr double kBadSessionNoticeSeconds = 60.0;  // the notice that a bad session was set aside

// ---- what the window queues (ViewerInput.cpp) ----------------------------------------------
struct InputEvent {
  enum class Kind { Move, Press, Release, Scroll, Key } kind = Kind::Move;
  Vec2 window;        // cursor position (window units) when it happened
  int code = 0;       // mouse button or GLFW key
  int mods = 0;       // GLFW_MOD_* held with a key
  double scroll = 0;  // wheel notches, + = away from the user (zoom in)
  double time = 0;    // glfwGetTime()
};

// Keys and characters for ImGui, held back and fed a few at a time (feedImGui).
struct ImGuiInput {
  bool isChar = false;
  int key = 0, scancode = 0, action = 0, mods = 0;
  unsigned int codepoint = 0;
};

struct WindowContext {
  std::deque<InputEvent> events;
  std::deque<ImGuiInput> imguiInput;
  std::vector<std::string> dropped;
  int framesToDraw = kSettleFrames;
  bool heldPress[ImGuiMouseButton_COUNT] = {};  // a mouse press ImGui gets a frame late (holdPressAfterMove)
};

// Sets the GLFW callbacks (after ImGui_ImplGlfw_InitForOpenGL(w, true)); the window's user
// pointer must be its WindowContext.
void installCallbacks(GLFWwindow* w);
// Hands queued keys and characters to ImGui, a few a frame (see ViewerInput.cpp).
void feedImGui(GLFWwindow* window, WindowContext& wc);
// Between ImGui_ImplGlfw_NewFrame and ImGui::NewFrame: a press that came with a move waits
// a frame, so ImGui sees the cursor where it is before the button (see ViewerInput.cpp).
void holdPressAfterMove(WindowContext& wc);

// ---- the gesture and the tools ---------------------------------------------------------------
struct Gesture {
  Vec2 dragLast;                 // window units
  double lastClickTime = -1e9;   // for double-clicks
  Vec2 lastClickAt;
  bool screenshotRequested = false;
  // The press that may become a click (released without moving): where, and whether it
  // was the second press of a double-click.
  bool pressOnMap = false;
  Vec2 pressAt;
  bool pressWasDouble = false;
  int pressMods = 0;
  std::optional<Vec2> click;     // a click on the map this frame (window units)
  int clickMods = 0;
  bool clickWasDouble = false;
};

// The tools around the map: search, navigation, measuring, the overview, the view history.
struct Tools {
  PinyinTable pinyin;
  SearchIndex searchIndex;
  SearchPanel search;
  NavigationPanel navigation;
  MeasureTool measure;
  InsetMap inset;
  ViewHistory history;
  InspectorState inspector;
  UiRect inspectorDock;  // this frame's place for it in the right dock (empty: it floats)
  AttributeTables tables;
  // A table row clicked last frame, framed this frame once the inspector its pick opens is
  // drawn (that window covers the map too).
  std::optional<AttributeTableResult> pendingRowFrame;
  double historyDueSec = INFINITY;  // when the view counts as settled (recorded in history)
  View recordedView;                // the view the due time is for
};


// Records the view in the history once it has settled (unchanged for a moment, mouse up).
void noteViewForHistory(ViewerState& st, Tools& t, double nowSec);
// Shows a view from the history (switching the CRS back if it was another).
void showView(ViewerState& st, const ViewRecord& v);
// Window units -> lon/lat and map pixels.
Vec2 lonLatAtWindow(const ViewerState& st, Vec2 window);
Vec2 toMapPx(const ViewerState& st, Vec2 window);
// Applies the queued mouse and key events to the view (after ImGui::NewFrame, so
// io.WantCaptureMouse/Keyboard describe the cursor's current place), then clears them.
void applyInput(GLFWwindow* window, ViewerState& st, Gesture& g, Tools& tools, std::deque<InputEvent>& events);

// ---- requests, clicks and hover (ViewerRequests.cpp) ----------------------------------------
struct HoverCache {
  std::string layer;
  long long feature = -1;
  uint64_t generation = 0;
  uint64_t askSeq = 0;   // a database layer's question to its server, unanswered (0: none)
};


// Writes the session file now (Ctrl+S, exit); the outcome goes to st.sessionSaves/sessionError.
void saveSessionNow(ViewerState& st);
// Applies what the panels asked for last frame. True when anything changed.
bool applyRequests(ViewerState& st, UiFont& font);
// The map's canvas in the view's own units (window units from the canvas's corner: the view
// is the canvas). What framing a feature or a place fits into.
UiRect mapCanvas(const ViewerState& st);
// Shows `target` (display CRS) in the part of the canvas `cover` and then `cover2` (floating
// windows; empty: none) leave free: a box fitted, a point centred at 1:pointScale
// (nav/ViewFraming.h).
void frameFeature(ViewerState& st, const Bounds& target, double pointScale, const UiRect& cover,
                  const UiRect& cover2 = UiRect{});
// A search result picked: its own extent fitted into the canvas (a county, a township), a
// point at its layer's point scale.
void flyTo(ViewerState& st, const FlyToRequest& fly, const UiRect& cover = UiRect{});
// Opens files dropped on the window (or chosen in File ▸ Open…) as layers, frames each,
// and remembers each that opened in the recent files (then reads that list again into
// `files` when it changed).
void openDropped(ViewerState& st, std::vector<std::string>& dropped, FileDialogState& files);
// The File ▸ Open… window; a file it or File ▸ Open Recent chose joins `dropped` (opened
// next frame, exactly as a dropped file).
void drawOpenFile(ViewerState& st, FileDialogState& files, float uiScale, TestRects& rects, WindowContext& wc);
// A click on the map: selects (or, while measuring, adds a point).
void applyClick(ViewerState& st, Gesture& g, Tools& tools);
// The feature under the cursor, described once per feature.
void updateHover(ViewerState& st, HoverCache& cache, UiFont& font);

// ---- one frame (ViewerFrame.cpp) -------------------------------------------------------------
struct Frame {
  GLFWwindow* window = nullptr;
  MapFrame map;
  // Pans and zooms move the last full frame; the full frame follows when the gesture ends.
  InteractiveRenderer interactive;
  std::string mapQuality;  // of the map frame last rendered: "final" (labels) or "interactive"
  View lastView;
  bool lastLegendOnMap = false;  // the last frame drew the legend on the map
  uint64_t lastSelectionVersion = 0;  // the selection the map's labels were placed for
  std::unique_ptr<OffscreenTarget> target;
  UiFont font;
  ImGuiStyle baseStyle;
  float fontScale = 0;  // the content scale the atlas and style were made for
  WindowFacts facts;
  uint64_t frameCount = 0;
  double lastFrameMs = 0;  // the last frame's own time, unsmoothed (the "frame.ms" fact)
  double maxFrameMs = 0;   // the longest since the start-up frames ("frame.maxMs")
  // When the loop stopped waiting for input this time round: picking up loaded layers and
  // preparing them happens before drawFrame, on the same thread, and counts in "frame.ms".
  std::chrono::steady_clock::time_point workStart{};
  // Loading layers: when each was first seen loading (glfwGetTime, by id), and when the
  // loop should draw again to tick the layer rows' seconds (INFINITY: nothing loads).
  std::map<std::string, double> loadStartedSec;
  double loadTickDueSec = INFINITY;
  std::string lastScreenshot;
  LogPanelState log;
  TimeChartState chart;
  ReloadOfferState reload;
  MissingDataState missingData;  // the panel shown while the derived data is missing
  Tools tools;
  ExportDialogState exportDialog;
  PluginFoldersPanelState pluginFolders;
  FileDialogState fileDialog;  // File ▸ Open… and the recent files
  PluginWatcher* watcher = nullptr;  // Viewer.cpp's: a folder the user adds is watched at once
  TestRects rects;  // for the test hook only (TestStateWriter)
};


// A layer's extent fitted into the canvas (the Navigation panel's combo, a layer row's
// menu); a table layer, or one whose rows all lack geometry, has no place: the status bar
// says so.
void zoomToLayer(ViewerState& st, const std::string& layerId);
// The layer a row's menu asked to remove (st.requestedRemoval), between frames: taken out
// of the store (LayerStore::remove), then what the viewer keeps of it — the state's
// references (forgetRemovedLayer), its attribute table, its GPU buffers, its load's
// seconds, the data files watched for it, its database feed — and said in the status bar
// and the log. True when a layer went.
bool applyRemoval(ViewerState& st, Frame& f);

// Window units per logical pixel of the panels: the monitor's scale and the user's own.
float uiScaleOf(const ViewerState& st);
// Reads the window's size and scale into f.facts and the view.
void measureWindow(ViewerState& st, Frame& f);
// One frame: input, requests, the panels, the map, the swap.
void drawFrame(ViewerState& st, Frame& f, Gesture& g, WindowContext& wc, HoverCache& hover);

}  // namespace bcmap::viewer
