#include "io/AtomicFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace bcmap {

bool writeFileAtomically(const std::string& path, std::string_view bytes, std::string* why) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& what) {
    if (why) *why = what;
    return false;
  };
  if (path.empty()) return fail("no file name");
  const fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) fs::create_directories(dir, ec);
  if (ec) return fail("cannot make the folder: " + ec.message());

  std::string tmp = path + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return fail(std::string("cannot write a temporary file: ") + std::strerror(errno));
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
