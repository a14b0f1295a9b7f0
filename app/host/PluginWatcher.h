// PluginWatcher: tells the viewer which plugin libraries changed on disk, for hot reload.
//
// Watches plugin folders (not recursively) with inotify for files written and closed,
// moved in or created (linkers often write a new file and rename it over the old one), and
// reports a *.so once no event has come for it for `quietMs` (a build writes a library in
// several steps). A file whose size, modification time and inode are what they were when
// last reported (or when watching began) is not reported again.
//
// poll() is called from one thread (the UI loop) and never blocks. startWaking() adds a
// small thread that only waits on inotify and calls a wake function when a change is due,
// so a UI loop that sleeps in glfwWaitEvents() hears about it within the quiet time.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bcmap {

class PluginWatcher {
 public:
  // 200 ms of quiet: a linker's write, close and rename arrive within a few milliseconds;
  // a slow disk or a build that strips afterwards within a hundred.
  static constexpr int kDefaultQuietMs = 200;

  explicit PluginWatcher(int quietMs = kDefaultQuietMs);
  ~PluginWatcher();
  PluginWatcher(const PluginWatcher&) = delete;
  PluginWatcher& operator=(const PluginWatcher&) = delete;

  // Starts watching one folder. False with the reason (naming the folder) if it cannot.
  bool watch(const std::string& dir, std::string* err);
  // Absolute paths of the *.so files that changed and have been quiet for quietMs, sorted.
  std::vector<std::string> poll();
  // Milliseconds until a change now pending is due (0: due now), -1 when none is pending:
  // how long the UI loop may sleep before calling poll() again.
  int msUntilDue() const;
  // The inotify descriptor, readable when events arrived (for a loop that polls fds).
  int fd() const { return fd_; }
  // Calls `wake` (on the watcher's own thread; e.g. glfwPostEmptyEvent) when a change is
  // due, and every 50 ms after that until poll() has taken it. Call once.
  void startWaking(std::function<void()> wake);

 private:
  struct Seen {
    long long size = -1, mtimeNs = -1;
    unsigned long long inode = 0;
    bool operator==(const Seen&) const = default;
  };
  void readEventsLocked();
  int msUntilDueLocked() const;
  static Seen statFile(const std::string& path);

  mutable std::mutex mutex_;
  std::thread waker_;
  int stopFd_ = -1;  // eventfd that ends the waker thread
  int fd_ = -1;
  int quietMs_;
  std::map<int, std::string> dirs_;  // watch descriptor -> folder (absolute)
  std::map<std::string, std::chrono::steady_clock::time_point> pending_;  // path -> last event
  std::map<std::string, Seen> seen_;
};

}  // namespace bcmap
