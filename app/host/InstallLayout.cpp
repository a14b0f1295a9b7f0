#include "host/InstallLayout.h"

#include <unistd.h>

#include <cstdlib>

#include "io/XdgDirs.h"

namespace fs = std::filesystem;

#ifndef BCMAP_INSTALL_PLUGIN_SUBDIR
#define BCMAP_INSTALL_PLUGIN_SUBDIR "lib/bcmap/plugins"
#endif
#ifndef BCMAP_INSTALL_PROBE_SUBDIR
#define BCMAP_INSTALL_PROBE_SUBDIR "libexec/bcmap"
#endif

namespace bcmap {

const char* const kInstalledPluginSubdir = BCMAP_INSTALL_PLUGIN_SUBDIR;
const char* const kInstalledProbeSubdir = BCMAP_INSTALL_PROBE_SUBDIR;

namespace {

bool isDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool isExecutableFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

bool isRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string envOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The nearest folder from `dir` upwards that holds the build's marker; empty if none.
fs::path buildRootAbove(fs::path dir) {
  std::error_code ec;
  while (!dir.empty()) {
    if (fs::is_regular_file(dir / kBuildTreeMarker, ec)) return dir;
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

}  // namespace

LayoutEnvironment LayoutEnvironment::current() {
  return {envOr("BCMAP_DATA_DIR"), envOr("XDG_DATA_HOME"), envOr("HOME")};
}

std::string userDataDir(const LayoutEnvironment& env) {
  const std::string base = xdg::baseDirFrom(env.xdgDataHome, env.home, ".local/share");
  return base.empty() ? std::string() : (fs::path(base) / "bcmap").string();
}

InstallLayout installLayoutFor(const fs::path& exe, const LayoutEnvironment& env) {
  const fs::path dir = exe.parent_path();
  const fs::path prefix = dir.parent_path();
  const fs::path installedPlugins = prefix / kInstalledPluginSubdir;
  const fs::path installedProbe = prefix / kInstalledProbeSubdir / "bcmap-probe";
  // An installed bcmap never looks for a build tree above it: a prefix installed inside a
  // build folder must still use its own plugins.
  const bool installed = isDir(installedPlugins) || isExecutableFile(installedProbe);
  const fs::path root = installed ? fs::path() : buildRootAbove(dir);

  InstallLayout l;
  if (isDir(dir / "plugins")) l.kind = InstallLayout::Kind::BesideExecutable;
  else if (!root.empty()) l.kind = InstallLayout::Kind::BuildTree;
  else l.kind = InstallLayout::Kind::Installed;

  if (isDir(dir / "plugins")) l.pluginDir = (dir / "plugins").string();
  else if (!root.empty()) l.pluginDir = (root / "plugins").string();
  else l.pluginDir = installedPlugins.string();

  if (isExecutableFile(dir / "bcmap-probe")) l.probePath = (dir / "bcmap-probe").string();
  else if (!root.empty() && isExecutableFile(root / "bcmap-probe")) l.probePath = (root / "bcmap-probe").string();
  else if (isExecutableFile(installedProbe)) l.probePath = installedProbe.string();

  const fs::path installedScript = prefix / kInstalledProbeSubdir / kDataFetchScript;
  if (isRegularFile(dir / "tools" / kDataFetchScript)) l.dataFetchScript = (dir / "tools" / kDataFetchScript).string();
  else if (!root.empty() && isRegularFile(root / "tools" / kDataFetchScript))
    l.dataFetchScript = (root / "tools" / kDataFetchScript).string();
  else if (isRegularFile(installedScript)) l.dataFetchScript = installedScript.string();

  if (!env.dataDir.empty()) l.dataDir = env.dataDir;
  else if (isDir(dir / "geodata")) l.dataDir = (dir / "geodata").string();
  else if (!root.empty()) l.dataDir = (root / "geodata").string();
  else l.dataDir = userDataDir(env);
  return l;
}

InstallLayout currentInstallLayout() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  // Without /proc the current folder stands in for the executable's.
  return installLayoutFor(ec ? fs::current_path(ec) / "bcmap" : exe, LayoutEnvironment::current());
}

}  // namespace bcmap
