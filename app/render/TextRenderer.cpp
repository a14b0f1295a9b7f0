// TextRenderer — sections: layout (shared by drawing and measuring) ·
// GL resources · batching and drawing.
#include "render/TextRenderer.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <unordered_set>
#include <vector>

#include "model/Log.h"
#include "render/FontAtlas.h"
#include "render/ShaderProgram.h"

namespace bcmap {
namespace {

// ---------------------------------------------------------------------------------
// Layout

// One vertex; matches the attribute locations in shaders/text.vert.
struct Vertex {
  float x, y;          // framebuffer pixels, y down
  float u, v;          // atlas
  uint8_t rgba[4];     // straight alpha
  float haloTexels;    // 0: fill; >0: halo radius in atlas texels
  float rect[4];       // the glyph's own bitmap in the atlas (u0, v0, u1, v1)
};

struct Quad {
  float x0, y0, x1, y1;  // pixels
  const Glyph* glyph;
};

struct Layout {
  float scale = 1;
  float haloPx = 0;       // clamped
  float haloTexels = 0;   // haloPx in atlas texels
  std::vector<Quad> quads;
};

bool isControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

// Places the glyphs of `text` the way end() draws them; measureBox() uses the same code
// so a collision box always matches the pixels.
Layout layoutText(const FontAtlas& atlas, std::u32string_view text, Vec2 anchor,
                  const TextStyle& style) {
  Layout out;
  const float base = atlas.pixelSize();
  if (base <= 0) return out;
  out.scale = style.sizePx > 0 ? style.sizePx / base : 1.0f;
  out.haloPx = std::clamp(style.haloWidthPx, 0.0f, TextRenderer::kMaxHaloWidthPx);
  out.haloTexels = out.haloPx / out.scale;
  const float s = out.scale;

  std::vector<const Glyph*> glyphs;
  glyphs.reserve(text.size());
  float advance = 0;
  for (char32_t cp : text) {
    if (isControl(cp)) continue;
    const Glyph* g = atlas.glyph(cp);
    if (!g) g = atlas.replacementGlyph();
    if (!g) continue;
    glyphs.push_back(g);
    advance += g->advancePx;
  }
  const float width = advance * s;
  double x = anchor.x, y = anchor.y;
  switch (style.anchorX) {
    case TextAnchorX::Left: break;
    case TextAnchorX::Center: x -= width * 0.5; break;
    case TextAnchorX::Right: x -= width; break;
  }
  switch (style.anchorY) {
    case TextAnchorY::Baseline: break;
    case TextAnchorY::Top: y += atlas.ascentPx() * s; break;
    case TextAnchorY::Bottom: y -= atlas.descentPx() * s; break;
    case TextAnchorY::Middle: y += (atlas.ascentPx() - atlas.descentPx()) * 0.5 * s; break;
  }
  // Whole-pixel pen and baseline: at scale 1 every texel lands on one pixel.
  const float originX = static_cast<float>(std::round(x));
  const float baseline = static_cast<float>(std::round(y));
  float pen = 0;
  for (const Glyph* g : glyphs) {
    if (g->widthPx > 0 && g->heightPx > 0) {
      const float gx = std::round(originX + pen * s);
      Quad q;
      q.x0 = gx + static_cast<float>(g->bearingXPx) * s;
      q.y0 = baseline - static_cast<float>(g->bearingYPx) * s;
      q.x1 = q.x0 + static_cast<float>(g->widthPx) * s;
      q.y1 = q.y0 + static_cast<float>(g->heightPx) * s;
      q.glyph = g;
      out.quads.push_back(q);
    }
    pen += g->advancePx;
  }
  return out;
}

// How far (texels) a halo quad reaches beyond its bitmap. text.frag's weight is zero once
// a texel centre is r + 1 away, and edge texel centres sit half a texel inside the bitmap,
// so the halo ends within r + 0.5 texels of the edge.
float haloMarginTexels(float haloTexels) { return std::ceil(haloTexels) + 1.0f; }

void emitQuad(std::vector<Vertex>* out, const Quad& q, float marginTexels, float scale,
              float haloTexels, const Rgba& c, float atlasW, float atlasH) {
  const Glyph& g = *q.glyph;
  const float mx = marginTexels * scale, mu = marginTexels / atlasW, mv = marginTexels / atlasH;
  const float x0 = q.x0 - mx, x1 = q.x1 + mx, y0 = q.y0 - mx, y1 = q.y1 + mx;
  const float u0 = g.u0 - mu, u1 = g.u1 + mu, v0 = g.v0 - mv, v1 = g.v1 + mv;
  auto v = [&](float x, float y, float u, float w) {
    Vertex vx{x, y, u, w, {c.r, c.g, c.b, c.a}, haloTexels, {g.u0, g.v0, g.u1, g.v1}};
    out->push_back(vx);
  };
  v(x0, y0, u0, v0);
  v(x1, y0, u1, v0);
  v(x1, y1, u1, v1);
  v(x0, y0, u0, v0);
  v(x1, y1, u1, v1);
  v(x0, y1, u0, v1);
}

struct Font {
  FontAtlas* atlas = nullptr;
  GLuint texture = 0;
  uint64_t uploadedGeneration = 0;
  bool uploaded = false;
  int texW = 0, texH = 0;
};

struct Item {
  int font = 0;
  std::u32string text;
  Vec2 anchor;
  TextStyle style;
};

}  // namespace

// ---------------------------------------------------------------------------------
// GL resources

struct TextRenderer::Impl {
  ShaderProgram program;
  GLuint vao = 0, vbo = 0;
  GLint uViewport = -1, uAtlas = -1;
  std::vector<Font> fonts;
  std::vector<Item> items;
  std::vector<TextRecord> record;  // the addText calls since begin()
  int fbW = 0, fbH = 0;
  bool inBatch = false;
  std::vector<Vertex> vertices;

  void upload(Font& f) {
    const FontAtlas& a = *f.atlas;
    if (a.empty() || (f.uploaded && f.uploadedGeneration == a.generation())) return;
    if (!f.texture) glGenTextures(1, &f.texture);
    glBindTexture(GL_TEXTURE_2D, f.texture);
    GLint oldAlign = 4;
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &oldAlign);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (f.texW == a.width() && f.texH == a.height()) {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, a.width(), a.height(), GL_RED, GL_UNSIGNED_BYTE,
                      a.pixels());
    } else {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, a.width(), a.height(), 0, GL_RED, GL_UNSIGNED_BYTE,
                   a.pixels());
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      f.texW = a.width();
      f.texH = a.height();
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, oldAlign);
    f.uploaded = true;
    f.uploadedGeneration = a.generation();
  }
};

TextRenderer::TextRenderer() : impl_(std::make_unique<Impl>()) {}

TextRenderer::~TextRenderer() { release(); }

bool TextRenderer::init(std::string* err) {
  Impl& d = *impl_;
  release();
  if (!d.program.build("text.vert", "text.frag", err)) {
    if (err) *err = "TextRenderer: " + *err;
    return false;
  }
  d.uViewport = d.program.uniform("u_viewportPx");
  d.uAtlas = d.program.uniform("u_atlas");

  glGenVertexArrays(1, &d.vao);
  glGenBuffers(1, &d.vbo);
  glBindVertexArray(d.vao);
  glBindBuffer(GL_ARRAY_BUFFER, d.vbo);
  const GLsizei stride = sizeof(Vertex);
  auto offset = [](size_t o) { return reinterpret_cast<const void*>(o); };
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, offset(offsetof(Vertex, x)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, offset(offsetof(Vertex, u)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, offset(offsetof(Vertex, rgba)));
  glEnableVertexAttribArray(3);
  glVertexAttribPointer(3, 1, GL_FLOAT, GL_FALSE, stride, offset(offsetof(Vertex, haloTexels)));
  glEnableVertexAttribArray(4);
  glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, stride, offset(offsetof(Vertex, rect)));
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  return true;
}

void TextRenderer::release() {
  Impl& d = *impl_;
  for (Font& f : d.fonts) {
    if (f.texture) glDeleteTextures(1, &f.texture);
    f.texture = 0;
    f.uploaded = false;
    f.texW = f.texH = 0;
  }
  if (d.vbo) glDeleteBuffers(1, &d.vbo);
  if (d.vao) glDeleteVertexArrays(1, &d.vao);
  d.program.release();
  d.vbo = d.vao = 0;
}

int TextRenderer::addFont(FontAtlas* atlas) {
  impl_->fonts.push_back(Font{atlas});
  return static_cast<int>(impl_->fonts.size()) - 1;
}

// ---------------------------------------------------------------------------------
// Batching and drawing

void TextRenderer::begin(int fbWidthPx, int fbHeightPx) {
  Impl& d = *impl_;
  d.fbW = std::max(fbWidthPx, 1);
  d.fbH = std::max(fbHeightPx, 1);
  d.items.clear();
  d.record.clear();
  d.inBatch = true;
}

void TextRenderer::addText(std::string_view utf8, Vec2 anchorPx, const TextStyle& style) {
  Impl& d = *impl_;
  if (!d.inBatch) {
    logError("TextRenderer: addText outside begin()/end(); call begin() first");
    return;
  }
  if (style.font < 0 || static_cast<size_t>(style.font) >= d.fonts.size() || !d.fonts[style.font].atlas) {
    logError("TextRenderer: font id " + std::to_string(style.font) + " was not returned by addFont()");
    return;
  }
  if (utf8.empty()) return;
  d.items.push_back(Item{style.font, FontAtlas::decodeUtf8(utf8), anchorPx, style});

  // The same vertical anchoring and whole-pixel baseline as layoutText(); the font-wide
  // metrics are known before the glyphs are in the atlas.
  const FontAtlas& atlas = *d.fonts[style.font].atlas;
  const float base = atlas.pixelSize();
  const float scale = style.sizePx > 0 && base > 0 ? style.sizePx / base : 1.0f;
  double y = anchorPx.y;
  switch (style.anchorY) {
    case TextAnchorY::Baseline: break;
    case TextAnchorY::Top: y += atlas.ascentPx() * scale; break;
    case TextAnchorY::Bottom: y -= atlas.descentPx() * scale; break;
    case TextAnchorY::Middle: y += (atlas.ascentPx() - atlas.descentPx()) * 0.5 * scale; break;
  }
  TextRecord r;
  r.text = std::string(utf8);
  r.anchorPx = anchorPx;
  r.anchorX = style.anchorX;
  r.anchorY = style.anchorY;
  r.baselineYPx = std::round(y);
  r.sizePx = base * scale;
  r.bold = atlas.face().style.find("Bold") != std::string::npos;
  r.fontFamily = atlas.face().family;
  r.color = style.color;
  r.haloColor = style.haloColor;
  r.haloWidthPx = std::clamp(style.haloWidthPx, 0.0f, kMaxHaloWidthPx);
  d.record.push_back(std::move(r));
}

const std::vector<TextRecord>& TextRenderer::record() const { return impl_->record; }

void TextRenderer::end() {
  Impl& d = *impl_;
  d.inBatch = false;
  if (d.items.empty() || !d.program.valid()) {
    d.items.clear();
    return;
  }
  // New text first grows the atlases, once per font, so every glyph below is real.
  for (size_t fi = 0; fi < d.fonts.size(); ++fi) {
    std::vector<char32_t> cps;
    std::unordered_set<char32_t> seen;
    FontAtlas* atlas = d.fonts[fi].atlas;
    for (const Item& it : d.items)
      if (it.font == static_cast<int>(fi))
        for (char32_t cp : atlas->missing(it.text))
          if (seen.insert(cp).second) cps.push_back(cp);
    std::string err;
    if (!cps.empty() && !atlas->addCodepoints(cps, &err)) logError(err);
  }

  struct Range {
    size_t font, first, count;
  };
  std::vector<Range> ranges;
  d.vertices.clear();
  for (size_t fi = 0; fi < d.fonts.size(); ++fi) {
    const FontAtlas& atlas = *d.fonts[fi].atlas;
    if (atlas.empty()) continue;
    const float aw = static_cast<float>(atlas.width()), ah = static_cast<float>(atlas.height());
    const size_t first = d.vertices.size();
    std::vector<Layout> layouts;
    std::vector<const Item*> items;
    for (const Item& it : d.items) {
      if (it.font != static_cast<int>(fi)) continue;
      layouts.push_back(layoutText(atlas, it.text, it.anchor, it.style));
      items.push_back(&it);
    }
    // All halos of this font, then all fills, in one draw.
    for (size_t k = 0; k < layouts.size(); ++k) {
      const Layout& l = layouts[k];
      if (l.haloTexels <= 0 || items[k]->style.haloColor.a == 0) continue;
      for (const Quad& q : l.quads)
        emitQuad(&d.vertices, q, haloMarginTexels(l.haloTexels), l.scale, l.haloTexels,
                 items[k]->style.haloColor, aw, ah);
    }
    for (size_t k = 0; k < layouts.size(); ++k) {
      const Layout& l = layouts[k];
      // Scaled text samples between texels: one texel of margin keeps the bilinear edge.
      const float margin = l.scale == 1.0f ? 0.0f : 1.0f;
      for (const Quad& q : l.quads)
        emitQuad(&d.vertices, q, margin, l.scale, 0.0f, items[k]->style.color, aw, ah);
    }
    if (d.vertices.size() > first) ranges.push_back({fi, first, d.vertices.size() - first});
  }
  d.items.clear();
  if (ranges.empty()) return;

  d.program.use();
  glUniform2f(d.uViewport, static_cast<float>(d.fbW), static_cast<float>(d.fbH));
  glUniform1i(d.uAtlas, 0);
  glBindVertexArray(d.vao);
  glBindBuffer(GL_ARRAY_BUFFER, d.vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(d.vertices.size() * sizeof(Vertex)),
               d.vertices.data(), GL_STREAM_DRAW);
  glDisable(GL_DEPTH_TEST);
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // text.frag writes premultiplied colour
  glActiveTexture(GL_TEXTURE0);
  for (const Range& r : ranges) {
    Font& f = d.fonts[r.font];
    d.upload(f);
    glBindTexture(GL_TEXTURE_2D, f.texture);
    glDrawArrays(GL_TRIANGLES, static_cast<GLint>(r.first), static_cast<GLsizei>(r.count));
  }
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  glBindVertexArray(0);
  glUseProgram(0);
}

Bounds TextRenderer::measureBox(std::string_view utf8, Vec2 anchorPx, const TextStyle& style) const {
  const Impl& d = *impl_;
  Bounds box;
  if (style.font < 0 || static_cast<size_t>(style.font) >= d.fonts.size() || !d.fonts[style.font].atlas)
    return box;
  FontAtlas& atlas = *d.fonts[style.font].atlas;
  // The box must be the drawn one, so the glyphs must be the ones end() will use.
  std::string err;
  if (!atlas.addText(utf8, &err)) logError(err);
  const Layout l = layoutText(atlas, FontAtlas::decodeUtf8(utf8), anchorPx, style);
  for (const Quad& q : l.quads) {
    box.add(q.x0, q.y0);
    box.add(q.x1, q.y1);
  }
  if (box.empty()) return box;
  // Unscaled, texels are pixels: the halo's weight reaches exactly ceil(r) pixels beyond
  // the bitmap. Scaled, bilinear filtering smears that, so use the drawn quads' own margin.
  float grow = 0;
  if (l.scale == 1.0f)
    grow = std::ceil(l.haloTexels);
  else
    grow = (l.haloTexels > 0 ? haloMarginTexels(l.haloTexels) : 1.0f) * l.scale;
  box.minX -= grow;
  box.minY -= grow;
  box.maxX += grow;
  box.maxY += grow;
  return box;
}

}  // namespace bcmap
