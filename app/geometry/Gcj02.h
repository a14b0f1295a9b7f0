// Gcj02: the GCJ-02 ("Mars coordinates") offset that Chinese map providers such as AMap
// apply to WGS 84 longitude/latitude, and its inverse. The GDAL reader uses the inverse for
// user files marked GCJ-02; tools/fetch_counties.py does the same for the county
// boundaries, with the same algorithm and constants (keep the two in step).
#pragma once

#include <span>

#include "model/FeatureTable.h"

namespace bcmap {

// Whether the published formula applies at this point: a rectangle around China
// (72.004–137.8347 E, 0.8293–55.8271 N). Outside it both conversions are the identity.
bool isInsideChina(Vec2 lonLatDeg);

// The published forward offset (Krasovsky 1940 ellipsoid: a = 6378245 m,
// e² = 0.00669342162296594323). Degrees in, degrees out; x is longitude.
Vec2 wgs84ToGcj02(Vec2 lonLatDeg);

// The inverse, by fixed-point iteration on the forward offset until the forward transform
// of the result reproduces the input to < 1e-9 degrees (at most 10 steps; 2–4 in practice).
Vec2 gcj02ToWgs84(Vec2 lonLatDeg);
void gcj02ToWgs84InPlace(std::span<Vec2> lonLatDeg);

}  // namespace bcmap
