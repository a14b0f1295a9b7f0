// DbAsker: identify and tooltips of a database layer from its server (issue 11 §2).
//
// The viewer draws a database layer from tiles (host/DbFeed.h), and a tile of a dense table
// holds grid cells (a count `n` at a centroid), not rows: the tooltip of a cell must come from
// the server. An asker is a thread per database layer with its own connection (a connection
// belongs to one thread; the feed's may be busy with a grid read for seconds), which runs the
// newest question only (io/DbAsk.h: the rows nearest the place, through the GiST index) and
// keeps its answer for the UI thread to take. The UI never waits on it: the tooltip says "…"
// until the answer comes (kDbAskPending).
//
// The attribute table's pages come the same way (io/DbAsk.h: keyset pagination): a page
// question, newest wins, answered on the same thread; identify goes first when both wait.
//
// Faults: a question whose connection or read fails is answered with the reason (password
// redacted); the next question connects again.
//
// Threading: the public calls are thread-safe (the UI thread's); the worker owns the connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "io/DbAsk.h"

namespace bcmap {

// The tooltip's text while the server's answer is on its way.
inline constexpr const char* kDbAskPending = "…";

struct DbAskResult {
  uint64_t seq = 0;
  bool ok = false;
  DbAskAnswer answer;
  std::string error;  // when !ok: why (no password in it)
  double ms = 0;      // from the question to the answer
};

struct DbPageResult {
  uint64_t seq = 0;
  bool ok = false;
  std::string error;
  std::vector<DbTableFacts::Column> columns;  // the table's, in order
  std::string keyColumn;                      // what the rows are keyed by ("ctid", a primary key, "" for OFFSET)
  // Each row: the key as text, whether its sort value is null, the sort value, then the
  // columns' values as text ("" for NULL).
  struct Row {
    std::string key, sort;
    bool sortNull = false;
    std::vector<std::string> values;
  };
  std::vector<Row> rows;
  bool more = false;       // rows follow the page (or a window of ctid's that may hold some)
  std::string resumeKey;   // the key the next page starts after: the last row's, or the window's end
  int64_t estimate = -1;   // the table's rows as the planner counts them (pg_class.reltuples); -1 unknown
  double serverMs = 0;     // the page's statement, on the server's clock as seen here
};

class DbAsker {
 public:
  // `source`: the layer's path setting; `wake`: called on the worker when an answer is ready.
  DbAsker(std::string source, std::function<void()> wake);
  ~DbAsker();  // a read in flight finishes first
  DbAsker(const DbAsker&) = delete;
  DbAsker& operator=(const DbAsker&) = delete;

  // Asks for the rows at lonLat (WGS 84), counting those within radiusM; a newer question
  // replaces one not yet started. Returns the question's number.
  uint64_t ask(Vec2 lonLat, double radiusM);
  // The answer to question `seq`, once it is there.
  std::optional<DbAskResult> answer(uint64_t seq) const;
  uint64_t answered() const;  // questions answered so far

  // Asks for a page of the table (a newer page question replaces one not yet started).
  uint64_t askPage(const DbPageQuery& query);
  std::optional<DbPageResult> page(uint64_t seq) const;

 private:
  void run();

  std::string source_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  uint64_t seq_ = 0, doneSeq_ = 0, answered_ = 0;
  Vec2 lonLat_{};
  double radiusM_ = 0;
  std::optional<DbAskResult> last_;
  uint64_t pageSeq_ = 0, pageDoneSeq_ = 0;
  DbPageQuery pageQuery_;
  std::optional<DbPageResult> lastPage_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace bcmap
