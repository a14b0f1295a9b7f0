// bcmap plugin SDK, section 6: style and legend.
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include "settings.hpp"

namespace bcmap::sdk {

// ---- 6. style and legend ---------------------------------------------------------------
struct Category {
  std::string value;  // the string form of the field's value
  bcmap_rgba fill;
  std::string label;  // legend text; empty: the value
};
struct Class {
  double lower, upper;  // [lower, upper); the last class includes upper
  bcmap_rgba fill;
  std::string label;
};
struct LegendEntry {
  std::string label;
  bcmap_rgba fill;
  bcmap_rgba stroke;
  bcmap_geometry_kind kind;
};

// The layer's style, built as a value: Style::single(...).categorized(...).labels(...).
struct Style {
  bcmap_rgba fill = rgba(200, 200, 200), stroke = rgba(255, 255, 255);
  float strokeWidthPx = 1.0f, pointSizePx = 6.0f, opacity = 1.0f;
  bcmap_symbol pointSymbol = BCMAP_SYMBOL_CIRCLE;
  uint32_t lineMarkers = 0;  // lines: BCMAP_LINE_MARKER_* bits
  float lineEndMarkerPx = 0;
  std::string field;  // CATEGORIZED/GRADUATED
  std::vector<Category> categories;
  std::vector<Class> classes;
  std::string labelField, labelSecondaryField;
  int32_t labelPriority = 0;
  double labelMaxScale = 0;

  static Style single(bcmap_rgba fill, bcmap_rgba stroke, float strokeWidthPx = 1.0f, float pointSizePx = 6.0f) {
    Style s;
    s.fill = fill, s.stroke = stroke, s.strokeWidthPx = strokeWidthPx, s.pointSizePx = pointSizePx;
    return s;
  }
  // Coloured by the string form of `byField`; fill (above) for unmatched values.
  Style& categorized(std::string byField, std::vector<Category> cats) {
    field = std::move(byField), categories = std::move(cats);
    return *this;
  }
  Style& graduated(std::string byField, std::vector<Class> cls) {
    field = std::move(byField), classes = std::move(cls);
    return *this;
  }
  // Labels from `primary` (and `secondary` as a second line); `priority`: higher wins a
  // place where labels would overlap (counties 100, townships 50, villages 10); shown while
  // the scale denominator is at most `maxScale` (0: always).
  Style& labels(std::string primary, std::string secondary = {}, int32_t priority = 0, double maxScale = 0) {
    labelField = std::move(primary), labelSecondaryField = std::move(secondary);
    labelPriority = priority, labelMaxScale = maxScale;
    return *this;
  }
  Style& symbol(bcmap_symbol s) { pointSymbol = s; return *this; }
  // One legend entry per category or class, in order; stroke: the style's, or each fill's.
  std::vector<LegendEntry> legend(bcmap_geometry_kind kind, bool strokeIsFill = false) const {
    std::vector<LegendEntry> out;
    for (const Category& c : categories)
      out.push_back({c.label.empty() ? c.value : c.label, c.fill, strokeIsFill ? c.fill : stroke, kind});
    for (const Class& c : classes) out.push_back({c.label, c.fill, strokeIsFill ? c.fill : stroke, kind});
    return out;
  }
};

// The diameter of a disc whose area is proportional to `amount` (pxPerSqrtUnit x sqrt),
// kept between minPx and maxPx: proportional symbols, e.g. people moved.
inline float proportionalDiscPx(double amount, double pxPerSqrtUnit, float minPx, float maxPx) {
  return std::clamp(float(pxPerSqrtUnit * std::sqrt(std::max(amount, 0.0))), minPx, maxPx);
}

}  // namespace bcmap::sdk
