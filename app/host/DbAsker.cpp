// DbAsker.cpp — identify of a database layer on its own thread (DbAsker.h has the rules).
// Sections: 1. the UI thread's side  2. the worker
#include "host/DbAsker.h"

#include <chrono>
#include <cmath>
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

// ---- 2. the worker -------------------------------------------------------------------------------
namespace {
constexpr double kMetresPerDegree = 111320.0;  // along a meridian; enough for a hover box
}  // namespace

void DbAsker::run() {
  std::unique_ptr<PgConnection> pg;
  std::optional<DbTableFacts> facts;
  std::optional<DbSource> source;
  std::optional<Transformer> toTable;
  for (;;) {
    Vec2 at;
    double radiusM = 0;
    uint64_t seq = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || seq_ != doneSeq_; });
      if (stopping_) return;
      at = lonLat_;
      radiusM = radiusM_;
      seq = seq_;
    }
    const auto start = std::chrono::steady_clock::now();
    DbAskResult r;
    r.seq = seq;
    std::string why;
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
    if (!pg) {
      if (!source) source = feedDbSource(source_, &why);
      std::optional<DbSource> pinned = source ? checkDbSource(*source, &why) : std::nullopt;
      if (pinned) pg = PgConnection::open(*pinned, &why);
      if (pg) facts = readTableFacts(*pg, *source, &why);
      if (!pg || !facts) {
        pg.reset();
        r.error = redactDbPasswords(why);
        finish();
        continue;
      }
      toTable = Transformer::create("EPSG:4326", facts->crs().empty() ? "EPSG:4326" : facts->crs(), &why);
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
