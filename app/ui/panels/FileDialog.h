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
// Its second tab, "数据库 Database", opens a table on a PostgreSQL/PostGIS server as a layer,
// as `bcmap PG:...` does (io/DbSource.h): host, port, database, user, password (masked) and
// table (schema.name), or one PG:"…" / postgresql://… string that, when given, is used
// instead. "表 Tables" lists the server's tables with a geometry column (geometry_columns) on
// a thread of its own, so a slow or silent server never holds the window (the connection's
// timeouts end it; the window keeps drawing meanwhile); one picked fills the table field.
// Open hands the main loop the source with its password as *** (the real one stays in this
// process: rememberDbPassword), so the layer's path, the session, the log and the recent
// files never hold it; the host joins the hosts the network guard lets connect (the user
// named it).
//
// Sections: 1. the listing (no ImGui; unit-tested), 2. the database form (no ImGui;
// unit-tested), 3. the window.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/RecentFiles.h"
#include "io/DbSource.h"
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

// ---- 2. the database form ---------------------------------------------------------------------
struct DbForm {
  std::string connection;  // PG:"…" or postgresql://…: when given, the fields are not used
  std::string host, port, database, user, password;
  std::string table;  // schema.name or name (public); also added to a connection string without one
};
// The source the form names; `needTable` false for listing the server's tables. err says
// what is missing or malformed, never the password.
std::optional<DbSource> dbSourceOfForm(const DbForm& form, bool needTable, std::string* err);

// A "Tables" request on its own thread; the window polls it each frame.
struct DbTablesJob;

// ---- 3. the window --------------------------------------------------------------------------
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
  // The database tab.
  DbForm db;
  std::string dbMessage;                // why the last Tables or Open did not work
  std::vector<std::string> dbTables;    // the last Tables answer (schema.name)
  std::shared_ptr<DbTablesJob> dbJob;   // a Tables request still running, else null
};

struct FileDialogResult {
  std::optional<std::string> open;  // a file to open as a layer (absolute path)
  // The window just appeared: ImGui needs a few more frames before the field holds the
  // keyboard, so the main loop draws them without waiting for input.
  bool settling = false;
};

// Draws the window while `*open` (PanelToggles::openFile); opening a file closes it.
// Reports "files.window", "files.tab.files", "files.tab.database"; on the files tab
// "files.path", "files.up", "files.all", "files.entry.<n>", "files.recent.<n>",
// "files.open", "files.cancel" and the facts "files.folder", "files.entry.<n>" ("dir name"
// or "file name"), "files.recent.<n>" (the path, "(missing) " before one that is gone),
// "files.open" ("enabled" or "disabled") and "files.message"; on the database tab
// "files.db.connection", "files.db.host", "files.db.port", "files.db.database",
// "files.db.user", "files.db.password", "files.db.table", "files.db.tables",
// "files.db.table.<n>", "files.db.open", "files.db.cancel" and the facts "files.db.source"
// (what Open would open, password as ***), "files.db.table.<n>", "files.db.listing"
// ("running" while Tables waits) and "files.db.message". While Tables waits, `settling`
// keeps the frames coming.
FileDialogResult drawFileDialog(bool* open, FileDialogState& s, float uiScale, TestRects& rects);

}  // namespace bcmap
