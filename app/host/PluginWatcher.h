// PluginWatcher: tells the viewer which plugins changed on disk, for hot reload and for
// plugins installed while it runs.
//
// A plugin is a lone NAME.so in a search folder, or a folder NAME/ in a search folder
// holding NAME.so, plugin.json and its data. The watcher follows each search folder and
// one level of its subfolders with inotify (files written and closed, moved in, created;
// linkers and `cmake --install` often write a new file and rename it over the old one),
// and picks up subfolders made later. A change inside NAME/ (the library, plugin.json or a
// data file) is reported as NAME/NAME.so: "that plugin changed".
//
// A search folder that does not exist yet (the user's plugin folder on a fresh account) is
// waited for: its nearest existing ancestor is watched for new folders, level by level, so
// a `mkdir -p` of the whole chain works, and once it appears whatever was already copied
// into it is reported. A watched folder that is deleted is waited for again the same way.
//
// A path is reported once no event has come for it for `quietMs` (a build writes a library
// in several steps), and only if the plugin's library exists then. A file whose size,
// modification time and inode are what they were when last seen (or when watching began)
// does not count as a change.
//
// poll() is called from one thread (the UI loop) and never blocks. startWaking() adds a
// small thread that only waits on inotify and calls a wake function when a change is due,
// so a UI loop that sleeps in glfwWaitEvents() hears about it within the quiet time.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
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

  // Starts watching one search folder, which need not exist yet. False with the reason
  // (naming the folder) if it cannot: no inotify, the path is a file, no ancestor can be
  // watched.
  bool watch(const std::string& dir, std::string* err);
  // Absolute paths of the plugin libraries (NAME.so, or NAME/NAME.so) that changed and have
  // been quiet for quietMs, sorted, each once.
  std::vector<std::string> poll();
  // Milliseconds until a change now pending is due (0: due now), -1 when none is pending:
  // how long the UI loop may sleep before calling poll() again.
  int msUntilDue() const;
  // The folders inotify follows now (search folders, their plugin subfolders and the
  // ancestors of missing search folders), sorted: for tests and the log.
  std::vector<std::string> watchedFolders() const;
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
  struct Pending {
    std::chrono::steady_clock::time_point last;  // the latest event: restarts the quiet time
    std::string plugin;                          // the library this file belongs to
  };
  void readEventsLocked();
  void handleEventLocked(const std::string& dir, const std::string& name, uint32_t mask,
                         std::chrono::steady_clock::time_point now);
  // Watches `root` if it exists, else its nearest existing ancestor (and follows the chain
  // down as far as it exists already). `report`: files already inside count as changes
  // (the folder appeared while the viewer ran); else they are only remembered as seen.
  bool armRootLocked(const std::string& root, bool report, std::string* err);
  // Stops watching ancestors no missing search folder waits on any more.
  void pruneAncestorsLocked();
  // Watches a folder, returns false with the reason.
  bool addWatchLocked(const std::string& dir, std::string* err);
  // Watches the subfolder NAME/ of a search folder and takes in the files inside it.
  void armPluginFolderLocked(const std::string& dir, bool report, std::chrono::steady_clock::time_point now);
  // A file seen in a watched folder: pending (report) or remembered as seen.
  void noteFileLocked(const std::string& file, const std::string& plugin, bool report,
                      std::chrono::steady_clock::time_point now);
  int msUntilDueLocked() const;
  static Seen statFile(const std::string& path);

  mutable std::mutex mutex_;
  std::thread waker_;
  int stopFd_ = -1;  // eventfd that ends the waker thread
  int fd_ = -1;
  int quietMs_;
  std::set<std::string> roots_;                // the search folders asked for (absolute)
  std::map<int, std::string> dirs_;            // watch descriptor -> folder (absolute)
  std::map<std::string, Pending> pending_;     // file -> its latest event and plugin
  std::map<std::string, Seen> seen_;           // file -> its state when last seen
};

}  // namespace bcmap
