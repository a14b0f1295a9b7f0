// FileLayerStyle: the look of a layer opened from a file (bcmap FILE, File ▸ Open, a dropped
// file). The vector_file plugin declares one colour and a size before it knows what the file
// holds; once the features are read the host knows their kind and fields, and gives each
// kind a look that reads over the county fills (issue 10: a 5 px translucent teal dot on a
// teal county, unlabelled, with a square in the legend):
//   points   opaque circles (the renderer rings them in a darker shade of the fill), the
//            plugin's size (8 px by default), labelled from a name field;
//   lines    opaque, at least 2 px wide, labelled from a name field;
//   polygons the plugin's translucent fill and darker outline, labelled from a name field;
// and a legend entry of the layer's own kind, so its swatch is the map's symbol.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "style/Style.h"

namespace bcmap {

// The colours opened files take in turn (LayerStore::addFileLayer). Dark, saturated
// ColorBrewer colours: each is at least 0.2 apart in OKLab from the map's paper and from every
// county fill (ColorBrewer Set2), where Dark2, the palette before, put #1b9e77 0.13 from
// 洮北区's #66c2a5. Checked by host.FileLayerLookTest.
inline constexpr std::array<const char*, 8> kFileLayerPalette = {
    "#b2182b", "#08519c", "#8c510a", "#01665e", "#c51b7d", "#6a3d9a", "#005a32", "#4d4d4d"};
// The index-th colour (repeating past the end).
Rgba fileLayerColour(size_t index);
const char* fileLayerColourHex(size_t index);
// The palette index an opened file takes: from `next` on (the files' turn), the first colour
// at least kFileColourApart (OKLab) from every colour in `taken` (the legend fills of the
// layers already on the map: 贫困村's red took the first file's red, issue 10), else the one
// farthest from them. 0.15: with every thematic layer on the map (some thirty fills) no
// colour of the palette is 0.2 from all of them; the first file's red was 0.0 from 贫困村's.
inline constexpr double kFileColourApart = 0.15;
size_t pickFileLayerColour(const std::vector<Rgba>& taken, size_t next);

// A point file with more features than this labels them only from 1:kFileLabelMaxScale on
// (905 villages labelled at county scale flooded the map); fewer are labelled at every scale.
inline constexpr size_t kFileLabelAllScalesMax = 100;
inline constexpr double kFileLabelMaxScale = 250000;

// The field a file's features are named by: the first of name, 名称, name_zh, 名字, NAME_ZH,
// name_en, label, title (case-insensitive), else a text field whose name ends in "name";
// "" when there is none.
std::string nameField(const FeatureTable& table);

// Lines of a file layer are at least this wide (logical px): thinner ones are lost on the
// county fills and their white borders.
inline constexpr float kFileLineWidthPx = 2.0f;
// Where a file layer's labels stand in the queue: below the counties' names (100) and the
// relocations' (30), above the villages' (10) and townships'.
inline constexpr int kFileLabelPriority = 20;

// Gives `shown` (the plugin's style as evaluated over `table`, features of `kind`) the look
// above. The colour the user picked in the layer's settings stays the colour.
void applyFileLayerLook(GeometryKind kind, const FeatureTable& table, ResolvedStyle& shown);

}  // namespace bcmap
