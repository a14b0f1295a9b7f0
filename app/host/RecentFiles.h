// RecentFiles: the files the user opened in the viewer (File ▸ Open…, dropped on the
// window), most recent first, kept in $XDG_STATE_HOME/bcmap/recent-files.json
// (~/.local/state/bcmap/recent-files.json): state, not configuration, so it lives under the
// XDG state folder, never in a session (a session is a document people send each other).
//
// The file: {"version": 1, "files": ["/abs/path", ...]}, at most kMaxRecentFiles entries,
// most recent first. A file that cannot be read or parsed is ignored with a warning (the
// list starts empty; the next open writes a fresh one), never fatal. Written crash-safe: a
// temporary file in the same folder, fsync, rename over the old one, fsync of the folder,
// so a crash leaves either the old list or the new one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bcmap {

// Ten, as most desktop programs keep (GIMP, QGIS): enough to find last week's files, few
// enough for a menu.
inline constexpr size_t kMaxRecentFiles = 10;

// One entry as the menu and the dialog show it: a file gone since (moved, unmounted) is
// shown dimmed and cannot be chosen, rather than dropped, so a USB stick plugged in again
// brings it back.
struct RecentFile {
  std::string path;
  bool exists = false;
};

// $XDG_STATE_HOME/bcmap/recent-files.json through xdg::stateHome(); "" when there is no
// state folder (no XDG_STATE_HOME and no HOME).
std::string recentFilesFile();

// The remembered files, most recent first (at most kMaxRecentFiles; duplicates and entries
// that are not absolute paths skipped). A missing file is an empty list and no warning; a
// damaged one is an empty list and `warning` saying which file and why.
std::vector<std::string> loadRecentFiles(const std::string& file, std::string* warning);
// Writes the list (crash-safe, see above), making the folder if needed.
bool saveRecentFiles(const std::string& file, const std::vector<std::string>& paths, std::string* err);

// `list` with `path` (absolute and normal) moved to the front, once, cut to kMaxRecentFiles.
std::vector<std::string> withRecentFile(std::vector<std::string> list, const std::string& path);
// Loads, puts `path` first and saves: what the viewer calls after a file opened.
bool addRecentFile(const std::string& file, const std::string& path, std::string* err);
// The list with whether each file is still there.
std::vector<RecentFile> recentFilesWithState(const std::vector<std::string>& paths);

}  // namespace bcmap
