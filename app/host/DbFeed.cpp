// DbFeed.cpp — a database layer fetched per settled view (DbFeed.h has the rules).
// Sections: 1. the worker  2. the UI thread's side  3. the feeds of a store  4. installing
#include "host/DbFeed.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "host/LayerLoader.h"
#include "host/LayerStore.h"
#include "host/PluginServices.h"
#include "io/DbQuery.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "style/Style.h"

namespace bcmap {

namespace {
using Clock = std::chrono::steady_clock;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// libpq's messages run over lines ("…failed: Connection refused\n\tIs the server running…"):
// one line for the layer panel's row.
std::string oneLine(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return trimmed(out);
}
}  // namespace

std::optional<DbSource> feedDbSource(const std::string& text, std::string* why) {
  std::optional<DbSource> source = parseDbSource(text, why);
  if (!source) return std::nullopt;
  // A dead host costs seconds, not the operating system's minutes: libpq's connect
  // timeout; TCP keepalives for a host that vanishes mid-read (no reset ever comes);
  // the server's statement timeout for a read that never ends. The user's own win.
  auto add = [&](const char* key, std::string value) {
    if (source->param(key).empty()) source->params.emplace_back(key, std::move(value));
  };
  add("connect_timeout", std::to_string(kConnectTimeoutS));
  add("keepalives_idle", "10");
  add("keepalives_interval", "5");
  add("keepalives_count", "3");
  add("options", "-c statement_timeout=" + std::to_string(kStatementTimeoutS * 1000));
  return source;
}

// ---- 1. the worker -----------------------------------------------------------------------------
DbFeed::DbFeed(std::string source, std::shared_ptr<DbTileCache> cache, std::function<void()> wake)
    : source_(std::move(source)), cache_(std::move(cache)), wake_(std::move(wake)), thread_([this] { run(); }) {}

DbFeed::~DbFeed() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void DbFeed::request(const DbFeedView& view) {
  {
    std::lock_guard lock(mutex_);
    if (wanted_ && *wanted_ == view) return;
    wanted_ = view;
    wantedAt_ = std::chrono::steady_clock::now();
    ++wantedSeq_;
  }
  changed_.notify_all();
}

std::optional<DbFeed::Update> DbFeed::take() {
  std::lock_guard lock(mutex_);
  std::optional<Update> u = std::move(published_);
  published_.reset();
  return u;
}

std::string DbFeed::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

DbFeedCounters DbFeed::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void DbFeed::setState(const std::string& s) {
  {
    std::lock_guard lock(mutex_);
    if (state_ == s) return;
    state_ = s;
  }
  if (wake_) wake_();
}

void DbFeed::publish(Update u) {
  {
    std::lock_guard lock(mutex_);
    published_ = std::move(u);
  }
  if (wake_) wake_();
}

void DbFeed::run() {
  std::unique_ptr<PgConnection> pg;
  std::optional<DbTableFacts> facts;
  TileScheme scheme;
  std::optional<Transformer> toTable;
  std::string toTableFrom;
  std::optional<DbSource> source;
  std::string why;
  const std::string cacheSource = source_;

  uint64_t doneSeq = 0;  // the view last finished
  double backoffS = 0;   // 0: no fault
  Clock::time_point retryAt = Clock::now();
  bool readFailedOnce = false;  // a read failed since the last view finished: reconnected once

  // A fault: the connection goes; the same view is tried again after the back-off.
  auto fault = [&](const std::string& reason) {
    const std::string state = oneLine(reason);
    pg.reset();
    facts.reset();
    backoffS = backoffS <= 0 ? kRetryFirstS : std::min(kRetryMaxS, backoffS * 2);
    retryAt = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(backoffS * 1000));
    logWarning("database layer " + redactDbPasswords(source_) + ": " + state + "; retrying in " +
               std::to_string(static_cast<int>(backoffS)) + " s");
    setState(state);
  };

  for (;;) {
    DbFeedView view;
    uint64_t seq = 0;
    Clock::time_point askedAt;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        if (stopping_) return;
        const bool due = wanted_ && wantedSeq_ != doneSeq;
        if (due && Clock::now() >= retryAt) break;
        if (due)
          changed_.wait_until(lock, retryAt);
        else
          changed_.wait(lock);
      }
      view = *wanted_;
      seq = wantedSeq_;
      askedAt = wantedAt_;
    }
    auto superseded = [&] {
      std::lock_guard lock(mutex_);
      return stopping_ || wantedSeq_ != seq;
    };

    if (!pg) {
      setState(kDbConnecting);
      if (!source) {
        source = feedDbSource(source_, &why);
        if (!source) {
          fault(kDbUnreachable + redactDbPasswords(why));
          continue;
        }
      }
      std::optional<DbSource> pinned = checkDbSource(*source, &why);
      if (!pinned) {
        fault(redactDbPasswords(why));  // "database connection to … refused: no source the user named …"
        continue;
      }
      pg = PgConnection::open(*pinned, &why);
      if (!pg) {
        std::string reason = trimmed(why);
        if (reason.rfind("cannot connect: ", 0) == 0) reason = reason.substr(16);
        fault(kDbUnreachable + redactDbPasswords(reason));
        continue;
      }
      facts = readTableFacts(*pg, *source, &why);
      if (!facts) {
        fault(kDbUnreachable + redactDbPasswords(trimmed(why)));
        continue;
      }
      scheme = TileScheme::over(facts->extent);
      toTable.reset();
    }
    setState(kDbFetching);

    // The view's box and pixel in the table's CRS.
    if (!toTable || toTableFrom != view.crs) {
      toTable = Transformer::create(view.crs, facts->crs().empty() ? view.crs : facts->crs(), &why);
      toTableFrom = view.crs;
    }
    std::optional<Bounds> box = toTable ? toTable->transformBounds(view.box) : std::nullopt;
    std::vector<TileId> tiles;
    int z = 0;
    if (box && !box->empty() && view.widthPx > 0 && view.heightPx > 0) {
      z = scheme.zoomFor(std::min(box->width() / view.widthPx, box->height() / view.heightPx));
      tiles = scheme.tilesFor(*box, z);
    }
    {
      std::lock_guard lock(mutex_);
      counters_.tilesPlanned += tiles.size();
    }

    // The table's time columns and the day: in every read and in the cache's key.
    DbTileTime time = dbTimeColumns(*facts, view.startSetting, view.endSetting);
    time.filter = view.time;
    std::vector<std::shared_ptr<const DbTile>> got;
    got.reserve(tiles.size());
    Clock::time_point lastPublish = Clock::now();
    bool cancelled = false, failed = false;
    uint64_t fetched = 0, cached = 0, rows = 0;
    GeometryKind kind = facts->info.points() ? GeometryKind::Point : GeometryKind::None;
    auto assemble = [&](bool complete) {
      Update u;
      u.table = assembleTiles(got);
      u.kind = kind != GeometryKind::None ? kind : u.table.geometry.kind;
      u.crs = facts->crs();
      u.complete = complete;
      u.prepared = prepareGeometry(u.table, u.kind, u.crs.empty() ? "EPSG:4326" : u.crs, view.crs);
      return u;
    };
    for (const TileId& t : tiles) {
      if (superseded()) {
        cancelled = true;
        break;
      }
      const std::string key = DbTileCache::key(cacheSource + time.key(), t);
      std::shared_ptr<const DbTile> tile = cache_->get(key);
      if (tile) {
        ++cached;
      } else {
        std::optional<DbTile> read = fetchDbTile(*pg, *source, *facts, scheme, t, &why, time);
        if (!read) {
          failed = true;
          break;
        }
        ++fetched;
        rows += read->table.featureCount();
        tile = std::make_shared<const DbTile>(std::move(*read));
        cache_->put(key, tile);
      }
      if (tile->kind != GeometryKind::None) kind = tile->kind;
      got.push_back(std::move(tile));
      // Progressive: the first tile at once, then every kPublishEveryMs.
      if (got.size() == 1 || Clock::now() - lastPublish >= std::chrono::milliseconds(kPublishEveryMs)) {
        if (got.size() < tiles.size()) {
          publish(assemble(false));
          std::lock_guard lock(mutex_);
          ++counters_.partials;
        }
        lastPublish = Clock::now();
      }
    }
    {
      std::lock_guard lock(mutex_);
      counters_.tilesFetched += fetched;
      counters_.tilesCached += cached;
      counters_.rowsFetched += rows;
      if (cancelled) ++counters_.viewsCancelled;
    }
    if (failed) {
      // The server went away mid-read, or the read itself is refused. Once: reconnect at
      // once (a restarted server, a dropped idle connection); when a fresh connection's read
      // fails too, the server is there and refuses the read: back off and say so.
      const std::string reason = trimmed(why);
      pg.reset();
      facts.reset();
      if (!readFailedOnce) {
        readFailedOnce = true;
        retryAt = Clock::now();
        continue;
      }
      fault(kDbCannotRead + redactDbPasswords(reason));
      continue;
    }
    readFailedOnce = false;
    if (cancelled) continue;  // the newer view is next
    Update u = assemble(true);
    {
      std::lock_guard lock(mutex_);
      ++counters_.views;
      counters_.lastViewRows = u.table.featureCount();
      counters_.lastViewTiles = tiles.size();
      counters_.lastZoom = z;
      counters_.lastViewMs = std::chrono::duration<double, std::milli>(Clock::now() - askedAt).count();
    }
    publish(std::move(u));
    doneSeq = seq;
    backoffS = 0;
    setState("");
  }
}

// ---- 3. the feeds of a store -------------------------------------------------------------------
namespace {
std::string dbSourceOf(const Layer& l) {
  if (!l.dbFeed) return {};
  for (const LayerSetting& s : l.settings)
    if (s.key == "path") return s.value;
  return {};
}
}  // namespace

DbFeeds::DbFeeds(std::function<void()> wake)
    : wake_(std::move(wake)), cache_(std::make_shared<DbTileCache>(dbTileCacheBytesFromEnv())) {}

DbFeeds::~DbFeeds() = default;

void DbFeeds::sync(LayerStore& store) {
  std::map<std::string, std::string> wanted;  // layer id -> source
  for (const auto& l : store.layers())
    if (std::string s = dbSourceOf(*l); !s.empty()) wanted[l->id] = s;
  for (auto it = feeds_.begin(); it != feeds_.end();) {
    auto w = wanted.find(it->first);
    if (w == wanted.end() || w->second != it->second->source())
      it = feeds_.erase(it);  // gone, or pointed at another table
    else
      ++it;
  }
  for (const auto& [id, source] : wanted)
    if (!feeds_.count(id)) feeds_[id] = std::make_unique<DbFeed>(source, cache_, wake_);
  for (auto it = askers_.begin(); it != askers_.end();)
    it = feeds_.count(it->first) ? std::next(it) : askers_.erase(it);
  if (!view_) return;
  for (auto& [id, feed] : feeds_)
    if (const Layer* l = store.find(id); l && l->visible) {
      DbFeedView v = *view_;  // with the layer's own time settings (the vector_file plugin's)
      for (const LayerSetting& s : l->settings) {
        if (s.key == "start_field") v.startSetting = s.value;
        if (s.key == "end_field") v.endSetting = s.value;
      }
      feed->request(v);  // the same view twice: ignored
    }
}

std::vector<std::string> DbFeeds::poll(LayerStore& store) {
  const auto start = Clock::now();
  std::vector<std::string> changed;
  for (auto& [id, feed] : feeds_) {
    Layer* l = store.find(id);
    if (!l) continue;
    bool touched = false;
    if (std::optional<DbFeed::Update> u = feed->take()) {
      installDbTable(*l, std::move(u->table), u->kind, std::move(u->crs));
      installPreparedGeometry(*l, std::move(u->prepared));  // made on the fetch thread
      l->dbRestyle = false;
      touched = true;
    } else if (l->dbRestyle && l->everLoaded) {
      // A setting changed (the colour, the point size): the same rows in the new look.
      FeatureTable same = l->table;
      installDbTable(*l, std::move(same), l->kind, l->sourceCrs);
      l->dbRestyle = false;
      touched = true;
    }
    if (std::string s = feed->state(); s != l->dbState) {
      // A layer that never had rows fails with the reason (the row says it, as for a file
      // that cannot be read) until the server answers: then it loads by itself.
      if (!l->everLoaded && !s.empty() && s != kDbConnecting && s != kDbFetching) {
        l->status = LayerStatus::Failed;
        l->error = s;
      }
      l->dbState = std::move(s);
      touched = true;
    }
    if (touched) changed.push_back(id);
  }
  pollMsMax_ = std::max(pollMsMax_, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  return changed;
}

DbAsker* DbFeeds::askerOf(const std::string& layerId) {
  auto feed = feeds_.find(layerId);
  if (feed == feeds_.end()) return nullptr;
  std::unique_ptr<DbAsker>& asker = askers_[layerId];
  if (!asker)
    asker = std::make_unique<DbAsker>(feed->second->source(), [answered = answered_, wake = wake_] {
      answered->store(true);
      if (wake) wake();
    });
  return asker.get();
}

uint64_t DbFeeds::ask(const std::string& layerId, Vec2 lonLat, double radiusM) {
  DbAsker* asker = askerOf(layerId);
  return asker ? asker->ask(lonLat, radiusM) : 0;
}

uint64_t DbFeeds::askPage(const std::string& layerId, const DbPageQuery& query) {
  DbAsker* asker = askerOf(layerId);
  return asker ? asker->askPage(query) : 0;
}

std::optional<DbPageResult> DbFeeds::page(const std::string& layerId, uint64_t seq) {
  auto it = askers_.find(layerId);
  return it == askers_.end() ? std::nullopt : it->second->page(seq);
}

std::optional<DbAskResult> DbFeeds::answer(const std::string& layerId, uint64_t seq) {
  auto it = askers_.find(layerId);
  return it == askers_.end() ? std::nullopt : it->second->answer(seq);
}

bool DbFeeds::takeAnswered() { return answered_->exchange(false); }

void DbFeeds::reportFacts(std::map<std::string, std::string>& facts) const {
  for (const auto& [id, feed] : feeds_) {
    const DbFeedCounters c = feed->counters();
    const std::string p = "db." + id + ".";
    facts[p + "state"] = feed->state();
    facts[p + "views"] = std::to_string(c.views);
    facts[p + "viewsCancelled"] = std::to_string(c.viewsCancelled);
    facts[p + "partials"] = std::to_string(c.partials);
    facts[p + "tilesPlanned"] = std::to_string(c.tilesPlanned);
    facts[p + "tilesFetched"] = std::to_string(c.tilesFetched);
    facts[p + "tilesCached"] = std::to_string(c.tilesCached);
    facts[p + "rowsFetched"] = std::to_string(c.rowsFetched);
    facts[p + "lastViewRows"] = std::to_string(c.lastViewRows);
    facts[p + "lastViewTiles"] = std::to_string(c.lastViewTiles);
    facts[p + "lastZoom"] = std::to_string(c.lastZoom);
    facts[p + "lastViewMs"] = std::to_string(static_cast<int>(std::lround(c.lastViewMs)));
    auto asker = askers_.find(id);
    facts[p + "asksAnswered"] = std::to_string(asker == askers_.end() ? 0 : asker->second->answered());
  }
  facts["db.pollMsMax"] = std::to_string(static_cast<int>(std::ceil(pollMsMax_)));
  facts["db.cache.bytes"] = std::to_string(cache_->bytes());
  facts["db.cache.tiles"] = std::to_string(cache_->size());
}

// ---- 4. installing ----------------------------------------------------------------------------------
namespace {

// "#rrggbb" or "#rrggbbaa" (the colour setting's text); `fallback` otherwise.
Rgba colourOf(const std::string& text, Rgba fallback) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return fallback;
  auto byte = [&](size_t i) -> int {
    char* end = nullptr;
    const std::string two = text.substr(i, 2);
    const long v = std::strtol(two.c_str(), &end, 16);
    return end == two.c_str() + 2 ? static_cast<int>(v) : -1;
  };
  const int r = byte(1), g = byte(3), b = byte(5), a = text.size() == 9 ? byte(7) : 255;
  if (r < 0 || g < 0 || b < 0 || a < 0) return fallback;
  return Rgba{static_cast<uint8_t>(r), static_cast<uint8_t>(g), static_cast<uint8_t>(b), static_cast<uint8_t>(a)};
}

}  // namespace

void installDbTable(Layer& l, FeatureTable table, GeometryKind kind, std::string crs) {
  std::string colour = "#3a6fb0", size = "8";
  for (const LayerSetting& s : l.settings) {
    if (s.key == "color") colour = s.value;
    if (s.key == "point_size") size = s.value;
  }
  // The vector_file plugin's style (plugins/vector_file): a translucent fill, a darker
  // outline of the same hue, its point size.
  const Rgba c = colourOf(colour, Rgba{58, 111, 176, 255});
  LoadOutput out;
  out.kind = kind;
  out.sourceCrs = crs.empty() ? "EPSG:4326" : std::move(crs);
  out.style.fill = Rgba{c.r, c.g, c.b, 150};
  out.style.stroke = Rgba{static_cast<uint8_t>(c.r * 0.6), static_cast<uint8_t>(c.g * 0.6),
                          static_cast<uint8_t>(c.b * 0.6), 255};
  out.style.strokeWidthPx = 1.2f;
  const float px = std::strtof(size.c_str(), nullptr);
  out.style.pointSizePx = px >= 1 && px <= 64 ? px : 8.0f;
  std::string ignored;
  evaluateFill(out.style, table, out.fill, &ignored);
  evaluatePointSize(out.style, table, out.pointSizePx, &ignored);
  out.legend.push_back(LegendEntry{l.nameEn, c, out.style.stroke, GeometryKind::None});
  out.table = std::move(table);
  // Kept across installs: what the user chose stays theirs.
  const bool visible = l.visible;
  applyLoad(l, std::move(out));
  l.visible = visible;
}

}  // namespace bcmap
