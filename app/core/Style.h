// Style: a layer's declared style, copied out of the plugin into host-owned memory, and
// its evaluation over whole columns (once at load, never per frame).
#pragma once

#include <string>
#include <vector>

#include "bcmap_plugin.h"
#include "core/FeatureTable.h"
#include "core/PreparedLayer.h"

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
  // ABI 1.1: a 1.0 plugin leaves these zero (circles, no line markers).
  uint8_t pointSymbol = BCMAP_SYMBOL_CIRCLE;
  uint32_t lineMarkers = 0;
  float lineEndMarkerPx = 0;
};

Rgba toRgba(bcmap_rgba c);

// Copies a plugin's declaration; checks it. On an invalid style (unknown kind, NaN sizes,
// classes with lower > upper) returns false with the reason.
bool copyStyle(const bcmap_style_v1& in, LayerStyle& out, std::string* err);

// One fill colour per feature. An unknown field is an error naming the field.
bool evaluateFill(const LayerStyle& style, const FeatureTable& table, std::vector<Rgba>& fill,
                  std::string* err);

}  // namespace bcmap
