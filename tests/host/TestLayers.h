// Layers made in a test, without a plugin: for the units beside the store (LayerPrepare,
// LayerStyling, LayerIdentify) and the store's own list. Geometry in lon/lat.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/Layer.h"
#include "io/Projection.h"

namespace bcmap::fixtures {

// A loaded layer of `kind` with no features yet.
inline std::unique_ptr<Layer> makeLayer(const std::string& id, GeometryKind kind) {
  auto l = std::make_unique<Layer>();
  l->id = id;
  l->kind = kind;
  l->sourceCrs = kLonLatCrs;
  l->status = LayerStatus::Loaded;
  l->table.geometry.kind = kind;
  return l;
}

// One feature of one part of one ring (a point: a ring of one vertex), with a fill.
inline void addRing(Layer& l, const std::vector<Vec2>& ring, Rgba fill = {200, 30, 30, 255}) {
  GeometryColumn& g = l.table.geometry;
  g.xy.insert(g.xy.end(), ring.begin(), ring.end());
  g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
  g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
  l.fill.push_back(fill);
  l.pointSizePx.push_back(l.style.pointSizePx);
}

// A closed axis-aligned box in lon/lat.
inline std::vector<Vec2> box(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

inline void addIntColumn(Layer& l, const std::string& name, const std::vector<int64_t>& values) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::Integer;
  c.ints = values;
  c.isNull.assign(values.size(), 0);
  l.table.columns.push_back(std::move(c));
}

inline void addRealColumn(Layer& l, const std::string& name, const std::vector<double>& values) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::Real;
  c.reals = values;
  c.isNull.assign(values.size(), 0);
  l.table.columns.push_back(std::move(c));
}

inline void addStringColumn(Layer& l, const std::string& name, const std::vector<std::string>& values) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::String;
  c.strings = values;
  c.isNull.assign(values.size(), 0);
  l.table.columns.push_back(std::move(c));
}

}  // namespace bcmap::fixtures
