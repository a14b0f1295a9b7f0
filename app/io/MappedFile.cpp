// MappedFile.cpp — mmap over a padded anonymous mapping (MappedFile.h).
#include "io/MappedFile.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bcmap {

MappedFile::~MappedFile() {
  if (base_ != nullptr) munmap(base_, mapped_);
}

bool MappedFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    size_ = static_cast<size_t>(st.st_size);
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    mapped_ = (size_ + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* base = mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok = base != MAP_FAILED;
    if (ok) base_ = base;
    // MAP_POPULATE: the pages are read in now, in one go, not faulted in one by one.
    if (ok && size_ > 0)
      ok = mmap(base_, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) != MAP_FAILED;
  }
  ::close(fd);
  return ok;
}

}  // namespace bcmap
