// Sections: 1. where, 2. reading, 3. writing crash-safe, 4. the list.
#include "host/RecentFiles.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/AtomicFile.h"
#include "io/DbSource.h"
#include "io/XdgDirs.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace bcmap {

namespace {

constexpr int kFormatVersion = 1;

}  // namespace

// ---- 1. where -------------------------------------------------------------------------------
std::string recentFilesFile() {
  const std::string state = xdg::stateHome();
  return state.empty() ? std::string() : (fs::path(state) / "bcmap" / "recent-files.json").string();
}

// ---- 2. reading -----------------------------------------------------------------------------
std::vector<std::string> loadRecentFiles(const std::string& file, std::string* warning) {
  if (warning) warning->clear();
  std::vector<std::string> out;
  std::error_code ec;
  if (file.empty() || !fs::exists(file, ec)) return out;
  auto warn = [&](const std::string& why) {
    if (warning) *warning = "recent files " + file + ": " + why;
  };
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    warn("cannot read it; starting with no recent files");
    return out;
  }
  const Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_array()) {
    warn("not a recent-files list ({\"files\": [...]}); ignored, starting with no recent files");
    return out;
  }
  for (const Json& f : j["files"]) {
    // A database source (File ▸ Open's database tab; its password as ***) is kept as written.
    if (f.is_string() && isDbSource(f.get<std::string>())) {
      if (std::find(out.begin(), out.end(), f.get<std::string>()) == out.end()) out.push_back(f.get<std::string>());
      if (out.size() == kMaxRecentFiles) break;
      continue;
    }
    if (!f.is_string() || !fs::path(f.get<std::string>()).is_absolute()) continue;
    const std::string path = fs::path(f.get<std::string>()).lexically_normal().string();
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
    if (out.size() == kMaxRecentFiles) break;
  }
  return out;
}

// ---- 3. writing crash-safe ------------------------------------------------------------------
bool saveRecentFiles(const std::string& file, const std::vector<std::string>& paths, std::string* err) {
  auto fail = [&](const std::string& why) {
    if (err) *err = "recent files " + file + ": " + why;
    return false;
  };
  if (file.empty()) return fail("no state folder (set XDG_STATE_HOME or HOME)");
  Json j;
  j["version"] = kFormatVersion;
  j["files"] = paths;
  const std::string text = j.dump(2) + "\n";
  std::string why;
  if (!writeFileAtomically(file, text, &why)) return fail(why);
  return true;
}

// ---- 4. the list ----------------------------------------------------------------------------
std::vector<std::string> withRecentFile(std::vector<std::string> list, const std::string& pathIn) {
  std::error_code ec;
  fs::path abs = fs::absolute(pathIn, ec);
  const std::string path = isDbSource(pathIn) ? pathIn : (ec ? fs::path(pathIn) : abs).lexically_normal().string();
  list.erase(std::remove(list.begin(), list.end(), path), list.end());
  list.insert(list.begin(), path);
  if (list.size() > kMaxRecentFiles) list.resize(kMaxRecentFiles);
  return list;
}

bool addRecentFile(const std::string& file, const std::string& path, std::string* err) {
  // A damaged list is replaced: it held nothing the user wrote by hand worth keeping.
  return saveRecentFiles(file, withRecentFile(loadRecentFiles(file, nullptr), path), err);
}

std::vector<RecentFile> recentFilesWithState(const std::vector<std::string>& paths) {
  std::vector<RecentFile> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    out.push_back({p, isDbSource(p) || fs::exists(p, ec)});  // a server is not checked here
  }
  return out;
}

}  // namespace bcmap
