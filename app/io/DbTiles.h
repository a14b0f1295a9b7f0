// DbTiles: a database layer read per view as tiles (issue 11 §2), the pieces the viewer's
// fetch worker (host/DbFeed.h) puts together.
//
// Sections: the tile scheme (pure) · the tile cache (LRU by bytes) · reading one tile ·
// assembling the visible tiles
//
// The scheme lives in the table's own CRS, over its extent: a zoom-0 tile is the extent's
// longer side; zoom z has tiles of side tile0 / 2^z, i.e. 256 px of tile0 / 256 / 2^z units.
// Tiles are counted from the CRS's origin (tile (x, y) covers [x s, (x+1) s) × [y s, (y+1) s)),
// not from the extent's corner: then a grid cell at the tile's pixel size (DbQuery's
// floor(x / cell)) never straddles two tiles, and each row of a grid or a point read is
// kept by exactly one tile (its point or cell centroid in the tile, half-open), although
// planDbRead pads every box by 5 %. A view takes the zoom whose pixel is nearest its own
// (log2 rounded), so it needs a handful of tiles (about 6×4 for 1280×800).
//
// Per tile the read is the one planDbRead chooses for the tile's box at 256×256 px: the
// rows (few, or not points), an overview band, or a live grid with the count `n`. Rows come
// back through libpq as text (DbQuery's PgConnection): geometry as hex WKB, numbers and
// dates parsed, other columns as text. A grid's cells are drawn in a hash order of their
// points (PgReader.h's cellOrderKey), not the order the server's aggregate gives. An empty text value reads as an empty string, not as
// null (the text protocol of PgConnection::exec does not tell them apart).
//
// Threading: the scheme and assembly are pure; DbTileCache is guarded and shared by every
// feed; a PgConnection belongs to the thread that uses it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/DbQuery.h"
#include "io/DbSource.h"
#include "model/FeatureTable.h"

namespace bcmap {

// ---- the tile scheme ----------------------------------------------------------------------
inline constexpr int kDbTilePx = 256;
inline constexpr int kDbMaxZoom = 40;
// More than this many tiles for one view: the view is far larger than the data's detail
// (a zoom clamped at 0 over a huge box); the tiles nearest the centre are kept.
inline constexpr size_t kDbMaxTiles = 256;

struct TileId {
  int z = 0;
  int64_t x = 0, y = 0;
  friend bool operator==(const TileId& a, const TileId& b) { return a.z == b.z && a.x == b.x && a.y == b.y; }
};

struct TileScheme {
  Bounds extent;     // the table's, in its CRS
  double tile0 = 0;  // side of a zoom-0 tile (table units)

  // The scheme over `extent`; a point-sized extent gets a side of 1 unit.
  static TileScheme over(const Bounds& extent);
  double tileSide(int z) const;
  double pixelSize(int z) const { return tileSide(z) / kDbTilePx; }
  // The zoom whose pixel is nearest `unitsPerPixel` (table units), clamped to 0..kDbMaxZoom.
  int zoomFor(double unitsPerPixel) const;
  Bounds tileBounds(const TileId& t) const;
  // The tiles at zoom z meeting both `box` and the extent, nearest the box's centre first
  // (they fill in from the middle), at most kDbMaxTiles.
  std::vector<TileId> tilesFor(const Bounds& box, int z) const;
};

// ---- the tile cache -----------------------------------------------------------------------
struct DbTile {
  FeatureTable table;
  GeometryKind kind = GeometryKind::None;
  std::string plan;               // what was read: "rows", "overview 3", "grid", "whole"
  std::vector<std::string> keys;  // non-point rows: tableoid:ctid (a row in two tiles is kept once)
  size_t bytes = 0;               // heap bytes held (tableBytes + keys)
};

// Heap bytes a table holds (geometry, offsets, columns, ids, times).
size_t tableBytes(const FeatureTable& t);

inline constexpr size_t kDefaultDbTileCacheMb = 256;
// BCMAP_DB_TILE_CACHE_MB when it is a whole number of megabytes, else kDefaultDbTileCacheMb.
size_t dbTileCacheBytesFromEnv();

// Least recently used tiles go first once the bytes held pass the capacity. A tile larger
// than the whole capacity is not kept. Keyed by (source, plan kind, zoom, tile): see key().
class DbTileCache {
 public:
  explicit DbTileCache(size_t capacityBytes) : capacity_(capacityBytes) {}
  static std::string key(const std::string& source, const TileId& t);

  std::shared_ptr<const DbTile> get(const std::string& key);
  void put(const std::string& key, std::shared_ptr<const DbTile> tile);
  size_t bytes() const;
  size_t size() const;
  size_t capacity() const { return capacity_; }
  uint64_t evictions() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const DbTile>>;
  mutable std::mutex mutex_;
  size_t capacity_;
  size_t bytes_ = 0;
  uint64_t evictions_ = 0;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// ---- reading one tile -----------------------------------------------------------------------
// What a tile read needs to know of the table, learnt once per connection.
struct DbTableFacts {
  DbTableInfo info;
  Bounds extent;  // in the table's CRS; empty when the table is
  struct Column {
    std::string name;
    FieldType type = FieldType::String;
  };
  std::vector<Column> columns;  // every non-geometry column, in table order
  // pg_class.relkind: 'r' a table, 'p' partitioned, 'v' a view, 'm' materialized, 'f' foreign.
  // Rows of a view have no ctid: a non-point row two tiles hold is then told apart by its
  // geometry, and rows come in the view's own order.
  char relkind = 'r';
  bool hasCtid() const { return relkind == 'r' || relkind == 'p' || relkind == 'm'; }
  std::string crs() const { return info.srid > 0 ? "EPSG:" + std::to_string(info.srid) : std::string(); }
};
std::optional<DbTableFacts> readTableFacts(PgConnection& pg, const DbSource& source, std::string* err);

// The time a tile is read for: the table's start (and end) column (empty: the table has no
// time) and the day (kNoDay: every day).
struct DbTileTime {
  std::string start, end;
  TimeFilter filter{};
  // For the cache key: the columns and the day, mode and window ("" without a start).
  std::string key() const;
};
// The time columns of a table as the vector_file plugin's settings take them: named (a
// column of the table, matched ignoring case), else found as a file's are (ReadPlan.h's
// detectTimeFields, from the columns' types); "无" or "none" in either: no time.
DbTileTime dbTimeColumns(const DbTableFacts& facts, const std::string& startSetting, const std::string& endSetting);

// The tile's rows at the detail planDbRead picks for its box at 256 px. With a start column
// the rows carry their span (a grid's cells: always shown) and, with a day, only the rows
// shown on it are read (DbQuery.h's timeWhereSql; no overviews).
std::optional<DbTile> fetchDbTile(PgConnection& pg, const DbSource& source, const DbTableFacts& facts,
                                  const TileScheme& scheme, const TileId& t, std::string* err,
                                  const DbTileTime& time = {});

// ---- assembling ---------------------------------------------------------------------------------
// One table of the tiles' rows, in the order given: columns by name (a column some tiles
// lack is null there), a non-point row that two tiles hold once.
FeatureTable assembleTiles(const std::vector<std::shared_ptr<const DbTile>>& tiles);

}  // namespace bcmap
