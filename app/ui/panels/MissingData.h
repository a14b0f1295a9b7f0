// MissingData: when the derived map data is not in the data folder (a fresh install: it is
// never shipped, the county geometry is AMap's), a panel over the empty map says so in
// the window (the sentence of host/DerivedData.h, the files missing, the command), and its
// "Download now" button runs `bcmap data fetch` in a child process: its output shows as it
// comes, "Cancel" stops it (the script then removes its staging folder), and when it
// succeeds the layers that failed for want of the data load again. Layers that need no
// AMap data (FILEs, the user's plugins) show meanwhile; the panel covers only its middle.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;

// The child process `bcmap data fetch --into DIR` (this executable, in its own process
// group so that Cancel reaches npm and node too).
class DataFetchProcess {
 public:
  enum class State { Idle, Running, Succeeded, Failed, Cancelled };
  DataFetchProcess() = default;
  DataFetchProcess(const DataFetchProcess&) = delete;
  DataFetchProcess& operator=(const DataFetchProcess&) = delete;
  ~DataFetchProcess();  // a running fetch is cancelled and waited for

  // Starts `argv` (argv[0]: the executable's path); false with the reason in output().
  bool start(const std::vector<std::string>& argv);
  // Reads what the child wrote and notices its end; cheap when nothing happened.
  void poll();
  // SIGTERM to its process group; the state becomes Cancelled once it has ended.
  void cancel();

  State state() const { return state_; }
  int exitCode() const { return exitCode_; }
  const std::string& output() const { return output_; }

 private:
  void finish(int status);

  State state_ = State::Idle;
  pid_t pid_ = -1;
  int fd_ = -1;
  int exitCode_ = 0;
  bool cancelled_ = false;
  std::string output_;
};

struct MissingDataState {
  std::vector<std::string> missing;  // files missing from the data folder, as last checked
  std::chrono::steady_clock::time_point nextCheck{};
  bool checked = false;
  DataFetchProcess fetch;
};

struct MissingDataResult {
  bool layersReloaded = false;  // the data arrived: the failed layers are loading again
  bool busy = false;            // a fetch runs: keep drawing frames to show its output
};

// Checks the data folder (at most once a second) and, while files are missing, draws the
// panel centred in `area` (window units: the map right of the layer panel). Reports
// "missing.panel", "missing.download" (or "missing.cancel" while running) and the facts
// "missing.sentence", "missing.state" (idle, running, succeeded, failed, cancelled) and
// "missing.output.last" (the last line the fetch wrote).
MissingDataResult drawMissingData(MissingDataState& m, LayerStore& store, const UiRect& area, float uiScale,
                                  TestRects& rects);

}  // namespace bcmap
