// LayerPrepare: a layer made ready for one display CRS (a PreparedLayer: projected,
// polygons triangulated, colours and sizes per feature, label anchors), cached in the layer
// per CRS; and the layer's extent in a CRS, which needs only the projected coordinates.
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
