#include "style/Style.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <unordered_map>

#include "style/ColorRamps.h"

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
  // ABI 1.1: a 1.0 plugin's struct_size ends before these; they keep LayerStyle's
  // defaults (circles, no line markers), which are what zeroed fields would say.
  if (in.struct_size >= offsetof(bcmap_style_v1, line_end_marker_px) + sizeof in.line_end_marker_px) {
    if (in.point_symbol > BCMAP_SYMBOL_STAR) return fail("unknown point symbol " + std::to_string(in.point_symbol));
    if (in.line_markers & ~(BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END))
      return fail("unknown line marker bits " + std::to_string(in.line_markers));
    if (!std::isfinite(in.line_end_marker_px) || in.line_end_marker_px < 0 || in.line_end_marker_px > 200)
      return fail("line end marker " + std::to_string(in.line_end_marker_px) + " px is not in 0..200");
    out.pointSymbol = static_cast<uint8_t>(in.point_symbol);
    out.lineMarkers = in.line_markers;
    out.lineEndMarkerPx = in.line_end_marker_px;
  }
  out.labelField = in.label_field ? in.label_field : "";
  out.labelSecondaryField = in.label_secondary_field ? in.label_secondary_field : "";
  // ABI 1.2: a 1.1 plugin's struct_size ends before these; they stay 0 (at every scale).
  if (in.struct_size >= offsetof(bcmap_style_v1, label_priority) + sizeof in.label_priority) {
    if (!std::isfinite(in.label_max_scale) || in.label_max_scale < 0)
      return fail("label max scale " + std::to_string(in.label_max_scale) + " is not a scale denominator >= 0");
    out.labelPriority = in.label_priority;
    out.labelMaxScale = in.label_max_scale;
  }
  // ABI 1.3: a 1.2 plugin's struct_size ends before these; its layer keeps one size.
  if (in.struct_size >= offsetof(bcmap_style_v1, size_min_px) + sizeof in.size_min_px && in.size_field &&
      *in.size_field) {
    if (!(std::isfinite(in.size_reference_value) && in.size_reference_value > 0))
      return fail("size reference value " + std::to_string(in.size_reference_value) + " is not a number > 0");
    if (!(std::isfinite(in.size_reference_px) && in.size_reference_px > 0 && in.size_reference_px <= kMaxPointSizePx))
      return fail("size reference " + std::to_string(in.size_reference_px) + " px is not in (0, 200]");
    if (!(std::isfinite(in.size_min_px) && in.size_min_px >= 0 && in.size_min_px <= kMaxPointSizePx))
      return fail("smallest size " + std::to_string(in.size_min_px) + " px is not in 0..200");
    out.sizeField = in.size_field;
    out.sizeReferenceValue = in.size_reference_value;
    out.sizeReferencePx = in.size_reference_px;
    out.sizeMinPx = in.size_min_px;
  }
  return true;
}

float proportionalSizePx(double value, double referenceValue, float referencePx, float minPx) {
  const double lo = minPx > 0 ? minPx : kDefaultSizeMinPx;
  if (!(value > 0) || !(referenceValue > 0)) return static_cast<float>(lo);  // NaN too
  const double d = referencePx * std::sqrt(value / referenceValue);
  return static_cast<float>(std::clamp(d, lo, double(kMaxPointSizePx)));
}

namespace {

bool isSizeField(FieldType t) { return t == FieldType::Integer || t == FieldType::Real; }

}  // namespace

std::string fieldListSuffix(const FeatureTable& table, FieldsListed which) {
  std::string names;
  for (const AttributeColumn& c : table.columns)
    if (which == FieldsListed::All || isSizeField(c.type) ||
        (which == FieldsListed::NumbersAndDates && c.type == FieldType::Date))
      names += (names.empty() ? "" : ", ") + c.name;
  return std::string(which == FieldsListed::All ? "; fields: " : "; numeric fields: ") +
         (names.empty() ? "(none)" : names);
}

bool evaluatePointSize(const LayerStyle& style, const FeatureTable& table, std::vector<float>& size,
                       std::string* err) {
  const size_t n = table.featureCount();
  size.assign(n, style.pointSizePx);
  if (style.sizeField.empty()) return true;
  const AttributeColumn* col = table.column(style.sizeField);
  if (!col || !isSizeField(col->type)) {
    if (err)
      *err = "style: size field '" + style.sizeField + "' is not a numeric field of the layer" +
             fieldListSuffix(table, FieldsListed::Numbers);
    return false;
  }
  for (size_t i = 0; i < n; ++i)
    size[i] = proportionalSizePx(col->isNull[i] ? NAN : col->number(i), style.sizeReferenceValue,
                                 style.sizeReferencePx, style.sizeMinPx);
  return true;
}

bool checkStyleFields(const LayerStyle& style, const FeatureTable& table, std::string* err) {
  const std::pair<const char*, const std::string*> named[] = {
      {"style field", style.kind == StyleKind::Single ? nullptr : &style.field},
      {"label field", &style.labelField},
      {"second label field", &style.labelSecondaryField},
      {"size field", &style.sizeField}};
  for (const auto& [what, name] : named)
    if (name && !name->empty() && !table.column(*name)) {
      if (err) *err = "style: " + std::string(what) + " '" + *name + "' is not among the layer's fields" + fieldListSuffix(table);
      return false;
    }
  return true;
}

LegendEntry legendEntryFrom(const bcmap_legend_entry_v1& in) {
  LegendEntry e{in.label ? in.label : "", toRgba(in.fill), toRgba(in.stroke),
                in.geometry_kind <= BCMAP_GEOM_POLYGON ? static_cast<GeometryKind>(in.geometry_kind) : GeometryKind::None};
  if (in.struct_size >= offsetof(bcmap_legend_entry_v1, size_px) + sizeof in.size_px && in.size_px > 0 &&
      in.size_px <= kMaxPointSizePx)
    e.sizePx = in.size_px;
  return e;
}

bool evaluateFill(const LayerStyle& style, const FeatureTable& table, std::vector<Rgba>& fill,
                  std::string* err, size_t* unmatched) {
  const size_t n = table.featureCount();
  fill.assign(n, style.fill);
  if (unmatched) *unmatched = 0;
  if (style.kind == StyleKind::Single) return true;
  const AttributeColumn* col = table.column(style.field);
  if (!col) {
    if (err) *err = "style field '" + style.field + "' is not among the layer's fields" + fieldListSuffix(table);
    return false;
  }
  size_t missed = 0;
  if (style.kind == StyleKind::Categorized) {
    std::unordered_map<std::string, Rgba> lookup;
    for (const StyleCategory& c : style.categories) lookup.emplace(c.value, c.fill);
    for (size_t i = 0; i < n; ++i) {
      if (auto it = lookup.find(col->text(i)); it != lookup.end()) fill[i] = it->second;
      else ++missed;
    }
  } else {
    // Graduated: class i is [lower, upper); the last class is closed. The first class that
    // takes the value wins (a plugin's classes need not be sorted).
    for (size_t i = 0; i < n; ++i) {
      const double v = col->number(i);
      bool matched = false;
      for (size_t k = 0; k < style.classes.size() && !std::isnan(v); ++k) {
        const StyleClass& c = style.classes[k];
        const bool last = k + 1 == style.classes.size();
        if (v >= c.lower && (v < c.upper || (last && v <= c.upper))) {
          fill[i] = c.fill;
          matched = true;
          break;
        }
      }
      missed += !matched;
    }
  }
  if (unmatched) *unmatched = missed;
  return true;
}

// ---- the user's style ----------------------------------------------------------------------
bool validateStyleSpec(const StyleSpec& spec, std::string* err) {
  auto fail = [&](const std::string& m) {
    if (err) *err = "style: " + m;
    return false;
  };
  if (spec.kind != StyleKind::Single && spec.kind != StyleKind::Categorized && spec.kind != StyleKind::Graduated)
    return fail("unknown kind");
  if (spec.kind != StyleKind::Single && spec.field.empty() && spec.aggregation == Aggregation::None)
    return fail("a categorized or graduated style needs a field");
  if (!findColorRamp(spec.ramp)) return fail("unknown colour ramp '" + spec.ramp + "'");
  if (spec.classes < kMinClasses || spec.classes > kMaxClasses)
    return fail(std::to_string(spec.classes) + " classes; " + std::to_string(kMinClasses) + " to " +
                std::to_string(kMaxClasses) + " allowed");
  if (spec.method > ClassifyMethod::Custom) return fail("unknown classification method");
  if (spec.customBreaks.size() > kMaxCustomCuts)
    return fail(std::to_string(spec.customBreaks.size()) + " custom breaks; at most " + std::to_string(kMaxCustomCuts));
  for (double c : spec.customBreaks)
    if (!std::isfinite(c)) return fail("custom breaks must be finite numbers");
  if (spec.method == ClassifyMethod::Custom && spec.kind == StyleKind::Graduated && spec.customBreaks.empty())
    return fail("custom classes need at least one break");
  if (!(spec.sizeMinPx >= 0.5f && spec.sizeMaxPx <= 100.0f && spec.sizeMinPx <= spec.sizeMaxPx))
    return fail("point sizes must be within 0.5..100 px with min <= max");
  if (spec.aggregation != Aggregation::None && spec.aggregation != Aggregation::Hex)
    return fail("unknown aggregation");
  if (!(spec.hexSizeM >= 10 && spec.hexSizeM <= 100000)) return fail("hexagon size must be within 10 m..100 km");
  return true;
}

namespace {

bool isNumeric(FieldType t) { return t == FieldType::Integer || t == FieldType::Real || t == FieldType::Date; }

std::string trimmedNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

// Decimals for real class bounds: two significant digits of the narrowest class width,
// so neighbouring labels differ ("0.25 – 0.5", "1200 – 3400").
int decimalsFor(const std::vector<double>& breaks) {
  double width = INFINITY;
  for (size_t i = 0; i + 1 < breaks.size(); ++i)
    if (breaks[i + 1] > breaks[i]) width = std::min(width, breaks[i + 1] - breaks[i]);
  if (!std::isfinite(width)) return 0;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(width))) + 1, 0, 6);
}

// Categories: the field's distinct values (nulls excluded), numeric ones in numeric order,
// text in code-point order; beyond `maxCount`, only the most frequent are kept.
std::vector<std::string> categoryValues(const AttributeColumn& col, size_t maxCount) {
  std::unordered_map<std::string, size_t> counts;
  std::vector<std::string> order;
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.isNull[i]) continue;
    std::string v = col.text(i);
    if (counts[v]++ == 0) order.push_back(std::move(v));
  }
  if (order.size() > maxCount) {
    std::stable_sort(order.begin(), order.end(),
                     [&](const std::string& a, const std::string& b) { return counts[a] > counts[b]; });
    order.resize(maxCount);
  }
  if (isNumeric(col.type)) {
    // Numbers by value: as text "10" would sort before "9".
    std::unordered_map<std::string, double> number;
    for (size_t i = 0; i < col.size(); ++i)
      if (!col.isNull[i]) number.emplace(col.text(i), col.number(i));
    std::sort(order.begin(), order.end(),
              [&](const std::string& a, const std::string& b) { return number.at(a) < number.at(b); });
  } else {
    std::sort(order.begin(), order.end());
  }
  return order;
}

// Point size by a field: area proportional to the value (the reading of proportional
// symbols: a circle of twice the value has twice the area), from sizeMinPx at the field's
// smallest value to sizeMaxPx at its largest. Nulls get the smallest size.
bool evaluateSpecPointSize(const StyleSpec& spec, const LayerStyle& style, const FeatureTable& table,
                           std::vector<float>& size, std::string* err) {
  // Without a size field of the user's, the plugin's (sizes by field) stays.
  if (spec.sizeField.empty()) return evaluatePointSize(style, table, size, err);
  const size_t n = table.featureCount();
  size.assign(n, style.pointSizePx);
  const AttributeColumn* col = table.column(spec.sizeField);
  if (!col || !isNumeric(col->type)) {
    if (err) *err = "style: size field '" + spec.sizeField + "' is not a numeric field of the layer" + fieldListSuffix(table, FieldsListed::NumbersAndDates);
    return false;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    const double v = col->number(i);
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  const double a0 = double(spec.sizeMinPx) * spec.sizeMinPx, a1 = double(spec.sizeMaxPx) * spec.sizeMaxPx;
  for (size_t i = 0; i < n; ++i) {
    const double v = col->number(i);
    double t = 0;
    if (std::isfinite(v)) t = hi > lo ? (v - lo) / (hi - lo) : 1;
    size[i] = static_cast<float>(std::sqrt(a0 + t * (a1 - a0)));
  }
  return true;
}

// The legend label of each category value (issue 10: categorised by name_zh, the counties
// lost their English names). The plugin's own label where it categorised by the same field
// and said more than the value; else, when every feature of the value has the same name
// (the layer's label fields, e.g. name_zh and name_en), the value with that name:
// "洮北区 Taobei District" for a name, "220802 洮北区 Taobei District" for a code; else the
// value alone (a field whose values differently named features share, "national").
std::vector<std::string> categoryLabels(const std::vector<std::string>& values, const AttributeColumn& col,
                                        const std::string& field, const LayerStyle& base, const FeatureTable& table) {
  std::vector<std::string> out = values;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < values.size(); ++i) index.emplace(values[i], i);
  std::vector<bool> done(values.size(), false);
  if (base.kind == StyleKind::Categorized && base.field == field)
    for (const StyleCategory& c : base.categories)
      if (auto it = index.find(c.value); it != index.end() && !c.label.empty() && c.label != c.value) {
        out[it->second] = c.label;
        done[it->second] = true;
      }
  const AttributeColumn* primary = base.labelField.empty() ? nullptr : table.column(base.labelField);
  const AttributeColumn* secondary = base.labelSecondaryField.empty() ? nullptr : table.column(base.labelSecondaryField);
  if (!primary && !secondary) return out;
  auto nameOf = [&](size_t row) {
    std::string a = primary && !primary->isNull[row] ? primary->text(row) : std::string();
    const std::string b = secondary && !secondary->isNull[row] ? secondary->text(row) : std::string();
    if (!b.empty() && b != a) a += (a.empty() ? "" : " ") + b;
    return a;
  };
  std::vector<std::string> name(values.size());
  std::vector<bool> single(values.size(), true);
  for (size_t row = 0; row < col.size(); ++row) {
    if (col.isNull[row]) continue;
    const auto it = index.find(col.text(row));
    if (it == index.end() || !single[it->second]) continue;
    const std::string n = nameOf(row);
    if (name[it->second].empty()) name[it->second] = n;
    else if (n != name[it->second]) single[it->second] = false;
  }
  // Only a field that names or codes the features (one name to each value) says whose
  // colour it is; a value such as "national" shared by differently named features is a
  // class of them, and naming its one feature where it has one would mislead.
  for (size_t i = 0; i < values.size(); ++i)
    if (!single[i]) return out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (done[i] || name[i].empty() || name[i] == values[i]) continue;
    // A name field's value is the name's first or second part: the name alone.
    const bool isPart = (primary && primary->name == field) || (secondary && secondary->name == field);
    out[i] = isPart ? name[i] : values[i] + " " + name[i];
  }
  return out;
}

}  // namespace

std::string readableFieldName(std::string_view field) {
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"name_zh", "名称 Name"},
      {"name_en", "英文名 English name"},
      {"name", "名称 Name"},
      {"adcode", "行政区划代码 Division code"},
      {"county", "县 County"},
      {"county_zh", "县 County"},
      {"county_en", "县 County"},
      {"township", "乡镇 Township"},
      {"township_zh", "乡镇 Township"},
      {"township_en", "乡镇 Township"},
      {"year", "年份 Year"},
      {"people", "人数 People"},
  };
  for (const auto& [name, text] : kKnown)
    if (name == field) return std::string(text);
  std::string out(field);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

bool isNominalField(const AttributeColumn& column) {
  if (column.type == FieldType::String) return true;
  if (column.type != FieldType::Integer) return false;
  std::string n = column.name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto endsWith = [&](std::string_view tail) { return n.size() >= tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0; };
  return n == "id" || n == "fid" || endsWith("_id") || endsWith("code") || endsWith("_no");
}

std::string defaultRampFor(StyleKind kind, const AttributeColumn* column) {
  if (kind == StyleKind::Categorized && (!column || isNominalField(*column))) return "Okabe-Ito";
  return "YlGnBu";
}

std::string classLabel(double lower, double upper, bool last, FieldType type, int decimals) {
  static const char* kDash = " – ";  // en dash: a range
  if (type == FieldType::Integer || type == FieldType::Date) {
    // The whole numbers the class holds: [lower, upper) holds ceil(lower) .. ceil(upper)-1.
    const double lo = std::ceil(lower), hi = last ? std::floor(upper) : std::ceil(upper) - 1;
    if (hi >= lo) {
      auto text = [&](double v) {
        return type == FieldType::Date ? formatDate(static_cast<int32_t>(v)) : trimmedNumber(v, 0);
      };
      return hi == lo ? text(lo) : text(lo) + kDash + text(hi);
    }
  }
  if (last && lower == upper) return trimmedNumber(lower, decimals);
  return trimmedNumber(lower, decimals) + kDash + trimmedNumber(upper, decimals);
}

bool resolveStyleSpec(const StyleSpec& spec, const LayerStyle& base, const FeatureTable& table, GeometryKind kind,
                      ResolvedStyle& out, std::string* err) {
  if (!validateStyleSpec(spec, err)) return false;
  const ColorRamp& ramp = *findColorRamp(spec.ramp);
  LayerStyle st = base;
  st.kind = spec.kind;
  st.field = spec.kind == StyleKind::Single ? std::string() : spec.field;
  st.categories.clear();
  st.classes.clear();
  st.fill = spec.kind == StyleKind::Single ? spec.single : kOtherFill;
  const AttributeColumn* col = spec.kind == StyleKind::Single ? nullptr : table.column(spec.field);
  if (spec.kind != StyleKind::Single && !col) {
    if (err) *err = "style: field '" + spec.field + "' is not among the layer's fields" + fieldListSuffix(table);
    return false;
  }
  if (spec.kind == StyleKind::Categorized) {
    const size_t most = ramp.kind == RampKind::Qualitative ? std::min(kMaxCategories, ramp.stops.size()) : kMaxCategories;
    const std::vector<std::string> values = categoryValues(*col, most);
    const std::vector<Rgba> colours = classColours(ramp, values.size(), spec.reversed);
    const std::vector<std::string> labels = categoryLabels(values, *col, spec.field, base, table);
    for (size_t i = 0; i < values.size(); ++i) st.categories.push_back({values[i], colours[i], labels[i]});
  } else if (spec.kind == StyleKind::Graduated) {
    if (!isNumeric(col->type)) {
      if (err) *err = "style: field '" + spec.field + "' is not numeric; graduated styles need numbers" + fieldListSuffix(table, FieldsListed::NumbersAndDates);
      return false;
    }
    std::vector<double> values(col->size());
    for (size_t i = 0; i < values.size(); ++i) values[i] = col->number(i);
    const std::vector<double> b = classBreaks(values, spec.method, spec.classes, spec.customBreaks);
    if (b.size() >= 2) {
      const size_t k = b.size() - 1;
      const std::vector<Rgba> colours = classColours(ramp, k, spec.reversed);
      const int decimals = decimalsFor(b);
      for (size_t i = 0; i < k; ++i)
        st.classes.push_back({b[i], b[i + 1], colours[i], classLabel(b[i], b[i + 1], i + 1 == k, col->type, decimals)});
    }
  }
  // Ranges and values say nothing of what they measure without the field's name (issue 10).
  st.legendHeading = spec.kind == StyleKind::Single ? std::string() : readableFieldName(spec.field);
  size_t unmatched = 0;
  if (!evaluateFill(st, table, out.fill, err, &unmatched)) return false;
  if (!evaluateSpecPointSize(spec, st, table, out.pointSizePx, err)) return false;
  out.legend.clear();
  // Polygons' legend swatches carry the outline; points and lines are drawn in their fill.
  // A line layer with START markers shows each class in its origin disc (issue 10: the
  // legend of relocated villages lost its discs), as the plugin's own legend does.
  const GeometryKind entryKind =
      kind == GeometryKind::Line && (st.lineMarkers & BCMAP_LINE_MARKER_START) ? GeometryKind::Point : kind;
  auto entry = [&](const std::string& label, Rgba fill) { out.legend.push_back({label, fill, st.stroke, entryKind}); };
  switch (spec.kind) {
    case StyleKind::Single: entry("全部 all features", st.fill); break;
    case StyleKind::Categorized:
      for (const StyleCategory& c : st.categories) entry(c.label, c.fill);
      break;
    case StyleKind::Graduated:
      for (const StyleClass& c : st.classes) entry(c.label, c.fill);
      break;
  }
  if (unmatched > 0 && spec.kind != StyleKind::Single) entry("其他 / 无值 other or no value", st.fill);
  out.style = std::move(st);
  return true;
}

// ---- its JSON form ----------------------------------------------------------------------------
namespace {

const char* kindName(StyleKind k) {
  switch (k) {
    case StyleKind::Single: return "single";
    case StyleKind::Categorized: return "categorized";
    case StyleKind::Graduated: return "graduated";
  }
  return "?";
}

std::string colourText(Rgba c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
  return buf;
}

bool parseColour(const std::string& t, Rgba& out) {
  if ((t.size() != 7 && t.size() != 9) || t[0] != '#') return false;
  unsigned v[4] = {0, 0, 0, 255};
  for (size_t i = 0; i + 1 < t.size(); i += 2) {
    unsigned x = 0;
    for (size_t j = i + 1; j < i + 3; ++j) {
      const char ch = t[j];
      const int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                                      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
      if (d < 0) return false;
      x = x * 16 + static_cast<unsigned>(d);
    }
    v[i / 2] = x;
  }
  out = Rgba{static_cast<uint8_t>(v[0]), static_cast<uint8_t>(v[1]), static_cast<uint8_t>(v[2]),
             static_cast<uint8_t>(v[3])};
  return true;
}

}  // namespace

std::string styleSpecToJson(const StyleSpec& s) {
  nlohmann::json j;
  j["kind"] = kindName(s.kind);
  j["field"] = s.field;
  j["method"] = classifyMethodName(s.method);
  j["classes"] = s.classes;
  j["custom_breaks"] = s.customBreaks;
  j["ramp"] = s.ramp;
  j["reversed"] = s.reversed;
  j["single"] = colourText(s.single);
  j["size_field"] = s.sizeField;
  j["size_min_px"] = s.sizeMinPx;
  j["size_max_px"] = s.sizeMaxPx;
  j["aggregation"] = s.aggregation == Aggregation::Hex ? "hex" : "none";
  j["hex_size_m"] = s.hexSizeM;
  return j.dump();
}

std::optional<StyleSpec> styleSpecFromJson(std::string_view text, std::string* err) {
  auto fail = [&](const std::string& m) -> std::optional<StyleSpec> {
    if (err) *err = "style: " + m;
    return std::nullopt;
  };
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  StyleSpec s;
  // Each key is optional; present, it must have the right type.
  auto text_ = [&](const char* key, std::string& out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_string()) return false;
    out = j[key].get<std::string>();
    return true;
  };
  auto number = [&](const char* key, auto& out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_number()) return false;
    out = j[key].get<std::remove_reference_t<decltype(out)>>();
    return true;
  };
  std::string kind = kindName(s.kind), method = classifyMethodName(s.method), single = colourText(s.single);
  std::string aggregation = "none";
  for (auto [key, out] : {std::pair{"kind", &kind}, {"field", &s.field}, {"method", &method}, {"ramp", &s.ramp},
                          {"single", &single}, {"size_field", &s.sizeField}, {"aggregation", &aggregation}})
    if (!text_(key, *out)) return fail(std::string("'") + key + "' must be a string");
  if (!number("classes", s.classes) || (j.contains("classes") && !j["classes"].is_number_integer()))
    return fail("'classes' must be a whole number");
  if (!number("size_min_px", s.sizeMinPx) || !number("size_max_px", s.sizeMaxPx) || !number("hex_size_m", s.hexSizeM))
    return fail("sizes must be numbers");
  if (j.contains("reversed")) {
    if (!j["reversed"].is_boolean()) return fail("'reversed' must be true or false");
    s.reversed = j["reversed"].get<bool>();
  }
  if (j.contains("custom_breaks")) {
    if (!j["custom_breaks"].is_array()) return fail("'custom_breaks' must be a list of numbers");
    s.customBreaks.clear();
    for (const auto& v : j["custom_breaks"]) {
      if (!v.is_number()) return fail("'custom_breaks' must be a list of numbers");
      s.customBreaks.push_back(v.get<double>());
    }
  }
  if (kind == "single") s.kind = StyleKind::Single;
  else if (kind == "categorized") s.kind = StyleKind::Categorized;
  else if (kind == "graduated") s.kind = StyleKind::Graduated;
  else return fail("unknown kind '" + kind + "'");
  if (!parseClassifyMethod(method, s.method)) return fail("unknown method '" + method + "'");
  if (!parseColour(single, s.single)) return fail("'single' must be a colour #rrggbb or #rrggbbaa");
  if (aggregation == "hex") s.aggregation = Aggregation::Hex;
  else if (aggregation != "none") return fail("unknown aggregation '" + aggregation + "'");
  if (!validateStyleSpec(s, err)) return std::nullopt;
  return s;
}

}  // namespace bcmap
