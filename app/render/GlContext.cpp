#include "render/GlContext.h"

#include <epoxy/egl.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace bcmap {

namespace {

bool hasExtension(const char* list, std::string_view name) {
  if (!list) return false;
  std::string_view rest(list);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    if (rest.substr(0, space) == name) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

std::string eglErrorName(EGLint code) {
  switch (code) {
    case EGL_SUCCESS: return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
    default: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "EGL error 0x%04X", unsigned(code));
  return buf;
}

struct Candidate {
  EGLenum platform = 0;
  void* nativeDisplay = nullptr;
  std::string name;
};

// Initializes `c`'s display and makes a 3.3 core context current on it. On success fills
// display/context; on failure tears down what it made and appends a reason to `why`.
bool tryCandidate(const Candidate& c, EGLDisplay* displayOut, EGLContext* contextOut,
                  std::string* why) {
  auto fail = [&](EGLDisplay dpy, const std::string& what) {
    *why += "\n  " + c.name + ": " + what + " (" + eglErrorName(eglGetError()) + ")";
    if (dpy != EGL_NO_DISPLAY) eglTerminate(dpy);
    return false;
  };
  const EGLDisplay dpy = eglGetPlatformDisplayEXT(c.platform, c.nativeDisplay, nullptr);
  if (dpy == EGL_NO_DISPLAY) return fail(EGL_NO_DISPLAY, "no display");
  EGLint major = 0, minor = 0;
  if (!eglInitialize(dpy, &major, &minor)) return fail(EGL_NO_DISPLAY, "eglInitialize failed");
  const char* extensions = eglQueryString(dpy, EGL_EXTENSIONS);
  if (!hasExtension(extensions, "EGL_KHR_surfaceless_context"))
    return fail(dpy, "no EGL_KHR_surfaceless_context");
  if (!hasExtension(extensions, "EGL_KHR_create_context") && !(major > 1 || minor >= 5))
    return fail(dpy, "no EGL_KHR_create_context");
  if (!eglBindAPI(EGL_OPENGL_API)) return fail(dpy, "no desktop OpenGL");

  EGLConfig config = EGL_NO_CONFIG_KHR;
  if (!hasExtension(extensions, "EGL_KHR_no_config_context")) {
    const EGLint configAttribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE,
                                    EGL_PBUFFER_BIT, EGL_NONE};
    EGLint count = 0;
    if (!eglChooseConfig(dpy, configAttribs, &config, 1, &count) || count < 1)
      return fail(dpy, "no OpenGL config");
  }
  const EGLint contextAttribs[] = {EGL_CONTEXT_MAJOR_VERSION, 3,
                                   EGL_CONTEXT_MINOR_VERSION, 3,
                                   EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                   EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                   EGL_NONE};
  const EGLContext ctx = eglCreateContext(dpy, config, EGL_NO_CONTEXT, contextAttribs);
  if (ctx == EGL_NO_CONTEXT) return fail(dpy, "no OpenGL 3.3 core context");
  if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
    const std::string reason = "eglMakeCurrent (surfaceless) failed";
    eglDestroyContext(dpy, ctx);
    return fail(dpy, reason);
  }
  *displayOut = dpy;
  *contextOut = ctx;
  return true;
}

}  // namespace

std::unique_ptr<HeadlessContext> HeadlessContext::create(std::string* err) {
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!client || !hasExtension(client, "EGL_EXT_platform_base")) {
    if (err) *err = "EGL: no EGL_EXT_platform_base (is libEGL from libglvnd/Mesa installed?)";
    return nullptr;
  }
  // GPUs first: a GPU driver is much faster than llvmpipe. Mesa also lists a software
  // device; it goes last, after the surfaceless platform that serves the same purpose.
  std::vector<Candidate> candidates;
  std::vector<Candidate> softwareDevices;
  if (hasExtension(client, "EGL_EXT_device_enumeration") &&
      hasExtension(client, "EGL_EXT_platform_device")) {
    EGLint count = 0;
    if (eglQueryDevicesEXT(0, nullptr, &count) && count > 0) {
      std::vector<EGLDeviceEXT> devices(size_t(count), nullptr);
      eglQueryDevicesEXT(count, devices.data(), &count);
      for (EGLint i = 0; i < count; ++i) {
        const char* devExt = eglQueryDeviceStringEXT(devices[size_t(i)], EGL_EXTENSIONS);
        Candidate c{EGL_PLATFORM_DEVICE_EXT, devices[size_t(i)],
                    "EGL device " + std::to_string(i)};
        if (hasExtension(devExt, "EGL_EXT_device_drm")) {
          const char* file = eglQueryDeviceStringEXT(devices[size_t(i)], EGL_DRM_DEVICE_FILE_EXT);
          if (file) c.name += std::string(" (") + file + ")";
        }
        if (hasExtension(devExt, "EGL_MESA_device_software")) {
          c.name += " (Mesa software)";
          softwareDevices.push_back(c);
        } else {
          candidates.push_back(c);
        }
      }
    }
  }
  if (hasExtension(client, "EGL_MESA_platform_surfaceless"))
    candidates.push_back({EGL_PLATFORM_SURFACELESS_MESA, nullptr, "EGL surfaceless (Mesa)"});
  candidates.insert(candidates.end(), softwareDevices.begin(), softwareDevices.end());

  std::string why;
  for (const Candidate& c : candidates) {
    EGLDisplay dpy = EGL_NO_DISPLAY;
    EGLContext ctx = EGL_NO_CONTEXT;
    if (!tryCandidate(c, &dpy, &ctx, &why)) continue;
    std::unique_ptr<HeadlessContext> result(new HeadlessContext());
    result->display_ = dpy;
    result->context_ = ctx;
    auto glString = [](GLenum name) {
      const auto* s = reinterpret_cast<const char*>(glGetString(name));
      return std::string(s ? s : "?");
    };
    result->description_ = c.name + ", OpenGL " + glString(GL_VERSION) + ", " +
                           glString(GL_RENDERER);
    return result;
  }
  if (err)
    *err = "EGL: no headless OpenGL 3.3 core context" +
           (why.empty() ? std::string(" (no device or surfaceless platform)") : ":" + why);
  return nullptr;
}

HeadlessContext::~HeadlessContext() {
  if (display_) {
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_) eglDestroyContext(display_, context_);
    eglTerminate(display_);
  }
}

bool HeadlessContext::makeCurrent() {
  return eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_) == EGL_TRUE;
}

// ---- OffscreenTarget ----------------------------------------------------------------------

std::unique_ptr<OffscreenTarget> OffscreenTarget::create(int widthPx, int heightPx,
                                                         std::string* err) {
  std::unique_ptr<OffscreenTarget> target(new OffscreenTarget());
  glGenFramebuffers(1, &target->fbo_);
  glGenTextures(1, &target->texture_);
  if (!target->resize(widthPx, heightPx, err)) return nullptr;
  return target;
}

OffscreenTarget::~OffscreenTarget() {
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
  if (texture_) glDeleteTextures(1, &texture_);
}

bool OffscreenTarget::resize(int widthPx, int heightPx, std::string* err) {
  GLint maxSize = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &maxSize);
  if (widthPx < 1 || heightPx < 1 || widthPx > maxSize || heightPx > maxSize) {
    if (err)
      *err = "OffscreenTarget: size " + std::to_string(widthPx) + "x" + std::to_string(heightPx) +
             " is outside 1.." + std::to_string(maxSize);
    return false;
  }
  glBindTexture(GL_TEXTURE_2D, texture_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, widthPx, heightPx, 0, GL_RGBA, GL_UNSIGNED_BYTE,
               nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    if (err) *err = "OffscreenTarget: framebuffer incomplete (status " + std::to_string(status) + ")";
    return false;
  }
  width_ = widthPx;
  height_ = heightPx;
  return true;
}

void OffscreenTarget::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glViewport(0, 0, width_, height_);
}

void OffscreenTarget::unbind() { glBindFramebuffer(GL_FRAMEBUFFER, 0); }

std::vector<uint8_t> OffscreenTarget::readPixels() const {
  const size_t row = size_t(width_) * 4;
  std::vector<uint8_t> bottomUp(row * size_t(height_));
  GLint previous = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &previous);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, bottomUp.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(previous));
  std::vector<uint8_t> topDown(bottomUp.size());
  for (int y = 0; y < height_; ++y)
    std::memcpy(&topDown[size_t(y) * row], &bottomUp[size_t(height_ - 1 - y) * row], row);
  for (size_t i = 0; i < topDown.size(); i += 4) {
    const unsigned a = topDown[i + 3];
    if (a == 0 || a == 255) continue;
    for (size_t c = 0; c < 3; ++c) {
      const unsigned v = (topDown[i + c] * 255u + a / 2) / a;
      topDown[i + c] = uint8_t(v > 255 ? 255 : v);
    }
  }
  return topDown;
}

}  // namespace bcmap
