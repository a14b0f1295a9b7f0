// GeoJsonScan: the state of one fast GeoJSON read's scan of the document (simdjson On-Demand)
// and the value checks every part of it uses: why the reader declines (the first reason
// wins), what the current feature would cost GDAL's GeoJSON parser, and reading any JSON
// value (checked in full, as On-Demand checks only what is read) into GDAL's value classes,
// its json-c text and the values the reader keeps (GeoJsonValues.h).
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "io/GeoJsonValues.h"

namespace bcmap {

namespace od = simdjson::ondemand;

// Performance notes for the reader's hot paths (every feature, property and position):
// - od::value is 24 bytes. Passed to a function of another file, it goes through memory,
//   and loading it as a whole right after it was stored in parts stalls the CPU (store
//   forwarding fails). Within one file the compiler passes it in registers to functions
//   with internal linkage (GCC's IPA-SRA) or inlines them; hence classify and checkJson's
//   wrapper below are inline, and GeoJsonGeometry.cpp parses in a file-local class.
// - Loops over an object's members bind each member where the iterator made it
//   (member.value_unsafe() once member.error() is checked) rather than copying it into an
//   od::field: when the field's value goes to another file, the field must be in memory,
//   and copying it there is such a stall, once per member.

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
  // Inline, a copy of the value for checkValue (see the notes above).
  bool checkJson(od::value v, int depth, std::string* text = nullptr) { return checkValue(v, depth, text); }

  // Classifies a property value for GDAL's typing into `out`; unless it is null, `raw`
  // holds the value (all but its row), objects and arrays in json() when `keep`.
  // Inline (below; see the notes above): it runs for every property value.
  bool classify(od::value v, int depth, bool keep, ValueClass& out, RawValue& raw);

  // The class of an integer (Int32 or Int64); declines those GDAL does not keep exactly.
  bool integerClass(od::number n, ValueClass& out);
  // The class of a string (DateString or PlainString); declines dates GDAL reads in forms
  // other than YYYY-MM-DD.
  bool stringClass(std::string_view s, ValueClass& out);

  // Objects and arrays of the kept property values (RawValue::json indexes this).
  std::vector<JsonValue>& json() { return json_; }

 private:
  // checkJson's implementation.
  bool checkValue(od::value& v, int depth, std::string* text);
  // classify for objects and arrays (type), out of line: the class, and the value in json()
  // when `keep`.
  bool classifyComposite(od::value& v, od::json_type type, int depth, bool keep, ValueClass& out);
  // stringClass for a string that may be a date in a form OGRParseDate reads: declines
  // those it reads.
  bool checkNotOgrDate(std::string_view s);

  std::string why_;
  size_t featureCost_ = 0;
  std::vector<JsonValue> json_;
};

// ---- the per-value checks, inline ----------------------------------------------------------

inline bool GeoJsonScan::integerClass(od::number n, ValueClass& out) {
  if (!n.is_int64()) return decline("an integer beyond the 64-bit range");
  const int64_t x = n.get_int64();
  // GDAL warns that such values were probably clamped.
  if (x == std::numeric_limits<int64_t>::min() || x == std::numeric_limits<int64_t>::max())
    return decline("an integer at the 64-bit limit");
  out = x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max()
            ? ValueClass::Int32 : ValueClass::Int64;
  return true;
}

inline bool GeoJsonScan::stringClass(std::string_view s, ValueClass& out) {
  if (hasNul(s)) return decline("a string holding a NUL");
  featureCost_ += s.size();
  if (isPlainIsoDate(s)) {
    out = ValueClass::DateString;
    return true;
  }
  if (mayBeOgrDate(s) && !checkNotOgrDate(s)) return false;
  out = ValueClass::PlainString;
  return true;
}

// Always inlined: the simdjson parsing it inlines itself makes it too large for the compiler
// to choose to.
[[gnu::always_inline]] inline bool GeoJsonScan::classify(od::value v, int depth, bool keep, ValueClass& out,
                                                         RawValue& raw) {
  od::json_type type;
  simdjson::error_code e = v.type().get(type);
  if (e != simdjson::SUCCESS) return jsonError(e);
  featureCost_ += kValueCostBytes;
  raw = RawValue{};
  switch (type) {
    case od::json_type::null: {
      bool isNull = false;
      out = ValueClass::Null;
      return (v.is_null().get(isNull) == simdjson::SUCCESS && isNull) || decline("JSON: a bad literal");
    }
    case od::json_type::boolean: {
      bool b = false;
      if ((e = v.get_bool().get(b)) != simdjson::SUCCESS) return jsonError(e);
      out = ValueClass::Bool;
      raw.setTag(RawTag::Bool);
      raw.integer = b ? 1 : 0;
      return true;
    }
    case od::json_type::number: {
      od::number n;
      if ((e = v.get_number().get(n)) != simdjson::SUCCESS) return jsonError(e);
      if (n.is_double()) {
        out = ValueClass::Real;
        raw.setTag(RawTag::Real);
        raw.real = n.get_double();
      } else {
        if (!integerClass(n, out)) return false;
        raw.setTag(RawTag::Int);
        raw.integer = n.get_int64();
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      if ((e = v.get_string().get(s)) != simdjson::SUCCESS) return jsonError(e);
      if (!stringClass(s, out)) return false;
      if (s.size() > kMaxRawStringLength) return decline("a string longer than 512 MB");
      raw.setTag(RawTag::String);
      raw.text = s.data();
      raw.length = static_cast<uint32_t>(s.size());
      return true;
    }
    case od::json_type::object:
    case od::json_type::array: {
      // Only this copy goes through memory, and `raw` not at all.
      od::value composite = v;
      const size_t index = json_.size();
      ValueClass c;
      if (!classifyComposite(composite, type, depth, keep, c)) return false;
      out = c;
      raw.setTag(RawTag::Json);
      raw.json = index;
      return true;
    }
  }
  return true;
}

}  // namespace bcmap
