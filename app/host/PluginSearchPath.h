// PluginSearchPath: the folders plugins are found in, in the order they are searched. When
// two plugins claim one layer id the one found first wins and the other is refused as
// shadowed (LayerStore), so the order is the user's way to override a plugin:
//   1. each --plugins DIR, as given on the command line;
//   2. each folder in $BCMAP_PLUGIN_PATH (colon-separated; empty and relative entries are
//      ignored, as the XDG spec ignores relative paths);
//   3. the folders the user added from the viewer, remembered in
//      $XDG_CONFIG_HOME/bcmap/plugin-folders.json (PluginFolders.h; never from a session);
//   4. the user's folder, $XDG_DATA_HOME/bcmap/plugins (~/.local/share/bcmap/plugins), even
//      when it does not exist yet: the viewer watches for it, so a plugin installed there
//      on a fresh account shows up in a running viewer;
//   5. the installed or build folder (PluginHost::defaultPluginDir()).
// A folder named twice is searched once, where it first appears. A remembered or user
// folder that does not exist is not scanned and not warned about (foldersToScan()): most
// users have none.
#pragma once

#include <string>
#include <vector>

namespace bcmap {

// Which entry of the search path a folder is: what `bcmap layers --json` reports as "source".
inline constexpr const char* kSourceCommandLine = "--plugins";
inline constexpr const char* kSourcePluginPath = "BCMAP_PLUGIN_PATH";
inline constexpr const char* kSourceConfig = "config";  // remembered: plugin-folders.json
inline constexpr const char* kSourceUser = "user";
inline constexpr const char* kSourceInstalled = "installed";

struct PluginSearchDir {
  std::string path;    // absolute, lexically normal, no trailing slash
  std::string source;  // one of the kSource* names above
};

// What the search path reads from the environment; empty means unset.
struct PluginPathEnvironment {
  std::string pluginPath;   // BCMAP_PLUGIN_PATH
  std::string xdgDataHome;  // XDG_DATA_HOME
  std::string home;         // HOME
  std::vector<std::string> remembered;  // plugin-folders.json's folders (PluginFolders.h)

  static PluginPathEnvironment current();
};

// The search path for `cliDirs` (the --plugins folders) in `env`, ending in `installedDir`.
std::vector<PluginSearchDir> pluginSearchPathFor(const std::vector<std::string>& cliDirs,
                                                 const PluginPathEnvironment& env,
                                                 const std::string& installedDir);
// This process's: the current environment and PluginHost::defaultPluginDir().
std::vector<PluginSearchDir> pluginSearchPath(const std::vector<std::string>& cliDirs);

// The folders alone, in order (what the plugin watcher takes: it waits for missing ones).
std::vector<std::string> searchPathFolders(const std::vector<PluginSearchDir>& searchPath);
// What PluginHost::scan() takes: the folders less the remembered and user ones that do not
// exist (a missing --plugins or BCMAP_PLUGIN_PATH folder stays, so its warning names it).
std::vector<std::string> foldersToScan(const std::vector<PluginSearchDir>& searchPath);

// The source of the entry `pluginPath` (a plugin file, absolute) was found in; empty if none.
std::string pluginSourceOf(const std::string& pluginPath, const std::vector<PluginSearchDir>& searchPath);

}  // namespace bcmap
