// XdgDirs: the XDG Base Directory Specification's base folders, read one way for the whole
// app (the session file's config folder, the probe cache, the private folder for plugin
// copies). Per the specification a variable that is unset, empty or holds a relative path
// is ignored; the defaults then hang off $HOME. Each returns "" when there is no folder to
// give (no usable variable and no $HOME; runtimeDir() has no default at all).
#pragma once

#include <string>

namespace bcmap::xdg {

std::string configHome();  // $XDG_CONFIG_HOME, else $HOME/.config
std::string cacheHome();   // $XDG_CACHE_HOME, else $HOME/.cache
std::string dataHome();    // $XDG_DATA_HOME, else $HOME/.local/share
std::string stateHome();   // $XDG_STATE_HOME, else $HOME/.local/state
// $XDG_RUNTIME_DIR, else "": the specification gives no default; the caller picks its own
// fall-back (and checks it can write there).
std::string runtimeDir();

// The rule itself, for a caller that reads its environment its own way (tests inject it):
// `value` (the variable) when absolute, else `fallback` under `home`, else "".
// E.g. baseDirFrom(xdgDataHome, home, ".local/share").
std::string baseDirFrom(const std::string& value, const std::string& home, const char* fallback);

}  // namespace bcmap::xdg
