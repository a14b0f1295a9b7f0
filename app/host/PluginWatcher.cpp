// Sections: 1. set-up and the waker thread; 2. what is watched (search folders, plugin
// subfolders, ancestors of missing folders); 3. events; 4. what is due.
#include "host/PluginWatcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

// What a search folder and a plugin subfolder are watched for. IN_ATTRIB too: `chmod o-w`
// on a refused plugin is a change worth another try. The *_SELF events say the folder went
// away (deleted, or moved and so no longer at the path we know it by).
constexpr uint32_t kFolderMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// An ancestor of a missing search folder: only new folders matter. Added to whatever mask
// the folder already has (IN_MASK_ADD), since one folder can be both.
constexpr uint32_t kAncestorMask = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_MASK_ADD;

// Absolute and lexically normal, without a trailing slash.
std::string normalFolder(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  if (p.filename().empty() && p != p.root_path()) p = p.parent_path();
  return p.string();
}

std::string parentOf(const std::string& path) { return fs::path(path).parent_path().string(); }

// `inner` lies strictly below `outer`.
bool isBelow(const std::string& inner, const std::string& outer) {
  if (outer == "/") return inner.size() > 1 && inner[0] == '/';
  return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
}

bool isDir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// The library of the folder plugin NAME/: NAME/NAME.so.
std::string folderPluginLibrary(const std::string& dir) {
  return dir + "/" + fs::path(dir).filename().string() + ".so";
}

}  // namespace

// ---- 1. set-up and the waker thread ---------------------------------------------------------
PluginWatcher::PluginWatcher(int quietMs) : quietMs_(quietMs) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) logWarning(std::string("plugin watcher: inotify unavailable: ") + std::strerror(errno));
}

PluginWatcher::~PluginWatcher() {
  if (waker_.joinable()) {
    const uint64_t one = 1;
    if (write(stopFd_, &one, sizeof one) < 0) logWarning("plugin watcher: cannot stop its thread");
    waker_.join();
  }
  if (stopFd_ >= 0) close(stopFd_);
  if (fd_ >= 0) close(fd_);
}

void PluginWatcher::startWaking(std::function<void()> wake) {
  if (fd_ < 0 || waker_.joinable()) return;
  stopFd_ = eventfd(0, EFD_CLOEXEC);
  if (stopFd_ < 0) return;
  waker_ = std::thread([this, wake = std::move(wake)] {
    // Re-wake this often while a due change waits for the UI's poll().
    constexpr int kRewakeMs = 50;
    while (true) {
      int timeout;
      {
        std::lock_guard lock(mutex_);
        readEventsLocked();
        timeout = msUntilDueLocked();
      }
      if (timeout == 0) {
        wake();
        timeout = kRewakeMs;
      }
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
      if (::poll(fds, 2, timeout) < 0 && errno != EINTR) return;
      if (fds[1].revents & POLLIN) return;
    }
  });
}

PluginWatcher::Seen PluginWatcher::statFile(const std::string& path) {
  struct stat st {};
  Seen s;
  if (stat(path.c_str(), &st) != 0) return s;
  s.size = st.st_size;
  s.mtimeNs = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.inode = st.st_ino;
  return s;
}

// ---- 2. what is watched ---------------------------------------------------------------------
bool PluginWatcher::watch(const std::string& dirIn, std::string* err) {
  const std::string dir = normalFolder(dirIn);
  if (fd_ < 0) {
    if (err) *err = "plugin folder " + dir + ": cannot be watched (no inotify)";
    return false;
  }
  // Locked before the watch exists: the waker thread reads events under the same lock, so
  // an event for this folder cannot arrive before the folder is in dirs_ (it would be
  // dropped, and that change missed).
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    if (err) *err = "plugin folder " + dir + ": cannot be watched: not a folder";
    return false;
  }
  roots_.insert(dir);
  if (armRootLocked(dir, false, err)) return true;
  roots_.erase(dir);
  return false;
}

bool PluginWatcher::addWatchLocked(const std::string& dir, std::string* err) {
  const bool folder = roots_.count(dir) || roots_.count(parentOf(dir));
  const int wd = inotify_add_watch(fd_, dir.c_str(), folder ? kFolderMask : kAncestorMask);
  if (wd < 0) {
    if (err) *err = "plugin folder " + dir + ": cannot be watched: " + std::strerror(errno);
    return false;
  }
  dirs_[wd] = dir;
  return true;
}

bool PluginWatcher::armRootLocked(const std::string& root, bool report, std::string* err) {
  const auto now = std::chrono::steady_clock::now();
  while (true) {
    // The deepest folder of the chain that exists (the root itself, or an ancestor).
    std::string at = root;
    while (!isDir(at) && at != parentOf(at)) at = parentOf(at);
    if (at == root) break;
    std::string why;
    if (!addWatchLocked(at, &why)) {
      if (err) *err = "plugin folder " + root + " does not exist and " + why;
      return false;
    }
    // The next level may have been made between the check and the watch (mkdir -p runs
    // quickly): then its event is lost, so look again rather than wait for it.
    std::string next = root;
    while (parentOf(next) != at) next = parentOf(next);
    if (!isDir(next)) return true;
  }
  if (!addWatchLocked(root, err)) return false;
  pruneAncestorsLocked();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string p = entry.path().string();
    if (isDir(p)) armPluginFolderLocked(p, report, now);
    else if (entry.path().extension() == ".so") noteFileLocked(p, p, report, now);
  }
  return true;
}

void PluginWatcher::armPluginFolderLocked(const std::string& dir, bool report,
                                          std::chrono::steady_clock::time_point now) {
  std::string why;
  if (!addWatchLocked(dir, &why)) {
    logWarning("plugin watcher: " + why);
    return;
  }
  // Files written before the watch existed (cp -r, cmake --install) have sent their events
  // already: take them in from the listing.
  const std::string library = folderPluginLibrary(dir);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (!isDir(entry.path().string())) noteFileLocked(entry.path().string(), library, report, now);
}

void PluginWatcher::noteFileLocked(const std::string& file, const std::string& plugin, bool report,
                                   std::chrono::steady_clock::time_point now) {
  if (report) pending_[file] = Pending{now, plugin};
  else seen_[file] = statFile(file);
}

void PluginWatcher::pruneAncestorsLocked() {
  // An ancestor watch on, say, $HOME wakes the waker thread for every folder made there:
  // once the search folder exists it is not needed (its deletion is seen on itself).
  for (auto it = dirs_.begin(); it != dirs_.end();) {
    const std::string& dir = it->second;
    const bool needed = roots_.count(dir) || roots_.count(parentOf(dir)) ||
                        std::any_of(roots_.begin(), roots_.end(),
                                    [&](const std::string& r) { return isBelow(r, dir) && !isDir(r); });
    if (needed) {
      ++it;
      continue;
    }
    inotify_rm_watch(fd_, it->first);  // its IN_IGNORED finds no entry and is skipped
    it = dirs_.erase(it);
  }
}

std::vector<std::string> PluginWatcher::watchedFolders() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [wd, dir] : dirs_) out.push_back(dir);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// ---- 3. events ------------------------------------------------------------------------------
void PluginWatcher::readEventsLocked() {
  if (fd_ < 0) return;
  alignas(inotify_event) char buf[16 * 1024];
  const auto now = std::chrono::steady_clock::now();
  while (true) {
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) break;  // EAGAIN: nothing more
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      if (ev->mask & IN_Q_OVERFLOW) {
        // Events were lost: every file in every folder is a candidate; the stat comparison
        // in poll() keeps the unchanged ones quiet.
        for (const std::string& root : roots_) armRootLocked(root, true, nullptr);
        continue;
      }
      auto dir = dirs_.find(ev->wd);
      if (dir == dirs_.end()) continue;
      const std::string path = dir->second;
      if (ev->mask & IN_MOVE_SELF) {
        // Still watched, but no longer at `path`: drop the watch (IN_IGNORED follows) and
        // wait for the folder to be at `path` again.
        inotify_rm_watch(fd_, ev->wd);
        continue;
      }
      if (ev->mask & IN_IGNORED) {
        dirs_.erase(dir);
        for (const std::string& root : roots_)
          if (root == path || isBelow(root, path)) armRootLocked(root, true, nullptr);
        continue;
      }
      if (ev->len == 0) continue;
      handleEventLocked(path, ev->name, ev->mask, now);
    }
  }
}

void PluginWatcher::handleEventLocked(const std::string& dir, const std::string& name, uint32_t mask,
                                      std::chrono::steady_clock::time_point now) {
  const std::string path = dir + "/" + name;
  if (mask & IN_ISDIR) {
    if (!(mask & (IN_CREATE | IN_MOVED_TO))) return;
    for (const std::string& root : roots_) {
      if (path == root || isBelow(root, path)) armRootLocked(root, true, nullptr);  // on the way
      else if (dir == root) armPluginFolderLocked(path, true, now);  // a folder plugin NAME/
    }
    return;
  }
  for (const std::string& root : roots_) {
    if (dir == root && fs::path(name).extension() == ".so") noteFileLocked(path, path, true, now);
    else if (parentOf(dir) == root) noteFileLocked(path, folderPluginLibrary(dir), true, now);
  }
}

// ---- 4. what is due -------------------------------------------------------------------------
std::vector<std::string> PluginWatcher::poll() {
  std::lock_guard lock(mutex_);
  readEventsLocked();
  std::set<std::string> due;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second.last < std::chrono::milliseconds(quietMs_)) {
      ++it;
      continue;
    }
    const Seen s = statFile(it->first);
    Seen& last = seen_[it->first];
    if (s.size >= 0 && !(s == last)) {
      last = s;
      // plugin.json or a data file may be written before the library: the library's own
      // event reports the plugin then.
      if (statFile(it->second.plugin).size >= 0) due.insert(it->second.plugin);
    }
    it = pending_.erase(it);
  }
  return {due.begin(), due.end()};
}

int PluginWatcher::msUntilDue() const {
  std::lock_guard lock(mutex_);
  return msUntilDueLocked();
}

int PluginWatcher::msUntilDueLocked() const {
  if (pending_.empty()) return -1;
  const auto now = std::chrono::steady_clock::now();
  long long best = quietMs_;
  for (const auto& [path, p] : pending_) {
    const long long left =
        quietMs_ - std::chrono::duration_cast<std::chrono::milliseconds>(now - p.last).count();
    best = std::min(best, std::max(0LL, left));
  }
  return static_cast<int>(best);
}

}  // namespace bcmap
