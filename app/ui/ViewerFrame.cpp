// One frame of the viewer: input applied, the layout (docks around the map canvas,
// ui/Layout.h), the panels drawn, the map drawn into its own framebuffer and blitted into
// the canvas, the screenshot.
//
// Sections: 1. the tools around the map  2. the window's size, layout, font and cursor
//           3. the docks  4. one frame
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
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "host/LayerStore.h"
#include "host/PluginFolders.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "render/MapDecorations.h"
#include "ui/ViewerLoop.h"
#include "ui/panels/CrsPanel.h"
#include "ui/panels/FeatureTooltip.h"
#include "ui/panels/HelpWindow.h"
#include "ui/panels/LayerPanel.h"
#include "ui/panels/LegendPanel.h"
#include "ui/panels/MainMenu.h"
#include "ui/panels/StatusBar.h"
#include "ui/panels/TimeSlider.h"

namespace bcmap::viewer {

namespace {

constexpr double kFrameTimeSmoothing = 0.1;  // weight of the newest frame in the shown frame time
constexpr float kTimeMargin = 4.0f;       // logical pixels around the time bar in its dock
constexpr float kInsetWidth = 140.0f;     // logical pixels: the overview map, small in its corner
constexpr int kAttributionLines = 2;      // the most the map's attribution takes (FrameOptions)
// The UI thread's time per frame for scanning big layers' names (SearchIndex::scan).
constexpr std::chrono::microseconds kSearchScanSlice{4000};
// Frames that set up the window (GL, the font atlas, the first layers) before "frame.maxMs"
// counts: what it watches is the frames while the user works.
constexpr uint64_t kStartFrames = 1;
constexpr double kLoadTickS = 0.5;  // while a layer loads, its row's seconds redraw this often

}  // namespace

// ---- 1. the tools around the map ---------------------------------------------------------
// The panels down the canvas's right edge: search, navigation, measure; the overview in its
// top-left corner; the measured line over the map. Returns where the search box's field
// is (empty: not shown).
UiRect drawTools(ViewerState& st, Frame& f, float s) {
  Tools& t = f.tools;
  LayerStore& store = *st.session->store;
  const float margin = 10 * s, gap = 6 * s;
  const UiRect& canvas = st.canvasRect;
  const float right = canvas.x1 - margin;
  float top = canvas.y0 + margin;
  const Vec2 cursor = st.cursorInMap ? st.cursorLonLat : Vec2{NAN, NAN};
  auto named = [&](const std::string& name, const UiRect& r) {
    if (!r.empty()) f.rects.named[name] = r;
  };
  UiRect searchInput;
  std::optional<FlyToRequest> flight;
  if (st.panels.search) {
    if (auto fly = t.search.draw(t.searchIndex, s, right, top, canvas.x1 - canvas.x0 - 2 * margin)) {
      // The place is selected (outlined, its label placed first; issue 10: an unnamed dot),
      // without opening the inspector over the map it was fitted to; an open one shows it.
      if (Layer* l = store.find(fly->layerId)) st.selection.select(*l, fly->feature, SelectMode::Replace);
      if (!t.inspector.open) t.inspector.seenVersion = st.selection.userVersion();
      flight = fly;
      f.rects.facts["search.flewTo"] = fly->label;
    }
    if (t.search.textChanged()) f.font.addText(t.search.text());
    if (t.search.resultsChanged())
      for (const SearchHit& h : t.search.hits()) f.font.addText(h.entry->displayText() + h.entry->county);
    const SearchPanelRects& r = t.search.rects();
    named("search.window", r.window);
    named("search.input", r.input);
    searchInput = r.input;
    for (size_t i = 0; i < r.results.size(); ++i) named("search.result." + std::to_string(i), r.results[i]);
    if (!r.window.empty()) top = r.window.y1 + gap;
  }
  // Fitting keeps the data below the search box (its field; results come and go).
  st.topOverlayPx = searchInput.empty() ? 0.0 : std::max(0.0, double(searchInput.y1 + gap - canvas.y0) * st.pixelRatio);
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
    if (!nav.zoomToLayer.empty()) zoomToLayer(st, nav.zoomToLayer);
    const NavigationRects& r = t.navigation.rects();
    named("nav.window", r.window);
    named("nav.goToField", r.goToField);
    named("nav.back", r.backButton);
    named("nav.forward", r.forwardButton);
    if (!r.window.empty()) top = r.window.y1 + gap;
  }
  if (st.measureRequest != MeasureRequest::None) {
    st.panels.measure = true;
    t.measure.setMode(st.measureRequest == MeasureRequest::Area ? MeasureMode::Area : MeasureMode::Distance);
    st.measureRequest = MeasureRequest::None;
  }
  if (st.panels.measure && !t.measure.active()) t.measure.setMode(MeasureMode::Distance);
  if (st.panels.measure) {
    t.measure.drawPanel(s, right, top, &st.panels.measure, cursor);
    if (!st.panels.measure) t.measure.setMode(MeasureMode::None);
    named("measure.window", t.measure.rects().window);
    f.rects.facts["measure.result"] = t.measure.active() ? std::to_string(t.measure.measurement().points().size()) : "";
  }
  if (st.toLonLat && t.measure.active()) {
    auto toWindow = [&](Vec2 ll) {
      const Vec2 px = st.view.toPixel(st.toLonLat->inverse(ll));
      return ImVec2(static_cast<float>(px.x / st.pixelRatio) + canvas.x0, static_cast<float>(px.y / st.pixelRatio) + canvas.y0);
    };
    t.measure.drawOverlay(toWindow, cursor, s);
  }
  // The overview says where the map is: with every shown layer whole in the view it would
  // repeat the map and only cover a corner of it, so it comes once the view is closer.
  const Bounds data = store.extent(st.displayCrs);
  const Bounds seen = st.view.worldBounds();
  const bool wholeInView = !data.empty() && seen.minX <= data.minX && data.maxX <= seen.maxX &&
                           seen.minY <= data.minY && data.maxY <= seen.maxY;
  f.rects.facts["inset.shown"] = st.panels.inset && st.toLonLat && !wholeInView ? "1" : "0";
  if (st.panels.inset && st.toLonLat && !wholeInView) {
    // Small, in the canvas's top-left corner (the bottom-left holds MapFrame's scale bar, the
    // bottom the attribution, the top-right the search box); on a small canvas no more
    // than a fifth of its width or a quarter of its height. Its height last frame places its
    // bottom edge.
    const float tall = t.inset.rect().empty() ? 1.0f : (t.inset.rect().y1 - t.inset.rect().y0) / (t.inset.rect().x1 - t.inset.rect().x0);
    const float width = std::min({kInsetWidth, (canvas.x1 - canvas.x0) / 5 / s, (canvas.y1 - canvas.y0) / 4 / s / std::max(tall, 0.5f)});
    const UiRect& last = t.inset.rect();
    const float height = last.empty() ? width * s : last.y1 - last.y0;
    const float bottom = canvas.y0 + margin + height;
    if (auto c = t.inset.draw(s, canvas.x0 + margin, bottom, width, viewOutlineLonLat(st.view, *st.toLonLat))) {
      const Vec2 w = st.toLonLat->inverse(*c);
      if (std::isfinite(w.x) && std::isfinite(w.y)) st.view.center = w;
    }
    named("inset", t.inset.rect());
  }
  const InspectorResult inspected =
      drawInspector(InspectorInput{&store, st.displayCrs, st.menuBarHeight, canvas, searchInput, t.inspectorDock},
                    t.inspector, st.selection, s, f.rects);
  if (flight) flyTo(st, *flight, inspected.window);
  if (inspected.zoomTo) frameFeature(st, *inspected.zoomTo, inspected.pointScale, inspected.window);
  if (t.pendingRowFrame) {
    frameFeature(st, *t.pendingRowFrame->zoomTo, t.pendingRowFrame->pointScale, t.pendingRowFrame->window,
                 inspected.window);
    t.pendingRowFrame.reset();
  }
  if (!st.requestedTable.empty()) {
    t.tables.open(st.requestedTable);
    st.requestedTable.clear();
  }
  const AttributeTableResult tabled = t.tables.draw(store, st.displayCrs, st.selection, s, f.rects, st.dbFeeds);
  if (tabled.zoomTo) {
    // Framed next frame, beside the inspector the pick opens; a frame is due for the
    // selection's highlight anyway.
    t.pendingRowFrame = tabled;
    st.layersChanged = true;
  }
  if (st.backRequested) {
    if (auto v = t.history.back()) showView(st, *v);
    st.backRequested = false;
  }
  if (st.forwardRequested) {
    if (auto v = t.history.forward()) showView(st, *v);
    st.forwardRequested = false;
  }
  return searchInput;
}

// ---- 2. the window's size, layout, font and cursor ---------------------------------------
float uiScaleOf(const ViewerState& st) { return st.contentScale * st.userUiScale / st.pixelRatio; }

void measureWindow(ViewerState& st, Frame& f) {
  WindowFacts& w = f.facts;
  const int oldWidth = w.width, oldHeight = w.height;
  glfwGetWindowPos(f.window, &w.x, &w.y);
  glfwGetWindowSize(f.window, &w.width, &w.height);
  glfwGetFramebufferSize(f.window, &w.fbWidth, &w.fbHeight);
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(f.window, &sx, &sy);
  st.contentScale = sx > 0 ? sx : 1.0f;
  st.pixelRatio = w.width > 0 ? static_cast<float>(w.fbWidth) / static_cast<float>(w.width) : 1.0f;
  const float s = uiScaleOf(st);
  // Fitting (Home, a file, a layer) keeps the data clear of the attribution lines: the band
  // their limit allows, known before any frame, whatever the lines are (MapDecorations.h).
  st.attributionBandPx = attributionBandPx(kAttributionLines, st.contentScale);
  // Whether the time bar is docked is known before the frame draws it, so the canvas (and
  // a fit made against it) does not change when it appears.
  st.time.shown = anyLayerHasTime(*st.session->store);
  LayoutInput in;
  in.width = static_cast<float>(w.width);
  in.height = static_cast<float>(w.height);
  // Before the first frame the menu bar's height is not measured: one line of text and
  // its padding is what it will be.
  in.top = st.menuBarHeight > 0 ? st.menuBarHeight : kUiFontPx * s + 2 * ImGui::GetStyle().FramePadding.y;
  in.bottom = in.height - statusBarHeight(s);
  in.scale = s;
  in.rightShown = st.panels.legend && !st.panels.legendOnCanvas;
  in.bottomShown = st.time.shown;
  in.bottomHeight = st.timeBarHeight;
  st.layout = computeLayout(in, st.dock);
  // The canvas snapped to whole framebuffer pixels: the map is blitted there pixel for pixel.
  const float r = st.pixelRatio;
  const UiRect& c = st.layout.canvas;
  const float x0 = std::round(c.x0 * r), y0 = std::round(c.y0 * r), x1 = std::round(c.x1 * r), y1 = std::round(c.y1 * r);
  st.canvasRect = UiRect{x0 / r, y0 / r, x1 / r, y1 / r};
  w.mapWidth = std::max(1, static_cast<int>(x1 - x0));
  w.mapHeight = std::max(1, static_cast<int>(y1 - y0));
  const bool canvasChanged = st.view.widthPx != w.mapWidth || st.view.heightPx != w.mapHeight;
  // The centre and resolution stay: resizing shows more or less around the same place.
  st.view.widthPx = w.mapWidth;
  st.view.heightPx = w.mapHeight;
  // But a canvas that changed under a fitted view with the window's size unchanged (the
  // docks settling in the first frames, a dock collapsed) is fitted again, so Home's
  // framing holds in the canvas the user sees.
  // Likewise when the overlays' bands (search box, attribution) moved under a fitted view.
  if ((canvasChanged && oldWidth == w.width && oldHeight == w.height && stillFitted(st)) || fitBandsChanged(st))
    fitAll(st);
}

namespace {

// A map too small for every source shows one attribution line (FrameOptions::
// attributionMaxLines); the pointer on it shows them all, as web maps' compact attribution
// does. True while the pointer is on the line (the feature tooltip stays away then).
bool drawAttributionHover(ViewerState& st, Frame& f, float s) {
  const FrameRecord& rec = f.map.lastRecord();
  const Bounds& b = rec.attributionBoxPx;
  if (b.empty()) return false;
  const float r = st.pixelRatio;
  const UiRect box{st.canvasRect.x0 + static_cast<float>(b.minX) / r, st.canvasRect.y0 + static_cast<float>(b.minY) / r,
                   st.canvasRect.x0 + static_cast<float>(b.maxX) / r, st.canvasRect.y0 + static_cast<float>(b.maxY) / r};
  f.rects.named["attribution"] = box;
  f.rects.facts["attribution.compact"] = rec.attributionCompact ? "1" : "0";
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool on = m.x >= box.x0 && m.x < box.x1 && m.y >= box.y0 && m.y < box.y1 && !st.dragging &&
                  !ImGui::GetIO().WantCaptureMouse;
  if (!on || !rec.attributionCompact) return on && rec.attributionCompact;
  // Above the line, right-aligned with it, so the sources read where the line was.
  ImGui::SetNextWindowPos(ImVec2(box.x1, box.y0 - 4 * s), ImGuiCond_Always, ImVec2(1.0f, 1.0f));
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
  for (const std::string& part : rec.attributionParts) {
    f.font.addText(part);
    ImGui::TextUnformatted(part.c_str());
  }
  ImGui::PopTextWrapPos();
  f.rects.named["attribution.tooltip"] = UiRect{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y,
                                                ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                                ImGui::GetWindowPos().y + ImGui::GetWindowSize().y};
  ImGui::EndTooltip();
  return true;
}

}  // namespace

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
  st.cursorPx = toMapPx(st, st.cursorWindow);  // from the canvas's corner
  st.cursorInMap = glfwGetWindowAttrib(f.window, GLFW_HOVERED) && st.cursorPx.x >= 0 && st.cursorPx.y >= 0 &&
                   st.cursorPx.x < st.view.widthPx && st.cursorPx.y < st.view.heightPx;
  updateCursorGeo(st);
}

// ---- 3. the docks -----------------------------------------------------------------------------
namespace {

enum class DockSide { Left, Right, Bottom };

// A dock's strip (Layout.h): the collapse/expand button at its start and, for an expanded
// side dock, the rest of it a splitter dragged to set the dock's width (logical pixels, so
// the width means the same at another UI scale). Reports "dock.<name>.toggle" and
// "dock.<name>.splitter", and the fact "dock.<name>.held" while the splitter is dragged.
// Returns how much wider (logical pixels, negative: narrower) the splitter was dragged
// this frame; the caller applies it with dragDockSplitter.
float drawDockStrip(const char* name, DockSide side, const UiRect& strip, bool& collapsed, bool resizable, float s,
                    TestRects& rects) {
  float wider = 0;
  if (strip.empty()) return wider;
  ImGui::SetNextWindowPos(ImVec2{strip.x0, strip.y0}, ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2{strip.x1 - strip.x0, strip.y1 - strip.y0}, ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2{0, 0});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2{0, 0});
  // ImGui's least window size (32 px) would widen the strip over the canvas and the legend.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2{1, 1});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  const std::string id = std::string("##dock.") + name;
  if (ImGui::Begin(id.c_str(), nullptr, flags)) {
    const float w = strip.x1 - strip.x0;
    // The arrow points where the dock goes: "<" folds the left dock away, ">" brings it back.
    const char* label = nullptr;
    switch (side) {
      case DockSide::Left: label = collapsed ? ">" : "<"; break;
      case DockSide::Right: label = collapsed ? "<" : ">"; break;
      case DockSide::Bottom: label = collapsed ? "^" : "v"; break;
    }
    if (ImGui::Button((std::string(label) + "##toggle").c_str(), ImVec2{w, w})) collapsed = !collapsed;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    rects.named[std::string("dock.") + name + ".toggle"] = UiRect{a.x, a.y, b.x, b.y};
    if (!collapsed && resizable && side != DockSide::Bottom) {
      const float h = strip.y1 - ImGui::GetCursorScreenPos().y;
      if (h > 0) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::InvisibleButton("##splitter", ImVec2{w, h});
        rects.named[std::string("dock.") + name + ".splitter"] = UiRect{at.x, at.y, at.x + w, at.y + h};
        if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
        if (ImGui::IsItemActive()) {
          rects.facts[std::string("dock.") + name + ".held"] = "1";
          const float dx = ImGui::GetIO().MouseDelta.x / s;
          wider = side == DockSide::Left ? dx : -dx;
        }
        // A line down the middle says "drag me".
        const ImU32 line = ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_SeparatorActive : ImGuiCol_Separator);
        ImGui::GetWindowDrawList()->AddLine(ImVec2{at.x + w / 2, at.y + 4 * s}, ImVec2{at.x + w / 2, at.y + h - 4 * s},
                                            line, 2 * s);
      }
    }
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.named[std::string("dock.") + name + ".strip"] = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  ImGui::PopStyleVar(5);
  return wider;
}

// The docks' strips and the legend's dock; the layer list and the time bar are drawn by
// their own functions into st.layout's rectangles.
void drawDocks(ViewerState& st, Frame& f, float s) {
  const LayoutRects& l = st.layout;
  if (const float wider = drawDockStrip("left", DockSide::Left, l.leftStrip, st.dock.leftCollapsed, true, s, f.rects))
    dragDockSplitter(st.dock, true, wider, s, l);
  if (const float wider = drawDockStrip("right", DockSide::Right, l.rightStrip, st.dock.rightCollapsed, true, s, f.rects))
    dragDockSplitter(st.dock, false, wider, s, l);
  drawDockStrip("bottom", DockSide::Bottom, l.bottomStrip, st.dock.bottomCollapsed, false, s, f.rects);
  // The inspector shares the right dock with the legend: its upper part while a pick is
  // shown (the legend scrolls in the rest), so it covers no map.
  f.tools.inspectorDock = UiRect{};
  UiRect legend = l.rightContent;
  if (!legend.empty() && inspectorWillShow(f.tools.inspector, st.selection)) {
    const float h = legend.y1 - legend.y0;
    const float split = legend.y0 + std::round(std::clamp(0.55f * h, std::min(h, 200 * s), h - std::min(h * 0.3f, 120 * s)));
    f.tools.inspectorDock = UiRect{legend.x0, legend.y0, legend.x1, split};
    legend.y0 = split;
  }
  if (!legend.empty()) drawLegendPanel(*st.session->store, legend, st.time.filter(), s, f.rects);
  auto named = [&](const char* name, const UiRect& r) {
    if (!r.empty()) f.rects.named[name] = r;
  };
  named("canvas", st.canvasRect);
  named("dock.left", l.left);
  named("dock.right", l.right);
  named("dock.bottom", l.bottom);
}

}  // namespace

// ---- 4. one frame ----------------------------------------------------------------------------
namespace {

// The menu bar and the layer panel, and what they asked for left in `st` for the main loop
// (applyRequests, next frame). Returns where the layer panel is.
UiRect drawPanelsAndRequests(ViewerState& st, Frame& f, float s, float mapBottom) {
  MainMenuInput menuIn;
  menuIn.canUndo = st.styleHistory.canUndo();
  menuIn.canRedo = st.styleHistory.canRedo();
  auto layerName = [&](const StyleChange* c) {
    const Layer* l = c ? st.session->store->find(c->layerId) : nullptr;
    return l ? l->displayName() : std::string();
  };
  menuIn.undoLayer = layerName(st.styleHistory.nextUndo());
  menuIn.redoLayer = layerName(st.styleHistory.nextRedo());
  menuIn.canGoBack = f.tools.history.canBack();
  menuIn.canGoForward = f.tools.history.canForward();
  menuIn.recentFiles = &f.fileDialog.recent;
  menuIn.rects = &f.rects;
  const MainMenuRequests menu = drawMainMenu(st.panels, st.userUiScale, menuIn);
  st.menuBarHeight = menu.height;
  if (!menu.viewMenu.empty()) f.rects.named["menu.view"] = menu.viewMenu;
  if (!menu.crsItem.empty()) f.rects.named["menu.view.crs"] = menu.crsItem;
  if (menu.save) st.saveRequested = true;
  if (menu.quit) st.quitRequested = true;
  if (menu.undo) st.undoRequested = true;
  if (menu.redo) st.redoRequested = true;
  if (menu.fit) st.fitRequested = true;
  if (menu.back) st.backRequested = true;
  if (menu.forward) st.forwardRequested = true;
  if (menu.measure != MeasureRequest::None) st.measureRequest = menu.measure;
  if (menu.searchFocus) f.tools.search.focusRequested = true;
  for (const auto& [name, r] : menu.rects) f.rects.named[name] = r;
  if (menu.openRecent) f.fileDialog.fromMenu = menu.openRecent;

  LayerPanelInput in;
  in.store = st.session->store.get();
  in.displayCrs = st.displayCrs;
  in.crsInput = &st.crsInput;
  in.crsError = st.crsError;
  in.settings = &st.layerSettings;
  in.styleEditor = &st.styleEditor;
  in.top = st.menuBarHeight;
  in.dock = st.layout.leftContent;
  in.searchPath = &st.session->searchPath;
  // How long each loading layer has been at it (from the first frame that saw it loading).
  const double now = glfwGetTime();
  std::map<std::string, double> loadingSeconds;
  for (const auto& l : st.session->store->layers()) {
    if (l->status != LayerStatus::Loading) {
      f.loadStartedSec.erase(l->id);
      continue;
    }
    loadingSeconds[l->id] = now - f.loadStartedSec.try_emplace(l->id, now).first->second;
  }
  in.loadingSeconds = &loadingSeconds;
  // While something loads the row's seconds tick: a frame twice a second, no more (the
  // loader threads want the cores).
  f.loadTickDueSec = loadingSeconds.empty() ? INFINITY : now + kLoadTickS;
  if (in.dock.empty()) {  // folded away: nothing of it is on screen
    f.rects.layerRows.clear();
    f.rects.settingRects.clear();
    f.rects.layerPanel = UiRect{};
    return UiRect{};
  }
  st.styleEditor.kindRadios = {};  // filled only while an editor is open
  LayerPanelRequests panel = drawLayerPanel(in, s, mapBottom, f.rects);
  // For the UI tests: the style editor's kind buttons (of the layer whose editor is open)
  // and each layer's user style ("style.<id>": its JSON, or "plugin").
  for (size_t k = 0; k < st.styleEditor.kindRadios.size(); ++k)
    if (!st.styleEditor.kindRadios[k].empty())
      f.rects.named["style.kind." + std::to_string(k)] = st.styleEditor.kindRadios[k];
  for (const auto& l : st.session->store->layers())
    f.rects.facts["style." + l->id] = l->userStyle ? styleSpecToJson(*l->userStyle) : "plugin";
  for (const std::string& id : panel.cancels)
    if (Layer* l = st.session->store->find(id); l && st.session->store->cancelLoad(*l)) {
      f.font.addText(l->error);
      st.layersChanged = true;
    }
  if (panel.move) st.requestedMove = panel.move;
  st.requestedLoads.insert(st.requestedLoads.end(), panel.loads.begin(), panel.loads.end());
  if (panel.crs) st.requestedCrs = std::move(panel.crs);
  if (panel.fit) st.fitRequested = true;
  if (!panel.table.empty()) st.requestedTable = panel.table;
  if (!panel.zoomTo.empty()) zoomToLayer(st, panel.zoomTo);
  if (!panel.remove.empty()) st.requestedRemoval = panel.remove;  // between frames (applyRemoval)
  for (StyleEditRequest& r : panel.styles) st.requestedStyles.push_back(std::move(r));
  if (panel.layersChanged) st.layersChanged = true;
  return panel.window;
}

StatusBarInput statusBarInput(const ViewerState& st) {
  StatusBarInput in;
  in.cursorInMap = st.cursorInMap;
  in.cursorLonLat = st.cursorLonLat;
  in.cursorWorld = st.cursorWorld;
  in.displayCrs = st.displayCrs;
  in.displayIsGeographic = st.displayIsGeographic;
  in.metresPerPixel = st.toLonLat ? groundMetresPerPixel(st.view, *st.toLonLat) : NAN;
  in.contentScale = st.contentScale;
  in.frameMs = st.frameMs;
  in.hoverLayer = st.hoverLayer;
  in.hoverFeatureId = st.hoverFeatureId;
  in.hoverText = st.hoverText;
  if (!st.notice.empty() && glfwGetTime() < st.noticeUntilSec) {
    in.notice = st.notice;
    in.noticeIsError = st.noticeIsError;
  }
  return in;
}

}  // namespace

namespace {

// "Add plugin folder…" and "Remove": remembered in bcmap's configuration, and in effect at
// once (scanned, loaded, watched), so the user does not restart to see the layers.
void applyPluginFolders(ViewerState& st, Frame& f, const PluginFoldersRequests& r) {
  PluginFoldersPanelState& p = f.pluginFolders;
  std::string err;
  if (r.add) {
    const std::string folder = addRememberedPluginFolder(*st.options, *st.session, *r.add, &err);
    p.messageIsError = folder.empty();
    if (folder.empty()) {
      p.message = err;
    } else {
      if (std::string werr; f.watcher && !f.watcher->watch(folder, &werr)) logWarning("viewer: " + werr);
      p.message = "已添加 added " + folder;
      p.path.clear();
      logInfo("plugin folder " + folder + " added (remembered in " + pluginFoldersFile() + ")");
    }
  }
  if (r.remove) {
    const bool ok = removeRememberedPluginFolder(*st.options, *st.session, *r.remove, &err);
    p.messageIsError = !ok;
    p.message = ok ? "已移除 removed " + *r.remove + "; 其图层保留到重启 its layers stay until bcmap restarts" : err;
  }
}

}  // namespace

void drawFrame(ViewerState& st, Frame& f, Gesture& g, WindowContext& wc, HoverCache& hover) {
  const auto t0 = std::chrono::steady_clock::now();
  measureWindow(st, f);
  openDropped(st, wc.dropped, f.fileDialog);
  bool contentChanged = false;
  if (applyRequests(st, f.font)) {
    wc.framesToDraw = kSettleFrames;
    contentChanged = true;
  }
  if (applyRemoval(st, f)) {
    wc.framesToDraw = kSettleFrames;
    contentChanged = true;
  }
  // Cheap when nothing is new: each layer is read once per load and display CRS.
  f.font.addLayers(*st.session->store, st.displayCrs);
  // What the user types into any field (an export title, a filter, a CRS name) gets its
  // glyphs before ImGui draws it: typed characters the program never uses showed as "??".
  for (const ImGuiInput& in : wc.imguiInput)
    if (in.isChar) f.font.addText(FontAtlas::encodeUtf8(std::u32string(1, static_cast<char32_t>(in.codepoint))));
  updateFontAndStyle(st, f);

  feedImGui(f.window, wc);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  holdPressAfterMove(wc);
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
  // Big layers are searched by scanning their names, a few milliseconds a frame (issue 11:
  // indexing 10M names froze the UI for over a minute); frames keep coming until it is done.
  const SearchScanProgress scan = f.tools.searchIndex.scan(*st.session->store, f.tools.search.text(), SIZE_MAX,
                                                           std::chrono::steady_clock::now() + kSearchScanSlice);
  if (scan.active()) wc.framesToDraw = std::max(wc.framesToDraw, 2);  // the loop counts this one off
  if (f.tools.inset.stale(*st.session->store)) f.tools.inset.prepare(*st.session->store);

  const float s = uiScaleOf(st);
  st.layersChanged = false;
  f.rects.named.clear();
  f.rects.facts.clear();
  // Whole milliseconds: the state file is written when its body changes, not every frame.
  f.rects.facts["frame.maxMs"] = std::to_string(std::lround(f.maxFrameMs));
  f.rects.facts["search.scan"] = scan.total ? std::to_string(scan.done) + "/" + std::to_string(scan.total) : "";
  const float mapBottom = static_cast<float>(f.facts.height) - statusBarHeight(s);
  drawPanelsAndRequests(st, f, s, mapBottom);
  drawDocks(st, f, s);
  {
    // The time bar in its dock; folded away it is not drawn (and reports nothing).
    const UiRect& dock = st.layout.bottomContent;
    TimeState folded = st.time;
    folded.shown = false;
    TimeState& t = dock.empty() ? folded : st.time;
    const TimeSliderResult time = drawTimeSlider(t, st.panels.chart, s, dock.x0 + kTimeMargin * s,
                                                 dock.x1 - kTimeMargin * s, dock.y1 - kTimeMargin * s, now, f.rects);
    if (time.changed) st.timeChanged = true;
    if (!time.window.empty()) st.timeBarHeight = time.window.y1 - time.window.y0 + 2 * kTimeMargin * s;
  }
  const UiRect searchInput = drawTools(st, f, s);
  if (drawStatusBar(statusBarInput(st), s, static_cast<float>(f.facts.width), static_cast<float>(f.facts.height),
                    f.rects))
    st.panels.crs = true;
  const bool onAttribution = drawAttributionHover(st, f, s);
  const bool canDescribe = !st.hoverLayer.empty() && st.cursorInMap && !st.dragging && !onAttribution;
  drawFeatureTooltip(canDescribe ? st.session->store->find(st.hoverLayer) : nullptr, st.hoverFeatureId, st.hoverText,
                     f.rects);
  if (drawTimeChart(&st.panels.chart, st.time, f.chart, *st.session->store, s)) st.timeChanged = true;
  drawLogPanel(&st.panels.log, f.log, s);
  if (drawReloadOffer(f.reload, *st.session->store, st.menuBarHeight, s, f.rects)) st.layersChanged = true;
  // Without the derived data: the panel with `bcmap data fetch` and its button; while the
  // fetch runs, frames keep coming so its output shows.
  const MissingDataResult missing = drawMissingData(f.missingData, *st.session->store, st.canvasRect, s, f.rects);
  if (missing.layersReloaded) st.layersChanged = true;
  if (missing.busy) wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
  drawHelpWindow(&st.panels.help, s, &f.rects);
  if (auto crs = drawCrsWindow(CrsControlInput{st.displayCrs, &st.crsInput, st.crsError}, &st.panels.crs, s, f.rects))
    st.requestedCrs = std::move(crs);
  const ExportRequest exportRequest = drawExportDialog(&st.panels.exportDialog, st.view, f.exportDialog, s, f.rects);
  applyPluginFolders(st, f,
                     drawPluginFoldersPanel(&st.panels.pluginFolders, st.session->searchPath, f.pluginFolders, s, f.rects));
  drawOpenFile(st, f.fileDialog, s, f.rects, wc);
  if (st.quitRequested) glfwSetWindowShouldClose(f.window, GLFW_TRUE);
  f.rects.textInput = ImGui::GetIO().WantTextInput;
  f.rects.facts["popup.open"] = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel) ? "1" : "0";
  // Text with glyphs the atlas lacks appeared (a tooltip): the next frame rebuilds it.
  if (st.layersChanged || st.timeChanged || st.requestedMove || st.requestedCrs || st.fitRequested ||
      !st.requestedLoads.empty() || !st.layerSettings.requested.empty() || !st.requestedStyles.empty() || st.undoRequested ||
      st.redoRequested || st.saveRequested || !st.requestedRemoval.empty() || f.font.rebuildDue() || f.tools.search.focusPending() ||
      (st.time.dateEditing && !st.time.dateFocused))  // a focus request is answered a frame later
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
  fo.day = st.time.filterDay();
  fo.timeMode = st.time.mode;
  fo.windowDays = st.time.windowDays;
  // The legend is on the map only when the user put it there (View menu); else it is docked.
  fo.legend = st.panels.legend && st.panels.legendOnCanvas;
  if (fo.legend != f.lastLegendOnMap) {
    contentChanged = true;
    f.lastLegendOnMap = fo.legend;
  }
  // On the map it sits under the search box, a little smaller than in exports.
  fo.legendScale = 0.85f * st.userUiScale;
  if (!searchInput.empty())
    fo.legendTopPx = std::ceil((searchInput.y1 + 8 * uiScaleOf(st) - st.canvasRect.y0) * st.pixelRatio);
  fo.dateCounter = st.time.counter && st.time.shown && !st.time.all;
  // The selected features' labels go first (a place found by search is named).
  for (const FeatureRef& ref : st.selection.refs()) fo.labelsFirst.emplace_back(ref.layerId, ref.feature);
  if (st.selection.version() != f.lastSelectionVersion) contentChanged = true;
  f.lastSelectionVersion = st.selection.version();
  // More lines of sources than this over a small map: one line, and the rest on hover.
  fo.attributionMaxLines = kAttributionLines;
  {
    // The counter goes below the overview map and the search box over the canvas's top.
    float below = 0;
    if (st.panels.inset && !f.tools.inset.rect().empty()) below = std::max(below, f.tools.inset.rect().y1);
    if (!searchInput.empty()) below = std::max(below, searchInput.y1);
    if (below > 0) fo.counterTopPx = std::ceil((below + 6 * uiScaleOf(st) - st.canvasRect.y0) * st.pixelRatio);
  }
  if (f.target) {
    f.target->bind();
    if (contentChanged) f.interactive.invalidate();
    const View& v = st.view;
    const View& p = f.lastView;
    const bool moved = v.center.x != p.center.x || v.center.y != p.center.y || v.unitsPerPixel != p.unitsPerPixel ||
                       v.widthPx != p.widthPx || v.heightPx != p.heightPx;
    f.lastView = st.view;
    // The full-quality frame is drawn in slices of a bounded number of points (issue 11:
    // no UI frame over 50 ms with 10M points), the earlier frame shown meanwhile.
    const FrameKind kind = f.interactive.frame(
        glfwGetTime(), st.view, moved,
        [&](const View& view, FrameQuality quality) {
          FrameOptions full = fo;
          full.labels = quality == FrameQuality::Final;  // labels wait for the gesture to end
          full.pointLodExact = quality == FrameQuality::Final;  // so does the points' LOD fringe
          f.map.draw(*st.session->store, st.displayCrs, view, full);
          f.mapQuality = quality == FrameQuality::Final ? "final" : "interactive";
        },
        [&](const View& view, bool first, size_t pointBudget) {
          FrameOptions sliced = fo;
          sliced.fringeSliceMs = f.interactive.options().sliceTargetMs;
          const bool done = f.map.drawSlice(*st.session->store, st.displayCrs, view, sliced, first, pointBudget);
          f.mapQuality = done ? "final" : "slicing";
          return done;
        });
    f.rects.facts["map.frameKind"] = frameKindName(kind);
    f.rects.facts["map.quality"] = f.mapQuality;
    // The last full draw: point instances submitted (after LOD and culling; issue 11's
    // settled frame at 10M points is bounded by them on llvmpipe) and buffers made.
    f.rects.facts["map.pointsDrawn"] = std::to_string(f.map.timings().pointsDrawn);
    f.rects.facts["map.uploadMs"] = std::to_string(std::lround(f.map.timings().uploadMs));
    f.rects.facts["map.layersMs"] = std::to_string(std::lround(f.map.timings().layersMs));
    // A big point layer being readied for the GPU off this thread (MapRenderer::upload).
    f.rects.facts["map.uploading"] = f.map.uploading() ? "1" : "0";
    {
      // The layers with GPU buffers (a removed layer's go with it: MapFrame::forgetLayer).
      std::string ids;
      for (const std::string& id : f.map.uploadedLayers()) ids += (ids.empty() ? "" : "\n") + id;
      f.rects.facts["map.uploaded"] = ids;
    }

    // The selection, then the hovered feature, go over the shown frame: neither redraws
    // the map. A legend on the map stays readable: the outlines are clipped around its
    // panel (two scissored passes: left of it, and below it).
    auto highlight = [&](const FrameOptions& hi) {
      const Bounds& legend = f.map.lastRecord().legendPanelPx;
      if (!fo.legend || legend.empty()) {
        f.map.drawHighlight(*st.session->store, st.displayCrs, st.view, hi);
        return;
      }
      const int w = f.facts.mapWidth, h = f.facts.mapHeight;
      const int lx = static_cast<int>(std::floor(legend.minX)), ly = static_cast<int>(std::ceil(legend.maxY));
      glEnable(GL_SCISSOR_TEST);
      glScissor(0, 0, std::clamp(lx, 0, w), h);  // GL rows count from the bottom
      f.map.drawHighlight(*st.session->store, st.displayCrs, st.view, hi);
      glScissor(0, 0, w, std::clamp(h - ly, 0, h));
      f.map.drawHighlight(*st.session->store, st.displayCrs, st.view, hi);
      glDisable(GL_SCISSOR_TEST);
    };
    for (const FeatureRef& ref : st.selection.refs()) {
      FrameOptions sel = fo;
      sel.highlightLayer = ref.layerId;
      sel.highlightFeature = static_cast<long long>(ref.feature);
      highlight(sel);
    }
    if (!st.hoverLayer.empty()) {
      FrameOptions hi = fo;
      hi.highlightLayer = st.hoverLayer;
      hi.highlightFeature = st.hoverFeature;
      highlight(hi);
    }
    // Keep drawing until the full frame for this view is on screen, and until a fitted
    // view has been fitted again between the bands this frame measured.
    if (f.interactive.pending(st.view) || fitBandsChanged(st)) wc.framesToDraw = std::max(wc.framesToDraw, 1);
  }
  if (exportRequest.kind != ExportRequest::Kind::None) {
    // Drawn with the window's MapFrame (its atlases are made): the next frame redraws the
    // window's own map, since labels and the frame record now belong to the export.
    std::string msg;
    const bool ok = st.session && st.session->store &&
                    runExportRequest(exportRequest, st.view, *st.session->store, st.displayCrs, f.map, fo, &msg);
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
  // The docks' background (what their panels leave uncovered); the blit covers the canvas.
  glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (f.target) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, f.target->framebuffer());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    // GL rows count up from the bottom: the map goes into the canvas.
    const int x0 = static_cast<int>(std::lround(st.canvasRect.x0 * st.pixelRatio));
    const int top = f.facts.fbHeight - static_cast<int>(std::lround(st.canvasRect.y0 * st.pixelRatio));
    const int bottom = top - f.facts.mapHeight;
    glBlitFramebuffer(0, 0, f.facts.mapWidth, f.facts.mapHeight, x0, bottom, x0 + f.facts.mapWidth, top,
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
  // The raw time of this frame with the loop's work before it, for the test hook (its facts
  // are those of the next frame): the status bar's figure is smoothed, and a single long
  // frame hides in it.
  const auto workStart = f.workStart == std::chrono::steady_clock::time_point{} ? t0 : std::min(f.workStart, t0);
  f.lastFrameMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - workStart).count();
  f.maxFrameMs = std::max(f.maxFrameMs, f.frameCount >= kStartFrames ? f.lastFrameMs : 0.0);
  // BCMAP_FRAME_LOG=1: every frame's time on stderr, for measuring gestures (bench, reports).
  static const bool frameLog = [] {
    const char* v = std::getenv("BCMAP_FRAME_LOG");
    return v && *v && std::string_view(v) != "0";
  }();
  if (frameLog) {
    // With the map's frame kind (FrameKind: full, sliced, moved, ...) and the last full
    // draw's upload and layer times: which frames cost, and in what.
    auto fact = [&](const char* key) {
      const auto it = f.rects.facts.find(key);
      return it == f.rects.facts.end() ? std::string() : it->second;
    };
    std::fprintf(stderr, "frame %llu %.2f ms %s upload %s layers %s\n", static_cast<unsigned long long>(f.frameCount),
                 f.lastFrameMs, fact("map.frameKind").c_str(), fact("map.uploadMs").c_str(), fact("map.layersMs").c_str());
  }
  glfwSwapBuffers(f.window);
  ++f.frameCount;
}

}  // namespace bcmap::viewer
