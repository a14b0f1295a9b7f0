// ArrowReader.cpp — sections: Arrow arrays · the stream · entry points
#include "io/ArrowReader.h"

#include <cpl_string.h>
#include <ogr_recordbatch.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace bcmap {

namespace {

// ---- Arrow arrays ----------------------------------------------------------------------------

// Arrow C data interface formats we read (https://arrow.apache.org/docs/format/CDataInterface.html).
// Dates: date32 (days), date64 (ms), and timestamps (GDAL's for a DateTime field) in seconds
// to nanoseconds since 1970 UTC, with a fixed offset when GDAL names one.
enum class ArrowType {
  Unsupported, Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32,
  Float64, Utf8, LargeUtf8, Binary, LargeBinary, Date32, Date64, Timestamp
};

bool isDateType(ArrowType t) { return t == ArrowType::Date32 || t == ArrowType::Date64 || t == ArrowType::Timestamp; }

// A timestamp's unit (per second) and time zone offset in seconds: "tsm:", "tsu:+08:00".
struct TimestampFormat {
  int64_t perSecond = 0;  // 0: not a timestamp this reader reads
  int64_t offsetSeconds = 0;
};

TimestampFormat timestampFormatOf(std::string_view f) {
  TimestampFormat t;
  if (f.size() < 4 || f.substr(0, 2) != "ts" || f[3] != ':') return t;
  switch (f[2]) {
    case 's': t.perSecond = 1; break;
    case 'm': t.perSecond = 1000; break;
    case 'u': t.perSecond = 1000000; break;
    case 'n': t.perSecond = 1000000000; break;
    default: return t;
  }
  const std::string_view zone = f.substr(4);
  if (zone.empty() || zone == "UTC" || zone == "Z" || zone == "Etc/UTC") return t;
  // "+HH:MM" or "-HH:MM"; named zones (daylight saving) are left to the feature path.
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto digit = [&](size_t i) { return zone[i] >= '0' && zone[i] <= '9' ? zone[i] - '0' : -1; };
    const int h1 = digit(1), h2 = digit(2), m1 = digit(4), m2 = digit(5);
    if (h1 >= 0 && h2 >= 0 && m1 >= 0 && m2 >= 0) {
      t.offsetSeconds = ((h1 * 10 + h2) * 60 + (m1 * 10 + m2)) * 60 * (zone[0] == '-' ? -1 : 1);
      return t;
    }
  }
  t.perSecond = 0;
  return t;
}

ArrowType arrowTypeOf(const char* format) {
  const std::string_view f = format != nullptr ? format : "";
  if (f == "tdD") return ArrowType::Date32;
  if (f == "tdm") return ArrowType::Date64;
  if (timestampFormatOf(f).perSecond > 0) return ArrowType::Timestamp;
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
  TimestampFormat timestamp;  // type Timestamp

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
  // A date column's day (days since 1970-01-01, the date as written where a timestamp
  // names its offset), nullopt outside the years 0000..9999 that text dates allow.
  std::optional<int32_t> day(int64_t row) const {
    constexpr int64_t kSecondsPerDay = 86400;
    auto floorDiv = [](int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
    int64_t d = 0;
    switch (type) {
      case ArrowType::Date32: d = at<int32_t>(row); break;
      case ArrowType::Date64: d = floorDiv(at<int64_t>(row), kSecondsPerDay * 1000); break;
      case ArrowType::Timestamp: {
        const int64_t seconds = floorDiv(at<int64_t>(row), timestamp.perSecond) + timestamp.offsetSeconds;
        d = floorDiv(seconds, kSecondsPerDay);
        break;
      }
      default: return std::nullopt;
    }
    static const int64_t first = *parseDate("0000-01-01"), last = *parseDate("9999-12-31");
    if (d < first || d > last) return std::nullopt;
    return static_cast<int32_t>(d);
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

// One row's values for TableBuilder::appendValues, by slot.
struct ArrowRow {
  const std::vector<ArrowColumn>& values;
  int64_t row;

  bool isNull(size_t slot) const { return !values[slot].valid(row); }
  int64_t integer(size_t slot) const { return values[slot].integer(row); }
  double real(size_t slot) const { return values[slot].real(row); }
  void appendString(StringColumn& out, size_t slot) const { out.push_back(values[slot].bytes(row)); }
  // Dates as text, or typed (see arrowStreamFits).
  std::optional<int32_t> day(size_t slot) const {
    const ArrowColumn& c = values[slot];
    if (c.array == nullptr || !c.valid(row)) return kNoDay;
    if (isDateType(c.type)) return c.day(row);
    return dayOfText(c.bytes(row));
  }
  std::string dateText(size_t slot) const {
    const ArrowColumn& c = values[slot];
    if (!isDateType(c.type)) return std::string(c.bytes(row));
    // Out of range: the raw number and its unit, as no calendar date can be shown.
    if (c.type == ArrowType::Date32) return std::to_string(c.at<int32_t>(row)) + " days since 1970-01-01";
    return std::to_string(c.at<int64_t>(row)) + " units since 1970-01-01 (Arrow " +
           (c.type == ArrowType::Date64 ? "date64" : "timestamp") + ")";
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

// ---- the stream ------------------------------------------------------------------------------

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
    // No row from a layer whose header declares some (a FlatGeobuf cut where its features
    // begin): the feature path says so, naming the file (readOgrFeatures).
    if (ordinal == 0 && OGR_L_TestCapability(layer, OLCFastFeatureCount) && OGR_L_GetFeatureCount(layer, FALSE) > 0)
      return ArrowOutcome::Fallback;
    return ArrowOutcome::Done;
  }

 private:
  struct Binding {
    int64_t child = -1;
    ArrowType type = ArrowType::Unsupported;
    TimestampFormat timestamp;
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
      if (b.type == ArrowType::Timestamp) b.timestamp = timestampFormatOf(schema.children[b.child]->format);
      switch (read) {
        case ValueRead::Integer: return isIntegerType(b.type);
        case ValueRead::Real: return isIntegerType(b.type) || b.type == ArrowType::Float32 || b.type == ArrowType::Float64;
        case ValueRead::String:
        case ValueRead::DateFromString: return isStringType(b.type);
        case ValueRead::DateField: return isDateType(b.type);
      }
      return false;
    };
    // By slot (ReadPlan::startSlot): the columns, then the time fields (child -1: not read).
    values_.assign(plan_.endSlot() + 1, Binding{});
    for (size_t c = 0; c < plan_.columns.size(); ++c)
      if (!bind(plan_.columns[c].srcName, plan_.columns[c].read, values_[c])) return false;
    // ids are shown as text: integer and string ids both work.
    if (plan_.id.index >= 0) {
      id_.child = childNamed(schema, plan_.id.name);
      if (id_.child < 0) return false;
      id_.type = arrowTypeOf(schema.children[id_.child]->format);
      if (!isIntegerType(id_.type) && !isStringType(id_.type)) return false;
    }
    if (plan_.start.index >= 0 && !bind(plan_.start.name, plan_.start.read, values_[plan_.startSlot()])) return false;
    if (plan_.end.index >= 0 && !bind(plan_.end.name, plan_.end.read, values_[plan_.endSlot()])) return false;
    return true;
  }

  ArrowColumn columnOf(const ArrowArray& batch, const Binding& b) const {
    ArrowColumn c;
    c.array = batch.children[b.child];
    c.type = b.type;
    c.timestamp = b.timestamp;
    c.base = batch.offset + c.array->offset;
    return c;
  }

  ArrowOutcome readBatch(const ArrowArray& batch, size_t& ordinal, std::string* err) {
    const ArrowColumn geometry = columnOf(batch, geometry_);
    std::vector<ArrowColumn> values;
    values.reserve(values_.size());
    for (const Binding& b : values_) values.push_back(b.child >= 0 ? columnOf(batch, b) : ArrowColumn{});
    const ArrowColumn id = id_.child >= 0 ? columnOf(batch, id_) : ArrowColumn{};

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
          status = readWkb(data, wkb.size(), scratch_);
          if (status == WkbStatus::Curve) return ArrowOutcome::Fallback;
        }
      }
      if (!out_.accept(scratch_, status, n, idText, err)) {
        if (out_.failed()) return ArrowOutcome::Error;
        continue;
      }
      ArrowRow rowValues{values, row};
      if (!out_.appendValues(rowValues, n, std::move(idText), err)) return ArrowOutcome::Error;
      out_.commitGeometry(scratch_);
    }
    return ArrowOutcome::Done;
  }

  const ReadPlan& plan_;
  TableBuilder& out_;
  Binding geometry_, id_;
  std::vector<Binding> values_;  // by slot
  GeometryScratch scratch_;
};

}  // namespace


// ---- entry points ------------------------------------------------------------------------------

bool arrowStreamFits(OGRLayerH layer, const ReadPlan& plan, long long featureCount) {
  // GDAL's Arrow stream turns typed dates into day numbers without checking them (a
  // "2018-02-30" GDAL typed as a date arrives as 2018-03-02), while the feature path reports
  // such a date as an error: small layers whose read needs a typed date field go feature
  // by feature, so that both paths agree there (kArrowTypedDatesMinFeatures).
  if (plan.readsTypedDates() && featureCount < kArrowTypedDatesMinFeatures) return false;
  // GDAL before 3.8.3 packs boolean fields wrongly in the Arrow stream (OSGeo/gdal#8998):
  // such layers go feature by feature too.
#if GDAL_VERSION_NUM < GDAL_COMPUTE_VERSION(3, 8, 3)
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (const ColumnPlan& c : plan.columns)
    if (OGR_Fld_GetSubType(OGR_FD_GetFieldDefn(defn, c.srcIndex)) == OFSTBoolean) return false;
#else
  (void)layer;
#endif
  return true;
}

ArrowOutcome readArrowStream(OGRLayerH layer, const ReadPlan& plan, TableBuilder& out, std::string* err) {
  return ArrowReader(plan, out).run(layer, err);
}

}  // namespace bcmap
