// LayerPrepare: a layer made ready for one display CRS (a PreparedLayer: projected,
// polygons triangulated, colours and sizes per feature, label anchors), cached in the layer
// per CRS; and the layer's extent in a CRS, which needs only the projected coordinates.
// The geometric half (projection, triangles, identify's lon/lat index) can be made on a
// loader thread from a finished load (prepareGeometry) and installed by the UI thread
// (installPreparedGeometry), so a layer of millions of points costs the UI no projection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/Layer.h"

namespace bcmap {

// Unique per prepared form, so the renderer re-uploads after a reload, a CRS change or a
// new style. Thread-safe.
uint64_t nextPreparedGeneration();

// The layer made ready for `displayCrs`, from the layer's cache or made now and cached.
// What is drawn: the hexagons of an aggregated point layer, else the features. nullptr,
// with err set, for a layer not loaded or a CRS that cannot be reached. UI thread.
std::shared_ptr<const PreparedLayer> prepareLayer(Layer& l, const std::string& displayCrs, std::string* err);

// What a loader thread makes from a finished load, before the UI thread has the layer: the
// geometry projected (and triangulated) for `displayCrs`, the lon/lat geometry identify
// reads, and identify's index over it. Geometry only: colours, sizes and labels follow the
// style, which the UI thread sets (applyLoad). Empty parts are simply not installed.
struct PreparedGeometry {
  std::string displayCrs;
  std::shared_ptr<PreparedLayer> display;  // geometry, bounds, triangles
  std::shared_ptr<PreparedLayer> lonLat;   // likewise in lon/lat (== display for a lon/lat view)
  std::unique_ptr<SpatialIndex> lonLatIndex;
};

// The features' geometry made ready for `displayCrs` and for identify. Any thread: it reads
// only its arguments. A CRS that cannot be reached leaves that part empty.
PreparedGeometry prepareGeometry(const FeatureTable& table, GeometryKind kind, const std::string& sourceCrs,
                                 const std::string& displayCrs);

// Installs what prepareGeometry made for the layer's current features: the prepared forms
// get the layer's style and labels (as prepareLayer gives them), the index is identify's.
// Nothing is installed for an aggregated layer (it shows hexagons, not these features).
// UI thread, right after applyLoad.
void installPreparedGeometry(Layer& l, PreparedGeometry&& g);

// The index identify and the nearest-feature hint query: feature boxes of `g`.
std::unique_ptr<SpatialIndex> buildFeatureIndex(const GeometryColumn& g);

// The prepared forms take the layer's new colours and sizes; their geometry is kept (no
// reprojection or triangulation for a change of colours).
void restylePrepared(Layer& l);

// Sets p's fill and point sizes from per-feature ones: a single shared entry when every
// feature has the same (PreparedLayer::fillAt, pointSizeAt), else a copy.
void setPreparedStyle(PreparedLayer& p, const std::vector<Rgba>& fill, const std::vector<float>& pointSizePx);

// The bounds of what the layer shows, in `displayCrs`: a prepared form's when one is cached,
// else the projected coordinates' (the same numbers prepareLayer would give), without
// triangulating or caching anything. Empty, with err set, for a layer not loaded or a CRS
// that cannot be reached.
Bounds layerExtent(const Layer& l, const std::string& displayCrs, std::string* err = nullptr);

}  // namespace bcmap
