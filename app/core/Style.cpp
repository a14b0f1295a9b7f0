#include "core/Style.h"

#include <cmath>
#include <unordered_map>

namespace bcmap {

Rgba toRgba(bcmap_rgba c) { return Rgba{c.r, c.g, c.b, c.a}; }

bool copyStyle(const bcmap_style_v1& in, LayerStyle& out, std::string* err) {
  auto fail = [&](const std::string& m) {
    if (err) *err = "invalid style: " + m;
    return false;
  };
  if (in.kind > BCMAP_STYLE_GRADUATED) return fail("unknown kind " + std::to_string(in.kind));
  out = LayerStyle{};
  out.kind = static_cast<StyleKind>(in.kind);
  out.field = in.field ? in.field : "";
  out.fill = toRgba(in.fill);
  out.stroke = toRgba(in.stroke);
  out.strokeWidthPx = in.stroke_width_px;
  out.pointSizePx = in.point_size_px;
  out.opacity = in.opacity;
  if (!std::isfinite(out.strokeWidthPx) || out.strokeWidthPx < 0 || out.strokeWidthPx > 100)
    return fail("stroke width " + std::to_string(out.strokeWidthPx) + " px is not in 0..100");
  if (!std::isfinite(out.pointSizePx) || out.pointSizePx < 0 || out.pointSizePx > 200)
    return fail("point size " + std::to_string(out.pointSizePx) + " px is not in 0..200");
  if (!std::isfinite(out.opacity) || out.opacity < 0 || out.opacity > 1)
    return fail("opacity " + std::to_string(out.opacity) + " is not in 0..1");
  if (out.kind != StyleKind::Single && out.field.empty()) return fail("categorized/graduated style without a field");
  if (in.category_count && !in.categories) return fail("category_count without categories");
  if (in.class_count && !in.classes) return fail("class_count without classes");
  for (uint32_t i = 0; i < in.category_count; ++i) {
    const bcmap_category_v1& c = in.categories[i];
    if (!c.value) return fail("category " + std::to_string(i) + " has no value");
    out.categories.push_back({c.value, toRgba(c.fill), c.label ? c.label : c.value});
  }
  for (uint32_t i = 0; i < in.class_count; ++i) {
    const bcmap_class_v1& c = in.classes[i];
    if (!std::isfinite(c.lower) || !std::isfinite(c.upper) || c.lower > c.upper)
      return fail("class " + std::to_string(i) + " has bounds " + std::to_string(c.lower) + ".." +
                  std::to_string(c.upper));
    out.classes.push_back({c.lower, c.upper, toRgba(c.fill), c.label ? c.label : ""});
  }
  if (in.point_symbol > BCMAP_SYMBOL_STAR) return fail("unknown point symbol " + std::to_string(in.point_symbol));
  if (in.line_markers & ~(BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END))
    return fail("unknown line marker bits " + std::to_string(in.line_markers));
  if (!std::isfinite(in.line_end_marker_px) || in.line_end_marker_px < 0 || in.line_end_marker_px > 200)
    return fail("line end marker " + std::to_string(in.line_end_marker_px) + " px is not in 0..200");
  out.pointSymbol = static_cast<uint8_t>(in.point_symbol);
  out.lineMarkers = in.line_markers;
  out.lineEndMarkerPx = in.line_end_marker_px;
  out.labelField = in.label_field ? in.label_field : "";
  out.labelSecondaryField = in.label_secondary_field ? in.label_secondary_field : "";
  return true;
}

bool evaluateFill(const LayerStyle& style, const FeatureTable& table, std::vector<Rgba>& fill,
                  std::string* err) {
  const size_t n = table.featureCount();
  fill.assign(n, style.fill);
  if (style.kind == StyleKind::Single) return true;
  const AttributeColumn* col = table.column(style.field);
  if (!col) {
    if (err) *err = "style field '" + style.field + "' is not among the layer's fields";
    return false;
  }
  if (style.kind == StyleKind::Categorized) {
    std::unordered_map<std::string, Rgba> lookup;
    for (const StyleCategory& c : style.categories) lookup.emplace(c.value, c.fill);
    for (size_t i = 0; i < n; ++i)
      if (auto it = lookup.find(col->text(i)); it != lookup.end()) fill[i] = it->second;
    return true;
  }
  // Graduated: class i is [lower, upper); the last class is closed.
  for (size_t i = 0; i < n; ++i) {
    const double v = col->number(i);
    if (std::isnan(v)) continue;
    for (size_t k = 0; k < style.classes.size(); ++k) {
      const StyleClass& c = style.classes[k];
      const bool last = k + 1 == style.classes.size();
      if (v >= c.lower && (v < c.upper || (last && v <= c.upper))) {
        fill[i] = c.fill;
        break;
      }
    }
  }
  return true;
}

}  // namespace bcmap
