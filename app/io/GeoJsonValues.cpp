// GeoJsonValues.cpp — sections: JSON text as GDAL shows it (json-c) · value classes and
// GDAL's field typing · GDAL's list text
#include "io/GeoJsonValues.h"

#include <cstdio>
#include <cstring>

namespace bcmap {

// ---- JSON text as GDAL shows it (json-c) -------------------------------------------------

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

bool isPlainIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!isDigit(s[i])) return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool mayBeOgrDate(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i == s.size()) return false;
  const char c = s[i];
  if (!(c == '-' || c == '+' || isDigit(c))) return false;
  return s.find_first_of("-/:", i) != std::string_view::npos;
}

// ---- GDAL's list text ----------------------------------------------------------------------

OgrListText::OgrListText() {
  defn_ = OGR_FD_Create("lists");
  OGR_FD_Reference(defn_);
  for (OGRFieldType t : {OFTIntegerList, OFTInteger64List, OFTRealList, OFTStringList}) {
    OGRFieldDefnH f = OGR_Fld_Create("v", t);
    OGR_FD_AddFieldDefn(defn_, f);
    OGR_Fld_Destroy(f);
  }
  feature_ = OGR_F_Create(defn_);
}

OgrListText::~OgrListText() {
  OGR_F_Destroy(feature_);
  OGR_FD_Release(defn_);
}

std::string OgrListText::text(OgrType type) {
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

}  // namespace bcmap
