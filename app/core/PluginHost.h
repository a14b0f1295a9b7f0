// PluginHost: finds layer plugins in the plugin folders and opens them by absolute path,
// checking the ABI before anything else. A plugin that cannot be used is kept with its
// reason, so the layer panel and `bcmap layers` can show it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bcmap_plugin.h"

namespace bcmap {

// One plugin library, opened (or not, with the reason).
struct PluginModule {
  std::string path;      // absolute
  std::string fileName;  // for messages
  void* handle = nullptr;
  const bcmap_plugin_v1* vtable = nullptr;
  std::string error;     // empty: usable

  PluginModule() = default;
  PluginModule(const PluginModule&) = delete;
  PluginModule& operator=(const PluginModule&) = delete;
  ~PluginModule();
  bool ok() const { return error.empty() && vtable; }
};

class PluginHost {
 public:
  // Folders searched in order; the build's plugin folder is the default.
  static std::string defaultPluginDir();
  static std::string defaultDataDir();

  // Opens every *.so in `dirs` (non-recursive, sorted by name). Non-existent folders are
  // reported in the log and skipped.
  void scan(const std::vector<std::string>& dirs);
  // Opens one library by path (made absolute).
  PluginModule& open(const std::string& path);

  const std::vector<std::unique_ptr<PluginModule>>& modules() const { return modules_; }
  // The usable module whose describe() id is `id` (the vector_file plugin is found so).
  PluginModule* findByFileName(const std::string& fileName);

 private:
  std::vector<std::unique_ptr<PluginModule>> modules_;
};

}  // namespace bcmap
