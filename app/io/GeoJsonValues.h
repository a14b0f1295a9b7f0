// GeoJsonValues: GeoJSON property values as GDAL's GeoJSON driver (3.6) sees them, for the
// fast GeoJSON reader (GeoJsonReader.h): the class of a value and the field type GDAL infers
// from the classes over all features (OGRGeoJSONReaderAddOrUpdateField), the dates it
// recognizes, the text json-c and GDAL show for non-string values, and a property value as
// the reader keeps it until its field's type is known.
// Sections: characters · JSON text as GDAL shows it (json-c) · value classes and GDAL's
// field typing · GDAL's list text · kept values
#pragma once

#include <ogr_api.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// ---- characters ----------------------------------------------------------------------------

inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool hasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

// ---- JSON text as GDAL shows it (json-c) -------------------------------------------------
// GDAL keeps property values as json-c objects and shows non-string values in string fields
// with json-c's serializer (JSON_C_TO_STRING_SPACED, json-c 0.16): doubles as "%.17g" plus
// ".0" when that looks like an integer, strings escaped with "\/" and \u00XX for controls.

void appendJsonCDouble(std::string& out, double d);
void appendJsonCEscaped(std::string& out, std::string_view s);

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

OgrType typeOfClass(ValueClass v);
bool isListClass(ValueClass v);
bool isListType(OgrType t);

// GDAL's OGRGeoJSONReaderAddOrUpdateField, for the transitions GeoJsonReaderTest's fixtures
// check against GDAL 3.6; false for the others (the file then goes to GDAL).
bool mergeType(OgrType& t, ValueClass v);

// The table's type for a field of OGR type t (as VectorReader maps OGR types).
FieldType bcmapTypeOf(OgrType t);

// "YYYY-MM-DD" with the month and day ranges OGRParseDate accepts (it does not check the
// day against the month: GDAL types "2018-02-30" as a date).
bool isPlainIsoDate(std::string_view s);

// Whether OGRParseDate could accept the text: it needs '-', '/' or ':' and, after leading
// spaces, a sign or a digit.
bool mayBeOgrDate(std::string_view s);

// ---- GDAL's list text ----------------------------------------------------------------------
// GDAL's text for list fields ("(3:1,2,3)"), made by GDAL itself on a scratch feature so
// that every detail (number formats, separators) is GDAL's.
class OgrListText {
 public:
  OgrListText();
  ~OgrListText();
  OgrListText(const OgrListText&) = delete;
  OgrListText& operator=(const OgrListText&) = delete;

  // Numbers as GDAL reads them into each list type (json_object_get_int/int64/double).
  std::vector<int64_t> ints;
  std::vector<double> reals;
  std::vector<std::string> strings;

  std::string text(OgrType type);

 private:
  OGRFeatureDefnH defn_ = nullptr;
  OGRFeatureH feature_ = nullptr;
};

// ---- kept values -----------------------------------------------------------------------------

// A non-null property value as the schema pass read it, kept until its field's type is known.
// 16 bytes: a million features with a handful of fields make tens of millions of these.
enum class RawTag : uint8_t { Bool, Int, Real, String, Json };
struct RawValue {
  union {
    int64_t integer;   // Bool (0/1), Int
    double real;       // Real
    const char* text;  // String: in the parser's string buffer, valid while the document is
    size_t json;       // Json: index into the reader's JsonValue store (GeoJsonScan)
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

}  // namespace bcmap
