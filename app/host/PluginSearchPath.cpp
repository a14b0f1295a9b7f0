#include "host/PluginSearchPath.h"

#include <cstdlib>
#include <filesystem>

#include "host/PluginFolders.h"
#include "host/PluginHost.h"
#include "model/Log.h"
#include "io/XdgDirs.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

std::string envOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Absolute and lexically normal, without the trailing slash lexically_normal() keeps, so
// "plugins/" and "plugins" compare equal and a plugin's parent folder matches its entry.
std::string normalFolder(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  if (p.filename().empty() && p != p.root_path()) p = p.parent_path();
  return p.string();
}

}  // namespace

PluginPathEnvironment PluginPathEnvironment::current() {
  PluginPathEnvironment e{envOr("BCMAP_PLUGIN_PATH"), envOr("XDG_DATA_HOME"), envOr("HOME"), {}};
  std::string warning;
  e.remembered = loadPluginFolders(pluginFoldersFile(), &warning);
  if (!warning.empty()) logWarning(warning);
  return e;
}

std::vector<PluginSearchDir> pluginSearchPathFor(const std::vector<std::string>& cliDirs,
                                                 const PluginPathEnvironment& env,
                                                 const std::string& installedDir) {
  std::vector<PluginSearchDir> out;
  auto add = [&](const std::string& dir, const char* source) {
    if (dir.empty()) return;
    const std::string p = normalFolder(dir);
    for (const PluginSearchDir& d : out)
      if (d.path == p) return;  // searched once, where it first appears
    out.push_back({p, source});
  };

  for (const std::string& d : cliDirs) add(d, kSourceCommandLine);

  for (size_t start = 0; start <= env.pluginPath.size();) {
    size_t end = env.pluginPath.find(':', start);
    if (end == std::string::npos) end = env.pluginPath.size();
    const std::string entry = env.pluginPath.substr(start, end - start);
    // A relative entry would depend on the folder bcmap happens to be started in.
    if (!entry.empty() && fs::path(entry).is_absolute()) add(entry, kSourcePluginPath);
    start = end + 1;
  }

  for (const std::string& d : env.remembered)
    if (fs::path(d).is_absolute()) add(d, kSourceConfig);

  const std::string dataHome = xdg::baseDirFrom(env.xdgDataHome, env.home, ".local/share");
  if (!dataHome.empty()) add((fs::path(dataHome) / "bcmap" / "plugins").string(), kSourceUser);

  add(installedDir, kSourceInstalled);
  return out;
}

std::vector<PluginSearchDir> pluginSearchPath(const std::vector<std::string>& cliDirs) {
  return pluginSearchPathFor(cliDirs, PluginPathEnvironment::current(), PluginHost::defaultPluginDir());
}

std::vector<std::string> searchPathFolders(const std::vector<PluginSearchDir>& searchPath) {
  std::vector<std::string> out;
  out.reserve(searchPath.size());
  for (const PluginSearchDir& d : searchPath) out.push_back(d.path);
  return out;
}

std::vector<std::string> foldersToScan(const std::vector<PluginSearchDir>& searchPath) {
  std::vector<std::string> out;
  for (const PluginSearchDir& d : searchPath) {
    std::error_code ec;
    const bool quietIfMissing = d.source == kSourceConfig || d.source == kSourceUser;
    if (quietIfMissing && !fs::exists(d.path, ec)) continue;
    out.push_back(d.path);
  }
  return out;
}

std::string pluginSourceOf(const std::string& pluginPath, const std::vector<PluginSearchDir>& searchPath) {
  if (pluginPath.empty()) return {};
  const fs::path file(pluginPath);
  const std::string folder = normalFolder(file.parent_path().string());
  // A folder plugin, <search folder>/NAME/NAME.so, belongs to the folder above its own.
  const std::string above = file.parent_path().filename() == file.stem()
                                ? normalFolder(file.parent_path().parent_path().string())
                                : std::string();
  for (const PluginSearchDir& d : searchPath)
    if (d.path == folder || d.path == above) return d.source;
  return {};
}

}  // namespace bcmap
