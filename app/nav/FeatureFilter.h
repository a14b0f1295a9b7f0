// FeatureFilter: the attribute table's filter line, over one layer's FeatureTable.
//
// Two forms. Text without any of the operator characters = != < > ~ is a plain search: a row
// matches when any of its fields contains the text, ignoring the case of ASCII letters
// (Chinese has no case). Anything else is an expression:
//
//   people > 300            year >= 2018 and year < 2020
//   name = 通榆县            name != "x y"        name ~ 村 or county = 洮南市
//   "field with spaces" <= 2.5
//
// A comparison is FIELD OP VALUE with OP one of = != < <= > >= ~ (contains, ignoring ASCII
// case). Field names are the table's column names, in "double quotes" when they hold spaces
// or operator characters (a quote inside quotes is written ""); values likewise. `and` binds
// tighter than `or` (either word in any case); parentheses group. A comparison is numeric
// when the field's value and VALUE are both numbers (integer and real columns, and text
// that is a whole number such as "300"), otherwise it compares the text (byte order of
// UTF-8, which is code point order; dates compare as YYYY-MM-DD text). A null field
// matches no comparison, as in SQL.
//
// Errors name the place: FilterError::offset is the byte offset in the text, and the
// message starts with the 1-based character column ("column 1: unknown field 'peple'").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

struct FilterError {
  size_t offset = 0;    // byte offset into the filter text
  std::string message;  // "column N: what is wrong"
};

class FeatureFilter {
 public:
  // Compiles `text` against `table`'s columns (names are looked up now). Empty or blank
  // text matches every row. nullopt and `err` when the expression cannot be read.
  static std::optional<FeatureFilter> parse(std::string_view text, const FeatureTable& table, FilterError* err);

  // Whether row `row` of `table` (the table it was parsed against) matches.
  bool matches(const FeatureTable& table, size_t row) const;
  // Every matching row, ascending.
  std::vector<uint32_t> rows(const FeatureTable& table) const;
  bool matchesAll() const { return !root_ && plainText_.empty(); }

  // The same filter as an SQL WHERE clause over a database table whose columns `table` (the
  // table it was parsed against) names, for a database layer's attribute table (io/DbAsk.h):
  // column names quoted, every value a parameter appended to `params` ($n numbered after those
  // already there). Numbers against integer and real columns compare as numbers, other
  // comparisons as text in byte order (dates as YYYY-MM-DD), ~ as a case-folded position; a
  // null matches no comparison, as here. "" for every row. nullopt and `why` where SQL cannot
  // say the same (an order comparison of a number with a text column, which compares text
  // that is a whole number as a number here).
  std::optional<std::string> sqlWhere(const FeatureTable& table, std::vector<std::string>& params, std::string* why) const;

  struct Node;  // the parsed expression (FeatureFilter.cpp)
  FeatureFilter();
  ~FeatureFilter();
  FeatureFilter(FeatureFilter&&) noexcept;
  FeatureFilter& operator=(FeatureFilter&&) noexcept;

 private:
  std::string plainText_;       // plain search, ASCII-lowercased
  std::unique_ptr<Node> root_;  // expression; null for a plain search or "everything"
};

}  // namespace bcmap
