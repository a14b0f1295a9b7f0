// StyleEditor: the "样式 Style" section of a loaded layer's row in the layer panel (issue
// 4) — how the user restyles a layer: kind (单一 single colour, 分类 categorized, 分级
// graduated), field, classification method and number of classes, colour ramp with a
// preview strip (colour-blind-safe ramps first and marked), reversed, custom breaks, point
// size by a numeric field, hexagon aggregation for point layers, and "reset to the layer's
// style".
//
// The section edits a draft StyleSpec per layer (seeded from the layer's user style, or
// from the plugin's style when there is none: its kind and field, and in place of a ramp
// the plugin's own colours, each with its legend text, until the user changes something —
// issue 10: the counties' own colours were shown as "Ramp YlGnBu") and, for every change, returns a
// StyleEditRequest that the main loop applies with applyStyleChange() (host/StyleHistory.h:
// LayerStore::setUserStyle plus the undo history). A slider or colour picker being dragged
// asks with `ongoing` set, so the whole drag is one undo step. When the layer's style changes
// elsewhere (Ctrl+Z, a session) the draft follows it.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "style/Style.h"
#include "ui/UiRect.h"

namespace bcmap {

struct Layer;

struct StyleEditRequest {
  std::string layerId;
  std::optional<StyleSpec> spec;  // nullopt: back to the plugin's style
  bool ongoing = false;           // part of a drag still in progress
};

struct StyleEditorState {
  struct Draft {
    StyleSpec spec;                   // what the widgets show
    std::optional<StyleSpec> basis;   // the layer's user style when the draft was last in step
    std::string breaksText;           // the custom breaks field as typed
    std::string breaksError;          // why the typed breaks were refused
    // Whether the user picked the ramp (or it came with a user style): until then a change
    // of kind or field moves it to the ramp that suits (defaultRampFor: names and codes a
    // qualitative one, amounts a sequential one).
    bool rampChosen = false;
    // Distinct values of the categorized field (for the ramp's colour-blind-safe mark),
    // counted once per field and layer generation, not every frame.
    std::string countedField;
    uint64_t countedGeneration = 0;
    size_t distinctValues = 0;
  };
  std::map<std::string, Draft> drafts;        // by layer id
  std::map<std::string, std::string> errors;  // by layer id: why the last request was refused
  // Where the last draw put the kind radio buttons, each with its label (window units;
  // empty when not drawn), for the tests.
  std::array<UiRect, 3> kindRadios;
  // Every text the last draw put in the section (labels, checkboxes, buttons, the shown
  // value of each combo), with the room it had: the text lies whole within `room` or is cut
  // (issue 10: "颜色 C…", "Natural breaks (Jen"). Window units; for the tests.
  struct ShownText {
    std::string text;
    UiRect drawn, room;
  };
  std::vector<ShownText> shownTexts;
  // The class colours the last draw showed under the ramp box: the ramp's strip, or, while
  // the layer has no user style, the plugin's own categories or classes. For the tests.
  std::vector<Rgba> swatches;
};

// Draws the widgets for `layer` (call inside the panel's window, e.g. under a TreeNode).
// Returns the change the user made this frame, if any.
std::optional<StyleEditRequest> drawStyleEditor(StyleEditorState& state, const Layer& layer, float uiScale);

}  // namespace bcmap
