// TextRenderer: draws map text (labels, legend, title, attribution) from FontAtlas images
// with OpenGL 3.3 core. Every call needs the context the renderer was initialised in to be
// current. Per frame: begin(), addText() for each string, end() — one draw call per font
// used, halos first and fills after, so no label's halo covers another label's letters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"

namespace bcmap {

class FontAtlas;

enum class TextAnchorX : uint8_t { Left = 0, Center = 1, Right = 2 };
enum class TextAnchorY : uint8_t { Baseline = 0, Top = 1, Middle = 2, Bottom = 3 };

struct TextStyle {
  Rgba color{25, 25, 25, 255};
  Rgba haloColor{255, 255, 255, 255};
  float haloWidthPx = 0;  // 0: no halo; clamped to TextRenderer::kMaxHaloWidthPx
  float sizePx = 0;       // pixels per em; 0: the atlas's own size (crispest)
  TextAnchorX anchorX = TextAnchorX::Left;
  // Top/Bottom use the font's ascender/descender, so labels of one font line up
  // whatever their letters; Middle is halfway between them.
  TextAnchorY anchorY = TextAnchorY::Baseline;
  int font = 0;  // id returned by TextRenderer::addFont
};

// One addText call as the renderer drew it, for a vector back end (Export's SVG) and tests:
// the style resolved to what the call meant in pixels.
struct TextRecord {
  std::string text;  // UTF-8, as given
  Vec2 anchorPx;     // as given (pixels, y down)
  TextAnchorX anchorX = TextAnchorX::Left;
  TextAnchorY anchorY = TextAnchorY::Baseline;
  double baselineYPx = 0;  // where the baseline went (anchorY applied with the font's metrics)
  float sizePx = 0;        // pixels per em as drawn
  bool bold = false;       // the atlas's face is a bold one
  std::string fontFamily;  // the atlas's face, e.g. "Noto Sans CJK SC"
  Rgba color, haloColor;
  float haloWidthPx = 0;   // clamped as drawn; 0: no halo
};

class TextRenderer {
 public:
  // Halos wider than this look like blobs at map label sizes; 4 also bounds the shader's
  // neighbourhood loop (at most 11 x 11 texel fetches per halo fragment).
  static constexpr float kMaxHaloWidthPx = 4.0f;

  TextRenderer();
  ~TextRenderer();  // calls release(): the context must still be current if init() ran
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  // Compiles the text shaders and creates buffers. False with a message on error.
  bool init(std::string* err);
  void release();
  // Registers an atlas (not owned; it must outlive this renderer). Text whose code points
  // are not in the atlas yet is added to it (rebuilt) at end(); a changed
  // FontAtlas::generation() is re-uploaded. Returns the id for TextStyle::font.
  int addFont(FontAtlas* atlas);

  // Starts a batch for a framebuffer of the given size (pixels, origin top-left, y down).
  void begin(int fbWidthPx, int fbHeightPx);
  // Queues one line of text; `anchorPx` is the point the style's anchor refers to.
  // Positions are snapped to whole pixels so unscaled text stays crisp.
  void addText(std::string_view utf8, Vec2 anchorPx, const TextStyle& style);
  // Every addText call since the last begin(), in order (kept after end()).
  const std::vector<TextRecord>& record() const;
  // Draws everything queued since begin() into the bound framebuffer (the viewport should
  // be 0, 0, fbWidthPx, fbHeightPx). Leaves blending on with premultiplied alpha (ONE,
  // ONE_MINUS_SRC_ALPHA, like the map layers) and depth test off; unbinds its objects.
  void end();

  // The pixel box addText(utf8, anchorPx, style) would cover, halo included, for label
  // collision. Empty for text with no ink.
  Bounds measureBox(std::string_view utf8, Vec2 anchorPx, const TextStyle& style) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcmap
