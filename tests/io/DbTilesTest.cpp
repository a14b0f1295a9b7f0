// DbTilesTest: the tile scheme of a database layer and the LRU of tile results
// (io/DbTiles.h), without a server.
#include "io/DbTiles.h"
#include "io/PgReader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>

namespace bcmap {
namespace {

// Baicheng's lon/lat box, roughly: the shape of the test tables.
const Bounds kExtent{121.6, 44.2, 124.6, 46.3};

TEST(DbTilesTest, ZoomTakesThePixelNearestTheView) {
  const TileScheme s = TileScheme::over(kExtent);
  EXPECT_DOUBLE_EQ(s.tile0, 3.0);  // the longer side
  EXPECT_EQ(s.zoomFor(3.0 / 256), 0);
  EXPECT_EQ(s.zoomFor(3.0 / 256 / 8), 3);
  EXPECT_EQ(s.zoomFor(3.0 / 256 / 8 * 1.3), 3);  // log2 rounded: 2.62 -> 3
  EXPECT_EQ(s.zoomFor(3.0 / 256 / 8 * 1.5), 2);  // 2.42 -> 2
  EXPECT_EQ(s.zoomFor(1000.0), 0);               // coarser than the whole extent
  EXPECT_EQ(s.zoomFor(0.0), 0);
  EXPECT_EQ(s.zoomFor(1e-300), kDbMaxZoom);
  EXPECT_NEAR(s.pixelSize(3), 3.0 / 256 / 8, 1e-15);
}

TEST(DbTilesTest, AViewNeedsAHandfulOfTilesAndTheyCoverIt) {
  const TileScheme s = TileScheme::over(kExtent);
  // A 1280x800 px view in the middle of the extent at zoom 5's pixel size, nudged.
  const double upp = s.pixelSize(5) * 1.2;
  const Bounds view{123.0, 45.0, 123.0 + 1280 * upp, 45.0 + 800 * upp};
  const int z = s.zoomFor(upp);
  ASSERT_EQ(z, 5);
  const std::vector<TileId> tiles = s.tilesFor(view, z);
  // 1280*1.2/256 = 6 tiles across (+1 for the offset), 800*1.2/256 = 3.75 (+1).
  EXPECT_LE(tiles.size(), 7u * 5u);
  EXPECT_GE(tiles.size(), 6u * 4u);
  // Every corner and the centre of the view lie in a listed tile; tiles are distinct.
  std::set<std::tuple<int, int64_t, int64_t>> set;
  for (const TileId& t : tiles) set.insert({t.z, t.x, t.y});
  EXPECT_EQ(set.size(), tiles.size());
  for (Vec2 p : {Vec2{view.minX, view.minY}, Vec2{view.maxX - 1e-9, view.maxY - 1e-9}, Vec2{123.5, 45.3}}) {
    bool found = false;
    for (const TileId& t : tiles) {
      const Bounds b = s.tileBounds(t);
      found |= p.x >= b.minX && p.x < b.maxX && p.y >= b.minY && p.y < b.maxY;
    }
    EXPECT_TRUE(found) << p.x << "," << p.y;
  }
  // The middle first: the first tile holds the view's centre.
  const Bounds first = s.tileBounds(tiles.front());
  const double cx = (view.minX + view.maxX) / 2, cy = (view.minY + view.maxY) / 2;
  EXPECT_LE(std::fabs((first.minX + first.maxX) / 2 - cx), s.tileSide(z));
  EXPECT_LE(std::fabs((first.minY + first.maxY) / 2 - cy), s.tileSide(z));
}

TEST(DbTilesTest, TilesNestAndGridCellsNeverStraddleThem) {
  const TileScheme s = TileScheme::over(kExtent);
  for (int z : {0, 3, 7}) {
    const Bounds b = s.tileBounds(TileId{z, 41, 15});
    const double cell = s.pixelSize(z);
    // DbQuery's grid cell index floor(x / cell) at the tile's edges: whole multiples.
    EXPECT_NEAR(b.minX / cell, std::round(b.minX / cell), 1e-6);
    EXPECT_NEAR(b.maxY / cell - b.minY / cell, kDbTilePx, 1e-6);
    // The four children of a tile cover it exactly.
    const Bounds c0 = s.tileBounds(TileId{z + 1, 82, 30}), c3 = s.tileBounds(TileId{z + 1, 83, 31});
    EXPECT_DOUBLE_EQ(c0.minX, b.minX);
    EXPECT_DOUBLE_EQ(c0.minY, b.minY);
    EXPECT_NEAR(c3.maxX, b.maxX, 1e-12);
    EXPECT_NEAR(c3.maxY, b.maxY, 1e-12);
  }
}

TEST(DbTilesTest, OutsideTheExtentThereAreNoTilesAndHugeViewsAreBounded) {
  const TileScheme s = TileScheme::over(kExtent);
  EXPECT_TRUE(s.tilesFor(Bounds{0, 0, 1, 1}, 3).empty());
  EXPECT_TRUE(s.tilesFor(Bounds{}, 3).empty());
  // The whole extent at a zoom far too fine: the count stays bounded.
  EXPECT_LE(s.tilesFor(kExtent, 20).size(), kDbMaxTiles);
  EXPECT_EQ(s.tilesFor(kExtent, 0).size(), 4u);  // the extent straddles tile edges at 123 and 45
}

std::shared_ptr<const DbTile> tileOf(size_t bytes) {
  auto t = std::make_shared<DbTile>();
  t->bytes = bytes;
  return t;
}

TEST(DbTilesTest, CacheEvictsTheLeastRecentlyUsedByBytes) {
  DbTileCache cache(1000);
  cache.put("a", tileOf(400));
  cache.put("b", tileOf(400));
  ASSERT_NE(cache.get("a"), nullptr);  // a is now the most recent
  cache.put("c", tileOf(400));         // 1200 > 1000: b, the least recent, goes
  EXPECT_NE(cache.get("a"), nullptr);
  EXPECT_EQ(cache.get("b"), nullptr);
  EXPECT_NE(cache.get("c"), nullptr);
  EXPECT_EQ(cache.bytes(), 800u);
  EXPECT_EQ(cache.evictions(), 1u);
  // Replacing a key counts its bytes once.
  cache.put("c", tileOf(100));
  EXPECT_EQ(cache.bytes(), 500u);
  EXPECT_EQ(cache.size(), 2u);
  // A tile larger than the cache is not kept, and nothing else goes for it.
  cache.put("huge", tileOf(5000));
  EXPECT_EQ(cache.get("huge"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(DbTilesTest, CacheKeysTellSourcesZoomsAndTilesApart) {
  std::set<std::string> keys{DbTileCache::key("s1", {3, 1, 2}), DbTileCache::key("s2", {3, 1, 2}),
                             DbTileCache::key("s1", {4, 1, 2}), DbTileCache::key("s1", {3, 12, 2}),
                             DbTileCache::key("s1", {3, 1, 22})};
  EXPECT_EQ(keys.size(), 5u);
}

TEST(DbTilesTest, CacheSizeComesFromTheEnvironment) {
  ::unsetenv("BCMAP_DB_TILE_CACHE_MB");
  EXPECT_EQ(dbTileCacheBytesFromEnv(), size_t{256} << 20);
  ::setenv("BCMAP_DB_TILE_CACHE_MB", "12", 1);
  EXPECT_EQ(dbTileCacheBytesFromEnv(), size_t{12} << 20);
  ::setenv("BCMAP_DB_TILE_CACHE_MB", "12x", 1);
  EXPECT_EQ(dbTileCacheBytesFromEnv(), size_t{256} << 20);
  ::unsetenv("BCMAP_DB_TILE_CACHE_MB");
}

// Two tiles of points with different columns: one table, columns by name, nulls where a
// tile lacks one; non-point rows two tiles hold (same ctid) are kept once.
TEST(DbTilesTest, AssemblyJoinsColumnsByNameAndKeepsSharedRowsOnce) {
  auto a = std::make_shared<DbTile>();
  a->table.geometry.kind = GeometryKind::Point;
  a->table.geometry.xy = {{1, 1}, {2, 2}};
  a->table.geometry.ringVertices = {0, 1, 2};
  a->table.geometry.partRings = {0, 1, 2};
  a->table.geometry.featureParts = {0, 1, 2};
  AttributeColumn n;
  n.name = "n";
  n.type = FieldType::Integer;
  n.ints = {5, 7};
  n.isNull = {0, 0};
  a->table.columns.push_back(n);
  auto b = std::make_shared<DbTile>();
  b->table.geometry.kind = GeometryKind::Point;
  b->table.geometry.xy = {{3, 3}};
  b->table.geometry.ringVertices = {0, 1};
  b->table.geometry.partRings = {0, 1};
  b->table.geometry.featureParts = {0, 1};
  AttributeColumn name;
  name.name = "name";
  name.type = FieldType::String;
  name.appendString("x");
  name.isNull = {0};
  b->table.columns.push_back(name);
  FeatureTable t = assembleTiles({a, b});
  ASSERT_EQ(t.featureCount(), 3u);
  EXPECT_EQ(t.geometry.xy[2].x, 3);
  ASSERT_NE(t.column("n"), nullptr);
  EXPECT_EQ(t.column("n")->ints[1], 7);
  EXPECT_EQ(t.column("n")->isNull[2], 1);
  EXPECT_EQ(t.column("name")->isNull[0], 1);
  EXPECT_EQ(t.column("name")->str(2), "x");

  // Polygons: the same row (ctid) in two tiles.
  auto p = std::make_shared<DbTile>(), q = std::make_shared<DbTile>();
  for (auto* tile : {p.get(), q.get()}) {
    tile->table.geometry.kind = GeometryKind::Polygon;
    tile->table.geometry.xy = {{0, 0}, {1, 0}, {1, 1}, {0, 0}};
    tile->table.geometry.ringVertices = {0, 4};
    tile->table.geometry.partRings = {0, 1};
    tile->table.geometry.featureParts = {0, 1};
  }
  p->keys = {"(0,1)"};
  q->keys = {"(0,1)"};
  FeatureTable polys = assembleTiles({p, q});
  EXPECT_EQ(polys.featureCount(), 1u);
  EXPECT_EQ(polys.geometry.xy.size(), 4u);
  q->keys = {"(0,2)"};
  EXPECT_EQ(assembleTiles({p, q}).featureCount(), 2u);
}

TEST(DbTilesTest, TimeColumnsAreNamedOrFoundAndTheirSpansAssembled) {
  DbTableFacts facts;
  facts.columns = {{"name", FieldType::String}, {"Opened", FieldType::Date}, {"end_date", FieldType::Date}};
  DbTileTime t = dbTimeColumns(facts, "", "");
  EXPECT_EQ(t.start, "Opened");
  EXPECT_EQ(t.end, "end_date");
  EXPECT_EQ(dbTimeColumns(facts, "opened", "无").start, "");  // 无/none: no time
  EXPECT_EQ(dbTimeColumns(facts, "none", "").start, "");
  t = dbTimeColumns(facts, "END_DATE", "");  // named (ignoring case); the end still found, not the start
  EXPECT_EQ(t.start, "end_date");
  EXPECT_EQ(t.end, "");
  EXPECT_TRUE(dbTimeColumns(DbTableFacts{}, "", "").start.empty());
  // A text column named as a date is not found (its ::date could fail the read); named, it is used.
  DbTableFacts text;
  text.columns = {{"date", FieldType::String}};
  EXPECT_EQ(dbTimeColumns(text, "", "").start, "");
  EXPECT_EQ(dbTimeColumns(text, "Date", "").start, "date");
  // The cache key tells days, modes and columns apart; no start, no key.
  t = dbTimeColumns(facts, "", "");
  const std::string all = t.key();
  t.filter = TimeFilter{*parseDate("2019-06-01")};
  const std::string day = t.key();
  t.filter.mode = TimeMode::Cumulative;
  EXPECT_EQ(std::set<std::string>({all, day, t.key()}).size(), 3u);
  EXPECT_EQ(DbTileTime{}.key(), "");

  // A tile with spans and one without (a grid's cells): the table has time, the cells always shown.
  auto a = std::make_shared<DbTile>(), b = std::make_shared<DbTile>();
  for (auto* tile : {a.get(), b.get()}) {
    tile->table.geometry.kind = GeometryKind::Point;
    tile->table.geometry.xy = {{1, 1}};
    tile->table.geometry.ringVertices = {0, 1};
    tile->table.geometry.partRings = {0, 1};
    tile->table.geometry.featureParts = {0, 1};
  }
  a->table.startDay = {100};
  a->table.endDay = {kNoDay};
  FeatureTable out = assembleTiles({b, a});
  EXPECT_EQ(out.startDay, (std::vector<int32_t>{kNoDay, 100}));
  EXPECT_EQ(out.endDay, (std::vector<int32_t>{kNoDay, kNoDay}));
  EXPECT_FALSE(assembleTiles({b}).hasTime());
}

TEST(PgReaderTest, GeometryTextIsHexEwkb) {
  std::vector<uint8_t> bytes;
  GeometryScratch g;
  const std::string point = "0101000020E6100000000000000000F03F0000000000000040";  // SRID=4326;POINT(1 2)
  ASSERT_EQ(readHexWkb(point.data(), point.size(), bytes, g), WkbStatus::Ok);
  ASSERT_EQ(g.xy.size(), 1u);
  EXPECT_EQ(g.xy[0].x, 1.0);
  EXPECT_EQ(g.xy[0].y, 2.0);
  EXPECT_EQ(g.kind, GeometryKind::Point);
  EXPECT_EQ(readHexWkb("zz", 2, bytes, g), WkbStatus::Corrupt);
  EXPECT_EQ(readHexWkb("010", 3, bytes, g), WkbStatus::Corrupt);
}

TEST(PgReaderTest, GridCellsHaveAnOrderOfTheirOwn) {
  // A hash of the cell's point, not the order rows came in: the same key for the same text,
  // and cells next to each other on the grid far apart in the order.
  EXPECT_EQ(cellOrderKey("0101000020E6100000000000000000F03F0000000000000040"),
            cellOrderKey("0101000020E6100000000000000000F03F0000000000000040"));
  std::vector<uint64_t> keys;
  for (int i = 0; i < 64; ++i) keys.push_back(cellOrderKey("122." + std::to_string(1000 + i) + " 45.5"));
  int rising = 0;
  for (size_t i = 1; i < keys.size(); ++i) rising += keys[i] > keys[i - 1];
  EXPECT_GT(rising, 16);
  EXPECT_LT(rising, 48);
  EXPECT_EQ(kindOfPgType("MULTIPOLYGON"), GeometryKind::Polygon);
  EXPECT_EQ(kindOfPgType("GEOMETRY"), GeometryKind::None);
}

}  // namespace
}  // namespace bcmap
