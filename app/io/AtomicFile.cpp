#include "io/AtomicFile.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
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

constexpr std::string_view kTempMark = ".tmp-";
constexpr size_t kTempRandomChars = 6;  // mkstemp's XXXXXX

// ".NAME.tmp-" for a file NAME (a long NAME cut to kMaxTempTargetBytes).
std::string tempPrefix(const std::string& fileName) {
  return "." + fileName.substr(0, kMaxTempTargetBytes) + std::string(kTempMark);
}

bool isMkstempChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Removes the temporary files of `fileName` in `folder` that writers killed mid-write left
// (see AtomicFile.h). Best effort: a folder that cannot be listed, a file that cannot be
// removed, are left as they are; the write goes on either way.
void removeStaleTemps(const std::string& folder, const std::string& fileName) {
  DIR* d = opendir(folder.c_str());
  if (d == nullptr) return;
  struct timespec now {};
  clock_gettime(CLOCK_REALTIME, &now);
  const int dfd = dirfd(d);
  while (const dirent* e = readdir(d)) {
    const std::optional<AtomicTempName> t = parseAtomicTempName(e->d_name);
    if (!t || t->target != fileName.substr(0, kMaxTempTargetBytes)) continue;
    // A live pid is a writer at work (or a new process that got a dead writer's pid: its
    // file waits for a later write, which is harmless).
    if (kill(t->pid, 0) == 0 || errno != ESRCH) continue;
    struct stat st {};
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (now.tv_sec - st.st_mtim.tv_sec < kStaleTempAfterS) continue;
    unlinkat(dfd, e->d_name, 0);
  }
  closedir(d);
}

}  // namespace

std::optional<AtomicTempName> parseAtomicTempName(std::string_view name) {
  // "." TARGET ".tmp-" PID "-" XXXXXX
  if (name.size() < 1 + 1 + kTempMark.size() + 1 + 1 + kTempRandomChars || name[0] != '.') return std::nullopt;
  const std::string_view random = name.substr(name.size() - kTempRandomChars);
  if (!std::all_of(random.begin(), random.end(), isMkstempChar)) return std::nullopt;
  std::string_view rest = name.substr(1, name.size() - 1 - kTempRandomChars);  // TARGET.tmp-PID-
  if (rest.back() != '-') return std::nullopt;
  rest.remove_suffix(1);
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[rest.size() - 1 - digits]))) ++digits;
  // A pid is 1..4194304 (pid_max's ceiling): at most 7 digits, no leading zero.
  if (digits == 0 || digits > 7 || rest[rest.size() - digits] == '0') return std::nullopt;
  long pid = 0;
  for (char c : rest.substr(rest.size() - digits)) pid = pid * 10 + (c - '0');
  rest.remove_suffix(digits);
  if (!rest.ends_with(kTempMark) || rest.size() == kTempMark.size()) return std::nullopt;
  rest.remove_suffix(kTempMark.size());
  return AtomicTempName{std::string(rest), static_cast<pid_t>(pid)};
}

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

  // Hidden, beside the file, naming this process: what a killed writer leaves is known as
  // such (and removed here, by the next write of the same file).
  const std::string folder = dir.empty() ? std::string(".") : dir.string();
  const std::string fileName = fs::path(path).filename().string();
  removeStaleTemps(folder, fileName);
  std::string tmp = (dir / (tempPrefix(fileName) + std::to_string(getpid()) + "-XXXXXX")).string();
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
  if (const int dfd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

}  // namespace bcmap
