// DbFeed: a database layer in the viewer, fetched per settled view (issue 11 §2).
//
// The viewer reads a file layer whole, once; a table on a PostGIS server may hold ten
// million rows, so a database layer is never read whole there. Instead, for each view that
// has settled (the mouse is up and the view unchanged for a moment; the cached frame moves
// during gestures as for files), its fetch worker — one thread per database layer, with its
// own PgConnection (a connection belongs to one thread) — lists the view's tiles
// (io/DbTiles.h), takes those the shared LRU holds, reads the others, and publishes the
// visible tiles' rows as one FeatureTable: after the first tile, then at most every
// kPublishEveryMs, and once complete. The UI thread takes it once a frame (DbFeeds::poll)
// and installs it like a load result (LayerLoader's applyLoad: the user's style is applied
// again, LayerPrepare prepares it again). A worker always works on the newest view: one
// asked for while it fetches stops it between tiles (a view the user has left is not
// finished).
//
// Faults: the state the layer panel shows is "connecting", "fetching" or
// "server unreachable: <libpq's reason, password redacted>" (or "cannot read: <the server's
// reason>" when it answers and refuses the read, or the network guard's refusal). A failed connection or read
// is retried after 1, 2, 4 … 30 s; meanwhile the last rows stay drawn and every other layer
// is untouched (a layer that never had rows is failed with the reason meanwhile); once the
// server answers again the layer fills in by itself, with whatever
// the user set (style, visibility, order, settings) as it was. Connections go only to
// hosts the user's sources name (io/NetworkGuard.h: checkDbSource before each one) and
// give up after kConnectTimeoutS (libpq's connect_timeout), so a dead host costs seconds; a
// read is bounded by TCP keepalives and the server's statement_timeout (kStatementTimeoutS).
//
// The style of a database layer is the vector_file plugin's, from the layer's settings
// (colour, point size) — the plugin itself is not asked to load: it would read the table
// whole — then the file look (host/LayerStyling.h), as for an opened file.
//
// Threading: DbFeed's public calls are the UI thread's, and thread-safe; DbFeeds is the UI
// thread's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "host/DbAsker.h"
#include "host/Layer.h"
#include "host/LayerPrepare.h"
#include "io/DbTiles.h"

namespace bcmap {

class LayerStore;

inline constexpr int kPublishEveryMs = 150;
inline constexpr int kConnectTimeoutS = 3;
// A live grid over 10M rows takes 6-7 s on a 2-core machine (issue 11): ten times that.
inline constexpr int kStatementTimeoutS = 60;
inline constexpr double kRetryFirstS = 1, kRetryMaxS = 30;

// The state the layer panel shows for a feed.
inline constexpr const char* kDbConnecting = "connecting";
inline constexpr const char* kDbFetching = "fetching";
inline constexpr const char* kDbUnreachable = "server unreachable: ";
inline constexpr const char* kDbCannotRead = "cannot read: ";  // the server answers, and refuses the read

// The source of a feed (or an asker, host/DbAsker.h) parsed from the layer's path setting,
// with the connection's timeouts added (the user's own win). nullopt and `why` when it does
// not parse.
std::optional<DbSource> feedDbSource(const std::string& text, std::string* why);

// A view to fetch: the box of the display (in its CRS) and its size in pixels.
// With the time slider's day (kNoDay: 全部 All): the server reads only the rows shown on
// it, for a table with a start column (the layer's start/end settings, set by DbFeeds::sync
// per layer: io/DbTiles.h's dbTimeColumns).
struct DbFeedView {
  std::string crs;
  Bounds box;
  int widthPx = 0, heightPx = 0;
  TimeFilter time{};
  std::string startSetting{}, endSetting{};
  friend bool operator==(const DbFeedView& a, const DbFeedView& b) {
    return a.crs == b.crs && a.widthPx == b.widthPx && a.heightPx == b.heightPx && a.box.minX == b.box.minX &&
           a.box.minY == b.box.minY && a.box.maxX == b.box.maxX && a.box.maxY == b.box.maxY &&
           a.time.day == b.time.day && (a.time.day == kNoDay || (a.time.mode == b.time.mode &&
                                                                  a.time.windowDays == b.time.windowDays)) &&
           a.startSetting == b.startSetting && a.endSetting == b.endSetting;
  }
};

// What a feed did, for the tests' facts and the log.
struct DbFeedCounters {
  uint64_t views = 0;           // views finished
  uint64_t viewsCancelled = 0;  // views left unfinished for a newer one
  uint64_t partials = 0;        // tables published before their view was complete
  uint64_t tilesFetched = 0;    // tiles read from the server
  uint64_t tilesCached = 0;     // tiles the LRU held
  uint64_t rowsFetched = 0;     // rows those reads brought
  uint64_t tilesPlanned = 0;    // tiles the views asked for listed
  uint64_t lastViewRows = 0;    // rows of the last view published
  uint64_t lastViewTiles = 0;
  int lastZoom = -1;
  double lastViewMs = 0;        // from the view's request to its complete table (connecting included)
};

class DbFeed {
 public:
  // `source`: the layer's path setting (DbSource::display(): a typed password as ***,
  // remembered by this process). `wake`: called on the worker when a result or a new state
  // is ready (glfwPostEmptyEvent); thread-safe and quick.
  DbFeed(std::string source, std::shared_ptr<DbTileCache> cache, std::function<void()> wake);
  ~DbFeed();  // stops the worker between tiles (a read in flight finishes first)
  DbFeed(const DbFeed&) = delete;
  DbFeed& operator=(const DbFeed&) = delete;

  // The newest view wins; one equal to the last asked for is ignored.
  void request(const DbFeedView& view);
  struct Update {
    FeatureTable table;
    GeometryKind kind = GeometryKind::None;
    std::string crs;
    bool complete = false;  // every visible tile is in
    // The table made ready for the view's display CRS and for identify on the fetch
    // thread (LayerPrepare.h), so the UI thread only installs it: projecting, indexing
    // and LOD-ordering 200k rows there took 100-200 ms a publish.
    PreparedGeometry prepared;
  };
  // The newest table published since the last take.
  std::optional<Update> take();
  std::string state() const;
  DbFeedCounters counters() const;
  const std::string& source() const { return source_; }

 private:
  void run();
  void setState(const std::string& s);
  void publish(Update u);

  std::string source_;
  std::shared_ptr<DbTileCache> cache_;
  std::function<void()> wake_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::optional<DbFeedView> wanted_;
  uint64_t wantedSeq_ = 0;
  std::chrono::steady_clock::time_point wantedAt_;
  std::optional<Update> published_;
  std::string state_ = kDbConnecting;
  DbFeedCounters counters_;
  std::thread thread_;  // last: starts after everything above exists
};

// The feeds of a store's database layers (the viewer's).
class DbFeeds {
 public:
  explicit DbFeeds(std::function<void()> wake);
  ~DbFeeds();
  // A feed for each database layer of the store (a layer opened since gets one now; a
  // layer gone loses its own); each visible one is asked for the settled view (a hidden
  // layer fetches nothing until it is switched on).
  void sync(LayerStore& store);
  // The settled view; the feeds are asked for it at the next sync.
  void requestView(const DbFeedView& view) { view_ = view; }
  // Installs what the feeds published (UI thread, once a frame) and refreshes each layer's
  // dbState; a layer whose settings changed (Layer::dbRestyle) is styled again. The ids of
  // layers whose features or state changed.
  std::vector<std::string> poll(LayerStore& store);
  // "db.<layer id>.<counter>" facts for the test hook.
  void reportFacts(std::map<std::string, std::string>& facts) const;
  bool empty() const { return feeds_.empty(); }

  // Identify on the server (host/DbAsker.h): the rows at a place of a database layer, asked
  // on the layer's asker thread (made at its first question). The question's number; its
  // answer comes later (answer()), with a wake. UI thread.
  uint64_t ask(const std::string& layerId, Vec2 lonLat, double radiusM);
  std::optional<DbAskResult> answer(const std::string& layerId, uint64_t seq);
  // A page of the layer's attribute table from the server (DbAsker::askPage), the same way.
  uint64_t askPage(const std::string& layerId, const DbPageQuery& query);
  std::optional<DbPageResult> page(const std::string& layerId, uint64_t seq);
  // True once after any asker answered (the frame that shows it is due).
  bool takeAnswered();

 private:
  std::function<void()> wake_;
  std::shared_ptr<DbTileCache> cache_;
  std::map<std::string, std::unique_ptr<DbFeed>> feeds_;  // by layer id
  DbAsker* askerOf(const std::string& layerId);  // made at the first question; null: no such feed
  std::map<std::string, std::unique_ptr<DbAsker>> askers_;  // by layer id, made at the first question
  std::shared_ptr<std::atomic<bool>> answered_ = std::make_shared<std::atomic<bool>>(false);
  std::optional<DbFeedView> view_;
  double pollMsMax_ = 0;  // the longest poll (installing on the UI thread), for the facts
};

// The layer's look from its settings (the vector_file plugin's style: colour, point size),
// over `table`, installed as a load result (applyLoad: file look, the user's style).
void installDbTable(Layer& l, FeatureTable table, GeometryKind kind, std::string crs);

}  // namespace bcmap
