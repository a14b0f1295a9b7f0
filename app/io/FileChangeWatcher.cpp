#include "io/FileChangeWatcher.h"

#include <sys/stat.h>

namespace bcmap {

FileChangeWatcher::Seen FileChangeWatcher::stat(const std::string& path) {
  struct ::stat st{};
  Seen s;
  if (::stat(path.c_str(), &st) != 0) return s;
  s.exists = true;
  s.size = static_cast<uintmax_t>(st.st_size);
  s.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return s;
}

void FileChangeWatcher::setFiles(const std::vector<std::string>& paths) {
  std::map<std::string, Entry> next;
  const auto now = std::chrono::steady_clock::now();
  for (const std::string& p : paths) {
    if (auto it = files_.find(p); it != files_.end()) {
      next.emplace(p, it->second);
    } else {
      const Seen s = stat(p);
      next.emplace(p, Entry{s, s, now});
    }
  }
  files_ = std::move(next);
}

std::vector<std::string> FileChangeWatcher::poll(std::chrono::steady_clock::time_point now,
                                                 std::chrono::milliseconds settle) {
  std::vector<std::string> changed;
  for (auto& [path, e] : files_) {
    const Seen s = stat(path);
    if (!(s == e.current)) {
      e.current = s;
      e.since = now;
      continue;  // still changing, or just changed: wait for it to settle
    }
    if (!(e.current == e.reported) && now - e.since >= settle) {
      e.reported = e.current;
      changed.push_back(path);
    }
  }
  return changed;
}

}  // namespace bcmap
