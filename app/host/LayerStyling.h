// LayerStyling: the user's style on a layer (issue 4) — a spec from the style editor
// resolved over the layer's features, or a point layer aggregated into hexagons — and the
// way back to the plugin's own style, which is kept beside it; and the look of a layer
// opened from a file, once its features are known.
#pragma once

#include <optional>
#include <string>

#include "host/Layer.h"

namespace bcmap {

// Hexagons are graduated by their count with the user's method, classes and ramp (a
// sequential one: a qualitative ramp would suggest categories).
StyleSpec hexCountSpec(const StyleSpec& spec);

// Shows `spec` on a loaded layer (nullopt: the plugin's style). Resolves everything before
// touching the layer, so a failure leaves it as it was. The prepared forms are restyled (or,
// when hexagons come or go, dropped to be prepared afresh) and Layer::generation moves on.
bool applyStyle(Layer& l, const std::optional<StyleSpec>& spec, std::string* err);

// The user's choice (LayerStore::setUserStyle): checked, shown now on a loaded layer, and
// kept for every later load. False, with the reason and the layer unchanged, for an invalid
// spec or hexagons for a layer that is not of points.
bool setLayerUserStyle(Layer& l, std::optional<StyleSpec> spec, std::string* err);

// A layer opened from a file, just loaded: its plugin style gets the look of its geometry
// kind (style/FileLayerStyle.h): visible symbols, a label from a name field, a legend
// swatch of its own kind. Other layers are left alone. Called by applyLoad before the
// user's style, which is laid over it.
void applyFileLayerLook(Layer& l);

}  // namespace bcmap
