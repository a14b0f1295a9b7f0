// GlContext: an OpenGL 3.3 core context without a window (EGL, no X server) and an
// offscreen framebuffer to render into and read back. The window path makes its own
// context with GLFW (app/ui); the renderer only needs some current 3.3 core context.
#pragma once

#include <epoxy/gl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bcmap {

// A headless EGL context, current on the creating thread. Tries, in order: each GPU found
// through EGL_EXT_device_enumeration (the device platform: NVIDIA's or Mesa's hardware
// drivers), Mesa's surfaceless platform (llvmpipe when there is no GPU), then Mesa's
// software device. Makes the context current with no surface (EGL_KHR_surfaceless_context),
// so everything is drawn into framebuffer objects.
class HeadlessContext {
 public:
  // nullptr and `err` ("EGL: ...", one line per platform tried) when none works.
  static std::unique_ptr<HeadlessContext> create(std::string* err);
  ~HeadlessContext();
  HeadlessContext(const HeadlessContext&) = delete;
  HeadlessContext& operator=(const HeadlessContext&) = delete;

  // e.g. "EGL surfaceless (Mesa), OpenGL 4.5 (Core Profile) Mesa 22.3.6, llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string description() const { return description_; }
  // Makes this context current on the calling thread again.
  bool makeCurrent();

 private:
  HeadlessContext() = default;
  void* display_ = nullptr;  // EGLDisplay
  void* context_ = nullptr;  // EGLContext
  std::string description_;
};

// A framebuffer object with an RGBA8 colour texture of widthPx x heightPx. Create, bind and
// read it back while the context it was created in is current.
class OffscreenTarget {
 public:
  static std::unique_ptr<OffscreenTarget> create(int widthPx, int heightPx, std::string* err);
  ~OffscreenTarget();
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;

  // Reallocates the colour texture (contents undefined after). False on a bad size.
  bool resize(int widthPx, int heightPx, std::string* err);
  // Binds the framebuffer for drawing and sets the viewport to its size.
  void bind() const;
  // Rebinds the default framebuffer (the window's, or none when headless).
  static void unbind();

  int width() const { return width_; }
  int height() const { return height_; }
  GLuint framebuffer() const { return fbo_; }
  GLuint colorTexture() const { return texture_; }

  // The pixels, top row first, RGBA8 with straight (not premultiplied) alpha: the
  // renderer blends premultiplied colour, so translucent pixels are divided back here.
  std::vector<uint8_t> readPixels() const;

 private:
  OffscreenTarget() = default;
  GLuint fbo_ = 0;
  GLuint texture_ = 0;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace bcmap
