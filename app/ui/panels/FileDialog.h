// FileDialog: the "打开 Open" window (File ▸ Open…, Ctrl+O): bcmap's own file chooser, drawn
// with ImGui so it looks and behaves the same everywhere and tests drive it
// deterministically (no external dialog program).
//
// The window shows the current folder's path in an editable field (a typed path is
// entered with Enter: a folder is listed, a file opened; "~" expands to $HOME, a relative
// path is taken from the current folder), an up-folder button, the folder's sub-folders
// then its files, each group sorted by name (hidden entries, ".name", left out), files
// filtered to the formats bcmap's reader opens unless "所有文件 All files" is ticked, and
// the recent files (RecentFiles.h). A double-click, or Enter on the selected entry, enters
// a folder or opens a file, as does the Open button at the bottom (the typed or picked
// path, else the selected folder; greyed out while there is neither) beside Cancel. An unreadable
// folder keeps the window open and says why.
// The window only asks: the main loop opens the file exactly as a dropped one.
//
// Sections: 1. the listing (no ImGui; unit-tested), 2. the window.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/RecentFiles.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// ---- 1. the listing -------------------------------------------------------------------------
// The formats the dialog lists: GDAL driver (as in io/VectorReader's kDefaultVectorDrivers,
// which decides what opens) and the file name endings it reads, lower case with the dot.
const std::vector<std::pair<std::string, std::vector<std::string>>>& readableFormats();
// Whether a file of this name is in one of readableFormats() (case-insensitive ending).
bool isReadableFileName(const std::string& name);

struct FileEntry {
  std::string name;
  bool isFolder = false;  // entered on open; a folder format (*.gdb) is a file here
};

struct FolderListing {
  std::string folder;              // absolute and normal
  std::vector<FileEntry> entries;  // folders first, then files, each sorted by name
  std::string error;               // "" or why the folder could not be listed
  size_t hiddenByFilter = 0;       // files left out because their format is not readable
};

// Lists `folder` (absolute). `allFiles`: every file, not only readable formats.
FolderListing listFolder(const std::string& folder, bool allFiles);
// What the user typed, as an absolute normal path: "~" and "~/..." from $HOME, a relative
// path from `base`; surrounding spaces trimmed. "" when typed is blank.
std::string expandTypedPath(const std::string& typed, const std::string& base);

// ---- 2. the window --------------------------------------------------------------------------
struct FileDialogState {
  std::string folder;        // listed now ("" until first shown: the current directory)
  std::string field;         // the path field
  FolderListing listing;
  bool listed = false;       // listing is of `folder` (false: list again)
  bool allFiles = false;
  int selected = -1;         // index into listing.entries
  std::string message;       // an error from the last typed path or open
  bool focusField = false;   // give the field the keyboard next frame (on appearing)
  int settleFrames = 0;      // frames still needed after appearing for the field to be active
  std::vector<RecentFile> recent;  // shown under the list; the main loop keeps it current
  bool recentStale = true;         // read recent-files.json again before the next frame
  std::optional<std::string> fromMenu;  // File ▸ Open Recent chose it; the main loop opens it
};

struct FileDialogResult {
  std::optional<std::string> open;  // a file to open as a layer (absolute path)
  // The window just appeared: ImGui needs a few more frames before the field holds the
  // keyboard, so the main loop draws them without waiting for input.
  bool settling = false;
};

// Draws the window while `*open` (PanelToggles::openFile); opening a file closes it.
// Reports "files.window", "files.path", "files.up", "files.all", "files.entry.<n>",
// "files.recent.<n>", "files.open", "files.cancel" and the facts "files.folder",
// "files.entry.<n>" ("dir name" or "file name"), "files.recent.<n>" (the path, "(missing) "
// before one that is gone), "files.open" ("enabled" or "disabled") and "files.message".
FileDialogResult drawFileDialog(bool* open, FileDialogState& s, float uiScale, TestRects& rects);

}  // namespace bcmap
