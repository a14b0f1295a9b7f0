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
  double sizePx = 0;  // > 0: a size legend's disc, this many px across (Style::sizeLegend)
  // The C form; label points into this entry.
  bcmap_legend_entry_v1 raw() const {
    return {sizeof(bcmap_legend_entry_v1), label.c_str(), fill, stroke, uint32_t(kind), sizePx};
  }
};

// The diameter the host draws a value at under Style::sizeBy: area proportional to the value,
// referencePx across at referenceValue; null (NaN), zero, negative and smaller values get
// minPx (0: 2 px); at most 200 px. The host evaluates the same formula.
inline float proportionalSizePx(double value, double referenceValue, float referencePx, float minPx = 0) {
  const double lo = minPx > 0 ? minPx : 2.0;
  if (!(value > 0) || !(referenceValue > 0)) return float(lo);
  return float(std::clamp(referencePx * std::sqrt(value / referenceValue), lo, 200.0));
}

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
  std::string sizeField;  // sizeBy
  double sizeReferenceValue = 0;
  float sizeReferencePx = 0, sizeMinPx = 0;

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
  // Proportional symbols: each point's disc (a line's START marker) has an area proportional
  // to its value of the numeric field `byField`, referencePx across at referenceValue (e.g.
  // sizeBy("jobs", 100, 10): 100 jobs 10 px, 400 jobs 20 px); null, zero and negative values,
  // and discs smaller than minPx, are minPx (0: 2 px). The host evaluates it after the load;
  // a styleFeature size, where given, wins. A field the layer lacks fails the load.
  Style& sizeBy(std::string byField, double referenceValue, float referencePx, float minPx = 0) {
    sizeField = std::move(byField), sizeReferenceValue = referenceValue;
    sizeReferencePx = referencePx, sizeMinPx = minPx;
    return *this;
  }
  // A size legend: one disc per value, sized as the map sizes that value (sizeBy above), in
  // the style's fill, labelled "<value> <unit>" (sizeLegend({100, 500}, "人 people")).
  std::vector<LegendEntry> sizeLegend(const std::vector<double>& values, const std::string& unit) const {
    std::vector<LegendEntry> out;
    for (double v : values) {
      char text[32];
      std::snprintf(text, sizeof text, "%g", v);
      out.push_back({std::string(text) + (unit.empty() ? "" : " " + unit), fill, stroke, BCMAP_GEOM_POINT,
                     proportionalSizePx(v, sizeReferenceValue, sizeReferencePx, sizeMinPx)});
    }
    return out;
  }
  // Writes the size-by-field part into the C struct (the glue; strings point into this).
  void writeSize(bcmap_style_v1& s) const {
    s.size_field = sizeField.empty() ? nullptr : sizeField.c_str();
    s.size_reference_value = sizeReferenceValue;
    s.size_reference_px = sizeReferencePx;
    s.size_min_px = sizeMinPx;
  }
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
