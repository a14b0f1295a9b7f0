// Sections: 1. coordinates in WGS 84  2. GeoJSON  3. CSV  4. files
#include "host/FeatureExport.h"

#include <sys/stat.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <fstream>
#include <system_error>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginMetadata.h"
#include "io/AtomicFile.h"
#include "io/Projection.h"

namespace bcmap {

const char* exportFormatExtension(ExportFormat f) {
  switch (f) {
    case ExportFormat::GeoJson: return "geojson";
    case ExportFormat::Csv: return "csv";
    case ExportFormat::Invalid: break;
  }
  return "";
}

namespace {

// ---- 1. coordinates in WGS 84 -------------------------------------------------------------------
// The features' vertices transformed to lon/lat, with each feature's place in them.
struct LonLatFeatures {
  std::vector<size_t> features;  // the valid ones, in the order asked
  std::vector<Vec2> xy;          // their vertices, feature after feature
  std::vector<size_t> start;     // feature k's vertices begin at xy[start[k]]; one past the last
  std::vector<uint8_t> valid;    // every vertex of feature k transformed
};

uint32_t firstVertex(const GeometryColumn& g, size_t f) { return g.ringVertices[g.partRings[g.featureParts[f]]]; }

std::optional<LonLatFeatures> toLonLat(const Layer& layer, const std::vector<size_t>& features, std::string* err) {
  std::string e;
  std::optional<Transformer> tr = Transformer::create(layer.sourceCrs, kLonLatCrs, &e);
  if (!tr) {
    if (err) *err = "layer " + layer.id + ": cannot transform " + layer.sourceCrs + " to WGS 84: " + e;
    return std::nullopt;
  }
  const GeometryColumn& g = layer.table.geometry;
  LonLatFeatures out;
  for (size_t f : features) {
    if (f >= layer.table.featureCount()) continue;
    out.features.push_back(f);
    out.start.push_back(out.xy.size());
    out.xy.insert(out.xy.end(), g.xy.begin() + firstVertex(g, f), g.xy.begin() + firstVertex(g, f + 1));
  }
  out.start.push_back(out.xy.size());
  tr->transform(out.xy);
  for (size_t k = 0; k < out.features.size(); ++k) {
    bool ok = true;
    for (size_t v = out.start[k]; v < out.start[k + 1]; ++v) ok = ok && std::isfinite(out.xy[v].x) && std::isfinite(out.xy[v].y);
    out.valid.push_back(ok);
  }
  return out;
}

// A coordinate with 7 decimals (1e-7 degree is about 1 cm), trailing zeros dropped.
void appendCoordinate(std::string& out, double v) {
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%.7f", v);
  while (n > 1 && buf[n - 1] == '0') --n;
  if (n > 1 && buf[n - 1] == '.') --n;
  if (n == 2 && buf[0] == '-' && buf[1] == '0') {  // no "-0"
    buf[0] = '0';
    n = 1;
  }
  out.append(buf, static_cast<size_t>(n));
}

// Twice the signed area of a ring (positive: counter-clockwise with y north).
double signedArea2(const Vec2* p, size_t n) {
  double a = 0;
  for (size_t i = 0, j = n - 1; i < n; j = i++) a += (p[j].x - p[i].x) * (p[j].y + p[i].y);
  return a;
}

// Walks feature k's geometry in lon/lat: ring(part, ringInPart, first vertex, count, reverse).
// Rings of polygons are closed here (the first vertex repeated) when the data left them open.
template <typename RingFn>
void forEachRing(const Layer& layer, const LonLatFeatures& ll, size_t k, RingFn&& ring) {
  const GeometryColumn& g = layer.table.geometry;
  const size_t f = ll.features[k];
  const uint32_t base = firstVertex(g, f);
  for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
    for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
      const Vec2* p = ll.xy.data() + ll.start[k] + (g.ringVertices[r] - base);
      const size_t n = g.ringVertices[r + 1] - g.ringVertices[r];
      ring(part - g.featureParts[f], r - g.partRings[part], p, n);
    }
}

// ---- 2. GeoJSON -----------------------------------------------------------------------------
void appendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// The shortest text that reads back as the same double, with a decimal point or exponent
// always, so a reader that guesses types (GDAL does) keeps 3.0 a real and not an integer.
void appendReal(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
  if (std::string_view(buf, static_cast<size_t>(r.ptr - buf)).find_first_of(".e") == std::string_view::npos) out += ".0";
}

void appendJsonValue(std::string& out, const AttributeColumn& c, size_t row) {
  if (row >= c.size() || c.isNull[row]) {
    out += "null";
    return;
  }
  switch (c.type) {
    case FieldType::Integer: out += std::to_string(c.ints[row]); return;
    case FieldType::Real:
      // JSON has no NaN or infinity.
      if (std::isfinite(c.reals[row])) appendReal(out, c.reals[row]);
      else out += "null";
      return;
    case FieldType::String: appendJsonString(out, c.strings[row]); return;
    case FieldType::Date: appendJsonString(out, formatDate(static_cast<int32_t>(c.ints[row]))); return;
    case FieldType::Invalid: break;
  }
  out += "null";
}

void appendPosition(std::string& out, Vec2 p) {
  out += '[';
  appendCoordinate(out, p.x);
  out += ',';
  appendCoordinate(out, p.y);
  out += ']';
}

void appendGeoJsonGeometry(std::string& out, const Layer& layer, const LonLatFeatures& ll, size_t k) {
  const GeometryColumn& g = layer.table.geometry;
  const size_t f = ll.features[k];
  const size_t parts = g.featureParts[f + 1] - g.featureParts[f];
  if (parts == 0 || !ll.valid[k] || layer.kind == GeometryKind::None) {
    out += "null";
    return;
  }
  const bool multi = parts > 1;
  const char* type = layer.kind == GeometryKind::Point ? (multi ? "MultiPoint" : "Point")
                     : layer.kind == GeometryKind::Line ? (multi ? "MultiLineString" : "LineString")
                                                        : (multi ? "MultiPolygon" : "Polygon");
  out += "{\"type\":\"";
  out += type;
  out += "\",\"coordinates\":";
  if (multi) out += '[';
  forEachRing(layer, ll, k, [&](uint32_t part, uint32_t ringInPart, const Vec2* p, size_t n) {
    if (layer.kind == GeometryKind::Point) {
      if (part) out += ',';
      appendPosition(out, p[0]);
      return;
    }
    if (layer.kind == GeometryKind::Polygon) {
      if (ringInPart == 0) out += part ? ",[" : "[";
      else out += ',';
    } else if (part) {
      out += ',';
    }
    // RFC 7946 §3.1.6: outer rings counter-clockwise, holes clockwise.
    const bool polygon = layer.kind == GeometryKind::Polygon;
    const bool wantCcw = ringInPart == 0;
    const bool reverse = polygon && n >= 3 && (signedArea2(p, n) > 0) != wantCcw;
    const bool close = polygon && n > 0 && (p[0].x != p[n - 1].x || p[0].y != p[n - 1].y);
    out += '[';
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      appendPosition(out, p[reverse ? n - 1 - i : i]);
    }
    if (close) {
      out += ',';
      appendPosition(out, p[reverse ? n - 1 : 0]);
    }
    out += ']';
    // A polygon part's last ring closes the part's bracket.
    if (polygon) {
      const uint32_t partIndex = g.featureParts[f] + part;
      if (g.partRings[partIndex] + ringInPart + 1 == g.partRings[partIndex + 1]) out += ']';
    }
  });
  if (multi) out += ']';
  out += '}';
}

// ---- 3. CSV -----------------------------------------------------------------------------------
void appendCsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csvValue(const AttributeColumn& c, size_t row) {
  if (row >= c.size() || c.isNull[row]) return {};
  if (c.type == FieldType::Real) {
    if (!std::isfinite(c.reals[row])) return {};
    std::string s;
    appendReal(s, c.reals[row]);
    return s;
  }
  return c.text(row);
}

void appendWktPosition(std::string& out, Vec2 p) {
  appendCoordinate(out, p.x);
  out += ' ';
  appendCoordinate(out, p.y);
}

std::string wkt(const Layer& layer, const LonLatFeatures& ll, size_t k) {
  const GeometryColumn& g = layer.table.geometry;
  const size_t f = ll.features[k];
  const size_t parts = g.featureParts[f + 1] - g.featureParts[f];
  if (parts == 0 || !ll.valid[k] || layer.kind == GeometryKind::None) return {};
  const bool multi = parts > 1;
  std::string out = layer.kind == GeometryKind::Point ? (multi ? "MULTIPOINT (" : "POINT (")
                    : layer.kind == GeometryKind::Line ? (multi ? "MULTILINESTRING (" : "LINESTRING (")
                                                       : (multi ? "MULTIPOLYGON (" : "POLYGON (");
  forEachRing(layer, ll, k, [&](uint32_t part, uint32_t ringInPart, const Vec2* p, size_t n) {
    if (layer.kind == GeometryKind::Point) {
      out += part ? ", " : "";
      if (multi) out += '(';
      appendWktPosition(out, p[0]);
      if (multi) out += ')';
      return;
    }
    const bool polygon = layer.kind == GeometryKind::Polygon;
    if (polygon) {
      if (ringInPart == 0) {
        if (part) out += ", ";
        if (multi) out += '(';
      } else {
        out += ", ";
      }
    } else if (part) {
      out += ", ";
    }
    if (multi || polygon) out += '(';
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ", ";
      appendWktPosition(out, p[i]);
    }
    if (polygon && n > 0 && (p[0].x != p[n - 1].x || p[0].y != p[n - 1].y)) {
      out += ", ";
      appendWktPosition(out, p[0]);
    }
    if (multi || polygon) out += ')';
    if (polygon && multi) {
      const uint32_t partIndex = g.featureParts[f] + part;
      if (g.partRings[partIndex] + ringInPart + 1 == g.partRings[partIndex + 1]) out += ')';
    }
  });
  out += ')';
  return out;
}

}  // namespace

std::optional<std::string> featuresToGeoJson(const Layer& layer, const std::vector<size_t>& features, std::string* err) {
  const std::optional<LonLatFeatures> ll = toLonLat(layer, features, err);
  if (!ll) return std::nullopt;
  const FeatureTable& t = layer.table;
  std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (size_t k = 0; k < ll->features.size(); ++k) {
    const size_t f = ll->features[k];
    out += k ? ",\n" : "\n";
    out += "{\"type\":\"Feature\",\"id\":";
    if (t.ids.empty()) out += std::to_string(f);
    else appendJsonString(out, t.ids[f]);
    out += ",\"properties\":{";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ',';
      appendJsonString(out, t.columns[c].name);
      out += ':';
      appendJsonValue(out, t.columns[c], f);
    }
    out += "},\"geometry\":";
    appendGeoJsonGeometry(out, layer, *ll, k);
    out += '}';
  }
  out += "\n]}\n";
  return out;
}

std::optional<std::string> featuresToCsv(const Layer& layer, const std::vector<size_t>& features, std::string* err) {
  const std::optional<LonLatFeatures> ll = toLonLat(layer, features, err);
  if (!ll) return std::nullopt;
  const FeatureTable& t = layer.table;
  const GeometryColumn& g = t.geometry;
  bool singlePoints = layer.kind == GeometryKind::Point;
  for (size_t f : ll->features) singlePoints = singlePoints && g.featureParts[f + 1] - g.featureParts[f] <= 1;
  // A table layer (no geometry kind: a .dbf alone, a CSV without coordinates) has no
  // geometry column to write: its attributes alone.
  const bool geometry = layer.kind != GeometryKind::None;
  std::string out;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    appendCsvField(out, t.columns[c].name);
    if (geometry || c + 1 < t.columns.size()) out += ',';
  }
  out += !geometry ? "\r\n" : singlePoints ? "lon,lat\r\n" : "wkt\r\n";
  for (size_t k = 0; k < ll->features.size(); ++k) {
    const size_t f = ll->features[k];
    for (size_t c = 0; c < t.columns.size(); ++c) {
      appendCsvField(out, csvValue(t.columns[c], f));
      if (geometry || c + 1 < t.columns.size()) out += ',';
    }
    if (!geometry) {
      out += "\r\n";
      continue;
    }
    const bool hasPoint = ll->valid[k] && ll->start[k + 1] > ll->start[k];
    if (singlePoints && hasPoint) {
      appendCoordinate(out, ll->xy[ll->start[k]].x);
      out += ',';
      appendCoordinate(out, ll->xy[ll->start[k]].y);
    } else if (singlePoints) {
      out += ',';
    } else {
      appendCsvField(out, wkt(layer, *ll, k));
    }
    out += "\r\n";
  }
  return out;
}

// ---- 4. files -----------------------------------------------------------------------------------
namespace {

bool sameFile(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

std::string refusal(const std::string& path, const std::string& input, const std::string& what, bool beside = false) {
  return path + (beside ? " is beside " : " is ") + input + (beside ? ", part of " : ", ") + what +
         ": choose another name (输入数据不会被覆盖)";
}

}  // namespace

std::string inputFileAt(const LayerStore& store, const std::string& path) {
  namespace fs = std::filesystem;
  struct stat out {};
  const bool exists = ::stat(path.c_str(), &out) == 0;
  // The folder the file would go in, and its stem, for the sidecars of an input.
  struct stat outDir {};
  const fs::path p(path);
  const bool dirKnown = ::stat((p.has_parent_path() ? p.parent_path() : fs::path(".")).c_str(), &outDir) == 0;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string stem = lower(p.stem().string());
  for (const auto& l : store.layers()) {
    for (const std::string& input : l->inputFiles) {
      struct stat in {};
      if (::stat(input.c_str(), &in) != 0) continue;
      const bool same = exists && sameFile(in, out);
      // A shapefile is read with its sidecars (GDAL opens them itself): those are inputs too.
      static const std::set<std::string> kSidecars = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};
      bool sidecar = false;
      const fs::path ip(input);
      if (!same && dirKnown && lower(ip.extension().string()) == ".shp" && kSidecars.count(lower(p.extension().string()))) {
        struct stat inDir {};
        sidecar = lower(ip.stem().string()) == stem &&
                  ::stat((ip.has_parent_path() ? ip.parent_path() : fs::path(".")).c_str(), &inDir) == 0 &&
                  sameFile(inDir, outDir);
      }
      if (same || sidecar) return refusal(path, input, "the input of layer " + l->id, sidecar);
    }
    // The plugin's own files are read too: its library and its plugin.json.
    if (l->isFileLayer || !exists) continue;
    const std::string metadata = l->module && l->module->metadata ? l->module->metadata->path : std::string();
    for (const std::string& own : {l->pluginPath, metadata}) {
      struct stat in {};
      if (!own.empty() && ::stat(own.c_str(), &in) == 0 && sameFile(in, out))
        return refusal(path, own, "read by the plugin of layer " + l->id);
    }
  }
  return {};
}

std::string fileReadAt(const std::string& path, const std::string& input, const std::string& what) {
  struct stat out {}, in {};
  if (input.empty() || ::stat(path.c_str(), &out) != 0 || ::stat(input.c_str(), &in) != 0 || !sameFile(in, out))
    return {};
  return refusal(path, input, what);
}

bool exportFeatures(const Layer& layer, const std::vector<size_t>& features, ExportFormat format,
                    const std::string& path, std::string* err, const LayerStore* store) {
  if (store) {
    if (std::string why = inputFileAt(*store, path); !why.empty()) {
      if (err) *err = "export " + path + ": " + why;
      return false;
    }
  }
  std::string e;
  std::optional<std::string> text;
  if (format == ExportFormat::GeoJson) text = featuresToGeoJson(layer, features, &e);
  else if (format == ExportFormat::Csv) text = featuresToCsv(layer, features, &e);
  else e = "no format chosen";
  if (!text) {
    if (err) *err = "export " + path + ": " + e;
    return false;
  }
  // A temporary file of its own, synced, then renamed: a crash mid-write leaves the earlier
  // file whole (issue 12).
  std::string why;
  if (!writeFileAtomically(path, *text, &why, FolderPolicy::MustExist)) {
    if (err) *err = "export " + path + ": " + why;
    return false;
  }
  return true;
}

}  // namespace bcmap
