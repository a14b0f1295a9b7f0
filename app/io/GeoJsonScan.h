// GeoJsonScan: the state of one fast GeoJSON read's scan of the document (simdjson On-Demand)
// and the value checks every part of it uses: why the reader declines (the first reason
// wins), what the current feature would cost GDAL's GeoJSON parser, and reading any JSON
// value (checked in full, as On-Demand checks only what is read) into GDAL's value classes,
// its json-c text and the values the reader keeps (GeoJsonValues.h).
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/GeoJsonValues.h"

namespace bcmap {

namespace od = simdjson::ondemand;

// GDAL's streaming GeoJSON parser refuses a feature whose in-memory estimate exceeds
// OGR_GEOJSON_MAX_OBJ_SIZE (200 MB by default). The estimate here charges 200 bytes a JSON
// value (json-c's objects are 40-100 bytes, plus GDAL's array and map overheads) and a byte
// a string byte, and declines above half the limit, so no feature GDAL refuses is read here.
constexpr size_t kValueCostBytes = 200;
constexpr size_t kMaxFeatureCostBytes = 100u * 1024 * 1024;

class GeoJsonScan {
 public:
  // Records why the file goes to GDAL (the first reason is kept); returns false.
  bool decline(std::string why) {
    if (why_.empty()) why_ = std::move(why);
    return false;
  }
  bool jsonError(simdjson::error_code e) { return decline(std::string("JSON: ") + simdjson::error_message(e)); }
  const std::string& why() const { return why_; }

  // The current feature's cost estimate (see kValueCostBytes).
  void startFeature() { featureCost_ = 0; }
  void addCost(size_t bytes) { featureCost_ += bytes; }
  size_t featureCost() const { return featureCost_; }

  // Reads and checks any JSON value: what GDAL keeps as JSON text and what it ignores alike
  // (On-Demand checks only what it reads). Counts its cost; appends json-c's text of it to
  // *text when given. The recursion stops at kGeoJsonMaxJsonDepth.
  bool checkJson(od::value v, int depth, std::string* text = nullptr);

  // Classifies a property value for GDAL's typing into `out`; unless it is null, `raw`
  // holds the value (all but its row), objects and arrays in json() when `keep`.
  bool classify(od::value v, int depth, bool keep, ValueClass& out, RawValue& raw);

  // The class of an integer (Int32 or Int64); declines those GDAL does not keep exactly.
  bool integerClass(od::number n, ValueClass& out);
  // The class of a string (DateString or PlainString); declines dates GDAL reads in forms
  // other than YYYY-MM-DD.
  bool stringClass(std::string_view s, ValueClass& out);

  // Objects and arrays of the kept property values (RawValue::json indexes this).
  std::vector<JsonValue>& json() { return json_; }

 private:
  std::string why_;
  size_t featureCost_ = 0;
  std::vector<JsonValue> json_;
};

}  // namespace bcmap
