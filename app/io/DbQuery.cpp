// DbQuery.cpp — per-view reads and overviews of a database layer (DbQuery.h has the rules).
// Sections: 1. the view being drawn  2. SQL text  3. the connection  4. planning a read
// 5. overviews
#include "io/DbQuery.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "io/NetworkGuard.h"
#include "io/Projection.h"

namespace bcmap {

// ---- 1. the view being drawn ----------------------------------------------------------------
namespace {
std::mutex gViewMutex;
std::optional<DbView> gView;
}  // namespace

void setDbView(std::optional<DbView> view) {
  std::lock_guard lock(gViewMutex);
  gView = std::move(view);
}

std::optional<DbView> dbView() {
  std::lock_guard lock(gViewMutex);
  return gView;
}

// ---- 2. SQL text ----------------------------------------------------------------------------
std::string sqlNumber(double v) {
  if (!std::isfinite(v)) return "NULL";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string envelopeSql(const Bounds& box, int srid) {
  return "ST_MakeEnvelope(" + sqlNumber(box.minX) + ", " + sqlNumber(box.minY) + ", " + sqlNumber(box.maxX) + ", " +
         sqlNumber(box.maxY) + ", " + std::to_string(srid) + ")";
}

DbTimeWhere timeWhereSql(const std::string& startColumn, const std::string& endColumn, const TimeFilter& filter,
                         int first) {
  DbTimeWhere w;
  if (filter.day == kNoDay || startColumn.empty()) return w;
  const std::string s = "(" + quoteSqlIdentifier(startColumn) + ")::date";
  const std::string day = "$" + std::to_string(first) + "::date";
  w.params.push_back(formatDate(filter.day));
  switch (filter.mode) {
    case TimeMode::Span:
      w.sql = "((" + s + " IS NULL OR " + s + " <= " + day + ")";
      if (!endColumn.empty()) {
        const std::string e = "(" + quoteSqlIdentifier(endColumn) + ")::date";
        w.sql += " AND (" + e + " IS NULL OR " + day + " <= " + e + ")";
      }
      w.sql += ")";
      break;
    case TimeMode::Cumulative: w.sql = "(" + s + " IS NULL OR " + s + " <= " + day + ")"; break;
    case TimeMode::Window:
      w.sql = "(" + s + " <= " + day + " AND " + s + " > " + day + " - $" + std::to_string(first + 1) + "::integer)";
      w.params.push_back(std::to_string(filter.windowDays));
      break;
  }
  return w;
}

std::string boxReadSql(const std::string& quotedTable, const DbTableInfo& info, const Bounds& box,
                       const std::string& where) {
  // ctid: the heap order, the order a whole-table read gives (draw order is part of the picture).
  // A partitioned table has a heap per partition, each with its own ctids: ordered by ctid
  // alone the partitions' rows interleave, so tableoid first (one partition after the other,
  // in the order they were made, the whole read's order when they were made in bound order;
  // a constant for an ordinary table).
  // A view has neither: its rows come in the order its query gives them, as a whole read's do.
  return "SELECT * FROM " + quotedTable + " WHERE " + quoteSqlIdentifier(info.geomColumn) + " && " +
         envelopeSql(box, info.srid) + (where.empty() ? "" : " AND " + where) +
         (info.hasHeapOrder() ? " ORDER BY tableoid, ctid" : "");
}

std::string liveGridSql(const std::string& quotedTable, const DbTableInfo& info, const Bounds& box, double cell,
                        const std::string& where) {
  const std::string g = quoteSqlIdentifier(info.geomColumn), c = sqlNumber(cell);
  return "SELECT count(*)::bigint AS n, ST_SetSRID(ST_MakePoint(avg(ST_X(" + g + ")), avg(ST_Y(" + g + "))), " +
         std::to_string(info.srid) + ") AS geom FROM " + quotedTable + " WHERE " + g + " && " +
         envelopeSql(box, info.srid) + (where.empty() ? "" : " AND " + where) + " GROUP BY floor(ST_X(" + g + ") / " + c + "), floor(ST_Y(" + g + ") / " + c + ")";
}

std::string overviewGridSql(const std::string& quotedOverview, int srid, const Bounds& box, double cell) {
  const std::string c = sqlNumber(cell);
  return "SELECT sum(n)::bigint AS n, ST_SetSRID(ST_MakePoint(sum(sx) / sum(n), sum(sy) / sum(n)), " +
         std::to_string(srid) + ") AS geom FROM " + quotedOverview + " WHERE geom && " + envelopeSql(box, srid) +
         " GROUP BY floor(sx / n / " + c + "), floor(sy / n / " + c + ")";
}

std::string overviewRowsSql(const std::string& quotedOverview, int srid, const Bounds& box) {
  return "SELECT n, geom FROM " + quotedOverview + " WHERE geom && " + envelopeSql(box, srid);
}

std::string overviewTableName(const DbSource& source, int band) {
  // FNV-1a of schema NUL table: any name fits PostgreSQL's 63-byte identifiers.
  uint64_t h = 1469598103934665603ull;
  for (char c : source.schema + std::string(1, '\0') + source.table) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "ov_%016llx_%d", static_cast<unsigned long long>(h), band);
  return buf;
}

// ---- 3. the connection ----------------------------------------------------------------------
std::string oneLineDbMessage(std::string message) {
  const std::string gdal = "PQconnectdb failed.";
  for (size_t at; (at = message.find(gdal)) != std::string::npos;) message.erase(at, gdal.size());
  std::string out;
  size_t i = 0;
  while (i < message.size()) {
    size_t end = message.find('\n', i);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(i, end - i);
    i = end + 1;
    const size_t a = line.find_first_not_of(" \t\r"), b = line.find_last_not_of(" \t\r");
    if (a == std::string::npos) continue;
    line = line.substr(a, b - a + 1);
    if (!out.empty()) out += (out.back() == ':' ? " " : "; ");
    out += line;
  }
  return out;
}

std::unique_ptr<PgConnection> PgConnection::open(const DbSource& pinned, std::string* err) {
  PGconn* conn = PQconnectdb(pinned.connectionInfo().c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    if (err != nullptr)
      *err = redactDbPasswords(
          oneLineDbMessage("cannot connect: " + std::string(conn != nullptr ? PQerrorMessage(conn) : "out of memory")));
    if (conn != nullptr) PQfinish(conn);
    return nullptr;
  }
  // The server's notices ("table ... does not exist, skipping" from DROP TABLE IF EXISTS)
  // are not the user's business: libpq would print them on stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(static_cast<PGconn*>(conn_)); }

PgResult::~PgResult() {
  if (res_ != nullptr) PQclear(static_cast<PGresult*>(res_));
}
int PgResult::rows() const { return PQntuples(static_cast<const PGresult*>(res_)); }
int PgResult::columns() const { return PQnfields(static_cast<const PGresult*>(res_)); }
const char* PgResult::name(int col) const { return PQfname(static_cast<const PGresult*>(res_), col); }
unsigned PgResult::type(int col) const { return PQftype(static_cast<const PGresult*>(res_), col); }
int PgResult::typmod(int col) const { return PQfmod(static_cast<const PGresult*>(res_), col); }
bool PgResult::isNull(int row, int col) const { return PQgetisnull(static_cast<const PGresult*>(res_), row, col) != 0; }
const char* PgResult::value(int row, int col) const { return PQgetvalue(static_cast<const PGresult*>(res_), row, col); }
int PgResult::length(int row, int col) const { return PQgetlength(static_cast<const PGresult*>(res_), row, col); }

std::optional<PgResult> PgConnection::query(const std::string& sql, const std::vector<std::string>& params,
                                            std::string* err) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PgResult r(PQexecParams(static_cast<PGconn*>(conn_), sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
  const ExecStatusType st = PQresultStatus(static_cast<const PGresult*>(r.handle()));
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    if (err != nullptr) {
      const PGresult* res = static_cast<const PGresult*>(r.handle());
      *err = redactDbPasswords(
          oneLineDbMessage(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(static_cast<PGconn*>(conn_))));
    }
    return std::nullopt;
  }
  return r;
}

std::optional<PgConnection::Rows> PgConnection::exec(const std::string& sql, const std::vector<std::string>& params,
                                                      std::string* err) {
  std::optional<PgResult> r = query(sql, params, err);
  if (!r) return std::nullopt;
  Rows rows(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i)
    for (int j = 0; j < r->columns(); ++j) rows[static_cast<size_t>(i)].emplace_back(r->value(i, j));
  return rows;
}

std::optional<DbTableInfo> lookupTable(PgConnection& pg, const DbSource& source, std::string* err) {
  auto rows = pg.exec(
      "SELECT f_geometry_column, srid, type FROM geometry_columns WHERE f_table_schema = $1 AND f_table_name = $2 "
      "ORDER BY f_geometry_column LIMIT 1",
      {source.schema, source.table}, err);
  if (!rows) return std::nullopt;
  if (rows->empty()) {
    if (err != nullptr) *err = "table " + source.tableName() + " has no geometry column (or does not exist)";
    return std::nullopt;
  }
  DbTableInfo info;
  info.geomColumn = (*rows)[0][0];
  info.srid = std::atoi((*rows)[0][1].c_str());
  info.type = (*rows)[0][2];
  auto kind = pg.exec("SELECT relkind FROM pg_class WHERE oid = $1::regclass", {source.quotedTable()}, err);
  if (!kind) return std::nullopt;
  if (!kind->empty() && !(*kind)[0][0].empty()) info.relkind = (*kind)[0][0][0];
  return info;
}

std::optional<std::vector<std::string>> listGeometryTables(const DbSource& source, std::string* err) {
  std::optional<DbSource> pinned = checkDbSource(source, err);
  if (!pinned) return std::nullopt;
  std::unique_ptr<PgConnection> pg = PgConnection::open(*pinned, err);
  if (!pg) return std::nullopt;
  auto rows = pg->exec("SELECT DISTINCT f_table_schema || '.' || f_table_name FROM geometry_columns ORDER BY 1", {}, err);
  if (!rows) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r[0]);
  return out;
}

// ---- 4. planning a read ---------------------------------------------------------------------
const char* dbReadModeName(DbReadMode mode) {
  switch (mode) {
    case DbReadMode::Whole: return "the whole table";
    case DbReadMode::Box: return "the rows in the view";
    case DbReadMode::Overview: return "an overview band";
    case DbReadMode::Live: return "a grid at the pixel size";
  }
  return "?";
}

namespace {

struct Catalogue {
  int64_t rows = 0;
  Bounds extent;
  std::string signature;  // the table's modification signature when built; empty: none
  std::vector<std::pair<int, double>> bands;  // band, cell (finest last)
  std::vector<std::string> tables;
};

// The catalogue's record of `source` in `schema`; nullopt when there is none.
std::optional<Catalogue> readCatalogue(PgConnection& pg, const DbSource& source, const std::string& schema,
                                       std::string* err) {
  auto exists = pg.exec("SELECT to_regclass($1) IS NOT NULL", {quoteSqlIdentifier(schema) + ".overviews"}, err);
  if (!exists) return std::nullopt;
  if (exists->empty() || (*exists)[0][0] != "t") return std::nullopt;
  // mod_signature through to_jsonb: a catalogue made before it existed reads as NULL.
  auto rows = pg.exec("SELECT band, cell, overview_table, row_count, ext_xmin, ext_ymin, ext_xmax, ext_ymax, "
                      "coalesce(to_jsonb(o) ->> 'mod_signature', '') FROM " +
                          quoteSqlIdentifier(schema) + ".overviews o WHERE source_schema = $1 AND source_table = $2 "
                          "ORDER BY band",
                      {source.schema, source.table}, err);
  if (!rows || rows->empty()) return std::nullopt;
  Catalogue c;
  for (const auto& r : *rows) {
    c.bands.emplace_back(std::atoi(r[0].c_str()), std::strtod(r[1].c_str(), nullptr));
    c.tables.push_back(r[2]);
    c.rows = std::strtoll(r[3].c_str(), nullptr, 10);
    c.extent = Bounds{std::strtod(r[4].c_str(), nullptr), std::strtod(r[5].c_str(), nullptr),
                      std::strtod(r[6].c_str(), nullptr), std::strtod(r[7].c_str(), nullptr)};
    c.signature = r[8];
  }
  return c;
}

// The table's modification signature: per leaf of its partition tree (pg_partition_tree
// lists none for a table that is not partitioned: then the table itself), its file node and the server's cumulative counts of rows inserted,
// updated and deleted (pg_stat_user_tables). Any INSERT, UPDATE, DELETE, TRUNCATE or
// rewrite changes it, even one that keeps the row count and the extent; reading it costs
// a catalogue lookup, not a scan. Empty (no cheap check: the full one decides) when a leaf
// is not a plain table (a foreign partition's rows change on another server, a view's in
// its tables) or the server does not count (track_counts off). Counters the server reset
// (pg_stat_reset, a crash) read as a change: the overviews are then ignored until
// db prepare rebuilds them.
// A backend reports its counts when its transaction ends (within a second or so when it
// stays connected): a render that starts in that moment may still use the overviews.
std::string modificationSignature(PgConnection& pg, const DbSource& source) {
  std::string ignored;
  auto r = pg.exec(
      "SELECT string_agg(c.relfilenode::text || ':' || coalesce(s.n_tup_ins, 0) || ':' || coalesce(s.n_tup_upd, 0) || "
      "':' || coalesce(s.n_tup_del, 0), ',' ORDER BY c.oid), bool_and(c.relkind IN ('r', 'm') AND s.relid IS NOT NULL) "
      "AND current_setting('track_counts')::bool "
      "FROM (SELECT relid FROM pg_partition_tree($1::regclass) WHERE isleaf UNION SELECT $1::regclass) t "
      "JOIN pg_class c ON c.oid = t.relid AND c.relkind <> 'p' LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid",
      {source.quotedTable()}, &ignored);
  if (!r || r->empty() || (*r)[0][1] != "t") return {};
  return (*r)[0][0];
}

struct TableStats {
  int64_t rows = 0;
  Bounds extent;
};

std::optional<TableStats> tableStats(PgConnection& pg, const DbSource& source, const DbTableInfo& info, std::string* err) {
  const std::string g = quoteSqlIdentifier(info.geomColumn);
  auto r = pg.exec("SELECT count(*), ST_XMin(ST_Extent(" + g + ")), ST_YMin(ST_Extent(" + g + ")), ST_XMax(ST_Extent(" +
                       g + ")), ST_YMax(ST_Extent(" + g + ")) FROM " + source.quotedTable(),
                   {}, err);
  if (!r) return std::nullopt;
  TableStats s;
  s.rows = std::strtoll((*r)[0][0].c_str(), nullptr, 10);
  if (s.rows > 0)
    s.extent = Bounds{std::strtod((*r)[0][1].c_str(), nullptr), std::strtod((*r)[0][2].c_str(), nullptr),
                      std::strtod((*r)[0][3].c_str(), nullptr), std::strtod((*r)[0][4].c_str(), nullptr)};
  return s;
}

bool sameExtent(const Bounds& a, const Bounds& b) {
  auto near = [](double x, double y) { return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x)); };
  return near(a.minX, b.minX) && near(a.minY, b.minY) && near(a.maxX, b.maxX) && near(a.maxY, b.maxY);
}

}  // namespace

std::optional<DbReadPlan> planDbRead(PgConnection& pg, const DbSource& source, const DbView& view, std::string* err,
                                     const std::string& startColumn, const std::string& endColumn) {
  std::optional<DbTableInfo> info = lookupTable(pg, source, err);
  if (!info) return std::nullopt;
  DbReadPlan plan;
  plan.info = *info;
  if (info->srid <= 0 || view.widthPx <= 0 || view.heightPx <= 0 || view.box.empty()) {
    plan.sql = "SELECT * FROM " + source.quotedTable();
    return plan;
  }
  // The view's box in the table's CRS, a little larger (symbols reach past their centre).
  std::string why;
  auto tr = Transformer::create(view.crs, "EPSG:" + std::to_string(info->srid), &why);
  std::optional<Bounds> box = tr ? tr->transformBounds(view.box) : std::nullopt;
  if (!box || box->empty()) {
    plan.sql = "SELECT * FROM " + source.quotedTable();
    return plan;
  }
  const double padX = box->width() * 0.05, padY = box->height() * 0.05;
  const Bounds padded{box->minX - padX, box->minY - padY, box->maxX + padX, box->maxY + padY};
  const double pixels = static_cast<double>(view.widthPx) * view.heightPx;
  const auto fewRows = static_cast<int64_t>(pixels / kBoxPixelsPerRow);
  // The day's rows only: $1.. in every statement below but the count's (whose $1 is its
  // limit, so its filter's parameters start at $2).
  const DbTimeWhere time = timeWhereSql(startColumn, endColumn, view.time, 1);
  const DbTimeWhere countTime = timeWhereSql(startColumn, endColumn, view.time, 2);
  // Count up to one past "few" through the GiST index: cheap however large the table is.
  std::vector<std::string> countParams{std::to_string(fewRows + 1)};
  countParams.insert(countParams.end(), countTime.params.begin(), countTime.params.end());
  auto counted = pg.exec("SELECT count(*) FROM (SELECT 1 FROM " + source.quotedTable() + " WHERE " +
                             quoteSqlIdentifier(info->geomColumn) + " && " + envelopeSql(padded, info->srid) +
                             (countTime.sql.empty() ? "" : " AND " + countTime.sql) + " LIMIT $1) s",
                         countParams, err);
  if (!counted) return std::nullopt;
  const int64_t inBox = std::strtoll((*counted)[0][0].c_str(), nullptr, 10);
  plan.params = time.params;
  if (inBox <= fewRows || !info->points()) {
    plan.mode = DbReadMode::Box;
    plan.sql = boxReadSql(source.quotedTable(), *info, padded, time.sql);
    return plan;
  }
  // A pixel in table units: the smaller side, so a cell never spans two pixels.
  plan.cell = std::min(box->width() / view.widthPx, box->height() / view.heightPx);
  std::string catalogueErr;
  // The overviews count every row, whatever its day: not used while a day is chosen.
  std::optional<Catalogue> cat;
  if (time.sql.empty()) cat = readCatalogue(pg, source, "bcmap", &catalogueErr);
  if (cat) {
    // Current when the table's modification signature is the one recorded at prepare time
    // (a catalogue lookup); only a table without one (a foreign partition, a view) pays
    // for the full count and extent.
    bool current = false;
    if (const std::string now = modificationSignature(pg, source); !now.empty() && !cat->signature.empty()) {
      current = now == cat->signature;
    } else {
      std::optional<TableStats> stats = tableStats(pg, source, *info, err);
      if (!stats) return std::nullopt;
      current = stats->rows == cat->rows && sameExtent(stats->extent, cat->extent);
    }
    if (current) {
      // The coarsest band whose cells fit in kOverviewPixelsPerCell pixels.
      for (size_t i = 0; i < cat->bands.size(); ++i) {
        if (cat->bands[i].second > plan.cell * kOverviewPixelsPerCell * (1 + 1e-9)) continue;
        plan.mode = DbReadMode::Overview;
        plan.band = cat->bands[i].first;
        const std::string ov = quoteSqlIdentifier("bcmap") + "." + quoteSqlIdentifier(cat->tables[i]);
        // A band whose cells are no smaller than a pixel has at most a few cells' centroids
        // in a pixel cell: its rows as they are (an index scan), not re-aggregated (a sort
        // or hash of them all, ten times the scan, for a few percent fewer rows).
        plan.sql = cat->bands[i].second >= plan.cell ? overviewRowsSql(ov, info->srid, padded)
                                                     : overviewGridSql(ov, info->srid, padded, plan.cell);
        return plan;
      }
    }
  }
  // Live: cells of kOverviewPixelsPerCell pixels, as an overview would give (a quarter of
  // the groups the server must hash: 10M rows at 1920x1080 spill less).
  plan.mode = DbReadMode::Live;
  plan.cell *= kOverviewPixelsPerCell;
  plan.sql = liveGridSql(source.quotedTable(), *info, padded, plan.cell, time.sql);
  return plan;
}

// ---- 5. overviews -----------------------------------------------------------------------------
std::optional<OverviewReport> prepareOverviews(PgConnection& pg, const DbSource& source, const std::string& schema,
                                               std::string* err) {
  const auto start = std::chrono::steady_clock::now();
  auto fail = [err](const std::string& m) -> std::optional<OverviewReport> {
    if (err != nullptr) *err = m;
    return std::nullopt;
  };
  std::string why;
  std::optional<DbTableInfo> info = lookupTable(pg, source, &why);
  if (!info) return fail(why);
  if (!info->points()) return fail(source.tableName() + " holds " + info->type + ", not points: overviews are for point tables");
  // The signature before the full count: a change between the two reads as a change.
  const std::string signature = modificationSignature(pg, source);
  std::optional<TableStats> stats = tableStats(pg, source, *info, &why);
  if (!stats) return fail(why);
  OverviewReport report;
  report.rows = stats->rows;
  const std::string qs = quoteSqlIdentifier(schema);
  // Current: the full check (row count and extent) passes and, for a table that has one,
  // the modification signature is the one recorded (an UPDATE that moved points inside the
  // extent changes no count; counters the server reset cost one rebuild).
  if (std::optional<Catalogue> cat = readCatalogue(pg, source, schema, &why);
      cat && cat->rows == stats->rows && sameExtent(cat->extent, stats->extent) &&
      (signature.empty() || signature == cat->signature)) {
    report.current = true;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }
  if (stats->rows == 0) return fail(source.tableName() + " is empty: nothing to build overviews of");

  if (!pg.run("BEGIN", {}, &why)) return fail(why);
  auto rollback = [&](const std::string& m) {
    std::string ignored;
    pg.run("ROLLBACK", {}, &ignored);
    return fail(m);
  };
  if (!pg.run("CREATE SCHEMA IF NOT EXISTS " + qs, {}, &why) ||
      !pg.run("CREATE TABLE IF NOT EXISTS " + qs + ".overviews (source_schema text NOT NULL, source_table text NOT NULL, "
              "band int NOT NULL, cell float8 NOT NULL, overview_table text NOT NULL, geom_column text NOT NULL, "
              "srid int NOT NULL, row_count bigint NOT NULL, ext_xmin float8, ext_ymin float8, ext_xmax float8, ext_ymax float8, "
              "band_rows bigint NOT NULL, built_at timestamptz NOT NULL DEFAULT now(), "
              "PRIMARY KEY (source_schema, source_table, band))",
              {}, &why) ||
      !pg.run("ALTER TABLE " + qs + ".overviews ADD COLUMN IF NOT EXISTS mod_signature text", {}, &why))
    return rollback(why);
  // Stale ones go: their tables and their rows.
  auto old = pg.exec("SELECT overview_table FROM " + qs + ".overviews WHERE source_schema = $1 AND source_table = $2",
                     {source.schema, source.table}, &why);
  if (!old) return rollback(why);
  for (const auto& r : *old)
    if (!pg.run("DROP TABLE IF EXISTS " + qs + "." + quoteSqlIdentifier(r[0]), {}, &why)) return rollback(why);
  if (!pg.run("DELETE FROM " + qs + ".overviews WHERE source_schema = $1 AND source_table = $2",
              {source.schema, source.table}, &why))
    return rollback(why);

  const double span = std::max(stats->extent.width(), stats->extent.height());
  const double coarsest = span > 0 ? span / kOverviewCoarsestCells : 1e-6;
  const std::string g = quoteSqlIdentifier(info->geomColumn), srid = std::to_string(info->srid);
  // Finest first: each coarser band sums the one below it (cells nest: twice the side).
  std::vector<std::pair<int, int64_t>> built;
  std::string finer;
  for (int band = kOverviewBands - 1; band >= 0; --band) {
    const double cell = coarsest / std::ldexp(1.0, band);
    const std::string name = overviewTableName(source, band), qt = qs + "." + quoteSqlIdentifier(name);
    if (!pg.run("DROP TABLE IF EXISTS " + qt, {}, &why) ||
        !pg.run("CREATE TABLE " + qt + " (ix bigint, iy bigint, n bigint, sx float8, sy float8, geom geometry(Point, " +
                    srid + "))",
                {}, &why))
      return rollback(why);
    const std::string insert =
        finer.empty()
            ? "INSERT INTO " + qt + " SELECT ix, iy, n, sx, sy, ST_SetSRID(ST_MakePoint(sx / n, sy / n), " + srid +
                  ") FROM (SELECT floor(ST_X(" + g + ") / $1::float8)::bigint AS ix, floor(ST_Y(" + g +
                  ") / $1::float8)::bigint AS iy, count(*) AS n, sum(ST_X(" + g + ")) AS sx, sum(ST_Y(" + g +
                  ")) AS sy FROM " + source.quotedTable() + " WHERE " + g + " IS NOT NULL GROUP BY 1, 2) s"
            : "INSERT INTO " + qt + " SELECT ix, iy, n, sx, sy, ST_SetSRID(ST_MakePoint(sx / n, sy / n), " + srid +
                  ") FROM (SELECT floor(ix / 2.0)::bigint AS ix, floor(iy / 2.0)::bigint AS iy, sum(n)::bigint AS n, "
                  "sum(sx) AS sx, sum(sy) AS sy FROM " + finer + " GROUP BY 1, 2) s";
    if (!pg.run(insert, finer.empty() ? std::vector<std::string>{sqlNumber(cell)} : std::vector<std::string>{}, &why))
      return rollback(why);
    auto counted = pg.exec("SELECT count(*) FROM " + qt, {}, &why);
    if (!counted) return rollback(why);
    const int64_t rows = std::strtoll((*counted)[0][0].c_str(), nullptr, 10);
    finer = qt;
    if (rows * 4 > stats->rows * 3) continue;  // saves little: dropped once the coarser band is built
    // ANALYZE: without statistics the planner takes a band for a few dozen rows and sorts
    // it to aggregate a view (a second for 500k rows where a hash takes a fraction).
    if (!pg.run("CREATE INDEX ON " + qt + " USING gist (geom)", {}, &why) || !pg.run("ANALYZE " + qt, {}, &why) ||
        !pg.run("INSERT INTO " + qs + ".overviews (source_schema, source_table, band, cell, overview_table, geom_column, "
                "srid, row_count, ext_xmin, ext_ymin, ext_xmax, ext_ymax, band_rows, mod_signature) VALUES ($1, $2, $3, $4, $5, "
                "$6, $7, $8, $9, $10, $11, $12, $13, NULLIF($14, ''))",
                {source.schema, source.table, std::to_string(band), sqlNumber(cell), name, info->geomColumn, srid,
                 std::to_string(stats->rows), sqlNumber(stats->extent.minX), sqlNumber(stats->extent.minY),
                 sqlNumber(stats->extent.maxX), sqlNumber(stats->extent.maxY), std::to_string(rows), signature},
                &why))
      return rollback(why);
    built.emplace_back(band, rows);
  }
  // Bands not kept (too fine to save anything) are dropped now that nothing sums them.
  for (int band = 0; band < kOverviewBands; ++band)
    if (std::none_of(built.begin(), built.end(), [band](const auto& b) { return b.first == band; }))
      if (!pg.run("DROP TABLE IF EXISTS " + qs + "." + quoteSqlIdentifier(overviewTableName(source, band)), {}, &why))
        return rollback(why);
  if (!pg.run("COMMIT", {}, &why)) return rollback(why);
  std::sort(built.begin(), built.end());
  report.bands = std::move(built);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace bcmap
