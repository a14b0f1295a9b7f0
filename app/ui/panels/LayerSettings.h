// LayerSettings: the "设置 Settings" section of a layer's row in the layer panel — one
// ImGui widget per setting the plugin declared (bcmap_setting_v1): a checkbox (bool), a
// slider over the declared range or a number field (int, float), a combo (enum), a colour
// swatch with a picker (colour), a validated date field (date), a path field with "Apply"
// (path) and a text field (text).
//
// When a value is applied: at once for a checkbox or a combo; when the user lets go for a
// slider, a number field or the colour picker (so a drag does not reload the layer every
// frame); on Enter or leaving the field for text and dates; on Enter or "Apply" for paths.
// Until then the value is a draft in LayerSettingsState::drafts. Applying leaves a
// SettingEdit in LayerSettingsState::requested for the main loop (LayerStore::setSetting);
// what went wrong shows under the widget (settingErrorText).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "ui/PanelState.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

struct Layer;

// Draws the widgets of every setting of `layer` (call inside the panel's window); reports
// each widget's place in rects.settingRects.
void drawLayerSettings(LayerSettingsState& settings, Layer& layer, float uiScale, TestRects& rects);

// What shows under a setting's widget: the plugin's refusal of the value, or, for the
// setting changed last, why the layer failed to load with it ("" when all is well).
std::string settingErrorText(const LayerSettingsState& settings, const Layer& layer, const std::string& key);

// "#rrggbb" or "#rrggbbaa" (either case) -> RGBA 0..1; nullopt for anything else.
std::optional<std::array<float, 4>> parseColourSetting(const std::string& text);
// RGBA 0..1 -> "#rrggbb", or "#rrggbbaa" when `withAlpha`.
std::string formatColourSetting(const std::array<float, 4>& rgba, bool withAlpha);

}  // namespace bcmap
