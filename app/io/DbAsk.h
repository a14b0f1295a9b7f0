// DbAsk: what the viewer asks a database layer's server about one place or one page, as SQL
// text and its parameters (issue 11 §2: "identify, tooltips and the attribute table query the
// server"). Pure: no connection here; host/DbAsker.h runs them.
//
// Sections: statements with parameters · identify at a place · reading an answer · pages of
// the attribute table
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

// ---- pages of the attribute table -------------------------------------------------------------
// Keyset pagination (issue 11 §2: a 10M-row table's table opens at once): a page is the rows
// after the last one shown in the page order, never OFFSET n (which reads the n rows first).
// The order is the key (the primary key when it is one column, else ctid for a table: rows
// in heap order, a TID range scan), or a column then the key as the tie-breaker, nulls last.
// A view without a key pages by OFFSET (said in DbPageKey::offset).
//
// ctid in heap order without a filter reads a window of blocks (ctid > the last AND ctid <
// the window's end: a TID range scan of a few blocks, then a sort of those rows only): ORDER
// BY ctid alone sorts the whole table, since the planner does not know a TID scan's order.
// A window short of a page ends where the window ends (DbPageResult::resumeKey).
struct DbPageKey {
  std::string column;  // the key's column; "ctid" for a table without a one-column primary key
  bool offset = false;  // no key (a view): OFFSET paging
};
struct DbPageQuery {
  std::string sortColumn;  // "" for the key's order
  bool ascending = true;
  // A WHERE clause over the table's columns (FeatureFilter::sqlWhere) with its parameters
  // numbered from $1; "" for every row.
  std::string where;
  std::vector<std::string> whereParams;
  // The last row shown (empty: the first page): its key as text, and its sort value (null when
  // sortNull).
  std::string afterKey;
  std::string afterSort;
  bool afterSortNull = false;
  int64_t offset = 0;  // rows shown so far, for DbPageKey::offset
  int limit = 200;
  // ctid's window, in blocks (0: no window); set by the asker from the table's rows per block.
  int64_t ctidBlocks = 0;
};
// The first block after the window that starts after `afterKey` (a tid's text "(b,o)", ""
// for the start): the window's end as a tid's text "(b,0)".
std::string ctidWindowEnd(const std::string& afterKey, int64_t blocks);
// Columns of the answer: bcmap_k (the key as text), bcmap_sn (the sort value is null),
// bcmap_sv (the sort value as text), then facts.columns as text (bcmap_c1 ...; named so that
// ORDER BY a column never means an output column of the same name). One row more than the limit is asked for: whether
// there are more.
DbSql pageSql(const std::string& quotedTable, const DbTableFacts& facts, const DbPageKey& key, const DbPageQuery& q);

}  // namespace bcmap
