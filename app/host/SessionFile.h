// SessionFile: what a session remembers — each layer's visibility, opacity, place in the
// draw order, setting values, user style and selected features, files opened as layers,
// the view, the display CRS, the time slider and the viewer's panels — in a small JSON file
// a person can read and edit. The viewer (app/ui/Session.h) and `bcmap render --session`
// both read it through here; the command line never reads a session it was not given.
//
// Sections: 1. the data  2. the file  3. applying the layers to a LayerStore
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/FeatureTable.h"
#include "model/TimeRange.h"

namespace bcmap {

class LayerStore;
class PluginHost;

// ---- 1. the data ---------------------------------------------------------------------------
struct LayerSession {
  std::string id;
  bool visible = true;
  float opacity = 1.0f;
  int order = 0;  // place in the draw order, 0 drawn first (the bottom of the panel's list)
  std::vector<std::pair<std::string, std::string>> settings;  // key, value (string form)
  std::string file;    // a layer opened from a file: its path ("" for plugin layers)
  bool gcj02 = false;  // that file's coordinates are GCJ-02
  std::string style;   // the user's style as JSON text (StyleSpec); "" = the plugin's own
  std::vector<std::string> selected;  // ids of the selected features
};

// The viewer's panels (restored only by the viewer).
struct PanelSession {
  bool legend = true, inset = true, search = true, navigation = false, chart = false, log = false;
  float uiScale = 1.0f;
  // The docks around the map (ui/Layout.h): widths in logical pixels, collapsed or not;
  // where the legend is. Written as "panels": {"dock": {...}, "legendOnCanvas": ...}.
  bool hasDock = false;
  float leftDockWidth = 310.0f, rightDockWidth = 250.0f;
  bool leftCollapsed = false, rightCollapsed = false, bottomCollapsed = false;
  bool legendOnCanvas = false;
};

struct SessionData {
  std::string displayCrs;        // "" when not saved
  bool hasView = false;
  Vec2 center;                   // display CRS units
  double unitsPerPixel = 0;      // display CRS units per framebuffer pixel
  int viewWidthPx = 0;           // the map canvas it was seen in (0: not saved, older files)
  int viewHeightPx = 0;
  bool timeAll = true;           // the time slider's "全部 All"
  int32_t day = kTimeLastDay;    // the slider's day
  int timeSpeed = 1;             // index into kTimeSpeeds
  TimeMode timeMode = TimeMode::Span;
  int32_t windowDays = 365;
  bool dateCounter = true;
  bool hasPanels = false;
  PanelSession panels;
  std::vector<LayerSession> layers;  // in draw order
  TimeFilter timeFilter() const { return TimeFilter{timeAll ? kNoDay : day, timeMode, windowDays}; }
};

// ---- 2. the file ---------------------------------------------------------------------------
// Limits on what a session may be (issue 12: a hostile or broken file is refused with the
// reason, never read without bound). A session a person saved is a few kilobytes: one
// member per layer and setting, the selected features' ids.
inline constexpr size_t kMaxSessionBytes = size_t{16} << 20;  // 16 MiB
inline constexpr size_t kMaxSessionLayers = 1000;              // layers in one session
inline constexpr size_t kMaxSessionDepth = 64;                 // JSON nesting (a style needs ~6)

// Where the viewer's own session lives: $BCMAP_SESSION, else $XDG_CONFIG_HOME/bcmap/
// session.json, else ~/.config/bcmap/session.json; "" when none of them is set.
std::string sessionFilePath();

std::string sessionToJson(const SessionData& s);
// Parses a session. Unknown members are ignored and missing ones keep their defaults, so
// an older or hand-edited file still loads; nullopt and `err` only when the text is not a
// JSON object, a member has the wrong type, or the text passes a limit above (longer than
// kMaxSessionBytes, nested deeper than kMaxSessionDepth, more than kMaxSessionLayers layers).
std::optional<SessionData> sessionFromJson(std::string_view text, std::string* err);

// Writes atomically (a temporary file renamed over the old one), making the folder. False
// and `err` ("session <path>: reason") on failure.
bool saveSession(const std::string& path, const SessionData& s, std::string* err);
// Reads a session file. nullopt with `err` empty when the file does not exist; with `err`
// ("session <path>: reason") when it cannot be read or parsed, is no regular file (a FIFO,
// a device, a folder: refused without reading, so it never blocks), or is larger than
// kMaxSessionBytes.
std::optional<SessionData> loadSession(const std::string& path, std::string* err);
// A session file that could not be read is kept, not overwritten by the next save: renamed
// to "<path>.bad-YYYYMMDD-HHMMSS" (UTC; "-2", "-3", ... when that name is taken). Returns
// the new name; "" with `err` set when it could not be renamed. Only a regular file is
// moved: anything else at `path` (a FIFO, /dev/zero, a folder) is left where it is.
std::string setAsideBadSession(const std::string& path, std::string* err);

// ---- 3. applying the layers ----------------------------------------------------------------
// Restores the layers: files the session opened are opened again (`host` serves them; a file
// that is gone becomes a failed layer saying so), a plugin layer the session names that is
// not there any more becomes a "missing" layer in its place, nothing else is lost; setting
// values (a layer that is loaded or failed is reloaded when any value changed; a pending one
// gets them at its first load); visibility (unless `restoreVisibility` is false); opacity;
// user styles; draw order (layers the session does not know keep their place). Returns the
// number of layers restored.
int restoreLayers(const SessionData& s, LayerStore& store, PluginHost* host, bool restoreVisibility);

// The selection the session saved, as (layer id, feature index) for the layers now loaded
// (only `onlyLayer`'s when given: the viewer's layers load one by one on loader threads,
// and each one's selection is restored as it arrives).
std::vector<std::pair<std::string, size_t>> restoreSelection(const SessionData& s, LayerStore& store,
                                                             std::string_view onlyLayer = {});

}  // namespace bcmap
