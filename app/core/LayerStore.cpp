// Sections: 1. plugin calls  2. the loader the plugin sees  3. loading  4. preparing
// for a display CRS  5. identify  6. settings, extent, order
#include "core/LayerStore.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "core/Log.h"
#include "core/NetworkGuard.h"
#include "core/Projection.h"
#include "core/Triangulate.h"
#include "core/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap {

const char* layerStatusName(LayerStatus s) {
  switch (s) {
    case LayerStatus::Pending: return "pending";
    case LayerStatus::Loaded: return "loaded";
    case LayerStatus::Failed: return "failed";
  }
  return "?";
}

namespace {

constexpr size_t kErrSize = 1024;

std::string str(const char* s) { return s ? s : ""; }

GeometryKind toKind(uint32_t k) {
  return k <= BCMAP_GEOM_POLYGON ? static_cast<GeometryKind>(k) : GeometryKind::None;
}

// ---- 2. the loader the plugin sees ------------------------------------------------------
struct LoadContext {
  Layer* layer = nullptr;
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

// ---- 1. plugin calls --------------------------------------------------------------------
LayerStore::LayerStore(std::string dataDir) : dataDir_(std::move(dataDir)) {}

LayerStore::~LayerStore() {
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

Layer& LayerStore::createInstanceLayer(PluginModule& mod) {
  auto layer = std::make_unique<Layer>();
  Layer& l = *layer;
  l.pluginPath = mod.path;
  l.id = mod.fileName;
  if (!mod.ok()) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": " + mod.error;
    l.refused = true;
    l.id = uniqueId(mod.fileName);
    layers_.push_back(std::move(layer));
    return l;
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
    l.attribution = str(info.attribution);
  }
  // Settings are declared once; their values live in the host (and later the session).
  if (l.status != LayerStatus::Failed && mod.vtable->settings) {
    const bcmap_setting_v1* s = nullptr;
    uint32_t n = 0;
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
  layers_.push_back(std::move(layer));
  return l;
}

void LayerStore::addPluginLayers(PluginHost& host) {
  for (const auto& m : host.modules()) {
    if (m->ok() && m->fileName == "bcmap_vector_file.so") continue;
    Layer& l = createInstanceLayer(*m);
    if (l.status == LayerStatus::Failed) {
      logWarning("plugin " + l.error);
      continue;
    }
    // Two plugins claiming one id: the second is refused, named with both files.
    for (const auto& other : layers_)
      if (other.get() != &l && other->id == l.id && other->status != LayerStatus::Failed) {
        l.status = LayerStatus::Failed;
        l.refused = true;
        l.error = m->fileName + ": layer id '" + l.id + "' is already used by " +
                  fs::path(other->pluginPath).filename().string();
        l.id = uniqueId(l.id);
        logWarning("plugin " + l.error);
        break;
      }
  }
}

Layer& LayerStore::addFileLayer(PluginHost& host, const std::string& path, bool gcj02) {
  PluginModule* mod = host.findByFileName("bcmap_vector_file.so");
  if (!mod) {
    auto layer = std::make_unique<Layer>();
    layer->id = uniqueId(fs::path(path).filename().string());
    layer->nameZh = layer->nameEn = fs::path(path).filename().string();
    layer->status = LayerStatus::Failed;
    layer->error = path + ": the vector_file plugin (bcmap_vector_file.so) is not available";
    layer->isFileLayer = true;
    layers_.push_back(std::move(layer));
    return *layers_.back();
  }
  Layer& l = createInstanceLayer(*mod);
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

// ---- 3. loading -------------------------------------------------------------------------
void LayerStore::load(Layer& l) {
  if (l.refused || !l.vtable || !l.instance) return;  // failed before loading: keeps its reason
  char err[kErrSize] = {0};
  auto failWith = [&](const std::string& what) {
    l.status = LayerStatus::Failed;
    l.error = what;
    l.table = FeatureTable{};
    l.prepared.clear();
    l.lonLatIndex.reset();
    logError("layer " + l.id + ": " + what);
  };
  l.status = LayerStatus::Pending;
  l.error.clear();
  l.table = FeatureTable{};
  l.prepared.clear();
  l.lonLatIndex.reset();
  ++l.generation;

  for (const LayerSetting& s : l.settings) {
    err[0] = 0;
    if (l.vtable->update && l.vtable->update(l.instance, s.key.c_str(), s.value.c_str(), err, sizeof err) != BCMAP_OK)
      return failWith("update(" + s.key + ") failed: " + err);
  }

  // The declared kind is what the data must be; vector_file declares none and takes the file's.
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  if (l.vtable->describe(l.instance, &info, err, sizeof err) == BCMAP_OK) l.kind = toKind(info.geometry_kind);

  LoadContext ctx;
  ctx.layer = &l;
  ctx.dataDir = &dataDir_;
  bcmap_loader_v1 loader{};
  loader.struct_size = sizeof loader;
  loader.ctx = &ctx;
  loader.declare_fields = &declareFields;
  loader.emit_batch = &emitBatch;
  loader.read_vector = &readVectorService;
  loader.log = &loaderLog;
  loader.data_dir = dataDir_.c_str();
  loader.read_vector_rows = &readVectorRows;
  err[0] = 0;
  const bcmap_status st = l.vtable->load(l.instance, &loader, err, sizeof err);
  if (st != BCMAP_OK) return failWith(std::string("load failed: ") + (*err ? err : ctx.error.c_str()));
  if (!ctx.error.empty()) return failWith(ctx.error);
  if (!ctx.dataCrs.empty()) l.sourceCrs = ctx.dataCrs;
  if (l.sourceCrs.empty()) l.sourceCrs = "EPSG:4326";
  if (l.kind == GeometryKind::None && l.table.featureCount() > 0)
    return failWith("the layer declared no geometry kind and gave features without one");

  // Style: declared once, evaluated over whole columns here.
  bcmap_style_v1 style{};
  style.struct_size = sizeof style;
  err[0] = 0;
  if (l.vtable->style(l.instance, &style, err, sizeof err) != BCMAP_OK) return failWith(std::string("style failed: ") + err);
  std::string e;
  if (!copyStyle(style, l.style, &e)) return failWith(e);
  if (!evaluateFill(l.style, l.table, l.fill, &e)) return failWith(e);
  l.opacity = l.style.opacity;
  l.pointSizePx.assign(l.table.featureCount(), l.style.pointSizePx);
  if (l.vtable->style_feature) {
    ValueRow row;
    for (size_t f = 0; f < l.table.featureCount(); ++f) {
      row.fill(l.table, f);
      bcmap_feature_style_v1 fs{};
      fs.struct_size = sizeof fs;
      if (l.vtable->style_feature(l.instance, f, row.values.data(), static_cast<uint32_t>(row.values.size()), &fs, err,
                                  sizeof err) != BCMAP_OK)
        return failWith("style_feature(" + std::to_string(f) + ") failed: " + err);
      if (fs.has_fill) l.fill[f] = toRgba(fs.fill);
      if (fs.has_size) {
        if (!std::isfinite(fs.point_size_px) || fs.point_size_px < 0 || fs.point_size_px > 200)
          return failWith("style_feature(" + std::to_string(f) + ") gave point size " +
                          std::to_string(fs.point_size_px));
        l.pointSizePx[f] = fs.point_size_px;
      }
    }
  }
  l.legend.clear();
  if (l.vtable->legend) {
    const bcmap_legend_entry_v1* entries = nullptr;
    uint32_t n = 0;
    if (l.vtable->legend(l.instance, &entries, &n, err, sizeof err) == BCMAP_OK && (entries || n == 0)) {
      for (uint32_t i = 0; i < n; ++i)
        l.legend.push_back({str(entries[i].label), toRgba(entries[i].fill), toRgba(entries[i].stroke),
                            toKind(entries[i].geometry_kind)});
    } else {
      logWarning("layer " + l.id + ": legend() failed: " + err);
    }
  }
  l.status = LayerStatus::Loaded;
}

void LayerStore::loadAll() {
  for (auto& l : layers_)
    load(*l);
}

// ---- 4. preparing for a display CRS --------------------------------------------------------
std::shared_ptr<const PreparedLayer> LayerStore::prepare(Layer& l, const std::string& displayCrs, std::string* err) {
  if (l.status != LayerStatus::Loaded) {
    if (err) *err = "layer " + l.id + " is not loaded";
    return nullptr;
  }
  if (auto it = l.prepared.find(displayCrs); it != l.prepared.end()) return it->second;
  std::string e;
  std::optional<Transformer> tr = Transformer::create(l.sourceCrs, displayCrs, &e);
  if (!tr) {
    if (err) *err = "layer " + l.id + ": cannot project " + l.sourceCrs + " to " + displayCrs + ": " + e;
    return nullptr;
  }
  auto p = std::make_shared<PreparedLayer>();
  p->layerId = l.id;
  p->displayCrs = displayCrs;
  p->kind = l.kind;
  p->geometry = l.table.geometry;
  tr->transform(p->geometry.xy);
  p->bounds = p->geometry.bounds();
  if (l.kind == GeometryKind::Polygon) triangulateColumn(p->geometry, p->triangles, p->featureTriangles);
  p->fill = l.fill;
  p->pointSizePx = l.pointSizePx;
  p->stroke = l.style.stroke;
  p->strokeWidthPx = l.style.strokeWidthPx;
  p->pointSymbol = l.style.pointSymbol;
  p->lineMarkers = l.style.lineMarkers;
  p->lineEndMarkerPx = l.style.lineEndMarkerPx;
  p->startDay = l.table.startDay;
  p->endDay = l.table.endDay;
  // Unique per prepared form, so the renderer re-uploads after a reload or a CRS change.
  static std::atomic<uint64_t> preparedCount{0};
  p->generation = ++preparedCount;

  // Labels: the layer's label field; anchors from label_lon/label_lat when the data has
  // them (the counties do: a pole of inaccessibility computed at set-up), else the
  // feature's own point or the centre of its box.
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

// Metres per degree in a local equirectangular frame at `lat` (WGS 84 radii of curvature);
// good to well under 1 % over the few hundred metres identify looks at.
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

}  // namespace

std::vector<IdentifyHit> LayerStore::identify(Vec2 q, double radiusM, const std::vector<std::string>& layerIds) {
  std::vector<IdentifyHit> hits;
  double mx = 0, my = 0;
  metresPerDegree(q.y, mx, my);
  Bounds box;
  box.add(q.x - radiusM / mx, q.y - radiusM / my);
  box.add(q.x + radiusM / mx, q.y + radiusM / my);
  std::vector<uint32_t> candidates;
  // Topmost first: the last layer in the list draws on top.
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    Layer& l = **it;
    if (l.status != LayerStatus::Loaded) continue;
    if (!layerIds.empty() && std::find(layerIds.begin(), layerIds.end(), l.id) == layerIds.end()) continue;
    std::string e;
    auto p = prepare(l, "EPSG:4326", &e);
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
    const Bounds query = l.kind == GeometryKind::Polygon ? Bounds{q.x, q.y, q.x, q.y} : box;
    l.lonLatIndex->query(query, candidates);
    for (uint32_t f : candidates) {
      double dist = -1;
      if (l.kind == GeometryKind::Polygon) {
        for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
          if (partContains(g, part, q)) dist = 0;
      } else {
        // Distances in a local metric frame around the query point.
        double best = INFINITY;
        for (uint32_t r = g.partRings[g.featureParts[f]]; r < g.partRings[g.featureParts[f + 1]]; ++r) {
          const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
          auto local = [&](Vec2 v) { return Vec2{(v.x - q.x) * mx, (v.y - q.y) * my}; };
          if (l.kind == GeometryKind::Point || v1 - v0 == 1) {
            for (uint32_t v = v0; v < v1; ++v) {
              const double d = l.kind == GeometryKind::Point ? geodesicDistanceM(q, g.xy[v])
                                                             : std::hypot(local(g.xy[v]).x, local(g.xy[v]).y);
              best = std::min(best, d);
            }
          } else {
            for (uint32_t v = v0; v + 1 < v1; ++v)
              best = std::min(best, segmentDistance({0, 0}, local(g.xy[v]), local(g.xy[v + 1])));
          }
        }
        if (best <= radiusM) dist = best;
      }
      if (dist < 0) continue;
      IdentifyHit h;
      h.layerId = l.id;
      h.feature = f;
      h.featureId = l.table.featureId(f);
      h.distanceM = dist;
      for (const AttributeColumn& c : l.table.columns) h.attributes.emplace_back(c.name, c.text(f));
      hits.push_back(std::move(h));
    }
  }
  // Within a layer, nearest first (stable keeps layer order).
  std::stable_sort(hits.begin(), hits.end(), [&](const IdentifyHit& a, const IdentifyHit& b) {
    return a.layerId == b.layerId && a.distanceM < b.distanceM;
  });
  return hits;
}

std::string LayerStore::describeFeature(Layer& l, size_t feature) {
  if (feature >= l.table.featureCount()) return {};
  ValueRow row;
  row.fill(l.table, feature);
  if (l.vtable && l.vtable->describe_feature) {
    char text[4096] = {0};
    char err[kErrSize] = {0};
    if (l.vtable->describe_feature(l.instance, feature, row.fields.data(), row.values.data(),
                                   static_cast<uint32_t>(row.values.size()), text, sizeof text, err,
                                   sizeof err) == BCMAP_OK &&
        *text)
      return text;
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
