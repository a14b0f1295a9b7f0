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

// `name`'s folder, else `fallback` under $HOME (as the callers read $HOME before: any
// non-empty value), else "".
std::string baseDir(const char* name, const char* fallback) {
  if (std::string v = absoluteEnv(name); !v.empty()) return v;
  const char* home = std::getenv("HOME");
  if (!home || !*home) return {};
  return (fs::path(home) / fallback).string();
}

}  // namespace

std::string configHome() { return baseDir("XDG_CONFIG_HOME", ".config"); }
std::string cacheHome() { return baseDir("XDG_CACHE_HOME", ".cache"); }
std::string dataHome() { return baseDir("XDG_DATA_HOME", ".local/share"); }
std::string stateHome() { return baseDir("XDG_STATE_HOME", ".local/state"); }
std::string runtimeDir() { return absoluteEnv("XDG_RUNTIME_DIR"); }

}  // namespace bcmap::xdg
