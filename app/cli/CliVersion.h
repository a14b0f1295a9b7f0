// `bcmap --version`: bcmap's own version, the plugin ABI it speaks, and the versions of the
// libraries it runs with (read at run time, so a system library upgrade shows).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bcmap {

// One library and its version, e.g. {"GLFW", "3.3.10 X11 GLX ..."}.
using LibraryVersion = std::pair<std::string, std::string>;

// bcmap, the plugin ABI, GDAL and PROJ, then `more` (the window's libraries: cli must not
// know the UI, so main passes ui's uiLibraryVersions() in). One "name version" a line.
std::string versionText(const std::vector<LibraryVersion>& more);

}  // namespace bcmap
