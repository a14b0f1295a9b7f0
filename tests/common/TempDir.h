// TempDir: a folder of a test's own under the system's temporary folder, removed with
// everything in it when the object goes. mkdtemp gives each test process its own name, so
// tests running in parallel (ctest -j) never share one.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace bcmap_test {

class TempDir {
 public:
  // `prefix` names the folder, e.g. "bcmap-vector" -> /tmp/bcmap-vector-Ab12Cd.
  explicit TempDir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // False when the folder could not be made (a test should ASSERT it).
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

}  // namespace bcmap_test
