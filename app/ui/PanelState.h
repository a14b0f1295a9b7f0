// PanelState: the small pieces of the viewer's state that panels take and return — the
// time slider's state, the layer settings being edited, which panels are open, the
// requests a panel makes (move a layer, apply a setting, start measuring). ViewerState
// holds one of each; a panel includes this header, not ViewerState.h, so it can be driven
// in a test without the rest of the viewer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "model/TimeRange.h"

namespace bcmap {

// A layer move the panel asks for: store indices (LayerStore::move).
struct LayerMove {
  size_t from = 0, to = 0;
};

// A setting value the panel asks to apply (LayerStore::setSetting).
struct SettingEdit {
  std::string layerId, key, value;
};

// The time slider (TimeSlider.h): the day every time-aware layer is filtered to.
struct TimeState {
  bool all = true;              // "全部 All": no filter (FrameOptions::day = kNoDay)
  int32_t day = kTimeLastDay;   // the slider's day, kept while `all` is on
  bool playing = false;
  int speed = 1;                // index into kTimeSpeeds
  double playDay = 0;           // the day with its fraction while playing
  double lastTickSec = 0;       // when playDay last advanced (glfwGetTime)
  double nextStepSec = 0;       // when the next shown day is due while playing
  bool shown = false;           // some loaded layer has time: the slider is on screen
  TimeMode mode = TimeMode::Span;  // how the day selects features (FeatureTable.h)
  int32_t windowDays = 365;        // TimeMode::Window's length
  bool counter = true;             // the on-map date counter while playing
  // The date typed in place of the shown one (a click on it): editing while true.
  bool dateEditing = false;
  std::array<char, 16> dateText{};
  bool dateRefused = false;        // the last Enter held no date in the campaign's years
  bool dateFocused = false, dateAskedLast = false;  // the field's keyboard focus request
  int32_t filterDay() const { return all ? kNoDay : day; }
  TimeFilter filter() const { return TimeFilter{filterDay(), mode, windowDays}; }
};

// A layer's settings being edited in the layer panel (LayerSettings.h), keyed by
// settingKey(layer id, setting key). A draft is a value being edited (a slider held, a
// colour picked, text typed) that is not applied yet.
struct LayerSettingsState {
  std::map<std::string, std::string> drafts;
  std::map<std::string, std::string> errors;      // the plugin refused the value (update())
  std::map<std::string, std::string> lastEdited;  // layer id -> the key changed last
  std::vector<SettingEdit> requested;             // applied by the main loop between frames
};

// The windows and overlays the menu bar switches on and off.
struct PanelToggles {
  bool legend = true;      // in its dock on the right, or on the map (legendOnCanvas)
  bool legendOnCanvas = false;  // drawn on the map by MapFrame, as in exports, not docked
  bool inset = true;       // the overview map
  bool search = true;
  bool navigation = false;  // go to / copy coordinate / back and forward
  bool log = false;
  bool help = false;       // F1
  bool exportDialog = false;
  bool chart = false;      // counts per county over time
  bool measure = false;
  bool pluginFolders = false;  // 插件 Plugins ▸ Add plugin folder…
  bool crs = false;        // the display CRS window (View menu, the status bar's CRS label)
  bool openFile = false;       // 文件 File ▸ Open… (Ctrl+O)
};

// The panels' font size in logical pixels (ImGui's default is 13; CJK needs a little more).
inline constexpr float kUiFontPx = 15.0f;

// A measurement the menu (or the M key) asks to start.
enum class MeasureRequest { None, Distance, Area };

// The key of a layer's setting in LayerSettingsState::drafts / errors.
inline std::string settingKey(const std::string& layerId, const std::string& key) { return layerId + '\n' + key; }

}  // namespace bcmap
