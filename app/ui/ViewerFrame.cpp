// One frame of the viewer: input applied, the panels drawn (and where they go), the map
// drawn into its own framebuffer and blitted above the status bar, the screenshot.
//
// Sections: 1. the tools around the map  2. the window's size, font and cursor  3. one frame
#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "host/LayerStore.h"
#include "host/PluginFolders.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "ui/ViewerLoop.h"
#include "ui/panels/FeatureTooltip.h"
#include "ui/panels/HelpWindow.h"
#include "ui/panels/LayerPanel.h"
#include "ui/panels/MainMenu.h"
#include "ui/panels/StatusBar.h"
#include "ui/panels/TimeSlider.h"

namespace bcmap::viewer {

namespace {

constexpr double kFrameTimeSmoothing = 0.1;  // weight of the newest frame in the shown frame time
constexpr float kTimeMargin = 10.0f;      // logical pixels between the time slider and the panel
// Logical pixels kept free under the time slider: MapFrame's scale bar and attribution line
// run along the bottom edge of the map.
constexpr float kTimeBottomGap = 28.0f;

}  // namespace

// ---- 1. the tools around the map ---------------------------------------------------------
// The panels down the right edge: search, navigation, measure; the overview bottom-left;
// the measured line over the map. `layerPanel`, `timeWindow`: where those are this frame
// (empty when not drawn). Returns where the search box's field is (empty: not shown).
UiRect drawTools(ViewerState& st, Frame& f, float s, float mapBottom, const UiRect& layerPanel, const UiRect& timeWindow) {
  Tools& t = f.tools;
  LayerStore& store = *st.session->store;
  const float margin = 10 * s, gap = 6 * s;
  const float right = static_cast<float>(f.facts.width) - margin;
  float top = st.menuBarHeight + margin;
  const Vec2 cursor = st.cursorInMap ? st.cursorLonLat : Vec2{NAN, NAN};
  auto named = [&](const std::string& name, const UiRect& r) {
    if (!r.empty()) f.rects.named[name] = r;
  };
  UiRect searchInput;
  if (st.panels.search) {
    if (auto fly = t.search.draw(t.searchIndex, s, right, top)) {
      flyTo(st, *fly);
      f.rects.facts["search.flewTo"] = fly->label;
    }
    if (t.search.textChanged()) f.font.addText(t.search.text());
    const SearchPanelRects& r = t.search.rects();
    named("search.window", r.window);
    named("search.input", r.input);
    searchInput = r.input;
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
    const bool besidePanel = !layerPanel.empty() && layerPanel.y1 + gap > bottom - insetH;
    const float left = besidePanel ? layerPanel.x1 + margin : margin;
    // Beside the panel it may meet the time slider: then it sits above it.
    const UiRect& time = timeWindow;
    if (!time.empty() && time.x0 < left + insetW && time.x1 > left) bottom = std::min(bottom, time.y0 - gap);
    if (auto c = t.inset.draw(s, left, bottom, 180, viewOutlineLonLat(st.view, *st.toLonLat))) {
      const Vec2 w = st.toLonLat->inverse(*c);
      if (std::isfinite(w.x) && std::isfinite(w.y)) st.view.center = w;
    }
    named("inset", t.inset.rect());
  }
  const InspectorResult inspected =
      drawInspector(InspectorInput{&store, st.displayCrs, st.menuBarHeight}, t.inspector, st.selection, s, f.rects);
  if (inspected.zoomTo) frameFeature(st, *inspected.zoomTo, inspected.pointScale, inspected.window);
  if (!st.requestedTable.empty()) {
    t.tables.open(st.requestedTable);
    st.requestedTable.clear();
  }
  const AttributeTableResult tabled = t.tables.draw(store, st.displayCrs, st.selection, s, f.rects);
  if (tabled.zoomTo) frameFeature(st, *tabled.zoomTo, tabled.pointScale, tabled.window);
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

// ---- 2. the window's size, font and cursor -----------------------------------------------
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

// ---- 3. one frame ----------------------------------------------------------------------------
namespace {

// The menu bar and the layer panel, and what they asked for left in `st` for the main loop
// (applyRequests, next frame). Returns where the layer panel is.
UiRect drawPanelsAndRequests(ViewerState& st, Frame& f, float s, float mapBottom) {
  MainMenuInput menuIn;
  menuIn.canUndo = st.styleHistory.canUndo();
  menuIn.canGoBack = f.tools.history.canBack();
  menuIn.canGoForward = f.tools.history.canForward();
  const MainMenuRequests menu = drawMainMenu(st.panels, st.userUiScale, menuIn);
  st.menuBarHeight = menu.height;
  if (menu.save) st.saveRequested = true;
  if (menu.quit) st.quitRequested = true;
  if (menu.undo) st.undoRequested = true;
  if (menu.fit) st.fitRequested = true;
  if (menu.back) st.backRequested = true;
  if (menu.forward) st.forwardRequested = true;
  if (menu.measure != MeasureRequest::None) st.measureRequest = menu.measure;

  LayerPanelInput in;
  in.store = st.session->store.get();
  in.displayCrs = st.displayCrs;
  in.crsInput = &st.crsInput;
  in.crsError = st.crsError;
  in.settings = &st.layerSettings;
  in.styleEditor = &st.styleEditor;
  in.top = st.menuBarHeight;
  in.searchPath = &st.session->searchPath;
  LayerPanelRequests panel = drawLayerPanel(in, s, mapBottom, f.rects);
  if (panel.move) st.requestedMove = panel.move;
  st.requestedLoads.insert(st.requestedLoads.end(), panel.loads.begin(), panel.loads.end());
  if (panel.crs) st.requestedCrs = std::move(panel.crs);
  if (panel.fit) st.fitRequested = true;
  if (!panel.table.empty()) st.requestedTable = panel.table;
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
  if (f.tools.inset.stale(*st.session->store)) f.tools.inset.prepare(*st.session->store);

  const float s = uiScaleOf(st);
  st.layersChanged = false;
  f.rects.named.clear();
  f.rects.facts.clear();
  const float mapBottom = static_cast<float>(f.facts.height) - statusBarHeight(s);
  const UiRect layerPanel = drawPanelsAndRequests(st, f, s, mapBottom);
  const TimeSliderResult time =
      drawTimeSlider(st.time, st.panels.chart, s, layerPanel.x1 + kTimeMargin * s,
                     static_cast<float>(f.facts.width) - kTimeMargin * s, timeSliderBottom(st, f, s, mapBottom), now, f.rects);
  if (time.changed) st.timeChanged = true;
  const UiRect searchInput = drawTools(st, f, s, mapBottom, layerPanel, time.window);
  drawStatusBar(statusBarInput(st), s, static_cast<float>(f.facts.width), static_cast<float>(f.facts.height), f.rects);
  const bool canDescribe = !st.hoverLayer.empty() && st.cursorInMap && !st.dragging;
  drawFeatureTooltip(canDescribe ? st.session->store->find(st.hoverLayer) : nullptr, st.hoverFeatureId, st.hoverText,
                     f.rects);
  if (drawTimeChart(&st.panels.chart, st.time, f.chart, *st.session->store, s)) st.timeChanged = true;
  drawLogPanel(&st.panels.log, f.log, s);
  if (drawReloadOffer(f.reload, *st.session->store, st.menuBarHeight, s, f.rects)) st.layersChanged = true;
  // Without the derived data: the panel with `bcmap data fetch` and its button; while the
  // fetch runs, frames keep coming so its output shows.
  const UiRect mapRight{layerPanel.x1, st.menuBarHeight, static_cast<float>(f.facts.width), mapBottom};
  const MissingDataResult missing = drawMissingData(f.missingData, *st.session->store, mapRight, s, f.rects);
  if (missing.layersReloaded) st.layersChanged = true;
  if (missing.busy) wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
  drawHelpWindow(&st.panels.help, s);
  const ExportRequest exportRequest = drawExportDialog(&st.panels.exportDialog, st.view, f.exportDialog, s, f.rects);
  applyPluginFolders(st, f,
                     drawPluginFoldersPanel(&st.panels.pluginFolders, st.session->searchPath, f.pluginFolders, s, f.rects));
  if (st.quitRequested) glfwSetWindowShouldClose(f.window, GLFW_TRUE);
  f.rects.textInput = ImGui::GetIO().WantTextInput;
  // Text with glyphs the atlas lacks appeared (a tooltip): the next frame rebuilds it.
  if (st.layersChanged || st.timeChanged || st.requestedMove || st.requestedCrs || st.fitRequested ||
      !st.requestedLoads.empty() || !st.layerSettings.requested.empty() || !st.requestedStyles.empty() || st.undoRequested ||
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
  const UiRect& panel = layerPanel;
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
  if (!searchInput.empty()) fo.legendTopPx = std::ceil((searchInput.y1 + 8 * uiScaleOf(st)) * st.pixelRatio);
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

}  // namespace bcmap::viewer
