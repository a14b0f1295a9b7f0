#include "ui/UiFont.h"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <filesystem>

#include "host/LayerStore.h"
#include "model/Log.h"

namespace bcmap {

namespace {
// Rows of a text column whose glyphs a layer brings at load (see addLayers).
constexpr size_t kFontRowsMax = 100'000;
}  // namespace

bool UiFont::init(std::string* err) {
  std::optional<FontFace> face = FontAtlas::findCjkFont(err, FontWeight::Regular);
  if (!face) return false;
  face_ = *face;
  haveFace_ = true;
  for (char32_t cp : FontAtlas::baseCodepoints())
    if (cp < wanted_.size() && !wanted_[cp]) wanted_[cp] = true, ++count_;
  dirty_ = true;
  return true;
}

bool UiFont::addText(std::string_view utf8) {
  bool added = false;
  // Plain ASCII is always in the set: skip the decoding for it.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return false;
  for (char32_t cp : FontAtlas::decodeUtf8(utf8)) {
    if (cp >= wanted_.size() || wanted_[cp]) continue;  // beyond the BMP: ImWchar is 16-bit
    wanted_[cp] = true;
    ++count_;
    added = true;
  }
  dirty_ = dirty_ || added;
  return added;
}

void UiFont::addLayers(LayerStore& store, const std::string& displayCrs) {
  for (auto& lp : store.layers()) {
    Layer& l = *lp;
    const std::string key = l.id + "#" + std::to_string(l.generation) + "#" + layerStatusName(l.status) + "#" +
                            std::to_string(l.prepared.size()) + "#" + displayCrs;
    if (std::find(layerKeys_.begin(), layerKeys_.end(), key) != layerKeys_.end()) continue;
    layerKeys_.push_back(key);
    addText(l.nameZh);
    addText(l.nameEn);
    addText(l.error);
    addText(l.attribution);
    for (const AttributeColumn& c : l.table.columns) {
      addText(c.name);
      // Numbers and dates print as ASCII; only text columns can bring new glyphs.
      if (c.type != FieldType::String) continue;
      if (c.strings.coded()) {
        // A dictionary: its buffer holds each distinct value once, the whole column's text.
        addText(c.strings.bytes());
        continue;
      }
      // A big layer's rows are read up to kFontRowsMax: decoding 10M names took over half
      // a second of one frame (issue 11). Text shown later (a search result, a tooltip)
      // brings its own glyphs (ViewerFrame).
      const size_t rows = std::min(c.strings.size(), kFontRowsMax);
      for (size_t r = 0; r < rows; ++r) addText(c.strings[r]);
    }
    for (size_t r = 0; r < std::min(l.table.ids.size(), kFontRowsMax); ++r) addText(l.table.ids[r]);
    for (const LegendEntry& e : l.legend) addText(e.label);
    for (const LayerSetting& s : l.settings) {
      addText(s.label);
      addText(s.value);
      for (const std::string& o : s.options) addText(o);
    }
  }
}

void UiFont::rebuild(float sizePx) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFont* font = nullptr;
  std::error_code ec;
  if (haveFace_ && std::filesystem::is_regular_file(face_.path, ec)) {
    ImFontGlyphRangesBuilder builder;
    for (size_t cp = 1; cp < wanted_.size(); ++cp)
      if (wanted_[cp]) builder.AddChar(static_cast<ImWchar>(cp));
    ranges_.clear();
    builder.BuildRanges(&ranges_);
    ImFontConfig cfg;
    cfg.FontNo = face_.faceIndex;
    // CJK glyphs are dense: horizontal oversampling 2 keeps them crisp at small sizes
    // while the atlas stays a quarter of the default 3 x 1 for the same glyphs.
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    font = io.Fonts->AddFontFromFileTTF(face_.path.c_str(), sizePx, &cfg, ranges_.Data);
    if (!font) logWarning("UI font " + face_.path + ": ImGui could not load it; using its built-in font");
  }
  if (!font) {
    ImFontConfig cfg;
    cfg.SizePixels = sizePx;
    io.Fonts->AddFontDefault(&cfg);
  }
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  dirty_ = false;
}

}  // namespace bcmap
