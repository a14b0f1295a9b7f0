// PluginFoldersPanel: the "插件文件夹 Plugin folders" window (menu 插件 Plugins ▸ Add plugin
// folder…): every folder plugins are found in, in search order with where each entry comes
// from, a path field and "添加 Add" to remember one more, and "移除 Remove" beside each
// remembered one. There is no native file dialog: the path is typed, as Export's is.
// The window only asks; the main loop applies the request (AppSession's
// addRememberedPluginFolder, then the watcher) and reports back in `message`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/PluginSearchPath.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// What the window keeps between frames.
struct PluginFoldersPanelState {
  std::string path;     // the field
  std::string message;  // what the last add or remove did
  bool messageIsError = false;
};

struct PluginFoldersRequests {
  std::optional<std::string> add;     // what was typed (PluginFolders' pluginFolderFromInput checks it)
  std::optional<std::string> remove;  // a remembered folder
};

// Draws the window while `*open` (PanelToggles::pluginFolders); its close box turns it off.
// Reports "plugins.path", "plugins.add", "plugins.remove.<n>" (the n-th remembered folder)
// and the facts "plugins.folder.<n>" ("<source> <path>", search order) and
// "plugins.message".
PluginFoldersRequests drawPluginFoldersPanel(bool* open, const std::vector<PluginSearchDir>& searchPath,
                                             PluginFoldersPanelState& s, float uiScale, TestRects& rects);

}  // namespace bcmap
