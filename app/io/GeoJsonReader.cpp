// GeoJsonReader.cpp — sections:
//   helpers · the file (mmap'd, padded for simdjson) · JSON text as GDAL shows it (json-c) ·
//   value classes and GDAL's field typing · GDAL's list text · the reader: schema pass
//   (validation, fields, staged geometry, layer type), field order, read plan and fill pass
//   (mirroring VectorReader.cpp) · entry points
//
// The file is walked once with simdjson's On-Demand API: the schema pass validates every
// value (On-Demand checks only what is read, so nothing is skipped), stages every geometry,
// infers the field types and keeps the raw property values (strings stay in the parser's
// string buffer); the fill pass turns them into the table once the types are known.
#include "io/GeoJsonReader.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_core.h>
#include <simdjson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "geometry/Gcj02.h"
#include "model/Log.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"

namespace bcmap {

// ---- helpers ---------------------------------------------------------------------------
namespace {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;

// GDAL's EQUAL(): ASCII case-insensitive.
bool equalNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool endsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && equalNoCase(s.substr(s.size() - suffix.size()), suffix);
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool hasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

// OGR's flat geometry type codes, as far as the layer type needs them.
constexpr int kOgrUnknown = 0, kOgrPoint = 1, kOgrLineString = 2, kOgrPolygon = 3, kOgrMultiPoint = 4,
              kOgrMultiLineString = 5, kOgrMultiPolygon = 6, kOgrCollection = 7;

GeometryKind kindOfOgrFlatType(int type) {
  switch (type) {
    case kOgrPoint: case kOgrMultiPoint: return GeometryKind::Point;
    case kOgrLineString: case kOgrMultiLineString: return GeometryKind::Line;
    case kOgrPolygon: case kOgrMultiPolygon: return GeometryKind::Polygon;
    default: return GeometryKind::None;  // collection or unknown
  }
}

// Geometry collections nested deeper than this go to GDAL (VectorReader's WKB parser has its
// own limit, 32; real data has one level at most).
constexpr int kMaxCollectionDepth = 8;

// GDAL's streaming GeoJSON parser refuses a feature whose in-memory estimate exceeds
// OGR_GEOJSON_MAX_OBJ_SIZE (200 MB by default). The estimate here charges 200 bytes a JSON
// value (json-c's objects are 40-100 bytes, plus GDAL's array and map overheads) and a byte
// a string byte, and declines above half the limit, so no feature GDAL refuses is read here.
constexpr size_t kValueCostBytes = 200;
constexpr size_t kMaxFeatureCostBytes = 100u * 1024 * 1024;

// ---- the file (mmap'd, padded for simdjson) ----------------------------------------------
// simdjson reads up to SIMDJSON_PADDING bytes past the end. The file is mapped over an
// anonymous mapping that long: past the end of the file, the last file page and the
// anonymous pages after it read as zeros. (A file truncated by another process while it is
// read would fault; bcmap reads data files nobody rewrites under it.)
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (base_ != MAP_FAILED) munmap(base_, mapped_);
  }

  bool open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
      size_ = static_cast<size_t>(st.st_size);
      const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
      mapped_ = (size_ + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
      base_ = mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      ok = base_ != MAP_FAILED;
      // MAP_POPULATE: the pages are read in now, in one go, not faulted in one by one.
      if (ok && size_ > 0)
        ok = mmap(base_, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) != MAP_FAILED;
    }
    ::close(fd);
    return ok;
  }

  simdjson::padded_string_view view() const {
    return simdjson::padded_string_view(static_cast<const char*>(base_), size_, mapped_);
  }

 private:
  void* base_ = MAP_FAILED;
  size_t size_ = 0;
  size_t mapped_ = 0;
};

// ---- JSON text as GDAL shows it (json-c) -------------------------------------------------
// GDAL keeps property values as json-c objects and shows non-string values in string fields
// with json-c's serializer (JSON_C_TO_STRING_SPACED, json-c 0.16): doubles as "%.17g" plus
// ".0" when that looks like an integer, strings escaped with "\/" and \u00XX for controls.

void appendJsonCDouble(std::string& out, double d) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", d);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return;
  char* comma = std::strchr(buf, ',');  // json-c undoes a comma decimal separator too
  if (comma != nullptr) *comma = '.';
  const bool hasDot = std::strchr(buf, '.') != nullptr;
  const bool hasExponent = std::strchr(buf, 'e') != nullptr;
  const bool looksNumeric = isDigit(buf[0]) || (n > 1 && buf[0] == '-' && isDigit(buf[1]));
  out.append(buf, static_cast<size_t>(n));
  if (looksNumeric && !hasDot && !hasExponent) out += ".0";
}

void appendJsonCEscaped(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\f': out += "\\f"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '/': out += "\\/"; break;
      default:
        if (c < ' ') {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
}

// ---- value classes and GDAL's field typing ---------------------------------------------

// What a property value is, for GDAL's type inference.
enum class ValueClass : uint8_t {
  Null, Bool, Int32, Int64, Real, PlainString, DateString,
  Json,  // an object, or an array that is not a list (empty, nested, mixed, with nulls)
  IntList, Int64List, RealList, StringList
};

// The OGR field types a GeoJSON property can get here (Undetermined: only nulls so far,
// which GDAL leaves as String).
enum class OgrType : uint8_t {
  Undetermined, Integer, Integer64, Real, String, Date,
  IntegerList, Integer64List, RealList, StringList
};

OgrType typeOfClass(ValueClass v) {
  switch (v) {
    case ValueClass::Null: return OgrType::Undetermined;
    case ValueClass::Bool:
    case ValueClass::Int32: return OgrType::Integer;
    case ValueClass::Int64: return OgrType::Integer64;
    case ValueClass::Real: return OgrType::Real;
    case ValueClass::PlainString:
    case ValueClass::Json: return OgrType::String;
    case ValueClass::DateString: return OgrType::Date;
    case ValueClass::IntList: return OgrType::IntegerList;
    case ValueClass::Int64List: return OgrType::Integer64List;
    case ValueClass::RealList: return OgrType::RealList;
    case ValueClass::StringList: return OgrType::StringList;
  }
  return OgrType::String;
}

bool isListClass(ValueClass v) {
  return v == ValueClass::IntList || v == ValueClass::Int64List || v == ValueClass::RealList ||
         v == ValueClass::StringList;
}

bool isListType(OgrType t) {
  return t == OgrType::IntegerList || t == OgrType::Integer64List || t == OgrType::RealList ||
         t == OgrType::StringList;
}

// GDAL's OGRGeoJSONReaderAddOrUpdateField, for the transitions GeoJsonReaderTest's fixtures
// check against GDAL 3.6; false for the others (the file then goes to GDAL).
bool mergeType(OgrType& t, ValueClass v) {
  if (v == ValueClass::Null) return true;
  const bool scalarOrJson = !isListClass(v);
  switch (t) {
    case OgrType::Undetermined: t = typeOfClass(v); return true;
    case OgrType::Integer:
      if (v == ValueClass::Bool || v == ValueClass::Int32) return true;
      if (v == ValueClass::Int64) { t = OgrType::Integer64; return true; }
      if (v == ValueClass::Real) { t = OgrType::Real; return true; }
      if (scalarOrJson) { t = OgrType::String; return true; }
      return false;
    case OgrType::Integer64:
      if (v == ValueClass::Bool || v == ValueClass::Int32 || v == ValueClass::Int64) return true;
      if (v == ValueClass::Real) { t = OgrType::Real; return true; }
      if (scalarOrJson) { t = OgrType::String; return true; }
      return false;
    case OgrType::Real:
      if (v == ValueClass::Bool || v == ValueClass::Int32 || v == ValueClass::Int64 || v == ValueClass::Real)
        return true;
      if (scalarOrJson) { t = OgrType::String; return true; }
      return false;
    case OgrType::String:
      // A string field takes anything but a list of strings (with which GDAL makes a
      // StringList field) and stays a string field.
      return v != ValueClass::StringList;
    case OgrType::Date:
      if (v == ValueClass::DateString) return true;
      if (scalarOrJson) { t = OgrType::String; return true; }
      return false;
    case OgrType::IntegerList:
      if (v == ValueClass::IntList) return true;
      if (v == ValueClass::Int64List) { t = OgrType::Integer64List; return true; }
      if (v == ValueClass::RealList) { t = OgrType::RealList; return true; }
      return false;
    case OgrType::Integer64List:
      if (v == ValueClass::IntList || v == ValueClass::Int64List) return true;
      if (v == ValueClass::RealList) { t = OgrType::RealList; return true; }
      return false;
    case OgrType::RealList:
      return v == ValueClass::IntList || v == ValueClass::Int64List || v == ValueClass::RealList;
    case OgrType::StringList: return v == ValueClass::StringList;
  }
  return false;
}

FieldType bcmapTypeOf(OgrType t) {
  switch (t) {
    case OgrType::Integer:
    case OgrType::Integer64: return FieldType::Integer;
    case OgrType::Real: return FieldType::Real;
    case OgrType::Date: return FieldType::Date;
    default: return FieldType::String;
  }
}

// "YYYY-MM-DD" with the month and day ranges OGRParseDate accepts (it does not check the
// day against the month: GDAL types "2018-02-30" as a date).
bool isPlainIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!isDigit(s[i])) return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Whether OGRParseDate could accept the text: it needs '-', '/' or ':' and, after leading
// spaces, a sign or a digit.
bool mayBeOgrDate(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i == s.size()) return false;
  const char c = s[i];
  if (!(c == '-' || c == '+' || isDigit(c))) return false;
  return s.find_first_of("-/:", i) != std::string_view::npos;
}

struct FieldState {
  std::string name;
  OgrType type = OgrType::Undetermined;
};

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// ---- GDAL's list text ----------------------------------------------------------------------
// GDAL's text for list fields ("(3:1,2,3)"), made by GDAL itself on a scratch feature so
// that every detail (number formats, separators) is GDAL's.
class OgrListText {
 public:
  OgrListText() {
    defn_ = OGR_FD_Create("lists");
    OGR_FD_Reference(defn_);
    for (OGRFieldType t : {OFTIntegerList, OFTInteger64List, OFTRealList, OFTStringList}) {
      OGRFieldDefnH f = OGR_Fld_Create("v", t);
      OGR_FD_AddFieldDefn(defn_, f);
      OGR_Fld_Destroy(f);
    }
    feature_ = OGR_F_Create(defn_);
  }
  ~OgrListText() {
    OGR_F_Destroy(feature_);
    OGR_FD_Release(defn_);
  }
  OgrListText(const OgrListText&) = delete;
  OgrListText& operator=(const OgrListText&) = delete;

  // Numbers as GDAL reads them into each list type (json_object_get_int/int64/double).
  std::vector<int64_t> ints;
  std::vector<double> reals;
  std::vector<std::string> strings;

  std::string text(OgrType type) {
    switch (type) {
      case OgrType::IntegerList: {
        std::vector<int> v(ints.begin(), ints.end());
        OGR_F_SetFieldIntegerList(feature_, 0, static_cast<int>(v.size()), v.data());
        return OGR_F_GetFieldAsString(feature_, 0);
      }
      case OgrType::Integer64List: {
        std::vector<GIntBig> v(ints.begin(), ints.end());
        OGR_F_SetFieldInteger64List(feature_, 1, static_cast<int>(v.size()), v.data());
        return OGR_F_GetFieldAsString(feature_, 1);
      }
      case OgrType::RealList:
        OGR_F_SetFieldDoubleList(feature_, 2, static_cast<int>(reals.size()), reals.data());
        return OGR_F_GetFieldAsString(feature_, 2);
      case OgrType::StringList: {
        std::vector<char*> list;
        for (std::string& s : strings) list.push_back(s.data());
        list.push_back(nullptr);
        OGR_F_SetFieldStringList(feature_, 3, list.data());
        return OGR_F_GetFieldAsString(feature_, 3);
      }
      default: return {};
    }
  }

 private:
  OGRFeatureDefnH defn_ = nullptr;
  OGRFeatureH feature_ = nullptr;
};

// ---- the reader -----------------------------------------------------------------------------

// Every geometry of the file, parsed in the schema pass. Feature f owns xy[xyBegin[f],
// xyBegin[f+1]) and so on, laid out as VectorReader's GeometryScratch.
struct StagedGeometry {
  std::vector<Vec2> xy;
  std::vector<uint32_t> ringSizes;
  std::vector<uint32_t> partRingCounts;
  std::vector<size_t> xyBegin{0}, ringBegin{0}, partBegin{0};
  std::vector<GeometryKind> kind;
  std::vector<uint8_t> mixed;  // a collection mixing kinds (VectorReader's WkbStatus::Mixed)
};

// A "coordinates" member before its geometry's type is known: positions (x, y, z) and, in
// preorder, the element count of every array above the positions.
struct Coordinates {
  std::vector<double> xyz;
  std::vector<uint32_t> counts;
  int positionDepth = -1;  // nesting level of the positions (0: "coordinates" is one)
  void clear() {
    xyz.clear();
    counts.clear();
    positionDepth = -1;
  }
};

// A non-null property value as the schema pass read it, kept until its field's type is known.
// 16 bytes: a million features with a handful of fields make tens of millions of these.
enum class RawTag : uint8_t { Bool, Int, Real, String, Json };
struct RawValue {
  union {
    int64_t integer;   // Bool (0/1), Int
    double real;       // Real
    const char* text;  // String: in the parser's string buffer, valid while the document is
    size_t json;       // Json: index into FastReader::json_
  };
  uint32_t row;              // the feature
  uint32_t length : 29;      // String (longer strings are declined)
  uint32_t tagBits : 3;
  RawTag tag() const { return static_cast<RawTag>(tagBits); }
  void setTag(RawTag t) { tagBits = static_cast<uint32_t>(t) & 7u; }
};
constexpr size_t kMaxRawStringLength = (size_t{1} << 29) - 1;

// An object or array value: json-c's text of it and, for arrays of numbers or strings, the
// elements as GDAL reads them into list fields.
struct JsonValue {
  std::string text;
  std::vector<int64_t> ints;
  std::vector<double> reals;
  std::vector<std::string> strings;
};

// How a source field becomes a value (VectorReader.cpp's ValueRead).
enum class ValueRead { Integer, Real, String, DateField, DateFromString };

struct ColumnPlan {
  std::string name;
  std::string srcName;
  int srcIndex = -1;
  ValueRead read = ValueRead::String;
  FieldType type = FieldType::String;
};

struct SourceField {
  int index = -1;
  std::string name;
  ValueRead read = ValueRead::String;
};

std::string featureLabel(size_t ordinal, const std::string& id) {
  std::string n = "feature " + std::to_string(ordinal);
  if (!id.empty()) n += " (id " + id + ")";
  return n;
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

class FastReader {
 public:
  // One coordinate buffer per collection depth, made up front: parseGeometry holds a
  // reference to its own while it recurses.
  explicit FastReader(const VectorReadOptions& o)
      : o_(o), path_(o.path), coordinates_(static_cast<size_t>(kMaxCollectionDepth) + 1) {}

  GeoJsonFastResult run(std::string* err) {
    GeoJsonFastResult out;
    if (!checkEnvironment() || !open() || !schemaPass()) {
      out.declined = why_;
      return out;
    }
    orderFields();
    switch (fill(out.result, err)) {
      case Fill::Done: out.status = GeoJsonFastStatus::Read; break;
      case Fill::Error: out.status = GeoJsonFastStatus::Failed; break;
      case Fill::Declined:
        out.declined = why_;
        out.result = VectorReadResult{};
        break;
    }
    return out;
  }

 private:
  bool decline(std::string why) {
    if (why_.empty()) why_ = std::move(why);
    return false;
  }
  bool jsonError(simdjson::error_code e) { return decline(std::string("JSON: ") + simdjson::error_message(e)); }

  // ---- set-up: GDAL would open this file with its GeoJSON driver, with default options --
  bool checkEnvironment() {
    // Configuration options that change how GDAL's GeoJSON driver reads.
    for (const char* key : {"OGR_GEOJSON_MAX_OBJ_SIZE", "OGR_GEOJSON_ARRAY_AS_STRING",
                            "OGR_GEOJSON_DATE_AS_STRING", "OGR_GEOJSON_MAX_BYTES_FIRST_PASS",
                            "OGR_GEOJSON_MAX_FEATURES_FIRST_PASS", "GEOJSON_FLATTEN_GEOCOUCH",
                            "OGR_GEOMETRY_ACCEPT_UNCLOSED_RING"}) {
      if (CPLGetConfigOption(key, nullptr) != nullptr)
        return decline(std::string("the GDAL configuration option ") + key + " is set");
    }
    const std::vector<std::string>& drivers = o_.allowedDrivers.empty() ? kDefaultVectorDrivers : o_.allowedDrivers;
    std::vector<const char*> list;
    for (const std::string& d : drivers) list.push_back(d.c_str());
    list.push_back(nullptr);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDriverH driver = GDALIdentifyDriverEx(path_.c_str(), GDAL_OF_VECTOR, list.data(), nullptr);
    CPLPopErrorHandler();
    CPLErrorReset();
    if (driver == nullptr || !equalNoCase(GDALGetDriverShortName(driver), "GeoJSON"))
      return decline("GDAL would not open it with its GeoJSON driver");
    return true;
  }

  bool open() {
    if (!file_.open(path_)) return decline("cannot be mapped into memory");
    // A little deeper than the reader goes itself (it declines past kGeoJsonMaxJsonDepth).
    if (parser_.allocate(file_.view().length(), kGeoJsonMaxJsonDepth + 8) != SUCCESS)
      return decline("too large for the JSON parser");
    const simdjson::error_code e = parser_.iterate(file_.view()).get(doc_);
    return e == SUCCESS || jsonError(e);
  }

  // ---- the schema pass --------------------------------------------------------------------
  bool schemaPass() {
    od::object root;
    simdjson::error_code e = doc_.get_object().get(root);
    if (e != SUCCESS) return jsonError(e);
    bool hasType = false, hasFeatures = false, hasCrs = false;
    for (auto member : root) {
      od::field f;
      std::string_view key;
      if ((e = std::move(member).get(f)) != SUCCESS || (e = f.unescaped_key().get(key)) != SUCCESS)
        return jsonError(e);
      od::value& v = f.value();
      if (key == "type") {
        std::string_view t;
        if (hasType || v.get_string().get(t) != SUCCESS || t != "FeatureCollection")
          return decline("not a FeatureCollection");
        hasType = true;
      } else if (key == "features") {
        od::array features;
        if (hasFeatures || v.get_array().get(features) != SUCCESS) return decline("'features' is not one array");
        hasFeatures = true;
        const char* first = nullptr;
        for (auto item : features) {
          od::value feature;
          if ((e = std::move(item).get(feature)) != SUCCESS) return jsonError(e);
          if (featureCount_ == 0 && doc_.current_location().get(first) != SUCCESS) first = nullptr;
          if (!schemaOfFeature(feature)) return false;
          ++featureCount_;
          if (featureCount_ == kEstimateAfter && first != nullptr) reserveByEstimate(first);
        }
      } else if (key == "crs") {
        if (hasCrs || !readCrs(v)) return decline("a crs other than WGS 84 longitude/latitude");
        hasCrs = true;
      } else if (equalNoCase(key, "type") || equalNoCase(key, "features") || equalNoCase(key, "crs")) {
        return decline("a member named '" + std::string(key) + "' (GDAL matches names without case)");
      } else if (!checkJson(v, 2)) {
        return false;
      }
    }
    const char* trailing = nullptr;
    if (doc_.current_location().get(trailing) == SUCCESS) return decline("JSON: content after the root object");
    if (!hasType || !hasFeatures) return decline("not a FeatureCollection with a 'features' array");
    if (topLevelIds_ > 0 && topLevelIds_ != featureCount_)
      return decline("only some features have an 'id' (GDAL renumbers clashing ones)");
    if (topLevelIds_ > 0 && idProperty_) return decline("features with both an 'id' and an 'id' property");
    return true;
  }

  // After the first kEstimateAfter features, the rest of the file is guessed to hold features
  // like them, and the per-feature arrays are reserved for that (growing them by doubling
  // costs a copy and fresh pages each time; reserving only maps address space).
  static constexpr size_t kEstimateAfter = 1024;
  void reserveByEstimate(const char* first) {
    const char* here = nullptr;
    if (doc_.current_location().get(here) != SUCCESS || here <= first) return;
    const char* end = file_.view().data() + file_.view().length();
    const double perFeature = static_cast<double>(here - first) / static_cast<double>(featureCount_);
    const double scale = 1.1 * (static_cast<double>(end - first) / perFeature) / static_cast<double>(featureCount_);
    auto grow = [scale](auto& v) { v.reserve(static_cast<size_t>(static_cast<double>(v.size()) * scale) + 16); };
    grow(staged_.xy);
    grow(staged_.ringSizes);
    grow(staged_.partRingCounts);
    grow(staged_.xyBegin);
    grow(staged_.ringBegin);
    grow(staged_.partBegin);
    grow(staged_.kind);
    grow(staged_.mixed);
    for (std::vector<RawValue>& r : raw_) grow(r);
  }

  // The crs forms GDAL reads as EPSG:4326 with longitude first (GeoJsonReaderTest checks
  // them against GDAL); any other crs goes to GDAL.
  bool readCrs(od::value crs) {
    od::object o, props;
    std::string_view key, type, name;
    size_t members = 0, propMembers = 0;
    if (crs.get_object().get(o) != SUCCESS) return false;
    for (auto member : o) {
      od::field f;
      if (std::move(member).get(f) != SUCCESS || f.unescaped_key().get(key) != SUCCESS) return false;
      ++members;
      if (key == "type") {
        if (f.value().get_string().get(type) != SUCCESS || type != "name") return false;
      } else if (key == "properties") {
        if (f.value().get_object().get(props) != SUCCESS) return false;
        for (auto pm : props) {
          od::field pf;
          if (std::move(pm).get(pf) != SUCCESS || pf.unescaped_key().get(key) != SUCCESS || key != "name" ||
              pf.value().get_string().get(name) != SUCCESS)
            return false;
          ++propMembers;
        }
      } else {
        return false;
      }
    }
    if (members != 2 || propMembers != 1) return false;
    if (name != "urn:ogc:def:crs:OGC:1.3:CRS84" && name != "EPSG:4326" && name != "urn:ogc:def:crs:EPSG::4326")
      return false;
    crsIsLonLat_ = true;
    return true;
  }

  bool schemaOfFeature(od::value feature) {
    od::object fo;
    if (feature.get_object().get(fo) != SUCCESS) return decline("a feature that is not a JSON object");
    bool hasProps = false, hasGeometry = false, hasType = false, hasId = false, hasOthers = false;
    featureCost_ = 0;
    sequence_.clear();
    stringId_ = false;
    GeometryKind kind = GeometryKind::None;
    bool mixed = false;
    simdjson::error_code e;
    for (auto member : fo) {
      od::field f;
      std::string_view key;
      if ((e = std::move(member).get(f)) != SUCCESS || (e = f.unescaped_key().get(key)) != SUCCESS)
        return jsonError(e);
      od::value& v = f.value();
      if (key == "properties") {
        if (hasProps) return decline("a feature with two 'properties'");
        hasProps = true;
        if (!schemaOfProperties(v)) return false;
      } else if (key == "geometry") {
        if (hasGeometry) return decline("a feature with two 'geometry' members");
        hasGeometry = true;
        bool isNull = false;
        if (v.is_null().get(isNull) != SUCCESS) return decline("JSON: a bad literal");
        if (!isNull) {
          dims_ = 0;
          int ogrType = kOgrUnknown;
          if (!parseGeometry(v, 3, 0, kind, mixed, ogrType)) return false;
          updateLayerType(ogrType, dims_ == 3);
        }
      } else if (key == "type") {
        if (hasType) return decline("a feature with two 'type' members");
        hasType = true;
        if (!checkJson(v, 4)) return false;
      } else if (key == "id") {
        if (hasId) return decline("a feature with two 'id' members");
        hasId = true;
        if (!readFeatureId(v)) return false;
      } else if (key == "bbox") {
        if (!checkJson(v, 4)) return false;
      } else if (equalNoCase(key, "properties") || equalNoCase(key, "geometry") || equalNoCase(key, "type") ||
                 equalNoCase(key, "id") || equalNoCase(key, "bbox")) {
        return decline("a feature member named '" + std::string(key) + "' (GDAL matches names without case)");
      } else if (key == "stac_version") {
        return decline("a STAC item (GDAL reads its foreign members)");
      } else {
        hasOthers = true;
        if (!checkJson(v, 4)) return false;
      }
    }
    if (!hasProps && hasOthers)
      return decline("a feature without 'properties' but with other members (GDAL reads those as fields)");
    if (!hasType) return decline("a feature without 'type'");
    if (featureCost_ > kMaxFeatureCostBytes) return decline("a feature too large for GDAL's default limit");

    staged_.xyBegin.push_back(staged_.xy.size());
    staged_.ringBegin.push_back(staged_.ringSizes.size());
    staged_.partBegin.push_back(staged_.partRingCounts.size());
    staged_.kind.push_back(kind);
    staged_.mixed.push_back(mixed);

    // GDAL's OGRGeoJSONGenerateFeatureDefnDealWithID: a string id is a String field "id"
    // that comes before the properties.
    if (stringId_) {
      if (idField_ < 0) {
        for (const FieldState& fs : fields_)
          if (equalNoCase(fs.name, "id")) return decline("a string feature id and a property '" + fs.name + "'");
        idField_ = addField("id", OgrType::String);
      }
      sequence_.insert(sequence_.begin(), idField_);
      const size_t i = static_cast<size_t>(idField_);
      if (keep_[i]) {
        RawValue raw{};
        raw.row = static_cast<uint32_t>(featureCount_);
        raw.setTag(RawTag::String);
        if (stringIdValue_.size() > kMaxRawStringLength) return decline("an id longer than 512 MB");
        raw.text = stringIdValue_.data();
        raw.length = static_cast<uint32_t>(stringIdValue_.size());
        raw_[i].push_back(raw);
      }
    }
    // GDAL orders fields by a graph of "comes before" edges between consecutive keys.
    if (sequence_ != lastSequence_) {
      for (size_t k = 1; k < sequence_.size(); ++k) addEdge(sequence_[k - 1], sequence_[k]);
      lastSequence_ = sequence_;
    }
    return true;
  }

  // GDAL takes non-negative integer ids as feature ids (FIDs, which readVector does not
  // read; clashing ones are renumbered with a warning, so only increasing ones are taken
  // here) and string ids as an "id" field in front of the properties. Other ids, or a mix,
  // go to GDAL.
  bool readFeatureId(od::value id) {
    od::json_type type;
    if (id.type().get(type) != SUCCESS) return decline("JSON: a bad feature id");
    const bool isString = type == od::json_type::string;
    if (topLevelIds_ == 0) stringIds_ = isString;
    if (isString != stringIds_) return decline("features mixing string and integer ids");
    if (isString) {
      std::string_view s;
      if (id.get_string().get(s) != SUCCESS) return decline("JSON: a bad feature id");
      if (hasNul(s)) return decline("an id holding a NUL");
      stringId_ = true;
      stringIdValue_ = s;
    } else {
      od::number n;
      if (type != od::json_type::number || id.get_number().get(n) != SUCCESS || !n.is_int64() || n.get_int64() < 0)
        return decline("a feature id that is neither a string nor a non-negative integer");
      if (topLevelIds_ > 0 && n.get_int64() <= lastId_) return decline("feature ids that do not increase");
      lastId_ = n.get_int64();
    }
    ++topLevelIds_;
    return true;
  }

  // -- geometry --

  // OGRGeoJSONUpdateLayerGeomType.
  void updateLayerType(int type, bool z) {
    if (firstGeometry_) {
      layerType_ = type;
      layerZ_ = z;
      firstGeometry_ = false;
    } else if (type == layerType_) {
      layerZ_ = layerZ_ || z;  // the same type with and without Z: with Z
    } else if (layerType_ != kOgrUnknown) {
      layerType_ = kOgrUnknown;
      layerZ_ = false;
    }
  }

  static bool mergeKind(GeometryKind& kind, GeometryKind sub) {
    if (sub == GeometryKind::None) return true;
    if (kind == GeometryKind::None) kind = sub;
    return kind == sub;
  }

  // Reads a "coordinates" value into c: nested arrays whose leaves are positions of 2 or 3
  // numbers, all at the same depth and with the same dimension throughout the feature.
  bool readCoordinates(od::value v, int jsonDepth, int level, Coordinates& c) {
    if (jsonDepth > static_cast<int>(kGeoJsonMaxJsonDepth)) return decline("JSON nested too deeply");
    od::array a;
    if (v.get_array().get(a) != SUCCESS) return decline("coordinates that are not arrays of numbers");
    uint32_t count = 0;
    bool isPosition = false;
    size_t countSlot = 0;
    for (auto item : a) {
      od::value x;
      od::json_type type;
      simdjson::error_code e;
      if ((e = std::move(item).get(x)) != SUCCESS || (e = x.type().get(type)) != SUCCESS) return jsonError(e);
      if (count == 0) {
        isPosition = type == od::json_type::number;
        if (!isPosition) {
          countSlot = c.counts.size();
          c.counts.push_back(0);
        }
      }
      if (isPosition) {
        od::number n;
        if (type != od::json_type::number) return decline("a position holding something else than numbers");
        if ((e = x.get_number().get(n)) != SUCCESS) return jsonError(e);
        if (count == 3) return decline("a position with more than 3 ordinates");
        if (n.is_double()) c.xyz.push_back(n.get_double());
        else if (n.is_int64()) c.xyz.push_back(static_cast<double>(n.get_int64()));
        else return decline("a coordinate beyond the 64-bit integer range");
      } else if (!readCoordinates(x, jsonDepth + 1, level + 1, c)) {
        return false;
      }
      ++count;
    }
    if (count == 0) return decline("empty coordinates");
    if (!isPosition) {
      c.counts[countSlot] = count;
      return true;
    }
    if (count < 2) return decline("a position with fewer than 2 ordinates");
    if (dims_ == 0) dims_ = count;
    else if (dims_ != count) return decline("a geometry mixing 2D and 3D positions");
    if (count == 2) c.xyz.push_back(0);
    if (c.positionDepth < 0) c.positionDepth = level;
    else if (c.positionDepth != level) return decline("coordinates nested unevenly");
    featureCost_ += kValueCostBytes * (count + 1);
    return true;
  }

  // Converts c for a geometry of the given type into staged parts (VectorReader's WKB
  // layout). Rings must be closed and have 4 positions (GDAL warns about others).
  bool stageCoordinates(std::string_view type, const Coordinates& c, GeometryKind& kind) {
    size_t nextCount = 0, nextPosition = 0;
    auto take = [&] { return c.counts[nextCount++]; };
    auto position = [&](size_t i) { return Vec2{c.xyz[3 * i], c.xyz[3 * i + 1]}; };
    auto addPoint = [&] {
      staged_.xy.push_back(position(nextPosition++));
      staged_.ringSizes.push_back(1);
      staged_.partRingCounts.push_back(1);
    };
    auto addPath = [&](bool ring) {
      const uint32_t n = take();
      if (ring) {
        const size_t first = nextPosition, last = nextPosition + n - 1;
        if (n < 4) return decline("a ring with fewer than 4 positions");
        for (int k = 0; k < 3; ++k)
          if (c.xyz[3 * first + static_cast<size_t>(k)] != c.xyz[3 * last + static_cast<size_t>(k)])
            return decline("an unclosed ring (GDAL warns about it)");
      }
      for (uint32_t i = 0; i < n; ++i) staged_.xy.push_back(position(nextPosition++));
      staged_.ringSizes.push_back(n);
      return true;
    };
    auto addPolygon = [&] {
      const uint32_t rings = take();
      for (uint32_t r = 0; r < rings; ++r)
        if (!addPath(true)) return false;
      staged_.partRingCounts.push_back(rings);
      return true;
    };
    // The nesting level of the positions in each type's coordinates, and its kind.
    struct Shape {
      std::string_view type;
      int depth;
      GeometryKind kind;
    };
    static constexpr Shape kShapes[] = {
        {"Point", 0, GeometryKind::Point},           {"MultiPoint", 1, GeometryKind::Point},
        {"LineString", 1, GeometryKind::Line},       {"MultiLineString", 2, GeometryKind::Line},
        {"Polygon", 2, GeometryKind::Polygon},       {"MultiPolygon", 3, GeometryKind::Polygon}};
    const Shape* shape = nullptr;
    for (const Shape& sh : kShapes)
      if (sh.type == type) shape = &sh;
    if (shape == nullptr) return decline("a geometry of type '" + std::string(type) + "'");
    if (c.positionDepth != shape->depth) return decline("coordinates nested unlike a " + std::string(type));
    if (type == "Point") {
      addPoint();
    } else if (type == "MultiPoint") {
      const uint32_t n = take();
      for (uint32_t i = 0; i < n; ++i) addPoint();
    } else if (type == "LineString") {
      if (!addPath(false)) return false;
      staged_.partRingCounts.push_back(1);
    } else if (type == "MultiLineString") {
      const uint32_t n = take();
      for (uint32_t i = 0; i < n; ++i) {
        if (!addPath(false)) return false;
        staged_.partRingCounts.push_back(1);
      }
    } else if (type == "Polygon") {
      if (!addPolygon()) return false;
    } else {
      const uint32_t n = take();
      for (uint32_t i = 0; i < n; ++i)
        if (!addPolygon()) return false;
    }
    mergeKind(kind, shape->kind);
    return true;
  }

  // Appends the geometry's parts to staged_; kind and mixed as VectorReader's WkbReader
  // reports them; ogrType for the layer type.
  bool parseGeometry(od::value g, int jsonDepth, int collectionDepth, GeometryKind& kind, bool& mixed,
                     int& ogrType) {
    if (jsonDepth > static_cast<int>(kGeoJsonMaxJsonDepth)) return decline("JSON nested too deeply");
    od::object o;
    if (g.get_object().get(o) != SUCCESS) return decline("a geometry that is not an object");
    std::string type;
    bool hasType = false, hasCoords = false, hasMembers = false;
    Coordinates& coords = coordinatesAt(collectionDepth);
    coords.clear();
    GeometryKind membersKind = GeometryKind::None;
    bool membersMixed = false;
    simdjson::error_code e;
    featureCost_ += kValueCostBytes;
    for (auto member : o) {
      od::field f;
      std::string_view key;
      if ((e = std::move(member).get(f)) != SUCCESS || (e = f.unescaped_key().get(key)) != SUCCESS)
        return jsonError(e);
      od::value& v = f.value();
      if (key == "type") {
        std::string_view t;
        if (hasType || v.get_string().get(t) != SUCCESS) return decline("a geometry type that is not one string");
        hasType = true;
        type = t;
      } else if (key == "coordinates") {
        if (hasCoords || hasMembers) return decline("a geometry with two 'coordinates' or 'geometries'");
        hasCoords = true;
        if (!readCoordinates(v, jsonDepth + 1, 0, coords)) return false;
      } else if (key == "geometries") {
        if (hasCoords || hasMembers) return decline("a geometry with two 'coordinates' or 'geometries'");
        hasMembers = true;
        if (collectionDepth >= kMaxCollectionDepth) return decline("geometry collections nested too deeply");
        od::array a;
        if (v.get_array().get(a) != SUCCESS) return decline("'geometries' that is not an array");
        size_t count = 0;
        for (auto item : a) {
          od::value m;
          if ((e = std::move(item).get(m)) != SUCCESS) return jsonError(e);
          GeometryKind sub = GeometryKind::None;
          bool subMixed = false;
          int subType = kOgrUnknown;
          if (!parseGeometry(m, jsonDepth + 2, collectionDepth + 1, sub, subMixed, subType)) return false;
          if (subMixed || !mergeKind(membersKind, sub)) membersMixed = true;
          ++count;
        }
        if (count == 0) return decline("an empty geometry collection");
      } else if (key == "crs") {
        return decline("a geometry with its own crs");
      } else if (equalNoCase(key, "type") || equalNoCase(key, "coordinates") ||
                 equalNoCase(key, "geometries") || equalNoCase(key, "crs")) {
        return decline("a geometry member named '" + std::string(key) + "' (GDAL matches names without case)");
      } else if (!checkJson(v, jsonDepth + 1)) {
        return false;
      }
    }
    if (!hasType) return decline("a geometry without a type");
    if (type == "GeometryCollection") {
      if (!hasMembers) return decline("a geometry collection without 'geometries'");
      ogrType = kOgrCollection;
      if (membersMixed || !mergeKind(kind, membersKind)) mixed = true;
      return true;
    }
    if (!hasCoords) return decline("a geometry without coordinates");
    if (type == "Point") ogrType = kOgrPoint;
    else if (type == "LineString") ogrType = kOgrLineString;
    else if (type == "Polygon") ogrType = kOgrPolygon;
    else if (type == "MultiPoint") ogrType = kOgrMultiPoint;
    else if (type == "MultiLineString") ogrType = kOgrMultiLineString;
    else if (type == "MultiPolygon") ogrType = kOgrMultiPolygon;
    GeometryKind own = GeometryKind::None;
    if (!stageCoordinates(type, coords, own)) return false;
    if (!mergeKind(kind, own)) mixed = true;
    return true;
  }

  Coordinates& coordinatesAt(int collectionDepth) { return coordinates_[static_cast<size_t>(collectionDepth)]; }

  // -- properties --
  int lookupField(std::string_view key, size_t position) {
    if (position < predicted_.size()) {
      const int p = predicted_[position];
      if (p >= 0 && fields_[static_cast<size_t>(p)].name == key) return p;
    }
    const auto it = fieldIndex_.find(key);
    const int index = it == fieldIndex_.end() ? -1 : it->second;
    if (position >= predicted_.size()) predicted_.resize(position + 1, -1);
    predicted_[position] = index;
    return index;
  }

  int addField(std::string_view name, OgrType type) {
    const int index = static_cast<int>(fields_.size());
    fields_.push_back({std::string(name), type});
    fieldIndex_.emplace(std::string(name), index);
    seenIn_.push_back(0);
    outEdges_.emplace_back();
    inDegree_.push_back(0);
    raw_.emplace_back();
    keep_.push_back(mayBeRead(name));
    return index;
  }

  // Whether the table may need the field's values: every field without a field map, else
  // those the options name (GDAL matches names without case).
  bool mayBeRead(std::string_view name) const {
    if (o_.fieldMap.empty()) return true;
    for (const auto& [layerField, sourceFieldName] : o_.fieldMap)
      if (equalNoCase(name, sourceFieldName) || equalNoCase(name, layerField)) return true;
    for (const std::string* option : {&o_.idField, &o_.startField, &o_.endField})
      if (equalNoCase(name, *option)) return true;
    return false;
  }

  bool schemaOfProperties(od::value props) {
    od::json_type type;
    if (props.type().get(type) != SUCCESS) return decline("JSON: bad 'properties'");
    if (type == od::json_type::null) {
      bool isNull = false;
      return (props.is_null().get(isNull) == SUCCESS && isNull) || decline("JSON: a bad literal");
    }
    if (type == od::json_type::array) {
      // GDAL ignores "properties": [] too.
      od::array a;
      if (props.get_array().get(a) != SUCCESS) return decline("JSON: bad 'properties'");
      for (auto item : a) {
        (void)item;
        return decline("'properties' that is a non-empty array");
      }
      return true;
    }
    od::object po;
    if (props.get_object().get(po) != SUCCESS) return decline("'properties' that is neither an object nor null");
    size_t position = 0;
    simdjson::error_code e;
    for (auto member : po) {
      od::field f;
      std::string_view key;
      if ((e = std::move(member).get(f)) != SUCCESS || (e = f.unescaped_key().get(key)) != SUCCESS)
        return jsonError(e);
      if (hasNul(key)) return decline("a property name holding a NUL");
      int index = lookupField(key, position);
      if (index < 0) {
        if (key.empty() || key == "_id") return decline("a property named '" + std::string(key) + "'");
        for (const FieldState& fs : fields_)
          if (equalNoCase(fs.name, key))
            return decline("properties '" + fs.name + "' and '" + std::string(key) + "' differ only in case");
        index = addField(key, OgrType::Undetermined);
        predicted_[position] = index;
      }
      idProperty_ = idProperty_ || equalNoCase(key, "id");
      const size_t i = static_cast<size_t>(index);
      if (seenIn_[i] == featureCount_ + 1)
        return decline("a feature with the property '" + fields_[i].name + "' twice");
      seenIn_[i] = featureCount_ + 1;
      ValueClass v;
      if (!classify(f.value(), 5, i, keep_[i] != 0, v)) return false;
      if (!mergeType(fields_[i].type, v))
        return decline("property '" + fields_[i].name + "' mixes value types in a way GDAL types differently");
      sequence_.push_back(index);
      ++position;
    }
    return true;
  }

  bool integerClass(od::number n, ValueClass& out) {
    if (!n.is_int64()) return decline("an integer beyond the 64-bit range");
    const int64_t x = n.get_int64();
    // GDAL warns that such values were probably clamped.
    if (x == std::numeric_limits<int64_t>::min() || x == std::numeric_limits<int64_t>::max())
      return decline("an integer at the 64-bit limit");
    out = x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max()
              ? ValueClass::Int32 : ValueClass::Int64;
    return true;
  }

  bool stringClass(std::string_view s, ValueClass& out) {
    if (hasNul(s)) return decline("a string holding a NUL");
    featureCost_ += s.size();
    if (isPlainIsoDate(s)) {
      out = ValueClass::DateString;
      return true;
    }
    if (mayBeOgrDate(s)) {
      // Quietly, as GDAL's GeoJSON driver asks (OGRParseDate may complain about the year).
      OGRField parsed;
      CPLPushErrorHandler(CPLQuietErrorHandler);
      const int isDate = OGRParseDate(std::string(s).c_str(), &parsed, 0);
      CPLPopErrorHandler();
      CPLErrorReset();
      if (isDate) return decline("a date or time '" + std::string(s) + "' not written YYYY-MM-DD");
    }
    out = ValueClass::PlainString;
    return true;
  }

  // Reads and checks any JSON value: what GDAL keeps as JSON text and what it ignores alike
  // (On-Demand checks only what it reads). Counts its cost; appends json-c's text of it to
  // *text when given. The recursion stops at kGeoJsonMaxJsonDepth.
  bool checkJson(od::value v, int depth, std::string* text = nullptr) {
    if (depth > static_cast<int>(kGeoJsonMaxJsonDepth)) return decline("JSON nested too deeply");
    featureCost_ += kValueCostBytes;
    od::json_type type;
    simdjson::error_code e = v.type().get(type);
    if (e != SUCCESS) return jsonError(e);
    switch (type) {
      case od::json_type::array: {
        od::array a;
        if ((e = v.get_array().get(a)) != SUCCESS) return jsonError(e);
        if (text != nullptr) *text += '[';
        bool first = true;
        for (auto item : a) {
          od::value x;
          if ((e = std::move(item).get(x)) != SUCCESS) return jsonError(e);
          if (text != nullptr) *text += first ? " " : ", ";
          first = false;
          if (!checkJson(x, depth + 1, text)) return false;
        }
        if (text != nullptr) *text += " ]";
        return true;
      }
      case od::json_type::object: {
        od::object o;
        if ((e = v.get_object().get(o)) != SUCCESS) return jsonError(e);
        if (text != nullptr) *text += '{';
        bool first = true;
        std::unordered_set<std::string_view> keys;
        for (auto member : o) {
          od::field f;
          std::string_view key;
          if ((e = std::move(member).get(f)) != SUCCESS || (e = f.unescaped_key().get(key)) != SUCCESS)
            return jsonError(e);
          if (hasNul(key)) return decline("a key holding a NUL");
          if (!keys.insert(key).second) return decline("an object with a key twice");
          if (text != nullptr) {
            *text += first ? " \"" : ", \"";
            appendJsonCEscaped(*text, key);
            *text += "\": ";
          }
          first = false;
          if (!checkJson(f.value(), depth + 1, text)) return false;
        }
        if (text != nullptr) *text += " }";
        return true;
      }
      case od::json_type::string: {
        std::string_view s;
        if ((e = v.get_string().get(s)) != SUCCESS) return jsonError(e);
        featureCost_ += s.size();
        if (hasNul(s)) return decline("a string holding a NUL");
        if (text != nullptr) {
          *text += '"';
          appendJsonCEscaped(*text, s);
          *text += '"';
        }
        return true;
      }
      case od::json_type::number: {
        od::number n;
        if ((e = v.get_number().get(n)) != SUCCESS) return jsonError(e);
        if (n.is_double()) {
          if (text != nullptr) appendJsonCDouble(*text, n.get_double());
          return true;
        }
        ValueClass ignored;
        if (!integerClass(n, ignored)) return false;
        if (text != nullptr) *text += std::to_string(n.get_int64());
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if ((e = v.get_bool().get(b)) != SUCCESS) return jsonError(e);
        if (text != nullptr) *text += b ? "true" : "false";
        return true;
      }
      case od::json_type::null: {
        bool isNull = false;
        if (v.is_null().get(isNull) != SUCCESS || !isNull) return decline("JSON: a bad literal");
        if (text != nullptr) *text += "null";
        return true;
      }
    }
    return decline("JSON: a value of unknown type");
  }

  // Classifies a property value for GDAL's typing and, when `keep`, keeps it in raw_.
  bool classify(od::value v, int depth, size_t field, bool keep, ValueClass& out) {
    od::json_type type;
    simdjson::error_code e = v.type().get(type);
    if (e != SUCCESS) return jsonError(e);
    featureCost_ += kValueCostBytes;
    RawValue raw{};
    raw.row = static_cast<uint32_t>(featureCount_);
    switch (type) {
      case od::json_type::null: {
        bool isNull = false;
        out = ValueClass::Null;
        return (v.is_null().get(isNull) == SUCCESS && isNull) || decline("JSON: a bad literal");
      }
      case od::json_type::boolean: {
        bool b = false;
        if ((e = v.get_bool().get(b)) != SUCCESS) return jsonError(e);
        out = ValueClass::Bool;
        raw.setTag(RawTag::Bool);
        raw.integer = b ? 1 : 0;
        break;
      }
      case od::json_type::number: {
        od::number n;
        if ((e = v.get_number().get(n)) != SUCCESS) return jsonError(e);
        if (n.is_double()) {
          out = ValueClass::Real;
          raw.setTag(RawTag::Real);
          raw.real = n.get_double();
        } else {
          if (!integerClass(n, out)) return false;
          raw.setTag(RawTag::Int);
          raw.integer = n.get_int64();
        }
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        if ((e = v.get_string().get(s)) != SUCCESS) return jsonError(e);
        if (!stringClass(s, out)) return false;
        if (s.size() > kMaxRawStringLength) return decline("a string longer than 512 MB");
        raw.setTag(RawTag::String);
        raw.text = s.data();
        raw.length = static_cast<uint32_t>(s.size());
        break;
      }
      case od::json_type::object: {
        JsonValue j;
        out = ValueClass::Json;
        if (!checkJson(v, depth, keep ? &j.text : nullptr)) return false;
        raw.setTag(RawTag::Json);
        raw.json = json_.size();
        if (keep) json_.push_back(std::move(j));
        break;
      }
      case od::json_type::array: {
        // GDAL's list types: all integers (IntegerList, Integer64List beyond 32 bits), all
        // numbers (RealList), all strings (StringList); anything else is JSON text.
        od::array a;
        if ((e = v.get_array().get(a)) != SUCCESS) return jsonError(e);
        JsonValue j;
        j.text += '[';
        bool allInt = true, allNumber = true, allString = true, wide = false;
        size_t count = 0;
        for (auto item : a) {
          od::value x;
          od::json_type t;
          if ((e = std::move(item).get(x)) != SUCCESS || (e = x.type().get(t)) != SUCCESS) return jsonError(e);
          j.text += count == 0 ? " " : ", ";
          ++count;
          if (t == od::json_type::boolean) return decline("an array holding booleans");
          if (t == od::json_type::number) {
            od::number n;
            if ((e = x.get_number().get(n)) != SUCCESS) return jsonError(e);
            allString = false;
            if (n.is_double()) {
              allInt = false;
              j.reals.push_back(n.get_double());
              appendJsonCDouble(j.text, n.get_double());
            } else {
              ValueClass c;
              if (!integerClass(n, c)) return false;
              wide = wide || c == ValueClass::Int64;
              j.ints.push_back(n.get_int64());
              j.reals.push_back(static_cast<double>(n.get_int64()));
              j.text += std::to_string(n.get_int64());
            }
            featureCost_ += kValueCostBytes;
          } else if (t == od::json_type::string) {
            std::string_view s;
            if ((e = x.get_string().get(s)) != SUCCESS) return jsonError(e);
            if (hasNul(s)) return decline("a string holding a NUL");
            featureCost_ += kValueCostBytes + s.size();
            allInt = allNumber = false;
            j.strings.emplace_back(s);
            j.text += '"';
            appendJsonCEscaped(j.text, s);
            j.text += '"';
          } else {
            allInt = allNumber = allString = false;
            if (!checkJson(x, depth + 1, &j.text)) return false;
          }
        }
        j.text += " ]";
        if (count > 0 && allInt) out = wide ? ValueClass::Int64List : ValueClass::IntList;
        else if (count > 0 && allNumber) out = ValueClass::RealList;
        else if (count > 0 && allString) out = ValueClass::StringList;
        else out = ValueClass::Json;
        raw.setTag(RawTag::Json);
        raw.json = json_.size();
        if (keep) json_.push_back(std::move(j));
        break;
      }
    }
    if (keep) raw_[field].push_back(raw);
    return true;
  }

  // DirectedAcyclicGraph::addEdge: an edge that would close a cycle is dropped.
  void addEdge(int from, int to) {
    if (from == to) return;
    std::set<int>& out = outEdges_[static_cast<size_t>(from)];
    if (out.count(to) > 0 || pathExists(to, from)) return;
    out.insert(to);
    ++inDegree_[static_cast<size_t>(to)];
  }

  bool pathExists(int from, int to) const {
    std::vector<uint8_t> planned(fields_.size(), 0);
    std::vector<int> stack{from};
    planned[static_cast<size_t>(from)] = 1;
    while (!stack.empty()) {
      const int n = stack.back();
      stack.pop_back();
      if (n == to) return true;
      for (int k : outEdges_[static_cast<size_t>(n)]) {
        if (!planned[static_cast<size_t>(k)]) {
          planned[static_cast<size_t>(k)] = 1;
          stack.push_back(k);
        }
      }
    }
    return false;
  }

  // ---- field order: Kahn's algorithm, the ready set ordered by name ---------------------
  void orderFields() {
    auto byName = [this](int a, int b) {
      return fields_[static_cast<size_t>(a)].name < fields_[static_cast<size_t>(b)].name;
    };
    std::set<int, decltype(byName)> ready(byName);
    std::vector<int> inDegree = inDegree_;
    for (size_t i = 0; i < fields_.size(); ++i)
      if (inDegree[i] == 0) ready.insert(static_cast<int>(i));
    order_.clear();
    while (!ready.empty()) {
      const int n = *ready.begin();
      ready.erase(ready.begin());
      order_.push_back(n);
      for (int m : outEdges_[static_cast<size_t>(n)])
        if (--inDegree[static_cast<size_t>(m)] == 0) ready.insert(m);
    }
  }

  // ---- the read plan and the fill pass (VectorReader.cpp's, step for step) ---------------
  enum class Fill { Done, Error, Declined };

  // The source field at layer position `pos` (GDAL's field index).
  const FieldState& sourceField(int pos) const {
    return fields_[static_cast<size_t>(order_[static_cast<size_t>(pos)])];
  }

  // OGR_FD_GetFieldIndex: the first field whose name matches without case.
  int fieldIndexOf(const std::string& name) const {
    for (size_t i = 0; i < order_.size(); ++i)
      if (equalNoCase(sourceField(static_cast<int>(i)).name, name)) return static_cast<int>(i);
    return -1;
  }

  ValueRead readOf(int pos) const {
    switch (bcmapTypeOf(sourceField(pos).type)) {
      case FieldType::Integer: return ValueRead::Integer;
      case FieldType::Real: return ValueRead::Real;
      case FieldType::Date: return ValueRead::DateField;
      default: return ValueRead::String;
    }
  }

  // The value of layer field `pos` in feature n (features are visited in order); nullptr
  // when unset or null.
  const RawValue* rawOf(int pos, size_t n) {
    if (pos < 0) return nullptr;
    const size_t f = static_cast<size_t>(order_[static_cast<size_t>(pos)]);
    const std::vector<RawValue>& values = raw_[f];
    size_t& c = cursor_[f];
    while (c < values.size() && values[c].row < n) ++c;
    return c < values.size() && values[c].row == n ? &values[c] : nullptr;
  }

  static double realOf(const RawValue& v) {
    return v.tag() == RawTag::Real ? v.real : static_cast<double>(v.integer);
  }
  static std::string_view stringOf(const RawValue& v) {
    return v.tag() == RawTag::String ? std::string_view(v.text, v.length) : std::string_view();
  }

  // OGR_F_GetFieldAsString of a value of layer field `pos`.
  std::string textOf(int pos, const RawValue& v) {
    const OgrType t = sourceField(pos).type;
    if (t == OgrType::Integer || t == OgrType::Integer64) return std::to_string(v.integer);
    if (isListType(t)) {
      JsonValue& j = json_[v.json];
      lists_.ints = j.ints;
      lists_.reals = j.reals;
      lists_.strings = j.strings;
      return lists_.text(t);
    }
    switch (v.tag()) {
      case RawTag::String: return std::string(v.text, v.length);
      case RawTag::Int: return std::to_string(v.integer);
      case RawTag::Bool: return v.integer != 0 ? "true" : "false";
      case RawTag::Real: {
        std::string out;
        appendJsonCDouble(out, v.real);
        return out;
      }
      case RawTag::Json: return json_[v.json].text;
    }
    return {};
  }

  // The day of a date value, kNoDay for null/empty; nullopt for an unparseable value.
  std::optional<int32_t> dayOf(int pos, ValueRead read, size_t n) {
    const RawValue* v = rawOf(pos, n);
    if (v == nullptr) return kNoDay;
    if (read == ValueRead::DateField) return parseDate(stringOf(*v));
    const std::string text = textOf(pos, *v);
    if (text.empty()) return kNoDay;
    return parseDate(text);
  }

  Fill dateError(int pos, size_t ordinal, const std::string& id, const std::string& field, std::string* err) {
    const RawValue* v = rawOf(pos, ordinal);
    const std::string value = v != nullptr ? textOf(pos, *v) : std::string();
    if (err != nullptr)
      *err = prefix_ + ": unparseable date in field '" + field + "' of " + featureLabel(ordinal, id) + ": '" +
             value + "' (expected YYYY-MM-DD)";
    return Fill::Error;
  }

  Fill fail(std::string* err, std::string message) {
    if (err != nullptr) *err = std::move(message);
    return Fill::Error;
  }

  Fill declineFill(std::string why) {
    decline(std::move(why));
    return Fill::Declined;
  }

  Fill fill(VectorReadResult& result, std::string* err) {
    prefix_ = path_;  // a GeoJSON file has one layer
    const GeometryKind layerKind = kindOfOgrFlatType(layerType_);
    std::vector<std::string> names;
    for (int f : order_) names.push_back(fields_[static_cast<size_t>(f)].name);
    auto missingField = [&](const std::string& what, const std::string& name) {
      return fail(err, prefix_ + ": " + what + " '" + name + "' is not a field of the source (fields: " +
                           joined(names) + ")");
    };
    auto resolve = [&](const std::string& name) {
      int index = fieldIndexOf(name);
      if (index < 0)
        for (const auto& [layerField, sourceFieldName] : o_.fieldMap)
          if (layerField == name) index = fieldIndexOf(sourceFieldName);
      return index;
    };
    auto timeField = [&](const std::string& name, SourceField& out) -> bool {
      out.index = resolve(name);
      if (out.index < 0) return false;
      out.name = sourceField(out.index).name;
      out.read = readOf(out.index);
      if (out.read == ValueRead::String) out.read = ValueRead::DateFromString;
      return true;
    };
    if (!o_.startField.empty() && !timeField(o_.startField, start_)) return missingField("start field", o_.startField);
    if (!o_.endField.empty() && !timeField(o_.endField, end_)) return missingField("end field", o_.endField);
    for (const SourceField* f : {&start_, &end_}) {
      if (f->index >= 0 && f->read != ValueRead::DateField && f->read != ValueRead::DateFromString)
        return fail(err, prefix_ + ": field '" + f->name + "' holds numbers, not dates; it cannot give a time span");
    }
    const bool hasTime = start_.index >= 0 || end_.index >= 0;
    if (!o_.idField.empty()) {
      id_.index = resolve(o_.idField);
      if (id_.index < 0) return missingField("id field", o_.idField);
      id_.name = sourceField(id_.index).name;
      // GDAL's text for real and date ids is not reproduced here.
      const OgrType t = sourceField(id_.index).type;
      if (t == OgrType::Real || t == OgrType::Date) return declineFill("an id field holding reals or dates");
    }
    std::vector<ColumnPlan> columns;
    auto addColumn = [&](const std::string& name, int index) {
      ColumnPlan c;
      c.name = name;
      c.srcIndex = index;
      c.srcName = sourceField(index).name;
      c.read = readOf(index);
      if (c.read == ValueRead::String && (index == start_.index || index == end_.index))
        c.read = ValueRead::DateFromString;
      switch (c.read) {
        case ValueRead::Integer: c.type = FieldType::Integer; break;
        case ValueRead::Real: c.type = FieldType::Real; break;
        case ValueRead::String: c.type = FieldType::String; break;
        case ValueRead::DateField:
        case ValueRead::DateFromString: c.type = FieldType::Date; break;
      }
      columns.push_back(std::move(c));
    };
    if (o_.fieldMap.empty()) {
      for (size_t i = 0; i < order_.size(); ++i) addColumn(sourceField(static_cast<int>(i)).name, static_cast<int>(i));
    } else {
      for (const auto& [layerField, sourceFieldName] : o_.fieldMap) {
        const int index = fieldIndexOf(sourceFieldName);
        if (index < 0) return missingField("mapped field (for '" + layerField + "')", sourceFieldName);
        addColumn(layerField, index);
      }
    }

    // The CRS: the override, else GDAL's default for a GeoJSON layer (EPSG:4979 when the
    // layer type has Z and the file names no crs).
    std::string crsText;
    bool geographic = true;
    if (!o_.sourceCrs.empty()) {
      std::string why;
      if (!isValidCrs(o_.sourceCrs, &why)) return fail(err, prefix_ + ": the source CRS is not valid: " + why);
      crsText = o_.sourceCrs;
      geographic = isGeographicCrs(o_.sourceCrs);
    } else {
      crsText = !crsIsLonLat_ && layerZ_ ? "EPSG:4979" : "EPSG:4326";
    }
    if (o_.gcj02 && !geographic)
      return fail(err, prefix_ + ": GCJ-02 conversion needs longitude/latitude, but the source CRS is " +
                           (crsName(crsText).empty() ? crsText : crsName(crsText)));

    result = VectorReadResult{};
    result.crs = o_.gcj02 ? std::string(kLonLatCrs) : crsText;
    FeatureTable& t = result.table;
    GeometryColumn& g = t.geometry;
    g.kind = o_.expectKind != GeometryKind::None ? o_.expectKind : layerKind;
    for (const ColumnPlan& c : columns) {
      AttributeColumn col;
      col.name = c.name;
      col.type = c.type;
      switch (c.type) {
        case FieldType::Integer:
        case FieldType::Date: col.ints.reserve(featureCount_); break;
        case FieldType::Real: col.reals.reserve(featureCount_); break;
        default: col.strings.reserve(featureCount_); break;
      }
      col.isNull.reserve(featureCount_);
      t.columns.push_back(std::move(col));
    }
    g.featureParts.reserve(featureCount_ + 1);
    g.partRings.reserve(staged_.partRingCounts.size() + 1);
    g.ringVertices.reserve(staged_.ringSizes.size() + 1);
    g.xy.reserve(staged_.xy.size());
    if (id_.index >= 0) t.ids.reserve(featureCount_);
    if (hasTime) {
      t.startDay.reserve(featureCount_);
      t.endDay.reserve(featureCount_);
    }

    cursor_.assign(fields_.size(), 0);

    // One feature: TableBuilder::accept, FeatureReader::appendValues, commitGeometry.
    // nullopt: go on with the next feature.
    auto addFeature = [&](size_t n) -> std::optional<Fill> {
      std::string id;
      if (id_.index >= 0) {
        const RawValue* v = rawOf(id_.index, n);
        if (v != nullptr) id = textOf(id_.index, *v);
      }

      const size_t x0 = staged_.xyBegin[n], x1 = staged_.xyBegin[n + 1];
      auto skip = [&](const std::string& why) {
        logWarning(prefix_ + ": " + featureLabel(n, id) + " skipped: " + why);
        ++result.skipped;
        return std::nullopt;
      };
      if (staged_.mixed[n]) return skip("a geometry collection mixing points, lines and polygons");
      for (size_t i = x0; i < x1; ++i) {
        const Vec2 p = staged_.xy[i];
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
          return skip("non-finite coordinate (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")");
        if (geographic && (std::fabs(p.x) > 180.0 || std::fabs(p.y) > 90.0))
          return skip("longitude/latitude out of range (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")");
      }
      const GeometryKind kind = staged_.kind[n];
      if (kind != GeometryKind::None && kind != g.kind) {
        if (g.kind == GeometryKind::None) {
          g.kind = kind;
        } else if (o_.expectKind != GeometryKind::None) {
          return fail(err, prefix_ + ": wrong geometry type: " + featureLabel(n, id) + " is a " +
                               geometryKindName(kind) + ", the layer expects " +
                               geometryKindName(o_.expectKind) + " features");
        } else {
          return skip(std::string("a ") + geometryKindName(kind) + " in a " + geometryKindName(g.kind) + " layer");
        }
      }

      for (size_t c = 0; c < columns.size(); ++c) {
        const ColumnPlan& cp = columns[c];
        AttributeColumn& col = t.columns[c];
        const RawValue* v = rawOf(cp.srcIndex, n);
        const bool isNull = v == nullptr;
        switch (cp.read) {
          case ValueRead::Integer: col.ints.push_back(v != nullptr ? v->integer : 0); break;
          case ValueRead::Real: col.reals.push_back(v != nullptr ? realOf(*v) : 0.0); break;
          case ValueRead::String:
            if (v == nullptr) col.strings.emplace_back();
            else if (v->tag() == RawTag::String && !isListType(sourceField(cp.srcIndex).type))
              col.strings.emplace_back(v->text, v->length);  // the common case, without a temporary
            else
              col.strings.push_back(textOf(cp.srcIndex, *v));
            break;
          case ValueRead::DateField:
          case ValueRead::DateFromString: {
            const std::optional<int32_t> day = dayOf(cp.srcIndex, cp.read, n);
            if (!day) return dateError(cp.srcIndex, n, id, cp.srcName, err);
            col.ints.push_back(*day == kNoDay ? 0 : *day);
            col.isNull.push_back(*day == kNoDay);
            continue;
          }
        }
        col.isNull.push_back(isNull);
      }
      if (id_.index >= 0) t.ids.push_back(id);
      if (hasTime) {
        const std::optional<int32_t> s = dayOf(start_.index, start_.read, n);
        if (!s) return dateError(start_.index, n, id, start_.name, err);
        const std::optional<int32_t> e = dayOf(end_.index, end_.read, n);
        if (!e) return dateError(end_.index, n, id, end_.name, err);
        t.startDay.push_back(*s);
        t.endDay.push_back(*e);
      }

      g.xy.insert(g.xy.end(), staged_.xy.begin() + static_cast<ptrdiff_t>(x0),
                  staged_.xy.begin() + static_cast<ptrdiff_t>(x1));
      for (size_t r = staged_.ringBegin[n]; r < staged_.ringBegin[n + 1]; ++r)
        g.ringVertices.push_back(g.ringVertices.back() + staged_.ringSizes[r]);
      for (size_t p = staged_.partBegin[n]; p < staged_.partBegin[n + 1]; ++p)
        g.partRings.push_back(g.partRings.back() + staged_.partRingCounts[p]);
      g.featureParts.push_back(g.featureParts.back() +
                               static_cast<uint32_t>(staged_.partBegin[n + 1] - staged_.partBegin[n]));
      return std::nullopt;
    };

    for (size_t n = 0; n < featureCount_; ++n)
      if (std::optional<Fill> stop = addFeature(n)) return *stop;

    result.kind = g.kind;
    if (o_.gcj02) gcj02ToWgs84InPlace(g.xy);
    if (result.skipped > 0)
      logWarning(prefix_ + ": " + std::to_string(result.skipped) + " feature(s) skipped, " +
                 std::to_string(t.featureCount()) + " read");
    return Fill::Done;
  }

  const VectorReadOptions& o_;
  const std::string& path_;
  std::string why_;
  std::string prefix_;

  MappedFile file_;
  od::parser parser_;
  od::document doc_;
  bool crsIsLonLat_ = false;

  // schema
  size_t featureCount_ = 0;
  size_t featureCost_ = 0;
  size_t dims_ = 0;  // of the current feature's positions
  size_t topLevelIds_ = 0;
  bool stringIds_ = false;  // the features' ids are strings (an "id" field), not FIDs
  bool stringId_ = false;   // the current feature has a string id
  int idField_ = -1;        // the "id" field's index in fields_
  int64_t lastId_ = -1;
  bool idProperty_ = false;  // some feature has a property named "id" (any case)
  bool firstGeometry_ = true;
  int layerType_ = kOgrUnknown;
  bool layerZ_ = false;
  StagedGeometry staged_;
  std::vector<Coordinates> coordinates_;  // one per collection depth
  std::vector<FieldState> fields_;        // in order of first appearance
  std::unordered_map<std::string, int, StringViewHash, std::equal_to<>> fieldIndex_;
  std::vector<int> predicted_;  // field at each key position of the last feature
  std::vector<size_t> seenIn_;  // 1 + the last feature a field was seen in
  std::vector<int> sequence_, lastSequence_;
  std::vector<std::set<int>> outEdges_;
  std::vector<int> inDegree_;
  std::vector<int> order_;  // layer field position -> index in fields_
  std::vector<std::vector<RawValue>> raw_;  // per field: its non-null values, by feature
  std::vector<uint8_t> keep_;               // per field: raw_ is kept (mayBeRead)
  std::vector<JsonValue> json_;             // objects and arrays of the kept fields
  std::string_view stringIdValue_;          // the current feature's string id

  // fill
  SourceField start_, end_, id_;
  std::vector<size_t> cursor_;  // per field: the next raw value
  OgrListText lists_;
};

}  // namespace

// ---- entry points ------------------------------------------------------------------------

bool geoJsonFastPathApplies(const VectorReadOptions& o) {
  if (!o.allowFastGeoJson || !o.attributeFilter.empty() || !o.layerName.empty()) return false;
  if (!endsWithNoCase(o.path, ".geojson") && !endsWithNoCase(o.path, ".json")) return false;
  if (isRemotePath(o.path) || o.path.rfind("/vsi", 0) == 0) return false;
  const std::vector<std::string>& drivers = o.allowedDrivers.empty() ? kDefaultVectorDrivers : o.allowedDrivers;
  return std::any_of(drivers.begin(), drivers.end(), [](const std::string& d) { return equalNoCase(d, "GeoJSON"); });
}

GeoJsonFastResult readGeoJsonFast(const VectorReadOptions& options, std::string* err) {
  initGdal();
  return FastReader(options).run(err);
}

}  // namespace bcmap
