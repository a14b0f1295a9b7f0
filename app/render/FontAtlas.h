// FontAtlas: CPU side of map text. Finds a Simplified-Chinese font through fontconfig,
// rasterises a chosen set of code points with FreeType and packs them into one
// single-channel (R8) coverage image; the TextRenderer uploads it. No GL in here.
//
// Sections: font discovery (FontFace, findCjkFont) · the glyph set (decodeUtf8,
// baseCodepoints) · building and growing the atlas · metrics and measuring.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

enum class FontWeight : uint8_t { Invalid = 0, Regular = 1, Bold = 2 };

// One face of one font file (a .ttc collection holds several; faceIndex picks one).
struct FontFace {
  std::string path;
  int faceIndex = 0;
  std::string family;  // FreeType's family name of that face, e.g. "Noto Sans CJK SC"
  std::string style;   // e.g. "Regular", "Bold"
};

// One rasterised glyph. Pixel units at the atlas's pixel size; y down like the screen.
struct Glyph {
  char32_t codepoint = 0;
  float advancePx = 0;  // pen advance after this glyph
  int bearingXPx = 0;   // bitmap left edge relative to the pen
  int bearingYPx = 0;   // bitmap top edge above the baseline (positive = up, FreeType's sense)
  int widthPx = 0;      // bitmap size; 0 x 0 for blank glyphs such as the space
  int heightPx = 0;
  int atlasX = 0;       // bitmap top-left in the atlas image
  int atlasY = 0;
  float u0 = 0, v0 = 0, u1 = 0, v1 = 0;  // normalised; v0 is the bitmap's top row
};

struct TextMetrics {
  float widthPx = 0;    // sum of advances (the layout width)
  float ascentPx = 0;   // font ascender above the baseline (positive), same for every string
  float descentPx = 0;  // font descender below the baseline (positive)
  // Inked pixels relative to the pen origin on the baseline, y down; empty for blank text.
  Bounds ink;
};

class FontAtlas {
 public:
  FontAtlas();
  ~FontAtlas();
  // A moved-from atlas may only be destroyed or assigned to.
  FontAtlas(FontAtlas&&) noexcept;
  FontAtlas& operator=(FontAtlas&&) noexcept;
  FontAtlas(const FontAtlas&) = delete;
  FontAtlas& operator=(const FontAtlas&) = delete;

  // A face that covers Simplified Chinese, found through fontconfig. Preference:
  // "Noto Sans CJK SC", other "Noto Sans CJK" faces, "WenQuanYi Micro Hei",
  // "Source Han Sans SC", then any zh-cn font; sans before serif, proportional before
  // mono, nearest weight first. In a pan-CJK collection (.ttc) the face whose family
  // names SC is chosen (checked with FreeType). Bold: nullopt when no bold zh-cn face
  // exists (the caller falls back to Regular).
  static std::optional<FontFace> findCjkFont(std::string* err,
                                             FontWeight weight = FontWeight::Regular);

  // UTF-8 to code points. Invalid, overlong, surrogate or truncated sequences become
  // U+FFFD (one per maximal invalid subpart, as Unicode recommends); never fails.
  static std::u32string decodeUtf8(std::string_view utf8);
  static std::string encodeUtf8(std::u32string_view text);
  // Printable ASCII, U+FFFD and the symbols map furniture uses (° · — – ‘ ’ “ ” 、 ， （ ） ² ×).
  static std::vector<char32_t> baseCodepoints();
  // Appends the code points of `utf8` that `out` does not hold yet (controls skipped).
  static void appendCodepoints(std::string_view utf8, std::vector<char32_t>* out);

  // Rasterises `codepoints` (plus the replacement glyph and the space) from `face` at
  // `pixelSize` (pixels per em) and packs them. Code points the face lacks are
  // remembered as unavailable and logged once. False with a message on error (the
  // atlas is then empty).
  bool build(const FontFace& face, float pixelSize, const std::vector<char32_t>& codepoints,
             std::string* err);
  // Adds code points (e.g. new label text) and rebuilds the image if any of them is new
  // and available in the face; generation() changes only when the image changed.
  bool addCodepoints(const std::vector<char32_t>& codepoints, std::string* err);
  bool addText(std::string_view utf8, std::string* err);

  // The glyph for `cp` in the atlas, or nullptr (not built yet, or the face lacks it).
  const Glyph* glyph(char32_t cp) const;
  // What the renderer draws for a code point the face lacks: the face's U+FFFD, or its
  // .notdef box when it has none (Noto Sans CJK), so a gap is visible rather than a silent
  // "?". Null only before a successful build().
  const Glyph* replacementGlyph() const;
  // True only if the face really has an outline for `cp` (FT_Get_Char_Index != 0).
  bool hasGlyph(char32_t cp) const;
  // Distinct code points of `text` that have no glyph in the atlas (not added yet, or
  // unavailable in the face), in order of first appearance.
  std::vector<char32_t> missing(std::u32string_view text) const;

  // Metrics at the atlas's pixel size. Unavailable code points measure as replacementGlyph().
  TextMetrics measure(std::string_view utf8) const;
  TextMetrics measure(std::u32string_view text) const;

  bool empty() const;
  int width() const;
  int height() const;
  const uint8_t* pixels() const;  // width() * height() bytes, row 0 at the top
  size_t glyphCount() const;
  float pixelSize() const;
  float ascentPx() const;
  float descentPx() const;
  float lineHeightPx() const;
  const FontFace& face() const;
  // Increments whenever pixels or glyph positions change (the GL side re-uploads).
  uint64_t generation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcmap
