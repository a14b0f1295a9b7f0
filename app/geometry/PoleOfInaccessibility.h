// PoleOfInaccessibility: the point inside a polygon farthest from its boundary — where a
// polygon's label reads as belonging to it, even for a concave or ring-shaped polygon whose
// box centre or centroid lies outside it.
//
// The search covers the polygon's box with square cells and refines them best first: a
// cell whose centre is at signed distance d from the boundary can hold no point farther
// than d + half its diagonal, so cells that cannot beat the best point by more than the
// tolerance are dropped and the others split in four (the "polylabel" idea, Mapbox 2016).
#pragma once

#include <cstddef>
#include <limits>

#include "model/FeatureTable.h"

namespace bcmap {

struct Pole {
  Vec2 point{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  double distance = 0;  // from `point` to the nearest edge; 0 for a degenerate polygon
};

// The pole of feature `feature` of a polygon column: over all its parts (the largest
// circle fits in whichever part is widest) with holes excluded (even-odd over all rings).
// Its distance is within `tolerance` (same units as the coordinates) of the true maximum.
// A feature with no area gets a vertex of its own (distance 0); one with no finite vertex
// gets NaN. Cost: about (cells examined) x (vertices); tolerance / size = 1e-3 examines
// a few hundred cells on a county outline.
Pole poleOfInaccessibility(const GeometryColumn& g, size_t feature, double tolerance);

}  // namespace bcmap
