// MapDecorations: the furniture MapFrame puts over the layers — scale bar, attribution (the
// sample notice first), title, date counter, north arrow and legend — laid out in pixels
// into a FrameRecord and drawn with OpenGL: shapes through MapRenderer (in a "pixel world"
// view), text through TextRenderer. Export writes the same record into SVG, so the PNG and
// the SVG of a view carry the same decorations. Everything scales with
// FrameOptions::pixelRatio (export DPI / 96): text and symbols grow, the extent does not.
//
// Legend counts: for each entry, the layer's features shown under the frame's time filter
// (FeatureTable::shownOn) whose fill colour (Layer::fill, RGB) is the entry's. A feature
// counts once, under the first entry of its colour; entries of another geometry kind than
// the layer's (the marker entries of a line layer) count nothing when the layer has entries
// of its own kind, and neither does a later entry repeating an earlier one's colour: they
// show no number, nor does a size legend's entry (its discs say how large, not which
// features). A point entry of a line layer with END markers, in the stroke colour they are
// drawn in, stands for those markers and counts every shown feature (one marker each). Counts are cached per (layer, generation, filter), so panning costs nothing.
//
// A layer whose style says what its entries are of (LayerStyle::legendHeading: a user
// style's field) has that line under its name, in grey, with no swatch.
//
// Legend text wider than the panel (at most legendReservedWidthPx) wraps onto more lines,
// at spaces where it has them, between characters otherwise; its row grows to hold them.
// Nothing in the legend is cut with "…" but the panel itself when it is too tall.
//
// Size legends: a layer's entries with a size (LegendEntry::sizePx) are discs that size
// across (times the legend's scale, so at full size they are the map's discs), centred in a
// swatch column as wide as the layer's largest disc, their text beside; rows grow to hold them.
#pragma once

#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/Projection.h"
#include "model/View.h"
#include "render/FrameRecord.h"
#include "render/MapFrame.h"
#include "style/Style.h"

namespace bcmap {

struct Layer;
class MapRenderer;

// The layers a frame drew, in draw order (bottom first), with their prepared forms.
using DrawnLayers = std::vector<std::pair<Layer*, std::shared_ptr<const PreparedLayer>>>;
// A TextRenderer font id for (bold, pixels per em): MapFrame's atlases, made on first use.
using FontPicker = std::function<int(bool bold, float sizePx)>;

// The widest the legend panel gets on a map `mapWidthPx` wide at `pixelRatio`, with its
// margin from the right edge: what an export frames its data clear of.
double legendReservedWidthPx(double mapWidthPx, double pixelRatio);

// The height along the map's bottom that an attribution of at most `maxLines` lines takes
// (FrameOptions::attributionMaxLines): a window fits its data above it. Fixed by the limit,
// not measured, so showing or hiding a layer (whose sources change the lines) or a scale bar
// (which narrows them) never moves a fitted view.
double attributionBandPx(int maxLines, double pixelRatio);

// Attribution parts that open with the same short head ("示例数据 sample data: a; b" and
// "…: c; b") merged into one ("…: a; b; c"), each clause once, in first-seen order.
std::vector<std::string> mergeAttributionParts(const std::vector<std::string>& parts);

// The title as drawn: each "{date}" replaced by `day` (YYYY-MM-DD; nothing for kNoDay).
std::string expandTitle(const std::string& title, int32_t day);
// Whether `title` already shows `day` (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日,
// padded or not): then the date counter is not drawn, so the date prints once.
bool titleShowsDate(const std::string& title, int32_t day);

// The symbol a point entry of `l`'s legend is drawn with, as the map draws what it stands
// for: a point layer's symbol; on a line layer, the END marker's symbol for the entry in the
// stroke colour the END markers are drawn in, else the START marker's disc. The map's
// legend, exports and the docked legend (ui/panels/LegendPanel) draw alike.
uint8_t legendPointSymbol(const Layer& l, const LegendEntry& e);

// The legend counts of a layer (see above), computed once per (layer, generation, legend,
// filter) and kept: the map's legend, the exported legend and the viewer's docked legend
// (ui/panels/LegendPanel) count alike. nullopt: the entry shows no number.
class LegendCountCache {
 public:
  const std::vector<std::optional<size_t>>& counts(const Layer& l, const TimeFilter& filter);
  // Forgets every layer `keep` says no to (layers no longer drawn; a freed Layer's address
  // may come back as another layer's).
  template <class Keep>
  void retain(Keep keep) {
    for (auto it = counts_.begin(); it != counts_.end();) it = keep(it->first) ? std::next(it) : counts_.erase(it);
  }

 private:
  struct Counts {
    uint64_t key = 0, generation = 0;
    TimeFilter filter;
    std::vector<std::optional<size_t>> perEntry;
  };
  std::map<const Layer*, Counts> counts_;
};

class MapDecorations {
 public:
  // Lays out what `o` asks for. Text goes into `text` (between its begin() and end()),
  // shapes into record->shapes, the legend's content into record->legend and
  // record->legendPanelPx, the arrow's angle into record->northAngleDeg.
  // metresPerPixel: ground metres per pixel at the view centre (0 or NaN: no scale bar).
  void layout(const DrawnLayers& drawn, const std::string& displayCrs, const View& view,
              const FrameOptions& o, double metresPerPixel, TextRenderer& text, const FontPicker& font,
              FrameRecord* record);
  // Draws `shapes` into the bound framebuffer of view's size: polygons, then lines, then
  // symbols (nothing a decoration draws overlaps across those groups but the legend panel,
  // a polygon, which is first).
  void drawShapes(MapRenderer& renderer, const View& view, float pixelRatio,
                  const std::vector<OverlayShape>& shapes);

 private:
  double northAngleDeg(const std::string& displayCrs, const View& view);

  LegendCountCache counts_;
  std::unordered_map<std::string, double> widths_;  // text widths (MapDecorations.cpp: Measurer)
  std::string northCrs_;                    // display CRS of toLonLat_
  std::optional<Transformer> toLonLat_;
  uint64_t generation_ = 0;                 // of the overlay layers uploaded to MapRenderer
  std::set<std::string> uploaded_;          // their ids
};

}  // namespace bcmap
