// TableBuilder: the VectorReadResult being filled by a reader, with the per-feature rules all
// three readers share (OGR, Arrow stream, GeoJSON): which features are skipped and why, the
// wrong-kind error, how values, ids and time spans are appended, the messages that name a
// feature, and the finish (kind, GCJ-02 conversion, the skipped count in the log).
// Sections: dates · TableBuilder · appendValues (template)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "io/ReadPlan.h"
#include "io/VectorReader.h"
#include "io/WkbReader.h"

namespace bcmap {

// ---- dates -------------------------------------------------------------------------------

// The day of a date written as text: kNoDay for empty text, nullopt when it is no date.
inline std::optional<int32_t> dayOfText(std::string_view text) {
  if (text.empty()) return kNoDay;
  return parseDate(text);
}

// The day of a typed date's parts, validated as text dates are (through parseDate).
std::optional<int32_t> dayFromYmd(int year, int month, int day);

// ---- TableBuilder ------------------------------------------------------------------------

class TableBuilder {
 public:
  // Starts `result` afresh: the plan's columns, result CRS and geometry kind.
  TableBuilder(const ReadPlan& plan, VectorReadResult& result);

  // Capacity for this many features, parts, rings and vertices (a guess; 0: none).
  void reserve(size_t features, size_t parts, size_t rings, size_t vertices);

  // Checks one feature's geometry (swapping x and y in place when the plan says so).
  // Returns false when the feature must be skipped (and says why in the log); an error (a
  // feature of another kind when a kind is expected) goes to *err and sets failed().
  bool accept(std::span<Vec2> xy, GeometryKind kind, WkbStatus status, size_t ordinal, const std::string& id,
              std::string* err);
  bool accept(GeometryScratch& g, WkbStatus status, size_t ordinal, const std::string& id, std::string* err) {
    return accept(g.xy, g.kind, status, ordinal, id, err);
  }

  // Appends one feature's values: the plan's columns in order, then its id, then its time
  // span. False with *err set on a value of a date field that is no date. `row` reads the
  // current feature's values by slot (ReadPlan::startSlot):
  //   bool isNull(size_t slot)                       columns read as Integer, Real, String
  //   int64_t integer(size_t slot), double real(size_t slot)
  //   void appendString(StringColumn&, size_t slot)  (not null)
  //   std::optional<int32_t> day(size_t slot)        kNoDay: null or empty (and a time field
  //                                                  the plan does not read); nullopt: no date
  //   std::string dateText(size_t slot)              the value as the date error shows it
  template <class Row>
  bool appendValues(Row& row, size_t ordinal, std::string id, std::string* err);

  void commitGeometry(std::span<const Vec2> xy, std::span<const uint32_t> ringSizes,
                      std::span<const uint32_t> partRingCounts);
  void commitGeometry(const GeometryScratch& g) { commitGeometry(g.xy, g.ringSizes, g.partRingCounts); }

  // The last step of a read: the result's kind, the GCJ-02 conversion, the skipped count.
  void finish();

  FeatureTable& table() { return result_.table; }
  bool failed() const { return failed_; }

 private:
  bool dateError(size_t slot, size_t ordinal, const std::string& id, const std::string& value, std::string* err);

  const ReadPlan& plan_;
  VectorReadResult& result_;
  bool failed_ = false;
};

// ---- appendValues (template) ---------------------------------------------------------------

template <class Row>
bool TableBuilder::appendValues(Row& row, size_t ordinal, std::string id, std::string* err) {
  FeatureTable& t = result_.table;
  for (size_t c = 0; c < plan_.columns.size(); ++c) {
    AttributeColumn& col = t.columns[c];
    switch (plan_.columns[c].read) {
      case ValueRead::Integer: {
        const bool isNull = row.isNull(c);
        col.ints.push_back(isNull ? 0 : row.integer(c));
        col.isNull.push_back(isNull);
        break;
      }
      case ValueRead::Real: {
        const bool isNull = row.isNull(c);
        col.reals.push_back(isNull ? 0.0 : row.real(c));
        col.isNull.push_back(isNull);
        break;
      }
      case ValueRead::String: {
        const bool isNull = row.isNull(c);
        if (isNull) col.appendString({});
        else row.appendString(col.strings, c);
        col.isNull.push_back(isNull);
        break;
      }
      case ValueRead::DateField:
      case ValueRead::DateFromString: {
        const std::optional<int32_t> day = row.day(c);
        if (!day) return dateError(c, ordinal, id, row.dateText(c), err);
        col.ints.push_back(*day == kNoDay ? 0 : *day);
        col.isNull.push_back(*day == kNoDay);
        break;
      }
    }
  }
  if (plan_.hasTime) {
    const std::optional<int32_t> start = row.day(plan_.startSlot());
    if (!start) return dateError(plan_.startSlot(), ordinal, id, row.dateText(plan_.startSlot()), err);
    const std::optional<int32_t> end = row.day(plan_.endSlot());
    if (!end) return dateError(plan_.endSlot(), ordinal, id, row.dateText(plan_.endSlot()), err);
    t.startDay.push_back(*start);
    t.endDay.push_back(*end);
  }
  // After the time span, which is all that may still fail: the id moves in.
  if (plan_.id.index >= 0) t.ids.push_back(std::move(id));
  return true;
}

}  // namespace bcmap
