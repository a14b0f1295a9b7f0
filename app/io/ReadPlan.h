// ReadPlan: what a vector read decides before it reads a row, made once by planRead for all
// three readers (OGR feature by feature and the Arrow stream, OgrReader.h and ArrowReader.h;
// the simdjson GeoJSON reader, GeoJsonReader.h) so that they cannot drift apart:
//   - which source field feeds each column of the table and how its values are read
//     (VectorReadOptions::fieldMap, or every source field under its own name);
//   - the id field and the start/end time fields (a source field name, or a layer field name
//     from the field map), string time fields read as dates;
//   - the CRS of the coordinates (the override, or what the source says), whether it is
//     geographic, whether x and y arrive swapped, and whether GCJ-02 is converted;
//   - the geometry kind the table starts with.
// A reader describes its source as a SourceSchema (field names and types, the layer's kind);
// field names are matched as GDAL's OGR_FD_GetFieldIndex matches them (first field whose name
// is equal ignoring ASCII case). Error messages start with the plan's prefix.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/VectorReader.h"
#include "model/FeatureTable.h"

namespace bcmap {

// GDAL's EQUAL(): equal ignoring ASCII case.
bool equalNoCase(std::string_view a, std::string_view b);

// "a, b, c", for the lists in error messages.
std::string joinNames(const std::vector<std::string>& items);

// A field of the source as the reader found it before reading rows.
struct SchemaField {
  std::string name;
  // Integer (OGR Integer, Integer64), Real, Date (a typed date: OGR Date, DateTime) or String
  // (anything else).
  FieldType type = FieldType::String;
  // False where the reader cannot write the field's values as id text exactly as GDAL does
  // (the GeoJSON reader and reals or dates); naming it as the id field declines the read.
  bool usableAsId = true;
};

struct SourceSchema {
  std::vector<SchemaField> fields;  // in the source's order (GDAL's field indices)
  GeometryKind layerKind = GeometryKind::None;  // the layer's declared kind; None: unknown or mixed

  // OGR_FD_GetFieldIndex: the first field whose name is equal ignoring ASCII case; -1: none.
  int find(std::string_view name) const;
  std::vector<std::string> names() const;
};

// How a source field becomes a value.
enum class ValueRead { Integer, Real, String, DateField, DateFromString };

struct ColumnPlan {
  std::string name;     // in the table
  std::string srcName;  // in the source
  int srcIndex = -1;
  ValueRead read = ValueRead::String;
  FieldType type = FieldType::String;
};

// The id field or a time field.
struct PlanField {
  int index = -1;  // in the source; -1: not read
  std::string name;
  ValueRead read = ValueRead::String;
};

// The CRS a source's coordinates are in, as text PROJ takes, plus whether it is geographic
// and whether the data's first ordinate is a northing (then x and y are swapped on load).
struct SourceCrs {
  std::string text;
  bool geographic = false;
  bool swapXY = false;
};

struct ReadPlan {
  std::string prefix;  // "path" or "path, layer 'x'": every message starts with it
  std::vector<ColumnPlan> columns;
  PlanField start, end, id;
  bool hasTime = false;
  GeometryKind expectKind = GeometryKind::None;
  GeometryKind layerKind = GeometryKind::None;
  // Set by planCrs.
  std::string crs;  // the source's
  bool geographic = false;
  bool swapXY = false;
  bool gcj02 = false;

  // The CRS of the table that comes out: lon/lat after a GCJ-02 conversion.
  std::string resultCrs() const;
  // Whether some value is read from a typed date field.
  bool readsTypedDates() const;
  // Per source field (of fieldCount): whether the plan reads it.
  std::vector<bool> usedFields(size_t fieldCount) const;

  // The values a row gives, in the order TableBuilder asks for them: the columns (slot c is
  // columns[c]), then the start and the end of the time span.
  size_t startSlot() const { return columns.size(); }
  size_t endSlot() const { return columns.size() + 1; }
  int sourceIndex(size_t slot) const;  // -1: a time field that is not read
  ValueRead readOf(size_t slot) const;
  const std::string& sourceName(size_t slot) const;
};

// The time fields a source offers when none is named (VectorReadOptions::detectTime): the
// start is the first typed date field not named as an end, else the first text field with
// a common date name (date, start, start_date, begin, day, 日期, 开始日期, ...); the end,
// only with a start, a date or text field with a common end name (end, end_date, 结束日期,
// ...). -1: none. A text field whose values do not read as dates fails the read; the host
// then reads the source again without detection (PluginServices.cpp).
struct DetectedTime {
  int start = -1;
  int end = -1;
};
DetectedTime detectTimeFields(const SourceSchema& schema);

// Plans the columns, the id and the time fields of a read of `schema` with options `o`.
// nullopt on an error (*err says which field is missing or cannot give dates) or, when
// `declined` is given, when the id field is not usableAsId (*declined says why).
std::optional<ReadPlan> planRead(const SourceSchema& schema, const VectorReadOptions& o, std::string prefix,
                                 std::string* err, std::string* declined = nullptr);

// Sets the plan's CRS: o.sourceCrs when set (checked first), else what `fromSource` says
// (nullopt: it failed and set *err). Then a GCJ-02 conversion (o.gcj02) needs lon/lat.
// False with *err set on an error.
bool planCrs(ReadPlan& plan, const VectorReadOptions& o,
             const std::function<std::optional<SourceCrs>(std::string* err)>& fromSource, std::string* err);

}  // namespace bcmap
