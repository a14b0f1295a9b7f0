// VectorReader.cpp — sections:
//   GDAL set-up and error routing · WKB parsing · the read plan (fields, CRS, kind) ·
//   the feature-by-feature path · the Arrow stream path (point layers) · readVector
#include "io/VectorReader.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_recordbatch.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "geometry/Gcj02.h"
#include "io/GeoJsonReader.h"
#include "model/Log.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"

namespace bcmap {

const std::vector<std::string> kDefaultVectorDrivers = {
    "GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "CSV", "KML",
    "GML", "GPX", "SQLite", "MapInfo File", "OpenFileGDB"};

// ---- GDAL set-up and error routing ---------------------------------------------------
namespace {

void CPL_STDCALL gdalToLog(CPLErr level, CPLErrorNum /*code*/, const char* message) {
  std::string text = std::string("GDAL: ") + (message != nullptr ? message : "");
  switch (level) {
    case CE_None:
    case CE_Debug: logMessage(LogLevel::Debug, std::move(text)); break;
    case CE_Warning: logWarning(std::move(text)); break;
    case CE_Failure:
    case CE_Fatal: logError(std::move(text)); break;
  }
}

// While alive, this thread's GDAL messages come here: failures are kept (the caller turns
// the first into its error message), warnings go to the log prefixed with the path. GDAL's
// handler stack is per thread, so concurrent reads do not see each other's messages.
class ErrorCapture {
 public:
  explicit ErrorCapture(std::string prefix) : prefix_(std::move(prefix)) {
    CPLErrorReset();
    CPLPushErrorHandlerEx(&ErrorCapture::handle, this);
  }
  ~ErrorCapture() { CPLPopErrorHandler(); }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }
  void reset() { failure_.clear(); }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum /*code*/, const char* message) {
    auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
    const std::string text = message != nullptr ? message : "";
    if (level == CE_Failure || level == CE_Fatal) {
      if (self->failure_.empty()) self->failure_ = text.empty() ? "unknown GDAL error" : text;
    } else if (level == CE_Warning) {
      logWarning(self->prefix_ + ": GDAL: " + text);
    }
  }
  std::string prefix_;
  std::string failure_;
};

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};
struct FeatureDestroyer {
  void operator()(void* f) const { OGR_F_Destroy(static_cast<OGRFeatureH>(f)); }
};
struct GeometryDestroyer {
  void operator()(void* g) const { OGR_G_DestroyGeometry(static_cast<OGRGeometryH>(g)); }
};
struct SrsReleaser {
  void operator()(void* srs) const { OSRRelease(static_cast<OGRSpatialReferenceH>(srs)); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<void, FeatureDestroyer>;
using GeometryPtr = std::unique_ptr<void, GeometryDestroyer>;
using SrsPtr = std::unique_ptr<void, SrsReleaser>;

}  // namespace

void initGdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    CPLSetErrorHandler(&gdalToLog);
    installNetworkGuard();
  });
}

// ---- WKB parsing ---------------------------------------------------------------------
namespace {

// One feature's geometry before it joins the table: validated first, then appended.
struct GeometryScratch {
  GeometryKind kind = GeometryKind::None;  // None: no parts (null or empty geometry)
  std::vector<Vec2> xy;
  std::vector<uint32_t> ringSizes;
  std::vector<uint32_t> partRingCounts;

  void clear() {
    kind = GeometryKind::None;
    xy.clear();
    ringSizes.clear();
    partRingCounts.clear();
  }
  void addPoint(double x, double y) {
    xy.push_back({x, y});
    ringSizes.push_back(1);
    partRingCounts.push_back(1);
  }
};

enum class WkbStatus { Ok, Mixed, Curve, Corrupt };

// Reads ISO WKB (types 1..17, +1000/+2000/+3000 for Z/M/ZM) and the older extended WKB
// (high-bit Z/M/SRID flags); keeps x and y only. Curved types are reported as Curve (the
// caller linearizes through OGR). A POINT with both ordinates NaN is POINT EMPTY by the
// WKB convention and gives no part.
class WkbReader {
 public:
  WkbReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}

  WkbStatus read(GeometryScratch& out) {
    GeometryKind kind = GeometryKind::None;
    const WkbStatus s = readGeometry(out, kind, 0);
    if (s == WkbStatus::Ok) out.kind = out.partRingCounts.empty() ? GeometryKind::None : kind;
    return s;
  }

 private:
  // Nesting deeper than this is not a real map geometry; it guards the recursion.
  static constexpr int kMaxDepth = 32;

  bool need(size_t n) const { return static_cast<size_t>(end_ - p_) >= n; }
  uint32_t u32() {
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return little_ ? v : __builtin_bswap32(v);
  }
  double f64() {
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    if (!little_) v = __builtin_bswap64(v);
    double d;
    std::memcpy(&d, &v, 8);
    return d;
  }

  // Reads `count` vertices of `dims` ordinates into out.xy.
  bool readVertices(GeometryScratch& out, uint32_t count, int dims) {
    const size_t stride = static_cast<size_t>(dims) * 8;
    if (count > static_cast<size_t>(end_ - p_) / stride) return false;
    for (uint32_t i = 0; i < count; ++i) {
      const double x = f64();
      const double y = f64();
      p_ += stride - 16;
      out.xy.push_back({x, y});
    }
    return true;
  }

  static GeometryKind kindOfType(uint32_t base) {
    switch (base) {
      case 1: case 4: return GeometryKind::Point;
      case 2: case 5: return GeometryKind::Line;
      case 3: case 6: case 15: case 16: case 17: return GeometryKind::Polygon;
      default: return GeometryKind::None;
    }
  }

  WkbStatus merge(GeometryKind& kind, GeometryKind sub) {
    if (sub == GeometryKind::None) return WkbStatus::Ok;
    if (kind == GeometryKind::None) kind = sub;
    return kind == sub ? WkbStatus::Ok : WkbStatus::Mixed;
  }

  WkbStatus readGeometry(GeometryScratch& out, GeometryKind& kind, int depth) {
    if (depth > kMaxDepth || !need(5)) return WkbStatus::Corrupt;
    const uint8_t order = *p_++;
    if (order > 1) return WkbStatus::Corrupt;
    little_ = order == 1;
    uint32_t type = u32();
    int dims = 2;
    if (type & 0x80000000u) ++dims;  // extended WKB: Z
    if (type & 0x40000000u) ++dims;  // extended WKB: M
    const bool hasSrid = (type & 0x20000000u) != 0;
    type &= 0x0FFFFFFFu;
    if (type >= 1000 && type < 4000) {
      const uint32_t flags = type / 1000;  // 1 Z, 2 M, 3 ZM
      dims = 2 + (flags == 3 ? 2 : 1);
      type %= 1000;
    }
    if (hasSrid) {
      if (!need(4)) return WkbStatus::Corrupt;
      p_ += 4;
    }
    if (type >= 8 && type <= 14) return WkbStatus::Curve;
    const GeometryKind own = kindOfType(type);
    switch (type) {
      case 1: {  // Point
        if (!need(static_cast<size_t>(dims) * 8)) return WkbStatus::Corrupt;
        const double x = f64();
        const double y = f64();
        p_ += static_cast<size_t>(dims - 2) * 8;
        if (!(std::isnan(x) && std::isnan(y))) {
          out.addPoint(x, y);
          return merge(kind, own);
        }
        return WkbStatus::Ok;
      }
      case 2: {  // LineString
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t n = u32();
        if (!readVertices(out, n, dims)) return WkbStatus::Corrupt;
        if (n == 0) return WkbStatus::Ok;
        out.ringSizes.push_back(n);
        out.partRingCounts.push_back(1);
        return merge(kind, own);
      }
      case 3:
      case 17: {  // Polygon, Triangle
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t rings = u32();
        uint32_t kept = 0;
        for (uint32_t r = 0; r < rings; ++r) {
          if (!need(4)) return WkbStatus::Corrupt;
          const uint32_t n = u32();
          if (!readVertices(out, n, dims)) return WkbStatus::Corrupt;
          if (n == 0) continue;
          if (kept == 0 && r != 0) {
            // The outer ring was empty: a hole without a shell cannot be drawn.
            out.xy.resize(out.xy.size() - n);
            continue;
          }
          out.ringSizes.push_back(n);
          ++kept;
        }
        if (kept == 0) return WkbStatus::Ok;
        out.partRingCounts.push_back(kept);
        return merge(kind, own);
      }
      case 4: case 5: case 6: case 7: case 15: case 16: {  // multi-geometries, collections
        if (!need(4)) return WkbStatus::Corrupt;
        const uint32_t n = u32();
        for (uint32_t i = 0; i < n; ++i) {
          const bool outerLittle = little_;
          GeometryKind sub = GeometryKind::None;
          const WkbStatus s = readGeometry(out, sub, depth + 1);
          little_ = outerLittle;
          if (s != WkbStatus::Ok) return s;
          if (merge(kind, sub) != WkbStatus::Ok) return WkbStatus::Mixed;
        }
        return WkbStatus::Ok;
      }
      default: return WkbStatus::Corrupt;
    }
  }

  const uint8_t* p_;
  const uint8_t* end_;
  bool little_ = true;
};

}  // namespace

// ---- the read plan -------------------------------------------------------------------
namespace {

// Validated like text dates: through parseDate. The text is built by hand because this
// runs once per date value on the feature path (snprintf costs more than the parse).
std::optional<int32_t> dayFromYmd(int year, int month, int day) {
  if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) return std::nullopt;
  char buf[10];
  buf[0] = static_cast<char>('0' + year / 1000);
  buf[1] = static_cast<char>('0' + year / 100 % 10);
  buf[2] = static_cast<char>('0' + year / 10 % 10);
  buf[3] = static_cast<char>('0' + year % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + month / 10);
  buf[6] = static_cast<char>('0' + month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + day / 10);
  buf[9] = static_cast<char>('0' + day % 10);
  return parseDate(std::string_view(buf, sizeof buf));
}

FieldType fieldTypeOf(OGRFieldType t) {
  switch (t) {
    case OFTInteger:
    case OFTInteger64: return FieldType::Integer;
    case OFTReal: return FieldType::Real;
    case OFTDate:
    case OFTDateTime: return FieldType::Date;
    default: return FieldType::String;
  }
}

GeometryKind kindOfOgrType(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint: return GeometryKind::Point;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: return GeometryKind::Line;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbTriangle:
    case wkbTIN:
    case wkbPolyhedralSurface: return GeometryKind::Polygon;
    default: return GeometryKind::None;  // unknown, collection, none
  }
}

// How a source field becomes a value.
enum class ValueRead { Integer, Real, String, DateField, DateFromString };

struct ColumnPlan {
  std::string name;     // in the table
  std::string srcName;  // in the source
  int srcIndex = -1;
  ValueRead read = ValueRead::String;
  FieldType type = FieldType::String;
};

struct SourceField {
  int index = -1;
  std::string name;
  ValueRead read = ValueRead::String;
};

struct ReadPlan {
  std::string prefix;  // "path" or "path, layer 'x'": every message starts with it
  std::vector<ColumnPlan> columns;
  SourceField start, end, id;
  bool hasTime = false;
  bool geographic = false;
  bool swapXY = false;
  GeometryKind expectKind = GeometryKind::None;
  GeometryKind layerKind = GeometryKind::None;
};

// How messages name a feature: its 0-based position in the source, and its id if any.
std::string featureLabel(size_t ordinal, const std::string& id) {
  std::string n = "feature " + std::to_string(ordinal);
  if (!id.empty()) n += " (id " + id + ")";
  return n;
}

// The result being filled, plus the per-feature checks shared by both read paths.
class TableBuilder {
 public:
  TableBuilder(const ReadPlan& plan, VectorReadResult& result) : plan_(plan), result_(result) {
    FeatureTable& t = result_.table;
    t.geometry.kind = plan_.expectKind != GeometryKind::None ? plan_.expectKind : plan_.layerKind;
    for (const ColumnPlan& c : plan_.columns) {
      AttributeColumn col;
      col.name = c.name;
      col.type = c.type;
      t.columns.push_back(std::move(col));
    }
  }

  void reserve(size_t features, size_t vertices) {
    FeatureTable& t = result_.table;
    t.geometry.featureParts.reserve(features + 1);
    t.geometry.partRings.reserve(features + 1);
    t.geometry.ringVertices.reserve(vertices + 1);
    t.geometry.xy.reserve(vertices);
    for (AttributeColumn& c : t.columns) {
      c.isNull.reserve(features);
      switch (c.type) {
        case FieldType::Integer:
        case FieldType::Date: c.ints.reserve(features); break;
        case FieldType::Real: c.reals.reserve(features); break;
        default: c.strings.reserve(features); break;
      }
    }
  }

  // Checks the geometry in `g` (already in x-east order). Returns false when the feature
  // must be skipped (and says why in the log); an error (wrong kind when a kind is
  // expected) goes to *err and sets failed().
  bool accept(GeometryScratch& g, WkbStatus status, size_t ordinal, const std::string& id,
              std::string* err) {
    auto name = [&] { return featureLabel(ordinal, id); };
    auto skip = [&](const std::string& why) {
      logWarning(plan_.prefix + ": " + name() + " skipped: " + why);
      ++result_.skipped;
      return false;
    };
    switch (status) {
      case WkbStatus::Ok: break;
      case WkbStatus::Mixed: return skip("a geometry collection mixing points, lines and polygons");
      case WkbStatus::Curve: return skip("a curved geometry GDAL could not linearize");
      case WkbStatus::Corrupt: return skip("corrupt geometry (WKB)");
    }
    if (plan_.swapXY)
      for (Vec2& p : g.xy) std::swap(p.x, p.y);
    for (const Vec2& p : g.xy) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        return skip("non-finite coordinate (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")");
      if (plan_.geographic && (std::fabs(p.x) > 180.0 || std::fabs(p.y) > 90.0))
        return skip("longitude/latitude out of range (" + std::to_string(p.x) + ", " +
                    std::to_string(p.y) + ")");
    }
    GeometryKind& tableKind = result_.table.geometry.kind;
    if (g.kind != GeometryKind::None && g.kind != tableKind) {
      if (tableKind == GeometryKind::None) {
        tableKind = g.kind;
      } else if (plan_.expectKind != GeometryKind::None) {
        failed_ = true;
        if (err != nullptr)
          *err = plan_.prefix + ": wrong geometry type: " + name() + " is a " +
                 geometryKindName(g.kind) + ", the layer expects " +
                 geometryKindName(plan_.expectKind) + " features";
        return false;
      } else {
        return skip(std::string("a ") + geometryKindName(g.kind) + " in a " +
                    geometryKindName(tableKind) + " layer");
      }
    }
    return true;
  }

  void commitGeometry(const GeometryScratch& g) {
    GeometryColumn& col = result_.table.geometry;
    col.xy.insert(col.xy.end(), g.xy.begin(), g.xy.end());
    for (uint32_t n : g.ringSizes) col.ringVertices.push_back(col.ringVertices.back() + n);
    for (uint32_t n : g.partRingCounts) col.partRings.push_back(col.partRings.back() + n);
    col.featureParts.push_back(col.featureParts.back() + static_cast<uint32_t>(g.partRingCounts.size()));
  }

  FeatureTable& table() { return result_.table; }
  bool failed() const { return failed_; }

 private:
  const ReadPlan& plan_;
  VectorReadResult& result_;
  bool failed_ = false;
};

}  // namespace

// ---- the feature-by-feature path -----------------------------------------------------
namespace {

class FeatureReader {
 public:
  FeatureReader(const ReadPlan& plan, TableBuilder& out) : plan_(plan), out_(out) {}

  // Returns false with *err set on an error.
  bool run(OGRLayerH layer, ErrorCapture& capture, std::string* err) {
    OGR_L_ResetReading(layer);
    size_t ordinal = 0;
    while (true) {
      FeaturePtr feature(OGR_L_GetNextFeature(layer));
      if (!feature) break;
      OGRFeatureH f = static_cast<OGRFeatureH>(feature.get());
      const size_t n = ordinal++;
      const std::string id = plan_.id.index >= 0 ? idOf(f) : std::string();
      WkbStatus status = geometryOf(f, scratch_);
      if (!out_.accept(scratch_, status, n, id, err)) {
        if (out_.failed()) return false;
        continue;
      }
      if (!appendValues(f, n, id, err)) return false;
      out_.commitGeometry(scratch_);
    }
    if (capture.failed()) {
      if (err != nullptr)
        *err = plan_.prefix + ": reading failed after " + std::to_string(ordinal) +
               " features: " + capture.failure();
      return false;
    }
    return true;
  }

 private:
  std::string idOf(OGRFeatureH f) const {
    if (!OGR_F_IsFieldSetAndNotNull(f, plan_.id.index)) return {};
    return OGR_F_GetFieldAsString(f, plan_.id.index);
  }

  WkbStatus geometryOf(OGRFeatureH f, GeometryScratch& g) {
    g.clear();
    OGRGeometryH geom = OGR_F_GetGeometryRef(f);
    if (geom == nullptr || OGR_G_IsEmpty(geom)) return WkbStatus::Ok;
    GeometryPtr linear;
    if (OGR_G_HasCurveGeometry(geom, TRUE)) {
      linear.reset(OGR_G_GetLinearGeometry(geom, 0, nullptr));
      if (!linear) return WkbStatus::Curve;
      geom = static_cast<OGRGeometryH>(linear.get());
    }
    const int size = OGR_G_WkbSize(geom);
    if (size <= 0) return WkbStatus::Corrupt;
    wkb_.resize(static_cast<size_t>(size));
    if (OGR_G_ExportToIsoWkb(geom, wkbNDR, wkb_.data()) != OGRERR_NONE) return WkbStatus::Corrupt;
    return WkbReader(wkb_.data(), wkb_.size()).read(g);
  }

  // The day of a date field, kNoDay for null/empty; nullopt for an unparseable value.
  static std::optional<int32_t> dayOf(OGRFeatureH f, int index, ValueRead read) {
    if (index < 0 || !OGR_F_IsFieldSetAndNotNull(f, index)) return kNoDay;
    if (read == ValueRead::DateField) {
      int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
      float ss = 0;
      if (!OGR_F_GetFieldAsDateTimeEx(f, index, &y, &m, &d, &hh, &mm, &ss, &tz))
        return std::nullopt;
      return dayFromYmd(y, m, d);
    }
    const char* text = OGR_F_GetFieldAsString(f, index);
    if (text == nullptr || *text == '\0') return kNoDay;
    return parseDate(text);
  }

  bool dateError(OGRFeatureH f, size_t ordinal, const std::string& id, const std::string& field,
                 int index, std::string* err) const {
    // OGR writes typed dates as YYYY/MM/DD; show them as the file had them.
    std::string value = OGR_F_GetFieldAsString(f, index);
    const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, index));
    if ((type == OFTDate || type == OFTDateTime) && value.size() >= 10 && value[4] == '/' && value[7] == '/')
      value[4] = value[7] = '-';
    if (err != nullptr)
      *err = plan_.prefix + ": unparseable date in field '" + field + "' of " +
             featureLabel(ordinal, id) + ": '" + value + "' (expected YYYY-MM-DD)";
    return false;
  }

  bool appendValues(OGRFeatureH f, size_t ordinal, const std::string& id, std::string* err) {
    FeatureTable& t = out_.table();
    for (size_t c = 0; c < plan_.columns.size(); ++c) {
      const ColumnPlan& cp = plan_.columns[c];
      AttributeColumn& col = t.columns[c];
      const bool isNull = !OGR_F_IsFieldSetAndNotNull(f, cp.srcIndex);
      switch (cp.read) {
        case ValueRead::Integer:
          col.ints.push_back(isNull ? 0 : OGR_F_GetFieldAsInteger64(f, cp.srcIndex));
          col.isNull.push_back(isNull);
          break;
        case ValueRead::Real:
          col.reals.push_back(isNull ? 0.0 : OGR_F_GetFieldAsDouble(f, cp.srcIndex));
          col.isNull.push_back(isNull);
          break;
        case ValueRead::String:
          col.strings.emplace_back(isNull ? "" : OGR_F_GetFieldAsString(f, cp.srcIndex));
          col.isNull.push_back(isNull);
          break;
        case ValueRead::DateField:
        case ValueRead::DateFromString: {
          const std::optional<int32_t> day = dayOf(f, cp.srcIndex, cp.read);
          if (!day) return dateError(f, ordinal, id, cp.srcName, cp.srcIndex, err);
          col.ints.push_back(*day == kNoDay ? 0 : *day);
          col.isNull.push_back(*day == kNoDay);
          break;
        }
      }
    }
    if (plan_.id.index >= 0) t.ids.push_back(id);
    if (plan_.hasTime) {
      const std::optional<int32_t> start = dayOf(f, plan_.start.index, plan_.start.read);
      if (!start) return dateError(f, ordinal, id, plan_.start.name, plan_.start.index, err);
      const std::optional<int32_t> end = dayOf(f, plan_.end.index, plan_.end.read);
      if (!end) return dateError(f, ordinal, id, plan_.end.name, plan_.end.index, err);
      t.startDay.push_back(*start);
      t.endDay.push_back(*end);
    }
    return true;
  }

  const ReadPlan& plan_;
  TableBuilder& out_;
  GeometryScratch scratch_;
  std::vector<uint8_t> wkb_;
};

}  // namespace

// ---- the Arrow stream path -----------------------------------------------------------
namespace {

// Arrow C data interface formats we read (https://arrow.apache.org/docs/format/CDataInterface.html).
// Typed dates never come this way (see readVector), so date and timestamp formats are not here.
enum class ArrowType {
  Unsupported, Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32,
  Float64, Utf8, LargeUtf8, Binary, LargeBinary
};

ArrowType arrowTypeOf(const char* format) {
  const std::string_view f = format != nullptr ? format : "";
  if (f.size() != 1) return ArrowType::Unsupported;
  switch (f[0]) {
    case 'b': return ArrowType::Bool;
    case 'c': return ArrowType::Int8;
    case 's': return ArrowType::Int16;
    case 'i': return ArrowType::Int32;
    case 'l': return ArrowType::Int64;
    case 'C': return ArrowType::UInt8;
    case 'S': return ArrowType::UInt16;
    case 'I': return ArrowType::UInt32;
    case 'L': return ArrowType::UInt64;
    case 'f': return ArrowType::Float32;
    case 'g': return ArrowType::Float64;
    case 'u': return ArrowType::Utf8;
    case 'U': return ArrowType::LargeUtf8;
    case 'z': return ArrowType::Binary;
    case 'Z': return ArrowType::LargeBinary;
    default: return ArrowType::Unsupported;
  }
}

bool isIntegerType(ArrowType t) { return t >= ArrowType::Bool && t <= ArrowType::UInt64; }
bool isStringType(ArrowType t) { return t == ArrowType::Utf8 || t == ArrowType::LargeUtf8; }

// One column of the current batch.
struct ArrowColumn {
  const ArrowArray* array = nullptr;
  ArrowType type = ArrowType::Unsupported;
  int64_t base = 0;  // the parent's offset plus this array's offset

  bool valid(int64_t row) const {
    const auto* bitmap = static_cast<const uint8_t*>(array->buffers[0]);
    if (bitmap == nullptr) return true;
    const int64_t i = base + row;
    return (bitmap[i >> 3] >> (i & 7)) & 1;
  }
  template <typename T>
  T at(int64_t row) const {
    return static_cast<const T*>(array->buffers[1])[base + row];
  }
  int64_t integer(int64_t row) const {
    switch (type) {
      case ArrowType::Bool: {
        const auto* bits = static_cast<const uint8_t*>(array->buffers[1]);
        const int64_t i = base + row;
        return (bits[i >> 3] >> (i & 7)) & 1;
      }
      case ArrowType::Int8: return at<int8_t>(row);
      case ArrowType::Int16: return at<int16_t>(row);
      case ArrowType::Int32: return at<int32_t>(row);
      case ArrowType::Int64: return at<int64_t>(row);
      case ArrowType::UInt8: return at<uint8_t>(row);
      case ArrowType::UInt16: return at<uint16_t>(row);
      case ArrowType::UInt32: return at<uint32_t>(row);
      case ArrowType::UInt64: return static_cast<int64_t>(at<uint64_t>(row));
      default: return 0;
    }
  }
  double real(int64_t row) const {
    if (type == ArrowType::Float32) return at<float>(row);
    if (type == ArrowType::Float64) return at<double>(row);
    return static_cast<double>(integer(row));
  }
  std::string_view bytes(int64_t row) const {
    const auto* data = static_cast<const char*>(array->buffers[2]);
    if (type == ArrowType::LargeUtf8 || type == ArrowType::LargeBinary) {
      const auto* off = static_cast<const int64_t*>(array->buffers[1]);
      return {data + off[base + row], static_cast<size_t>(off[base + row + 1] - off[base + row])};
    }
    const auto* off = static_cast<const int32_t*>(array->buffers[1]);
    return {data + off[base + row], static_cast<size_t>(off[base + row + 1] - off[base + row])};
  }
};

// Owners that call the producer's release callbacks.
struct StreamHolder {
  ArrowArrayStream s{};
  ~StreamHolder() { if (s.release != nullptr) s.release(&s); }
};
struct SchemaHolder {
  ArrowSchema s{};
  ~SchemaHolder() { if (s.release != nullptr) s.release(&s); }
};
struct ArrayHolder {
  ArrowArray a{};
  ~ArrayHolder() { reset(); }
  void reset() {
    if (a.release != nullptr) a.release(&a);
    a = ArrowArray{};
  }
};

// The value of "ARROW:extension:name" in an Arrow metadata blob (int32 pair count, then
// per pair int32 key length, key, int32 value length, value; native byte order).
std::string extensionName(const char* metadata) {
  if (metadata == nullptr) return {};
  auto readInt = [&metadata] {
    int32_t v;
    std::memcpy(&v, metadata, 4);
    metadata += 4;
    return v;
  };
  const int32_t pairs = readInt();
  for (int32_t i = 0; i < pairs; ++i) {
    const int32_t keyLen = readInt();
    const std::string_view key(metadata, static_cast<size_t>(keyLen));
    metadata += keyLen;
    const int32_t valueLen = readInt();
    const std::string_view value(metadata, static_cast<size_t>(valueLen));
    metadata += valueLen;
    if (key == "ARROW:extension:name") return std::string(value);
  }
  return {};
}

enum class ArrowOutcome { Done, Fallback, Error };

class ArrowReader {
 public:
  ArrowReader(const ReadPlan& plan, TableBuilder& out) : plan_(plan), out_(out) {}

  ArrowOutcome run(OGRLayerH layer, std::string* err) {
    StreamHolder stream;
    char** options = CSLSetNameValue(nullptr, "INCLUDE_FID", "NO");
    const bool ok = OGR_L_GetArrowStream(layer, &stream.s, options);
    CSLDestroy(options);
    if (!ok) return ArrowOutcome::Fallback;
    SchemaHolder schema;
    if (stream.s.get_schema(&stream.s, &schema.s) != 0) return ArrowOutcome::Fallback;
    if (!bindSchema(layer, schema.s)) return ArrowOutcome::Fallback;

    size_t ordinal = 0;
    ArrayHolder batch;
    while (true) {
      batch.reset();
      if (stream.s.get_next(&stream.s, &batch.a) != 0) {
        const char* why = stream.s.get_last_error(&stream.s);
        logWarning(plan_.prefix + ": Arrow stream failed (" + (why != nullptr ? why : "?") +
                   "); reading feature by feature");
        return ArrowOutcome::Fallback;
      }
      if (batch.a.release == nullptr) break;  // end of stream
      if (batch.a.n_children != schema.s.n_children) return ArrowOutcome::Fallback;
      const ArrowOutcome o = readBatch(batch.a, ordinal, err);
      if (o != ArrowOutcome::Done) return o;
    }
    return ArrowOutcome::Done;
  }

 private:
  struct Binding {
    int64_t child = -1;
    ArrowType type = ArrowType::Unsupported;
  };

  static int64_t childNamed(const ArrowSchema& schema, const std::string& name) {
    for (int64_t i = 0; i < schema.n_children; ++i)
      if (schema.children[i]->name != nullptr && name == schema.children[i]->name) return i;
    return -1;
  }

  // Maps every needed value to a child of the stream's struct; false when a type is one
  // this reader does not handle (the feature path then does the work).
  bool bindSchema(OGRLayerH layer, const ArrowSchema& schema) {
    if (std::string_view(schema.format != nullptr ? schema.format : "") != "+s") return false;
    // The geometry: the child tagged as OGC WKB, else the layer's geometry column name.
    for (int64_t i = 0; i < schema.n_children && geometry_.child < 0; ++i)
      if (extensionName(schema.children[i]->metadata) == "ogc.wkb") geometry_.child = i;
    if (geometry_.child < 0) {
      const char* g = OGR_L_GetGeometryColumn(layer);
      geometry_.child = childNamed(schema, g != nullptr && *g != '\0' ? g : "wkb_geometry");
    }
    if (geometry_.child < 0) return false;
    geometry_.type = arrowTypeOf(schema.children[geometry_.child]->format);
    if (geometry_.type != ArrowType::Binary && geometry_.type != ArrowType::LargeBinary) return false;

    auto bind = [&](const std::string& name, ValueRead read, Binding& b) {
      b.child = childNamed(schema, name);
      if (b.child < 0) return false;
      b.type = arrowTypeOf(schema.children[b.child]->format);
      switch (read) {
        case ValueRead::Integer: return isIntegerType(b.type);
        case ValueRead::Real: return isIntegerType(b.type) || b.type == ArrowType::Float32 || b.type == ArrowType::Float64;
        case ValueRead::String:
        case ValueRead::DateFromString: return isStringType(b.type);
        case ValueRead::DateField: return false;
      }
      return false;
    };
    columns_.resize(plan_.columns.size());
    for (size_t c = 0; c < plan_.columns.size(); ++c)
      if (!bind(plan_.columns[c].srcName, plan_.columns[c].read, columns_[c])) return false;
    // ids are shown as text: integer and string ids both work.
    if (plan_.id.index >= 0) {
      id_.child = childNamed(schema, plan_.id.name);
      if (id_.child < 0) return false;
      id_.type = arrowTypeOf(schema.children[id_.child]->format);
      if (!isIntegerType(id_.type) && !isStringType(id_.type)) return false;
    }
    if (plan_.start.index >= 0 && !bind(plan_.start.name, plan_.start.read, start_)) return false;
    if (plan_.end.index >= 0 && !bind(plan_.end.name, plan_.end.read, end_)) return false;
    return true;
  }

  ArrowColumn columnOf(const ArrowArray& batch, const Binding& b) const {
    ArrowColumn c;
    c.array = batch.children[b.child];
    c.type = b.type;
    c.base = batch.offset + c.array->offset;
    return c;
  }

  // The day in a text date column, kNoDay for null/empty, nullopt when it is no date.
  static std::optional<int32_t> dayAt(const ArrowColumn& c, int64_t row) {
    if (c.array == nullptr || !c.valid(row)) return kNoDay;
    const std::string_view text = c.bytes(row);
    if (text.empty()) return kNoDay;
    return parseDate(text);
  }

  bool dateError(const ArrowColumn& c, int64_t row, size_t ordinal, const std::string& id,
                 const std::string& field, std::string* err) const {
    if (err != nullptr)
      *err = plan_.prefix + ": unparseable date in field '" + field + "' of " +
             featureLabel(ordinal, id) + ": '" + std::string(c.bytes(row)) +
             "' (expected YYYY-MM-DD)";
    return false;
  }

  ArrowOutcome readBatch(const ArrowArray& batch, size_t& ordinal, std::string* err) {
    const ArrowColumn geometry = columnOf(batch, geometry_);
    std::vector<ArrowColumn> columns;
    columns.reserve(columns_.size());
    for (const Binding& b : columns_) columns.push_back(columnOf(batch, b));
    const ArrowColumn id = id_.child >= 0 ? columnOf(batch, id_) : ArrowColumn{};
    const ArrowColumn start = start_.child >= 0 ? columnOf(batch, start_) : ArrowColumn{};
    const ArrowColumn end = end_.child >= 0 ? columnOf(batch, end_) : ArrowColumn{};
    FeatureTable& t = out_.table();

    for (int64_t row = 0; row < batch.length; ++row) {
      const size_t n = ordinal++;
      std::string idText;
      if (id.array != nullptr && id.valid(row))
        idText = isStringType(id.type) ? std::string(id.bytes(row)) : std::to_string(id.integer(row));

      scratch_.clear();
      WkbStatus status = WkbStatus::Ok;
      if (geometry.valid(row)) {
        const std::string_view wkb = geometry.bytes(row);
        const auto* data = reinterpret_cast<const uint8_t*>(wkb.data());
        // The common case, a little-endian 2D point (21 bytes), without the general parser.
        if (wkb.size() == 21 && data[0] == 1 && data[1] == 1 && data[2] == 0 && data[3] == 0 && data[4] == 0) {
          double x, y;
          std::memcpy(&x, data + 5, 8);
          std::memcpy(&y, data + 13, 8);
          if (!(std::isnan(x) && std::isnan(y))) {
            scratch_.addPoint(x, y);
            scratch_.kind = GeometryKind::Point;
          }
        } else {
          status = WkbReader(data, wkb.size()).read(scratch_);
          if (status == WkbStatus::Curve) return ArrowOutcome::Fallback;
        }
      }
      if (!out_.accept(scratch_, status, n, idText, err)) {
        if (out_.failed()) return ArrowOutcome::Error;
        continue;
      }

      for (size_t c = 0; c < columns.size(); ++c) {
        const ArrowColumn& src = columns[c];
        AttributeColumn& col = t.columns[c];
        const bool isNull = !src.valid(row);
        switch (plan_.columns[c].read) {
          case ValueRead::Integer: col.ints.push_back(isNull ? 0 : src.integer(row)); break;
          case ValueRead::Real: col.reals.push_back(isNull ? 0.0 : src.real(row)); break;
          case ValueRead::String: col.strings.emplace_back(isNull ? std::string_view() : src.bytes(row)); break;
          case ValueRead::DateField:
          case ValueRead::DateFromString: {
            const std::optional<int32_t> day = dayAt(src, row);
            if (!day) {
              dateError(src, row, n, idText, plan_.columns[c].srcName, err);
              return ArrowOutcome::Error;
            }
            col.ints.push_back(*day == kNoDay ? 0 : *day);
            col.isNull.push_back(*day == kNoDay);
            continue;
          }
        }
        col.isNull.push_back(isNull);
      }
      if (plan_.id.index >= 0) t.ids.push_back(std::move(idText));
      if (plan_.hasTime) {
        const std::optional<int32_t> s = dayAt(start, row);
        if (!s) {
          dateError(start, row, n, t.ids.empty() ? "" : t.ids.back(), plan_.start.name, err);
          return ArrowOutcome::Error;
        }
        const std::optional<int32_t> e = dayAt(end, row);
        if (!e) {
          dateError(end, row, n, t.ids.empty() ? "" : t.ids.back(), plan_.end.name, err);
          return ArrowOutcome::Error;
        }
        t.startDay.push_back(*s);
        t.endDay.push_back(*e);
      }
      out_.commitGeometry(scratch_);
    }
    return ArrowOutcome::Done;
  }

  const ReadPlan& plan_;
  TableBuilder& out_;
  Binding geometry_, id_, start_, end_;
  std::vector<Binding> columns_;
  GeometryScratch scratch_;
};

}  // namespace

// ---- readVector ----------------------------------------------------------------------
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

std::vector<std::string> layerNames(GDALDatasetH ds) {
  std::vector<std::string> names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
    names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  return names;
}

std::vector<std::string> fieldNames(OGRFeatureDefnH defn) {
  std::vector<std::string> names;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  return names;
}

// The CRS a layer's coordinates are in, as text PROJ takes, plus whether it is geographic
// and whether the data's first ordinate is a northing (then x and y are swapped on load).
struct SourceCrs {
  std::string text;
  bool geographic = false;
  bool swapXY = false;
};

std::optional<SourceCrs> sourceCrsOf(OGRLayerH layer, const VectorReadOptions& o,
                                     const std::string& prefix, std::string* err) {
  SourceCrs out;
  if (!o.sourceCrs.empty()) {
    std::string why;
    if (!isValidCrs(o.sourceCrs, &why)) {
      if (err != nullptr) *err = prefix + ": the source CRS is not valid: " + why;
      return std::nullopt;
    }
    out.text = o.sourceCrs;
    out.geographic = isGeographicCrs(o.sourceCrs);
    return out;
  }
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
  if (srs == nullptr) {
    out.text = kLonLatCrs;
    out.geographic = true;
    return out;
  }
  const char* authority = OSRGetAuthorityName(srs, nullptr);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  if (authority != nullptr && code != nullptr) {
    out.text = std::string(authority) + ":" + code;
  } else {
    char* wkt = nullptr;
    const char* const wktOptions[] = {"FORMAT=WKT2_2019", nullptr};
    if (OSRExportToWktEx(srs, &wkt, wktOptions) == OGRERR_NONE && wkt != nullptr) out.text = wkt;
    CPLFree(wkt);
    if (out.text.empty()) {
      if (err != nullptr) *err = prefix + ": the layer's CRS cannot be written as WKT";
      return std::nullopt;
    }
  }
  out.geographic = OSRIsGeographic(srs) != 0;
  // GDAL hands out coordinates in the data's axis order; the mapping says which CRS axis
  // the first ordinate is. If that axis points north, the data is (northing, easting).
  int count = 0;
  const int* mapping = OSRGetDataAxisToSRSAxisMapping(srs, &count);
  if (mapping != nullptr && count >= 2) {
    OGRAxisOrientation orientation = OAO_Other;
    OSRGetAxis(srs, nullptr, std::abs(mapping[0]) - 1, &orientation);
    out.swapXY = orientation == OAO_North || orientation == OAO_South;
  }
  return out;
}

}  // namespace

std::optional<VectorReadResult> readVector(const VectorReadOptions& o, std::string* err) {
  initGdal();
  auto fail = [err](std::string message) -> std::optional<VectorReadResult> {
    if (err != nullptr) *err = std::move(message);
    return std::nullopt;
  };
  if (o.path.empty()) return fail("(no path): no vector source given");
  const std::string& path = o.path;

  const bool remote = isRemotePath(path);
  if (remote && !networkAllowed())
    return fail(path + ": refused: this is a network source and network access is off "
                       "(bcmap reads only local files unless the user names a URL)");
  VSIStatBufL st;
  if (!remote && VSIStatExL(path.c_str(), &st, VSI_STAT_EXISTS_FLAG) != 0)
    return fail(path + ": no such file or directory");

  // Local GeoJSON: the fast reader gives GDAL's result, fails as GDAL would, or declines.
  if (geoJsonFastPathApplies(o)) {
    GeoJsonFastResult fast = readGeoJsonFast(o, err);
    if (fast.status == GeoJsonFastStatus::Read) return std::move(fast.result);
    if (fast.status == GeoJsonFastStatus::Failed) return std::nullopt;
    logMessage(LogLevel::Debug, path + ": read through GDAL, not the fast GeoJSON reader: " + fast.declined);
  }

  const std::vector<std::string>& drivers =
      o.allowedDrivers.empty() ? kDefaultVectorDrivers : o.allowedDrivers;
  std::vector<const char*> driverList;
  for (const std::string& d : drivers) driverList.push_back(d.c_str());
  driverList.push_back(nullptr);

  ErrorCapture capture(path);
  DatasetPtr dataset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                driverList.data(), nullptr, nullptr));
  if (!dataset) {
    if (capture.failed())
      return fail(path + ": cannot be read as a vector source: " + capture.failure());
    return fail(path + ": not a vector source (none of these GDAL drivers recognizes it: " +
                joined(drivers) + ")");
  }
  GDALDatasetH ds = dataset.get();
  capture.reset();

  if (GDALDatasetGetLayerCount(ds) == 0) return fail(path + ": holds no vector layers");
  OGRLayerH layer = o.layerName.empty() ? GDALDatasetGetLayer(ds, 0)
                                        : GDALDatasetGetLayerByName(ds, o.layerName.c_str());
  if (layer == nullptr)
    return fail(path + ": no such layer '" + o.layerName + "' (layers: " + joined(layerNames(ds)) + ")");

  ReadPlan plan;
  plan.prefix = path;
  if (GDALDatasetGetLayerCount(ds) > 1) plan.prefix += ", layer '" + std::string(OGR_L_GetName(layer)) + "'";
  plan.expectKind = o.expectKind;
  plan.layerKind = kindOfOgrType(OGR_L_GetGeomType(layer));

  if (!o.attributeFilter.empty() &&
      OGR_L_SetAttributeFilter(layer, o.attributeFilter.c_str()) != OGRERR_NONE) {
    return fail(plan.prefix + ": bad attribute filter '" + o.attributeFilter + "': " +
                (capture.failed() ? capture.failure() : "rejected by GDAL"));
  }
  capture.reset();

  // Fields: which source field feeds each column, and how.
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  auto readOf = [&](int index) {
    const OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, index));
    switch (fieldTypeOf(t)) {
      case FieldType::Integer: return ValueRead::Integer;
      case FieldType::Real: return ValueRead::Real;
      case FieldType::Date: return ValueRead::DateField;
      default: return ValueRead::String;
    }
  };
  auto missingField = [&](const std::string& what, const std::string& name) {
    return fail(plan.prefix + ": " + what + " '" + name + "' is not a field of the source (fields: " +
                joined(fieldNames(defn)) + ")");
  };
  // A time/id field: a source field name, or a layer field name from the field map.
  auto resolve = [&](const std::string& name) {
    int index = OGR_FD_GetFieldIndex(defn, name.c_str());
    if (index < 0)
      for (const auto& [layerField, sourceField] : o.fieldMap)
        if (layerField == name) index = OGR_FD_GetFieldIndex(defn, sourceField.c_str());
    return index;
  };
  auto timeField = [&](const std::string& name, SourceField& out) -> bool {
    out.index = resolve(name);
    if (out.index < 0) return false;
    out.name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, out.index));
    out.read = readOf(out.index);
    if (out.read == ValueRead::String) out.read = ValueRead::DateFromString;
    return true;
  };
  if (!o.startField.empty() && !timeField(o.startField, plan.start)) return missingField("start field", o.startField);
  if (!o.endField.empty() && !timeField(o.endField, plan.end)) return missingField("end field", o.endField);
  for (const SourceField* f : {&plan.start, &plan.end}) {
    if (f->index >= 0 && f->read != ValueRead::DateField && f->read != ValueRead::DateFromString)
      return fail(plan.prefix + ": field '" + f->name + "' holds numbers, not dates; it cannot give a time span");
  }
  plan.hasTime = plan.start.index >= 0 || plan.end.index >= 0;
  if (!o.idField.empty()) {
    plan.id.index = resolve(o.idField);
    if (plan.id.index < 0) return missingField("id field", o.idField);
    plan.id.name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, plan.id.index));
  }
  auto addColumn = [&](const std::string& name, int index) {
    ColumnPlan c;
    c.name = name;
    c.srcIndex = index;
    c.srcName = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, index));
    c.read = readOf(index);
    if (c.read == ValueRead::String && (index == plan.start.index || index == plan.end.index))
      c.read = ValueRead::DateFromString;
    switch (c.read) {
      case ValueRead::Integer: c.type = FieldType::Integer; break;
      case ValueRead::Real: c.type = FieldType::Real; break;
      case ValueRead::String: c.type = FieldType::String; break;
      case ValueRead::DateField:
      case ValueRead::DateFromString: c.type = FieldType::Date; break;
    }
    plan.columns.push_back(std::move(c));
  };
  if (o.fieldMap.empty()) {
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      addColumn(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), i);
  } else {
    for (const auto& [layerField, sourceField] : o.fieldMap) {
      const int index = OGR_FD_GetFieldIndex(defn, sourceField.c_str());
      if (index < 0) return missingField("mapped field (for '" + layerField + "')", sourceField);
      addColumn(layerField, index);
    }
  }

  // Fields nobody reads are not fetched (cheaper reads). Not with an attribute filter: it
  // may test any field, and ignored fields would read as unset.
  if (o.attributeFilter.empty()) {
    std::vector<bool> used(static_cast<size_t>(OGR_FD_GetFieldCount(defn)), false);
    for (const ColumnPlan& c : plan.columns) used[static_cast<size_t>(c.srcIndex)] = true;
    for (const SourceField* f : {&plan.start, &plan.end, &plan.id})
      if (f->index >= 0) used[static_cast<size_t>(f->index)] = true;
    std::vector<const char*> ignored;
    for (size_t i = 0; i < used.size(); ++i)
      if (!used[i]) ignored.push_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, static_cast<int>(i))));
    if (!ignored.empty()) {
      ignored.push_back("OGR_STYLE");
      ignored.push_back(nullptr);
      OGR_L_SetIgnoredFields(layer, ignored.data());
    }
  }

  const std::optional<SourceCrs> crs = sourceCrsOf(layer, o, plan.prefix, err);
  if (!crs) return std::nullopt;
  plan.geographic = crs->geographic;
  plan.swapXY = o.sourceCrs.empty() && crs->swapXY;
  if (o.gcj02 && !crs->geographic)
    return fail(plan.prefix + ": GCJ-02 conversion needs longitude/latitude, but the source CRS is " +
                (crsName(crs->text).empty() ? crs->text : crsName(crs->text)));

  VectorReadResult result;
  result.crs = o.gcj02 ? std::string(kLonLatCrs) : crs->text;
  const GIntBig count = OGR_L_GetFeatureCount(layer, FALSE);  // -1 when counting is costly
  const size_t expected = count > 0 ? static_cast<size_t>(count) : 0;
  bool done = false;
  const bool pointLayer = plan.layerKind == GeometryKind::Point &&
                          (plan.expectKind == GeometryKind::None || plan.expectKind == GeometryKind::Point);
  // GDAL's Arrow stream turns typed dates into day numbers without checking them (a
  // "2018-02-30" GDAL typed as a date arrives as 2018-03-02), while the feature path reports
  // such a date as an error. So that both paths agree, layers whose read needs a typed
  // date field go feature by feature.
  bool typedDates = false;
  for (const ColumnPlan& c : plan.columns) typedDates |= c.read == ValueRead::DateField;
  for (const SourceField* f : {&plan.start, &plan.end}) typedDates |= f->read == ValueRead::DateField;
  // GDAL before 3.8.3 packs boolean fields wrongly in the Arrow stream (OSGeo/gdal#8998):
  // such layers go feature by feature too.
  bool boolFields = false;
#if GDAL_VERSION_NUM < GDAL_COMPUTE_VERSION(3, 8, 3)
  for (const ColumnPlan& c : plan.columns)
    boolFields |= OGR_Fld_GetSubType(OGR_FD_GetFieldDefn(defn, c.srcIndex)) == OFSTBoolean;
#endif
  if (o.useArrowStream && pointLayer && o.attributeFilter.empty() && !typedDates && !boolFields) {
    TableBuilder builder(plan, result);
    builder.reserve(expected, expected);
    ArrowReader arrow(plan, builder);
    switch (arrow.run(layer, err)) {
      case ArrowOutcome::Done:
        done = !capture.failed();
        result.viaArrowStream = done;
        break;
      case ArrowOutcome::Error: return std::nullopt;
      case ArrowOutcome::Fallback: break;
    }
    if (!done) {
      // Start again from nothing on the feature path.
      result = VectorReadResult{};
      result.crs = o.gcj02 ? std::string(kLonLatCrs) : crs->text;
      capture.reset();
    }
  }
  if (!done) {
    TableBuilder builder(plan, result);
    builder.reserve(expected, expected);
    FeatureReader reader(plan, builder);
    if (!reader.run(layer, capture, err)) return std::nullopt;
  }

  result.kind = result.table.geometry.kind;
  if (o.gcj02) gcj02ToWgs84InPlace(result.table.geometry.xy);
  if (result.skipped > 0)
    logWarning(plan.prefix + ": " + std::to_string(result.skipped) + " feature(s) skipped, " +
               std::to_string(result.table.featureCount()) + " read");
  return result;
}

}  // namespace bcmap
