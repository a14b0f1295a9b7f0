// Sections: 1. options and formats  2. drawing offscreen  3. PNG  4. SVG  5. sequences
#include "render/Export.h"
#include "render/MapDecorations.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <bcmap/bcmap_plugin.h>
#include "host/FeatureExport.h"
#include "host/LayerStore.h"
#include "io/AtomicFile.h"
#include "model/Log.h"
#include "render/FontAtlas.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"

namespace bcmap {

namespace {

// ---- 1. options and formats ------------------------------------------------------------------
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What an export draws: `in` at the DPI's pixel ratio, with the attribution, nothing
// hovered and no window panel to keep clear of.
std::optional<FrameOptions> exportOptions(const FrameOptions& in, double dpi, std::string* err) {
  if (!(dpi >= kMinDpi && dpi <= kMaxDpi)) {
    if (err) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "DPI %g is outside %g..%g", dpi, kMinDpi, kMaxDpi);
      *err = buf;
    }
    return std::nullopt;
  }
  FrameOptions o = in;
  o.pixelRatio = static_cast<float>(dpi / kBaseDpi);
  o.attribution = true;
  o.highlightLayer.clear();
  o.highlightFeature = -1;
  // None of the window's panels lie over an export, and it carries every source in full.
  o.insetLeftPx = 0;
  o.counterTopPx = 0;
  o.legendTopPx = 0;
  o.attributionMaxLines = 0;
  return o;
}

}  // namespace

ImageFormat parseImageFormat(const std::string& name) {
  const std::string n = lower(name);
  if (n == "png") return ImageFormat::Png;
  if (n == "svg") return ImageFormat::Svg;
  return ImageFormat::Invalid;
}

ImageFormat imageFormatFromPath(const std::string& path) {
  return lower(std::filesystem::path(path).extension().string()) == ".svg" ? ImageFormat::Svg : ImageFormat::Png;
}

View exportView(const View& shown, int widthPx, int heightPx, bool legend, double dpi) {
  View v = shown;
  v.widthPx = widthPx;
  v.heightPx = heightPx;
  if (legend) return fitLeftOfLegend(v, shown.worldBounds(), dpi / kBaseDpi);
  v.fit(shown.worldBounds());
  return v;
}

View fitLeftOfLegend(View view, const Bounds& target, double pixelRatio) {
  const double reserved = legendReservedWidthPx(view.widthPx, pixelRatio);
  View left = view;
  left.widthPx = std::max(1, static_cast<int>(view.widthPx - reserved));
  left.fit(target);
  view.unitsPerPixel = left.unitsPerPixel;
  // The target's centre at the middle of the part left of the panel.
  view.center = {left.center.x + reserved / 2 * left.unitsPerPixel, left.center.y};
  return view;
}

int sequenceFrameCount(int32_t firstDay, int32_t lastDay, int32_t stepDays) {
  if (stepDays < 1 || firstDay == kNoDay || lastDay == kNoDay || lastDay < firstDay) return 0;
  const int64_t n = (int64_t(lastDay) - firstDay) / stepDays + 1;
  return n > 1'000'000 ? 0 : static_cast<int>(n);
}

// ---- 2. drawing offscreen ---------------------------------------------------------------------
namespace {

// Whatever was bound before (the window's map framebuffer) is bound again afterwards.
class SavedBinding {
 public:
  SavedBinding() {
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_);
    glGetIntegerv(GL_VIEWPORT, viewport_.data());
  }
  ~SavedBinding() {
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, GLuint(draw_));
    glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(read_));
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
  }
  SavedBinding(const SavedBinding&) = delete;
  SavedBinding& operator=(const SavedBinding&) = delete;

 private:
  GLint draw_ = 0, read_ = 0;
  std::array<GLint, 4> viewport_{};
};

// Draws one frame into `target` (made or resized to the view's size); `pixels` (if given)
// gets it, top row first.
bool drawOffscreen(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
                   const FrameOptions& o, std::unique_ptr<OffscreenTarget>& target, std::vector<uint8_t>* pixels,
                   std::string* err) {
  SavedBinding saved;
  if (!target) {
    target = OffscreenTarget::create(view.widthPx, view.heightPx, err);
    if (!target) return false;
  } else if ((target->width() != view.widthPx || target->height() != view.heightPx) &&
             !target->resize(view.widthPx, view.heightPx, err)) {
    return false;
  }
  target->bind();
  frame.draw(store, crs, view, o);
  if (pixels) *pixels = target->readPixels();
  return true;
}

bool withOwnFrame(std::string* err, const std::function<bool(MapFrame&)>& work) {
  MapFrame frame;
  std::string why;
  if (!frame.init(&why)) {
    if (err) *err = "export: " + why;
    return false;
  }
  return work(frame);
}

}  // namespace

// ---- 3. PNG -------------------------------------------------------------------------------------
bool exportPng(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
               const FrameOptions& options, double dpi, const std::string& path, std::string* err) {
  if (std::string input = inputFileAt(store, path); !input.empty()) {
    if (err) *err = input;
    return false;
  }
  std::string why;
  const std::optional<FrameOptions> o = exportOptions(options, dpi, &why);
  std::unique_ptr<OffscreenTarget> target;
  std::vector<uint8_t> pixels;
  if (!o || !drawOffscreen(frame, store, crs, view, *o, target, &pixels, &why)) {
    if (err) *err = path + ": " + why;
    return false;
  }
  return writePng(path, view.widthPx, view.heightPx, pixels, err, dpi);
}

bool exportPng(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
               double dpi, const std::string& path, std::string* err) {
  return withOwnFrame(err, [&](MapFrame& f) { return exportPng(f, store, crs, view, options, dpi, path, err); });
}

// ---- 4. SVG ---------------------------------------------------------------------------------------
namespace {

// Pixel coordinates with two decimals (1/100 px is below any renderer's precision).
void appendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  if (ec != std::errc()) return;
  while (end > buf && end[-1] == '0') --end;
  if (end > buf && end[-1] == '.') --end;
  if (end - buf == 2 && buf[0] == '-' && buf[1] == '0') {  // "-0"
    out += '0';
    return;
  }
  out.append(buf, end);
}

std::string number(double v) {
  std::string s;
  appendNumber(s, v);
  return s;
}

std::string hexColor(Rgba c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

// Text as XML character data: valid UTF-8 (bad bytes become U+FFFD), no control
// characters (XML 1.0 forbids them), markup characters escaped.
std::string xmlText(std::string_view utf8) {
  std::u32string cps = FontAtlas::decodeUtf8(utf8);
  std::erase_if(cps, [](char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFFFE || c == 0xFFFF; });
  const std::string clean = FontAtlas::encodeUtf8(cps);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// ` fill="#rrggbb"` and its opacity when not 1 (attr: "fill" or "stroke").
void appendPaint(std::string& out, const char* attr, Rgba c, double opacity) {
  out += ' ';
  out += attr;
  out += "=\"" + hexColor(c) + '"';
  const double a = c.a / 255.0 * opacity;
  if (a < 1) out += std::string(" ") + attr + "-opacity=\"" + number(std::clamp(a, 0.0, 1.0)) + '"';
}

// A point symbol as point.frag draws it: the same-area circle of diameter sizePx, a ring of
// ringPx in the colour darkened to 55 %; the outline is inset by half the ring so the
// symbol's outer edge is where the GL one is.
void appendSymbol(std::string& out, uint8_t symbol, Vec2 c, double sizePx, Rgba fill, double opacity,
                  double ringPx, const std::string& classAttr = {}) {
  const double radius = sizePx / 2;
  ringPx = std::min(ringPx, radius / 3);
  const double rr = std::max(radius - ringPx / 2, 0.1);
  const Rgba dark{uint8_t(fill.r * 0.55), uint8_t(fill.g * 0.55), uint8_t(fill.b * 0.55), fill.a};
  std::vector<Vec2> pts;
  auto polar = [&](double reach, double angleDeg) {  // angle clockwise from up, y down
    const double a = angleDeg * 3.14159265358979323846 / 180;
    pts.push_back({c.x + reach * std::sin(a), c.y - reach * std::cos(a)});
  };
  // The reaches are MapRenderer's kSymbolExtent: each symbol's area is the circle's.
  switch (symbol) {
    case 1:  // square, half side r sqrt(pi) / 2: its corners at that times sqrt 2
      for (double a : {45.0, 135.0, 225.0, 315.0}) polar(1.2533141 * rr, a);
      break;
    case 2:  // diamond: the square turned 45 degrees
      for (double a : {0.0, 90.0, 180.0, 270.0}) polar(1.2533141 * rr, a);
      break;
    case 3:  // triangle, tip up
      for (double a : {0.0, 120.0, 240.0}) polar(1.5551364 * rr, a);
      break;
    case 4:  // star, tip up, inner radius half the outer
      for (int k = 0; k < 10; ++k) polar((k % 2 ? 0.5 : 1.0) * 1.4621915 * rr, 36.0 * k);
      break;
    default: break;
  }
  if (pts.empty()) {
    out += "<circle" + classAttr + " cx=\"" + number(c.x) + "\" cy=\"" + number(c.y) + "\" r=\"" + number(rr) + '"';
  } else {
    out += "<polygon" + classAttr + " points=\"";
    for (size_t i = 0; i < pts.size(); ++i) {
      if (i) out += ' ';
      appendNumber(out, pts[i].x);
      out += ',';
      appendNumber(out, pts[i].y);
    }
    out += '"';
  }
  appendPaint(out, "fill", fill, opacity);
  if (ringPx > 0) {
    appendPaint(out, "stroke", dark, opacity);
    out += " stroke-width=\"" + number(ringPx) + "\" stroke-linejoin=\"round\"";
  }
  out += "/>\n";
}

void appendPoints(std::string& out, const std::vector<Vec2>& pts) {
  for (size_t i = 0; i < pts.size(); ++i) {
    if (i) out += ' ';
    appendNumber(out, pts[i].x);
    out += ',';
    appendNumber(out, pts[i].y);
  }
}

struct LayerSvg {
  const Layer& layer;
  const PreparedLayer& p;
  const View& view;
  const TimeFilter& filter;
  double pixelRatio;
  std::string& out;

  template <class Fn>
  void forEachRing(size_t f, Fn&& fn) const {
    const GeometryColumn& g = p.geometry;
    std::vector<Vec2> pts;
    for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
      for (uint32_t ring = g.partRings[part]; ring < g.partRings[part + 1]; ++ring) {
        pts.clear();
        for (uint32_t v = g.ringVertices[ring]; v < g.ringVertices[ring + 1]; ++v) {
          const Vec2 px = view.toPixel(g.xy[v]);
          if (std::isfinite(px.x) && std::isfinite(px.y)) pts.push_back(px);
        }
        fn(pts);
      }
  }

  // The features the GL frame draws in the view: shown on the filter's day, their bounds
  // (grown by marginPx) meeting the view.
  std::vector<size_t> shownFeatures(double marginPx) const {
    std::vector<size_t> shown;
    Bounds vb = view.worldBounds();
    const double m = marginPx * view.unitsPerPixel;
    vb.minX -= m, vb.minY -= m, vb.maxX += m, vb.maxY += m;
    for (size_t f = 0; f < p.geometry.featureCount(); ++f) {
      if (!p.startDay.empty() && f < p.startDay.size() && !filterShows(p.startDay[f], p.endDay[f], filter)) continue;
      const Bounds b = p.geometry.featureBounds(f);
      if (b.empty() || b.maxX < vb.minX || b.minX > vb.maxX || b.maxY < vb.minY || b.minY > vb.maxY) continue;
      shown.push_back(f);
    }
    return shown;
  }

  Rgba fillOf(size_t f) const {
    const Rgba* c = p.fillAt(f);
    return c ? *c : p.stroke;
  }
  double sizeOf(size_t f) const { return p.pointSizeAt(f, 8.0f) * pixelRatio; }

  void polygons() {
    const double strokePx = p.strokeWidthPx * pixelRatio;
    const std::vector<size_t> features = shownFeatures(strokePx);
    std::string outline;
    for (size_t f : features) {
      std::string d;
      forEachRing(f, [&](std::vector<Vec2>& pts) {
        if (pts.size() > 1 && pts.front().x == pts.back().x && pts.front().y == pts.back().y) pts.pop_back();
        if (pts.size() < 3) return;
        d += d.empty() ? "M" : " M";
        for (size_t i = 0; i < pts.size(); ++i) {
          if (i > 0) d += i == 1 ? " L" : " ";
          appendNumber(d, pts[i].x);
          d += ' ';
          appendNumber(d, pts[i].y);
        }
        d += " Z";
      });
      if (d.empty()) continue;
      out += "<path class=\"feature\" fill-rule=\"evenodd\" d=\"" + d + '"';
      appendPaint(out, "fill", fillOf(f), layer.opacity);
      out += "/>\n";
      if (!outline.empty()) outline += ' ';
      outline += d;
    }
    // The outlines after every fill, as MapRenderer draws them: a later fill does not cover
    // half of an earlier feature's border.
    if (!outline.empty() && strokePx > 0 && p.stroke.a > 0) {
      out += "<path class=\"outline\" fill=\"none\" d=\"" + outline + '"';
      appendPaint(out, "stroke", p.stroke, layer.opacity);
      out += " stroke-width=\"" + number(strokePx) + "\" stroke-linejoin=\"round\"/>\n";
    }
  }

  void lines() {
    const double widthPx = p.strokeWidthPx * pixelRatio;
    const bool startMarkers = (p.lineMarkers & BCMAP_LINE_MARKER_START) != 0;
    const bool endMarkers = (p.lineMarkers & BCMAP_LINE_MARKER_END) != 0;
    const double endSizePx = (p.lineEndMarkerPx > 0 ? p.lineEndMarkerPx : 8.0f) * pixelRatio;
    double markerPx = endMarkers ? endSizePx : 0;
    if (startMarkers)
      for (float s : p.pointSizePx) markerPx = std::max(markerPx, double(s) * pixelRatio);
    const std::vector<size_t> features = shownFeatures(std::max(widthPx, markerPx * 1.6));
    out += "<g fill=\"none\" stroke-width=\"" + number(widthPx) + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n";
    std::vector<std::pair<Vec2, size_t>> starts, ends;
    for (size_t f : features)
      forEachRing(f, [&](std::vector<Vec2>& pts) {
        if (pts.empty()) return;
        if (startMarkers) starts.emplace_back(pts.front(), f);
        if (endMarkers) ends.emplace_back(pts.back(), f);
        if (pts.size() < 2) return;
        out += "<polyline points=\"";
        appendPoints(out, pts);
        out += '"';
        appendPaint(out, "stroke", fillOf(f), layer.opacity);
        out += "/>\n";
      });
    out += "</g>\n";
    // Markers after all the lines: START discs, then END symbols on top (MapRenderer.h).
    for (const auto& [at, f] : starts) appendSymbol(out, 0, at, sizeOf(f), fillOf(f), layer.opacity, pixelRatio);
    for (const auto& [at, f] : ends)
      appendSymbol(out, p.pointSymbol, at, endSizePx, p.stroke, layer.opacity, pixelRatio);
  }

  void points() {
    double largest = 0;
    for (float s : p.pointSizePx) largest = std::max(largest, double(s) * pixelRatio);
    for (size_t f : shownFeatures(largest * 1.6))  // the star reaches 1.46 radii
      forEachRing(f, [&](std::vector<Vec2>& pts) {
        for (const Vec2& at : pts) appendSymbol(out, p.pointSymbol, at, sizeOf(f), fillOf(f), layer.opacity, pixelRatio);
      });
  }
};

void appendText(std::string& out, const TextRecord& t) {
  out += "<text x=\"" + number(t.anchorPx.x) + "\" y=\"" + number(t.baselineYPx) + "\" font-size=\"" +
         number(t.sizePx) + '"';
  if (t.bold) out += " font-weight=\"bold\"";
  if (t.anchorX == TextAnchorX::Center) out += " text-anchor=\"middle\"";
  if (t.anchorX == TextAnchorX::Right) out += " text-anchor=\"end\"";
  appendPaint(out, "fill", t.color, 1.0);
  if (t.haloWidthPx > 0 && t.haloColor.a > 0) {
    // The halo reaches haloWidthPx beyond the letters: a stroke twice that wide, under the fill.
    appendPaint(out, "stroke", t.haloColor, 1.0);
    out += " stroke-width=\"" + number(2.0 * t.haloWidthPx) + "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
  }
  out += '>' + xmlText(t.text) + "</text>\n";
}

void appendShape(std::string& out, const OverlayShape& s, double pixelRatio) {
  if (s.pointsPx.empty()) return;
  const std::string role = " class=\"" + xmlText(s.role) + '"';
  if (s.kind == ShapeKind::Polygon) {
    out += "<polygon" + role + " points=\"";
    appendPoints(out, s.pointsPx);
    out += '"';
    appendPaint(out, "fill", s.color, 1.0);
    out += "/>\n";
  } else if (s.kind == ShapeKind::Line) {
    // A ring whose ends meet is closed, joined at its start too (as MapRenderer draws it).
    const Vec2 a = s.pointsPx.front(), b = s.pointsPx.back();
    const bool closed = s.pointsPx.size() > 3 && a.x == b.x && a.y == b.y;
    std::vector<Vec2> pts = s.pointsPx;
    if (closed) pts.pop_back();
    out += std::string(closed ? "<polygon" : "<polyline") + role + " fill=\"none\" points=\"";
    appendPoints(out, pts);
    out += '"';
    appendPaint(out, "stroke", s.color, 1.0);
    out += " stroke-width=\"" + number(s.widthPx) + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n";
  } else if (s.kind == ShapeKind::Symbol) {
    appendSymbol(out, s.symbol, s.pointsPx.front(), s.widthPx, s.color, 1.0, pixelRatio, role);
  }
}

}  // namespace

bool exportSvg(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
               const FrameOptions& options, double dpi, const std::string& path, std::string* err) {
  if (std::string input = inputFileAt(store, path); !input.empty()) {
    if (err) *err = input;
    return false;
  }
  std::string why;
  const std::optional<FrameOptions> o = exportOptions(options, dpi, &why);
  // The GL frame gives the decorations' layout (text is measured with the real font).
  std::unique_ptr<OffscreenTarget> target;
  if (!o || !drawOffscreen(frame, store, crs, view, *o, target, nullptr, &why)) {
    if (err) *err = path + ": " + why;
    return false;
  }
  const FrameRecord& rec = frame.lastRecord();
  const double r = o->pixelRatio;
  const TimeFilter filter{o->day, o->timeMode, o->windowDays};

  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + std::to_string(view.widthPx) +
         "\" height=\"" + std::to_string(view.heightPx) + "\" viewBox=\"0 0 " + std::to_string(view.widthPx) + ' ' +
         std::to_string(view.heightPx) + "\">\n";
  out += "<rect width=\"100%\" height=\"100%\"";
  appendPaint(out, "fill", o->background, 1.0);
  // No clip path: the outer <svg> clips to its viewport, and some renderers (ImageMagick's)
  // drop clipped groups altogether.
  out += "/>\n<g id=\"layers\">\n";
  for (auto& lp : store.layers()) {
    Layer& l = *lp;
    if (l.status != LayerStatus::Loaded || !l.visible) continue;
    std::string perr;
    auto p = store.prepare(l, crs, &perr);
    if (!p) {
      logWarning(perr);
      continue;
    }
    out += "<g id=\"layer-" + xmlText(l.id) + "\" class=\"layer\">\n";
    LayerSvg svg{l, *p, view, filter, r, out};
    if (p->kind == GeometryKind::Polygon) svg.polygons();
    if (p->kind == GeometryKind::Line) svg.lines();
    if (p->kind == GeometryKind::Point) svg.points();
    out += "</g>\n";
  }
  out += "</g>\n<g font-family=\"Noto Sans CJK SC, sans-serif\">\n<g id=\"labels\">\n";
  for (const TextRecord& t : rec.labelTexts) appendText(out, t);
  out += "</g>\n<g id=\"decorations\">\n";
  // As drawShapes draws them: polygons, then lines, then symbols.
  for (ShapeKind kind : {ShapeKind::Polygon, ShapeKind::Line, ShapeKind::Symbol})
    for (const OverlayShape& s : rec.shapes)
      if (s.kind == kind) appendShape(out, s, r);
  for (const TextRecord& t : rec.texts) appendText(out, t);
  out += "</g>\n</g>\n</svg>\n";

  // A crash or kill mid-write leaves the earlier file whole (issue 12).
  std::string writeErr;
  if (!writeFileAtomically(path, out, &writeErr, FolderPolicy::MustExist)) {
    if (err) *err = path + ": cannot write SVG (" + writeErr + ")";
    return false;
  }
  return true;
}

bool exportSvg(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
               double dpi, const std::string& path, std::string* err) {
  return withOwnFrame(err, [&](MapFrame& f) { return exportSvg(f, store, crs, view, options, dpi, path, err); });
}

bool exportImage(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
                 const FrameOptions& options, ImageFormat format, double dpi, const std::string& path,
                 std::string* err) {
  switch (format) {
    case ImageFormat::Png: return exportPng(frame, store, crs, view, options, dpi, path, err);
    case ImageFormat::Svg: return exportSvg(frame, store, crs, view, options, dpi, path, err);
    case ImageFormat::Invalid: break;
  }
  if (err) *err = path + ": no image format (png or svg)";
  return false;
}

// ---- 5. sequences -------------------------------------------------------------------------------
bool exportSequence(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
                    const FrameOptions& options, double dpi, int32_t firstDay, int32_t lastDay, int32_t stepDays,
                    const std::string& dir, const std::string& prefix, std::string* err,
                    std::vector<std::string>* written, const ExportProgress& progress) {
  const int total = sequenceFrameCount(firstDay, lastDay, stepDays);
  if (total == 0) {
    if (err) *err = dir + ": no frames: the days must be first <= last and the step at least 1 day";
    return false;
  }
  std::string why;
  std::optional<FrameOptions> o = exportOptions(options, dpi, &why);
  if (!o) {
    if (err) *err = dir + ": " + why;
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    if (err) *err = dir + ": cannot make the folder (" + ec.message() + ")";
    return false;
  }
  o->dateCounter = true;
  std::unique_ptr<OffscreenTarget> target;
  std::vector<uint8_t> pixels;
  const std::string stem = prefix.empty() ? std::string("bcmap") : prefix;
  for (int i = 0; i < total; ++i) {
    o->day = static_cast<int32_t>(firstDay + int64_t(i) * stepDays);
    char name[32];
    std::snprintf(name, sizeof name, "-%04d.png", i + 1);
    const std::string path = (std::filesystem::path(dir) / (stem + name)).string();
    if (!drawOffscreen(frame, store, crs, view, *o, target, &pixels, &why)) {
      if (err) *err = path + ": " + why;
      return false;
    }
    if (!writePng(path, view.widthPx, view.heightPx, pixels, err, dpi)) return false;
    if (written) written->push_back(path);
    if (progress && !progress(i + 1, total)) {
      if (err) *err = dir + ": cancelled after " + std::to_string(i + 1) + " of " + std::to_string(total) + " frames";
      return false;
    }
  }
  return true;
}

bool exportSequence(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
                    double dpi, int32_t firstDay, int32_t lastDay, int32_t stepDays, const std::string& dir,
                    const std::string& prefix, std::string* err, std::vector<std::string>* written) {
  return withOwnFrame(err, [&](MapFrame& f) {
    return exportSequence(f, store, crs, view, options, dpi, firstDay, lastDay, stepDays, dir, prefix, err, written);
  });
}

}  // namespace bcmap
