// PluginFolders: the plugin folders the user added from the viewer ("Add plugin folder…"),
// remembered in bcmap's own configuration, $XDG_CONFIG_HOME/bcmap/plugin-folders.json
// (~/.config/bcmap/plugin-folders.json). They join the search path after
// $BCMAP_PLUGIN_PATH (PluginSearchPath.h) with the source "config".
//
// Never in a session file: a session is a document people send each other, and a folder
// named there would load native code from wherever the sender chose. This file is only
// written by the user's own viewer.
//
// The file: {"version": 1, "folders": ["/abs/path", ...]}. A file that cannot be read or
// parsed is ignored with a warning (the viewer starts without the folders; adding one
// afterwards writes a fresh file), never fatal. Written crash-safe: a temporary file in
// the same folder, fsync, rename over the old one, fsync of the folder, so a crash leaves
// either the old list or the new one.
#pragma once

#include <string>
#include <vector>

namespace bcmap {

// $XDG_CONFIG_HOME/bcmap/plugin-folders.json through xdg::configHome(); "" when there is no
// configuration folder (no XDG_CONFIG_HOME and no HOME).
std::string pluginFoldersFile();

// The remembered folders, in the order they were added. A missing file is an empty list
// and no warning; a damaged one is an empty list and `warning` saying which file and why
// (entries that are not absolute paths are skipped, with a warning too).
std::vector<std::string> loadPluginFolders(const std::string& file, std::string* warning);
// Writes the list (crash-safe, see above), making the folder if needed.
bool savePluginFolders(const std::string& file, const std::vector<std::string>& folders, std::string* err);

// What the user typed, as the folder to remember: "~/" expanded from HOME, absolute and
// normal, no trailing slash; it must be an existing folder. "" and `err` otherwise.
std::string pluginFolderFromInput(const std::string& typed, std::string* err);
// Adds `folder` (already from pluginFolderFromInput) at the end unless it is there, and
// saves; removes it and saves. A damaged old file is kept beside as *.damaged, not lost.
bool addPluginFolder(const std::string& file, const std::string& folder, std::string* err);
bool removePluginFolder(const std::string& file, const std::string& folder, std::string* err);

}  // namespace bcmap
