// DbQuery: what a database layer asks its server for, per view, and the overviews that
// `bcmap db prepare` builds so that a dense table's full view needs no full scan.
//
// Sections: the view being drawn · SQL text (pure, unit-tested) · the connection · planning
// a read · overviews
//
// Per view (issue 11 §2): for the view's box in the table's own CRS,
//   Box       the rows inside the box (the GiST index: geom && ST_MakeEnvelope), all
//             attributes, in the table's own order, when they are few (at most one per
//             kBoxPixelsPerRow pixels) or the table is not of points;
//   Overview  else, for points, the coarsest overview band whose cells are no wider than
//             kOverviewPixelsPerCell pixels, re-aggregated at the pixel size (count and
//             centroid per cell) when its cells are smaller than a pixel, else as they are;
//   Live      else a grid computed from the table (count and centroid per cell of
//             kOverviewPixelsPerCell pixels).
// So the rows that cross the wire are bounded by the view's pixels, not by the table. One
// point per pixel cell at the cell's centroid draws the picture of the whole table: the
// renderer's own level of detail keeps one point per 4 px cell of an 8 px symbol. Why up to
// 2 px a band cell: the bands are a factor 2 apart, so at 1 px a view needs the band that is
// 0.5–1 px, which for a table with about as many rows as that band has cells (1M rows at
// 1920x1080) holds more than three quarters of the rows and is not kept: the full view fell
// back to live aggregation (4 s); a 1–2 px band is at most half the rows and still under
// half the symbol's LOD cell (the pictures are compared in tests/db).
//
// Why libpq: everything bcmap decides on its own — the geometry column lookup, the row
// count, the catalogue, every statement of `db prepare` — goes through PQexecParams, so the
// user's table and schema names reach SQL only as parameters or through identifier quoting.
// A planned read's rows come through libpq too, in one statement (PgReader.h turns them into
// a FeatureTable by the rules of a GDAL read; GDAL's driver would run each statement three
// times: a count, an SRID probe, the fetch). Its text holds quoted identifiers and numbers
// bcmap formatted from finite doubles (sqlNumber), never text the user typed. A whole-table
// read (no view) still goes through GDAL's PostgreSQL driver, which streams with a cursor.
//
// Overviews, as gdaladdo builds them for rasters: per zoom band k (cells of span/256/2^k
// table units, k = 0..kOverviewBands-1, nested so each band sums the next finer one), a
// table <schema>.ov_<hash>_<k> of (ix, iy, n, sx, sy, geom: the centroid), GiST-indexed,
// recorded in <schema>.overviews with the table's row count and extent and its modification
// signature (per leaf of the partition tree: file node and the server's counts of rows
// inserted, updated and deleted). A band with more than three quarters of the table's rows
// saves little and is not kept. Stale overviews are ignored by a read and rebuilt by
// prepare. A read decides cheaply: the signature now against the recorded one, a catalogue
// lookup (a table without one, such as one with a foreign partition, pays for the full
// check); prepare decides by the full check, the row count and extent (a full scan), and
// the signature where there is one.
//
// Threading: setDbView/dbView are guarded; a PgConnection belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/DbSource.h"
#include "model/FeatureTable.h"

namespace bcmap {

// ---- the view being drawn ---------------------------------------------------------------
// A headless render knows its view before the layers load (bcmap render --bbox): database
// layers then read only what it shows. Unset: a database layer is read whole.
struct DbView {
  std::string crs;  // the display CRS of `box`
  Bounds box;
  int widthPx = 0, heightPx = 0;
  TimeFilter time{};  // the day shown (kNoDay: all); a table with a start field is read for it
};
void setDbView(std::optional<DbView> view);
std::optional<DbView> dbView();

// A box read is used while the box holds at most one row per this many pixels.
inline constexpr double kBoxPixelsPerRow = 4;
inline constexpr int kOverviewBands = 6;
inline constexpr double kOverviewCoarsestCells = 256;  // cells across the extent in band 0
// A band is used while its cell is at most this many pixels of the view.
inline constexpr double kOverviewPixelsPerCell = 2;

// ---- SQL text ----------------------------------------------------------------------------
// A finite double as SQL text that reads back to the same double; "NULL" otherwise.
std::string sqlNumber(double v);

struct DbTableInfo {
  std::string geomColumn;
  int srid = 0;
  std::string type;  // geometry_columns.type: POINT, MULTIPOLYGON, GEOMETRY, ...
  // pg_class.relkind: 'r' a table, 'p' partitioned, 'm' materialized, 'v' a view, 'f' foreign.
  char relkind = 'r';
  bool points() const { return type == "POINT"; }
  // Rows with a heap place (tableoid, ctid): not a view's.
  bool hasHeapOrder() const { return relkind == 'r' || relkind == 'p' || relkind == 'm'; }
};

// The time filter as SQL (the rules of filterShows, FeatureTable.h): a table's start (and
// end) column read as dates, the day (and the window's length) as parameters $first.. so
// the day reaches the server as a value, never as text in the statement. `sql` is empty
// (no filter) when the day is kNoDay or there is no start column.
struct DbTimeWhere {
  std::string sql;                  // "(...)", to AND with the box
  std::vector<std::string> params;  // for $first, $first+1
};
DbTimeWhere timeWhereSql(const std::string& startColumn, const std::string& endColumn, const TimeFilter& filter,
                         int first);

// ST_MakeEnvelope(x0, y0, x1, y1, srid)
std::string envelopeSql(const Bounds& box, int srid);
// The rows of `table` inside `box`, every column, in the table's own (heap) order.
// `where`: a further condition (timeWhereSql), ANDed; empty: none.
std::string boxReadSql(const std::string& quotedTable, const DbTableInfo& info, const Bounds& box,
                       const std::string& where = {});
// One row per occupied cell of side `cell`: n (the count) and geom (the centroid).
std::string liveGridSql(const std::string& quotedTable, const DbTableInfo& info, const Bounds& box, double cell,
                        const std::string& where = {});
// The same from an overview table (ix, iy, n, sx, sy, geom).
std::string overviewGridSql(const std::string& quotedOverview, int srid, const Bounds& box, double cell);
// A band's cells in `box` as they are (n, geom): for a band whose cells are no smaller than
// the view's pixel.
std::string overviewRowsSql(const std::string& quotedOverview, int srid, const Bounds& box);
// The overview table of band `band` for schema.table: ov_<16 hex digits>_<band>.
std::string overviewTableName(const DbSource& source, int band);

// ---- the connection ----------------------------------------------------------------------
// libpq's (and GDAL's PostgreSQL driver's) messages span lines ("PQconnectdb failed.", then
// libpq's reason, then a hint indented by a tab): one line, the lines joined by "; ", GDAL's
// "PQconnectdb failed." left out (the reason that follows says it).
std::string oneLineDbMessage(std::string message);

// One statement's result as libpq holds it (text format), read in place.
class PgResult {
 public:
  explicit PgResult(void* res) : res_(res) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : res_(o.res_) { o.res_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  int columns() const;
  const char* name(int col) const;
  unsigned type(int col) const;  // the column's type OID
  int typmod(int col) const;
  bool isNull(int row, int col) const;
  const char* value(int row, int col) const;  // "" when null
  int length(int row, int col) const;

 private:
  friend class PgConnection;
  const void* handle() const { return res_; }
  void* res_;  // PGresult
};

class PgConnection {
 public:
  // `pinned`: a source checkDbSource let through (NetworkGuard.h). Errors are redacted.
  static std::unique_ptr<PgConnection> open(const DbSource& pinned, std::string* err);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` with text parameters $1.. ; rows as text (NULL as ""). nullopt and `err` on
  // an error.
  using Rows = std::vector<std::vector<std::string>>;
  std::optional<Rows> exec(const std::string& sql, const std::vector<std::string>& params, std::string* err);
  // The same, the result kept as libpq holds it (no copy of each value).
  std::optional<PgResult> query(const std::string& sql, const std::vector<std::string>& params, std::string* err);
  bool run(const std::string& sql, const std::vector<std::string>& params, std::string* err) {
    return exec(sql, params, err).has_value();
  }

 private:
  explicit PgConnection(void* conn) : conn_(conn) {}
  void* conn_;  // PGconn
};

// The table's geometry column, SRID and type (geometry_columns); err when it has none.
std::optional<DbTableInfo> lookupTable(PgConnection& pg, const DbSource& source, std::string* err);

// The tables with a geometry column that the server of `source` lists (geometry_columns),
// as schema.name, sorted; `source`'s own table is not needed. Goes through the network
// guard (checkDbSource) and the connection's timeouts; errors name no password.
std::optional<std::vector<std::string>> listGeometryTables(const DbSource& source, std::string* err);

// ---- planning a read -----------------------------------------------------------------------
enum class DbReadMode { Whole, Box, Overview, Live };
const char* dbReadModeName(DbReadMode mode);

struct DbReadPlan {
  DbReadMode mode = DbReadMode::Whole;
  std::string sql;      // the rows to read (PgReader.h), one statement
  std::vector<std::string> params;  // its parameters $1.. (the time filter's)
  double cell = 0;      // grid cell (table units) for Overview and Live
  int band = -1;        // the overview band used
  DbTableInfo info;     // the table's geometry column, SRID and type
};

// What to ask for `view` (nullopt: the whole table). err when the server cannot answer.
// With `startColumn` (and `endColumn`) and a day in view.time, every statement reads only
// the rows shown on that day (timeWhereSql), and the overviews, which count every row, are
// not used.
std::optional<DbReadPlan> planDbRead(PgConnection& pg, const DbSource& source, const DbView& view, std::string* err,
                                     const std::string& startColumn = {}, const std::string& endColumn = {});

// ---- overviews -----------------------------------------------------------------------------
struct OverviewReport {
  bool current = false;        // they were current: nothing was done
  int64_t rows = 0;            // the table's rows
  std::vector<std::pair<int, int64_t>> bands;  // band -> rows kept
  double seconds = 0;
};
// Builds (or finds current) the overviews of `source` in `schema`.
std::optional<OverviewReport> prepareOverviews(PgConnection& pg, const DbSource& source, const std::string& schema,
                                               std::string* err);

}  // namespace bcmap
