// Sections: 1. from the viewer  2. to the viewer
#include "ui/Session.h"

#include <algorithm>
#include <cmath>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "io/Projection.h"

namespace bcmap {

// ---- 1. from the viewer --------------------------------------------------------------------
SessionData captureSession(ViewerState& st) {
  SessionData s;
  s.displayCrs = st.displayCrs;
  s.hasView = std::isfinite(st.view.center.x) && std::isfinite(st.view.center.y) && st.view.unitsPerPixel > 0;
  s.center = st.view.center;
  s.unitsPerPixel = st.view.unitsPerPixel;
  s.viewWidthPx = st.view.widthPx;
  s.viewHeightPx = st.view.heightPx;
  s.timeAll = st.time.all;
  s.day = st.time.day;
  s.timeSpeed = st.time.speed;
  s.timeMode = st.time.mode;
  s.windowDays = st.time.windowDays;
  s.dateCounter = st.time.counter;
  s.hasPanels = true;
  const PanelToggles& p = st.panels;
  s.panels = PanelSession{p.legend, p.inset, p.search, p.navigation, p.chart, p.log, st.userUiScale};
  {
    // The docks (ui/Layout.h).
    const DockState& d = st.dock;
    s.panels.hasDock = true;
    s.panels.leftDockWidth = d.leftWidth;
    s.panels.rightDockWidth = d.rightWidth;
    s.panels.leftCollapsed = d.leftCollapsed;
    s.panels.rightCollapsed = d.rightCollapsed;
    s.panels.bottomCollapsed = d.bottomCollapsed;
    s.panels.legendOnCanvas = p.legendOnCanvas;
  }
  auto& layers = st.session->store->layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    LayerSession ls;
    ls.id = l.id;
    if (l.isFileLayer) {
      for (const LayerSetting& setting : l.settings) {
        if (setting.key == "path") ls.file = setting.value;
        if (setting.key == "gcj02") ls.gcj02 = setting.value == "true";
      }
      if (ls.file.empty()) continue;  // nothing to open next time
    }
    if (l.userStyle) ls.style = styleSpecToJson(*l.userStyle);
    for (size_t feature : st.selection.featuresOf(l.id))
      if (feature < l.table.featureCount()) ls.selected.push_back(l.table.featureId(feature));
    ls.visible = l.visible;
    ls.opacity = l.opacity;
    ls.order = static_cast<int>(i);
    for (const LayerSetting& setting : l.settings) ls.settings.emplace_back(setting.key, setting.value);
    s.layers.push_back(std::move(ls));
  }
  return s;
}

// ---- 2. to the viewer ----------------------------------------------------------------------
bool restoreDisplayCrs(const SessionData& s, ViewerState& st) {
  if (s.displayCrs.empty() || s.displayCrs == st.displayCrs) return true;
  std::string err;
  auto toLonLat = Transformer::create(s.displayCrs, kLonLatCrs, &err);
  if (!toLonLat) {
    logWarning("session: display CRS " + s.displayCrs + " is not usable (" + err + "); keeping " + st.displayCrs);
    return false;
  }
  st.displayCrs = s.displayCrs;
  st.toLonLat = std::move(toLonLat);
  st.displayIsGeographic = isGeographicCrs(st.displayCrs);
  return true;
}

bool restoreView(const SessionData& s, ViewerState& st) {
  if (!s.hasView || s.displayCrs != st.displayCrs) return false;
  st.view.center = s.center;
  st.view.unitsPerPixel = s.unitsPerPixel;
  // Restarted in a smaller window: what was seen still fits (the same centre, zoomed out
  // just enough); in a larger one the scale stays and more shows around it, as a resize does.
  if (s.viewWidthPx > 0 && s.viewHeightPx > 0 && st.view.widthPx > 0 && st.view.heightPx > 0) {
    const double shrink = std::max(static_cast<double>(s.viewWidthPx) / st.view.widthPx,
                                   static_cast<double>(s.viewHeightPx) / st.view.heightPx);
    if (shrink > 1) st.view.unitsPerPixel *= shrink;
  }
  return true;
}

void restoreTime(const SessionData& s, ViewerState& st) {
  st.time.all = s.timeAll;
  st.time.day = std::clamp(s.day, kTimeFirstDay, kTimeLastDay);
  st.time.speed = std::clamp(s.timeSpeed, 0, kTimeSpeedCount - 1);
  st.time.playing = false;
  st.time.mode = s.timeMode;
  st.time.windowDays = s.windowDays;
  st.time.counter = s.dateCounter;
}

void restorePanels(const SessionData& s, ViewerState& st) {
  if (!s.hasPanels) return;
  PanelToggles& p = st.panels;
  p.legend = s.panels.legend;
  p.inset = s.panels.inset;
  p.search = s.panels.search;
  p.navigation = s.panels.navigation;
  p.chart = s.panels.chart;
  p.log = s.panels.log;
  st.userUiScale = std::clamp(s.panels.uiScale, 0.75f, 2.0f);
}

void restoreDock(const SessionData& s, ViewerState& st) {
  if (!s.hasPanels) return;
  st.panels.legendOnCanvas = s.panels.legendOnCanvas;
  if (!s.panels.hasDock) return;
  DockState& d = st.dock;
  d.leftWidth = s.panels.leftDockWidth;
  d.rightWidth = s.panels.rightDockWidth;
  d.leftCollapsed = s.panels.leftCollapsed;
  d.rightCollapsed = s.panels.rightCollapsed;
  d.bottomCollapsed = s.panels.bottomCollapsed;
}

}  // namespace bcmap
