// Sections: 1. where, 2. reading, 3. writing crash-safe, 4. adding and removing.
#include "host/PluginFolders.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/AtomicFile.h"
#include "io/XdgDirs.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace bcmap {

namespace {

constexpr int kFormatVersion = 1;

std::string normalFolder(const fs::path& dir) {
  fs::path p = dir.lexically_normal();
  if (p.filename().empty() && p != p.root_path()) p = p.parent_path();
  return p.string();
}

}  // namespace

// ---- 1. where -------------------------------------------------------------------------------
std::string pluginFoldersFile() {
  const std::string config = xdg::configHome();
  return config.empty() ? std::string() : (fs::path(config) / "bcmap" / "plugin-folders.json").string();
}

// ---- 2. reading -----------------------------------------------------------------------------
std::vector<std::string> loadPluginFolders(const std::string& file, std::string* warning) {
  if (warning) warning->clear();
  std::vector<std::string> out;
  std::error_code ec;
  if (file.empty() || !fs::exists(file, ec)) return out;
  auto warn = [&](const std::string& why) {
    if (warning) *warning = "plugin folders " + file + ": " + why;
  };
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    warn("cannot read it; starting without the folders it names");
    return out;
  }
  const Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("folders") || !j["folders"].is_array()) {
    warn("not a plugin folder list ({\"folders\": [...]}); ignored, starting without it");
    return out;
  }
  std::string skipped;
  for (const Json& f : j["folders"]) {
    if (!f.is_string() || f.get<std::string>().empty() || !fs::path(f.get<std::string>()).is_absolute()) {
      skipped += (skipped.empty() ? "" : ", ") + f.dump();
      continue;
    }
    const std::string dir = normalFolder(f.get<std::string>());
    if (std::find(out.begin(), out.end(), dir) == out.end()) out.push_back(dir);
  }
  if (!skipped.empty()) warn("entries that are not absolute paths skipped: " + skipped);
  return out;
}

// ---- 3. writing crash-safe ------------------------------------------------------------------
bool savePluginFolders(const std::string& file, const std::vector<std::string>& folders, std::string* err) {
  auto fail = [&](const std::string& why) {
    if (err) *err = "plugin folders " + file + ": " + why;
    return false;
  };
  if (file.empty()) return fail("no configuration folder (set XDG_CONFIG_HOME or HOME)");
  Json j;
  j["version"] = kFormatVersion;
  j["folders"] = folders;
  const std::string text = j.dump(2) + "\n";
  std::string why;
  if (!writeFileAtomically(file, text, &why)) return fail(why);
  return true;
}

// ---- 4. adding and removing -----------------------------------------------------------------
std::string pluginFolderFromInput(const std::string& typedIn, std::string* err) {
  std::string typed = typedIn;
  while (!typed.empty() && (typed.back() == ' ' || typed.back() == '\n')) typed.pop_back();
  while (!typed.empty() && typed.front() == ' ') typed.erase(typed.begin());
  auto fail = [&](const std::string& why) {
    if (err) *err = why;
    return std::string();
  };
  if (typed.empty()) return fail("type the path of a folder that holds plugins");
  if (typed == "~" || typed.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (!home || !*home) return fail(typed + ": no HOME to expand ~ from");
    typed = std::string(home) + typed.substr(1);
  }
  // A relative path would depend on the folder the viewer happened to be started in.
  if (!fs::path(typed).is_absolute()) return fail(typed + ": give the full path (starting with / or ~/)");
  const std::string dir = normalFolder(typed);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir + ": no such folder");
  return dir;
}

namespace {

// The list in `file`; a damaged file is moved aside first, so what the user wrote by hand
// is not overwritten by the list about to be saved.
std::vector<std::string> loadForChange(const std::string& file) {
  std::string warning;
  std::vector<std::string> folders = loadPluginFolders(file, &warning);
  if (!warning.empty() && folders.empty()) {
    std::error_code ec;
    fs::rename(file, file + ".damaged", ec);
  }
  return folders;
}

}  // namespace

bool addPluginFolder(const std::string& file, const std::string& folder, std::string* err) {
  std::vector<std::string> folders = loadForChange(file);
  if (std::find(folders.begin(), folders.end(), folder) != folders.end()) return true;
  folders.push_back(folder);
  return savePluginFolders(file, folders, err);
}

bool removePluginFolder(const std::string& file, const std::string& folder, std::string* err) {
  std::vector<std::string> folders = loadForChange(file);
  const auto it = std::find(folders.begin(), folders.end(), folder);
  if (it == folders.end()) return true;
  folders.erase(it);
  return savePluginFolders(file, folders, err);
}

}  // namespace bcmap
