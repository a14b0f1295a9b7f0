// PluginMetadata: a folder plugin's plugin.json (NAME/plugin.json beside NAME/NAME.so), read
// without running any of the plugin's code, so `bcmap layers` and the layer panel can say
// what a plugin is even when it is refused. A UTF-8 JSON object:
//   "id"        required, [a-z0-9_]+, the layer id describe() returns
//   "name_zh", "name_en", "version", "description", "homepage", "license"   strings
//   "authors"   an array of strings
//   "min_abi"   "MAJOR.MINOR", the lowest plugin ABI of a host the plugin runs in
// Unknown keys are ignored (a newer plugin may say more). A lone NAME.so has none.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bcmap {

struct PluginMetadata {
  std::string path;  // the plugin.json read
  std::string id, nameZh, nameEn, version, description, homepage, license, minAbi;
  std::vector<std::string> authors;
  std::string json;  // the whole object as read, compact (`bcmap layers --json` repeats it)
};

// Where the plugin.json of the plugin file `pluginPath` is: NAME/plugin.json for
// NAME/NAME.so; empty for a lone .so (a plugin.json beside it belongs to nobody).
std::string pluginJsonPathOf(const std::string& pluginPath);

// `text` as plugin.json (`path` names it in messages). nullopt with `error` set, naming the
// file and the key, when it is not a JSON object, a key has the wrong type, the id is not
// [a-z0-9_]+, or min_abi is not MAJOR.MINOR or is above this host's ABI.
std::optional<PluginMetadata> parsePluginMetadata(const std::string& text, const std::string& path,
                                                  std::string* error);

// The plugin.json of `pluginPath`, if it has one. nullopt with `error` empty: none (a lone
// .so, or a folder plugin without one); with `error` set: it is there but unusable.
std::optional<PluginMetadata> readPluginMetadata(const std::string& pluginPath, std::string* error);

// Empty when plugin.json agrees with what describe() said (the id, and each name plugin.json
// gives); else the refusal, naming both values and the plugin.json.
std::string metadataMismatch(const PluginMetadata& m, const std::string& id, const std::string& nameZh,
                             const std::string& nameEn);

}  // namespace bcmap
