#include "host/PluginMetadata.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <bcmap/bcmap_plugin.h>

namespace fs = std::filesystem;

namespace bcmap {

namespace {

bool isLayerId(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// "MAJOR.MINOR", both decimal.
bool parseAbi(const std::string& s, unsigned& major, unsigned& minor) {
  const size_t dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != dot && (s[i] < '0' || s[i] > '9')) return false;
  if (dot > 4 || s.size() - dot - 1 > 4) return false;  // no overflow, and no ABI is that big
  major = static_cast<unsigned>(std::stoul(s.substr(0, dot)));
  minor = static_cast<unsigned>(std::stoul(s.substr(dot + 1)));
  return true;
}

}  // namespace

std::string pluginJsonPathOf(const std::string& pluginPath) {
  const fs::path p(pluginPath);
  const fs::path folder = p.parent_path();
  if (folder.filename().string() != p.stem().string()) return {};
  return (folder / "plugin.json").string();
}

std::optional<PluginMetadata> parsePluginMetadata(const std::string& text, const std::string& path,
                                                  std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<PluginMetadata> {
    if (error) *error = path + ": " + why;
    return std::nullopt;
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message carries the line and column ("at line 3, column 5").
    std::string what = e.what();
    if (const size_t at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    return fail("not JSON: " + what);
  }
  if (!j.is_object()) return fail("not a JSON object");
  PluginMetadata m;
  m.path = path;
  m.json = j.dump();
  std::string err;
  auto text_ = [&](const char* key, std::string& out) {
    if (!err.empty() || !j.contains(key)) return;
    if (!j[key].is_string()) err = "\"" + std::string(key) + "\" must be a string";
    else out = j[key].get<std::string>();
  };
  if (!j.contains("id")) return fail("\"id\" is missing (the layer id, [a-z0-9_]+)");
  text_("id", m.id);
  text_("name_zh", m.nameZh);
  text_("name_en", m.nameEn);
  text_("version", m.version);
  text_("description", m.description);
  text_("homepage", m.homepage);
  text_("license", m.license);
  text_("min_abi", m.minAbi);
  if (!err.empty()) return fail(err);
  if (!isLayerId(m.id)) return fail("\"id\" \"" + m.id + "\" is not a layer id ([a-z0-9_]+)");
  if (j.contains("authors")) {
    const nlohmann::json& a = j["authors"];
    if (!a.is_array()) return fail("\"authors\" must be an array of strings");
    for (const nlohmann::json& x : a) {
      if (!x.is_string()) return fail("\"authors\" must be an array of strings");
      m.authors.push_back(x.get<std::string>());
    }
  }
  if (!m.minAbi.empty()) {
    unsigned major = 0, minor = 0;
    const std::string host = std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR);
    if (!parseAbi(m.minAbi, major, minor)) return fail("\"min_abi\" \"" + m.minAbi + "\" is not MAJOR.MINOR (e.g. \"1.3\")");
    if (major != BCMAP_ABI_MAJOR || minor > BCMAP_ABI_MINOR)
      return fail("\"min_abi\" is " + m.minAbi + ", above this bcmap's plugin ABI " + host +
                  " (a newer bcmap is needed)");
  }
  return m;
}

std::optional<PluginMetadata> readPluginMetadata(const std::string& pluginPath, std::string* error) {
  if (error) error->clear();
  const std::string path = pluginJsonPathOf(pluginPath);
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = path + ": cannot be read";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parsePluginMetadata(text.str(), path, error);
}

std::string metadataMismatch(const PluginMetadata& m, const std::string& id, const std::string& nameZh,
                             const std::string& nameEn) {
  auto differs = [&](const char* key, const std::string& json, const std::string& described) -> std::string {
    return "plugin.json says " + std::string(key) + " \"" + json + "\" but describe() says \"" + described +
           "\" (" + m.path + ")";
  };
  if (m.id != id) return differs("id", m.id, id);
  if (!m.nameZh.empty() && m.nameZh != nameZh) return differs("name_zh", m.nameZh, nameZh);
  if (!m.nameEn.empty() && m.nameEn != nameEn) return differs("name_en", m.nameEn, nameEn);
  return {};
}

}  // namespace bcmap
