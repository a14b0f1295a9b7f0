#include "ui/UiVersions.h"

#define GLFW_INCLUDE_NONE  // the version string needs no GL header
#include <GLFW/glfw3.h>
#include <imgui.h>

namespace bcmap {

std::vector<std::pair<std::string, std::string>> uiLibraryVersions() {
  // glfwGetVersionString may be called before glfwInit: it is the library's, not a window's.
  return {{"GLFW", glfwGetVersionString()}, {"Dear ImGui", IMGUI_VERSION}};
}

}  // namespace bcmap
