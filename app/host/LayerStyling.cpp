#include "host/LayerStyling.h"

#include <memory>
#include <utility>

#include "host/LayerPrepare.h"
#include "style/ColorRamps.h"
#include "style/FileLayerStyle.h"

namespace bcmap {

StyleSpec hexCountSpec(const StyleSpec& spec) {
  StyleSpec h = spec;
  h.kind = StyleKind::Graduated;
  h.field = "count";
  h.sizeField.clear();
  h.aggregation = Aggregation::None;
  const ColorRamp* ramp = findColorRamp(spec.ramp);
  if (!ramp || ramp->kind != RampKind::Sequential) h.ramp = "YlOrRd";
  return h;
}

bool applyStyle(Layer& l, const std::optional<StyleSpec>& spec, std::string* err) {
  const bool hadHexes = l.hexes != nullptr;
  if (!spec) {
    if (l.pluginStyle) {
      l.style = std::move(l.pluginStyle->style);
      l.fill = std::move(l.pluginStyle->fill);
      l.pointSizePx = std::move(l.pluginStyle->pointSizePx);
      l.legend = std::move(l.pluginStyle->legend);
      l.pluginStyle.reset();
    }
    l.hexes.reset();
  } else {
    const ResolvedStyle* plugin = l.pluginStyle ? &*l.pluginStyle : nullptr;
    const LayerStyle& base = plugin ? plugin->style : l.style;
    ResolvedStyle shown;
    std::unique_ptr<Layer::HexAggregate> hexes;
    if (spec->aggregation == Aggregation::Hex) {
      if (l.kind != GeometryKind::Point) {
        if (err)
          *err = "style: hexagons aggregate points; layer " + l.id +
                 (l.kind == GeometryKind::None ? std::string(" is a table without geometry")
                                               : std::string(" is of ") + geometryKindName(l.kind));
        return false;
      }
      hexes = std::make_unique<Layer::HexAggregate>();
      // The same hexagons when only their colours change.
      if (l.hexes && l.hexes->bins.sideM == spec->hexSizeM) {
        hexes->bins = l.hexes->bins;
      } else if (auto bins = hexBin(l.table, l.sourceCrs, spec->hexSizeM, err)) {
        hexes->bins = std::move(*bins);
      } else {
        return false;
      }
      LayerStyle hexBase = base;
      hexBase.labelField.clear();  // hexagons have no names
      hexBase.labelSecondaryField.clear();
      hexBase.stroke = Rgba{255, 255, 255, 200};  // a thin light seam between neighbours
      hexBase.strokeWidthPx = 0.5f;
      if (!resolveStyleSpec(hexCountSpec(*spec), hexBase, hexes->bins.table, GeometryKind::Polygon, shown, err))
        return false;
      for (LegendEntry& e : shown.legend) e.label += " 个点 points";
      shown.style.legendHeading = "每格点数 points per hexagon";
      hexes->fill = std::move(shown.fill);
      // The points are not drawn; they keep the plugin's colours and sizes.
      shown.fill = plugin ? plugin->fill : l.fill;
      shown.pointSizePx = plugin ? plugin->pointSizePx : l.pointSizePx;
    } else if (!resolveStyleSpec(*spec, base, l.table, l.kind, shown, err)) {
      return false;
    } else {
      // What the user's style leaves as the plugin drew it keeps its legend entries: the
      // size legend while the sizes are the plugin's, and a line's END symbol (drawn in the
      // stroke colour, which the style keeps).
      for (const LegendEntry& e : plugin ? plugin->legend : l.legend) {
        const bool sizes = e.sizePx > 0 && spec->sizeField.empty() && !base.sizeField.empty();
        const bool endSymbol = e.sizePx == 0 && e.kind == GeometryKind::Point && l.kind == GeometryKind::Line &&
                               (base.lineMarkers & BCMAP_LINE_MARKER_END) && e.fill.r == base.stroke.r &&
                               e.fill.g == base.stroke.g && e.fill.b == base.stroke.b;
        if (sizes || endSymbol) shown.legend.push_back(e);
      }
    }
    if (!l.pluginStyle)
      l.pluginStyle = ResolvedStyle{std::move(l.style), std::move(l.fill), std::move(l.pointSizePx), std::move(l.legend)};
    l.style = std::move(shown.style);
    l.fill = std::move(shown.fill);
    l.pointSizePx = std::move(shown.pointSizePx);
    l.legend = std::move(shown.legend);
    const bool sameHexes = hexes && l.hexes && l.hexes->bins.sideM == hexes->bins.sideM;
    l.hexes = std::move(hexes);
    if (sameHexes) {
      restylePrepared(l);
      ++l.generation;
      return true;
    }
  }
  // Hexagons came or went: other geometry, prepared afresh.
  if (hadHexes || l.hexes) {
    l.prepared.clear();
    l.lonLatIndex.reset();
  } else {
    restylePrepared(l);
  }
  ++l.generation;
  return true;
}

bool setLayerUserStyle(Layer& l, std::optional<StyleSpec> spec, std::string* err) {
  if (spec && !validateStyleSpec(*spec, err)) return false;
  if (spec && spec->aggregation == Aggregation::Hex && l.kind != GeometryKind::Point &&
      l.kind != GeometryKind::None) {
    if (err) *err = "style: hexagons aggregate points; layer " + l.id + " is of " + geometryKindName(l.kind);
    return false;
  }
  // A layer not loaded yet takes the style with its load (applyLoad).
  if (l.status == LayerStatus::Loaded && !applyStyle(l, spec, err)) return false;
  l.userStyle = std::move(spec);
  l.userStyleError.clear();
  return true;
}

void applyFileLayerLook(Layer& l) {
  if (!l.isFileLayer || l.status != LayerStatus::Loaded) return;
  ResolvedStyle shown{std::move(l.style), std::move(l.fill), std::move(l.pointSizePx), std::move(l.legend)};
  applyFileLayerLook(l.kind, l.table, shown);
  l.style = std::move(shown.style);
  l.fill = std::move(shown.fill);
  l.pointSizePx = std::move(shown.pointSizePx);
  l.legend = std::move(shown.legend);
}

}  // namespace bcmap
