#include "style/FileLayerStyle.h"

#include <algorithm>
#include <cctype>

#include "style/ColorRamps.h"

namespace bcmap {

const char* fileLayerColourHex(size_t index) { return kFileLayerPalette[index % kFileLayerPalette.size()]; }

Rgba fileLayerColour(size_t index) {
  const char* hex = fileLayerColourHex(index);
  auto byte = [&](int at) { return static_cast<uint8_t>(std::stoi(std::string(hex + at, 2), nullptr, 16)); };
  return Rgba{byte(1), byte(3), byte(5), 255};
}

size_t pickFileLayerColour(const std::vector<Rgba>& taken, size_t next) {
  const size_t n = kFileLayerPalette.size();
  size_t best = next % n;
  double bestApart = -1;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (next + k) % n;
    double apart = 1e9;
    for (Rgba c : taken) apart = std::min(apart, okLabDistance(fileLayerColour(i), c));
    if (apart >= kFileColourApart) return i;
    if (apart > bestApart) bestApart = apart, best = i;
  }
  return best;
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string nameField(const FeatureTable& table) {
  static constexpr const char* kNames[] = {"name", "名称", "name_zh", "名字", "name_en", "label", "title"};
  for (const char* want : kNames)
    for (const AttributeColumn& c : table.columns)
      if (c.type == FieldType::String && lower(c.name) == want) return c.name;
  for (const AttributeColumn& c : table.columns) {
    const std::string n = lower(c.name);
    if (c.type == FieldType::String && n.size() > 4 && n.compare(n.size() - 4, 4, "name") == 0) return c.name;
  }
  return {};
}

void applyFileLayerLook(GeometryKind kind, const FeatureTable& table, ResolvedStyle& shown) {
  LayerStyle& st = shown.style;
  if (st.labelField.empty()) {
    st.labelField = nameField(table);
    st.labelPriority = kFileLabelPriority;
    if (kind == GeometryKind::Point && table.featureCount() > kFileLabelAllScalesMax && st.labelMaxScale <= 0)
      st.labelMaxScale = kFileLabelMaxScale;
  }
  if (kind == GeometryKind::Point || kind == GeometryKind::Line) {
    // Opaque: a translucent dot or line takes the colour of the county beneath.
    st.fill.a = 255;
    for (Rgba& c : shown.fill) c.a = 255;
  }
  if (kind == GeometryKind::Point) st.pointSymbol = BCMAP_SYMBOL_CIRCLE;
  if (kind == GeometryKind::Line) st.strokeWidthPx = std::max(st.strokeWidthPx, kFileLineWidthPx);
  for (LegendEntry& e : shown.legend) {
    if (e.kind != GeometryKind::None || e.sizePx > 0) continue;
    e.kind = kind;
    if (kind == GeometryKind::Point) {
      // The map rings a point in its fill at 0.55 (shaders/point.frag): the swatch too.
      e.stroke = Rgba{uint8_t(e.fill.r * 0.55), uint8_t(e.fill.g * 0.55), uint8_t(e.fill.b * 0.55), 255};
    } else if (kind == GeometryKind::Line) {
      e.stroke = e.fill;  // a line's swatch is drawn in its stroke colour; the map draws the fill
    }
  }
}

}  // namespace bcmap
