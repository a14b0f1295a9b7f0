// UiFont: the panels' font — the Simplified-Chinese face FontAtlas::findCjkFont picks
// (the map's labels use the same one), with only the glyphs the UI can show.
//
// Dear ImGui 1.86 bakes a fixed glyph set into its atlas, and a CJK face has tens of
// thousands of glyphs, so the set is built from the text itself: ASCII, every character
// written in app/ (ui_text::kSourceGlyphs, collected at build time by
// tools/collect_ui_glyphs.py, so a panel's words need no list), and every string the loaded
// layers can put on screen. When new text appears (a file is opened, a plugin describes a
// feature with words no attribute had), addText() notices the missing code points and the
// main loop rebuilds the atlas between frames.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

#include "render/FontAtlas.h"

namespace bcmap {

class LayerStore;

class UiFont {
 public:
  // Finds the face. False and `err` when fontconfig has no CJK face (ImGui's built-in
  // ASCII font is used then, and CJK text shows as '?').
  bool init(std::string* err);

  // Adds the code points of `utf8`; true when any of them is new (rebuild() is then due).
  bool addText(std::string_view utf8);
  // The names, attribute values, labels, legends, settings and errors of every layer.
  void addLayers(LayerStore& store, const std::string& displayCrs);
  bool rebuildDue() const { return dirty_; }

  // Rebuilds ImGui's atlas at `sizePx` (framebuffer pixels per em) and re-creates the
  // OpenGL texture. Call between frames (never between NewFrame and Render).
  void rebuild(float sizePx);
  size_t glyphCount() const { return count_; }

 private:
  FontFace face_;
  bool haveFace_ = false;
  std::vector<bool> wanted_ = std::vector<bool>(0x10000, false);  // ImWchar is 16-bit
  size_t count_ = 0;
  bool dirty_ = true;
  ImVector<ImWchar> ranges_;  // must outlive the atlas build
  std::vector<std::string> layerKeys_;  // "id#generation" already collected
};

}  // namespace bcmap
