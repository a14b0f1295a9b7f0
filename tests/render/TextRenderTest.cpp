// TextRenderer on a real GL 3.3 core context: Mesa's surfaceless EGL platform (llvmpipe
// when there is no GPU), an FBO, read back. Self-contained: it makes its own context so it
// does not depend on GlContext.
#include "render/TextRenderer.h"

#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "render/FontAtlas.h"
#include "GlUnavailable.h"

namespace bcmap {
namespace {

constexpr int kWidth = 400;
constexpr int kHeight = 100;
constexpr uint8_t kGrey = 128;

class TextRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!epoxy_has_egl_extension(EGL_NO_DISPLAY, "EGL_MESA_platform_surfaceless"))
      BCMAP_GL_UNAVAILABLE("EGL_MESA_platform_surfaceless is not offered (no Mesa EGL)");
    display_ = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    ASSERT_NE(display_, EGL_NO_DISPLAY);
    ASSERT_TRUE(eglInitialize(display_, nullptr, nullptr)) << std::hex << eglGetError();
    ASSERT_TRUE(eglBindAPI(EGL_OPENGL_API));
    const EGLint configAttribs[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE,
                                    EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint count = 0;
    eglChooseConfig(display_, configAttribs, &config, 1, &count);
    const EGLint contextAttribs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                     EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                     EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    context_ = eglCreateContext(display_, count > 0 ? config : EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT,
                                contextAttribs);
    ASSERT_NE(context_, EGL_NO_CONTEXT) << std::hex << eglGetError();
    ASSERT_TRUE(eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_));

    glGenRenderbuffers(1, &colour_);
    glBindRenderbuffer(GL_RENDERBUFFER, colour_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, kWidth, kHeight);
    glGenFramebuffers(1, &fbo_);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
    ASSERT_EQ(glCheckFramebufferStatus(GL_FRAMEBUFFER), static_cast<GLenum>(GL_FRAMEBUFFER_COMPLETE));
    glViewport(0, 0, kWidth, kHeight);
    glClearColor(kGrey / 255.0f, kGrey / 255.0f, kGrey / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);

    std::string err;
    auto face = FontAtlas::findCjkFont(&err);
    ASSERT_TRUE(face.has_value()) << err;
    face_ = *face;
  }

  void TearDown() override {
    if (context_ != EGL_NO_CONTEXT) {
      renderer_.release();
      glDeleteFramebuffers(1, &fbo_);
      glDeleteRenderbuffers(1, &colour_);
      eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
      eglDestroyContext(display_, context_);
    }
    if (display_ != EGL_NO_DISPLAY) eglTerminate(display_);
  }

  // RGBA, top row first.
  std::vector<uint8_t> readRgba() {
    std::vector<uint8_t> bottomUp(static_cast<size_t>(kWidth) * kHeight * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, kWidth, kHeight, GL_RGBA, GL_UNSIGNED_BYTE, bottomUp.data());
    std::vector<uint8_t> out(bottomUp.size());
    const size_t row = static_cast<size_t>(kWidth) * 4;
    for (int y = 0; y < kHeight; ++y)
      std::copy_n(&bottomUp[static_cast<size_t>(kHeight - 1 - y) * row], row, &out[static_cast<size_t>(y) * row]);
    return out;
  }

  // RGB, top row first.
  std::vector<uint8_t> readRgb() {
    const std::vector<uint8_t> rgba = readRgba();
    std::vector<uint8_t> rgb(static_cast<size_t>(kWidth) * kHeight * 3);
    for (size_t i = 0; i < static_cast<size_t>(kWidth) * kHeight; ++i)
      for (size_t c = 0; c < 3; ++c) rgb[i * 3 + c] = rgba[i * 4 + c];
    return rgb;
  }

  std::string writePng(const std::string& name, const std::vector<uint8_t>& rgb) {
    const std::string path = ::testing::TempDir() + "bcmap_" + name + ".png";
    EXPECT_NE(stbi_write_png(path.c_str(), kWidth, kHeight, 3, rgb.data(), kWidth * 3), 0) << path;
    std::printf("wrote %s\n", path.c_str());
    return path;
  }

  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLContext context_ = EGL_NO_CONTEXT;
  GLuint fbo_ = 0, colour_ = 0;
  FontFace face_;
  TextRenderer renderer_;
};

struct Census {
  int dark = 0, white = 0, outsideChanged = 0;
};

// Dark: the fill (black); white: the halo. Outside every box nothing may differ from the
// background at all.
Census census(const std::vector<uint8_t>& rgb, const std::vector<Bounds>& boxes) {
  Census c;
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      const uint8_t* p = &rgb[(static_cast<size_t>(y) * kWidth + x) * 3];
      bool inside = false;
      for (const Bounds& b : boxes)
        inside = inside || (x + 0.5 >= b.minX && x + 0.5 <= b.maxX && y + 0.5 >= b.minY && y + 0.5 <= b.maxY);
      if (!inside) {
        c.outsideChanged += (p[0] != kGrey || p[1] != kGrey || p[2] != kGrey) ? 1 : 0;
        continue;
      }
      if (p[0] < 40 && p[1] < 40 && p[2] < 40) ++c.dark;
      if (p[0] > 240 && p[1] > 240 && p[2] > 240) ++c.white;
    }
  return c;
}

TEST_F(TextRenderTest, ChineseAndLatinWithHalo) {
  FontAtlas atlas;
  std::string err;
  std::vector<char32_t> cps = FontAtlas::baseCodepoints();
  FontAtlas::appendCodepoints("洮北区", &cps);
  ASSERT_TRUE(atlas.build(face_, 28.0f, cps, &err)) << err;
  ASSERT_TRUE(renderer_.init(&err)) << err;
  const int font = renderer_.addFont(&atlas);

  TextStyle style;
  style.color = {0, 0, 0, 255};
  style.haloColor = {255, 255, 255, 255};
  style.haloWidthPx = 2;
  style.anchorX = TextAnchorX::Center;
  style.anchorY = TextAnchorY::Middle;
  style.font = font;
  const std::string text = "洮北区 Taobei";
  const Vec2 at{kWidth / 2.0, kHeight / 2.0};
  const Bounds box = renderer_.measureBox(text, at, style);
  ASSERT_FALSE(box.empty());
  std::printf("box x %.1f..%.1f y %.1f..%.1f\n", box.minX, box.maxX, box.minY, box.maxY);
  // Centred on the anchor (to a pixel: positions are snapped), inside the target.
  EXPECT_NEAR((box.minX + box.maxX) / 2, at.x, 3.0);
  EXPECT_NEAR((box.minY + box.maxY) / 2, at.y, 8.0);
  EXPECT_GT(box.minX, 0);
  EXPECT_LT(box.maxX, kWidth);

  renderer_.begin(kWidth, kHeight);
  renderer_.addText(text, at, style);
  renderer_.end();
  ASSERT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  const std::vector<uint8_t> rgb = readRgb();
  writePng("TextRenderTest_halo", rgb);

  const Census c = census(rgb, {box});
  // 9 glyphs at 28 px: each CJK glyph alone has well over 100 solid pixels.
  EXPECT_GT(c.dark, 400);
  EXPECT_GT(c.white, 400);
  EXPECT_EQ(c.outsideChanged, 0);

  // The halo really surrounds the letters. Black over white at half coverage is the same
  // grey as the background, so look at coverage instead: on a transparent target the alpha
  // is the union of halo and fill, and every pixel within the 2 px halo radius of a solid
  // (dark) pixel must be nearly opaque. 200: the halo weight there is 1 and a dark pixel's
  // coverage is at least (255 - 40) / 255, i.e. alpha >= 215.
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  renderer_.begin(kWidth, kHeight);
  renderer_.addText(text, at, style);
  renderer_.end();
  const std::vector<uint8_t> rgba = readRgba();
  int solid = 0, holes = 0;
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      if (rgb[(static_cast<size_t>(y) * kWidth + x) * 3] >= 40) continue;
      ++solid;
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (dx * dx + dy * dy > 4 || xx < 0 || yy < 0 || xx >= kWidth || yy >= kHeight) continue;
          holes += rgba[(static_cast<size_t>(yy) * kWidth + xx) * 4 + 3] < 200 ? 1 : 0;
        }
    }
  EXPECT_EQ(solid, c.dark);
  EXPECT_EQ(holes, 0);
}

TEST_F(TextRenderTest, HaloWidthsScaledTextAndNewGlyphs) {
  FontAtlas atlas;
  std::string err;
  // Only ASCII at first: the Chinese below arrives as new text and grows the atlas.
  ASSERT_TRUE(atlas.build(face_, 20.0f, FontAtlas::baseCodepoints(), &err)) << err;
  ASSERT_TRUE(renderer_.init(&err)) << err;
  const int font = renderer_.addFont(&atlas);
  const uint64_t gen = atlas.generation();

  struct Label {
    const char* text;
    Vec2 at;
    float halo;
    float size;
  };
  const std::vector<Label> labels = {
      {"镇赉县 1px", {10, 28}, 1, 0},
      {"通榆县 3px", {210, 28}, 3, 0},
      {"大安市 scaled 14", {10, 70}, 1.5f, 14},
      {"白城市 scaled 26", {210, 70}, 2, 26},
  };
  std::vector<Bounds> boxes;
  renderer_.begin(kWidth, kHeight);
  for (const Label& l : labels) {
    TextStyle style;
    style.color = {0, 0, 0, 255};
    style.haloWidthPx = l.halo;
    style.sizePx = l.size;
    style.anchorY = TextAnchorY::Middle;
    style.font = font;
    renderer_.addText(l.text, l.at, style);
    boxes.push_back(renderer_.measureBox(l.text, l.at, style));
  }
  renderer_.end();
  ASSERT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  EXPECT_GT(atlas.generation(), gen);
  EXPECT_TRUE(atlas.missing(FontAtlas::decodeUtf8("镇赉县通榆县大安市白城市")).empty());

  const std::vector<uint8_t> rgb = readRgb();
  writePng("TextRenderTest_sizes", rgb);
  for (size_t i = 0; i < boxes.size(); ++i) {
    SCOPED_TRACE(labels[i].text);
    const Census c = census(rgb, {boxes[i]});
    EXPECT_GT(c.dark, 50);
    EXPECT_GT(c.white, 50);
  }
  EXPECT_EQ(census(rgb, boxes).outsideChanged, 0);
  // Wider halo, more white around the same number of letters.
  EXPECT_GT(census(rgb, {boxes[1]}).white, census(rgb, {boxes[0]}).white);
}

}  // namespace
}  // namespace bcmap
