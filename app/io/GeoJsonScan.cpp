// GeoJsonScan.cpp — sections: strings · any JSON value · property values (objects and arrays;
// the scalar checks are inline in GeoJsonScan.h)
#include "io/GeoJsonScan.h"

#include <cpl_error.h>
#include <ogr_core.h>

#include <cstdint>
#include <unordered_set>

#include "io/GeoJsonReader.h"

namespace bcmap {

using simdjson::SUCCESS;

// ---- strings -------------------------------------------------------------------------------

bool GeoJsonScan::checkNotOgrDate(std::string_view s) {
  // Quietly, as GDAL's GeoJSON driver asks (OGRParseDate may complain about the year).
  OGRField parsed;
  CPLPushErrorHandler(CPLQuietErrorHandler);
  const int isDate = OGRParseDate(std::string(s).c_str(), &parsed, 0);
  CPLPopErrorHandler();
  CPLErrorReset();
  if (isDate) return decline("a date or time '" + std::string(s) + "' not written YYYY-MM-DD");
  return true;
}

// ---- any JSON value --------------------------------------------------------------------------

bool GeoJsonScan::checkValue(od::value& v, int depth, std::string* text) {
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

// ---- property values -------------------------------------------------------------------------

// classify (GeoJsonScan.h) for objects and arrays; v.type() is known to be `type` and the
// value's cost is counted.
bool GeoJsonScan::classifyComposite(od::value& v, od::json_type type, int depth, bool keep, ValueClass& out) {
  simdjson::error_code e;
  switch (type) {
    case od::json_type::object: {
      JsonValue j;
      out = ValueClass::Json;
      if (!checkJson(v, depth, keep ? &j.text : nullptr)) return false;
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
      if (keep) json_.push_back(std::move(j));
      break;
    }
    default: break;  // classify reads the other types itself
  }
  return true;
}

}  // namespace bcmap
