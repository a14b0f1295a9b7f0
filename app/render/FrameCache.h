// FrameCache and InteractiveRenderer: keep the map fluid while the user pans and zooms.
//
// FrameCache holds the last full-quality frame in a texture (an OffscreenTarget's colour
// texture) together with the view it was drawn for, and draws it translated and scaled for
// another view: one textured quad, cheap even on llvmpipe, where redrawing a million points
// is not. What the cached frame does not cover shows the background.
//
// InteractiveRenderer is the policy the window and the benchmark share: while a gesture is
// in progress (input within the last settle time, 150 ms by default) it shows the cached
// frame moved; once input stops it draws the full frame into the cache and shows that;
// when nothing changed it shows the cache as it is. The caller says when content changed
// (invalidate()): a layer toggled, a setting, the time slider, the display CRS. The hovered
// feature need not invalidate: draw it over the shown frame with MapFrame::drawHighlight.
//
// In the window, per frame (a sketch):
//   if (contentChanged) interactive.invalidate();
//   interactive.frame(glfwGetTime(), view, userPannedOrZoomed,
//                     [&](const View& v, FrameQuality) { mapFrame.draw(store, crs, v, noHover); });
//   mapFrame.drawHighlight(store, crs, view, withHover);  // cheap, every frame
//   ... ImGui ...
//   wait: interactive.pending(view) ? glfwWaitEventsTimeout(due - now) : glfwWaitEvents()
//
// Both need the OpenGL 3.3 core context they were initialised in to be current, and draw
// into the framebuffer bound when they are called (restoring it after drawing into the
// cache).
#pragma once

#include <epoxy/gl.h>

#include <functional>
#include <memory>
#include <string>

#include "model/PreparedLayer.h"
#include "model/View.h"

namespace bcmap {

class OffscreenTarget;

class FrameCache {
 public:
  FrameCache();
  ~FrameCache();  // frees GL objects: the context must still be current if init() ran
  FrameCache(const FrameCache&) = delete;
  FrameCache& operator=(const FrameCache&) = delete;

  // Compiles the quad shader. False and `err` ("shaders/frame_cache.*: ...") on failure.
  bool init(std::string* err);

  // Renders `render(view)` into the cache (view.widthPx x view.heightPx, reallocated when
  // the size changes). `render` draws into the bound framebuffer, as MapFrame::draw does;
  // the caller's framebuffer binding and viewport are restored after. False and `err`
  // when the cache texture cannot be made (the cache is then invalid).
  bool capture(const View& view, const std::function<void(const View&)>& render, std::string* err);
  // The back target: a frame drawn over several calls (InteractiveRenderer's slices) goes
  // there while the cached frame stays what is shown. captureBack draws `render(view)`
  // into it (made or resized to the view; the caller's framebuffer and viewport restored),
  // adding to what earlier calls drew; adoptBack makes it the cached frame of `view`.
  bool captureBack(const View& view, const std::function<void(const View&)>& render, std::string* err);
  void adoptBack(const View& view);

  // Draws the cached frame as it appears in `currentView` into the bound framebuffer
  // (viewport 0, 0, currentView.widthPx, currentView.heightPx), with `background` where it
  // does not reach. Integer pans at the same scale copy pixels exactly (nearest texel);
  // otherwise the texture is filtered linearly. Draws only the background when invalid.
  void drawTransformed(const View& currentView, Rgba background) const;

  bool valid() const { return valid_; }
  void invalidate() { valid_ = false; }
  const View& view() const { return view_; }  // the view captured last
  GLuint texture() const;                      // 0 before the first capture

  // Share of currentView's pixels the cached frame covers, 0..1 (0 when invalid).
  double coverage(const View& currentView) const;

 private:
  struct Gl;
  std::unique_ptr<Gl> gl_;
  std::unique_ptr<OffscreenTarget> target_;
  std::unique_ptr<OffscreenTarget> back_;
  View view_;
  bool valid_ = false;
};

// What InteractiveRenderer::frame did.
enum class FrameKind : uint8_t {
  None = 0,  // nothing drawn (not initialised, or the cache could not be made)
  Full,      // rendered the full-quality frame into the cache, then showed it
  Refreshed, // rendered an Interactive-quality frame into the cache mid-gesture, showed it
  Moved,     // showed the cached frame moved and scaled (a gesture is in progress)
  Sliced,    // drew a slice of the full-quality frame into the back target and showed the
             // cached frame moved (the last slice shows the full frame: Full)
  Reused,    // showed the cached frame unchanged (nothing moved, nothing changed)
};
const char* frameKindName(FrameKind k);

// Which frame the render callback is asked for.
enum class FrameQuality : uint8_t {
  Final = 0,        // the full-quality frame after a gesture (or without one)
  Interactive = 1,  // a refresh during a long gesture: may draw less (labels, detail)
};

struct InteractiveOptions {
  // No input for this long ends a gesture; then the full frame is drawn. 150 ms: the
  // interval at which a wheel or trackpad scroll still feels like one gesture.
  double settleSec = 0.150;
  // During a gesture, when the moved cached frame covers less than this share of the view
  // (a long pan, zooming out far), a new frame is drawn at Interactive quality.
  double refreshBelowCoverage = 0.5;
  Rgba background{242, 239, 233, 255};  // shown where the cached frame does not reach
  // Point instances the first slice of a full-quality frame may draw (frame() with a
  // SliceFn). What a point costs depends on its size: llvmpipe draws about 5 million 3-px
  // points a second, a third of that at 8 px, so the budget then follows the time the
  // slices take (sliceTargetMs).
  size_t slicePoints = 20000;
  // The time a slice should take, GPU work included (0: keep slicePoints). The middle
  // slices of a frame, which draw points only, set the next budget from their time.
  double sliceTargetMs = 30.0;
};

class InteractiveRenderer {
 public:
  using RenderFn = std::function<void(const View&, FrameQuality)>;

  explicit InteractiveRenderer(InteractiveOptions options = {});
  bool init(std::string* err);

  // One displayed frame, drawn into the bound framebuffer of view size. `nowSec`: any
  // monotonic clock in seconds (glfwGetTime, steady_clock); `input`: the user panned or
  // zoomed since the last frame. `render` draws the map for a view into the bound
  // framebuffer (e.g. MapFrame::draw).
  FrameKind frame(double nowSec, const View& view, bool input, const RenderFn& render);
  // Draws the next slice of the full-quality frame for a view into the bound framebuffer,
  // at most `pointBudget` point instances (MapFrame::drawSlice); `first`: a new frame
  // starts. Returns true when the frame is complete.
  using SliceFn = std::function<bool(const View&, bool first, size_t pointBudget)>;
  // As above, but the full-quality frame is drawn in slices, one a call, into the back
  // target (each finished with glFinish, so its work is done within the UI frame), while
  // the cached frame is shown moved to `view`; the last slice makes it the cached frame.
  // Input, invalidate() or another view abandon the slices. Interactive frames are drawn
  // by `render` in one go as before.
  FrameKind frame(double nowSec, const View& view, bool input, const RenderFn& render, const SliceFn& slice);
  // Slices of a full frame are under way (the shown frame is the earlier one).
  bool slicing() const { return slicing_; }
  // Point instances the next slice may draw.
  size_t sliceBudget() const { return sliceBudget_ ? sliceBudget_ : options_.slicePoints; }

  // The content changed: the next frame renders in full, even mid-gesture.
  void invalidate() { dirty_ = true; }
  // True while the shown frame is not the full frame for `view` yet: the caller should
  // keep calling frame() (e.g. wake up by nextFrameDueSec) instead of waiting for input.
  bool pending(const View& view) const;
  // When the full frame will be due if no more input comes (seconds, same clock).
  double nextFrameDueSec() const { return lastInputSec_ + options_.settleSec; }

  const FrameCache& cache() const { return cache_; }
  const InteractiveOptions& options() const { return options_; }

 private:
  InteractiveOptions options_;
  FrameCache cache_;
  double lastInputSec_ = -1e300;
  bool dirty_ = true;
  bool cacheIsInteractive_ = false;  // the cached frame was drawn at Interactive quality
  bool slicing_ = false;             // a full frame is being drawn in slices, for sliceView_
  View sliceView_;
  bool slicesForContent_ = false;    // the slices began with dirty_ set
  size_t sliceBudget_ = 0;           // learned from the slices' times (0: options_.slicePoints)
};

}  // namespace bcmap
