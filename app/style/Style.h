// Style: a layer's declared style, copied out of the plugin into host-owned memory, and
// its evaluation over whole columns (once at load, never per frame). Also the user's own
// style (issue 4): a StyleSpec — what the style editor chose — resolved over a layer's
// features into a LayerStyle, per-feature fills and sizes, and legend entries.
//
// Sections: the declared style · evaluation (fills, sizes by field, the fields a message
// lists) · the user's style · its JSON form
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "style/Classify.h"
#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"

namespace bcmap {

enum class StyleKind { Single = 0, Categorized = 1, Graduated = 2 };

struct StyleCategory {
  std::string value;
  Rgba fill;
  std::string label;
};

struct StyleClass {
  double lower = 0, upper = 0;
  Rgba fill;
  std::string label;
};

struct LayerStyle {
  StyleKind kind = StyleKind::Single;
  std::string field;
  Rgba fill{58, 111, 176, 255};
  Rgba stroke{40, 40, 40, 255};
  float strokeWidthPx = 1.0f;
  float pointSizePx = 6.0f;
  float opacity = 1.0f;
  std::vector<StyleCategory> categories;
  std::vector<StyleClass> classes;
  std::string labelField;
  std::string labelSecondaryField;
  // The legend's heading line under the layer's name: what its classes or categories are of
  // (a user style's field, "people"); "" for none (a plugin's legend says it in its entries).
  std::string legendHeading;
  // ABI 1.1: a 1.0 plugin leaves these zero (circles, no line markers).
  uint8_t pointSymbol = BCMAP_SYMBOL_CIRCLE;
  uint32_t lineMarkers = 0;
  float lineEndMarkerPx = 0;
  // ABI 1.2 (issue 4): label placement across layers. Higher priority labels are placed
  // first; labels show only while the map's scale denominator is at most labelMaxScale
  // (0: at every scale), so township and village names appear as the user zooms in.
  int labelPriority = 0;
  double labelMaxScale = 0;
  // ABI 1.3: proportional symbols. With sizeField set, a point's disc (a line's START
  // marker) has an area proportional to the feature's value (proportionalSizePx); a 1.2
  // plugin's struct ends before these, so its layers keep one size.
  std::string sizeField;
  double sizeReferenceValue = 0;
  float sizeReferencePx = 0;
  float sizeMinPx = 0;
};

// The diameter the map draws a point of `value` at, area proportional to the value: a value
// of referenceValue is referencePx across (d = referencePx * sqrt(value / referenceValue));
// null (NaN), zero and negative values, and anything smaller, get minPx (0: kDefaultSizeMinPx);
// nothing is drawn larger than kMaxPointSizePx. The SDK's sdk::proportionalSizePx is the same
// formula (a test holds them together), so a plugin's size legend matches its map.
inline constexpr float kDefaultSizeMinPx = 2.0f;
inline constexpr float kMaxPointSizePx = 200.0f;  // copyStyle's bound on any point size
float proportionalSizePx(double value, double referenceValue, float referencePx, float minPx);

Rgba toRgba(bcmap_rgba c);

// Copies a plugin's declaration; checks it. On an invalid style (unknown kind, NaN sizes,
// classes with lower > upper) returns false with the reason.
bool copyStyle(const bcmap_style_v1& in, LayerStyle& out, std::string* err);

// One fill colour per feature. An unknown field is an error naming the field. Features no
// category or class takes keep style.fill; *unmatched (if given) gets their number.
bool evaluateFill(const LayerStyle& style, const FeatureTable& table, std::vector<Rgba>& fill,
                  std::string* err, size_t* unmatched = nullptr);

// One diameter per feature: style.pointSizePx, or with a size field proportionalSizePx of
// each feature's value. A size field that is not an integer or real field of the table is an
// error listing the ones that are.
bool evaluatePointSize(const LayerStyle& style, const FeatureTable& table, std::vector<float>& size,
                       std::string* err);

// Checks that every field the style names — the categorized/graduated field, the label
// fields, the size field — is a field of the table; the error names the first that is not
// and ends with "; fields: a, b, c".
bool checkStyleFields(const LayerStyle& style, const FeatureTable& table, std::string* err);

// "; fields: a, b, c" — the table's fields, or only those a use takes ("; numeric fields:
// a, b"), for the end of a message about a field it lacks; "(none)" when there are none.
enum class FieldsListed : uint8_t { All, Numbers, NumbersAndDates };
std::string fieldListSuffix(const FeatureTable& table, FieldsListed which = FieldsListed::All);

// ---- the user's style ----------------------------------------------------------------------
struct LegendEntry {
  std::string label;
  Rgba fill, stroke;
  GeometryKind kind = GeometryKind::None;
  // > 0: a size legend's entry, drawn as a disc this many px across (96 dpi) instead of the
  // usual swatch (ABI 1.3 bcmap_legend_entry_v1.size_px).
  double sizePx = 0;
};

// A plugin's legend entry, host-owned; size_px only where struct_size covers it (a 1.2
// plugin's entries are the usual swatches). NaN, negative or sizes past kMaxPointSizePx
// read as 0.
LegendEntry legendEntryFrom(const bcmap_legend_entry_v1& in);

enum class Aggregation : uint8_t { None = 0, Hex = 1 };

inline constexpr int kMinClasses = 2, kMaxClasses = 9;  // the editor's slider
// Categorized: at most this many categories (a qualitative ramp: at most its colours);
// the rarest values beyond share the "other" colour.
inline constexpr size_t kMaxCategories = 12;
inline constexpr Rgba kOtherFill{190, 190, 190, 255};  // values no category or class takes

// What the user chose for a layer in the style editor; resolved over the layer's features
// by resolveStyleSpec(). Saved in the session file (styleSpecToJson).
struct StyleSpec {
  StyleKind kind = StyleKind::Single;
  std::string field;  // categorized, graduated (numeric fields only)
  ClassifyMethod method = ClassifyMethod::NaturalBreaks;
  int classes = 5;                   // graduated: kMinClasses..kMaxClasses
  std::vector<double> customBreaks;  // method Custom: the cut points (Classify.h)
  std::string ramp = "YlGnBu";       // ColorRamps.h
  bool reversed = false;
  Rgba single{58, 111, 176, 255};  // kind Single
  // Points: size by a numeric field, area proportional to the value between min and max
  // ("" : every point the style's size).
  std::string sizeField;
  float sizeMinPx = 4, sizeMaxPx = 18;
  // Points: drawn as hexagons counting the points in each (LayerStore, HexBin.h), coloured
  // graduated by count with `method`, `classes` and `ramp` (a sequential one).
  Aggregation aggregation = Aggregation::None;
  double hexSizeM = 2000;  // a hexagon's side (= its centre-to-corner distance), metres
  bool operator==(const StyleSpec&) const = default;
};

// Whether the spec is complete and in range (a field where one is needed, a known ramp,
// classes 2..9, sizes 0.5..100 px with min <= max, hexagons 10 m..100 km); the reason if not.
bool validateStyleSpec(const StyleSpec& spec, std::string* err);

// A style as a layer shows it: the style, its evaluation per feature, and the legend.
struct ResolvedStyle {
  LayerStyle style;
  std::vector<Rgba> fill;
  std::vector<float> pointSizePx;
  std::vector<LegendEntry> legend;
};

// Resolves `spec` over `table` (features of kind `kind`): categories from the field's
// distinct values, classes from Classify, colours from the ramp; stroke, symbols and labels
// stay as in `base` (the plugin's style). Legend: one entry per category or class ("100 –
// 200"), plus "其他 other" when some feature fell in none. Aggregation is not done here
// (LayerStore). False with the reason for an invalid spec or a field the table lacks.
bool resolveStyleSpec(const StyleSpec& spec, const LayerStyle& base, const FeatureTable& table, GeometryKind kind,
                      ResolvedStyle& out, std::string* err);

// The legend label of class [lower, upper) (the last class: [lower, upper]) for values of
// `type`: integers and dates name the values the class holds ("1 – 4", "2016-04-12 –
// 2017-01-01"); reals show the bounds with `decimals` decimals.
std::string classLabel(double lower, double upper, bool last, FieldType type, int decimals);

// ---- what a user's style is of (issue 10) ---------------------------------------------------
// The field's name as a legend heading reads it: the plugin ABI has no field labels, so the
// fields every layer here shares are named in both languages ("name_zh" → "名称 Name",
// "adcode" → "行政区划代码 Division code") and any other loses its underscores and gets a
// capital ("poverty_exit_date" → "Poverty exit date").
std::string readableFieldName(std::string_view field);

// Whether a field names or identifies rather than measures: text, or a whole number that is
// a code or an id ("adcode", "id", "village_id", "code"). Its categories have no order, so
// they take a qualitative ramp.
bool isNominalField(const AttributeColumn& column);

// The ramp a style starts on before the user picks one: categories of a nominal field get
// a qualitative, colour-blind-safe one ("Okabe-Ito"); amounts (graduated, or categories of
// a measured number) a sequential one ("YlGnBu").
std::string defaultRampFor(StyleKind kind, const AttributeColumn* column);

// ---- its JSON form ----------------------------------------------------------------------------
// A JSON object with every field ("kind": "graduated", "ramp": "YlGnBu", …). Reading
// accepts missing keys (their defaults) and rejects wrong types, unknown words and
// specs validateStyleSpec() refuses, with the reason.
std::string styleSpecToJson(const StyleSpec& spec);
std::optional<StyleSpec> styleSpecFromJson(std::string_view json, std::string* err);

}  // namespace bcmap
