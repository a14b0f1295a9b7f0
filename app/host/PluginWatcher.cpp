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

bool PluginWatcher::watch(const std::string& dirIn, std::string* err) {
  std::error_code ec;
  const std::string dir = fs::absolute(dirIn, ec).lexically_normal().string();
  if (fd_ < 0) {
    if (err) *err = "plugin folder " + dir + ": cannot be watched (no inotify)";
    return false;
  }
  // Locked before the watch exists: the waker thread reads events under the same lock, so
  // an event for this folder cannot arrive before the folder is in dirs_ (it would be
  // dropped, and that change missed).
  std::lock_guard lock(mutex_);
  // IN_ATTRIB too: `chmod o-w` on a refused plugin is a change worth another try.
  const int wd = inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_ONLYDIR);
  if (wd < 0) {
    if (err) *err = "plugin folder " + dir + ": cannot be watched: " + std::strerror(errno);
    return false;
  }
  dirs_[wd] = dir;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".so") seen_[entry.path().string()] = statFile(entry.path().string());
  return true;
}

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
        // Events were lost: every library in every folder is a candidate; the stat
        // comparison in poll() keeps the unchanged ones quiet.
        for (const auto& [wd, dir] : dirs_) {
          std::error_code ec;
          for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.path().extension() == ".so") pending_[entry.path().string()] = now;
        }
        continue;
      }
      auto dir = dirs_.find(ev->wd);
      if (dir == dirs_.end() || ev->len == 0 || (ev->mask & IN_ISDIR)) continue;
      const std::string name = ev->name;
      if (fs::path(name).extension() != ".so") continue;
      pending_[dir->second + "/" + name] = now;  // every event restarts the quiet time
    }
  }
}

std::vector<std::string> PluginWatcher::poll() {
  std::lock_guard lock(mutex_);
  readEventsLocked();
  std::vector<std::string> due;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second < std::chrono::milliseconds(quietMs_)) {
      ++it;
      continue;
    }
    const Seen s = statFile(it->first);
    Seen& last = seen_[it->first];
    if (s.size >= 0 && !(s == last)) {
      last = s;
      due.push_back(it->first);
    }
    it = pending_.erase(it);
  }
  std::sort(due.begin(), due.end());
  return due;
}

int PluginWatcher::msUntilDue() const {
  std::lock_guard lock(mutex_);
  return msUntilDueLocked();
}

int PluginWatcher::msUntilDueLocked() const {
  if (pending_.empty()) return -1;
  const auto now = std::chrono::steady_clock::now();
  long long best = quietMs_;
  for (const auto& [path, last] : pending_) {
    const long long left =
        quietMs_ - std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count();
    best = std::min(best, std::max(0LL, left));
  }
  return static_cast<int>(best);
}

}  // namespace bcmap
