#include "io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace bcmap {

namespace {

// The process's umask, read without changing it (umask() sets it, racing other threads).
mode_t processUmask() {
  static const mode_t mask = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
    return static_cast<mode_t>(022);
  }();
  return mask;
}

}  // namespace

bool writeFileAtomically(const std::string& path, std::string_view bytes, std::string* why, FolderPolicy folderPolicy) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& what) {
    if (why) *why = what;
    return false;
  };
  if (path.empty()) return fail("no file name");
  const fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  if (folderPolicy == FolderPolicy::Make && !dir.empty()) fs::create_directories(dir, ec);
  if (ec) return fail("cannot make the folder: " + ec.message());

  std::string tmp = path + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return fail(std::string("cannot write a temporary file: ") + std::strerror(errno));
  // mkstemp makes it 0600: the file keeps the mode of the one it replaces, else takes the
  // one a plain open() would have given it.
  struct stat old {};
  fchmod(fd, stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : (0644 & ~processUmask()));
  auto abandon = [&](const std::string& what) {
    close(fd);
    unlink(tmp.c_str());
    return fail(what);
  };
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon(std::string("cannot write: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  // The bytes on disk before the name points at them: else a crash right after the rename
  // can leave an empty file under the real name.
  if (fsync(fd) != 0) return abandon(std::string("cannot sync: ") + std::strerror(errno));
  if (close(fd) != 0) {
    const std::string err = std::strerror(errno);
    unlink(tmp.c_str());
    return fail("cannot close: " + err);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    unlink(tmp.c_str());
    return fail("cannot rename the new file into place: " + err);
  }
  // And the rename itself on disk.
  const std::string folder = dir.empty() ? std::string(".") : dir.string();
  if (const int dfd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

}  // namespace bcmap
