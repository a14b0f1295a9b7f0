// FrameRecord: what MapFrame put on top of the layers in its last frame — every text with
// its style, the decoration shapes (scale bar, legend panel and swatches, north arrow) and
// what the legend listed — in pixels (origin top-left, y down). One layout serves two back
// ends: OpenGL draws it, Export writes the same record into SVG; tests read it.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "render/TextRenderer.h"

namespace bcmap {

enum class ShapeKind : uint8_t { None = 0, Polygon = 1, Line = 2, Symbol = 3 };

struct OverlayShape {
  ShapeKind kind = ShapeKind::None;
  // What it is part of: "scale-bar", "legend-panel", "legend-swatch", "north-arrow".
  std::string role;
  // Polygon: a convex ring (closed implicitly); Line: a polyline; Symbol: its centre.
  std::vector<Vec2> pointsPx;
  Rgba color;            // fill (Polygon, Symbol) or line colour (Line)
  float widthPx = 0;     // Line: its width; Symbol: its size (the same-area circle's diameter)
  uint8_t symbol = 0;    // Symbol: a bcmap_symbol (0 circle .. 4 star)
};

struct LegendRecordEntry {
  std::string label;
  GeometryKind kind = GeometryKind::None;
  Rgba fill, stroke;
  // Features of the layer shown under the frame's time filter whose fill is this entry's;
  // nullopt for an entry that counts nothing of its own (MapDecorations.h says which).
  std::optional<size_t> count;
  double sizePx = 0;  // > 0: a size legend's disc, this many px across at pixel ratio 1
};

struct LegendRecordLayer {
  std::string layerId;
  std::string name;    // Layer::displayName()
  std::string source;  // the first " · " part of the attribution
  std::string heading;  // LayerStyle::legendHeading: under the name, what the entries are of
  bool sample = false;
  std::vector<LegendRecordEntry> entries;
};

struct FrameRecord {
  int widthPx = 0, heightPx = 0;
  Rgba background;
  // Map labels, drawn before the decorations (the legend panel covers them).
  std::vector<TextRecord> labelTexts;
  // The decorations: shapes first, then their text over them.
  std::vector<OverlayShape> shapes;
  std::vector<TextRecord> texts;
  // The legend: every visible layer, top of the draw order first (empty: no legend).
  std::vector<LegendRecordLayer> legend;
  Bounds legendPanelPx;         // empty: no legend drawn
  bool legendTruncated = false;  // the panel did not fit and ends with "…"
  bool titleTruncated = false;   // two lines at the smallest title size did not hold it
  // The title shows the frame's day (MapDecorations.h: titleShowsDate), so the date
  // counter was left out.
  bool dateInTitle = false;
  double northAngleDeg = NAN;    // the arrow's turn from straight up, clockwise; NaN: none
  // The top of the attribution lines along the bottom edge (the map's height when none):
  // a window keeps its own panels above it, so the sample notice is never covered.
  double attributionTopPx = 0;
  // The attribution's parts, each whole, as drawn or (compact) as the window's hover shows
  // them; where its lines lie (empty: none drawn).
  std::vector<std::string> attributionParts;
  Bounds attributionBoxPx;
  bool attributionCompact = false;  // FrameOptions::attributionMaxLines cut it to one line
  // What the decorations cover above the bottom band (the legend panel, the title, the date
  // counter, the north arrow with its "N"): MapFrame lays the decorations out before it
  // places the labels, which keep clear of these boxes, so no label is drawn half under the
  // legend or the title.
  std::vector<Bounds> keepClearPx;
};

}  // namespace bcmap
