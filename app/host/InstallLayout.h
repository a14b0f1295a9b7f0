// Where bcmap finds its plugins, its crash probe and its data, worked out at run time from
// the executable's own folder, so that no build path is compiled in and a moved prefix
// still works.
//
// Three places, tried in this order:
//   beside the executable   <exe dir>/plugins, <exe dir>/bcmap-probe, <exe dir>/geodata
//                           (the build tree, or a private copy of bcmap with its plugins)
//   an installed prefix     <exe dir>/../lib/bcmap/plugins, <exe dir>/../libexec/bcmap/bcmap-probe
//                           (an installed bcmap never looks further)
//   the build tree above    the nearest folder above the executable holding kBuildTreeMarker
//                           (test and bench executables live in sub-folders of the build)
// The data scripts (`bcmap data fetch`): <exe dir>/tools/ or the build tree's tools/ (the
// build copies them there), else the installed <prefix>/libexec/bcmap/.
// The data is derived, never installed: $BCMAP_DATA_DIR, else beside the executable or in
// the build tree, else the user's data folder ($XDG_DATA_HOME/bcmap, ~/.local/share/bcmap).
#pragma once

#include <filesystem>
#include <string>

namespace bcmap {

// The file the build writes at the top of its build folder (CMakeLists.txt, at configure
// time) beside bcmap, bcmap-probe, plugins/ and the geodata link.
inline constexpr const char* kBuildTreeMarker = "bcmap-build-tree";

// Where an installed prefix keeps the plugins and the probe, relative to the prefix (the
// folder above the executable's): GNUInstallDirs' LIBDIR and LIBEXECDIR, given by CMake,
// e.g. "lib/bcmap/plugins" and "libexec/bcmap".
extern const char* const kInstalledPluginSubdir;
extern const char* const kInstalledProbeSubdir;

// What the lookup reads from the environment; empty means unset.
struct LayoutEnvironment {
  std::string dataDir;      // BCMAP_DATA_DIR
  std::string xdgDataHome;  // XDG_DATA_HOME
  std::string home;         // HOME

  static LayoutEnvironment current();
};

struct InstallLayout {
  enum class Kind { BesideExecutable, Installed, BuildTree };
  Kind kind = Kind::Installed;
  std::string pluginDir;  // where the shipped plugins are (reported even when missing)
  std::string probePath;  // bcmap-probe; empty when none is found
  std::string dataDir;    // the data folder (reported even when missing)
  std::string dataFetchScript;  // tools' fetch_data.py (`bcmap data fetch`); empty when none
};

// The file name of the script `bcmap data fetch` runs (tools/fetch_data.py).
inline constexpr const char* kDataFetchScript = "fetch_data.py";

// The layout for an executable at `exe` (an absolute path), looking at the file system.
InstallLayout installLayoutFor(const std::filesystem::path& exe, const LayoutEnvironment& env);

// This process's layout (/proc/self/exe and the current environment), worked out anew on
// every call: a few stat calls, and the environment may change between calls.
InstallLayout currentInstallLayout();

// The user's data folder: $XDG_DATA_HOME/bcmap (an absolute XDG_DATA_HOME only, as the XDG
// spec says), else $HOME/.local/share/bcmap; empty with neither.
std::string userDataDir(const LayoutEnvironment& env);

}  // namespace bcmap
