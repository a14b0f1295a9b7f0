// Sections: 1. shared set-up  2. breakdown  3. interactive
#include "Children.h"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "BenchUtil.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "render/FrameCache.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapFrame.h"

namespace bcmap::bench {

namespace {

constexpr const char* kCrs = "EPSG:3857";  // bcmap render's default display CRS

void emit(const char* key, double value) { std::printf("%s\t%.3f\n", key, value); }
void emitText(const char* key, const std::string& value) { std::printf("%s\t%s\n", key, value.c_str()); }

// VmHWM / VmRSS of this process in MiB.
double statusMb(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) {
      std::istringstream s(line.substr(std::strlen(field)));
      double kb = 0;
      s >> kb;
      return kb / 1024.0;
    }
  }
  return 0;
}

// ---- 1. shared set-up ---------------------------------------------------------------------

struct Session {
  PluginHost host;
  std::unique_ptr<LayerStore> store;
};

// What `bcmap render` does before drawing, split into the steps the report names.
struct LoadSteps {
  double gdalMs = 0, projMs = 0, pluginsMs = 0, readMs = 0, prepareMs = 0;
};

bool loadSession(const ChildArgs& a, Session& s, View& view, LoadSteps& steps, std::string* err) {
  double t = monotonicMs();
  auto lap = [&t](double& into) {
    const double now = monotonicMs();
    into = now - t;
    t = now;
  };
  initGdal();
  lap(steps.gdalMs);
  initProj();
  if (!isValidCrs(kCrs, err)) return false;
  lap(steps.projMs);
  s.host.scan({PluginHost::defaultPluginDir()});
  s.store = std::make_unique<LayerStore>(PluginHost::defaultDataDir());
  s.store->addPluginLayers(s.host);
  for (const std::string& f : a.files) s.store->addFileLayer(s.host, f, false);
  lap(steps.pluginsMs);
  for (auto& l : s.store->layers()) {
    l->visible = l->isFileLayer || (!a.countiesOff && (a.onlyLayer.empty() || l->id == a.onlyLayer));
    if (!l->visible) continue;
    s.store->load(*l);
    if (l->status != LayerStatus::Loaded) {
      if (l->isFileLayer) {
        if (err) *err = "layer " + l->id + ": " + l->error;
        return false;
      }
      l->visible = false;
      continue;
    }
    if (l->isFileLayer && a.pointSizePx > 0) l->pointSizePx.assign(l->pointSizePx.size(), a.pointSizePx);
  }
  lap(steps.readMs);
  for (auto& l : s.store->layers())
    if (l->visible && !s.store->prepare(*l, kCrs, err)) return false;
  view.widthPx = a.widthPx;
  view.heightPx = a.heightPx;
  Bounds target;
  if (!a.bbox.empty()) {
    double v[4] = {0, 0, 0, 0};
    if (std::sscanf(a.bbox.c_str(), "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4) {
      if (err) *err = "bad --bbox " + a.bbox;
      return false;
    }
    Bounds lonLat;
    lonLat.add(v[0], v[1]);
    lonLat.add(v[2], v[3]);
    auto tr = Transformer::create("EPSG:4326", kCrs, err);
    auto b = tr ? tr->transformBounds(lonLat) : std::nullopt;
    if (!b) return false;
    target = *b;
  } else {
    target = s.store->extent(kCrs);
    const double gx = target.width() * 0.05, gy = target.height() * 0.05;
    target.minX -= gx, target.maxX += gx, target.minY -= gy, target.maxY += gy;
  }
  view.fit(target);
  lap(steps.prepareMs);
  return true;
}

// ---- 2. breakdown ---------------------------------------------------------------------------

struct GlSteps {
  double eglMs = 0, initMs = 0;
  FrameTimings init;
};

bool setUpGl(const ChildArgs& a, std::unique_ptr<HeadlessContext>& ctx, std::unique_ptr<OffscreenTarget>& fbo,
             MapFrame& frame, GlSteps& steps, std::string* err) {
  const double t0 = monotonicMs();
  ctx = HeadlessContext::create(err);
  if (!ctx) return false;
  fbo = OffscreenTarget::create(a.widthPx, a.heightPx, err);
  if (!fbo) return false;
  const double t1 = monotonicMs();
  steps.eglMs = t1 - t0;
  if (!frame.init(err)) return false;
  steps.initMs = monotonicMs() - t1;
  steps.init = frame.timings();
  return true;
}

struct DrawSteps {
  FrameTimings frame;
  double submitMs = 0, finishMs = 0, readMs = 0;
  std::vector<uint8_t> pixels;
};

void drawFrame(const ChildArgs& a, Session& s, const View& view, OffscreenTarget& fbo, MapFrame& frame,
               DrawSteps& steps) {
  FrameOptions fo;
  fo.pointLod = a.pointLod;
  fbo.bind();
  const double t0 = monotonicMs();
  frame.draw(*s.store, kCrs, view, fo);
  const double t1 = monotonicMs();
  glFinish();  // llvmpipe rasterizes the queued frame here
  const double t2 = monotonicMs();
  steps.pixels = fbo.readPixels();
  const double t3 = monotonicMs();
  steps.frame = frame.timings();
  steps.submitMs = t1 - t0;
  steps.finishMs = t2 - t1;
  steps.readMs = t3 - t2;
}

void emitDraw(const DrawSteps& d) {
  emit("upload", d.frame.uploadMs);
  emit("atlas", d.frame.atlasMs);
  emit("draw_submit", d.submitMs - d.frame.uploadMs - d.frame.atlasMs);
  emit("draw_gpu", d.finishMs);
  emit("readback", d.readMs);
  emit("points_drawn", double(d.frame.pointsDrawn));
  emit("layers_submit", d.frame.layersMs);
  emit("text_submit", d.frame.textMs);
}

int breakdown(const ChildArgs& a, double mainMs) {
  emit("exec", mainMs - a.spawnMs);
  std::string err;
  Session s;
  View view;
  LoadSteps load;
  std::unique_ptr<HeadlessContext> ctx;
  std::unique_ptr<OffscreenTarget> fbo;
  std::unique_ptr<MapFrame> frame = std::make_unique<MapFrame>();
  GlSteps gl;
  DrawSteps draw;

  if (!a.overlap) {
    if (!loadSession(a, s, view, load, &err) || !setUpGl(a, ctx, fbo, *frame, gl, &err)) {
      std::fprintf(stderr, "breakdown: %s\n", err.c_str());
      return 2;
    }
    drawFrame(a, s, view, *fbo, *frame, draw);
    frame.reset();  // GL objects go while the context is current
  } else {
    // GL set-up and drawing on a second thread (a context is current on one thread), the
    // data on this one; the GL thread draws once the data is ready.
    std::mutex mu;
    std::condition_variable cv;
    bool dataReady = false, dataOk = false, glOk = false;
    double glReadyMs = 0, dataReadyMs = 0;
    std::string glErr;
    std::thread glThread([&] {
      glOk = setUpGl(a, ctx, fbo, *frame, gl, &glErr);
      glReadyMs = monotonicMs();
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return dataReady; });
      if (glOk && dataOk) drawFrame(a, s, view, *fbo, *frame, draw);
      // GL objects and the context go on the thread where the context is current.
      frame.reset();
      fbo.reset();
      ctx.reset();
    });
    dataOk = loadSession(a, s, view, load, &err);
    dataReadyMs = monotonicMs();
    {
      std::lock_guard<std::mutex> lock(mu);
      dataReady = true;
    }
    cv.notify_one();
    glThread.join();
    if (!dataOk || !glOk) {
      std::fprintf(stderr, "breakdown: %s%s\n", err.c_str(), glErr.c_str());
      return 2;
    }
    emit("gl_waited_for", std::max(0.0, glReadyMs - dataReadyMs));
  }
  emit("gdal_init", load.gdalMs);
  emit("proj_init", load.projMs);
  emit("plugins", load.pluginsMs);
  emit("read", load.readMs);
  emit("prepare", load.prepareMs);
  emit("egl", gl.eglMs);
  emit("shaders", gl.init.shadersMs);
  emit("fonts", gl.init.fontsMs);
  emitDraw(draw);
  const double t = monotonicMs();
  if (!a.png.empty() && !writePng(a.png, a.widthPx, a.heightPx, draw.pixels, &err)) {
    std::fprintf(stderr, "breakdown: %s\n", err.c_str());
    return 2;
  }
  emit("png", monotonicMs() - t);
  emit("peak_rss_mb", statusMb("VmHWM:"));
  emit("end", monotonicMs() - a.spawnMs);
  std::fflush(stdout);
  return 0;
}

// ---- 3. interactive ---------------------------------------------------------------------------

struct GestureStats {
  std::vector<double> frameMs;
  int refreshed = 0;
  double settleMs = 0;  // last input frame shown -> full-quality frame shown
};

int interactive(const ChildArgs& a) {
  std::string err;
  Session s;
  View view;
  LoadSteps load;
  if (!loadSession(a, s, view, load, &err)) {
    std::fprintf(stderr, "interactive: %s\n", err.c_str());
    return 2;
  }
  emit("rss_after_load_mb", statusMb("VmRSS:"));
  auto ctx = HeadlessContext::create(&err);
  if (!ctx) {
    std::fprintf(stderr, "interactive: %s\n", err.c_str());
    return 2;
  }
  emitText("gl_renderer", ctx->description());
  auto screen = OffscreenTarget::create(a.widthPx, a.heightPx, &err);
  MapFrame frame;
  InteractiveRenderer ir;
  if (!screen || !frame.init(&err) || !ir.init(&err)) {
    std::fprintf(stderr, "interactive: %s\n", err.c_str());
    return 2;
  }
  size_t points = 0;
  for (auto& l : s.store->layers())
    if (l->visible && l->kind == GeometryKind::Point) points += l->table.geometry.xy.size();
  emit("points", double(points));

  bool lod = true;
  auto render = [&](const View& v, FrameQuality) {
    FrameOptions fo;
    fo.pointLod = lod;
    frame.draw(*s.store, kCrs, v, fo);
  };
  screen->bind();
  // Full frames drawn directly (no cache): the first one uploads; then the steady cost with
  // and without LOD.
  auto timed = [&](auto&& fn) {
    const double t0 = monotonicMs();
    fn();
    glFinish();
    return monotonicMs() - t0;
  };
  emit("rss_before_frame_mb", statusMb("VmRSS:"));
  emit("first_frame_ms", timed([&] { render(view, FrameQuality::Final); }));
  emit("rss_after_first_frame_mb", statusMb("VmRSS:"));
  emit("peak_after_first_frame_mb", statusMb("VmHWM:"));
  std::vector<double> naive, withLod;
  for (int i = 0; i < 3; ++i) {
    lod = false;
    naive.push_back(timed([&] { render(view, FrameQuality::Final); }));
    lod = true;
    withLod.push_back(timed([&] { render(view, FrameQuality::Final); }));
  }
  emit("full_frame_naive_ms", median(naive));
  emit("full_frame_lod_ms", median(withLod));
  lod = a.pointLod;

  // The window's loop, headless: one frame per step, input while the gesture lasts, then
  // frames every 16 ms (a 60 Hz display) until the full-quality frame has been shown.
  double now = monotonicMs() / 1000.0;
  ir.frame(now, view, false, render);
  glFinish();
  auto gesture = [&](int frames, auto&& move) {
    GestureStats g;
    for (int i = 0; i < frames; ++i) {
      move(view);
      const double t0 = monotonicMs();
      const FrameKind k = ir.frame(t0 / 1000.0, view, true, render);
      glFinish();
      g.frameMs.push_back(monotonicMs() - t0);
      g.refreshed += k == FrameKind::Refreshed;
    }
    const double lastInput = monotonicMs();
    for (;;) {
      timespec ts{0, 16'000'000};
      nanosleep(&ts, nullptr);
      const FrameKind k = ir.frame(monotonicMs() / 1000.0, view, false, render);
      glFinish();
      if (k == FrameKind::Full) break;
      if (monotonicMs() - lastInput > 10'000) break;  // a broken policy must not hang the run
    }
    g.settleMs = monotonicMs() - lastInput;
    return g;
  };
  const double cx = a.widthPx * 0.5, cy = a.heightPx * 0.5;
  auto report = [&](const char* name, const GestureStats& g) {
    const std::string n(name);
    emit((n + "_frames").c_str(), double(g.frameMs.size()));
    emit((n + "_median_ms").c_str(), median(g.frameMs));
    emit((n + "_p95_ms").c_str(), percentile(g.frameMs, 95));
    emit((n + "_max_ms").c_str(), *std::max_element(g.frameMs.begin(), g.frameMs.end()));
    emit((n + "_refreshed").c_str(), g.refreshed);
    emit((n + "_settle_ms").c_str(), g.settleMs);
  };
  // A drag across a third of the screen; a wheel zoom in 2.5x about a point off centre; and
  // back out (the moved frame shrinks below half the view, so one frame is redrawn).
  report("pan", gesture(120, [](View& v) { v.panPixels(6, 2); }));
  report("zoom_in", gesture(60, [&](View& v) { v.zoomAbout({cx + 200, cy - 100}, 1.0154); }));
  report("zoom_out", gesture(60, [&](View& v) { v.zoomAbout({cx - 150, cy + 80}, 1.0 / 1.0154); }));
  emit("peak_rss_mb", statusMb("VmHWM:"));
  std::fflush(stdout);
  return 0;
}

}  // namespace

int runChild(const ChildArgs& args) {
  const double mainMs = monotonicMs();
  if (args.mode == "breakdown") return breakdown(args, mainMs);
  if (args.mode == "interactive") return interactive(args);
  std::fprintf(stderr, "unknown child mode %s\n", args.mode.c_str());
  return 1;
}

}  // namespace bcmap::bench
