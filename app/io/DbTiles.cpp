// DbTiles.cpp — tiles of a database layer (DbTiles.h has the rules).
// Sections: 1. the tile scheme  2. the tile cache  3. reading one tile  4. assembling
#include "io/DbTiles.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "io/PgReader.h"
#include "io/ReadPlan.h"
#include "io/WkbReader.h"

namespace bcmap {

// ---- 1. the tile scheme ------------------------------------------------------------------------
TileScheme TileScheme::over(const Bounds& extent) {
  TileScheme s;
  s.extent = extent;
  const double span = extent.empty() ? 0 : std::max(extent.width(), extent.height());
  s.tile0 = span > 0 && std::isfinite(span) ? span : 1.0;
  return s;
}

double TileScheme::tileSide(int z) const { return tile0 / std::ldexp(1.0, z); }

int TileScheme::zoomFor(double unitsPerPixel) const {
  if (!(unitsPerPixel > 0) || !std::isfinite(unitsPerPixel)) return 0;
  const double z = std::round(std::log2(pixelSize(0) / unitsPerPixel));
  return static_cast<int>(std::clamp(z, 0.0, static_cast<double>(kDbMaxZoom)));
}

Bounds TileScheme::tileBounds(const TileId& t) const {
  const double s = tileSide(t.z);
  return Bounds{static_cast<double>(t.x) * s, static_cast<double>(t.y) * s, static_cast<double>(t.x + 1) * s,
                static_cast<double>(t.y + 1) * s};
}

std::vector<TileId> TileScheme::tilesFor(const Bounds& box, int z) const {
  std::vector<TileId> out;
  if (box.empty() || extent.empty()) return out;
  const Bounds b{std::max(box.minX, extent.minX), std::max(box.minY, extent.minY), std::min(box.maxX, extent.maxX),
                 std::min(box.maxY, extent.maxY)};
  if (b.empty()) return out;
  const double s = tileSide(z);
  const auto x0 = static_cast<int64_t>(std::floor(b.minX / s)), x1 = static_cast<int64_t>(std::floor(b.maxX / s));
  const auto y0 = static_cast<int64_t>(std::floor(b.minY / s)), y1 = static_cast<int64_t>(std::floor(b.maxY / s));
  // A box of more tiles than we would ever keep: only the middle ones are listed.
  const double cx = (box.minX + box.maxX) / 2 / s, cy = (box.minY + box.maxY) / 2 / s;
  const int64_t half = static_cast<int64_t>(std::sqrt(static_cast<double>(kDbMaxTiles))) / 2 + 1;
  const int64_t ax = std::max(x0, static_cast<int64_t>(std::floor(cx)) - half);
  const int64_t bx = std::min(x1, static_cast<int64_t>(std::floor(cx)) + half);
  const int64_t ay = std::max(y0, static_cast<int64_t>(std::floor(cy)) - half);
  const int64_t by = std::min(y1, static_cast<int64_t>(std::floor(cy)) + half);
  for (int64_t y = ay; y <= by; ++y)
    for (int64_t x = ax; x <= bx; ++x) out.push_back(TileId{z, x, y});
  auto dist = [&](const TileId& t) {
    const double dx = static_cast<double>(t.x) + 0.5 - cx, dy = static_cast<double>(t.y) + 0.5 - cy;
    return dx * dx + dy * dy;
  };
  std::stable_sort(out.begin(), out.end(), [&](const TileId& p, const TileId& q) { return dist(p) < dist(q); });
  if (out.size() > kDbMaxTiles) out.resize(kDbMaxTiles);
  return out;
}

// ---- 2. the tile cache -------------------------------------------------------------------------
size_t tableBytes(const FeatureTable& t) {
  size_t n = t.geometry.xy.capacity() * sizeof(Vec2) + t.geometry.ringVertices.heapBytes() +
             t.geometry.partRings.heapBytes() + t.geometry.featureParts.heapBytes();
  for (const AttributeColumn& c : t.columns)
    n += c.name.capacity() + c.ints.capacity() * sizeof(int64_t) + c.reals.capacity() * sizeof(double) +
         c.strings.heapBytes() + c.isNull.heapBytes();
  for (const std::string& id : t.ids) n += sizeof(std::string) + id.capacity();
  n += (t.startDay.capacity() + t.endDay.capacity()) * sizeof(int32_t);
  return n;
}

size_t dbTileCacheBytesFromEnv() {
  const char* v = std::getenv("BCMAP_DB_TILE_CACHE_MB");
  if (v != nullptr && *v != '\0') {
    char* end = nullptr;
    const unsigned long long mb = std::strtoull(v, &end, 10);
    if (end != nullptr && *end == '\0' && *v != '-' && mb < (1ull << 40)) return static_cast<size_t>(mb) << 20;
  }
  return kDefaultDbTileCacheMb << 20;
}

std::string DbTileCache::key(const std::string& source, const TileId& t) {
  return source + '\n' + std::to_string(t.z) + '/' + std::to_string(t.x) + '/' + std::to_string(t.y);
}

std::shared_ptr<const DbTile> DbTileCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);  // now the most recently used
  return it->second->second;
}

void DbTileCache::put(const std::string& key, std::shared_ptr<const DbTile> tile) {
  if (!tile) return;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->second->bytes;
    order_.erase(it->second);
    index_.erase(it);
  }
  if (tile->bytes > capacity_) return;
  bytes_ += tile->bytes;
  order_.emplace_front(key, std::move(tile));
  index_[key] = order_.begin();
  while (bytes_ > capacity_ && !order_.empty()) {
    bytes_ -= order_.back().second->bytes;
    index_.erase(order_.back().first);
    order_.pop_back();
    ++evictions_;
  }
}

size_t DbTileCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

size_t DbTileCache::size() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}

uint64_t DbTileCache::evictions() const {
  std::lock_guard lock(mutex_);
  return evictions_;
}

// ---- 3. reading one tile -------------------------------------------------------------------------
namespace {

FieldType fieldTypeOf(const std::string& pgType) {
  if (pgType == "int2" || pgType == "int4" || pgType == "int8") return FieldType::Integer;
  if (pgType == "float4" || pgType == "float8" || pgType == "numeric") return FieldType::Real;
  if (pgType == "date") return FieldType::Date;
  return FieldType::String;
}

// Appends one feature's geometry (already validated by readWkb).
void appendGeometry(GeometryColumn& g, const GeometryScratch& s) {
  size_t v = 0;
  for (size_t p = 0; p < s.partRingCounts.size(); ++p) {
    g.partRings.push_back(g.partRings.back() + s.partRingCounts[p]);
  }
  for (uint32_t n : s.ringSizes) {
    g.ringVertices.push_back(g.ringVertices.back() + n);
    for (uint32_t i = 0; i < n; ++i) g.xy.push_back(s.xy[v++]);
  }
  g.featureParts.push_back(g.featureParts.back() + static_cast<uint32_t>(s.partRingCounts.size()));
}

void appendValue(AttributeColumn& c, const std::string& text) {
  switch (c.type) {
    case FieldType::Integer: {
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      const bool null = text.empty() || end == text.c_str();
      c.ints.push_back(null ? 0 : v);
      c.isNull.push_back(null ? 1 : 0);
      break;
    }
    case FieldType::Real: {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      const bool null = text.empty() || end == text.c_str();
      c.reals.push_back(null ? 0 : v);
      c.isNull.push_back(null ? 1 : 0);
      break;
    }
    case FieldType::Date: {
      std::optional<int32_t> d = parseDate(text);
      c.ints.push_back(d ? *d : 0);
      c.isNull.push_back(d ? 0 : 1);
      break;
    }
    default:
      c.appendString(text);
      c.isNull.push_back(0);
      break;
  }
}

void appendNull(AttributeColumn& c) {
  switch (c.type) {
    case FieldType::Integer:
    case FieldType::Date: c.ints.push_back(0); break;
    case FieldType::Real: c.reals.push_back(0); break;
    default: c.appendString(""); break;
  }
  c.isNull.push_back(1);
}

bool inTile(const Bounds& b, double x, double y) { return x >= b.minX && x < b.maxX && y >= b.minY && y < b.maxY; }

}  // namespace

std::optional<DbTableFacts> readTableFacts(PgConnection& pg, const DbSource& source, std::string* err) {
  std::optional<DbTableInfo> info = lookupTable(pg, source, err);
  if (!info) return std::nullopt;
  DbTableFacts f;
  f.info = *info;
  auto cols = pg.exec(
      "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
      "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {source.quotedTable()}, err);
  if (!cols) return std::nullopt;
  for (const auto& r : *cols)
    if (r[1] != "geometry" && r[1] != "geography") f.columns.push_back({r[0], fieldTypeOf(r[1])});
  auto kind = pg.exec("SELECT relkind FROM pg_class WHERE oid = $1::regclass", {source.quotedTable()}, err);
  if (!kind) return std::nullopt;
  if (!kind->empty() && !(*kind)[0][0].empty()) f.relkind = (*kind)[0][0][0];
  // The planner's estimate first (no scan of a 10M-row table); the exact extent when the
  // table has no statistics yet. Grown by 1 %: the estimate may fall a little short.
  const std::string g = quoteSqlIdentifier(info->geomColumn);
  std::string ignored;
  std::optional<PgConnection::Rows> est;
  // Only a plain table has the statistics it reads (elsewhere the server warns on stderr).
  if (f.relkind == 'r')
    est = pg.exec("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_EstimatedExtent($1, $2, $3)::box2d AS e) s",
                     {source.schema, source.table, info->geomColumn}, &ignored);
  if (!est || est->empty() || (*est)[0][0].empty())
    est = pg.exec("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(" + g + ") AS e FROM " +
                      source.quotedTable() + ") s",
                  {}, err);
  if (!est) return std::nullopt;
  if (!est->empty() && !(*est)[0][0].empty()) {
    const auto& r = (*est)[0];
    Bounds b{std::strtod(r[0].c_str(), nullptr), std::strtod(r[1].c_str(), nullptr), std::strtod(r[2].c_str(), nullptr),
             std::strtod(r[3].c_str(), nullptr)};
    const double padX = std::max(b.width() * 0.01, 1e-9), padY = std::max(b.height() * 0.01, 1e-9);
    f.extent = Bounds{b.minX - padX, b.minY - padY, b.maxX + padX, b.maxY + padY};
  }
  return f;
}

std::string DbTileTime::key() const {
  if (start.empty()) return {};
  return "|time:" + start + "|" + end + "|" + (filter.day == kNoDay ? std::string("all") : formatDate(filter.day)) +
         "|" + std::to_string(static_cast<int>(filter.mode)) + "|" + std::to_string(filter.windowDays);
}

DbTileTime dbTimeColumns(const DbTableFacts& facts, const std::string& startSetting, const std::string& endSetting) {
  DbTileTime t;
  auto none = [](const std::string& v) { return v == "无" || v == "none" || v == "None" || v == "NONE"; };
  if (none(startSetting) || none(endSetting)) return t;
  SourceSchema schema;
  for (const auto& c : facts.columns) schema.fields.push_back({c.name, c.type});
  auto named = [&](const std::string& name) {
    const int i = name.empty() ? -1 : schema.find(name);
    return i < 0 ? std::string() : schema.fields[static_cast<size_t>(i)].name;
  };
  t.start = named(startSetting);
  t.end = named(endSetting);
  // Found among the typed date columns only: a text column's ::date in SQL would fail the
  // whole read at the first value that is no date (a file's is tried and left, PluginServices).
  SourceSchema typed = schema;
  for (SchemaField& f : typed.fields)
    if (f.type != FieldType::Date) f.type = FieldType::Integer;
  const DetectedTime d = detectTimeFields(typed);
  if (startSetting.empty() && d.start >= 0) t.start = schema.fields[static_cast<size_t>(d.start)].name;
  if (endSetting.empty() && d.end >= 0 && !t.start.empty() && schema.fields[static_cast<size_t>(d.end)].name != t.start)
    t.end = schema.fields[static_cast<size_t>(d.end)].name;
  if (t.start.empty()) t.end.clear();
  return t;
}

std::optional<DbTile> fetchDbTile(PgConnection& pg, const DbSource& source, const DbTableFacts& facts,
                                  const TileScheme& scheme, const TileId& t, std::string* err,
                                  const DbTileTime& time) {
  const Bounds box = scheme.tileBounds(t);
  DbView view{facts.crs(), box, kDbTilePx, kDbTilePx, time.filter};
  std::optional<DbReadPlan> plan = planDbRead(pg, source, view, err, time.start, time.end);
  if (!plan) return std::nullopt;
  DbTile tile;
  const bool points = facts.info.points();
  if (plan->mode == DbReadMode::Overview || plan->mode == DbReadMode::Live) {
    tile.plan = plan->mode == DbReadMode::Overview ? "overview " + std::to_string(plan->band) : "grid";
    auto rows = pg.exec("SELECT n, ST_X(geom), ST_Y(geom) FROM (" + plan->sql + ") s", plan->params, err);
    if (!rows) return std::nullopt;
    // In the order of PgReader's grids, not the aggregate's (PgReadShape::gridCells).
    std::vector<std::pair<uint64_t, size_t>> order(rows->size());
    for (size_t i = 0; i < rows->size(); ++i) order[i] = {cellOrderKey((*rows)[i][1] + ' ' + (*rows)[i][2]), i};
    std::sort(order.begin(), order.end());
    PgConnection::Rows sorted;
    sorted.reserve(rows->size());
    for (const auto& o : order) sorted.push_back(std::move((*rows)[o.second]));
    rows = std::move(sorted);
    tile.kind = GeometryKind::Point;
    tile.table.geometry.kind = GeometryKind::Point;
    AttributeColumn n;
    n.name = "n";
    n.type = FieldType::Integer;
    for (const auto& r : *rows) {
      const double x = std::strtod(r[1].c_str(), nullptr), y = std::strtod(r[2].c_str(), nullptr);
      if (!inTile(box, x, y)) continue;  // the neighbour's (the 5 % pad)
      tile.table.geometry.xy.push_back({x, y});
      tile.table.geometry.ringVertices.push_back(static_cast<uint32_t>(tile.table.geometry.xy.size()));
      tile.table.geometry.partRings.push_back(static_cast<uint32_t>(tile.table.geometry.xy.size()));
      tile.table.geometry.featureParts.push_back(static_cast<uint32_t>(tile.table.geometry.xy.size()));
      appendValue(n, r[0]);
      if (!time.start.empty()) {  // a cell counts the day's rows: shown whatever the day
        tile.table.startDay.push_back(kNoDay);
        tile.table.endDay.push_back(kNoDay);
      }
    }
    tile.table.columns.push_back(std::move(n));
  } else {
    // The rows: ctid (a row two tiles hold is kept once), the geometry as WKB, the columns.
    tile.plan = plan->mode == DbReadMode::Box ? "rows" : "whole";
    const std::string g = quoteSqlIdentifier(facts.info.geomColumn);
    const std::string key = facts.hasCtid() ? "tableoid::text || ':' || ctid::text" : "NULL::text";
    std::string sql = "SELECT " + key + ", encode(ST_AsBinary(" + g + "), 'hex')";
    for (const auto& c : facts.columns) sql += ", " + quoteSqlIdentifier(c.name) + "::text";
    sql += " FROM " + source.quotedTable();
    const DbTimeWhere when = timeWhereSql(time.start, time.end, time.filter, 1);
    if (plan->mode == DbReadMode::Box) {
      const double padX = box.width() * 0.05, padY = box.height() * 0.05;
      sql += " WHERE " + g + " && " +
             envelopeSql(Bounds{box.minX - padX, box.minY - padY, box.maxX + padX, box.maxY + padY}, facts.info.srid);
    }
    if (!when.sql.empty()) sql += (plan->mode == DbReadMode::Box ? " AND " : " WHERE ") + when.sql;
    if (facts.hasCtid()) sql += " ORDER BY ctid";  // the heap order, as a whole-table read gives
    auto rows = pg.exec(sql, when.params, err);
    // The span's columns among the row's values (a timestamp's text starts with its date).
    int startAt = -1, endAt = -1;
    for (size_t i = 0; i < facts.columns.size(); ++i) {
      if (!time.start.empty() && facts.columns[i].name == time.start) startAt = static_cast<int>(i);
      if (!time.end.empty() && facts.columns[i].name == time.end) endAt = static_cast<int>(i);
    }
    auto dayOf = [](const std::string& text) {
      const std::optional<int32_t> d = text.size() >= 10 ? parseDate(std::string_view(text).substr(0, 10)) : std::nullopt;
      return d ? *d : kNoDay;
    };
    if (!rows) return std::nullopt;
    for (const auto& c : facts.columns) {
      AttributeColumn col;
      col.name = c.name;
      col.type = c.type;
      tile.table.columns.push_back(std::move(col));
    }
    GeometryScratch scratch;
    std::vector<uint8_t> wkb;
    for (const auto& r : *rows) {
      scratch.clear();
      if (!r[1].empty() && readHexWkb(r[1].data(), r[1].size(), wkb, scratch) != WkbStatus::Ok)
        continue;  // a geometry that cannot be drawn is left out, as the file readers do
      if (points) {
        if (scratch.xy.size() != 1 || !inTile(box, scratch.xy[0].x, scratch.xy[0].y)) continue;
      } else {
        tile.keys.push_back(facts.hasCtid() ? r[0] : r[1]);
      }
      if (scratch.kind != GeometryKind::None) tile.kind = scratch.kind;
      appendGeometry(tile.table.geometry, scratch);
      for (size_t i = 0; i < facts.columns.size(); ++i) appendValue(tile.table.columns[i], r[i + 2]);
      if (startAt >= 0) {
        tile.table.startDay.push_back(dayOf(r[static_cast<size_t>(startAt) + 2]));
        tile.table.endDay.push_back(endAt >= 0 ? dayOf(r[static_cast<size_t>(endAt) + 2]) : kNoDay);
      }
    }
    tile.table.geometry.kind = tile.kind;
  }
  tile.bytes = tableBytes(tile.table);
  for (const std::string& k : tile.keys) tile.bytes += sizeof(std::string) + k.capacity();
  return tile;
}

// ---- 4. assembling -----------------------------------------------------------------------------------
FeatureTable assembleTiles(const std::vector<std::shared_ptr<const DbTile>>& tiles) {
  FeatureTable out;
  size_t vertices = 0;
  for (const auto& t : tiles) {
    if (!t) continue;
    vertices += t->table.geometry.xy.size();
    if (out.geometry.kind == GeometryKind::None) out.geometry.kind = t->table.geometry.kind;
    for (const AttributeColumn& c : t->table.columns)
      if (out.columnIndex(c.name) < 0) {
        AttributeColumn col;
        col.name = c.name;
        col.type = c.type;
        out.columns.push_back(std::move(col));
      }
  }
  out.geometry.xy.reserve(vertices);
  bool timed = false;  // a tile with time gives the whole table time (a tile without: always shown)
  for (const auto& t : tiles) timed = timed || (t && t->table.hasTime());
  std::unordered_set<std::string> seen;
  for (const auto& t : tiles) {
    if (!t) continue;
    const GeometryColumn& g = t->table.geometry;
    std::vector<int> colOf(out.columns.size(), -1);
    for (size_t i = 0; i < out.columns.size(); ++i) colOf[i] = t->table.columnIndex(out.columns[i].name);
    for (size_t f = 0; f < t->table.featureCount(); ++f) {
      if (!t->keys.empty() && !seen.insert(t->keys[f]).second) continue;
      const uint32_t p0 = g.featureParts[f], p1 = g.featureParts[f + 1];
      for (uint32_t p = p0; p < p1; ++p) {
        const uint32_t r0 = g.partRings[p], r1 = g.partRings[p + 1];
        out.geometry.partRings.push_back(out.geometry.partRings.back() + (r1 - r0));
        for (uint32_t r = r0; r < r1; ++r) {
          const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
          out.geometry.ringVertices.push_back(out.geometry.ringVertices.back() + (v1 - v0));
          out.geometry.xy.insert(out.geometry.xy.end(), g.xy.begin() + v0, g.xy.begin() + v1);
        }
      }
      out.geometry.featureParts.push_back(out.geometry.featureParts.back() + (p1 - p0));
      if (timed) {
        out.startDay.push_back(t->table.hasTime() ? t->table.startDay[f] : kNoDay);
        out.endDay.push_back(t->table.hasTime() ? t->table.endDay[f] : kNoDay);
      }
      for (size_t i = 0; i < out.columns.size(); ++i) {
        AttributeColumn& dst = out.columns[i];
        if (colOf[i] < 0) {
          appendNull(dst);
          continue;
        }
        const AttributeColumn& src = t->table.columns[static_cast<size_t>(colOf[i])];
        if (src.isNull[f] != 0) {
          appendNull(dst);
        } else if (dst.type == FieldType::Integer || dst.type == FieldType::Date) {
          dst.ints.push_back(src.ints[f]);
          dst.isNull.push_back(0);
        } else if (dst.type == FieldType::Real) {
          dst.reals.push_back(src.reals[f]);
          dst.isNull.push_back(0);
        } else {
          dst.appendString(src.str(f));
          dst.isNull.push_back(0);
        }
      }
    }
  }
  return out;
}

}  // namespace bcmap
