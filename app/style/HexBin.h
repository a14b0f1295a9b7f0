// HexBin: hexagon aggregation of a point layer (issue 4) — the points counted in
// flat-topped regular hexagons of a side given in metres, one polygon feature per hexagon
// that holds any.
//
// The hexagons are regular in a Lambert azimuthal equal-area frame centred on the points
// (PROJ "+proj=laea"), not in the display CRS: every hexagon covers the same ground area
// (so counts compare as densities), the counts do not change when the user switches the
// display CRS, and identify (which works in lon/lat) finds the hexagon the map shows. Over
// Baicheng (about 250 km across) the frame's scale error stays under 0.1 %, so the
// hexagons also look regular in any of the projected display CRSs.
#pragma once

#include <optional>
#include <string>

#include "model/FeatureTable.h"

namespace bcmap {

// A hexagon in axial coordinates (q: columns, r: rows slanting up-right), flat-topped:
// centre x = side·3/2·q, y = side·√3·(r + q/2).
struct HexCell {
  int32_t q = 0, r = 0;
  bool operator==(const HexCell&) const = default;
};

// The hexagon of side `side` (centre to corner) that contains (x, y); points on an edge go
// to one of the two hexagons.
HexCell hexCellAt(Vec2 p, double side);
Vec2 hexCentre(HexCell c, double side);

struct HexBins {
  std::string crs;  // the equal-area frame of `table` (a PROJ string)
  double sideM = 0;
  // One feature per non-empty hexagon, polygons in `crs`: column "count" (Integer) and the
  // id "q,r". Rows in order of (q, r).
  FeatureTable table;
};

// Counts every point of `points` (in `pointsCrs`; a multi-point feature counts each of its
// points). Points PROJ cannot place are left out (logged). Time is ignored: the hexagons
// count every point of the layer. nullopt with the reason when the frame cannot be made
// or there are no points.
std::optional<HexBins> hexBin(const FeatureTable& points, const std::string& pointsCrs, double sideM,
                              std::string* err);

}  // namespace bcmap
