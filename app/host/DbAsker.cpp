// DbAsker.cpp — identify of a database layer on its own thread (DbAsker.h has the rules).
// Sections: 1. the UI thread's side (identify, pages)  2. the worker
#include "host/DbAsker.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include "host/DbFeed.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"

namespace bcmap {

// ---- 1. the UI thread's side -------------------------------------------------------------------
DbAsker::DbAsker(std::string source, std::function<void()> wake)
    : source_(std::move(source)), wake_(std::move(wake)), thread_([this] { run(); }) {}

DbAsker::~DbAsker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

uint64_t DbAsker::ask(Vec2 lonLat, double radiusM) {
  uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    lonLat_ = lonLat;
    radiusM_ = radiusM;
    seq = ++seq_;
  }
  changed_.notify_all();
  return seq;
}

std::optional<DbAskResult> DbAsker::answer(uint64_t seq) const {
  std::lock_guard lock(mutex_);
  if (last_ && last_->seq == seq) return last_;
  return std::nullopt;
}

uint64_t DbAsker::answered() const {
  std::lock_guard lock(mutex_);
  return answered_;
}

uint64_t DbAsker::askPage(const DbPageQuery& query) {
  uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    pageQuery_ = query;
    seq = ++pageSeq_;
  }
  changed_.notify_all();
  return seq;
}

std::optional<DbPageResult> DbAsker::page(uint64_t seq) const {
  std::lock_guard lock(mutex_);
  if (lastPage_ && lastPage_->seq == seq) return lastPage_;
  return std::nullopt;
}

// ---- 2. the worker -------------------------------------------------------------------------------
namespace {
constexpr double kMetresPerDegree = 111320.0;  // along a meridian; enough for a hover box
}  // namespace

void DbAsker::run() {
  std::unique_ptr<PgConnection> pg;
  std::optional<DbTableFacts> facts;
  std::optional<DbSource> source;
  std::optional<Transformer> toTable;
  DbPageKey key;
  std::string why;
  // Connects when there is no connection; false (and `why`) when it cannot.
  auto connect = [&]() -> bool {
    if (pg) return true;
    if (!source) source = feedDbSource(source_, &why);
    std::optional<DbSource> pinned = source ? checkDbSource(*source, &why) : std::nullopt;
    if (pinned) pg = PgConnection::open(*pinned, &why);
    if (pg) facts = readTableFacts(*pg, *source, &why);
    if (!pg || !facts) {
      pg.reset();
      return false;
    }
    toTable = Transformer::create("EPSG:4326", facts->crs().empty() ? "EPSG:4326" : facts->crs(), &why);
    // The page key: a one-column primary key, else ctid (a table), else OFFSET (a view).
    key = DbPageKey{};
    std::string ignored;
    auto pk = pg->exec(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = $1::regclass AND i.indisprimary AND i.indnatts = 1",
        {source->quotedTable()}, &ignored);
    if (pk && pk->size() == 1)
      key.column = (*pk)[0][0];
    else if (facts->hasCtid())
      key.column = "ctid";
    else
      key.offset = true;
    return true;
  };
  for (;;) {
    bool identify = false;
    Vec2 at;
    double radiusM = 0;
    uint64_t seq = 0;
    DbPageQuery pageQuery;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || seq_ != doneSeq_ || pageSeq_ != pageDoneSeq_; });
      if (stopping_) return;
      identify = seq_ != doneSeq_;  // identify first: a tooltip waits on it
      if (identify) {
        at = lonLat_;
        radiusM = radiusM_;
        seq = seq_;
      } else {
        pageQuery = pageQuery_;
        seq = pageSeq_;
      }
    }
    const auto start = std::chrono::steady_clock::now();
    if (!identify) {
      DbPageResult r;
      r.seq = seq;
      std::string ignored;
      // The table's rows and blocks (the planner's counts): the total shown, ctid's window.
      auto est = connect() ? pg->exec("SELECT reltuples::bigint, relpages::bigint FROM pg_class WHERE oid = $1::regclass",
                                      {source->quotedTable()}, &ignored)
                           : std::nullopt;
      int64_t reltuples = -1, relpages = 0;
      if (est && !est->empty()) {
        reltuples = std::strtoll((*est)[0][0].c_str(), nullptr, 10);
        relpages = std::strtoll((*est)[0][1].c_str(), nullptr, 10);
      }
      if (reltuples > 0 && relpages > 0) {
        // Blocks enough for two pages at the table's rows per block.
        const double perBlock = std::max(1.0, static_cast<double>(reltuples) / static_cast<double>(relpages));
        pageQuery.ctidBlocks = static_cast<int64_t>(std::ceil(2.0 * std::max(1, pageQuery.limit) / perBlock)) + 1;
      }
      if (pg) {
        const DbSql q = pageSql(source->quotedTable(), *facts, key, pageQuery);
        const auto sent = std::chrono::steady_clock::now();
        std::optional<PgConnection::Rows> rows = pg->exec(q.text, q.params, &why);
        r.serverMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count();
        if (!rows) {
          pg.reset();
          facts.reset();
          r.error = redactDbPasswords(why);
        } else {
          r.ok = true;
          r.columns = facts->columns;
          r.keyColumn = key.offset ? std::string() : key.column;
          r.estimate = reltuples;
          const size_t limit = static_cast<size_t>(std::max(1, pageQuery.limit));
          for (const auto& row : *rows) {
            if (r.rows.size() == limit) {
              r.more = true;
              break;
            }
            if (row.size() < 3 + facts->columns.size()) continue;
            r.rows.push_back(DbPageResult::Row{row[0], row[2], row[1] == "t",
                                               std::vector<std::string>(row.begin() + 3, row.end())});
          }
          if (!r.rows.empty()) r.resumeKey = r.rows.back().key;
          const bool window = key.column == "ctid" && !key.offset && pageQuery.sortColumn.empty() &&
                              pageQuery.ascending && pageQuery.where.empty() && pageQuery.ctidBlocks > 0;
          if (window && !r.more) {
            // A window short of a page: the next starts where it ends, while blocks remain.
            const std::string end = ctidWindowEnd(pageQuery.afterKey, pageQuery.ctidBlocks);
            const int64_t endBlock = std::strtoll(end.c_str() + 1, nullptr, 10);
            r.more = endBlock < relpages;
            r.resumeKey = "(" + std::to_string(endBlock - 1) + ",65535)";
          }
        }
      } else {
        r.error = redactDbPasswords(why);
      }
      {
        std::lock_guard lock(mutex_);
        pageDoneSeq_ = seq;
        ++answered_;
        lastPage_ = std::move(r);
      }
      if (wake_) wake_();
      continue;
    }
    DbAskResult r;
    r.seq = seq;
    auto finish = [&] {
      r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      {
        std::lock_guard lock(mutex_);
        doneSeq_ = seq;
        ++answered_;
        last_ = std::move(r);
      }
      if (wake_) wake_();
    };
    if (!connect()) {
      r.error = redactDbPasswords(why);
      finish();
      continue;
    }
    // The place and the box its radius covers, in the table's CRS.
    const double dLat = radiusM / kMetresPerDegree;
    const double dLon = dLat / std::max(0.01, std::cos(at.y * std::numbers::pi / 180));
    const Bounds nearLonLat{at.x - dLon, at.y - dLat, at.x + dLon, at.y + dLat};
    const Vec2 p = toTable ? toTable->forward(at) : Vec2{NAN, NAN};
    std::optional<Bounds> near = toTable ? toTable->transformBounds(nearLonLat) : std::nullopt;
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !near) {
      r.error = "the place lies outside the table's CRS";
      finish();
      continue;
    }
    const DbSql q = identifySql(source->quotedTable(), *facts, p, *near, kDbAskRows);
    std::optional<PgConnection::Rows> rows = pg->exec(q.text, q.params, &why);
    if (!rows) {
      pg.reset();  // the next question connects again
      facts.reset();
      r.error = redactDbPasswords(why);
    } else {
      r.ok = true;
      r.answer = readIdentifyAnswer(*facts, *rows);
    }
    finish();
  }
}

}  // namespace bcmap
