// FrameCache.cpp — sections: GL objects, capture, drawing moved, the interactive policy.
#include "render/FrameCache.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "render/GlContext.h"
#include "render/ShaderProgram.h"

namespace bcmap {

namespace {

// The learned slice budget stays within these (InteractiveOptions::sliceTargetMs).
constexpr size_t kMinSlicePoints = 2000;
constexpr size_t kMaxSlicePoints = 4000000;

bool sameView(const View& a, const View& b) {
  return a.center.x == b.center.x && a.center.y == b.center.y && a.unitsPerPixel == b.unitsPerPixel &&
         a.widthPx == b.widthPx && a.heightPx == b.heightPx;
}

// Where the cached frame's edges fall in the current view, in pixels (x right, y down):
// left, top, right, bottom.
struct PixelRect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

PixelRect placed(const View& cached, const View& current) {
  const Vec2 a = current.toPixel(cached.toWorld({0, 0}));
  const Vec2 b = current.toPixel(cached.toWorld({double(cached.widthPx), double(cached.heightPx)}));
  return {a.x, a.y, b.x, b.y};
}

}  // namespace

// ---- GL objects ---------------------------------------------------------------------------

struct FrameCache::Gl {
  ShaderProgram program;
  GLint rectNdc = -1, frame = -1;
  GLuint vao = 0;  // GL 3.3 core draws need a bound VAO even without attributes
  ~Gl() {
    if (vao) glDeleteVertexArrays(1, &vao);
  }
};

FrameCache::FrameCache() = default;
FrameCache::~FrameCache() = default;

bool FrameCache::init(std::string* err) {
  auto gl = std::make_unique<Gl>();
  if (!gl->program.build("frame_cache.vert", "frame_cache.frag", err)) return false;
  gl->rectNdc = gl->program.uniform("u_rectNdc");
  gl->frame = gl->program.uniform("u_frame");
  glGenVertexArrays(1, &gl->vao);
  gl_ = std::move(gl);
  return true;
}

GLuint FrameCache::texture() const { return target_ ? target_->colorTexture() : 0; }

// ---- capture ------------------------------------------------------------------------------

bool FrameCache::capture(const View& view, const std::function<void(const View&)>& render, std::string* err) {
  // Saved first: making or resizing the target rebinds the framebuffer.
  GLint previousFbo = 0;
  GLint previousViewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previousFbo);
  glGetIntegerv(GL_VIEWPORT, previousViewport);
  auto restore = [&] {
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previousFbo));
    glViewport(previousViewport[0], previousViewport[1], previousViewport[2], previousViewport[3]);
  };
  valid_ = false;
  bool ok = true;
  if (!target_) {
    target_ = OffscreenTarget::create(view.widthPx, view.heightPx, err);
    ok = target_ != nullptr;
  } else if (target_->width() != view.widthPx || target_->height() != view.heightPx) {
    ok = target_->resize(view.widthPx, view.heightPx, err);
  }
  if (!ok) {
    restore();
    return false;
  }
  target_->bind();
  render(view);
  restore();
  view_ = view;
  valid_ = true;
  return true;
}

bool FrameCache::captureBack(const View& view, const std::function<void(const View&)>& render, std::string* err) {
  GLint previousFbo = 0;
  GLint previousViewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previousFbo);
  glGetIntegerv(GL_VIEWPORT, previousViewport);
  bool ok = true;
  if (!back_) {
    back_ = OffscreenTarget::create(view.widthPx, view.heightPx, err);
    ok = back_ != nullptr;
  } else if (back_->width() != view.widthPx || back_->height() != view.heightPx) {
    ok = back_->resize(view.widthPx, view.heightPx, err);
  }
  if (ok) {
    back_->bind();
    render(view);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previousFbo));
  glViewport(previousViewport[0], previousViewport[1], previousViewport[2], previousViewport[3]);
  return ok;
}

void FrameCache::adoptBack(const View& view) {
  if (!back_) return;
  std::swap(target_, back_);
  view_ = view;
  valid_ = true;
}

double FrameCache::coverage(const View& currentView) const {
  if (!valid_ || currentView.widthPx < 1 || currentView.heightPx < 1) return 0;
  const PixelRect r = placed(view_, currentView);
  const double w = std::clamp(std::min(r.x1, double(currentView.widthPx)) - std::max(r.x0, 0.0), 0.0,
                              double(currentView.widthPx));
  const double h = std::clamp(std::min(r.y1, double(currentView.heightPx)) - std::max(r.y0, 0.0), 0.0,
                              double(currentView.heightPx));
  return w * h / (double(currentView.widthPx) * double(currentView.heightPx));
}

// ---- drawing moved --------------------------------------------------------------------------

void FrameCache::drawTransformed(const View& currentView, Rgba background) const {
  glViewport(0, 0, currentView.widthPx, currentView.heightPx);
  const float a = background.a / 255.0f;
  // Premultiplied, like every frame MapRenderer draws.
  glClearColor(background.r / 255.0f * a, background.g / 255.0f * a, background.b / 255.0f * a, a);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!valid_ || !gl_ || !target_) return;

  const PixelRect r = placed(view_, currentView);
  const double w = currentView.widthPx, h = currentView.heightPx;
  // Same scale and a whole-pixel offset: texel centres land on pixel centres, so nearest
  // sampling copies the frame exactly (the pan test relies on it).
  const double scale = view_.unitsPerPixel / currentView.unitsPerPixel;
  const bool exact = std::abs(scale - 1.0) < 1e-9 && std::abs(r.x0 - std::round(r.x0)) < 1e-6 &&
                     std::abs(r.y0 - std::round(r.y0)) < 1e-6;
  const double x0 = exact ? std::round(r.x0) : r.x0, y0 = exact ? std::round(r.y0) : r.y0;
  const double x1 = exact ? x0 + view_.widthPx : r.x1, y1 = exact ? y0 + view_.heightPx : r.y1;

  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  gl_->program.use();
  // NDC: x right, y up; pixel rows count down from the top.
  glUniform4f(gl_->rectNdc, float(x0 / w * 2 - 1), float(1 - y1 / h * 2), float(x1 / w * 2 - 1),
              float(1 - y0 / h * 2));
  glUniform1i(gl_->frame, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, target_->colorTexture());
  const GLint filter = exact ? GL_NEAREST : GL_LINEAR;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glBindVertexArray(gl_->vao);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
  // The map renderers expect premultiplied blending on; leave it as they set it.
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

// ---- the interactive policy -----------------------------------------------------------------

const char* frameKindName(FrameKind k) {
  switch (k) {
    case FrameKind::Full: return "full";
    case FrameKind::Refreshed: return "refreshed";
    case FrameKind::Moved: return "moved";
    case FrameKind::Sliced: return "sliced";
    case FrameKind::Reused: return "reused";
    case FrameKind::None: break;
  }
  return "none";
}

InteractiveRenderer::InteractiveRenderer(InteractiveOptions options) : options_(options) {}

bool InteractiveRenderer::init(std::string* err) { return cache_.init(err); }

bool InteractiveRenderer::pending(const View& view) const {
  return slicing_ || dirty_ || !cache_.valid() || cacheIsInteractive_ || !sameView(cache_.view(), view);
}

FrameKind InteractiveRenderer::frame(double nowSec, const View& view, bool input, const RenderFn& render) {
  return frame(nowSec, view, input, render, nullptr);
}

FrameKind InteractiveRenderer::frame(double nowSec, const View& view, bool input, const RenderFn& render,
                                     const SliceFn& slice) {
  if (input) lastInputSec_ = nowSec;
  const bool gesture = nowSec - lastInputSec_ < options_.settleSec;
  // A gesture, new content or another view abandon the slices drawn so far.
  // Slices begun for new content leave it to be drawn still.
  if (slicing_ && (gesture || dirty_ || !sameView(sliceView_, view))) {
    slicing_ = false;
    dirty_ = dirty_ || slicesForContent_;
  }
  const bool sizeChanged =
      cache_.valid() && (cache_.view().widthPx != view.widthPx || cache_.view().heightPx != view.heightPx);

  FrameQuality quality = FrameQuality::Final;
  bool renderNow = false;
  if (dirty_ || !cache_.valid() || sizeChanged) {
    renderNow = true;
    quality = gesture ? FrameQuality::Interactive : FrameQuality::Final;
  } else if (gesture) {
    if (cache_.coverage(view) < options_.refreshBelowCoverage) {
      renderNow = true;
      quality = FrameQuality::Interactive;
    }
  } else if (cacheIsInteractive_ || !sameView(cache_.view(), view)) {
    renderNow = true;  // the gesture ended: the full-quality frame
  }

  if (slicing_) {
    renderNow = true;  // the next slice
    quality = FrameQuality::Final;
  }

  if (renderNow && quality == FrameQuality::Final && slice) {
    const bool first = !slicing_;
    if (first) {
      slicing_ = true;
      slicesForContent_ = dirty_;
      sliceView_ = view;
      dirty_ = false;  // an invalidate() from here on starts the slices again
    }
    bool done = false;
    std::string err;
    const size_t budget = sliceBudget();
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = cache_.captureBack(view, [&](const View& v) { done = slice(v, first, budget); }, &err);
    glFinish();  // the slice's drawing happens in this UI frame, not piled onto a later one
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    // A middle slice draws points only, or works out a layer's LOD fringe for about the
    // target time (the first also draws the other layers, the last places labels): its time
    // says what the budget buys. Steps are bounded so one slow
    // slice (another process on the CPU) does not starve the next.
    if (options_.sliceTargetMs > 0 && !first && !done && ms > 0.5) {
      const double factor = std::clamp(options_.sliceTargetMs / ms, 0.5, 2.0);
      sliceBudget_ = std::clamp(size_t(double(budget) * factor), kMinSlicePoints, kMaxSlicePoints);
    }
    if (!ok) {
      slicing_ = false;
      return FrameKind::None;
    }
    if (done) {
      cache_.adoptBack(view);
      cacheIsInteractive_ = false;
      slicing_ = false;
    }
    cache_.drawTransformed(view, options_.background);
    return done ? FrameKind::Full : FrameKind::Sliced;
  }

  if (renderNow) {
    std::string err;
    if (!cache_.capture(view, [&](const View& v) { render(v, quality); }, &err)) return FrameKind::None;
    dirty_ = false;
    cacheIsInteractive_ = quality == FrameQuality::Interactive;
  }
  cache_.drawTransformed(view, options_.background);
  if (renderNow) return quality == FrameQuality::Final ? FrameKind::Full : FrameKind::Refreshed;
  return sameView(cache_.view(), view) ? FrameKind::Reused : FrameKind::Moved;
}

}  // namespace bcmap
