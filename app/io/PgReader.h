// PgReader: the rows of one planned database read (DbQuery.h's planDbRead), fetched through
// libpq in one statement and made a FeatureTable by the rules of a GDAL read of the same
// statement, so a per-view render draws what the PostgreSQL driver's read would draw:
//   - columns: every result column but the geometry (and other geometry or geography
//     columns, which GDAL takes as geometry fields) and a column named ogc_fid (GDAL's FID
//     column); types as GDAL's driver maps them: int2/int4/int8 and boolean (t = 1) and
//     numeric with scale 0 as Integer, float4/float8 and other numeric as Real, date and
//     timestamp as Date, text and varchar as String;
//   - nulls are SQL NULLs; a null geometry is a feature without geometry;
//   - the CRS is EPSG:<srid> in lon/lat order (GDAL's PostgreSQL layers use the traditional
//     GIS order), lon/lat when the SRID is 0.
// A column of another type (a time, an array, timestamptz, ...), or an id field that is not
// an integer or text, declines the read: the caller reads through GDAL instead.
// The geometry arrives as its text form, hex EWKB (WkbReader reads it); `hexWkb` is shared
// with the viewer's tile reads (DbTiles.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/DbQuery.h"
#include "io/VectorReader.h"
#include "io/WkbReader.h"

namespace bcmap {

// Decodes hex WKB (or EWKB) of `size` characters into `bytes` and reads it into `out`
// (cleared first). Corrupt when the text is not hex.
WkbStatus readHexWkb(const char* hex, size_t size, std::vector<uint8_t>& bytes, GeometryScratch& out);

// The order grid cells are drawn in (PgReadShape::gridCells): a hash of the cell's point as
// the server wrote it, the same whatever order the rows came in.
uint64_t cellOrderKey(std::string_view text);

struct PgReadShape {
  std::string geomColumn;                       // the result column holding the geometry
  int srid = 0;                                 // its SRID
  GeometryKind layerKind = GeometryKind::None;  // the table's declared kind; None: unknown
  // A grid of cells (an overview or a live grid): drawn in an order of their own, a hash of
  // each cell's point, not in the order the server's aggregate happens to give. A sorted
  // aggregate gives the cells row by row, and overlapping discs drawn in that order show
  // only their rims: a darker picture than the table's (whose rows come in no spatial order).
  bool gridCells = false;
};

enum class PgReadStatus { Read, Failed, Declined };
struct PgReadOutcome {
  PgReadStatus status = PgReadStatus::Failed;
  std::optional<VectorReadResult> result;
  std::string declined;  // why (Declined)
};

// Runs `sql` (one statement, with `params` for $1..) and reads its rows with options `o`
// (the attribute filter must be empty: it is OGR SQL, which only GDAL evaluates). Messages
// start with `prefix`.
PgReadOutcome readPgRows(PgConnection& pg, const std::string& sql, const PgReadShape& shape,
                         const VectorReadOptions& o, const std::string& prefix, std::string* err,
                         const std::vector<std::string>& params = {});

// The table's time columns as a read with `o` takes them (named, or found: ReadPlan.h's
// detectTimeFields, from the columns' types), for a time filter in SQL (DbQuery.h's
// planDbRead). Empty names: none. Asks the server for the columns only (LIMIT 0).
struct DbTimeColumns {
  std::string start, end;
};
std::optional<DbTimeColumns> pgTimeColumns(PgConnection& pg, const std::string& quotedTable,
                                           const VectorReadOptions& o, std::string* err);

// geometry_columns.type (POINT, MULTIPOLYGON, ...) as a kind; None for GEOMETRY and the like.
GeometryKind kindOfPgType(const std::string& type);

}  // namespace bcmap
