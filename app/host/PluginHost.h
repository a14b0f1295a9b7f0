// PluginHost: finds layer plugins in the plugin folders and opens them by absolute path,
// checking the ABI before anything else. A plugin that cannot be used is kept with its
// reason, so the layer panel and `bcmap layers` can show it.
//
// Before a library is loaded into this process:
//   - its real path must stay inside the folder it was found in (a symlink leading out of
//     the plugin folder is refused), and neither the file nor its folder may be writable by
//     other users (refused, as sudo refuses such plugins);
//   - it is probed in a child process (PluginProbe.h), so a crash or a hang in its entry
//     function, create() or describe() is reported instead of taking the viewer down.
// In an interactive host (the viewer) and for every hot reload the library is loaded from a
// private, uniquely named copy: dlopen() of a path it already has open hands back the old
// image, and a library rewritten in place under a running process can crash it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "host/PluginMetadata.h"
#include "host/PluginProbe.h"

namespace bcmap {

// One plugin library, opened (or not, with the reason).
struct PluginModule {
  std::string path;        // absolute, as found (lexically normal; not resolved)
  std::string fileName;    // for messages
  std::string loadedFrom;  // the private copy that was dlopen()ed; empty: `path` itself
  // The plugin's own folder: the one holding `path` (for NAME/NAME.so that is NAME/), never
  // the private copy's. attach() and bcmap_loader_v1.plugin_dir hand it to the plugin, which
  // finds its bundled files there.
  std::string pluginDir;
  // A folder plugin's plugin.json, read before any of its code runs (kept when the plugin
  // is refused, so it can still be listed with it). A bad one refuses the plugin.
  std::optional<PluginMetadata> metadata;
  void* handle = nullptr;
  const bcmap_plugin_v1* vtable = nullptr;
  std::string error;       // empty: usable
  ProbeResult probe;       // what the crash probe said (outcome None: not probed)

  PluginModule() = default;
  PluginModule(const PluginModule&) = delete;
  PluginModule& operator=(const PluginModule&) = delete;
  ~PluginModule();  // dlclose, and the private copy is removed
  bool ok() const { return error.empty() && vtable; }
};

class PluginHost {
 public:
  // Probing as ProbeOptions::fromEnvironment() says (on when bcmap-probe is found).
  PluginHost();

  // Folders searched in order; the build's plugin folder is the default.
  static std::string defaultPluginDir();
  static std::string defaultDataDir();
  // The plugins of `dirs`: each lone *.so, and NAME/NAME.so of each folder NAME/ that holds
  // one (a folder plugin: its plugin.json and data beside it); absolute, sorted by path
  // within each folder, folders in order. Non-existent folders are logged and skipped.
  static std::vector<std::string> listPlugins(const std::vector<std::string>& dirs);

  // How a library is opened. Thread-safe to use from any thread.
  struct OpenOptions {
    std::shared_ptr<PluginProber> prober;  // null: no crash probe
    bool privateCopy = false;              // load a uniquely named copy (see above)
  };
  // Opens one library (path made absolute; its folder is the folder it names). Touches no
  // host state: the loader thread calls it, and the result is adopt()ed on the UI thread.
  static std::unique_ptr<PluginModule> openModule(const std::string& path, const OpenOptions& options);

  // Opens every *.so in `dirs` (probing the unknown ones several at a time first).
  void scan(const std::vector<std::string>& dirs);
  // Opens one library by path (made absolute) and keeps it.
  PluginModule& open(const std::string& path);
  // Keeps a module opened by openModule().
  std::shared_ptr<PluginModule> adopt(std::shared_ptr<PluginModule> module);
  // After a hot reload: the module for `module->path` is now `module` (the old one stays
  // loaded while layers still use it).
  void replace(std::shared_ptr<PluginModule> module);

  const std::vector<std::shared_ptr<PluginModule>>& modules() const { return modules_; }
  // The usable module with this file name (the vector_file plugin is found so).
  PluginModule* findByFileName(const std::string& fileName);
  std::shared_ptr<PluginModule> sharedByFileName(const std::string& fileName);
  // The module opened from `path` (usable or not), or null.
  std::shared_ptr<PluginModule> findByPath(const std::string& path);

  // Crash probe: null turns it off. Tests set a short timeout and a private cache.
  void setProber(std::shared_ptr<PluginProber> prober) { prober_ = std::move(prober); }
  const std::shared_ptr<PluginProber>& prober() const { return prober_; }
  // The host serves a running viewer: libraries are loaded from private copies, and
  // openSession() (app/cli) loads the layers off the UI thread (LayerStore::pollLoaded()).
  void setInteractive(bool on) { interactive_ = on; }
  bool interactive() const { return interactive_; }
  OpenOptions openOptions(bool forReload = false) const { return {prober_, interactive_ || forReload}; }

 private:
  std::vector<std::shared_ptr<PluginModule>> modules_;
  std::shared_ptr<PluginProber> prober_;
  bool interactive_ = false;
};

// Where private copies of plugins are made: a folder of this process's own (mode 0700) under
// $XDG_RUNTIME_DIR, else the temp folder; removed at exit. Empty if it cannot be made.
std::string pluginCopyDir();

}  // namespace bcmap
