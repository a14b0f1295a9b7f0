// Sections: 0. struct sizes  1. the loader the plugin sees (the services of bcmap_loader_v1)
// 2. a load (runLoad)  3. before a load: create, describe, settings
#include "host/PluginServices.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "host/DerivedData.h"
#include "io/NetworkGuard.h"
#include "io/TableCache.h"
#include "io/VectorReader.h"
#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

// ---- 0. struct sizes -------------------------------------------------------------------------
std::string structSizeError(const std::string& pluginFile, const char* structName, uint32_t structSize,
                            uint32_t size10) {
  if (structSize >= size10) return {};
  return "plugin " + pluginFile + ": " + structName + ".struct_size is " + std::to_string(structSize) +
         ", smaller than its 1.0 size " + std::to_string(size10);
}

std::string callbackFailed(const std::string& who, const char* callback, const std::string& what,
                           const std::string& where) {
  std::string m = who + ": " + callback + " failed: " + (what.empty() ? "no reason given" : what);
  if (!where.empty()) m += " (" + where + ")";
  return m;
}

std::string settingNamed(const std::string& what, const std::string& key) {
  // The SDK's typed settings say "setting 'key': ..." themselves.
  return what.find("'" + key + "'") == std::string::npos ? "setting " + key : std::string();
}

GeometryKind geometryKindOf(uint32_t k) {
  return k <= BCMAP_GEOM_POLYGON ? static_cast<GeometryKind>(k) : GeometryKind::None;
}

void ValueRow::fill(const FeatureTable& t, size_t row) {
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

namespace {

std::string str(const char* s) { return s ? s : ""; }

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
  const std::string* pluginFile = nullptr;  // for messages
  std::string error;  // first error, reported after load() returns
  bool fieldsDeclared = false;
  std::string dataCrs;
  std::vector<std::string> filesRead;  // what read_vector / read_vector_rows read (LoadOutput)
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
    if (std::string e = structSizeError(*c.pluginFile, "bcmap_field_v1", f.struct_size, abi10::kField); !e.empty()) {
      c.error = e;
      return BCMAP_ERROR;
    }
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
  if (!b) {
    c.error = "emit_batch: no batch";
    return BCMAP_ERROR;
  }
  if (std::string e = structSizeError(*c.pluginFile, "bcmap_batch_v1", b->struct_size, abi10::kBatch); !e.empty()) {
    c.error = e;
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
  // Every value is checked before the first feature is taken, so a refused batch adds none.
  for (size_t k = 0; b->values && k < static_cast<size_t>(b->feature_count) * nFields; ++k)
    if (std::string e = structSizeError(*c.pluginFile, "bcmap_value_v1", b->values[k].struct_size, abi10::kValue);
        !e.empty()) {
      c.error = e;
      return BCMAP_ERROR;
    }
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
        case FieldType::String: col.appendString(isNull ? std::string_view() : std::string_view(val.str_value)); break;
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

// Empty when the request and each entry of its field map are at least their 1.0 size.
std::string requestSizeError(const std::string& pluginFile, const bcmap_vector_request_v1& req) {
  std::string e = structSizeError(pluginFile, "bcmap_vector_request_v1", req.struct_size, abi10::kVectorRequest);
  for (uint32_t i = 0; e.empty() && i < req.field_map_count && req.field_map; ++i)
    e = structSizeError(pluginFile, "bcmap_field_map_v1", req.field_map[i].struct_size, abi10::kFieldMap);
  return e;
}

// Makes VectorReadOptions from a plugin's request (relative paths: the data folder).
VectorReadOptions toReadOptions(const bcmap_vector_request_v1& req, const std::string& dataDir) {
  VectorReadOptions o;
  fs::path p(req.path);
  // A database source (PG:..., postgresql://...) is no path: kept as given, unless a file of
  // that name is in the data folder.
  const bool asGiven = p.is_absolute() || isRemotePath(req.path) || isDbSource(req.path, dataDir);
  o.path = asGiven ? p.string() : (fs::path(dataDir) / p).string();
  o.layerName = str(req.layer_name);
  o.attributeFilter = str(req.attribute_filter);
  for (uint32_t i = 0; i < req.field_map_count && req.field_map; ++i)
    o.fieldMap.emplace_back(str(req.field_map[i].layer_field), str(req.field_map[i].source_field));
  o.sourceCrs = str(req.source_crs);
  o.gcj02 = req.gcj02 != 0;
  o.startField = str(req.start_field);
  o.endField = str(req.end_field);
  o.idField = str(req.id_field);
  // ABI 1.4; a 1.3 plugin's request ends before it.
  o.detectTime = req.struct_size >= offsetof(bcmap_vector_request_v1, detect_time) + sizeof req.detect_time &&
                 req.detect_time != 0;
  return o;
}

bcmap_status readVectorService(void* ctx, const bcmap_vector_request_v1* req, char* err, size_t errSize) {
  LoadContext& c = *ctxOf(ctx);
  auto fail = [&](const std::string& m) {
    if (err && errSize) std::snprintf(err, errSize, "%s", m.c_str());
    if (c.error.empty()) c.error = m;
    return BCMAP_ERROR;
  };
  if (!req) return fail("read_vector: no request given");
  if (std::string e = requestSizeError(*c.pluginFile, *req); !e.empty()) return fail(e);
  if (!req->path || !*req->path) return fail("read_vector: no path given");
  VectorReadOptions o = toReadOptions(*req, *c.dataDir);
  o.expectKind = c.layer->kind;
  std::string e;
  std::optional<VectorReadResult> r = readVectorCached(o, &e);
  if (!r && o.detectTime) {
    // A field found by its name may hold text that is no date: then the source has no
    // time found for it, and is read as it is (ReadPlan.h: detectTimeFields).
    VectorReadOptions plain = o;
    plain.detectTime = false;
    std::string e2;
    r = readVectorCached(plain, &e2);
  }
  if (!r) return fail(derivedDataError(o.path, *c.dataDir, e));
  if (c.layer->table.featureCount() > 0 || c.fieldsDeclared)
    return fail("read_vector: the layer already has features; call it once per load");
  c.filesRead.push_back(o.path);
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
  if (!req) return fail("read_vector_rows: no request given");
  if (std::string e = requestSizeError(*c.pluginFile, *req); !e.empty()) return fail(e);
  if (!req->path || !*req->path) return fail("read_vector_rows: no path given");
  if (!onBatch) return fail("read_vector_rows: no callback given");
  std::string e;
  const VectorReadOptions o = toReadOptions(*req, *c.dataDir);
  std::optional<VectorReadResult> r = readVectorCached(o, &e);
  if (!r) return fail(derivedDataError(o.path, *c.dataDir, e));
  c.filesRead.push_back(o.path);
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

LoadOutput failedLoad(std::string what) {
  LoadOutput out;
  out.error = std::move(what);
  return out;
}

}  // namespace

LoadInput loadInputOf(const Layer& l) {
  const std::string file = l.module ? l.module->fileName : fs::path(l.pluginPath).filename().string();
  const std::string dir = l.module ? l.module->pluginDir : fs::path(l.pluginPath).parent_path().string();
  return {l.id, l.vtable, l.instance, l.settings, l.kind, l.sourceCrs, file, dir};
}

// ---- 2. a load ---------------------------------------------------------------------------
LoadOutput runLoad(const LoadInput& in, const std::string& dataDir) {
  char err[kPluginErrSize] = {0};
  const bcmap_plugin_v1& vt = *in.vtable;
  for (const LayerSetting& s : in.settings) {
    err[0] = 0;
    if (vt.update && vt.update(in.instance, s.key.c_str(), s.value.c_str(), err, sizeof err) != BCMAP_OK)
      return failedLoad(callbackFailed(in.layerId, "update", err, settingNamed(err, s.key)));
  }

  LoadTarget target;
  target.id = in.layerId;
  target.kind = in.kind;
  // The declared kind is what the data must be; vector_file declares none and takes the file's.
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  err[0] = 0;
  if (vt.describe(in.instance, &info, err, sizeof err) == BCMAP_OK) {
    if (std::string e = structSizeError(in.pluginFile, "bcmap_layer_info_v1", info.struct_size, abi10::kLayerInfo);
        !e.empty())
      return failedLoad(e);
    target.kind = geometryKindOf(info.geometry_kind);
  }

  LoadContext ctx;
  ctx.layer = &target;
  ctx.dataDir = &dataDir;
  ctx.pluginFile = &in.pluginFile;
  bcmap_loader_v1 loader{};
  loader.struct_size = sizeof loader;
  loader.ctx = &ctx;
  loader.declare_fields = &declareFields;
  loader.emit_batch = &emitBatch;
  loader.read_vector = &readVectorService;
  loader.log = &loaderLog;
  loader.data_dir = dataDir.c_str();
  loader.read_vector_rows = &readVectorRows;
  loader.plugin_dir = in.pluginDir.c_str();
  err[0] = 0;
  const bcmap_status st = vt.load(in.instance, &loader, err, sizeof err);
  if (st != BCMAP_OK) {
    // The plugin's message, and the host's reason where the plugin's does not carry it (the
    // SDK glue reports a refused emit_batch as just that).
    std::string why = *err ? err : ctx.error;
    if (*err && !ctx.error.empty() && why.find(ctx.error) == std::string::npos) why += " (" + ctx.error + ")";
    return failedLoad(callbackFailed(in.layerId, "load", why));
  }
  if (!ctx.error.empty()) return failedLoad(ctx.error);
  LoadOutput out;
  out.sourceCrs = ctx.dataCrs.empty() ? in.sourceCrs : ctx.dataCrs;
  out.inputFiles = std::move(ctx.filesRead);
  if (out.sourceCrs.empty()) out.sourceCrs = "EPSG:4326";
  // Issue 12: features without geometry and no kind make a table layer (attributes only,
  // nothing drawn), as QGIS opens a .dbf alone. Coordinates without a kind cannot be drawn.
  if (target.kind == GeometryKind::None && !target.table.geometry.xy.empty())
    return failedLoad("the layer declared no geometry kind but gave features with coordinates (declare "
                      "BCMAP_GEOM_POINT, BCMAP_GEOM_LINE or BCMAP_GEOM_POLYGON in describe)");

  // Style: declared once, evaluated over whole columns here.
  bcmap_style_v1 style{};
  style.struct_size = sizeof style;
  err[0] = 0;
  if (vt.style(in.instance, &style, err, sizeof err) != BCMAP_OK) return failedLoad(callbackFailed(in.layerId, "style", err));
  std::string e = structSizeError(in.pluginFile, "bcmap_style_v1", style.struct_size, abi10::kStyle);
  for (uint32_t i = 0; e.empty() && style.categories && i < style.category_count; ++i)
    e = structSizeError(in.pluginFile, "bcmap_category_v1", style.categories[i].struct_size, abi10::kCategory);
  for (uint32_t i = 0; e.empty() && style.classes && i < style.class_count; ++i)
    e = structSizeError(in.pluginFile, "bcmap_class_v1", style.classes[i].struct_size, abi10::kClass);
  if (!e.empty()) return failedLoad(e);
  if (!copyStyle(style, out.style, &e)) return failedLoad(e);
  if (!checkStyleFields(out.style, target.table, &e)) return failedLoad(e);
  if (!evaluateFill(out.style, target.table, out.fill, &e)) return failedLoad(e);
  if (!evaluatePointSize(out.style, target.table, out.pointSizePx, &e)) return failedLoad(e);
  if (vt.style_feature) {
    ValueRow row;
    for (size_t f = 0; f < target.table.featureCount(); ++f) {
      row.fill(target.table, f);
      bcmap_feature_style_v1 fs{};
      fs.struct_size = sizeof fs;
      err[0] = 0;
      if (vt.style_feature(in.instance, f, row.values.data(), static_cast<uint32_t>(row.values.size()), &fs, err,
                           sizeof err) != BCMAP_OK)
        return failedLoad(callbackFailed(in.layerId, "style_feature", err, "feature " + std::to_string(f)));
      if (std::string se = structSizeError(in.pluginFile, "bcmap_feature_style_v1", fs.struct_size,
                                           abi10::kFeatureStyle);
          !se.empty())
        return failedLoad(se);
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
      // The first element's size is checked before it sets the stride of the rest; a size no
      // compiler lays out (not a multiple of the struct's alignment) is refused, as the
      // elements after the first would be read misaligned.
      const uint32_t firstSize = n ? entries[0].struct_size : 0;
      if (n && firstSize >= abi10::kLegendEntry && firstSize < sizeof(bcmap_legend_entry_v1) &&
          firstSize % alignof(bcmap_legend_entry_v1) != 0)
        return failedLoad("plugin " + in.pluginFile + ": bcmap_legend_entry_v1.struct_size is " +
                          std::to_string(firstSize) + ", not a multiple of its alignment " +
                          std::to_string(alignof(bcmap_legend_entry_v1)));
      const size_t stride = std::min<size_t>(firstSize, sizeof(bcmap_legend_entry_v1));
      for (uint32_t i = 0; i < n; ++i) {
        const bcmap_legend_entry_v1& raw = i == 0 ? entries[0] : abiElement(entries, i);
        if (std::string le = structSizeError(in.pluginFile, "bcmap_legend_entry_v1", raw.struct_size,
                                             abi10::kLegendEntry);
            !le.empty())
          return failedLoad(le);
        // An entry is read no further than the stride: one that claims more than the first
        // (a 1.3 size in a 1.0 array) would read into the next entry, or past the last.
        bcmap_legend_entry_v1 entry{};
        const size_t bytes = std::min<size_t>(raw.struct_size, stride);
        std::memcpy(&entry, &raw, bytes);
        entry.struct_size = static_cast<uint32_t>(bytes);
        out.legend.push_back(legendEntryFrom(entry));
      }
    } else {
      logWarning(callbackFailed(in.layerId, "legend", err) + "; the layer is shown without a legend");
    }
  }
  out.table = std::move(target.table);
  out.kind = target.kind;
  // Features that came through emit_batch carry no kind of their own; the triangulator
  // fills only columns marked as polygons.
  out.table.geometry.kind = out.kind;
  return out;
}

// ---- 3. before a load: create, attach, describe, settings ---------------------------------
bool hasAttach(const bcmap_plugin_v1& vt) {
  return vt.struct_size >= offsetof(bcmap_plugin_v1, attach) + sizeof(vt.attach) && vt.attach;
}

std::string attachInstance(const bcmap_plugin_v1& vt, void* instance, const std::string& pluginDir,
                           const std::string& dataDir) {
  if (!hasAttach(vt)) return {};
  bcmap_host_context_v1 context{};
  context.struct_size = sizeof context;
  context.host_abi_major = BCMAP_ABI_MAJOR;
  context.host_abi_minor = BCMAP_ABI_MINOR;
  context.plugin_dir = pluginDir.c_str();
  context.data_dir = dataDir.c_str();
  char err[kPluginErrSize] = {0};
  if (vt.attach(instance, &context, err, sizeof err) == BCMAP_OK) return {};
  return *err ? err : "no reason given";
}

void initFromModule(Layer& l, const std::shared_ptr<PluginModule>& modPtr, const std::string& dataDirIn) {
  const PluginModule& mod = *modPtr;
  l.pluginPath = mod.path;
  l.module = modPtr;
  l.id = mod.fileName;
  if (!mod.ok()) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": " + mod.error;
    l.refused = true;
    // Refused before describe(): what plugin.json says is all there is to show.
    if (mod.metadata) {
      l.pluginId = mod.metadata->id;
      l.nameZh = mod.metadata->nameZh;
      l.nameEn = mod.metadata->nameEn;
      l.version = mod.metadata->version;
    }
    return;
  }
  l.vtable = mod.vtable;
  l.instance = mod.vtable->create();
  char err[kPluginErrSize] = {0};
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  const std::string dataDir = dataDirIn.empty() ? PluginHost::defaultDataDir() : dataDirIn;
  if (!l.instance) {
    l.status = LayerStatus::Failed;
    // The wrapper turns a constructor that throws into NULL: no message crosses the ABI.
    l.error = callbackFailed(mod.fileName, "create", "no instance (create() returned NULL; a C++ layer's constructor threw)");
  } else if (std::string why = attachInstance(*mod.vtable, l.instance, mod.pluginDir, dataDir); !why.empty()) {
    // Before describe(): the layer has no id yet, so the file names it.
    l.status = LayerStatus::Failed;
    l.error = callbackFailed(mod.fileName, "attach", why);
  } else if (mod.vtable->describe(l.instance, &info, err, sizeof err) != BCMAP_OK) {
    l.status = LayerStatus::Failed;
    l.error = callbackFailed(mod.fileName, "describe", err);
  } else if (std::string e = structSizeError(mod.fileName, "bcmap_layer_info_v1", info.struct_size, abi10::kLayerInfo);
             !e.empty()) {
    l.status = LayerStatus::Failed;
    l.error = e;
  } else if (!info.id || !*info.id) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": describe() gave no layer id";
  } else if (std::string mismatch = mod.metadata ? metadataMismatch(*mod.metadata, info.id, str(info.name_zh),
                                                                    str(info.name_en))
                                                 : std::string();
             !mismatch.empty()) {
    l.status = LayerStatus::Failed;
    l.error = mod.fileName + ": " + mismatch;
  } else {
    l.pluginId = info.id;
    l.id = info.id;
    l.nameZh = str(info.name_zh);
    l.nameEn = str(info.name_en);
    l.version = str(info.version);
    l.kind = geometryKindOf(info.geometry_kind);
    l.sourceCrs = str(info.source_crs);
    l.hasTime = info.has_time != 0;
    l.isSample = info.is_sample != 0;
    // ABI 1.1: a 1.0 plugin's struct_size ends before it; such a layer is shown.
    l.hiddenByDefault = info.struct_size >= offsetof(bcmap_layer_info_v1, hidden_by_default) +
                                                sizeof info.hidden_by_default &&
                        info.hidden_by_default != 0;
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
        if (std::string e = structSizeError(mod.fileName, "bcmap_setting_v1", s[i].struct_size, abi10::kSetting);
            !e.empty()) {
          l.status = LayerStatus::Failed;
          l.error = e;
          l.settings.clear();
          break;
        }
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
      l.error = callbackFailed(l.id, "settings", err);
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

}  // namespace bcmap
