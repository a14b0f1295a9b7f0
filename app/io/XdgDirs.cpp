#include "io/XdgDirs.h"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace bcmap::xdg {
namespace {

// The variable's value when it is an absolute path; "" when it is unset, empty or relative
// (the specification: "If an implementation encounters a relative path in any of these
// variables it should consider the path invalid and ignore it").
std::string absoluteEnv(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && fs::path(v).is_absolute() ? std::string(v) : std::string();
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// `name`'s folder, else `fallback` under $HOME.
std::string baseDir(const char* name, const char* fallback) { return baseDirFrom(env(name), env("HOME"), fallback); }

}  // namespace

std::string baseDirFrom(const std::string& value, const std::string& home, const char* fallback) {
  // The specification: "If an implementation encounters a relative path in any of these
  // variables it should consider the path invalid and ignore it".
  if (!value.empty() && fs::path(value).is_absolute()) return value;
  if (home.empty()) return {};
  return (fs::path(home) / fallback).string();
}

std::string configHome() { return baseDir("XDG_CONFIG_HOME", ".config"); }
std::string cacheHome() { return baseDir("XDG_CACHE_HOME", ".cache"); }
std::string dataHome() { return baseDir("XDG_DATA_HOME", ".local/share"); }
std::string stateHome() { return baseDir("XDG_STATE_HOME", ".local/state"); }
std::string runtimeDir() { return absoluteEnv("XDG_RUNTIME_DIR"); }

}  // namespace bcmap::xdg
