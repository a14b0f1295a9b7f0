// The viewer's window and main loop. Reads top to bottom as the loop runs.
//
// Sections: 1. window and input callbacks  2. applying input to the view  3. requests and
// hover  4. one frame  5. runViewer: set-up, loop, shutdown
//
// Input: GLFW callbacks (chained to Dear ImGui's) only queue events and wake the loop; the
// loop applies them after ImGui::NewFrame, when io.WantCaptureMouse/Keyboard describe the
// cursor's current place. So a click that arrives in the same batch as the move onto a
// panel goes to the panel, not to the map.
//
// Idle: frames are drawn only after an event (and a few more, which ImGui needs to settle
// hover states and auto-sized windows); otherwise the loop sleeps in glfwWaitEventsTimeout.
#include "ui/Viewer.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "host/SearchIndex.h"
#include "nav/ViewHistory.h"
#include "io/Projection.h"
#include "render/GlContext.h"
#include "host/PluginWatcher.h"
#include "render/FrameCache.h"
#include "render/MapFrame.h"
#include "ui/panels/ExportDialog.h"
#include "ui/panels/FeatureTooltip.h"
#include "ui/panels/HelpWindow.h"
#include "ui/panels/InsetMap.h"
#include "ui/panels/Inspector.h"
#include "ui/panels/AttributeTable.h"
#include "ui/panels/MeasureTool.h"
#include "ui/NavText.h"
#include "ui/panels/NavigationPanel.h"
#include "ui/panels/SearchPanel.h"
#include "ui/panels/LayerPanel.h"
#include "ui/panels/LogPanel.h"
#include "ui/panels/MainMenu.h"
#include "ui/panels/ReloadOffer.h"
#include "ui/Session.h"
#include "ui/panels/StatusBar.h"
#include "ui/testing/TestHooks.h"
#include "ui/panels/TimeChart.h"
#include "ui/panels/TimeSlider.h"
#include "ui/UiFont.h"
#include "ui/UiGlyphs.h"
#include "ui/UiText.h"
#include "ui/ViewerState.h"

namespace bcmap {

namespace {

constexpr int kWindowWidth = 1280;
constexpr int kWindowHeight = 800;
constexpr double kWheelZoomStep = 1.25;   // per wheel notch
constexpr double kKeyZoomStep = 2.0;      // per +/- key press, and a double-click
constexpr double kKeyPanPx = 100.0;       // per arrow key press (logical pixels)
constexpr double kDoubleClickS = 0.35;    // two clicks closer in time than this...
constexpr double kDoubleClickPx = 4.0;    // ...and in space (logical pixels) make a double-click
constexpr int kSettleFrames = 3;          // frames drawn after an event (ImGui settles hover/size)
constexpr double kIdleWaitS = 1.0;        // the loop wakes this often when idle, and draws nothing
constexpr double kFrameTimeSmoothing = 0.1;  // weight of the newest frame in the shown frame time
constexpr float kHoverRadiusPx = 5.0f;    // identify radius around the cursor, logical pixels
constexpr float kTimeMargin = 10.0f;      // logical pixels between the time slider and the panel
// Logical pixels kept free under the time slider: MapFrame's scale bar and attribution line
// run along the bottom edge of the map.
constexpr float kTimeBottomGap = 28.0f;

// ---- 1. window and input callbacks --------------------------------------------------------
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
};

std::string gGlfwError;

void onGlfwError(int code, const char* text) {
  gGlfwError = std::string(text ? text : "unknown error") + " (GLFW error " + std::to_string(code) + ")";
}

WindowContext& contextOf(GLFWwindow* w) { return *static_cast<WindowContext*>(glfwGetWindowUserPointer(w)); }

void wake(GLFWwindow* w) { contextOf(w).framesToDraw = kSettleFrames; }

void queue(GLFWwindow* w, InputEvent e) {
  double x = 0, y = 0;
  glfwGetCursorPos(w, &x, &y);
  if (e.kind != InputEvent::Kind::Move) e.window = {x, y};
  e.time = glfwGetTime();
  contextOf(w).events.push_back(e);
  wake(w);
}

void onCursorPos(GLFWwindow* w, double x, double y) {
  InputEvent e;
  e.kind = InputEvent::Kind::Move;
  e.window = {x, y};
  queue(w, e);
}

void onMouseButton(GLFWwindow* w, int button, int action, int mods) {
  ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
  InputEvent e;
  e.kind = action == GLFW_PRESS ? InputEvent::Kind::Press : InputEvent::Kind::Release;
  e.code = button;
  e.mods = mods;
  queue(w, e);
}

void onScroll(GLFWwindow* w, double dx, double dy) {
  ImGui_ImplGlfw_ScrollCallback(w, dx, dy);
  InputEvent e;
  e.kind = InputEvent::Kind::Scroll;
  e.scroll = dy;
  queue(w, e);
}

void onKey(GLFWwindow* w, int key, int scancode, int action, int mods) {
  ImGuiInput in;
  in.key = key, in.scancode = scancode, in.action = action, in.mods = mods;
  contextOf(w).imguiInput.push_back(in);
  if (action == GLFW_RELEASE) {
    wake(w);
    return;
  }
  InputEvent e;
  e.kind = InputEvent::Kind::Key;
  e.code = key;
  e.mods = mods;
  queue(w, e);
}

void onChar(GLFWwindow* w, unsigned int codepoint) {
  ImGuiInput in;
  in.isChar = true;
  in.codepoint = codepoint;
  contextOf(w).imguiInput.push_back(in);
  wake(w);
}

void onCursorEnter(GLFWwindow* w, int entered) {
  ImGui_ImplGlfw_CursorEnterCallback(w, entered);
  wake(w);
}

void onWindowFocus(GLFWwindow* w, int focused) {
  ImGui_ImplGlfw_WindowFocusCallback(w, focused);
  wake(w);
}

void onDrop(GLFWwindow* w, int count, const char** paths) {
  for (int i = 0; i < count; ++i)
    if (paths[i]) contextOf(w).dropped.emplace_back(paths[i]);
  wake(w);
}

void onWindowChanged(GLFWwindow* w) { wake(w); }
void onSizeChanged(GLFWwindow* w, int, int) { wake(w); }
void onScaleChanged(GLFWwindow* w, float, float) { wake(w); }

void installCallbacks(GLFWwindow* w) {
  // After ImGui_ImplGlfw_InitForOpenGL(w, true): these replace ImGui's callbacks and pass
  // every event on to them — at once, except keys and characters (see feedImGui).
  glfwSetCursorPosCallback(w, onCursorPos);
  glfwSetMouseButtonCallback(w, onMouseButton);
  glfwSetScrollCallback(w, onScroll);
  glfwSetKeyCallback(w, onKey);
  glfwSetCharCallback(w, onChar);
  glfwSetCursorEnterCallback(w, onCursorEnter);
  glfwSetWindowFocusCallback(w, onWindowFocus);
  glfwSetDropCallback(w, onDrop);
  glfwSetWindowRefreshCallback(w, onWindowChanged);
  glfwSetFramebufferSizeCallback(w, onSizeChanged);
  glfwSetWindowSizeCallback(w, onSizeChanged);
  glfwSetWindowContentScaleCallback(w, onScaleChanged);
}

bool isModifierKey(int key) {
  return key == GLFW_KEY_LEFT_SHIFT || key == GLFW_KEY_RIGHT_SHIFT || key == GLFW_KEY_LEFT_CONTROL ||
         key == GLFW_KEY_RIGHT_CONTROL || key == GLFW_KEY_LEFT_ALT || key == GLFW_KEY_RIGHT_ALT ||
         key == GLFW_KEY_LEFT_SUPER || key == GLFW_KEY_RIGHT_SUPER;
}

// ImGui 1.86 keeps keys as a state array (io.KeysDown) read once a frame: a key pressed
// and released between two frames (xdotool, a fast typist on a slow frame) never reaches
// it. So keys and characters go to ImGui in order, and a frame takes them only until a key
// changes a second time, until a character follows a key that edits text (ImGui applies
// a frame's characters before its editing keys, which would swap them), or until a
// modifier changes after another key (Ctrl released in the frame that pressed A would
// make Ctrl+A a plain A: X servers send Ctrl's release before A's).
void feedImGui(GLFWwindow* window, WindowContext& wc) {
  std::vector<int> changed;
  bool editingKeyFed = false;
  bool anyFed = false;
  while (!wc.imguiInput.empty()) {
    const ImGuiInput& in = wc.imguiInput.front();
    if (in.isChar) {
      if (editingKeyFed) break;
      ImGui_ImplGlfw_CharCallback(window, in.codepoint);
    } else {
      if (std::find(changed.begin(), changed.end(), in.key) != changed.end()) break;
      if (isModifierKey(in.key) && anyFed) break;
      ImGui_ImplGlfw_KeyCallback(window, in.key, in.scancode, in.action, in.mods);
      changed.push_back(in.key);
      // Printable keys (GLFW_KEY_SPACE..GLFW_KEY_GRAVE_ACCENT) only type, unless a
      // modifier makes them a shortcut.
      const bool printable = in.key >= GLFW_KEY_SPACE && in.key <= GLFW_KEY_GRAVE_ACCENT &&
                             !(in.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER));
      if (in.action != GLFW_RELEASE && !printable) editingKeyFed = true;
    }
    anyFed = true;
    wc.imguiInput.pop_front();
  }
  if (!wc.imguiInput.empty()) wc.framesToDraw = std::max(wc.framesToDraw, 2);
}

// ---- 2. applying input to the view -----------------------------------------------------
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
  AttributeTables tables;
  double historyDueSec = INFINITY;  // when the view counts as settled (recorded in history)
  View recordedView;                // the view the due time is for
};

// How long a view must stay unchanged (and the mouse up) to count as a step in the history:
// a drag, a burst of wheel notches or a fly-to is one step, not one per frame.
constexpr double kHistorySettleS = 0.4;

// Records the view in the history once it has settled (see kHistorySettleS).
void noteViewForHistory(ViewerState& st, Tools& t, double nowSec) {
  const View& v = st.view;
  const View& r = t.recordedView;
  const bool changed = v.center.x != r.center.x || v.center.y != r.center.y || v.unitsPerPixel != r.unitsPerPixel;
  if (changed) {
    t.recordedView = v;
    t.historyDueSec = nowSec + kHistorySettleS;
    return;
  }
  if (std::isfinite(t.historyDueSec) && nowSec >= t.historyDueSec && !st.dragging) {
    t.history.record(ViewRecord{v.center, v.unitsPerPixel, st.displayCrs});
    t.historyDueSec = INFINITY;
  }
}

// Shows a view from the history (switching the CRS back if it was another).
void showView(ViewerState& st, const ViewRecord& v) {
  std::string err;
  if (v.displayCrs != st.displayCrs && !switchDisplayCrs(st, v.displayCrs, &err)) {
    logWarning("viewer: back/forward: " + err);
    return;
  }
  st.view.center = v.center;
  st.view.unitsPerPixel = v.unitsPerPixel;
}

Vec2 lonLatAtWindow(const ViewerState& st, Vec2 window) {
  if (!st.toLonLat) return {NAN, NAN};
  return st.toLonLat->forward(st.view.toWorld({window.x * st.pixelRatio, window.y * st.pixelRatio}));
}

Vec2 toMapPx(const ViewerState& st, Vec2 window) { return {window.x * st.pixelRatio, window.y * st.pixelRatio}; }

void applyInput(GLFWwindow* window, ViewerState& st, Gesture& g, Tools& tools, std::deque<InputEvent>& events) {
  const ImGuiIO& io = ImGui::GetIO();
  g.click.reset();
  const double logicalPx = st.contentScale;  // framebuffer pixels per logical pixel
  for (const InputEvent& e : events) {
    switch (e.kind) {
      case InputEvent::Kind::Move:
        if (st.dragging) {
          st.view.panPixels((e.window.x - g.dragLast.x) * st.pixelRatio, (e.window.y - g.dragLast.y) * st.pixelRatio);
          g.dragLast = e.window;
        }
        break;
      case InputEvent::Kind::Press: {
        // The mouse's back and forward buttons step through past views, as in a browser.
        if (e.code == GLFW_MOUSE_BUTTON_4 || e.code == GLFW_MOUSE_BUTTON_5) {
          if (auto v = e.code == GLFW_MOUSE_BUTTON_4 ? tools.history.back() : tools.history.forward()) showView(st, *v);
          break;
        }
        if (e.code != GLFW_MOUSE_BUTTON_LEFT || io.WantCaptureMouse) break;
        st.dragging = true;
        g.dragLast = e.window;
        g.pressOnMap = true;
        g.pressAt = e.window;
        g.pressMods = e.mods;
        g.pressWasDouble = false;
        const double apart = std::hypot(e.window.x - g.lastClickAt.x, e.window.y - g.lastClickAt.y) * st.pixelRatio;
        if (e.time - g.lastClickTime < kDoubleClickS && apart < kDoubleClickPx * logicalPx) {
          g.pressWasDouble = true;
          // While measuring, a double-click finishes the line instead of zooming.
          if (!tools.measure.active()) st.view.zoomAbout(toMapPx(st, e.window), kKeyZoomStep);
          g.lastClickTime = -1e9;  // a third click starts a new pair
        } else {
          g.lastClickTime = e.time;
          g.lastClickAt = e.window;
        }
        break;
      }
      case InputEvent::Kind::Release:
        if (e.code != GLFW_MOUSE_BUTTON_LEFT) break;
        st.dragging = false;
        // Released where it was pressed: a click (select, or a measuring point).
        if (g.pressOnMap &&
            std::hypot(e.window.x - g.pressAt.x, e.window.y - g.pressAt.y) * st.pixelRatio < kDoubleClickPx * logicalPx) {
          g.click = g.pressAt;
          g.clickMods = g.pressMods;
          g.clickWasDouble = g.pressWasDouble;
        }
        g.pressOnMap = false;
        break;
      case InputEvent::Kind::Scroll:
        if (io.WantCaptureMouse || e.scroll == 0) break;
        st.view.zoomAbout(toMapPx(st, e.window), std::pow(kWheelZoomStep, e.scroll));
        break;
      case InputEvent::Kind::Key: {
        if (io.WantCaptureKeyboard) break;
        const Vec2 centre{st.view.widthPx * 0.5, st.view.heightPx * 0.5};
        const double step = kKeyPanPx * logicalPx;
        switch (e.code) {
          case GLFW_KEY_EQUAL:
          case GLFW_KEY_KP_ADD: st.view.zoomAbout(centre, kKeyZoomStep); break;
          case GLFW_KEY_MINUS:
          case GLFW_KEY_KP_SUBTRACT: st.view.zoomAbout(centre, 1.0 / kKeyZoomStep); break;
          // An arrow moves the view that way: the map slides the other way.
          case GLFW_KEY_LEFT:
            if (e.mods & GLFW_MOD_ALT) {
              if (auto v = tools.history.back()) showView(st, *v);
            } else {
              st.view.panPixels(step, 0);
            }
            break;
          case GLFW_KEY_RIGHT:
            if (e.mods & GLFW_MOD_ALT) {
              if (auto v = tools.history.forward()) showView(st, *v);
            } else {
              st.view.panPixels(-step, 0);
            }
            break;
          case GLFW_KEY_UP: st.view.panPixels(0, step); break;
          case GLFW_KEY_DOWN: st.view.panPixels(0, -step); break;
          case GLFW_KEY_HOME: st.fitRequested = true; break;
          case GLFW_KEY_F12: g.screenshotRequested = true; break;
          case GLFW_KEY_F1: st.panels.help = !st.panels.help; break;
          case GLFW_KEY_L:
            if (e.mods & GLFW_MOD_CONTROL) st.panels.log = !st.panels.log;
            break;
          case GLFW_KEY_F:
            if (e.mods & GLFW_MOD_CONTROL) {
              st.panels.search = true;
              tools.search.focusRequested = true;
            }
            break;
          case GLFW_KEY_C:
            if ((e.mods & GLFW_MOD_CONTROL) && st.cursorInMap)
              copyCoordinate(st.cursorLonLat, st.cursorWorld, st.displayCrs, st.displayIsGeographic);
            break;
          case GLFW_KEY_M:
            if (!(e.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT))) {
              st.panels.measure = true;
              tools.measure.setMode(MeasureMode::Distance);
            }
            break;
          case GLFW_KEY_ENTER:
          case GLFW_KEY_KP_ENTER: tools.measure.enter(); break;
          case GLFW_KEY_Z:
            if (e.mods & GLFW_MOD_CONTROL) st.undoRequested = true;
            break;
          case GLFW_KEY_E:
            if (e.mods & GLFW_MOD_CONTROL) st.panels.exportDialog = true;
            break;
          case GLFW_KEY_ESCAPE:
            // Esc first cancels a measurement in progress, then clears the selection.
            if (tools.measure.escape()) {
              if (!tools.measure.active()) st.panels.measure = false;
              break;
            }
            st.selection.clear();
            st.layersChanged = true;
            break;
          case GLFW_KEY_Q:
            if (e.mods & GLFW_MOD_CONTROL) glfwSetWindowShouldClose(window, GLFW_TRUE);
            break;
          case GLFW_KEY_S:
            if (e.mods & GLFW_MOD_CONTROL) st.saveRequested = true;
            break;
          case GLFW_KEY_SPACE:
            if (st.time.shown) {
              togglePlay(st.time, e.time);
              st.timeChanged = true;
            }
            break;
          default: break;
        }
        break;
      }
    }
  }
  events.clear();
}

// ---- 3. requests and hover ----------------------------------------------------------------
void saveSessionNow(ViewerState& st) {
  std::string err;
  if (saveSession(st.sessionPath, captureSession(st), &err)) {
    ++st.sessionSaves;
    st.sessionError.clear();
    logInfo("session saved to " + st.sessionPath);
  } else {
    st.sessionError = err;
    logWarning("viewer: " + err);
  }
}

// A setting the layer panel changed: the plugin hears of it and the layer reloads
// (LayerStore::setSetting). The user's opacity survives the reload, which would reset it to
// the style's.
void applySetting(ViewerState& st, UiFont& font, const SettingEdit& edit) {
  const std::string key = settingKey(edit.layerId, edit.key);
  st.settingDrafts.erase(key);
  Layer* l = st.session->store->find(edit.layerId);
  if (!l) return;
  st.lastEditedSetting[l->id] = edit.key;
  const float opacity = l->opacity;
  std::string err;
  st.session->store->setSetting(*l, edit.key, edit.value, &err);
  l->opacity = opacity;
  // A load that fails with the new value marks the layer failed, with its reason; the
  // panel shows that under the setting changed last (settingErrorText). What is kept here
  // is the plugin refusing the value itself.
  if (err.empty()) {
    st.settingErrors.erase(key);
    return;
  }
  st.settingErrors[key] = err;
  font.addText(err);
  logWarning("viewer: " + err);
}

// Applies what the panels asked for last frame. True when anything changed.
bool applyRequests(ViewerState& st, UiFont& font) {
  LayerStore& store = *st.session->store;
  bool changed = false;
  for (const SettingEdit& e : st.requestedSettings) applySetting(st, font, e);
  if (!st.requestedSettings.empty()) changed = true;
  st.requestedSettings.clear();
  // Style edits (a slider dragged is one undo step: `ongoing` merges them) and Ctrl+Z.
  for (const StyleEditRequest& r : st.requestedStyles) {
    std::string err;
    if (applyStyleChange(store, st.styleHistory, r.layerId, r.spec, r.ongoing, &err)) {
      st.styleEditor.errors.erase(r.layerId);
    } else {
      st.styleEditor.errors[r.layerId] = err;
      font.addText(err);
      logWarning("viewer: " + err);
    }
    changed = true;
  }
  st.requestedStyles.clear();
  if (st.undoRequested) {
    std::string err;
    if (!undoStyleChange(store, st.styleHistory, &err).empty()) changed = true;
    if (!err.empty()) logWarning("viewer: " + err);
    st.undoRequested = false;
  }
  if (st.saveRequested) {
    saveSessionNow(st);
    st.saveRequested = false;
  }
  if (st.requestedMove) {
    store.move(st.requestedMove->from, st.requestedMove->to);
    st.requestedMove.reset();
    changed = true;
  }
  for (const std::string& id : st.requestedLoads) {
    if (Layer* l = store.find(id); l && l->status == LayerStatus::Pending) {
      store.load(*l);
      if (l->status == LayerStatus::Failed) l->visible = false;
    }
    changed = true;
  }
  st.requestedLoads.clear();
  if (st.requestedCrs) {
    std::string err;
    if (switchDisplayCrs(st, *st.requestedCrs, &err)) {
      st.crsError.clear();
      if (std::none_of(kDisplayCrsChoices.begin(), kDisplayCrsChoices.end(),
                       [&](const DisplayCrs& c) { return st.displayCrs == c.code; }))
        st.crsInput = st.displayCrs;
    } else {
      st.crsError = err;
      font.addText(err);
    }
    st.requestedCrs.reset();
    changed = true;
  }
  if (st.fitRequested) {
    fitAll(st);
    st.fitRequested = false;
    changed = true;
  }
  return changed;
}

void openDropped(ViewerState& st, std::vector<std::string>& dropped) {
  LayerStore& store = *st.session->store;
  for (const std::string& path : dropped) {
    Layer& l = store.addFileLayer(st.session->host, path, st.options->gcj02);
    store.load(l);
    if (l.status != LayerStatus::Loaded) {
      l.visible = false;
      logWarning("dropped file " + path + ": " + l.error);
      continue;
    }
    l.visible = true;
    std::string err;
    if (auto p = store.prepare(l, st.displayCrs, &err)) fitBounds(st, p->bounds);
  }
  dropped.clear();
}

struct HoverCache {
  std::string layer;
  long long feature = -1;
  uint64_t generation = 0;
};

// The topmost visible feature within the hover radius of a place (lon/lat): what hovering
// describes and a click selects. What the time slider hides cannot be picked.
std::optional<IdentifyHit> pickAt(ViewerState& st, Vec2 lonLat) {
  if (!std::isfinite(lonLat.x) || !std::isfinite(lonLat.y)) return std::nullopt;
  std::vector<std::string> ids;
  LayerStore& store = *st.session->store;
  for (auto& l : store.layers())
    if (l->visible && l->status == LayerStatus::Loaded) ids.push_back(l->id);
  if (ids.empty()) return std::nullopt;  // an empty list would mean "every layer" to identify()
  const double metresPerPx = st.toLonLat ? groundMetresPerPixel(st.view, *st.toLonLat) : NAN;
  const double radiusM = std::isfinite(metresPerPx) ? kHoverRadiusPx * st.contentScale * metresPerPx : 0;
  std::vector<IdentifyHit> hits = store.identify(lonLat, radiusM, ids, st.time.filter(), IdentifyOptions{1});
  if (hits.empty()) return std::nullopt;
  return std::move(hits.front());
}

// A click on the map: selects the feature under it (Shift: adds or removes it), or, while
// measuring, adds a point.
void applyClick(ViewerState& st, Gesture& g, Tools& tools) {
  if (!g.click) return;
  const Vec2 lonLat = lonLatAtWindow(st, *g.click);
  if (tools.measure.active()) {
    if (std::isfinite(lonLat.x) && std::isfinite(lonLat.y)) tools.measure.click(lonLat, g.clickWasDouble);
    return;
  }
  if (g.clickWasDouble) return;  // the second click of a double-click zoomed
  const SelectMode mode = (g.clickMods & GLFW_MOD_SHIFT) ? SelectMode::Toggle : SelectMode::Replace;
  const std::optional<IdentifyHit> hit = pickAt(st, lonLat);
  Layer* layer = hit ? st.session->store->find(hit->layerId) : nullptr;
  if (layer)
    st.selection.select(*layer, hit->feature, mode);
  else
    st.selection.selectNothing(mode);
}

void updateHover(ViewerState& st, HoverCache& cache, UiFont& font) {
  const bool canHover = st.cursorInMap && !st.dragging && !ImGui::GetIO().WantCaptureMouse;
  std::vector<IdentifyHit> hits;
  if (canHover)
    if (auto h = pickAt(st, st.cursorLonLat)) hits.push_back(std::move(*h));
  LayerStore& store = *st.session->store;
  if (hits.empty()) {
    st.hoverLayer.clear();
    st.hoverFeature = -1;
    st.hoverFeatureId.clear();
    st.hoverText.clear();
    cache = HoverCache{};
    return;
  }
  const IdentifyHit& h = hits.front();
  Layer* layer = store.find(h.layerId);
  st.hoverLayer = h.layerId;
  st.hoverFeature = static_cast<long long>(h.feature);
  st.hoverFeatureId = h.featureId;
  // The plugin is asked once per hovered feature, not every frame.
  if (layer && (cache.layer != h.layerId || cache.feature != st.hoverFeature || cache.generation != layer->generation)) {
    st.hoverText = store.describeFeature(*layer, h.feature);
    cache = {h.layerId, st.hoverFeature, layer->generation};
    font.addText(st.hoverText);
  }
}

// ---- 4. one frame ------------------------------------------------------------------------
struct Frame {
  GLFWwindow* window = nullptr;
  MapFrame map;
  // Pans and zooms move the last full frame; the full frame follows when the gesture ends.
  InteractiveRenderer interactive;
  View lastView;
  double lastInsetLeftPx = 0;
  std::unique_ptr<OffscreenTarget> target;
  UiFont font;
  ImGuiStyle baseStyle;
  float fontScale = 0;  // the content scale the atlas and style were made for
  WindowFacts facts;
  uint64_t frameCount = 0;
  std::string lastScreenshot;
  LogPanelState log;
  TimeChartState chart;
  ReloadOfferState reload;
  Tools tools;
  ExportDialogState exportDialog;
};

// The panels down the right edge: search, navigation, measure; the overview bottom-left;
// the measured line over the map.
void drawTools(ViewerState& st, Frame& f, float s, float mapBottom) {
  Tools& t = f.tools;
  LayerStore& store = *st.session->store;
  const float margin = 10 * s, gap = 6 * s;
  const float right = static_cast<float>(f.facts.width) - margin;
  float top = st.menuBarHeight + margin;
  const Vec2 cursor = st.cursorInMap ? st.cursorLonLat : Vec2{NAN, NAN};
  auto named = [&](const std::string& name, const UiRect& r) {
    if (!r.empty()) st.namedRects[name] = r;
  };
  if (st.panels.search) {
    if (auto fly = t.search.draw(t.searchIndex, s, right, top)) {
      std::string err;
      auto tr = Transformer::create(kLonLatCrs, st.displayCrs, &err);
      std::optional<Bounds> b = tr ? tr->transformBounds(fly->lonLatBounds) : std::nullopt;
      if (b && !b->empty()) {
        fitBounds(st, *b);
        // The place itself at the centre: a county's label point, not its box's middle.
        if (tr) {
          const Vec2 c = tr->forward(fly->lonLat);
          if (std::isfinite(c.x) && std::isfinite(c.y)) st.view.center = c;
        }
      } else if (!err.empty()) {
        logWarning("viewer: fly to " + fly->label + ": " + err);
      }
      st.namedFacts["search.flewTo"] = fly->label;
    }
    if (t.search.textChanged()) f.font.addText(t.search.text());
    const SearchPanelRects& r = t.search.rects();
    named("search.window", r.window);
    named("search.input", r.input);
    for (size_t i = 0; i < r.results.size(); ++i) named("search.result." + std::to_string(i), r.results[i]);
    if (!r.window.empty()) top = r.window.y1 + gap;
  }
  NavigationInput in;
  in.store = &store;
  in.displayToLonLat = st.toLonLat ? &*st.toLonLat : nullptr;
  in.displayCrs = st.displayCrs;
  in.displayIsGeographic = st.displayIsGeographic;
  in.cursorLonLat = cursor;
  in.cursorWorld = st.cursorInMap ? st.cursorWorld : Vec2{NAN, NAN};
  in.centreWorld = st.view.center;
  in.canBack = t.history.canBack();
  in.canForward = t.history.canForward();
  if (st.panels.navigation) in.dataLonLat = store.extent(kLonLatCrs, false);
  if (st.panels.navigation) {
    const NavigationRequests nav = t.navigation.draw(in, s, right, top, &st.panels.navigation);
    if (nav.goToWorld) st.view.center = *nav.goToWorld;
    if (nav.back) st.backRequested = true;
    if (nav.forward) st.forwardRequested = true;
    if (!nav.zoomToLayer.empty())
      if (Layer* l = store.find(nav.zoomToLayer)) {
        std::string err;
        if (auto p = store.prepare(*l, st.displayCrs, &err); p && !p->bounds.empty()) fitBounds(st, p->bounds);
      }
    const NavigationRects& r = t.navigation.rects();
    named("nav.window", r.window);
    named("nav.goToField", r.goToField);
    named("nav.back", r.backButton);
    named("nav.forward", r.forwardButton);
    if (!r.window.empty()) top = r.window.y1 + gap;
  }
  if (st.measureRequest != ViewerState::MeasureRequest::None) {
    st.panels.measure = true;
    t.measure.setMode(st.measureRequest == ViewerState::MeasureRequest::Area ? MeasureMode::Area : MeasureMode::Distance);
    st.measureRequest = ViewerState::MeasureRequest::None;
  }
  if (st.panels.measure && !t.measure.active()) t.measure.setMode(MeasureMode::Distance);
  if (st.panels.measure) {
    t.measure.drawPanel(s, right, top, &st.panels.measure, cursor);
    if (!st.panels.measure) t.measure.setMode(MeasureMode::None);
    named("measure.window", t.measure.rects().window);
    st.namedFacts["measure.result"] = t.measure.active() ? std::to_string(t.measure.measurement().points().size()) : "";
  }
  if (st.toLonLat && t.measure.active()) {
    auto toWindow = [&](Vec2 ll) {
      const Vec2 px = st.view.toPixel(st.toLonLat->inverse(ll));
      return ImVec2(static_cast<float>(px.x / st.pixelRatio), static_cast<float>(px.y / st.pixelRatio));
    };
    t.measure.drawOverlay(toWindow, cursor, s);
  }
  if (st.panels.inset && st.toLonLat) {
    // Bottom-left, above the scale bar; beside the layer panel when the panel reaches down
    // that far (its height last frame tells).
    float bottom = mapBottom - 46 * s;  // clear of the scale bar and its label
    const float insetH = t.inset.rect().empty() ? 200 * s : t.inset.rect().y1 - t.inset.rect().y0;
    const float insetW = t.inset.rect().empty() ? 180 * s : t.inset.rect().x1 - t.inset.rect().x0;
    const bool besidePanel = !st.layerPanelRect.empty() && st.layerPanelRect.y1 + gap > bottom - insetH;
    const float left = besidePanel ? st.layerPanelRect.x1 + margin : margin;
    // Beside the panel it may meet the time slider: then it sits above it.
    const UiRect& time = st.timeWindowRect;
    if (!time.empty() && time.x0 < left + insetW && time.x1 > left) bottom = std::min(bottom, time.y0 - gap);
    if (auto c = t.inset.draw(s, left, bottom, 180, viewOutlineLonLat(st.view, *st.toLonLat))) {
      const Vec2 w = st.toLonLat->inverse(*c);
      if (std::isfinite(w.x) && std::isfinite(w.y)) st.view.center = w;
    }
    named("inset", t.inset.rect());
  }
  const InspectorResult inspected = drawInspector(st, t.inspector, st.selection, s);
  if (inspected.zoomTo && !inspected.zoomTo->empty()) fitBounds(st, *inspected.zoomTo);
  if (!st.requestedTable.empty()) {
    t.tables.open(st.requestedTable);
    st.requestedTable.clear();
  }
  const AttributeTableResult tabled = t.tables.draw(st, st.selection, s);
  if (tabled.zoomTo && !tabled.zoomTo->empty()) fitBounds(st, *tabled.zoomTo);
  if (st.backRequested) {
    if (auto v = t.history.back()) showView(st, *v);
    st.backRequested = false;
  }
  if (st.forwardRequested) {
    if (auto v = t.history.forward()) showView(st, *v);
    st.forwardRequested = false;
  }
}

// Window units per logical pixel of the panels: the monitor's scale and the user's own.
float uiScaleOf(const ViewerState& st) { return st.contentScale * st.userUiScale / st.pixelRatio; }

void measureWindow(ViewerState& st, Frame& f) {
  WindowFacts& w = f.facts;
  glfwGetWindowPos(f.window, &w.x, &w.y);
  glfwGetWindowSize(f.window, &w.width, &w.height);
  glfwGetFramebufferSize(f.window, &w.fbWidth, &w.fbHeight);
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(f.window, &sx, &sy);
  st.contentScale = sx > 0 ? sx : 1.0f;
  st.pixelRatio = w.width > 0 ? static_cast<float>(w.fbWidth) / static_cast<float>(w.width) : 1.0f;
  const float barPx = std::round(statusBarHeight(uiScaleOf(st)) * st.pixelRatio);
  w.mapWidth = std::max(1, w.fbWidth);
  w.mapHeight = std::max(1, w.fbHeight - static_cast<int>(barPx));
  // The centre and resolution stay: resizing shows more or less around the same place.
  st.view.widthPx = w.mapWidth;
  st.view.heightPx = w.mapHeight;
}

// The time slider's bottom edge (window units): above the scale bar, and above the
// attribution lines (with the sample notice) of the last full frame, however many lines
// they wrapped to.
float timeSliderBottom(const ViewerState& st, const Frame& f, float s, float mapBottom) {
  float bottom = mapBottom - kTimeBottomGap * s;
  const FrameRecord& rec = f.map.lastRecord();
  if (rec.heightPx == st.view.heightPx && rec.attributionTopPx > 0)
    bottom = std::min(bottom, static_cast<float>(rec.attributionTopPx / st.pixelRatio) - 4 * s);
  return bottom;
}

void updateFontAndStyle(ViewerState& st, Frame& f) {
  const float scale = st.contentScale * st.userUiScale;
  if (f.fontScale != scale) {
    ImGuiStyle style = f.baseStyle;
    style.ScaleAllSizes(uiScaleOf(st));
    ImGui::GetStyle() = style;
    f.fontScale = scale;
    f.font.rebuild(kUiFontPx * scale);  // the size changed
  } else if (f.font.rebuildDue()) {
    f.font.rebuild(kUiFontPx * scale);
  }
  // The atlas is rasterised in framebuffer pixels; ImGui lays out in window units.
  ImGui::GetIO().FontGlobalScale = 1.0f / st.pixelRatio;
}

void updateCursor(ViewerState& st, Frame& f) {
  double x = 0, y = 0;
  glfwGetCursorPos(f.window, &x, &y);
  st.cursorWindow = {x, y};
  st.cursorPx = toMapPx(st, st.cursorWindow);
  st.cursorInMap = glfwGetWindowAttrib(f.window, GLFW_HOVERED) && st.cursorPx.x >= 0 && st.cursorPx.y >= 0 &&
                   st.cursorPx.x < st.view.widthPx && st.cursorPx.y < st.view.heightPx;
  updateCursorGeo(st);
}

void drawFrame(ViewerState& st, Frame& f, Gesture& g, WindowContext& wc, HoverCache& hover) {
  const auto t0 = std::chrono::steady_clock::now();
  measureWindow(st, f);
  openDropped(st, wc.dropped);
  bool contentChanged = false;
  if (applyRequests(st, f.font)) {
    wc.framesToDraw = kSettleFrames;
    contentChanged = true;
  }
  // Cheap when nothing is new: each layer is read once per load and display CRS.
  f.font.addLayers(*st.session->store, st.displayCrs);
  updateFontAndStyle(st, f);

  feedImGui(f.window, wc);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  const double now = glfwGetTime();
  st.timeChanged = advanceTime(st.time, now);
  st.time.shown = anyLayerHasTime(*st.session->store);
  applyInput(f.window, st, g, f.tools, wc.events);
  updateCursor(st, f);
  applyClick(st, g, f.tools);
  // References to layers that reloaded are found again by feature id, or dropped.
  st.selection.validate(*st.session->store);
  updateHover(st, hover, f.font);
  if (f.tools.searchIndex.stale(*st.session->store)) f.tools.searchIndex.build(*st.session->store, f.tools.pinyin);
  if (f.tools.inset.stale(*st.session->store)) f.tools.inset.prepare(*st.session->store);

  const float s = uiScaleOf(st);
  st.layersChanged = false;
  st.namedRects.clear();
  st.namedFacts.clear();
  const float mapBottom = static_cast<float>(f.facts.height) - statusBarHeight(s);
  drawMainMenu(st, st.styleHistory.canUndo(), f.tools.history.canBack(), f.tools.history.canForward());
  drawLayerPanel(st, s, mapBottom);
  drawTimeSlider(st, s, st.layerPanelRect.x1 + kTimeMargin * s, static_cast<float>(f.facts.width) - kTimeMargin * s,
                 timeSliderBottom(st, f, s, mapBottom), now);
  drawTools(st, f, s, mapBottom);
  drawStatusBar(st, s, static_cast<float>(f.facts.width), static_cast<float>(f.facts.height));
  drawFeatureTooltip(st);
  drawTimeChart(st, f.chart, *st.session->store, s);
  drawLogPanel(st, f.log, s);
  drawReloadOffer(st, f.reload, *st.session->store, s);
  drawHelpWindow(st, s);
  const ExportRequest exportRequest = drawExportDialog(st, f.exportDialog, s);
  if (st.quitRequested) glfwSetWindowShouldClose(f.window, GLFW_TRUE);
  st.textInput = ImGui::GetIO().WantTextInput;
  // Text with glyphs the atlas lacks appeared (a tooltip): the next frame rebuilds it.
  if (st.layersChanged || st.timeChanged || st.requestedMove || st.requestedCrs || st.fitRequested ||
      !st.requestedLoads.empty() || !st.requestedSettings.empty() || !st.requestedStyles.empty() || st.undoRequested ||
      st.saveRequested || f.font.rebuildDue())
    wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
  // Visibility, opacity and the day change in the panels this frame; the cached frame is
  // stale then.
  contentChanged = contentChanged || st.layersChanged || st.timeChanged;
  ImGui::Render();

  // The map, into its own framebuffer so the status bar does not cover the scale bar and
  // attribution MapFrame puts along the bottom edge of the map.
  std::string err;
  if (!f.target || f.target->width() != f.facts.mapWidth || f.target->height() != f.facts.mapHeight) {
    if (!f.target)
      f.target = OffscreenTarget::create(f.facts.mapWidth, f.facts.mapHeight, &err);
    else if (!f.target->resize(f.facts.mapWidth, f.facts.mapHeight, &err))
      f.target.reset();
    if (!f.target) logError("viewer: map framebuffer: " + err);
  }
  FrameOptions fo;
  fo.pixelRatio = st.contentScale;
  // The layer panel reaching down to the bottom edge would hide the scale bar and the
  // attribution (with its sample notice): they move to its right.
  const UiRect& panel = st.layerPanelRect;
  if (!panel.empty() && panel.y1 * st.pixelRatio > st.view.heightPx - 48.0 * st.contentScale)
    fo.insetLeftPx = std::ceil(panel.x1 * st.pixelRatio);
  if (fo.insetLeftPx != f.lastInsetLeftPx) {
    contentChanged = true;
    f.lastInsetLeftPx = fo.insetLeftPx;
  }
  fo.day = st.time.filterDay();
  fo.timeMode = st.time.mode;
  fo.windowDays = st.time.windowDays;
  fo.legend = st.panels.legend;
  // In the window the legend sits under the search box, a little smaller than in exports.
  fo.legendScale = 0.85f * st.userUiScale;
  if (const auto it = st.namedRects.find("search.input"); it != st.namedRects.end())
    fo.legendTopPx = std::ceil((it->second.y1 + 8 * uiScaleOf(st)) * st.pixelRatio);
  fo.dateCounter = st.time.counter && st.time.shown && !st.time.all;
  if (f.target) {
    f.target->bind();
    if (contentChanged) f.interactive.invalidate();
    const View& v = st.view;
    const View& p = f.lastView;
    const bool moved = v.center.x != p.center.x || v.center.y != p.center.y || v.unitsPerPixel != p.unitsPerPixel ||
                       v.widthPx != p.widthPx || v.heightPx != p.heightPx;
    f.lastView = st.view;
    f.interactive.frame(glfwGetTime(), st.view, moved, [&](const View& view, FrameQuality quality) {
      FrameOptions full = fo;
      full.labels = quality == FrameQuality::Final;  // labels wait for the gesture to end
      f.map.draw(*st.session->store, st.displayCrs, view, full);
    });
    // The selection, then the hovered feature, go over the shown frame: neither redraws
    // the map.
    for (const FeatureRef& ref : st.selection.refs()) {
      FrameOptions sel = fo;
      sel.highlightLayer = ref.layerId;
      sel.highlightFeature = static_cast<long long>(ref.feature);
      f.map.drawHighlight(*st.session->store, st.displayCrs, st.view, sel);
    }
    if (!st.hoverLayer.empty()) {
      FrameOptions hi = fo;
      hi.highlightLayer = st.hoverLayer;
      hi.highlightFeature = st.hoverFeature;
      f.map.drawHighlight(*st.session->store, st.displayCrs, st.view, hi);
    }
    // Keep drawing until the full frame for this view is on screen.
    if (f.interactive.pending(st.view)) wc.framesToDraw = std::max(wc.framesToDraw, 1);
  }
  if (exportRequest.kind != ExportRequest::Kind::None) {
    // Drawn with the window's MapFrame (its atlases are made): the next frame redraws the
    // window's own map, since labels and the frame record now belong to the export.
    std::string msg;
    const bool ok = runExportRequest(exportRequest, st, f.map, fo, &msg);
    setExportResult(f.exportDialog, ok, msg);
    f.font.addText(msg);
    if (ok)
      logInfo("viewer: " + msg);
    else
      logWarning("viewer: export: " + msg);
    f.interactive.invalidate();
    wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, f.facts.fbWidth, f.facts.fbHeight);
  // Only the strip under the status bar needs clearing; the blit covers the rest.
  glEnable(GL_SCISSOR_TEST);
  glScissor(0, 0, f.facts.fbWidth, f.target ? f.facts.fbHeight - f.facts.mapHeight : f.facts.fbHeight);
  glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
  if (f.target) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, f.target->framebuffer());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    // GL rows count up from the bottom: the map goes to the top of the window.
    const int top = f.facts.fbHeight, bottom = f.facts.fbHeight - f.facts.mapHeight;
    glBlitFramebuffer(0, 0, f.facts.mapWidth, f.facts.mapHeight, 0, bottom, f.facts.mapWidth, top,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  if (g.screenshotRequested) {
    g.screenshotRequested = false;
    const std::string dir = screenshotDir();
    if (!dir.empty()) {
      std::string path = saveScreenshot(dir, f.facts.fbWidth, f.facts.fbHeight, f.frameCount, &err);
      if (path.empty())
        logWarning("viewer: " + err);
      else
        f.lastScreenshot = path;
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  st.frameMs = st.frameMs > 0 ? st.frameMs + kFrameTimeSmoothing * (ms - st.frameMs) : ms;
  glfwSwapBuffers(f.window);
  ++f.frameCount;
}

void initialFontText(UiFont& font, ViewerState& st) {
  font.addText(reinterpret_cast<const char*>(ui_text::kSourceGlyphs));
  for (const TimeSpeed& sp : kTimeSpeeds) font.addText(sp.label);
  for (const DisplayCrs& c : kDisplayCrsChoices) font.addText(c.label);
  font.addLayers(*st.session->store, st.displayCrs);
}

void lightStyle() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6;
  s.FrameRounding = 3;
  s.GrabRounding = 3;
  s.PopupRounding = 4;
  s.WindowBorderSize = 1;
  s.WindowPadding = ImVec2{10, 8};
  s.ItemSpacing = ImVec2{7, 5};
  // Slightly see-through panels, so the map under them is not quite hidden.
  s.Colors[ImGuiCol_WindowBg].w = 0.97f;
  s.Colors[ImGuiCol_PopupBg].w = 0.96f;
}

}  // namespace

// ---- 5. runViewer: set-up, loop, shutdown ------------------------------------------------
int runViewer(const AppOptions& options) {
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    std::fprintf(stderr, "bcmap: no display available, cannot open the viewer window (%s); "
                 "`bcmap render --out map.png` works without one\n", gGlfwError.c_str());
    return kExitFailed;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);  // macOS needs it for a core context
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);               // shown once the layers are loaded
  GLFWwindow* window = glfwCreateWindow(kWindowWidth, kWindowHeight, ui_text::kWindowTitle, nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "bcmap: cannot open an OpenGL 3.3 window (%s)\n", gGlfwError.c_str());
    glfwTerminate();
    return kExitFailed;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  AppSession session;
  // Plugins load from private copies, off the UI thread; rebuilt plugins are reloaded.
  session.host.setInteractive(true);
  // A FILE or layer that failed is shown in the panel with its reason; the viewer runs on.
  openSession(options, session, false);
  session.store->setOnResultReady([] { glfwPostEmptyEvent(); });
  // Hot reload: a plugin rebuilt (or added) in a plugin folder while the viewer runs.
  auto watcher = std::make_unique<PluginWatcher>();
  {
    std::vector<std::string> dirs{PluginHost::defaultPluginDir()};
    dirs.insert(dirs.end(), options.pluginDirs.begin(), options.pluginDirs.end());
    for (const std::string& d : dirs)
      if (std::string e; !watcher->watch(d, &e)) logWarning("viewer: " + e);
    watcher->startWaking([] { glfwPostEmptyEvent(); });
  }
  ViewerState st;
  st.options = &options;
  st.session = &session;
  st.displayCrs = options.crs;
  st.toLonLat = Transformer::create(st.displayCrs, kLonLatCrs, nullptr);
  st.displayIsGeographic = isGeographicCrs(st.displayCrs);
  // The last session, if any (Session.h says what the command line overrides).
  st.sessionPath = options.sessionPath.empty() ? sessionFilePath() : options.sessionPath;
  std::optional<SessionData> saved;
  {
    std::string err;
    saved = loadSession(st.sessionPath, &err);
    if (!err.empty()) logWarning("viewer: " + err + "; starting without it");
  }
  const bool crsGiven = options.crsGiven;
  if (saved) {
    restoreLayers(*saved, *session.store, &session.host, !options.layersGiven);
    restorePanels(*saved, st);
    for (const auto& [layerId, feature] : restoreSelection(*saved, *session.store))
      if (Layer* l = session.store->find(layerId)) st.selection.select(*l, feature, SelectMode::Add);
    if (!crsGiven && options.files.empty()) restoreDisplayCrs(*saved, st);
    restoreTime(*saved, st);
  }

  int status = kExitOk;
  {
    Frame f;
    f.window = window;
    WindowContext wc;
    Gesture g;
    HoverCache hover;
    TestStateWriter testState;
    std::string err;
    if (!f.map.init(&err) || !f.interactive.init(&err)) {
      std::fprintf(stderr, "bcmap: viewer: %s\n", err.c_str());
      status = kExitFailed;
    } else {
      if (!f.font.init(&err)) logWarning("viewer: " + err + "; the panels show CJK text as '?'");
      IMGUI_CHECKVERSION();
      ImGui::CreateContext();
      ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini beside the user's files
      lightStyle();
      f.baseStyle = ImGui::GetStyle();
      ImGui_ImplGlfw_InitForOpenGL(window, true);
      ImGui_ImplOpenGL3_Init("#version 330 core");
      glfwSetWindowUserPointer(window, &wc);
      installCallbacks(window);
      initialFontText(f.font, st);

      measureWindow(st, f);
      fitAll(st);
      // Layers load on loader threads: until the first results are in, the fit above is
      // Baicheng's box; it is redone as they arrive unless the user or a session moved it.
      bool refitOnLoad = true;
      View fittedView = st.view;
      if (saved && !crsGiven && options.files.empty()) {
        restoreView(*saved, st);
        refitOnLoad = false;
      }
      {
        std::string perr;
        f.tools.pinyin = loadPinyinTable(session.store->dataDir() + "/baicheng_pinyin.json", &perr);
        if (!perr.empty()) logWarning("viewer: " + perr + "; search works without pinyin");
        for (const char* t : ui_text::navCoreStrings()) f.font.addText(t);
      }
      glfwShowWindow(window);
      while (!glfwWindowShouldClose(window)) {
        if (f.interactive.pending(st.view)) {
          // A gesture is settling: sleep until the full frame is due, or input comes.
          glfwWaitEventsTimeout(std::clamp(f.interactive.nextFrameDueSec() - glfwGetTime(), 0.001, kIdleWaitS));
        } else if (wc.framesToDraw > 0) {
          glfwPollEvents();
        } else if (std::isfinite(f.tools.historyDueSec)) {
          // A view change is settling: wake when it counts as a step in the history.
          glfwWaitEventsTimeout(std::clamp(f.tools.historyDueSec - glfwGetTime(), 0.001, kIdleWaitS));
        } else if (st.time.playing) {
          // Playing: sleep until the next day is due, or input comes.
          glfwWaitEventsTimeout(std::clamp(st.time.nextStepSec - glfwGetTime(), 0.001, kIdleWaitS));
        } else {
          glfwWaitEventsTimeout(kIdleWaitS);
        }
        for (const std::string& p : watcher->poll()) session.store->pluginFileChanged(session.host, p);
        if (pollDataFiles(f.reload, *session.store)) wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
        bool loadedSome = false;
        for (const std::string& id : session.store->pollLoaded()) {
          // A layer finished loading (or reloading) on a loader thread.
          if (Layer* l = session.store->find(id); l && l->status == LayerStatus::Failed) l->visible = false;
          loadedSome = true;
        }
        if (loadedSome) {
          f.interactive.invalidate();
          wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
          const View& v = st.view;
          if (refitOnLoad && v.center.x == fittedView.center.x && v.center.y == fittedView.center.y &&
              v.unitsPerPixel == fittedView.unitsPerPixel) {
            fitAll(st);
            fittedView = st.view;
          } else {
            refitOnLoad = false;  // the user moved the view: leave it
          }
        }
        noteViewForHistory(st, f.tools, glfwGetTime());
        const bool stepDue = st.time.playing && glfwGetTime() >= st.time.nextStepSec;
        if (wc.framesToDraw <= 0 && !stepDue && wc.events.empty() && wc.imguiInput.empty() && wc.dropped.empty())
          continue;
        drawFrame(st, f, g, wc, hover);
        wc.framesToDraw = std::max(0, wc.framesToDraw - 1);
        noteViewForHistory(st, f.tools, glfwGetTime());
        testState.afterFrame(st, f.facts, f.frameCount, f.lastScreenshot);
      }
      saveSessionNow(st);
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
    }
    // Frame's GL objects go while the context is still current.
  }
  watcher.reset();
  session.store->setOnResultReady(nullptr);
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}

}  // namespace bcmap
