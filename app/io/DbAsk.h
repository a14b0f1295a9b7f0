// DbAsk: what the viewer asks a database layer's server about one place or one page, as SQL
// text and its parameters (issue 11 §2: "identify, tooltips and the attribute table query the
// server"). Pure: no connection here; host/DbAsker.h runs them.
//
// Sections: statements with parameters · identify at a place · reading an answer
//
// Why parameters: the place and the limit are the user's (a cursor, a typed lon/lat) and
// reach SQL only as $n parameters; table and column names are the server's own, quoted as
// identifiers (quoteSqlIdentifier). Nothing else is pasted into the text.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/DbQuery.h"
#include "io/DbTiles.h"

namespace bcmap {

// ---- statements with parameters ---------------------------------------------------------------
struct DbSql {
  std::string text;                 // $1.. for every value
  std::vector<std::string> params;  // text values, in order
};

// ---- identify at a place -------------------------------------------------------------------------
// The rows nearest `at` (table CRS), the nearest first, at most `limit` (the GiST index's
// nearest-neighbour order, geom <-> point: fast on ten million rows), each with every
// non-geometry column as text. Columns of the answer: here (how many rows lie in `near`, the
// box around the place that the hover radius covers, counted up to kDbAskCountCap + 1),
// dist (table units), then facts.columns in order.
inline constexpr int64_t kDbAskCountCap = 100000;
inline constexpr int kDbAskRows = 5;
DbSql identifySql(const std::string& quotedTable, const DbTableFacts& facts, Vec2 at, const Bounds& near, int limit);

// ---- reading an answer ---------------------------------------------------------------------------
struct DbAskRow {
  double dist = 0;  // table units
  std::vector<std::pair<std::string, std::string>> attributes;  // column, value as text ("" for NULL)
};
struct DbAskAnswer {
  int64_t here = 0;  // rows within the hover radius (capped: kDbAskCountCap + 1 means more)
  std::vector<DbAskRow> rows;  // the nearest first
};
// The rows identifySql's statement returned, read back by column.
DbAskAnswer readIdentifyAnswer(const DbTableFacts& facts, const std::vector<std::vector<std::string>>& rows);

// The tooltip's text: "N 条 rows here" first when more than one row lies within the hover
// radius (a grid cell is at most a pixel wide, the radius a few: every row of the cell under
// the cursor is counted; the cell's own `n` is not used, since a table may have a column of
// that name), then the nearest row's "column: value" lines. "" when the answer holds no row.
std::string describeAskAnswer(const DbAskAnswer& answer);

}  // namespace bcmap
