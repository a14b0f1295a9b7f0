// The versions of the window's libraries (GLFW, Dear ImGui), for `bcmap --version`: main
// hands them to cli, which must not include ui.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bcmap {

// {"GLFW", glfwGetVersionString()}, {"Dear ImGui", IMGUI_VERSION}; needs no window.
std::vector<std::pair<std::string, std::string>> uiLibraryVersions();

}  // namespace bcmap
