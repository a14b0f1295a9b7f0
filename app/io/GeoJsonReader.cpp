// GeoJsonReader.cpp — sections: the reader: set-up, schema pass (validation, fields,
//   features and ids), properties, field order, read plan and fill pass · entry points
// Beside it: GeoJsonScan (JSON values, decline reasons, cost), GeoJsonValues (GDAL's value
// typing and text), GeoJsonGeometry (staged geometry, layer type), MappedFile; the plan
// and the table are built by ReadPlan and TableBuilder, shared with the GDAL readers.
//
// The file is walked once with simdjson's On-Demand API: the schema pass validates every
// value (On-Demand checks only what is read, so nothing is skipped), stages every geometry,
// infers the field types and keeps the raw property values (strings stay in the parser's
// string buffer); the fill pass turns them into the table once the types are known.
#include "io/GeoJsonReader.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/GdalSupport.h"
#include "io/GeoJsonGeometry.h"
#include "io/GeoJsonScan.h"
#include "io/GeoJsonValues.h"
#include "io/MappedFile.h"
#include "io/NetworkGuard.h"
#include "io/ReadPlan.h"
#include "io/TableBuilder.h"

namespace bcmap {
namespace {

using simdjson::SUCCESS;

bool endsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && equalNoCase(s.substr(s.size() - suffix.size()), suffix);
}

struct FieldState {
  std::string name;
  OgrType type = OgrType::Undetermined;
};

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// ---- the reader -----------------------------------------------------------------------------

class FastReader {
 public:
  explicit FastReader(const VectorReadOptions& o) : o_(o), path_(o.path), geometry_(scan_) {}

  GeoJsonFastResult run(std::string* err) {
    GeoJsonFastResult out;
    if (!checkEnvironment() || !open() || !schemaPass()) {
      out.declined = scan_.why();
      return out;
    }
    orderFields();
    switch (fill(out.result, err)) {
      case Fill::Done: out.status = GeoJsonFastStatus::Read; break;
      case Fill::Error: out.status = GeoJsonFastStatus::Failed; break;
      case Fill::Declined:
        out.declined = scan_.why();
        out.result = VectorReadResult{};
        break;
    }
    return out;
  }

 private:
  bool decline(std::string why) { return scan_.decline(std::move(why)); }
  bool jsonError(simdjson::error_code e) { return scan_.jsonError(e); }
  bool checkJson(od::value v, int depth) { return scan_.checkJson(v, depth); }

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
    const std::vector<const char*> list = driverList(allowedDriversOf(o_));
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
    StagedGeometry& staged = geometry_.staged();
    grow(staged.xy);
    grow(staged.ringSizes);
    grow(staged.partRingCounts);
    grow(staged.xyBegin);
    grow(staged.ringBegin);
    grow(staged.partBegin);
    grow(staged.kind);
    grow(staged.mixed);
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
    scan_.startFeature();
    sequence_.clear();
    stringId_ = false;
    GeometryKind kind = GeometryKind::None;
    bool mixed = false;
    simdjson::error_code e;
    for (auto member : fo) {
      std::string_view key;
      if ((e = member.error()) != SUCCESS) return jsonError(e);
      od::field& f = member.value_unsafe();  // in place: see GeoJsonScan.h
      if ((e = f.unescaped_key().get(key)) != SUCCESS) return jsonError(e);
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
        if (!isNull && !geometry_.read(v, kind, mixed)) return false;
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
    if (scan_.featureCost() > kMaxFeatureCostBytes) return decline("a feature too large for GDAL's default limit");

    geometry_.endFeature(kind, mixed);

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


  // -- properties --
  static std::string foldCase(std::string_view name) {
    std::string folded(name);
    for (char& c : folded)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return folded;
  }

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
    foldedIndex_.emplace(foldCase(name), index);
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
      std::string_view key;
      if ((e = member.error()) != SUCCESS) return jsonError(e);
      od::field& f = member.value_unsafe();  // in place: see GeoJsonScan.h
      if ((e = f.unescaped_key().get(key)) != SUCCESS) return jsonError(e);
      if (hasNul(key)) return decline("a property name holding a NUL");
      int index = lookupField(key, position);
      if (index < 0) {
        if (key.empty() || key == "_id") return decline("a property named '" + std::string(key) + "'");
        // One lookup of the name folded to lower case, not a scan of every field: a feature
        // of 100,000 properties made the scan quadratic (over a minute).
        if (const auto same = foldedIndex_.find(foldCase(key)); same != foldedIndex_.end()) {
          const std::string& other = fields_[static_cast<size_t>(same->second)].name;
          return decline("properties '" + other + "' and '" + std::string(key) + "' differ only in case");
        }
        index = addField(key, OgrType::Undetermined);
        predicted_[position] = index;
      }
      idProperty_ = idProperty_ || equalNoCase(key, "id");
      const size_t i = static_cast<size_t>(index);
      if (seenIn_[i] == featureCount_ + 1)
        return decline("a feature with the property '" + fields_[i].name + "' twice");
      seenIn_[i] = featureCount_ + 1;
      ValueClass v;
      RawValue raw{};
      if (!scan_.classify(f.value(), 5, keep_[i] != 0, v, raw)) return false;
      if (keep_[i] != 0 && v != ValueClass::Null) {
        raw.row = static_cast<uint32_t>(featureCount_);
        raw_[i].push_back(raw);
      }
      if (!mergeType(fields_[i].type, v))
        return decline("property '" + fields_[i].name + "' mixes value types in a way GDAL types differently");
      sequence_.push_back(index);
      ++position;
    }
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

  // ---- the read plan and the fill pass ------------------------------------------------------
  enum class Fill { Done, Error, Declined };

  // The source field at layer position `pos` (GDAL's field index).
  const FieldState& sourceField(int pos) const {
    return fields_[static_cast<size_t>(order_[static_cast<size_t>(pos)])];
  }

  // The layer as GDAL would define it: the fields in layer order with their types, the kind.
  SourceSchema schema() const {
    SourceSchema s;
    for (size_t pos = 0; pos < order_.size(); ++pos) {
      const FieldState& f = sourceField(static_cast<int>(pos));
      // GDAL's text for real and date ids is not reproduced here.
      s.fields.push_back({f.name, bcmapTypeOf(f.type), f.type != OgrType::Real && f.type != OgrType::Date});
    }
    s.layerKind = geometry_.layerKind();
    return s;
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
      JsonValue& j = scan_.json()[v.json];
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
      case RawTag::Json: return scan_.json()[v.json].text;
    }
    return {};
  }

  // One feature's values for TableBuilder::appendValues.
  class Row {
   public:
    Row(FastReader& reader, const ReadPlan& plan, size_t n) : r_(reader), plan_(plan), n_(n) {}

    // The value accessors are called for non-null values only; they check anyway (the
    // compiler cannot know that the looked-up value is the one isNull saw).
    bool isNull(size_t slot) { return raw(slot) == nullptr; }
    int64_t integer(size_t slot) {
      const RawValue* v = raw(slot);
      return v != nullptr ? v->integer : 0;
    }
    double real(size_t slot) {
      const RawValue* v = raw(slot);
      return v != nullptr ? realOf(*v) : 0.0;
    }
    void appendString(StringColumn& out, size_t slot) {
      const RawValue* v = raw(slot);
      const int pos = plan_.sourceIndex(slot);
      if (v == nullptr)
        out.emplace_back();
      else if (v->tag() == RawTag::String && !isListType(r_.sourceField(pos).type))
        out.push_back(std::string_view(v->text, v->length));  // the common case, without a temporary
      else
        out.push_back(r_.textOf(pos, *v));
    }
    std::optional<int32_t> day(size_t slot) {
      const RawValue* v = raw(slot);
      if (v == nullptr) return kNoDay;
      if (plan_.readOf(slot) == ValueRead::DateField) return parseDate(stringOf(*v));
      return dayOfText(r_.textOf(plan_.sourceIndex(slot), *v));
    }
    std::string dateText(size_t slot) {
      const RawValue* v = raw(slot);
      return v != nullptr ? r_.textOf(plan_.sourceIndex(slot), *v) : std::string();
    }

   private:
    // The value in `slot`; the last one is remembered, as isNull and the accessor after it
    // ask for the same slot.
    const RawValue* raw(size_t slot) {
      if (slot != lastSlot_) {
        lastSlot_ = slot;
        last_ = r_.rawOf(plan_.sourceIndex(slot), n_);
      }
      return last_;
    }
    FastReader& r_;
    const ReadPlan& plan_;
    size_t n_;
    size_t lastSlot_ = static_cast<size_t>(-1);
    const RawValue* last_ = nullptr;
  };

  Fill fill(VectorReadResult& result, std::string* err) {
    std::string declined;
    // A GeoJSON file has one layer: messages start with the path alone.
    std::optional<ReadPlan> planned = planRead(schema(), o_, path_, err, &declined);
    if (!planned) {
      if (declined.empty()) return Fill::Error;
      decline(std::move(declined));
      return Fill::Declined;
    }
    ReadPlan& plan = *planned;
    // GDAL's default CRS for a GeoJSON layer: EPSG:4979 when the layer type has Z and the
    // file names no crs.
    auto defaultCrs = [this](std::string*) -> std::optional<SourceCrs> {
      SourceCrs crs;
      crs.text = !crsIsLonLat_ && geometry_.layerHasZ() ? "EPSG:4979" : "EPSG:4326";
      crs.geographic = true;
      return crs;
    };
    if (!planCrs(plan, o_, defaultCrs, err)) return Fill::Error;

    StagedGeometry& staged = geometry_.staged();
    TableBuilder out(plan, result);
    out.reserve(featureCount_, staged.partRingCounts.size(), staged.ringSizes.size(), staged.xy.size());
    cursor_.assign(fields_.size(), 0);
    for (size_t n = 0; n < featureCount_; ++n) {
      std::string id;
      if (plan.id.index >= 0) {
        const RawValue* v = rawOf(plan.id.index, n);
        if (v != nullptr) id = textOf(plan.id.index, *v);
      }
      const std::span<Vec2> xy(staged.xy.data() + staged.xyBegin[n], staged.xyBegin[n + 1] - staged.xyBegin[n]);
      const WkbStatus status = staged.mixed[n] ? WkbStatus::Mixed : WkbStatus::Ok;
      if (!out.accept(xy, staged.kind[n], status, n, id, err)) {
        if (out.failed()) return Fill::Error;
        continue;
      }
      Row row(*this, plan, n);
      if (!out.appendValues(row, n, std::move(id), err)) return Fill::Error;
      out.commitGeometry(xy,
                         std::span<const uint32_t>(staged.ringSizes.data() + staged.ringBegin[n],
                                                   staged.ringBegin[n + 1] - staged.ringBegin[n]),
                         std::span<const uint32_t>(staged.partRingCounts.data() + staged.partBegin[n],
                                                   staged.partBegin[n + 1] - staged.partBegin[n]));
    }
    out.finish();
    return Fill::Done;
  }

  const VectorReadOptions& o_;
  const std::string& path_;
  GeoJsonScan scan_;

  MappedFile file_;
  od::parser parser_;
  od::document doc_;
  bool crsIsLonLat_ = false;

  // schema
  size_t featureCount_ = 0;
  size_t topLevelIds_ = 0;
  bool stringIds_ = false;  // the features' ids are strings (an "id" field), not FIDs
  bool stringId_ = false;   // the current feature has a string id
  int idField_ = -1;        // the "id" field's index in fields_
  int64_t lastId_ = -1;
  bool idProperty_ = false;  // some feature has a property named "id" (any case)
  GeoJsonGeometry geometry_;
  std::vector<FieldState> fields_;        // in order of first appearance
  std::unordered_map<std::string, int, StringViewHash, std::equal_to<>> fieldIndex_;
  // The fields by their names in ASCII lower case (equalNoCase's folding), for the check
  // that no two differ only in case.
  std::unordered_map<std::string, int> foldedIndex_;
  std::vector<int> predicted_;  // field at each key position of the last feature
  std::vector<size_t> seenIn_;  // 1 + the last feature a field was seen in
  std::vector<int> sequence_, lastSequence_;
  std::vector<std::set<int>> outEdges_;
  std::vector<int> inDegree_;
  std::vector<int> order_;  // layer field position -> index in fields_
  std::vector<std::vector<RawValue>> raw_;  // per field: its non-null values, by feature
  std::vector<uint8_t> keep_;               // per field: raw_ is kept (mayBeRead)
  std::string_view stringIdValue_;          // the current feature's string id

  // fill
  std::vector<size_t> cursor_;  // per field: the next raw value
  OgrListText lists_;
};

}  // namespace

// ---- entry points ------------------------------------------------------------------------

bool geoJsonFastPathApplies(const VectorReadOptions& o) {
  if (!o.allowFastGeoJson || !o.attributeFilter.empty() || !o.layerName.empty()) return false;
  if (!endsWithNoCase(o.path, ".geojson") && !endsWithNoCase(o.path, ".json")) return false;
  if (isRemotePath(o.path) || o.path.rfind("/vsi", 0) == 0) return false;
  const std::vector<std::string>& drivers = allowedDriversOf(o);
  return std::any_of(drivers.begin(), drivers.end(), [](const std::string& d) { return equalNoCase(d, "GeoJSON"); });
}

GeoJsonFastResult readGeoJsonFast(const VectorReadOptions& options, std::string* err) {
  initGdal();
  return FastReader(options).run(err);
}

}  // namespace bcmap
