// Measure: ground distances and areas on the WGS 84 ellipsoid (PROJ's geodesic routines,
// Karney 2013) for the measure tool, and the tool's state — the points clicked so far,
// finished or not.
//
// Sections: geodesic length and area · the measurement being made · text
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// ---- geodesic length and area (lon/lat degrees in; NaN for non-finite input) ----------
// Length of the polyline through the points (geodesic segments), km.
double geodesicLengthKm(std::span<const Vec2> lonLatDeg);
// Area enclosed by the ring (closed implicitly; either winding), km². Fewer than three
// points: 0. A self-crossing ring counts its loops with their signs (figure-8 loops cancel).
double geodesicAreaKm2(std::span<const Vec2> ringLonLatDeg);
// Perimeter of the ring, closing edge included, km.
double geodesicPerimeterKm(std::span<const Vec2> ringLonLatDeg);
// Area of one polygon feature of a lon/lat geometry column: per part, the outer ring less
// its holes, km².
double featureAreaKm2(const GeometryColumn& lonLat, size_t feature);
// Points along the geodesic from a to b, both ends included, `pieces` segments — so a long
// measured line can be drawn as the curve it is on a projected map.
std::vector<Vec2> geodesicPath(Vec2 aLonLat, Vec2 bLonLat, int pieces);

// ---- the measurement being made --------------------------------------------------------
enum class MeasureMode : uint8_t { None = 0, Distance = 1, Area = 2 };

class Measurement {
 public:
  MeasureMode mode() const { return mode_; }
  // Switches the mode (None: off); the points are dropped.
  void setMode(MeasureMode mode);
  // A click on the map. After finish(), the first click starts a new measurement. A point
  // repeating the last one is ignored (the second press of a double-click lands there).
  void addPoint(Vec2 lonLat);
  // Double-click or Enter: the measurement stays on the map, finished. False when there
  // was too little to finish (Distance: 2 points, Area: 3); the points then stay.
  bool finish();
  // Esc: drops the points; false when there were none (the caller may then switch off).
  bool cancel();

  bool finished() const { return finished_; }
  const std::vector<Vec2>& points() const { return points_; }
  // The running results; while not finished, `hover` (the cursor) counts as the next point.
  double lengthKm(std::optional<Vec2> hover = std::nullopt) const;     // Distance: the polyline
  double areaKm2(std::optional<Vec2> hover = std::nullopt) const;      // Area: the ring
  double perimeterKm(std::optional<Vec2> hover = std::nullopt) const;  // Area: the ring's edge

 private:
  std::vector<Vec2> withHover(std::optional<Vec2> hover) const;
  MeasureMode mode_ = MeasureMode::None;
  std::vector<Vec2> points_;
  bool finished_ = false;
};

// ---- text -------------------------------------------------------------------------------
// "850 m", "12.35 km", "245.8 km" (3 significant figures at least, never more than 2 decimals).
std::string formatDistanceKm(double km);
// "5,200 m²" below 0.01 km², else "0.52 km²", "12.35 km²", "8,476.2 km²".
std::string formatAreaKm2(double km2);

}  // namespace bcmap
