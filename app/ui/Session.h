// Session: what the viewer remembers between runs — each plugin layer's visibility,
// opacity, place in the draw order and setting values, the view, the display CRS and the
// time slider — in a small JSON file the user can read and edit:
//   $BCMAP_SESSION, else $XDG_CONFIG_HOME/bcmap/session.json, else ~/.config/bcmap/session.json
// The viewer reads it at start (when it exists) and writes it on Ctrl+S and on exit; the
// command line never reads it, so scripts stay reproducible.
//
// What is restored, and what the command line overrides:
//   - layers are matched by id; a saved layer that no longer exists, or a saved setting the
//     layer no longer declares, is ignored with a line in the log;
//   - layers opened from FILE arguments or dropped files are not saved (their ids come from
//     file names, which may mean another file next time);
//   - `--layers` wins over the saved visibility; `--crs` or FILE arguments win over the
//     saved display CRS and view (the viewer frames the files instead).
//
// Sections: 1. the data  2. the file  3. from and to the viewer
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ui/ViewerState.h"

namespace bcmap {

class LayerStore;

// ---- 1. the data ---------------------------------------------------------------------------
struct LayerSession {
  std::string id;
  bool visible = true;
  float opacity = 1.0f;
  int order = 0;  // place in the draw order, 0 drawn first (the bottom of the panel's list)
  std::vector<std::pair<std::string, std::string>> settings;  // key, value (string form)
};

struct SessionData {
  std::string displayCrs;        // "" when not saved
  bool hasView = false;
  Vec2 center;                   // display CRS units
  double unitsPerPixel = 0;      // display CRS units per framebuffer pixel
  bool timeAll = true;           // the time slider's "全部 All"
  int32_t day = kTimeLastDay;    // the slider's day
  int timeSpeed = 1;             // index into kTimeSpeeds
  std::vector<LayerSession> layers;  // in draw order
};

// ---- 2. the file ---------------------------------------------------------------------------
// Where the session lives (see the top of this file); "" when neither BCMAP_SESSION,
// XDG_CONFIG_HOME nor HOME is set.
std::string sessionFilePath();

std::string sessionToJson(const SessionData& s);
// Parses a session. Unknown members are ignored and missing ones keep their defaults, so
// an older or hand-edited file still loads; nullopt and `err` only when the text is not a
// JSON object or a member has the wrong type.
std::optional<SessionData> sessionFromJson(std::string_view text, std::string* err);

// Writes atomically (a temporary file renamed over the old one), making the folder. False
// and `err` ("session <path>: reason") on failure.
bool saveSession(const std::string& path, const SessionData& s, std::string* err);
// Reads a session file. nullopt with `err` empty when the file does not exist; with `err`
// ("session <path>: reason") when it cannot be read or parsed.
std::optional<SessionData> loadSession(const std::string& path, std::string* err);

// ---- 3. from and to the viewer -------------------------------------------------------------
// The viewer's state as a session (plugin layers only; applied setting values, not drafts).
SessionData captureSession(ViewerState& st);

// Restores the layers: setting values (a layer that is loaded or failed is reloaded when any
// value changed; a pending one gets them at its first load), visibility (unless
// `restoreVisibility` is false), opacity and draw order (layers the session does not know
// keep their place). Returns the number of layers restored.
int restoreLayers(const SessionData& s, LayerStore& store, bool restoreVisibility);

// Restores the display CRS (false when PROJ does not know it any more; the state is then
// unchanged). Call before the view is first framed.
bool restoreDisplayCrs(const SessionData& s, ViewerState& st);
// Restores the view's centre and resolution when the session's CRS is the one shown now.
bool restoreView(const SessionData& s, ViewerState& st);
// Restores the time slider (paused).
void restoreTime(const SessionData& s, ViewerState& st);

}  // namespace bcmap
