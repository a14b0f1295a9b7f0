// HitTest: the plane tests picking is made of — is a place inside a polygon, how far is it
// from a segment. Coordinates are whatever frame the caller works in (identify: metres of a
// local frame around the query; the inset map: its projected outline).
#pragma once

#include <cstddef>

#include "model/FeatureTable.h"

namespace bcmap {

// Distance from p to the segment ab (a degenerate segment, a == b: the distance to a).
double segmentDistance(Vec2 p, Vec2 a, Vec2 b);

// Even-odd point in polygon over all rings of one part of `g` (holes by parity). Rings of
// fewer than three vertices enclose nothing.
bool partContains(const GeometryColumn& g, size_t part, Vec2 q);

// Whether any part of feature `feature` of `g` contains q.
bool featureContains(const GeometryColumn& g, size_t feature, Vec2 q);

}  // namespace bcmap
