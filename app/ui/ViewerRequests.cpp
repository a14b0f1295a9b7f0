// The viewer's side of what the panels ask for (applied between frames, so no panel
// changes the layer list while another part of the frame walks it), files dropped on the
// window, clicks on the map and the feature under the cursor.
//
// Sections: 1. requests  2. framing a feature or place  3. picking: clicks and hover
#include <imgui.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/DbFeed.h"
#include "host/LayerStore.h"
#include "host/RecentFiles.h"
#include "io/DbSource.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "nav/ViewFraming.h"
#include "ui/Session.h"
#include "ui/UiText.h"
#include "ui/ViewerLoop.h"
#include "ui/panels/Inspector.h"

namespace bcmap::viewer {

namespace {

constexpr float kHoverRadiusPx = 5.0f;    // identify radius around the cursor, logical pixels

}  // namespace

// ---- 1. requests ------------------------------------------------------------------------
void saveSessionNow(ViewerState& st) {
  std::string err;
  // Said in the status bar for a few seconds (Ctrl+S gave no sign of having done anything).
  const std::time_t now = std::time(nullptr);
  char clock[16] = {0};
  std::strftime(clock, sizeof clock, "%H:%M:%S", std::localtime(&now));
  st.noticeUntilSec = glfwGetTime() + kNoticeSeconds;
  if (saveSession(st.sessionPath, captureSession(st), &err)) {
    ++st.sessionSaves;
    st.sessionError.clear();
    logInfo("session saved to " + st.sessionPath);
    st.notice = std::string("会话已保存 Session saved ") + clock + " → " + st.sessionPath;
    st.noticeIsError = false;
  } else {
    st.sessionError = err;
    logWarning("viewer: " + err);
    st.notice = "会话未保存 Session not saved: " + err;
    st.noticeIsError = true;
  }
}

// A setting the layer panel changed: the plugin hears of it and the layer reloads
// (LayerStore::setSetting). The user's opacity survives the reload, which would reset it to
// the style's.
void applySetting(ViewerState& st, UiFont& font, const SettingEdit& edit) {
  const std::string key = settingKey(edit.layerId, edit.key);
  st.layerSettings.drafts.erase(key);
  Layer* l = st.session->store->find(edit.layerId);
  if (!l) return;
  st.layerSettings.lastEdited[l->id] = edit.key;
  const float opacity = l->opacity;
  std::string err;
  st.session->store->setSetting(*l, edit.key, edit.value, &err);
  l->opacity = opacity;
  // A load that fails with the new value marks the layer failed, with its reason; the
  // panel shows that under the setting changed last (settingErrorText). What is kept here
  // is the plugin refusing the value itself.
  if (err.empty()) {
    st.layerSettings.errors.erase(key);
    return;
  }
  st.layerSettings.errors[key] = err;
  font.addText(err);
  logWarning("viewer: " + err);
}

// Applies what the panels asked for last frame. True when anything changed.
bool applyRequests(ViewerState& st, UiFont& font) {
  LayerStore& store = *st.session->store;
  bool changed = false;
  for (const SettingEdit& e : st.layerSettings.requested) applySetting(st, font, e);
  if (!st.layerSettings.requested.empty()) changed = true;
  st.layerSettings.requested.clear();
  // Style edits (a slider dragged is one undo step: `ongoing` merges them), Ctrl+Z and its redo.
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
  if (st.redoRequested) {
    std::string err;
    if (!redoStyleChange(store, st.styleHistory, &err).empty()) changed = true;
    if (!err.empty()) logWarning("viewer: " + err);
    st.redoRequested = false;
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

void zoomToLayer(ViewerState& st, const std::string& layerId) {
  LayerStore& store = *st.session->store;
  Layer* l = store.find(layerId);
  if (!l) return;
  std::string err;
  if (auto p = store.prepare(*l, st.displayCrs, &err); p && !p->bounds.empty()) {
    fitBounds(st, p->bounds);
  } else if (l->tableOnly() || (p && p->bounds.empty())) {
    // A table layer (or one whose rows all lack geometry) has no place: said, not ignored.
    st.notice = ui_text::kNoGeometryZoom + l->displayName();
    st.noticeIsError = true;
    st.noticeUntilSec = glfwGetTime() + kNoticeSeconds;
  } else if (!p) {
    logWarning("viewer: zoom to layer " + layerId + ": " + err);
  }
}

bool applyRemoval(ViewerState& st, Frame& f) {
  if (st.requestedRemoval.empty()) return false;
  const std::string id = std::exchange(st.requestedRemoval, std::string());
  LayerStore& store = *st.session->store;
  const Layer* l = store.find(id);
  if (!l || !userCanRemove(*l)) return false;  // the menu offers it for these only
  const std::string name = l->displayName();
  store.remove(id);
  forgetRemovedLayer(st, id);
  f.tools.tables.close(id);
  f.map.forgetLayer(id);
  f.interactive.invalidate();
  f.loadStartedSec.erase(id);
  forgetUnreadFiles(f.reload, store);
  if (st.dbFeeds) st.dbFeeds->sync(store);  // a database layer's fetch thread stops
  // No undo brings it back (StyleHistory holds styles, not layers): File ▸ Open Recent does.
  st.notice = ui_text::kRemoved + name;
  st.noticeIsError = false;
  st.noticeUntilSec = glfwGetTime() + kNoticeSeconds;
  f.font.addText(st.notice);
  logInfo("viewer: layer " + id + " removed (" + name + ")");
  return true;
}

void openDropped(ViewerState& st, std::vector<std::string>& dropped, FileDialogState& files) {
  LayerStore& store = *st.session->store;
  for (const std::string& path : dropped) {
    Layer& l = store.addFileLayer(st.session->host, path, st.options->gcj02);
    if (l.dbFeed) {
      // A database table: fetched per view by its feed (host/DbFeed.h), never read whole here.
      store.loadAsync(l);
      l.visible = true;
      // Remembered as the source reads without its password (a typed one stays in this process).
      std::string err;
      if (!addRecentFile(recentFilesFile(), redactDbPasswords(path), &err)) logWarning("viewer: " + err);
      files.recentStale = true;
      continue;
    }
    store.load(l);
    if (l.status != LayerStatus::Loaded) {
      l.visible = false;
      logWarning("dropped file " + path + ": " + l.error);
      continue;
    }
    l.visible = true;
    std::string err;
    if (auto p = store.prepare(l, st.displayCrs, &err)) fitBounds(st, p->bounds);
    if (!addRecentFile(recentFilesFile(), path, &err)) logWarning("viewer: " + err);
    files.recentStale = true;
  }
  dropped.clear();
  if (files.recentStale) {
    std::string warning;
    files.recent = recentFilesWithState(loadRecentFiles(recentFilesFile(), &warning));
    if (!warning.empty()) logWarning("viewer: " + warning);
    files.recentStale = false;
  }
}

void drawOpenFile(ViewerState& st, FileDialogState& files, float uiScale, TestRects& rects, WindowContext& wc) {
  const FileDialogResult r = drawFileDialog(&st.panels.openFile, files, uiScale, rects);
  if (r.open) wc.dropped.push_back(*r.open);
  if (files.fromMenu) wc.dropped.push_back(*files.fromMenu);
  files.fromMenu.reset();
  if (r.settling) wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
}

// ---- 2. framing a feature or place ---------------------------------------------------------
UiRect mapCanvas(const ViewerState& st) {
  // The view is the canvas (ui/Layout.h): its pixels count from the canvas's corner, and no
  // docked panel lies over it.
  const float r = st.pixelRatio > 0 ? st.pixelRatio : 1.0f;
  return UiRect{0, 0, static_cast<float>(st.view.widthPx) / r, static_cast<float>(st.view.heightPx) / r};
}

void frameFeature(ViewerState& st, const Bounds& target, double pointScale, const UiRect& cover, const UiRect& cover2) {
  if (target.empty() || !st.toLonLat) return;
  const double r = st.pixelRatio;
  // A floating window's rectangle is in window units: from the canvas's corner, as the view.
  const UiRect& c = st.canvasRect;
  auto toViewPx = [&](const UiRect& u) {
    return u.empty() ? PxRect{} : PxRect{(u.x0 - c.x0) * r, (u.y0 - c.y0) * r, (u.x1 - c.x0) * r, (u.y1 - c.y0) * r};
  };
  const UiRect canvas = mapCanvas(st);
  PxRect free = freePartOf(PxRect{canvas.x0 * r, canvas.y0 * r, canvas.x1 * r, canvas.y1 * r}, toViewPx(cover));
  free = freePartOf(free, toViewPx(cover2));
  st.view = frameInRect(st.view, target, free, *st.toLonLat, pointScale > 0 ? pointScale : kDefaultPointScale,
                        st.contentScale);
}

void flyTo(ViewerState& st, const FlyToRequest& fly, const UiRect& cover) {
  std::string err;
  auto tr = Transformer::create(kLonLatCrs, st.displayCrs, &err);
  // The place's own extent; without one (a place made of a label point only), the point.
  Bounds lonLat = fly.featureLonLatBounds;
  if (lonLat.empty() && std::isfinite(fly.lonLat.x) && std::isfinite(fly.lonLat.y)) lonLat.add(fly.lonLat);
  std::optional<Bounds> b = tr && !lonLat.empty() ? tr->transformBounds(lonLat) : std::nullopt;
  if (!b || b->empty()) {
    if (!err.empty()) logWarning("viewer: fly to " + fly.label + ": " + err);
    return;
  }
  const Layer* l = st.session->store->find(fly.layerId);
  frameFeature(st, *b, l ? pointScaleOf(*l) : kDefaultPointScale, cover);
}

// ---- 3. picking: clicks and hover --------------------------------------------------------
namespace {

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

}  // namespace

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
  const bool fresh =
      layer && (cache.layer != h.layerId || cache.feature != st.hoverFeature || cache.generation != layer->generation);
  if (fresh && layer->dbFeed && st.dbFeeds) {
    // A database layer: its server is asked (on the layer's asker thread) for the rows at
    // the cursor; "…" until the answer comes, so no frame waits on the server.
    const double metresPerPx = st.toLonLat ? groundMetresPerPixel(st.view, *st.toLonLat) : NAN;
    const double radiusM = std::isfinite(metresPerPx) ? kHoverRadiusPx * st.contentScale * metresPerPx : 0;
    cache = {h.layerId, st.hoverFeature, layer->generation, st.dbFeeds->ask(h.layerId, st.cursorLonLat, radiusM)};
    st.hoverText = kDbAskPending;
    font.addText(st.hoverText);
  } else if (fresh) {
    st.hoverText = store.describeFeature(*layer, h.feature);
    cache = {h.layerId, st.hoverFeature, layer->generation};
    font.addText(st.hoverText);
  }
  if (cache.askSeq != 0 && st.dbFeeds)
    if (std::optional<DbAskResult> a = st.dbFeeds->answer(cache.layer, cache.askSeq)) {
      st.hoverText = !a->ok ? "server: " + a->error
                     : a->answer.rows.empty() ? st.hoverFeatureId
                                              : describeAskAnswer(a->answer);
      cache.askSeq = 0;
      font.addText(st.hoverText);
    }
}

}  // namespace bcmap::viewer
