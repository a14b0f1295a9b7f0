// Viewer: the interactive window — GLFW + OpenGL 3.3 core, the map drawn by MapFrame,
// Dear ImGui panels (layers, status bar) over it.
#pragma once

#include "host/AppSession.h"

namespace bcmap {

// Runs the viewer until the window closes. Returns an exit code (kExitFailed when no
// window can be opened, with the reason on stderr).
int runViewer(const AppOptions& options);

}  // namespace bcmap
