// LayerIdentify: what is at a place — polygons containing it, points and lines within a
// radius — over the store's layers, topmost first (LayerStore::identify, the hover, a
// click, `bcmap identify`); and a feature's tooltip text from its plugin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "host/Layer.h"

namespace bcmap {

struct IdentifyHit {
  std::string layerId;
  size_t feature = 0;
  std::string featureId;
  double distanceM = 0;  // 0 for polygons containing the place
  std::vector<std::pair<std::string, std::string>> attributes;
};

// How much identify() returns. The hover and a click want only the top hit, and building
// every hit's attribute text is most of a pick's cost where thousands of points lie within
// the radius (bench/RESULTS.md, "Picking").
struct IdentifyOptions {
  size_t maxHits = SIZE_MAX;  // the first maxHits hits in identify's order
};

// Features at a lon/lat (WGS 84) among `layers` (the store's list, drawn bottom to top):
// polygons containing it, points and lines within radiusM. layerIds empty: all loaded
// layers. day: only features the time filter shows. Order: by layer (topmost first), then
// by distance, then by feature index. Prepares the layers for lon/lat and builds their
// lon/lat index as needed. UI thread.
std::vector<IdentifyHit> identifyLayers(std::vector<std::unique_ptr<Layer>>& layers, Vec2 lonLatDeg,
                                        double radiusM, const std::vector<std::string>& layerIds,
                                        const TimeFilter& day = {}, const IdentifyOptions& options = {});

// The feature nearest a place that nothing is at (for "nothing here, but ... is 1.2 km
// north-east"): the nearest of every kind, a polygon by its outline; bearingDeg clockwise
// from north, from the place to the feature's nearest point.
struct NearestFeature {
  std::string layerId, layerName;
  size_t feature = 0;
  std::string featureId;
  std::string name;  // the layer's label field (else a "name" column); "" when it has none
  double distanceM = 0;
  double bearingDeg = 0;
};

// The nearest feature within maxM of lonLatDeg among `layers` (the same choice of layers
// and time filter as identifyLayers); nullopt when none is. Distances in identify's local
// frame (within 1e-6 of the geodesic at a few km).
std::optional<NearestFeature> nearestLayerFeature(std::vector<std::unique_ptr<Layer>>& layers, Vec2 lonLatDeg,
                                                  double maxM, const std::vector<std::string>& layerIds,
                                                  const TimeFilter& day = {});

// "N", "NE", ... "NW": the eight-point compass direction of a bearing.
const char* compassPoint(double bearingDeg);

// Tooltip text from the plugin (falls back to "field: value" lines; a hexagon of an
// aggregated layer: its count). `warned` holds the keys of the layers whose
// describe_feature failure has been logged, so each is logged once.
std::string describeLayerFeature(Layer& l, size_t feature, std::set<uint64_t>& warned);

}  // namespace bcmap
