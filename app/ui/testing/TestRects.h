// TestRects: where the panels drew what (window units), and facts they report, for the
// interactive tests only: TestHooks writes them into the state file so the Xvfb tests know
// where to click and what to mask. Panels report into it; nothing in the viewer reads it
// back to decide anything (a panel whose place the layout needs returns it instead).
//
// Lifetime: the viewer keeps one across frames. The named rectangles and facts are cleared
// before each frame's panels draw; each panel resets its own fields when it draws (the
// layer rows and settings, the time slider's rectangles, the tooltip).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ui/UiRect.h"

namespace bcmap {

// Where one layer's controls are in the layer panel (empty when not drawn).
struct LayerRowRects {
  std::string id;
  UiRect checkbox, up, down;
  UiRect settingsNode, legendNode;  // the "设置 Settings" and "图例 Legend" headers
};

// Where one declared setting's widget is (empty while its section is closed).
struct SettingRect {
  std::string layerId, key;
  UiRect widget;
};

struct TestRects {
  // The layer panel (LayerPanel, LayerSettings).
  std::vector<LayerRowRects> layerRows;  // in panel order, top first
  std::vector<SettingRect> settingRects;
  UiRect layerPanel;
  UiRect crsCombo, crsField;  // empty while the CRS section is collapsed
  // The status bar and the hover tooltip (empty when none is shown).
  UiRect statusBar, tooltip;
  // The time slider (empty: no slider).
  UiRect timeWindow, timeSlider, timePlay, timeAll, timeSpeed, timeMode;
  float timeFirstX = 0, timeLastX = 0;  // the slider grab's centre at kTimeFirstDay / kTimeLastDay
  bool timeSliderHeld = false;          // the slider is being dragged
  bool textInput = false;               // a text field has the keyboard (ImGui's WantTextInput)
  // Other panels' widgets by name ("search.field", "inspector.window", ...) and facts
  // ("inspector.title.0"), cleared each frame before the panels draw.
  std::map<std::string, UiRect> named;
  std::map<std::string, std::string> facts;
};

}  // namespace bcmap
