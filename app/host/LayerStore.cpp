// Sections: 1. the loader the plugin sees  2. plugin calls (a load's two halves: runLoad on
// any thread, applyLoad on the UI thread)  2b. the user's style  3. loading  3b. loader
// threads  3c. off-thread jobs: load, open a new plugin, hot reload  4. preparing for a
// display CRS  5. identify  6. settings, extent, order
#include "host/LayerStore.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "style/ColorRamps.h"
#include "model/Log.h"
#include "io/NetworkGuard.h"
#include "geometry/PoleOfInaccessibility.h"
#include "io/Projection.h"
#include "geometry/Triangulate.h"
#include "io/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap {

const char* layerStatusName(LayerStatus s) {
  switch (s) {
    case LayerStatus::Pending: return "pending";
    case LayerStatus::Loaded: return "loaded";
    case LayerStatus::Failed: return "failed";
    case LayerStatus::Loading: return "loading";
  }
  return "?";
}

namespace {

constexpr size_t kErrSize = 1024;

std::string str(const char* s) { return s ? s : ""; }

GeometryKind toKind(uint32_t k) {
  return k <= BCMAP_GEOM_POLYGON ? static_cast<GeometryKind>(k) : GeometryKind::None;
}

// ---- 1. the loader the plugin sees ------------------------------------------------------
// What a load fills. Not the Layer itself: a load may run on a loader thread while the UI
// thread draws the layer's previous features.
struct LoadTarget {
  std::string id;  // the layer's, for messages
  FeatureTable table;
  GeometryKind kind = GeometryKind::None;
};

struct LoadContext {
  LoadTarget* layer = nullptr;
  const std::string* dataDir = nullptr;
  std::string error;  // first error, reported after load() returns
  bool fieldsDeclared = false;
  std::string dataCrs;
};

LoadContext* ctxOf(void* ctx) { return static_cast<LoadContext*>(ctx); }

bcmap_status declareFields(void* ctx, const bcmap_field_v1* fields, uint32_t count) {
  LoadContext& c = *ctxOf(ctx);
  if (c.fieldsDeclared) {
    c.error = "declare_fields called twice";
    return BCMAP_ERROR;
  }
  if (count && !fields) {
    c.error = "declare_fields: null field list";
    return BCMAP_ERROR;
  }
  std::vector<AttributeColumn> cols;
  for (uint32_t i = 0; i < count; ++i) {
    const bcmap_field_v1& f = fields[i];
    if (!f.name || f.type == BCMAP_FIELD_INVALID || f.type > BCMAP_FIELD_DATE) {
      c.error = "declare_fields: field " + std::to_string(i) + " has no name or an unknown type";
      return BCMAP_ERROR;
    }
    AttributeColumn col;
    col.name = f.name;
    col.type = static_cast<FieldType>(f.type);
    cols.push_back(std::move(col));
  }
  c.layer->table.columns = std::move(cols);
  c.fieldsDeclared = true;
  return BCMAP_OK;
}

bcmap_status emitBatch(void* ctx, const bcmap_batch_v1* b) {
  LoadContext& c = *ctxOf(ctx);
  FeatureTable& t = c.layer->table;
  GeometryColumn& g = t.geometry;
  if (!b || b->struct_size < offsetof(bcmap_batch_v1, values) + sizeof(b->values)) {
    c.error = "emit_batch: batch missing or too small";
    return BCMAP_ERROR;
  }
  if (b->feature_count && !b->xy) {
    c.error = "emit_batch: no coordinates";
    return BCMAP_ERROR;
  }
  if (b->feature_count && !t.columns.empty() && !b->values) {
    c.error = "emit_batch: no attribute values for declared fields";
    return BCMAP_ERROR;
  }
  const bool hasIds = b->struct_size >= offsetof(bcmap_batch_v1, ids) + sizeof(b->ids) && b->ids;
  const bool hasTime = b->struct_size >= offsetof(bcmap_batch_v1, end_day) + sizeof(b->end_day) && b->start_day;
  const size_t nFields = t.columns.size();
  size_t part = 0, ring = 0, vertex = 0;
  for (uint32_t f = 0; f < b->feature_count; ++f) {
    const uint32_t parts = b->parts_per_feature ? b->parts_per_feature[f] : 1;
    // Check the feature's coordinates before committing it: NaN or infinite values
    // drop the feature with a warning (they would poison bounds and the GPU buffers).
    size_t ringScan = ring, vertexScan = vertex;
    size_t partScan = part;
    bool finite = true;
    std::vector<uint32_t> ringsPer, verticesPer;
    for (uint32_t p = 0; p < parts; ++p, ++partScan) {
      const uint32_t rings = b->rings_per_part ? b->rings_per_part[partScan] : 1;
      ringsPer.push_back(rings);
      for (uint32_t r = 0; r < rings; ++r, ++ringScan) {
        const uint32_t n = b->vertices_per_ring ? b->vertices_per_ring[ringScan] : 1;
        verticesPer.push_back(n);
        for (uint32_t v = 0; v < n; ++v) {
          const double x = b->xy[2 * (vertexScan + v)], y = b->xy[2 * (vertexScan + v) + 1];
          if (!std::isfinite(x) || !std::isfinite(y)) finite = false;
        }
        vertexScan += n;
      }
    }
    const size_t firstVertex = vertex;
    part = partScan;
    ring = ringScan;
    vertex = vertexScan;
    if (!finite) {
      logWarning("layer " + c.layer->id + ": feature " + std::to_string(t.featureCount()) +
                 " has NaN or infinite coordinates; skipped");
      continue;
    }
    size_t v = firstVertex, ri = 0;
    for (uint32_t p = 0; p < parts; ++p) {
      for (uint32_t r = 0; r < ringsPer[p]; ++r, ++ri) {
        for (uint32_t k = 0; k < verticesPer[ri]; ++k, ++v) g.xy.push_back({b->xy[2 * v], b->xy[2 * v + 1]});
        g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
      }
      g.partRings.push_back(static_cast<uint32_t>(g.ringVertices.size() - 1));
    }
    g.featureParts.push_back(static_cast<uint32_t>(g.partRings.size() - 1));
    for (size_t k = 0; k < nFields; ++k) {
      const bcmap_value_v1& val = b->values[static_cast<size_t>(f) * nFields + k];
      AttributeColumn& col = t.columns[k];
      const bool isNull = val.is_null || (col.type == FieldType::String && !val.str_value);
      col.isNull.push_back(isNull);
      switch (col.type) {
        case FieldType::Integer:
        case FieldType::Date: col.ints.push_back(isNull ? 0 : val.int_value); break;
        case FieldType::Real: col.reals.push_back(isNull ? 0 : val.real_value); break;
        case FieldType::String: col.strings.push_back(isNull ? std::string() : std::string(val.str_value)); break;
        case FieldType::Invalid: break;
      }
    }
    if (hasIds) {
      t.ids.resize(t.featureCount() - 1);
      t.ids.push_back(str(b->ids[f]));
    }
    if (hasTime) {
      t.startDay.resize(t.featureCount() - 1, kNoDay);
      t.endDay.resize(t.featureCount() - 1, kNoDay);
      t.startDay.push_back(b->start_day[f]);
      t.endDay.push_back(b->end_day ? b->end_day[f] : kNoDay);
    }
  }
  return BCMAP_OK;
}

// Makes VectorReadOptions from a plugin's request (relative paths: the data folder).
VectorReadOptions toReadOptions(const bcmap_vector_request_v1& req, const std::string& dataDir) {
  VectorReadOptions o;
  fs::path p(req.path);
  o.path = p.is_absolute() || isRemotePath(req.path) ? p.string() : (fs::path(dataDir) / p).string();
  o.layerName = str(req.layer_name);
  o.attributeFilter = str(req.attribute_filter);
  for (uint32_t i = 0; i < req.field_map_count && req.field_map; ++i)
    o.fieldMap.emplace_back(str(req.field_map[i].layer_field), str(req.field_map[i].source_field));
  o.sourceCrs = str(req.source_crs);
  o.gcj02 = req.gcj02 != 0;
  o.startField = str(req.start_field);
  o.endField = str(req.end_field);
  o.idField = str(req.id_field);
  return o;
}

bcmap_status readVectorService(void* ctx, const bcmap_vector_request_v1* req, char* err, size_t errSize) {
  LoadContext& c = *ctxOf(ctx);
  auto fail = [&](const std::string& m) {
    if (err && errSize) std::snprintf(err, errSize, "%s", m.c_str());
    if (c.error.empty()) c.error = m;
    return BCMAP_ERROR;
  };
  if (!req || !req->path || !*req->path) return fail("read_vector: no path given");
  VectorReadOptions o = toReadOptions(*req, *c.dataDir);
  o.expectKind = c.layer->kind;
  std::string e;
  std::optional<VectorReadResult> r = readVector(o, &e);
  if (!r) return fail(e);
  if (c.layer->table.featureCount() > 0 || c.fieldsDeclared)
    return fail("read_vector: the layer already has features; call it once per load");
  c.layer->table = std::move(r->table);
  c.fieldsDeclared = true;
  c.dataCrs = r->crs;
  if (c.layer->kind == GeometryKind::None) c.layer->kind = r->kind;
  if (r->skipped) logWarning("layer " + c.layer->id + ": " + std::to_string(r->skipped) + " features skipped");
  return BCMAP_OK;
}

// Rows of a table handed to a plugin in batches of kRowsPerBatch.
constexpr size_t kRowsPerBatch = 4096;

bcmap_status readVectorRows(void* ctx, const bcmap_vector_request_v1* req,
                            bcmap_status (*onBatch)(void*, const char*, const bcmap_field_v1*, uint32_t,
                                                    const bcmap_batch_v1*),
                            void* user, char* err, size_t errSize) {
  LoadContext& c = *ctxOf(ctx);
  auto fail = [&](const std::string& m) {
    if (err && errSize) std::snprintf(err, errSize, "%s", m.c_str());
    return BCMAP_ERROR;
  };
  if (!req || !req->path || !*req->path) return fail("read_vector_rows: no path given");
  if (!onBatch) return fail("read_vector_rows: no callback given");
  std::string e;
  std::optional<VectorReadResult> r = readVector(toReadOptions(*req, *c.dataDir), &e);
  if (!r) return fail(e);
  const FeatureTable& t = r->table;
  const GeometryColumn& g = t.geometry;
  std::vector<bcmap_field_v1> fields(t.columns.size());
  for (size_t k = 0; k < fields.size(); ++k)
    fields[k] = {sizeof(bcmap_field_v1), t.columns[k].name.c_str(), static_cast<uint32_t>(t.columns[k].type)};
  std::vector<uint32_t> parts, rings, verts;
  std::vector<double> xy;
  std::vector<bcmap_value_v1> values;
  std::vector<std::string> text;
  std::vector<std::string> ids;
  std::vector<const char*> idPtrs;
  std::vector<int32_t> start, end;
  for (size_t f0 = 0; f0 < t.featureCount() || f0 == 0; f0 += kRowsPerBatch) {
    const size_t f1 = std::min(t.featureCount(), f0 + kRowsPerBatch);
    parts.clear(), rings.clear(), verts.clear(), xy.clear(), values.clear(), text.clear(), ids.clear();
    idPtrs.clear(), start.clear(), end.clear();
    for (size_t f = f0; f < f1; ++f) {
      parts.push_back(g.featureParts[f + 1] - g.featureParts[f]);
      for (uint32_t p = g.featureParts[f]; p < g.featureParts[f + 1]; ++p) {
        rings.push_back(g.partRings[p + 1] - g.partRings[p]);
        for (uint32_t ring = g.partRings[p]; ring < g.partRings[p + 1]; ++ring) {
          verts.push_back(g.ringVertices[ring + 1] - g.ringVertices[ring]);
          for (uint32_t v = g.ringVertices[ring]; v < g.ringVertices[ring + 1]; ++v) {
            xy.push_back(g.xy[v].x);
            xy.push_back(g.xy[v].y);
          }
        }
      }
      for (const AttributeColumn& col : t.columns) text.push_back(col.text(f));
      ids.push_back(t.featureId(f));
      if (t.hasTime()) {
        start.push_back(t.startDay[f]);
        end.push_back(t.endDay[f]);
      }
    }
    // Values point into `text`, which no longer grows.
    size_t k = 0;
    for (size_t f = f0; f < f1; ++f)
      for (const AttributeColumn& col : t.columns) {
        bcmap_value_v1 v{};
        v.struct_size = sizeof v;
        v.is_null = col.isNull[f];
        if (col.type == FieldType::Integer || col.type == FieldType::Date) v.int_value = col.ints[f];
        if (col.type == FieldType::Real) v.real_value = col.reals[f];
        v.str_value = text[k++].c_str();
        values.push_back(v);
      }
    for (const std::string& id : ids) idPtrs.push_back(id.c_str());
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = static_cast<uint32_t>(f1 - f0);
    b.parts_per_feature = parts.data();
    b.rings_per_part = rings.data();
    b.vertices_per_ring = verts.data();
    b.xy = xy.data();
    b.values = values.data();
    b.ids = idPtrs.data();
    b.start_day = t.hasTime() ? start.data() : nullptr;
    b.end_day = t.hasTime() ? end.data() : nullptr;
    if (onBatch(user, r->crs.c_str(), fields.data(), static_cast<uint32_t>(fields.size()), &b) != BCMAP_OK)
      return fail("read_vector_rows: " + str(req->path) + ": the plugin stopped the read");
    if (t.featureCount() == 0) break;
  }
  return BCMAP_OK;
}

void loaderLog(void* ctx, uint32_t level, const char* message) {
  LoadContext& c = *ctxOf(ctx);
  const LogLevel l = level >= BCMAP_LOG_ERROR ? LogLevel::Error
                     : level == BCMAP_LOG_WARNING ? LogLevel::Warning
                     : level == BCMAP_LOG_INFO    ? LogLevel::Info
                                                  : LogLevel::Debug;
  logMessage(l, "layer " + c.layer->id + ": " + str(message));
}

// Text form of every value, so plugins can read str_value alone.
struct ValueRow {
  std::vector<std::string> text;
  std::vector<bcmap_value_v1> values;
  std::vector<bcmap_field_v1> fields;
  void fill(const FeatureTable& t, size_t row) {
    const size_t n = t.columns.size();
    text.resize(n);
    values.assign(n, bcmap_value_v1{});
    fields.assign(n, bcmap_field_v1{});
    for (size_t k = 0; k < n; ++k) {
      const AttributeColumn& c = t.columns[k];
      text[k] = c.text(row);
      bcmap_value_v1& v = values[k];
      v.struct_size = sizeof v;
      v.is_null = c.isNull[row];
      if (c.type == FieldType::Integer || c.type == FieldType::Date) v.int_value = c.ints[row];
      if (c.type == FieldType::Real) v.real_value = c.reals[row];
      v.str_value = text[k].c_str();
      fields[k].struct_size = sizeof fields[k];
      fields[k].name = c.name.c_str();
      fields[k].type = static_cast<uint32_t>(c.type);
    }
  }
};

}  // namespace

// ---- 2. plugin calls --------------------------------------------------------------------
namespace {

// What a load needs from the layer, copied on the UI thread.
struct LoadInput {
  std::string layerId;
  const bcmap_plugin_v1* vtable = nullptr;
  void* instance = nullptr;
  std::vector<LayerSetting> settings;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;
};

// What a load made; applied to the layer on the UI thread. `error` set: the load failed.
struct LoadOutput {
  std::string error;
  FeatureTable table;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;
  LayerStyle style;
  std::vector<Rgba> fill;
  std::vector<float> pointSizePx;
  std::vector<LegendEntry> legend;
};

LoadInput loadInputOf(const Layer& l) { return {l.id, l.vtable, l.instance, l.settings, l.kind, l.sourceCrs}; }

LoadOutput failedLoad(std::string what) {
  LoadOutput out;
  out.error = std::move(what);
  return out;
}

// Every plugin call of a load — settings, features, style, per-feature style, legend — on
// the calling thread, touching nothing but `in`'s instance and what it returns.
LoadOutput runLoad(const LoadInput& in, const std::string& dataDir) {
  char err[kErrSize] = {0};
  const bcmap_plugin_v1& vt = *in.vtable;
  for (const LayerSetting& s : in.settings) {
    err[0] = 0;
    if (vt.update && vt.update(in.instance, s.key.c_str(), s.value.c_str(), err, sizeof err) != BCMAP_OK)
      return failedLoad("update(" + s.key + ") failed: " + err);
  }

  LoadTarget target;
  target.id = in.layerId;
  target.kind = in.kind;
  // The declared kind is what the data must be; vector_file declares none and takes the file's.
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  err[0] = 0;
  if (vt.describe(in.instance, &info, err, sizeof err) == BCMAP_OK) target.kind = toKind(info.geometry_kind);

  LoadContext ctx;
  ctx.layer = &target;
  ctx.dataDir = &dataDir;
  bcmap_loader_v1 loader{};
  loader.struct_size = sizeof loader;
  loader.ctx = &ctx;
  loader.declare_fields = &declareFields;
  loader.emit_batch = &emitBatch;
  loader.read_vector = &readVectorService;
  loader.log = &loaderLog;
  loader.data_dir = dataDir.c_str();
  loader.read_vector_rows = &readVectorRows;
  err[0] = 0;
  const bcmap_status st = vt.load(in.instance, &loader, err, sizeof err);
  if (st != BCMAP_OK) return failedLoad(std::string("load failed: ") + (*err ? err : ctx.error.c_str()));
  if (!ctx.error.empty()) return failedLoad(ctx.error);
  LoadOutput out;
  out.sourceCrs = ctx.dataCrs.empty() ? in.sourceCrs : ctx.dataCrs;
  if (out.sourceCrs.empty()) out.sourceCrs = "EPSG:4326";
  if (target.kind == GeometryKind::None && target.table.featureCount() > 0)
    return failedLoad("the layer declared no geometry kind and gave features without one");

  // Style: declared once, evaluated over whole columns here.
  bcmap_style_v1 style{};
  style.struct_size = sizeof style;
  err[0] = 0;
  if (vt.style(in.instance, &style, err, sizeof err) != BCMAP_OK) return failedLoad(std::string("style failed: ") + err);
  std::string e;
  if (!copyStyle(style, out.style, &e)) return failedLoad(e);
  if (!evaluateFill(out.style, target.table, out.fill, &e)) return failedLoad(e);
  out.pointSizePx.assign(target.table.featureCount(), out.style.pointSizePx);
  if (vt.style_feature) {
    ValueRow row;
    for (size_t f = 0; f < target.table.featureCount(); ++f) {
      row.fill(target.table, f);
      bcmap_feature_style_v1 fs{};
      fs.struct_size = sizeof fs;
      err[0] = 0;
      if (vt.style_feature(in.instance, f, row.values.data(), static_cast<uint32_t>(row.values.size()), &fs, err,
                           sizeof err) != BCMAP_OK)
        return failedLoad("style_feature(" + std::to_string(f) + ") failed: " + err);
      if (fs.has_fill) out.fill[f] = toRgba(fs.fill);
      if (fs.has_size) {
        if (!std::isfinite(fs.point_size_px) || fs.point_size_px < 0 || fs.point_size_px > 200)
          return failedLoad("style_feature(" + std::to_string(f) + ") gave point size " +
                            std::to_string(fs.point_size_px));
        out.pointSizePx[f] = fs.point_size_px;
      }
    }
  }
  if (vt.legend) {
    const bcmap_legend_entry_v1* entries = nullptr;
    uint32_t n = 0;
    err[0] = 0;
    if (vt.legend(in.instance, &entries, &n, err, sizeof err) == BCMAP_OK && (entries || n == 0)) {
      for (uint32_t i = 0; i < n; ++i)
        out.legend.push_back({str(entries[i].label), toRgba(entries[i].fill), toRgba(entries[i].stroke),
                              toKind(entries[i].geometry_kind)});
    } else {
      logWarning("layer " + in.layerId + ": legend() failed: " + err);
    }
  }
  out.table = std::move(target.table);
  out.kind = target.kind;
  // Features that came through emit_batch carry no kind of their own; the triangulator
  // fills only columns marked as polygons.
  out.table.geometry.kind = out.kind;
  return out;
}

// ---- 2b. the user's style ------------------------------------------------------------------
// Unique per prepared form, so the renderer re-uploads after a reload, a CRS change or a
// new style.
uint64_t nextPreparedGeneration() {
  static std::atomic<uint64_t> count{0};
  return ++count;
}

// The prepared forms take the layer's new colours and sizes; their geometry is kept (no
// reprojection or triangulation for a change of colours).
void restylePrepared(Layer& l) {
  for (auto& [crs, old] : l.prepared) {
    auto p = std::make_shared<PreparedLayer>(*old);
    p->fill = l.hexes ? l.hexes->fill : l.fill;
    p->pointSizePx = l.hexes ? std::vector<float>{} : l.pointSizePx;
    p->stroke = l.style.stroke;
    p->strokeWidthPx = l.style.strokeWidthPx;
    p->generation = nextPreparedGeneration();
    old = std::move(p);
  }
}

// Hexagons are graduated by their count with the user's method, classes and ramp (a
// sequential one: a qualitative ramp would suggest categories).
StyleSpec hexCountSpec(const StyleSpec& spec) {
  StyleSpec h = spec;
  h.kind = StyleKind::Graduated;
  h.field = "count";
  h.sizeField.clear();
  h.aggregation = Aggregation::None;
  const ColorRamp* ramp = findColorRamp(spec.ramp);
  if (!ramp || ramp->kind != RampKind::Sequential) h.ramp = "YlOrRd";
  return h;
}

// Shows `spec` on a loaded layer (nullopt: the plugin's style). Resolves everything before
// touching the layer, so a failure leaves it as it was.
bool applyStyle(Layer& l, const std::optional<StyleSpec>& spec, std::string* err) {
  const bool hadHexes = l.hexes != nullptr;
  if (!spec) {
    if (l.pluginStyle) {
      l.style = std::move(l.pluginStyle->style);
      l.fill = std::move(l.pluginStyle->fill);
      l.pointSizePx = std::move(l.pluginStyle->pointSizePx);
      l.legend = std::move(l.pluginStyle->legend);
      l.pluginStyle.reset();
    }
    l.hexes.reset();
  } else {
    const ResolvedStyle* plugin = l.pluginStyle ? &*l.pluginStyle : nullptr;
    const LayerStyle& base = plugin ? plugin->style : l.style;
    ResolvedStyle shown;
    std::unique_ptr<Layer::HexAggregate> hexes;
    if (spec->aggregation == Aggregation::Hex) {
      if (l.kind != GeometryKind::Point) {
        if (err) *err = "style: hexagons aggregate points; layer " + l.id + " is of " + geometryKindName(l.kind);
        return false;
      }
      hexes = std::make_unique<Layer::HexAggregate>();
      // The same hexagons when only their colours change.
      if (l.hexes && l.hexes->bins.sideM == spec->hexSizeM) {
        hexes->bins = l.hexes->bins;
      } else if (auto bins = hexBin(l.table, l.sourceCrs, spec->hexSizeM, err)) {
        hexes->bins = std::move(*bins);
      } else {
        return false;
      }
      LayerStyle hexBase = base;
      hexBase.labelField.clear();  // hexagons have no names
      hexBase.labelSecondaryField.clear();
      hexBase.stroke = Rgba{255, 255, 255, 200};  // a thin light seam between neighbours
      hexBase.strokeWidthPx = 0.5f;
      if (!resolveStyleSpec(hexCountSpec(*spec), hexBase, hexes->bins.table, GeometryKind::Polygon, shown, err))
        return false;
      for (LegendEntry& e : shown.legend) e.label += " 个点 points";
      hexes->fill = std::move(shown.fill);
      // The points are not drawn; they keep the plugin's colours and sizes.
      shown.fill = plugin ? plugin->fill : l.fill;
      shown.pointSizePx = plugin ? plugin->pointSizePx : l.pointSizePx;
    } else if (!resolveStyleSpec(*spec, base, l.table, l.kind, shown, err)) {
      return false;
    }
    if (!l.pluginStyle)
      l.pluginStyle = ResolvedStyle{std::move(l.style), std::move(l.fill), std::move(l.pointSizePx), std::move(l.legend)};
    l.style = std::move(shown.style);
    l.fill = std::move(shown.fill);
    l.pointSizePx = std::move(shown.pointSizePx);
    l.legend = std::move(shown.legend);
    const bool sameHexes = hexes && l.hexes && l.hexes->bins.sideM == hexes->bins.sideM;
    l.hexes = std::move(hexes);
    if (sameHexes) {
      restylePrepared(l);
      ++l.generation;
      return true;
    }
  }
  // Hexagons came or went: other geometry, prepared afresh.
  if (hadHexes || l.hexes) {
    l.prepared.clear();
    l.lonLatIndex.reset();
  } else {
    restylePrepared(l);
  }
  ++l.generation;
  return true;
}

// The UI thread's half of a load.
void applyLoad(Layer& l, LoadOutput&& out) {
  l.prepared.clear();
  l.lonLatIndex.reset();
  l.pluginStyle.reset();  // both belong to the features being replaced
  l.hexes.reset();
  ++l.generation;
  if (!out.error.empty()) {
    l.status = LayerStatus::Failed;
    l.error = std::move(out.error);
    l.table = FeatureTable{};
    logError("layer " + l.id + ": " + l.error);
    return;
  }
  l.table = std::move(out.table);
  l.kind = out.kind;
  l.sourceCrs = std::move(out.sourceCrs);
  l.style = std::move(out.style);
  l.fill = std::move(out.fill);
  l.pointSizePx = std::move(out.pointSizePx);
  l.legend = std::move(out.legend);
  // The style's opacity is where a layer starts; after that the opacity is the user's.
  if (!l.everLoaded && !l.opacitySet) l.opacity = l.style.opacity;
  l.everLoaded = true;
  l.status = LayerStatus::Loaded;
  l.error.clear();
  // The new features get the user's style again (the plugin's stays beside it).
  l.userStyleError.clear();
  if (l.userStyle && !applyStyle(l, l.userStyle, &l.userStyleError))
    logWarning("layer " + l.id + ": the user's style no longer applies: " + l.userStyleError);
}

// create, describe and settings: what a layer learns from its plugin before it loads. A
// failure marks `l` failed and refused, with a reason that names the file.
void initFromModule(Layer& l, const std::shared_ptr<PluginModule>& modPtr) {
  const PluginModule& mod = *modPtr;
  l.pluginPath = mod.path;
  l.module = modPtr;
  l.id = mod.fileName;
  if (!mod.ok()) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": " + mod.error;
    l.refused = true;
    return;
  }
  l.vtable = mod.vtable;
  l.instance = mod.vtable->create();
  char err[kErrSize] = {0};
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  if (!l.instance) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": create() returned no instance";
  } else if (mod.vtable->describe(l.instance, &info, err, sizeof err) != BCMAP_OK) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": describe() failed: " + err;
  } else if (!info.id || !*info.id) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": describe() gave no layer id";
  } else {
    l.pluginId = info.id;
    l.id = info.id;
    l.nameZh = str(info.name_zh);
    l.nameEn = str(info.name_en);
    l.version = str(info.version);
    l.kind = toKind(info.geometry_kind);
    l.sourceCrs = str(info.source_crs);
    l.hasTime = info.has_time != 0;
    l.isSample = info.is_sample != 0;
    l.hiddenByDefault = info.hidden_by_default != 0;
    l.attribution = str(info.attribution);
  }
  // Settings are declared once; their values live in the host (and later the session).
  if (l.status != LayerStatus::Failed && mod.vtable->settings) {
    const bcmap_setting_v1* s = nullptr;
    uint32_t n = 0;
    err[0] = 0;
    // An empty list may come back as a null pointer.
    if (mod.vtable->settings(l.instance, &s, &n, err, sizeof err) == BCMAP_OK && (s || n == 0)) {
      for (uint32_t i = 0; i < n; ++i) {
        LayerSetting ls;
        ls.key = str(s[i].key);
        ls.label = str(s[i].label);
        ls.type = static_cast<bcmap_setting_type>(s[i].type);
        ls.defaultValue = ls.value = str(s[i].default_value);
        ls.minValue = s[i].min_value;
        ls.maxValue = s[i].max_value;
        for (uint32_t k = 0; k < s[i].option_count && s[i].options; ++k) ls.options.push_back(str(s[i].options[k]));
        ls.reload = s[i].reload != 0;
        if (!ls.key.empty()) l.settings.push_back(std::move(ls));
      }
    } else {
      l.status = LayerStatus::Failed;
      l.error = mod.fileName + ": settings() failed: " + err;
    }
  }
  l.refused = l.status == LayerStatus::Failed;
}

// A new version's settings take the old values where the key and type are the same (and,
// for a choice, the value is still offered).
void carrySettings(std::vector<LayerSetting>& fresh, const std::vector<LayerSetting>& old) {
  for (LayerSetting& s : fresh)
    for (const LayerSetting& o : old)
      if (o.key == s.key && o.type == s.type &&
          (s.type != BCMAP_SETTING_ENUM || std::find(s.options.begin(), s.options.end(), o.value) != s.options.end()))
        s.value = o.value;
}

std::string normalPath(const std::string& p) {
  std::error_code ec;
  return fs::absolute(p, ec).lexically_normal().string();
}

// Destroys the instance a job made and nobody took.
void dropInstance(Layer* l) {
  if (l && l->vtable && l->instance) l->vtable->destroy(l->instance);
  if (l) l->instance = nullptr;
}

// Loader threads: enough that one plugin hanging in load() does not hold up the others;
// they mostly wait on disk and GDAL, so more than the two cores of a small machine.
constexpr size_t kLoaderThreads = 3;

}  // namespace

// Loader threads (used from 3b on).
// A job runs on a loader thread (run) and is applied on the UI thread (apply). A job that
// is never applied (the store goes first) frees what it made in its destructor.
struct LayerStore::Job {
  virtual ~Job() = default;
  virtual void run() = 0;
  virtual void apply(LayerStore& store) = 0;
};

struct LayerStore::Loader {
  std::mutex mutex;
  std::condition_variable workReady, resultReady;
  std::deque<std::unique_ptr<Job>> queue, finished;
  size_t running = 0;
  bool stopping = false;
  std::vector<std::thread> threads;
  std::function<void()> onResult;

  ~Loader() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      queue.clear();  // not started: nothing made yet
    }
    workReady.notify_all();
    for (std::thread& t : threads) t.join();
    finished.clear();
  }

  void post(std::unique_ptr<Job> job) {
    {
      std::lock_guard lock(mutex);
      queue.push_back(std::move(job));
      if (threads.size() < kLoaderThreads && queue.size() > threads.size() - running)
        threads.emplace_back([this] { work(); });
    }
    workReady.notify_one();
  }

  void work() {
    std::unique_lock lock(mutex);
    while (true) {
      workReady.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      std::unique_ptr<Job> job = std::move(queue.front());
      queue.pop_front();
      ++running;
      lock.unlock();
      job->run();
      lock.lock();
      --running;
      finished.push_back(std::move(job));
      const std::function<void()> wake = onResult;
      lock.unlock();
      resultReady.notify_all();
      if (wake) wake();
      lock.lock();
    }
  }

  bool idle() {
    std::lock_guard lock(mutex);
    return queue.empty() && running == 0 && finished.empty();
  }
};

LayerStore::LayerStore(std::string dataDir) : dataDir_(std::move(dataDir)), loader_(std::make_unique<Loader>()) {}

LayerStore::~LayerStore() {
  // Loader threads first: a running job may still be calling a layer's instance, and
  // results nobody applied destroy what they made while their library is still loaded.
  loader_.reset();
  for (auto& l : layers_)
    if (l->vtable && l->instance) l->vtable->destroy(l->instance);
}

std::string LayerStore::uniqueId(const std::string& wanted) const {
  auto taken = [&](const std::string& id) {
    return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->id == id; });
  };
  if (!taken(wanted)) return wanted;
  for (int i = 2;; ++i)
    if (!taken(wanted + "_" + std::to_string(i))) return wanted + "_" + std::to_string(i);
}

Layer* LayerStore::findByKey(uint64_t key) {
  for (auto& l : layers_)
    if (l->key == key) return l.get();
  return nullptr;
}

Layer& LayerStore::createInstanceLayer(const std::shared_ptr<PluginModule>& mod) {
  auto layer = std::make_unique<Layer>();
  layer->key = nextKey_++;
  initFromModule(*layer, mod);
  if (!mod->ok()) layer->id = uniqueId(mod->fileName);
  layers_.push_back(std::move(layer));
  return *layers_.back();
}

void LayerStore::refuseDuplicateId(Layer& l) {
  // Two plugins claiming one id: the second is refused, named with both files.
  for (const auto& other : layers_)
    if (other.get() != &l && other->id == l.id && other->status != LayerStatus::Failed) {
      l.status = LayerStatus::Failed;
      l.refused = true;
      l.error = fs::path(l.pluginPath).filename().string() + ": layer id '" + l.id + "' is already used by " +
                fs::path(other->pluginPath).filename().string();
      l.id = uniqueId(l.id);
      logWarning("plugin " + l.error);
      return;
    }
}

void LayerStore::addPluginLayers(PluginHost& host) {
  for (const auto& m : host.modules()) {
    if (m->ok() && m->fileName == "bcmap_vector_file.so") continue;
    Layer& l = createInstanceLayer(m);
    if (l.status == LayerStatus::Failed) {
      logWarning("plugin " + l.error);
      continue;
    }
    refuseDuplicateId(l);
  }
  // The starting draw order, bottom to top: polygons, lines, points (then layers of no
  // declared kind), each group in plugin-file order, so areas never hide the points on
  // them. The user reorders freely from there.
  auto rank = [](const Layer& l) {
    switch (l.kind) {
      case GeometryKind::Polygon: return 0;
      case GeometryKind::Line: return 1;
      case GeometryKind::Point: return 2;
      case GeometryKind::None: break;
    }
    return 3;
  };
  std::stable_sort(layers_.begin(), layers_.end(),
                   [&](const auto& a, const auto& b) { return rank(*a) < rank(*b); });
}

Layer& LayerStore::addFileLayer(PluginHost& host, const std::string& path, bool gcj02) {
  std::shared_ptr<PluginModule> mod = host.sharedByFileName("bcmap_vector_file.so");
  if (!mod) {
    auto layer = std::make_unique<Layer>();
    layer->key = nextKey_++;
    layer->id = uniqueId(fs::path(path).filename().string());
    layer->nameZh = layer->nameEn = fs::path(path).filename().string();
    layer->status = LayerStatus::Failed;
    layer->error = path + ": the vector_file plugin (bcmap_vector_file.so) is not available";
    layer->isFileLayer = true;
    layers_.push_back(std::move(layer));
    return *layers_.back();
  }
  Layer& l = createInstanceLayer(mod);
  const std::string name = fs::path(path).filename().string();
  l.id = uniqueId("file:" + name);
  l.nameZh = l.nameEn = name;
  l.isFileLayer = true;
  // Each opened file gets its own colour from a qualitative palette (ColorBrewer Dark2).
  static constexpr const char* kPalette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                             "#66a61e", "#e6ab02", "#a6761d", "#666666"};
  size_t nFiles = 0;
  for (const auto& other : layers_) nFiles += other->isFileLayer;
  for (LayerSetting& s : l.settings) {
    if (s.key == "path") s.value = fs::absolute(path).string();
    if (s.key == "gcj02") s.value = gcj02 ? "true" : "false";
    if (s.key == "color") s.value = kPalette[(nFiles - 1) % std::size(kPalette)];
  }
  return l;
}

Layer& LayerStore::addMissingLayer(const std::string& id, const std::string& why) {
  auto layer = std::make_unique<Layer>();
  layer->key = nextKey_++;
  Layer& l = *layer;
  l.id = uniqueId(id);
  l.nameZh = l.nameEn = id;
  l.status = LayerStatus::Failed;
  l.refused = true;  // nothing to load: the list shows it with the reason
  l.missing = true;
  l.visible = false;
  l.error = why;
  layers_.push_back(std::move(layer));
  return l;
}

// ---- 3. loading -------------------------------------------------------------------------
void LayerStore::load(Layer& l) {
  if (l.work == LayerWork::Loading) {
    // A loader thread has the instance: let it finish (its result is applied), then load here.
    const uint64_t key = l.key;
    while (true) {
      applyFinished();
      const Layer* now = findByKey(key);
      if (!now || now->work != LayerWork::Loading) break;
      std::unique_lock lock(loader_->mutex);
      loader_->resultReady.wait(lock, [&] { return !loader_->finished.empty(); });
    }
  }
  if (l.refused || !l.vtable || !l.instance) return;  // failed before loading: keeps its reason
  applyLoad(l, runLoad(loadInputOf(l), dataDir_));
}

void LayerStore::loadAll() {
  for (auto& l : layers_)
    load(*l);
}

// ---- 3b. loader threads ---------------------------------------------------------------------
void LayerStore::post(std::unique_ptr<Job> job) { loader_->post(std::move(job)); }

void LayerStore::setOnResultReady(std::function<void()> fn) {
  std::lock_guard lock(loader_->mutex);
  loader_->onResult = std::move(fn);
}

void LayerStore::applyFinished() {
  std::deque<std::unique_ptr<Job>> done;
  {
    std::lock_guard lock(loader_->mutex);
    done.swap(loader_->finished);
  }
  for (auto& job : done) job->apply(*this);
  // Reloads asked for while their plugin was busy.
  if (!reloadAgain_.empty()) {
    std::map<std::string, PluginHost*> again;
    again.swap(reloadAgain_);
    for (const auto& [path, host] : again) reloadPlugin(*host, path);
  }
}

std::vector<std::string> LayerStore::pollLoaded() {
  applyFinished();
  std::vector<std::string> out;
  out.swap(changed_);
  return out;
}

bool LayerStore::loading() const { return !loader_->idle() || !reloadAgain_.empty(); }

bool LayerStore::waitIdle(int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (true) {
    applyFinished();
    if (!loading()) return true;
    std::unique_lock lock(loader_->mutex);
    if (!loader_->resultReady.wait_until(lock, deadline, [&] { return !loader_->finished.empty(); })) return false;
  }
}

// ---- 3c. off-thread jobs ------------------------------------------------------------------------
struct LayerStore::LoadJob : Job {
  uint64_t key = 0;
  LoadInput in;
  std::string dataDir;
  LoadOutput out;

  void run() override { out = runLoad(in, dataDir); }
  void apply(LayerStore& store) override {
    Layer* l = store.findByKey(key);
    if (!l) return;
    l->work = LayerWork::None;
    applyLoad(*l, std::move(out));
    store.changed_.push_back(l->id);
    if (l->loadAgain) {
      l->loadAgain = false;
      store.loadAsync(*l);
    }
  }
};

void LayerStore::loadAsync(Layer& l) {
  if (l.refused || !l.vtable || !l.instance) return;
  if (l.busy()) {
    l.loadAgain = true;
    return;
  }
  l.work = LayerWork::Loading;
  if (l.status != LayerStatus::Loaded) l.status = LayerStatus::Loading;
  auto job = std::make_unique<LoadJob>();
  job->key = l.key;
  job->in = loadInputOf(l);
  job->dataDir = dataDir_;
  post(std::move(job));
}

// A plugin library not seen before: opened, created and described on a loader thread into a
// detached Layer that apply() moves into the placeholder.
struct LayerStore::OpenJob : Job {
  uint64_t key = 0;
  std::string path;
  PluginHost::OpenOptions options;
  PluginHost* host = nullptr;
  std::function<bool(const Layer&)> loadWhen;
  std::shared_ptr<PluginModule> module;
  std::unique_ptr<Layer> fresh;

  ~OpenJob() override { dropInstance(fresh.get()); }
  void run() override {
    module = PluginHost::openModule(path, options);
    fresh = std::make_unique<Layer>();
    initFromModule(*fresh, module);
  }
  void apply(LayerStore& store) override {
    Layer* l = store.findByKey(key);
    if (!l || !fresh) return;
    host->adopt(module);
    const bool visible = l->visible;
    std::optional<StyleSpec> userStyle = std::move(l->userStyle);  // set (a session) before it opened
    *l = std::move(*fresh);
    fresh->instance = nullptr;  // now the layer's
    l->key = key;
    l->visible = visible;
    l->userStyle = std::move(userStyle);
    l->id.clear();
    if (l->refused) {
      l->id = store.uniqueId(module->fileName);
      logWarning("plugin " + l->error);
    } else {
      l->id = l->pluginId;
      store.refuseDuplicateId(*l);
    }
    store.changed_.push_back(l->id);
    if (l->refused) return;
    if (!loadWhen || loadWhen(*l)) {
      store.loadAsync(*l);
    } else {
      l->status = LayerStatus::Pending;
      l->visible = false;
    }
  }
};

Layer& LayerStore::addPluginAsync(PluginHost& host, const std::string& path, std::function<bool(const Layer&)> loadWhen) {
  auto layer = std::make_unique<Layer>();
  layer->key = nextKey_++;
  layer->pluginPath = normalPath(path);
  const std::string fileName = fs::path(layer->pluginPath).filename().string();
  layer->id = uniqueId(fileName);
  layer->nameZh = fileName;
  layer->status = LayerStatus::Loading;
  layer->work = LayerWork::Loading;
  auto job = std::make_unique<OpenJob>();
  job->key = layer->key;
  job->path = layer->pluginPath;
  job->options = host.openOptions();
  job->host = &host;
  job->loadWhen = std::move(loadWhen);
  layers_.push_back(std::move(layer));
  post(std::move(job));
  return *layers_.back();
}

// Hot reload of one library: opened once from a fresh private copy, then for each layer it
// made a new instance is created, described, given the old setting values and loaded — all
// on a loader thread, while the layers go on showing the old version.
struct LayerStore::ReloadJob : Job {
  struct Item {
    uint64_t key = 0;
    std::string id;
    std::vector<LayerSetting> settings;
    std::unique_ptr<Layer> fresh;
    LoadOutput out;
    std::string error;
  };
  std::string path, fileName;
  PluginHost::OpenOptions options;
  PluginHost* host = nullptr;
  std::string dataDir;
  std::vector<Item> items;
  std::shared_ptr<PluginModule> module;

  ~ReloadJob() override {
    for (Item& it : items) dropInstance(it.fresh.get());
  }
  void run() override {
    module = PluginHost::openModule(path, options);
    if (!module->ok()) return;
    for (Item& it : items) {
      it.fresh = std::make_unique<Layer>();
      initFromModule(*it.fresh, module);
      if (it.fresh->refused) {
        it.error = it.fresh->error;
        continue;
      }
      carrySettings(it.fresh->settings, it.settings);
      it.fresh->id = it.id;  // messages name the layer as the user knows it
      it.out = runLoad(loadInputOf(*it.fresh), dataDir);
      if (!it.out.error.empty()) it.error = it.out.error;
    }
  }
  void apply(LayerStore& store) override {
    bool anyReloaded = false;
    for (Item& it : items) {
      Layer* l = store.findByKey(it.key);
      if (!l) continue;
      l->work = LayerWork::None;
      std::string why = !module->ok() ? module->error : it.error;
      // A new version may not take an id another layer has (the duplicate rule).
      if (why.empty() && (l->refused || it.fresh->pluginId != l->pluginId))
        for (const auto& other : store.layers_)
          if (other.get() != l && other->pluginId == it.fresh->pluginId && !other->refused)
            why = "layer id '" + it.fresh->pluginId + "' is already used by " +
                  fs::path(other->pluginPath).filename().string();
      if (!why.empty()) {
        l->reloadError = "reload of " + fileName + " failed: " + why +
                         (l->status == LayerStatus::Loaded ? "; the version loaded before is kept" : "");
        // Nothing loaded to keep: the new reason is the layer's reason.
        if (l->status != LayerStatus::Loaded) l->error = l->reloadError;
        logError("layer " + l->id + ": " + l->reloadError);
      } else {
        Layer& f = *it.fresh;
        if (l->vtable && l->instance) l->vtable->destroy(l->instance);
        l->module = f.module;
        l->vtable = f.vtable;
        l->instance = f.instance;
        f.instance = nullptr;
        l->pluginId = f.pluginId;
        if (!l->isFileLayer) {
          l->nameZh = f.nameZh;
          l->nameEn = f.nameEn;
        }
        l->version = f.version;
        l->kind = f.kind;
        l->hasTime = f.hasTime;
        l->isSample = f.isSample;
        l->attribution = f.attribution;
        carrySettings(f.settings, l->settings);  // values set while the reload ran
        l->settings = std::move(f.settings);
        l->refused = false;
        l->reloadError.clear();
        applyLoad(*l, std::move(it.out));
        logInfo("layer " + l->id + ": reloaded " + fileName + " (version " + l->version + ")");
        anyReloaded = true;
      }
      store.changed_.push_back(l->id);
      if (l->loadAgain) {
        l->loadAgain = false;
        store.loadAsync(*l);
      }
    }
    // The host hands out the new version from now on (new FILE layers, later reloads);
    // layers still on the old one keep it loaded through their own reference.
    if (module->ok() && (anyReloaded || items.empty())) host->replace(module);
    store.reloading_.erase(path);
  }
};

void LayerStore::reloadPlugin(PluginHost& host, const std::string& pathIn) {
  const std::string path = normalPath(pathIn);
  std::vector<Layer*> mine;
  for (auto& l : layers_)
    if (l->pluginPath == path) mine.push_back(l.get());
  // One job per library at a time, and never while a loader thread has one of its instances.
  if (reloading_.count(path) ||
      std::any_of(mine.begin(), mine.end(), [](const Layer* l) { return l->work == LayerWork::Loading; })) {
    reloadAgain_[path] = &host;
    return;
  }
  auto job = std::make_unique<ReloadJob>();
  job->path = path;
  job->fileName = fs::path(path).filename().string();
  job->options = host.openOptions(true);
  job->host = &host;
  job->dataDir = dataDir_;
  for (Layer* l : mine) {
    ReloadJob::Item it;
    it.key = l->key;
    it.id = l->id;
    it.settings = l->settings;
    l->work = LayerWork::Reloading;
    job->items.push_back(std::move(it));
  }
  if (job->items.empty() && !host.findByPath(path)) return;
  reloading_[path] = &host;
  logInfo("plugin " + path + ": changed on disk; reloading");
  post(std::move(job));
}

void LayerStore::pluginFileChanged(PluginHost& host, const std::string& pathIn) {
  const std::string path = normalPath(pathIn);
  std::error_code ec;
  if (!fs::exists(path, ec)) return;  // gone again (a build's temporary file)
  const bool known = host.findByPath(path) ||
                     std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->pluginPath == path; });
  if (known) reloadPlugin(host, path);
  else addPluginAsync(host, path);
}

// ---- 2b. the user's style (continued): the UI's call --------------------------------------
bool LayerStore::setUserStyle(Layer& l, std::optional<StyleSpec> spec, std::string* err) {
  if (spec && !validateStyleSpec(*spec, err)) return false;
  if (spec && spec->aggregation == Aggregation::Hex && l.kind != GeometryKind::Point &&
      l.kind != GeometryKind::None) {
    if (err) *err = "style: hexagons aggregate points; layer " + l.id + " is of " + geometryKindName(l.kind);
    return false;
  }
  // A layer not loaded yet takes the style with its load (applyLoad).
  if (l.status == LayerStatus::Loaded && !applyStyle(l, spec, err)) return false;
  l.userStyle = std::move(spec);
  l.userStyleError.clear();
  return true;
}

// ---- 4. preparing for a display CRS --------------------------------------------------------
std::shared_ptr<const PreparedLayer> LayerStore::prepare(Layer& l, const std::string& displayCrs, std::string* err) {
  if (l.status != LayerStatus::Loaded) {
    if (err) *err = "layer " + l.id + " is not loaded";
    return nullptr;
  }
  if (auto it = l.prepared.find(displayCrs); it != l.prepared.end()) return it->second;
  // An aggregated layer draws its hexagons (in their equal-area frame) instead of its points.
  const std::string& fromCrs = l.hexes ? l.hexes->bins.crs : l.sourceCrs;
  std::string e;
  std::optional<Transformer> tr = Transformer::create(fromCrs, displayCrs, &e);
  if (!tr) {
    if (err) *err = "layer " + l.id + ": cannot project " + fromCrs + " to " + displayCrs + ": " + e;
    return nullptr;
  }
  auto p = std::make_shared<PreparedLayer>();
  p->layerId = l.id;
  p->displayCrs = displayCrs;
  p->kind = l.shownKind();
  p->geometry = l.shownTable().geometry;
  tr->transform(p->geometry.xy);
  p->bounds = p->geometry.bounds();
  if (p->kind == GeometryKind::Polygon) triangulateColumn(p->geometry, p->triangles, p->featureTriangles);
  p->fill = l.hexes ? l.hexes->fill : l.fill;
  if (!l.hexes) p->pointSizePx = l.pointSizePx;
  p->stroke = l.style.stroke;
  p->strokeWidthPx = l.style.strokeWidthPx;
  p->pointSymbol = l.style.pointSymbol;
  p->lineMarkers = l.style.lineMarkers;
  p->lineEndMarkerPx = l.style.lineEndMarkerPx;
  if (!l.hexes) {  // hexagons count every point, whatever the day (HexBin.h)
    p->startDay = l.table.startDay;
    p->endDay = l.table.endDay;
  }
  // Unique per prepared form, so the renderer re-uploads after a reload or a CRS change.
  p->generation = nextPreparedGeneration();

  // Labels: the layer's label field; anchors from label_lon/label_lat when the data has
  // them (the counties do: a pole of inaccessibility computed at set-up), else a polygon's
  // pole of inaccessibility, a point's own position or the centre of a line's box.
  const AttributeColumn* primary = l.style.labelField.empty() ? nullptr : l.table.column(l.style.labelField);
  if (primary) {
    const AttributeColumn* secondary = l.table.column(l.style.labelSecondaryField);
    const AttributeColumn* lon = l.table.column("label_lon");
    const AttributeColumn* lat = l.table.column("label_lat");
    std::optional<Transformer> fromLonLat;
    if (lon && lat) fromLonLat = Transformer::create("EPSG:4326", displayCrs, &e);
    const size_t n = l.table.featureCount();
    p->labelAnchor.resize(n);
    p->labelPrimary.resize(n);
    p->labelSecondary.resize(n);
    for (size_t f = 0; f < n; ++f) {
      p->labelPrimary[f] = primary->text(f);
      if (secondary) p->labelSecondary[f] = secondary->text(f);
      Vec2 a{std::nan(""), std::nan("")};
      if (fromLonLat && !std::isnan(lon->number(f)) && !std::isnan(lat->number(f))) {
        a = fromLonLat->forward({lon->number(f), lat->number(f)});
      } else if (l.kind == GeometryKind::Polygon) {
        // The box centre of a concave polygon can fall outside it; the pole cannot. A
        // thousandth of the feature's size is far below a pixel at any zoom that shows it whole.
        const Bounds b = p->geometry.featureBounds(f);
        a = poleOfInaccessibility(p->geometry, f, std::max(b.width(), b.height()) * 1e-3).point;
      } else {
        const Bounds b = p->geometry.featureBounds(f);
        if (!b.empty()) a = {(b.minX + b.maxX) * 0.5, (b.minY + b.maxY) * 0.5};
      }
      p->labelAnchor[f] = a;
    }
  }
  l.prepared[displayCrs] = p;
  return p;
}

// ---- 5. identify ----------------------------------------------------------------------------
namespace {

// Even-odd point in polygon over all rings of one part (holes included by parity).
bool partContains(const GeometryColumn& g, size_t part, Vec2 q) {
  bool inside = false;
  for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
    const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
    if (v1 - v0 < 3) continue;
    for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++) {
      const Vec2 a = g.xy[i], b = g.xy[j];
      if ((a.y > q.y) != (b.y > q.y) && q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
  }
  return inside;
}

// Metres per degree at `lat` (WGS 84 radii of curvature).
void metresPerDegree(double latDeg, double& mx, double& my) {
  constexpr double a = 6378137.0, e2 = 0.00669437999014;
  const double phi = latDeg * M_PI / 180.0, s = std::sin(phi);
  const double w = std::sqrt(1 - e2 * s * s);
  my = (M_PI / 180.0) * a * (1 - e2) / (w * w * w);
  mx = (M_PI / 180.0) * a * std::cos(phi) / w;
}

double segmentDistance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// Where the local frame's distances may differ from the geodesic, relative to the radius:
// inside (1 - band) a point is a hit, beyond (1 + band) it is not, and in between the
// geodesic decides. The frame is within 1e-6 of the geodesic at a few km and within 1e-4 at
// 100 km (tests/host/IdentifyTest.cpp checks hits at 1e-6 either side of radii up to 100 km).
constexpr double kLocalBand = 1e-3;

// Metres from the query point q in a local equirectangular frame: a degree of longitude
// counts mx, of latitude my, taken at the mid-latitude of q and the other point (taking q's
// latitude alone is off by ~tan(lat) * dlat: 3e-4 at 2 km here). mx and my are linear in
// latitude over the few km identify looks at: their value and slope at q, once a query, so a
// candidate costs no trigonometry (the geodesic, Karney's, costs ~1 µs a point: most of a
// pick over 1M points before).
class LocalFrame {
 public:
  explicit LocalFrame(Vec2 q) : q_(q) {
    constexpr double kStepDeg = 0.01;
    double mx1 = 0, my1 = 0;
    metresPerDegree(q.y, mx_, my_);
    metresPerDegree(q.y + kStepDeg, mx1, my1);
    dmx_ = (mx1 - mx_) / kStepDeg;
    dmy_ = (my1 - my_) / kStepDeg;
  }
  double mx() const { return mx_; }
  double my() const { return my_; }
  Vec2 local(Vec2 v) const {
    const double dLat = v.y - q_.y, half = 0.5 * dLat;
    return {(v.x - q_.x) * (mx_ + dmx_ * half), dLat * (my_ + dmy_ * half)};
  }
  double distanceM(Vec2 v) const {
    const Vec2 p = local(v);
    return std::sqrt(p.x * p.x + p.y * p.y);
  }
  // The nearest vertex of feature f (points: a multipoint's nearest member).
  double nearestVertexM(const GeometryColumn& g, size_t f) const {
    double best = INFINITY;
    const uint32_t v0 = g.ringVertices[g.partRings[g.featureParts[f]]];
    const uint32_t v1 = g.ringVertices[g.partRings[g.featureParts[f + 1]]];
    for (uint32_t v = v0; v < v1; ++v) best = std::min(best, distanceM(g.xy[v]));
    return best;
  }
  // The nearest place on the lines of feature f (a one-vertex line: that vertex).
  double nearestOnLinesM(const GeometryColumn& g, size_t f) const {
    double best = INFINITY;
    for (uint32_t r = g.partRings[g.featureParts[f]]; r < g.partRings[g.featureParts[f + 1]]; ++r) {
      const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
      if (v1 - v0 == 1) best = std::min(best, distanceM(g.xy[v0]));
      for (uint32_t v = v0; v + 1 < v1; ++v) best = std::min(best, segmentDistance({0, 0}, local(g.xy[v]), local(g.xy[v + 1])));
    }
    return best;
  }

 private:
  Vec2 q_;
  double mx_ = 0, my_ = 0, dmx_ = 0, dmy_ = 0;
};

// The geodesic distance from q to the nearest vertex of feature f.
double nearestVertexGeodesicM(const GeometryColumn& g, size_t f, Vec2 q) {
  double best = INFINITY;
  const uint32_t v0 = g.ringVertices[g.partRings[g.featureParts[f]]];
  const uint32_t v1 = g.ringVertices[g.partRings[g.featureParts[f + 1]]];
  for (uint32_t v = v0; v < v1; ++v) best = std::min(best, geodesicDistanceM(q, g.xy[v]));
  return best;
}

// A hit before its text is made. rank: the layer's place among the layers with hits,
// 0 the topmost.
struct RawHit {
  size_t rank = 0;
  double distanceM = 0;
  uint32_t feature = 0;
};

}  // namespace

std::vector<IdentifyHit> LayerStore::identify(Vec2 q, double radiusM, const std::vector<std::string>& layerIds,
                                              const TimeFilter& day, const IdentifyOptions& options) {
  const LocalFrame frame(q);
  // The box the circle fits in, grown by the band so that the geodesic has the last word at
  // its edge.
  const double halfX = radiusM * (1 + kLocalBand) / frame.mx(), halfY = radiusM * (1 + kLocalBand) / frame.my();
  const Bounds box{q.x - halfX, q.y - halfY, q.x + halfX, q.y + halfY};
  std::vector<SpatialIndex::Candidate> candidates;
  std::vector<RawHit> raw;
  // The layers with hits, by rank, with their lon/lat copies.
  std::vector<std::pair<const Layer*, std::shared_ptr<const PreparedLayer>>> order;
  // Topmost first: the last layer in the list draws on top.
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    Layer& l = **it;
    if (l.status != LayerStatus::Loaded) continue;
    if (!layerIds.empty() && std::find(layerIds.begin(), layerIds.end(), l.id) == layerIds.end()) continue;
    std::string e;
    auto p = prepare(l, kLonLatCrs, &e);
    if (!p) {
      logWarning(e);
      continue;
    }
    const GeometryColumn& g = p->geometry;
    if (!l.lonLatIndex) {
      std::vector<Bounds> boxes(g.featureCount());
      for (size_t f = 0; f < boxes.size(); ++f) boxes[f] = g.featureBounds(f);
      l.lonLatIndex = std::make_unique<SpatialIndex>();
      l.lonLatIndex->build(boxes);
    }
    // What the layer shows: its features, or the hexagons a point layer is aggregated into.
    const FeatureTable& shown = l.shownTable();
    const GeometryKind kind = l.shownKind();
    const Bounds query = kind == GeometryKind::Polygon ? Bounds{q.x, q.y, q.x, q.y} : box;
    l.lonLatIndex->query(query, candidates);
    const size_t before = raw.size();
    for (const SpatialIndex::Candidate& cand : candidates) {
      const uint32_t f = cand.feature;
      if (!shown.shownOn(f, day)) continue;  // hidden by the time filter
      double dist = -1;
      if (kind == GeometryKind::Polygon) {
        for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
          if (partContains(g, part, q)) dist = 0;
      } else if (kind == GeometryKind::Point) {
        // A point's box is the point (or all of a multipoint's points, when they coincide):
        // no need to look the geometry up.
        const Bounds& b = cand.box;
        const double local = b.minX == b.maxX && b.minY == b.maxY ? frame.distanceM({b.minX, b.minY})
                                                                  : frame.nearestVertexM(g, f);
        if (local <= radiusM * (1 - kLocalBand) ||
            (local <= radiusM * (1 + kLocalBand) && nearestVertexGeodesicM(g, f, q) <= radiusM))
          dist = local;
      } else {
        const double local = frame.nearestOnLinesM(g, f);
        if (local <= radiusM) dist = local;
      }
      if (dist >= 0) raw.push_back({order.size(), dist, f});
    }
    if (raw.size() > before) order.emplace_back(&l, p);
  }
  // A total order (rank, distance, feature), so equal distances come out the same every time.
  auto byOrder = [](const RawHit& a, const RawHit& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.distanceM != b.distanceM) return a.distanceM < b.distanceM;
    return a.feature < b.feature;
  };
  const size_t n = std::min(options.maxHits, raw.size());
  if (n < raw.size()) std::partial_sort(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(n), raw.end(), byOrder);
  else std::sort(raw.begin(), raw.end(), byOrder);

  // Text only for the hits returned.
  std::vector<IdentifyHit> hits(n);
  for (size_t i = 0; i < n; ++i) {
    const Layer& l = *order[raw[i].rank].first;
    IdentifyHit& h = hits[i];
    h.layerId = l.id;
    h.feature = raw[i].feature;
    const FeatureTable& shown = l.shownTable();
    h.featureId = shown.featureId(h.feature);
    // A point's distance as the geodesic says (what `bcmap identify` prints).
    h.distanceM = raw[i].distanceM;
    if (l.shownKind() == GeometryKind::Point)
      h.distanceM = nearestVertexGeodesicM(order[raw[i].rank].second->geometry, h.feature, q);
    h.attributes.reserve(shown.columns.size());
    for (const AttributeColumn& c : shown.columns) h.attributes.emplace_back(c.name, c.text(h.feature));
  }
  return hits;
}

std::string LayerStore::describeFeature(Layer& l, size_t feature) {
  if (l.hexes) {
    // A hexagon of an aggregated point layer: the plugin knows only its points.
    const FeatureTable& hex = l.shownTable();
    if (feature >= hex.featureCount()) return {};
    const AttributeColumn* count = hex.column("count");
    return l.displayName() + "\n六边形内的点 points in this hexagon: " + (count ? count->text(feature) : "?");
  }
  if (feature >= l.table.featureCount()) return {};
  ValueRow row;
  row.fill(l.table, feature);
  // While a loader thread has the instance, the tooltip makes do without the plugin.
  if (l.vtable && l.vtable->describe_feature && l.work != LayerWork::Loading) {
    char text[4096] = {0};
    char err[kErrSize] = {0};
    if (l.vtable->describe_feature(l.instance, feature, row.fields.data(), row.values.data(),
                                   static_cast<uint32_t>(row.values.size()), text, sizeof text, err,
                                   sizeof err) == BCMAP_OK) {
      if (*text) return text;
    } else if (describeWarned_.insert(l.key).second) {
      // Once per layer: a tooltip is asked for on every hover.
      logWarning("layer " + l.id + ": describe_feature(" + std::to_string(feature) + ") failed: " + err +
                 "; tooltips show the attributes instead");
    }
  }
  std::string out;
  for (size_t k = 0; k < row.fields.size(); ++k) {
    if (!out.empty()) out += '\n';
    out += std::string(row.fields[k].name) + ": " + row.text[k];
  }
  return out;
}

// ---- 6. settings, extent, order ------------------------------------------------------------
bool LayerStore::setSetting(Layer& l, const std::string& key, const std::string& value, std::string* err) {
  for (LayerSetting& s : l.settings) {
    if (s.key != key) continue;
    s.value = value;
    if (l.busy()) {
      l.loadAgain = true;  // the value reaches the plugin with the load after the current one
      return true;
    }
    if (s.reload) {
      load(l);
    } else if (l.vtable && l.instance) {
      char e[kErrSize] = {0};
      if (l.vtable->update(l.instance, key.c_str(), value.c_str(), e, sizeof e) != BCMAP_OK) {
        if (err) *err = "layer " + l.id + ": update(" + key + ") failed: " + e;
        return false;
      }
      load(l);  // style may depend on it; loading is cheap for non-reload settings' layers
    }
    return l.status == LayerStatus::Loaded;
  }
  if (err) *err = "layer " + l.id + " has no setting '" + key + "'";
  return false;
}

bool LayerStore::setSettingAsync(Layer& l, const std::string& key, const std::string& value, std::string* err) {
  for (LayerSetting& s : l.settings) {
    if (s.key != key) continue;
    s.value = value;
    // loadAsync() calls update() with every value before load(), on the loader thread.
    if (l.status != LayerStatus::Pending) loadAsync(l);
    return true;
  }
  if (err) *err = "layer " + l.id + " has no setting '" + key + "'";
  return false;
}

Bounds LayerStore::extent(const std::string& displayCrs, bool visibleOnly) {
  Bounds b;
  for (auto& l : layers_) {
    if (l->status != LayerStatus::Loaded || (visibleOnly && !l->visible)) continue;
    if (auto p = prepare(*l, displayCrs, nullptr)) b.add(p->bounds);
  }
  return b;
}

Bounds growBounds(Bounds b, double fraction) {
  if (b.empty()) return b;
  const double gx = b.width() * fraction, gy = b.height() * fraction;
  b.minX -= gx, b.maxX += gx, b.minY -= gy, b.maxY += gy;
  return b;
}

Bounds LayerStore::homeBounds(const std::string& displayCrs) {
  const Bounds data = extent(displayCrs);
  if (!data.empty() && data.width() > 0 && data.height() > 0) return growBounds(data);
  // Baicheng's lon/lat box (the five counties with a little room).
  Bounds baicheng;
  baicheng.add(121.6, 44.1);
  baicheng.add(124.6, 46.4);
  auto tr = Transformer::create(kLonLatCrs, displayCrs, nullptr);
  std::optional<Bounds> home = tr ? tr->transformBounds(baicheng) : std::nullopt;
  if (!home) return data;
  if (data.empty()) return *home;
  const Vec2 c{(data.minX + data.maxX) / 2, (data.minY + data.maxY) / 2};
  return Bounds{c.x - home->width() / 2, c.y - home->height() / 2, c.x + home->width() / 2, c.y + home->height() / 2};
}

Layer* LayerStore::find(const std::string& id) {
  for (auto& l : layers_)
    if (l->id == id) return l.get();
  return nullptr;
}

void LayerStore::move(size_t from, size_t to) {
  if (from >= layers_.size() || to >= layers_.size() || from == to) return;
  auto l = std::move(layers_[from]);
  layers_.erase(layers_.begin() + static_cast<std::ptrdiff_t>(from));
  layers_.insert(layers_.begin() + static_cast<std::ptrdiff_t>(to), std::move(l));
}

}  // namespace bcmap
