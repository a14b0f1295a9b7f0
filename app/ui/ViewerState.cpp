#include "ui/ViewerState.h"

#include <cmath>
#include <vector>

#include "host/LayerStore.h"
#include "nav/ViewFraming.h"

namespace bcmap {


Bounds fitTarget(ViewerState& st) { return st.session->store->homeBounds(st.displayCrs); }

void fitAll(ViewerState& st) {
  const Bounds target = fitTarget(st);
  if (target.empty()) return;
  st.view = fitBetweenBands(st.view, target, st.topOverlayPx, st.attributionBandPx);
  st.lastFit = st.view;
  st.lastFitTopPx = st.topOverlayPx;
  st.lastFitBottomPx = st.attributionBandPx;
}

bool stillFitted(const ViewerState& st) {
  const View& v = st.view;
  return st.lastFit && st.lastFit->center.x == v.center.x && st.lastFit->center.y == v.center.y &&
         st.lastFit->unitsPerPixel == v.unitsPerPixel;
}

bool fitBandsChanged(const ViewerState& st) {
  // Half a pixel: the bands are measured from text boxes, which may wobble in the last digit.
  return stillFitted(st) &&
         (std::abs(st.lastFitTopPx - st.topOverlayPx) > 0.5 || std::abs(st.lastFitBottomPx - st.attributionBandPx) > 0.5);
}

void fitBounds(ViewerState& st, Bounds target) {
  if (target.empty()) return;
  if (target.width() > 0 && target.height() > 0) {
    // Clear of the search box over the canvas's top and the attribution lines along its
    // bottom (where the last frame put them).
    st.view = fitBetweenBands(st.view, growBounds(target), st.topOverlayPx, st.attributionBandPx);
  } else {
    st.view.center = {(target.minX + target.maxX) / 2, (target.minY + target.maxY) / 2};
  }
}

bool switchDisplayCrs(ViewerState& st, const std::string& typed, std::string* err) {
  // What the user typed, as PROJ takes it ("+proj=laea ..." gets +type=crs): io/Projection.h.
  const std::optional<std::string> normal = normalizeCrs(typed, err);
  if (!normal) return false;
  const std::string& crs = *normal;
  if (crs == st.displayCrs) return true;
  auto toLonLat = Transformer::create(crs, kLonLatCrs, err);
  if (!toLonLat) return false;
  View next = st.view;
  const double metresPerPx = st.toLonLat ? groundMetresPerPixel(st.view, *st.toLonLat) : NAN;
  const Vec2 centreLonLat = st.toLonLat ? st.toLonLat->forward(st.view.center) : Vec2{NAN, NAN};
  const Vec2 centre = toLonLat->inverse(centreLonLat);
  if (!std::isfinite(centre.x) || !std::isfinite(centre.y) || !std::isfinite(metresPerPx) ||
      !(metresPerPx > 0)) {
    // The old centre has no place in the new CRS: frame everything there instead.
    st.displayCrs = crs;
    st.displayIsGeographic = isGeographicCrs(crs);
    st.toLonLat = std::move(toLonLat);
    fitAll(st);
    return true;
  }
  next.center = centre;
  // Ground metres per display unit vary over the map; two rounds of scaling from a first
  // guess of one unit a pixel settle the resolution at the centre to well under 0.1 %.
  next.unitsPerPixel = 1;
  for (int round = 0; round < 3; ++round) {
    const double m = groundMetresPerPixel(next, *toLonLat);
    if (!std::isfinite(m) || !(m > 0)) {
      if (err) *err = crs + ": the ground resolution at the centre of the view cannot be measured";
      return false;
    }
    next.unitsPerPixel *= metresPerPx / m;
  }
  st.view = next;
  st.displayCrs = crs;
  st.displayIsGeographic = isGeographicCrs(crs);
  st.toLonLat = std::move(toLonLat);
  return true;
}

void updateCursorGeo(ViewerState& st) {
  if (!st.cursorInMap) {
    st.cursorWorld = st.cursorLonLat = Vec2{NAN, NAN};
    return;
  }
  st.cursorWorld = st.view.toWorld(st.cursorPx);
  st.cursorLonLat = st.toLonLat ? st.toLonLat->forward(st.cursorWorld) : Vec2{NAN, NAN};
}

void forgetRemovedLayer(ViewerState& st, const std::string& id) {
  st.selection.validate(*st.session->store);  // references to a layer not in the store go
  if (st.hoverLayer == id) {
    st.hoverLayer.clear();
    st.hoverFeature = -1;
    st.hoverFeatureId.clear();
    st.hoverText.clear();
  }
  st.styleHistory.forgetLayer(id);
  st.styleEditor.drafts.erase(id);
  st.styleEditor.errors.erase(id);
  std::erase_if(st.requestedStyles, [&](const StyleEditRequest& r) { return r.layerId == id; });
  std::erase_if(st.requestedLoads, [&](const std::string& l) { return l == id; });
  LayerSettingsState& ls = st.layerSettings;
  const std::string prefix = settingKey(id, "");
  auto ofLayer = [&](const auto& entry) { return entry.first.rfind(prefix, 0) == 0; };
  std::erase_if(ls.drafts, ofLayer);
  std::erase_if(ls.errors, ofLayer);
  ls.lastEdited.erase(id);
  std::erase_if(ls.requested, [&](const SettingEdit& e) { return e.layerId == id; });
  if (st.requestedTable == id) st.requestedTable.clear();
  if (st.requestedRemoval == id) st.requestedRemoval.clear();
  st.layersChanged = true;
}

}  // namespace bcmap
