// The viewer's input: GLFW callbacks that queue events, keys and characters handed to
// ImGui a few at a time, and the queued events applied to the view.
//
// Sections: 1. window and input callbacks  2. applying input to the view
//
// Input: GLFW callbacks (chained to Dear ImGui's) only queue events and wake the loop; the
// loop applies them after ImGui::NewFrame, when io.WantCaptureMouse/Keyboard describe the
// cursor's current place. So a click that arrives in the same batch as the move onto a
// panel goes to the panel, not to the map.
#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>
#include <imgui_internal.h>  // ClosePopupToLevel: Esc closes menus (applyInput)

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/Log.h"
#include "ui/ViewerLoop.h"
#include "ui/panels/TimeSlider.h"

namespace bcmap::viewer {

namespace {

constexpr double kWheelZoomStep = 1.25;   // per wheel notch
constexpr double kKeyZoomStep = 2.0;      // per +/- key press, and a double-click
constexpr double kKeyPanPx = 100.0;       // per arrow key press (logical pixels)
constexpr double kDoubleClickS = 0.35;    // two clicks closer in time than this...
constexpr double kDoubleClickPx = 4.0;    // ...and in space (logical pixels) make a double-click

}  // namespace

// ---- 1. window and input callbacks --------------------------------------------------------
namespace {

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

bool isModifierKey(int key) {
  return key == GLFW_KEY_LEFT_SHIFT || key == GLFW_KEY_RIGHT_SHIFT || key == GLFW_KEY_LEFT_CONTROL ||
         key == GLFW_KEY_RIGHT_CONTROL || key == GLFW_KEY_LEFT_ALT || key == GLFW_KEY_RIGHT_ALT ||
         key == GLFW_KEY_LEFT_SUPER || key == GLFW_KEY_RIGHT_SUPER;
}

}  // namespace

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

// ImGui 1.86 reads the mouse once a frame (the backend polls its position and buttons). A
// press that arrives with the move onto a widget — xdotool's "mousemove X Y click 1", a
// quick hand on a busy frame, a touch screen — comes in the frame where ImGui first sees the
// cursor there, and the widgets that allow overlap (table rows, table headers) take a press
// only on what was hovered the frame before: the first click on a fresh attribute table did
// nothing. So such a press waits one frame, as ImGui 1.87's input queue does ("trickles"):
// this frame has the move, the next the press (even if the button is already up again).
void holdPressAfterMove(WindowContext& wc) {
  ImGuiIO& io = ImGui::GetIO();
  const bool moved = std::floor(io.MousePos.x) != io.MousePosPrev.x || std::floor(io.MousePos.y) != io.MousePosPrev.y;
  for (int b = 0; b < ImGuiMouseButton_COUNT; ++b) {
    if (wc.heldPress[b]) {
      io.MouseDown[b] = true;
      wc.heldPress[b] = false;
      // This frame, the release's and one for what the click changed (an inspector opening):
      // the frame this press waited took one of the frames its event asked for.
      wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
      continue;
    }
    const bool pressed = io.MouseDown[b] && io.MouseDownDuration[b] < 0.0f;  // up last frame
    if (pressed && moved && ImGui::IsMousePosValid(&io.MousePosPrev)) {
      io.MouseDown[b] = false;
      wc.heldPress[b] = true;
      wc.framesToDraw = std::max(wc.framesToDraw, 2);
    }
  }
}

// ---- 2. applying input to the view -----------------------------------------------------
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
  return st.toLonLat->forward(st.view.toWorld(toMapPx(st, window)));
}

// The map's pixels count from the canvas's top-left corner (ViewerState::canvasRect).
Vec2 toMapPx(const ViewerState& st, Vec2 window) {
  return {(window.x - st.canvasRect.x0) * st.pixelRatio, (window.y - st.canvasRect.y0) * st.pixelRatio};
}

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
        // Esc closes the open menu or popup (the topmost) and does nothing else. ImGui 1.86
        // does this only with keyboard navigation on, which would take the arrows from the
        // map. A text field being edited keeps Esc for itself (it puts the text back).
        if (e.code == GLFW_KEY_ESCAPE && !io.WantTextInput &&
            ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
          ImGui::ClosePopupToLevel(GImGui->OpenPopupStack.Size - 1, true);
          break;
        }
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
            // Ctrl+Shift+Z redoes (as in most editors); plain Ctrl+Z undoes.
            if (e.mods & GLFW_MOD_CONTROL) (e.mods & GLFW_MOD_SHIFT ? st.redoRequested : st.undoRequested) = true;
            break;
          case GLFW_KEY_Y:
            if (e.mods & GLFW_MOD_CONTROL) st.redoRequested = true;
            break;
          case GLFW_KEY_E:
            if (e.mods & GLFW_MOD_CONTROL) st.panels.exportDialog = true;
            break;
          case GLFW_KEY_O:
            if (e.mods & GLFW_MOD_CONTROL) st.panels.openFile = true;
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

}  // namespace bcmap::viewer
