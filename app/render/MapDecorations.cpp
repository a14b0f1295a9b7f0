// Sections: 1. helpers  2. scale bar  3. attribution  4. title and date counter
//           5. north arrow  6. legend  7. drawing the shapes
#include "render/MapDecorations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include <bcmap/bcmap_plugin.h>
#include "host/LayerStore.h"
#include "render/FontAtlas.h"
#include "render/MapRenderer.h"

namespace bcmap {

double legendReservedWidthPx(double W, double r) {
  const double margin = 10 * r;
  return std::min(W - 2 * margin, std::max(150 * r, std::min(0.42 * W, 380 * r))) + margin;
}

namespace {

// ---- 1. helpers ---------------------------------------------------------------------------
constexpr std::string_view kSampleNotice = "示例数据 / sample data";
constexpr std::string_view kEllipsis = "…";
constexpr double kPi = 3.14159265358979323846;
const Rgba kInk{40, 40, 40, 255};
const Rgba kHalo{255, 255, 255, 230};

bool sameRgb(Rgba a, Rgba b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

OverlayShape polygonShape(std::vector<Vec2> ring, Rgba color, const char* role) {
  OverlayShape s;
  s.kind = ShapeKind::Polygon;
  s.role = role;
  s.pointsPx = std::move(ring);
  s.color = color;
  return s;
}

OverlayShape rectShape(double x0, double y0, double x1, double y1, Rgba color, const char* role) {
  return polygonShape({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, color, role);
}

OverlayShape lineShape(std::vector<Vec2> pts, Rgba color, double widthPx, const char* role) {
  OverlayShape s;
  s.kind = ShapeKind::Line;
  s.role = role;
  s.pointsPx = std::move(pts);
  s.color = color;
  s.widthPx = static_cast<float>(widthPx);
  return s;
}

// A rectangle's outline: a closed ring (first point repeated) inset by half the width, so
// the line lies inside the rectangle and a 1 px line covers whole pixels.
OverlayShape frameShape(double x0, double y0, double x1, double y1, Rgba color, double widthPx,
                        const char* role) {
  const double h = widthPx / 2;
  return lineShape({{x0 + h, y0 + h}, {x1 - h, y0 + h}, {x1 - h, y1 - h}, {x0 + h, y1 - h}, {x0 + h, y0 + h}},
                   color, widthPx, role);
}

OverlayShape symbolShape(Vec2 at, Rgba color, double sizePx, uint8_t symbol, const char* role) {
  OverlayShape s;
  s.kind = ShapeKind::Symbol;
  s.role = role;
  s.pointsPx = {at};
  s.color = color;
  s.widthPx = static_cast<float>(sizePx);
  s.symbol = symbol;
  return s;
}

// Text widths, remembered by (font, size, halo, text): the legend measures the same strings,
// and tries the same prefixes when it shortens one, every frame (4 ms a frame otherwise).
class Measurer {
 public:
  Measurer(const TextRenderer& text, std::unordered_map<std::string, double>& memo) : text_(text), memo_(memo) {}

  double width(std::string_view s, const TextStyle& style) {
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "%d/%g/%g/", style.font, double(style.sizePx), double(style.haloWidthPx));
    std::string key = prefix;
    key += s;
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (memo_.size() > 8192) memo_.clear();  // texts come and go with the layers
    const Bounds b = text_.measureBox(s, {0, 0}, style);
    const double w = b.empty() ? 0.0 : b.width();
    memo_.emplace(std::move(key), w);
    return w;
  }

  // `s` when it fits in maxWidthPx, else its longest prefix (whole code points) followed by
  // "…" that does.
  std::string fit(const std::string& s, const TextStyle& style, double maxWidthPx) {
    if (width(s, style) <= maxWidthPx) return s;
    const std::u32string cps = FontAtlas::decodeUtf8(s);
    auto candidate = [&](size_t n) {
      std::u32string_view prefix(cps.data(), n);
      while (!prefix.empty() && prefix.back() == U' ') prefix.remove_suffix(1);
      return FontAtlas::encodeUtf8(prefix) + std::string(kEllipsis);
    };
    size_t lo = 0, hi = cps.size();  // the answer is in [lo, hi]; prefix 0 is "…" alone
    while (lo < hi) {
      const size_t mid = (lo + hi + 1) / 2;
      if (width(candidate(mid), style) <= maxWidthPx)
        lo = mid;
      else
        hi = mid - 1;
    }
    return candidate(lo);
  }

  // `s` broken into lines no wider than maxWidthPx: each line the longest run of whole code
  // points that fits, ended at its last space when it has one (the space dropped), so words
  // stay whole and Chinese text breaks between characters. A line holds at least one code
  // point, so a glyph wider than maxWidthPx stands alone.
  std::vector<std::string> wrap(const std::string& s, const TextStyle& style, double maxWidthPx) {
    if (width(s, style) <= maxWidthPx) return {s};
    const std::u32string cps = FontAtlas::decodeUtf8(s);
    std::vector<std::string> lines;
    size_t begin = 0;
    while (begin < cps.size()) {
      while (begin < cps.size() && cps[begin] == U' ') ++begin;
      if (begin == cps.size()) break;
      const std::u32string_view rest(cps.data() + begin, cps.size() - begin);
      size_t lo = 1, hi = rest.size();  // the longest prefix that fits is in [lo, hi]
      while (lo < hi) {
        const size_t mid = (lo + hi + 1) / 2;
        if (width(FontAtlas::encodeUtf8(rest.substr(0, mid)), style) <= maxWidthPx)
          lo = mid;
        else
          hi = mid - 1;
      }
      size_t n = lo;
      if (n < rest.size() && rest[n] != U' ') {
        const size_t space = rest.substr(0, n).find_last_of(U' ');
        if (space != std::u32string_view::npos && space > 0) n = space;
      }
      std::u32string_view line = rest.substr(0, n);
      while (!line.empty() && line.back() == U' ') line.remove_suffix(1);
      lines.push_back(FontAtlas::encodeUtf8(line));
      begin += n;
    }
    return lines;
  }

 private:
  const TextRenderer& text_;
  std::unordered_map<std::string, double>& memo_;
};

// The parts of an attribution ("a · b · c").
std::vector<std::string> attributionParts(std::string_view rest) {
  std::vector<std::string> parts;
  while (!rest.empty()) {
    const size_t cut = rest.find(" · ");
    parts.emplace_back(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 3);
  }
  return parts;
}

TextStyle textStyle(const FontPicker& font, bool bold, double sizePx, Rgba color) {
  TextStyle s;
  s.font = font(bold, static_cast<float>(sizePx));
  s.color = color;
  return s;
}

}  // namespace

double attributionBandPx(int maxLines, double pixelRatio) {
  // As section 3 lays them out: 14 px a line, the last 4 px above the bottom; 4 px to spare.
  return (4 + 14.0 * std::max(maxLines, 1) + 4) * pixelRatio;
}

// Parts that open with the same short head ("示例数据 sample data: a; b" and "示例数据 sample
// data: c; b") become one ("…: a; b; c"): each clause once, in the order first seen, so
// layers from one source do not repeat its notice line after line.
std::vector<std::string> mergeAttributionParts(const std::vector<std::string>& parts) {
  constexpr size_t kMaxHead = 40;  // bytes; a longer text before ": " is no head
  struct Merged {
    std::string head;  // "" : a part without a head, kept as it is
    std::vector<std::string> clauses;
  };
  std::vector<Merged> merged;
  for (const std::string& part : parts) {
    const size_t colon = part.find(": ");
    if (colon == std::string::npos || colon > kMaxHead) {
      if (std::none_of(merged.begin(), merged.end(), [&](const Merged& m) { return m.head.empty() && m.clauses[0] == part; }))
        merged.push_back({"", {part}});
      continue;
    }
    const std::string head = part.substr(0, colon);
    auto it = std::find_if(merged.begin(), merged.end(), [&](const Merged& m) { return m.head == head; });
    if (it == merged.end()) it = merged.insert(merged.end(), Merged{head, {}});
    std::string_view rest = std::string_view(part).substr(colon + 2);
    while (!rest.empty()) {
      const size_t cut = rest.find("; ");
      const std::string clause(rest.substr(0, cut));
      rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 2);
      if (!clause.empty() && std::find(it->clauses.begin(), it->clauses.end(), clause) == it->clauses.end())
        it->clauses.push_back(clause);
    }
  }
  std::vector<std::string> out;
  for (const Merged& m : merged) {
    if (m.head.empty()) {
      out.push_back(m.clauses[0]);
      continue;
    }
    std::string joined = m.head + ":";
    for (size_t k = 0; k < m.clauses.size(); ++k) joined += (k ? "; " : " ") + m.clauses[k];
    out.push_back(std::move(joined));
  }
  return out;
}

std::string expandTitle(const std::string& title, int32_t day) {
  static constexpr std::string_view kDateField = "{date}";
  std::string out;
  std::string_view rest = title;
  for (size_t at; (at = rest.find(kDateField)) != std::string_view::npos; rest.remove_prefix(at + kDateField.size())) {
    out += rest.substr(0, at);
    if (day != kNoDay) out += formatDate(day);
  }
  out += rest;
  // Without a day the field leaves nothing, nor the spaces it would have stood between.
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool titleShowsDate(const std::string& title, int32_t day) {
  if (day == kNoDay || title.empty()) return false;
  const std::string iso = formatDate(day);  // YYYY-MM-DD
  if (iso.size() != 10) return false;
  const std::string y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  auto unpadded = [](const std::string& two) { return two[0] == '0' ? two.substr(1) : two; };
  for (const std::string& form : {iso, y + "/" + m + "/" + d, y + "." + m + "." + d, y + "年" + m + "月" + d + "日",
                                  y + "年" + unpadded(m) + "月" + unpadded(d) + "日"})
    if (title.find(form) != std::string::npos) return true;
  return false;
}

void MapDecorations::layout(const DrawnLayers& drawn, const std::string& displayCrs, const View& view,
                            const FrameOptions& o, double metresPerPixel, TextRenderer& text,
                            const FontPicker& font, FrameRecord* record) {
  const double r = o.pixelRatio;
  const double W = view.widthPx, H = view.heightPx;
  std::vector<OverlayShape>& shapes = record->shapes;
  Measurer measure(text, widths_);

  // ---- 2. scale bar (bottom left) -------------------------------------------------------
  double scaleBarRight = o.insetLeftPx;  // what the attribution keeps clear of
  if (o.scaleBar && metresPerPixel > 0 && std::isfinite(metresPerPixel)) {
    // The longest 1-2-5 × 10^k ground length that fits in about 120 px.
    const double maxM = 120.0 * r * metresPerPixel;
    double len = std::pow(10.0, std::floor(std::log10(maxM)));
    for (double step : {5.0, 2.0})
      if (len * step <= maxM) {
        len *= step;
        break;
      }
    const double barPx = len / metresPerPixel;
    const double x0 = o.insetLeftPx + 16 * r, y0 = H - 20 * r, tick = 6 * r;
    shapes.push_back(lineShape({{x0, y0 - tick}, {x0, y0}, {x0 + barPx, y0}, {x0 + barPx, y0 - tick}}, kInk, 2 * r,
                               "scale-bar"));
    char label[64];
    if (len >= 1000)
      std::snprintf(label, sizeof label, "%g km", len / 1000);
    else
      std::snprintf(label, sizeof label, "%g m", len);
    TextStyle s = textStyle(font, false, 12 * r, TextStyle{}.color);
    s.haloWidthPx = static_cast<float>(2 * r);
    s.anchorX = TextAnchorX::Center;
    s.anchorY = TextAnchorY::Bottom;
    text.addText(label, {x0 + barPx / 2, y0 - 3 * r}, s);
    scaleBarRight = std::max(x0 + barPx, text.measureBox(label, {x0 + barPx / 2, y0 - 3 * r}, s).maxX);
  }

  // ---- 3. attribution (bottom right) --------------------------------------------------------
  // Each layer's attribution split at " · " into parts, each part once; the sample notice
  // leads whenever a sample layer is shown. Lines wrap (right-aligned, bottom up, a part
  // too long for a line broken at its spaces) so a narrow image never loses the notice off
  // its left edge, and no line runs into the scale bar.
  double attributionTop = H;  // what the legend must stay above
  if (o.attribution) {
    std::vector<std::string> parts;
    bool sample = false;
    for (const auto& [l, p] : drawn) {
      sample = sample || l->isSample;
      for (std::string& part : attributionParts(l->attribution)) {
        const bool notice = part.find("示例数据") != std::string::npos && part.size() < 40;
        if (part.empty() || notice || std::find(parts.begin(), parts.end(), part) != parts.end()) continue;
        parts.push_back(std::move(part));
      }
    }
    parts = mergeAttributionParts(parts);
    if (sample) {
      // A part that opens with the notice leads in its place; else the notice itself.
      auto noticed = std::find_if(parts.begin(), parts.end(),
                                  [](const std::string& p) { return p.rfind("示例数据", 0) == 0; });
      if (noticed != parts.end()) {
        noticed->replace(0, noticed->find(": "), kSampleNotice);  // the notice in its usual words
        std::rotate(parts.begin(), noticed, noticed + 1);
      } else
        parts.insert(parts.begin(), std::string(kSampleNotice));
    }
    record->attributionParts = parts;
    TextStyle s = textStyle(font, false, 11 * r, Rgba{60, 60, 60, 255});
    s.haloWidthPx = static_cast<float>(2 * r);
    s.anchorX = TextAnchorX::Right;
    s.anchorY = TextAnchorY::Bottom;
    const double maxWidth = W - 6 * r - std::max(o.insetLeftPx + 6 * r, scaleBarRight + 12 * r);
    std::vector<std::string> lines;
    for (const std::string& part : parts) {
      // The part's pieces: words packed into lines (a word wider than a line stays whole).
      std::vector<std::string> pieces;
      std::string_view rest = part;
      while (!rest.empty()) {
        const size_t space = rest.find(' ');
        const std::string_view word = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        const std::string longer = pieces.empty() ? std::string(word) : pieces.back() + " " + std::string(word);
        if (!pieces.empty() && measure.width(longer, s) <= maxWidth)
          pieces.back() = longer;
        else
          pieces.emplace_back(word);
      }
      for (size_t k = 0; k < pieces.size(); ++k) {
        const std::string joined = lines.empty() ? pieces[k] : lines.back() + " · " + pieces[k];
        if (k == 0 && !lines.empty() && measure.width(joined, s) <= maxWidth)
          lines.back() = joined;
        else
          lines.push_back(pieces[k]);
      }
    }
    if (o.attributionMaxLines > 0 && lines.size() > static_cast<size_t>(o.attributionMaxLines)) {
      // Too many lines for the window's map: one line that keeps the sample notice and
      // says where the rest is (the window shows every part when the pointer is on it, as
      // web maps' compact attribution does); exports never set a limit.
      lines = {(sample ? std::string(kSampleNotice) + " · " : std::string()) + "数据来源 Sources (i)"};
      record->attributionCompact = true;
    }
    const double lineStep = 14 * r;
    double y = H - 4 * r;
    Bounds box;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it, y -= lineStep) {
      text.addText(*it, {W - 6 * r, y}, s);
      const Bounds b = text.measureBox(*it, {W - 6 * r, y}, s);
      attributionTop = std::min(attributionTop, b.minY);
      box.add(b.minX, b.minY);
      box.add(b.maxX, b.maxY);
    }
    record->attributionBoxPx = box;
  }
  record->attributionTopPx = attributionTop;

  // ---- 4. title and date counter (top centre; the counter top left without a title) -------
  Bounds titleBox, counterBox;
  // "{date}" in the title is the frame's day (each frame of a sequence its own); a title
  // that shows the day, so written or typed, takes the counter's place: the date prints once.
  const std::string fullTitle = expandTitle(o.title, o.day);
  record->dateInTitle = o.day != kNoDay && titleShowsDate(fullTitle, o.day);
  if (!fullTitle.empty()) {
    // A title too wide for a small image steps down in size, then wraps onto a second line;
    // only a third line is cut with "…" (record->titleTruncated), since the date it often
    // ends with is what a reader looks for.
    const double maxW = W - 20 * r;
    auto titleStyle = [&](double px) {
      TextStyle s = textStyle(font, true, px * r, Rgba{20, 20, 20, 255});
      s.haloColor = kHalo;
      s.haloWidthPx = static_cast<float>(3 * r);
      s.anchorX = TextAnchorX::Center;
      s.anchorY = TextAnchorY::Top;
      return s;
    };
    TextStyle s = titleStyle(22);
    std::vector<std::string> lines;
    for (double px : {22.0, 19.0, 16.0}) {
      s = titleStyle(px);
      if (measure.width(fullTitle, s) <= maxW) {
        lines = {fullTitle};
        break;
      }
    }
    if (lines.empty()) {
      lines = measure.wrap(fullTitle, s, maxW);
      if (lines.size() > 2) {
        std::string rest = lines[1];
        for (size_t k = 2; k < lines.size(); ++k) rest += " " + lines[k];
        lines.resize(2);
        lines[1] = measure.fit(rest, s, maxW);
        record->titleTruncated = true;
      }
    }
    double y = 10 * r;
    for (const std::string& line : lines) {
      text.addText(line, {W / 2, y}, s);
      const Bounds b = text.measureBox(line, {W / 2, y}, s);
      titleBox.add(b);
      y = b.maxY + 2 * r;
    }
  }
  if (o.dateCounter && o.day != kNoDay && !record->dateInTitle) {
    TextStyle s = textStyle(font, true, 26 * r, Rgba{25, 25, 25, 255});
    s.haloColor = kHalo;
    s.haloWidthPx = static_cast<float>(3 * r);
    s.anchorY = TextAnchorY::Top;
    Vec2 at{o.insetLeftPx + 14 * r, std::max(10 * r, o.counterTopPx)};
    if (!titleBox.empty()) {
      s.anchorX = TextAnchorX::Center;
      at = {W / 2, titleBox.maxY + 2 * r};
    }
    const std::string date = formatDate(o.day);
    text.addText(date, at, s);
    counterBox = text.measureBox(date, at, s);
  }

  for (const Bounds& b : {titleBox, counterBox})
    if (!b.empty()) record->keepClearPx.push_back(b);

  // ---- 5. north arrow (top left, below the title or the counter) ----------------------------
  record->northAngleDeg = NAN;
  if (o.northArrow) {
    const double angle = northAngleDeg(displayCrs, view);
    if (std::isfinite(angle)) {
      record->northAngleDeg = angle;
      double top = 10 * r;
      if (!titleBox.empty()) top = std::max(top, titleBox.maxY + 8 * r);
      if (!counterBox.empty()) top = std::max(top, counterBox.maxY + 8 * r);
      // Turned about its centre the arrow and its "N" stay within a circle of radius 30 px.
      const Vec2 c{o.insetLeftPx + 12 * r + 30 * r, top + 30 * r};
      const double a = angle * kPi / 180, ca = std::cos(a), sa = std::sin(a);
      // Screen y is down: turning (x, y) clockwise by a is (x cos a - y sin a, x sin a + y cos a).
      auto at = [&](double x, double y) { return Vec2{c.x + (x * ca - y * sa) * r, c.y + (x * sa + y * ca) * r}; };
      const Vec2 tip = at(0, -16), left = at(-9, 13), notch = at(0, 6), right = at(9, 13);
      shapes.push_back(polygonShape({tip, left, notch}, kInk, "north-arrow"));
      shapes.push_back(polygonShape({tip, notch, right}, Rgba{255, 255, 255, 255}, "north-arrow"));
      shapes.push_back(lineShape({tip, left, notch, right, tip}, kInk, 1.2 * r, "north-arrow"));
      TextStyle s = textStyle(font, true, 14 * r, Rgba{20, 20, 20, 255});
      s.haloColor = kHalo;
      s.haloWidthPx = static_cast<float>(2 * r);
      s.anchorX = TextAnchorX::Center;
      s.anchorY = TextAnchorY::Middle;
      text.addText("N", at(0, -25), s);
      record->keepClearPx.push_back({c.x - 30 * r, c.y - 30 * r, c.x + 30 * r, c.y + 30 * r});
    }
  }

  // ---- 6. legend (top right) ------------------------------------------------------------------
  record->legend.clear();
  record->legendPanelPx = Bounds();
  record->legendTruncated = false;
  if (!o.legend || drawn.empty()) return;

  counts_.retain([&](const Layer* l) {  // forget layers no longer drawn
    return std::any_of(drawn.begin(), drawn.end(), [&](const auto& d) { return d.first == l; });
  });

  const TimeFilter filter{o.day, o.timeMode, o.windowDays};
  enum class RowKind : uint8_t { Name, Heading, Entry, Source, Sample };
  struct Row {
    RowKind kind;
    const Layer* layer;
    size_t entry;      // RowKind::Entry: index into layer->legend
    std::string text;  // before fitting
    std::string count;
    double height, gapBefore;  // in legend units (pixels at pixel ratio 1 and full size)
    double swatchW = 18;       // the layer's swatch column (wider for a size legend's discs)
  };
  std::vector<Row> rows;
  for (auto it = drawn.rbegin(); it != drawn.rend(); ++it) {  // top of the draw order first
    const Layer& l = *it->first;
    const std::vector<std::optional<size_t>>& counts = counts_.counts(l, filter);
    LegendRecordLayer rl;
    rl.layerId = l.id;
    rl.name = l.displayName();
    const std::vector<std::string> parts = attributionParts(l.attribution);
    rl.source = parts.empty() ? std::string() : parts.front();
    rl.sample = l.isSample;
    rows.push_back({RowKind::Name, &l, 0, rl.name, {}, 19, rows.empty() ? 0.0 : 7});
    rl.heading = l.style.legendHeading;
    if (!rl.heading.empty()) rows.push_back({RowKind::Heading, &l, 0, rl.heading, {}, 16, 0});
    double swatchW = 18;  // a size legend's column: as wide as its largest disc, and a margin
    for (const LegendEntry& le : l.legend) swatchW = std::max(swatchW, std::ceil(le.sizePx) + 2);
    // A table layer (issue 12) has no symbol on the map: a line says so instead of swatches.
    if (l.tableOnly()) rows.push_back({RowKind::Heading, &l, 0, "无几何 no geometry", {}, 16, 0});
    for (size_t e = 0; e < (l.tableOnly() ? 0 : l.legend.size()); ++e) {
      const LegendEntry& le = l.legend[e];
      rl.entries.push_back({le.label, le.kind, le.fill, le.stroke, counts[e], le.sizePx});
      rows.push_back({RowKind::Entry, &l, e, le.label, counts[e] ? std::to_string(*counts[e]) : std::string(),
                      std::max(18.0, std::ceil(le.sizePx) + 4), 0, swatchW});
    }
    // A sample layer's source that opens with the notice says what the notice row below it
    // and the attribution say: left out, so a small export's legend is not half notices.
    const bool sourceIsNotice = l.isSample && rl.source.rfind("示例数据", 0) == 0;
    if (!rl.source.empty() && !sourceIsNotice) rows.push_back({RowKind::Source, &l, 0, rl.source, {}, 13, 1});
    if (l.isSample) rows.push_back({RowKind::Sample, &l, 0, std::string(kSampleNotice), {}, 13, 0});
    record->legend.push_back(std::move(rl));
  }

  // The panel at a size: q pixels a legend unit. Too tall for the map at full size, it
  // shrinks (in steps, so few glyph atlases are made) to 80 %, then stops with "…".
  struct Panel {
    double q = 0;
    TextStyle name, heading, entry, count, source, sample;
    double pad = 0, swatchW = 0, swatchGap = 0, countGap = 0, contentW = 0;
    double x0 = 0, x1 = 0, top = 0, available = 0, total = 0;
    // Per row: its text wrapped to the panel's width, and its height (legend units) to hold them.
    std::vector<std::vector<std::string>> lines;
    std::vector<double> heights;
    const TextStyle& style(RowKind k) const {
      switch (k) {
        case RowKind::Name: return name;
        case RowKind::Heading: return heading;
        case RowKind::Entry: return entry;
        case RowKind::Source: return source;
        case RowKind::Sample: return sample;
      }
      return entry;
    }
  };
  const double margin = 10 * r;
  // The distance between the baselines of a row's wrapped lines, in legend units.
  auto lineStep = [](RowKind k) {
    return k == RowKind::Name ? 16.0 : k == RowKind::Entry || k == RowKind::Heading ? 15.0 : 12.0;
  };
  // An entry's text column: the panel less its swatch column and its count.
  auto entryTextWidth = [&](const Panel& g, const Row& row) {
    double w = g.contentW - row.swatchW * g.q - g.swatchGap;
    if (!row.count.empty()) w -= g.countGap + measure.width(row.count, g.count);
    return w;
  };
  auto panelAt = [&](double scale) {
    Panel g;
    const double q = g.q = r * scale * std::clamp(static_cast<double>(o.legendScale), 0.5, 2.0);
    g.name = textStyle(font, true, 13 * q, Rgba{25, 25, 25, 255});
    g.heading = textStyle(font, false, 12 * q, Rgba{90, 90, 90, 255});
    g.entry = textStyle(font, false, 12 * q, Rgba{35, 35, 35, 255});
    g.count = textStyle(font, false, 12 * q, Rgba{90, 90, 90, 255});
    g.source = textStyle(font, false, 10 * q, Rgba{115, 115, 115, 255});
    g.sample = textStyle(font, false, 10 * q, Rgba{150, 80, 0, 255});
    for (TextStyle* s : {&g.name, &g.heading, &g.entry, &g.count, &g.source, &g.sample}) s->anchorY = TextAnchorY::Middle;
    g.count.anchorX = TextAnchorX::Right;
    g.pad = 8 * q, g.swatchW = 18 * q, g.swatchGap = 6 * q, g.countGap = 10 * q;
    double natural = 0;
    for (const Row& row : rows) {
      double w = measure.width(row.text, g.style(row.kind));
      if (row.kind == RowKind::Entry) {
        w += row.swatchW * q + g.swatchGap;
        if (!row.count.empty()) w += g.countGap + measure.width(row.count, g.count);
      }
      natural = std::max(natural, w);
    }
    const double maxPanelW = legendReservedWidthPx(W, r) - margin;
    g.contentW = std::max(0.0, std::min(natural, maxPanelW - 2 * g.pad));
    // A text wider than the panel wraps onto more lines (never cut with "…": a legend
    // line is the only key to its colour); its row grows to hold them.
    for (const Row& row : rows) {
      const double textW = row.kind == RowKind::Entry ? entryTextWidth(g, row) : g.contentW;
      g.lines.push_back(measure.wrap(row.text, g.style(row.kind), std::max(textW, 1.0)));
      const double n = static_cast<double>(g.lines.back().size());
      g.heights.push_back(std::max(row.height, n * lineStep(row.kind) + (row.height - lineStep(row.kind))));
      g.total += (row.gapBefore + g.heights.back()) * q;
    }
    g.x1 = std::floor(W - margin);
    g.x0 = std::floor(g.x1 - g.contentW - 2 * g.pad);
    g.top = std::floor(std::max(margin, o.legendTopPx));
    for (const Bounds& b : {titleBox, counterBox})  // below the title and counter where they reach it
      if (!b.empty() && b.maxX > g.x0 - 4 * r && b.minX < g.x1) g.top = std::max(g.top, std::ceil(b.maxY + 6 * r));
    g.available = attributionTop - 6 * r - g.top - 2 * g.pad;
    return g;
  };
  Panel g;
  for (double scale : {1.0, 0.9, 0.8}) {
    g = panelAt(scale);
    if (g.total <= g.available) break;
  }
  const double q = g.q;

  // What fits; if not everything, as many rows as leave room for a last "…" row, without a
  // layer name whose entries are all cut.
  const double moreH = 16 * q;
  double used = g.total;
  size_t kept = rows.size();
  if (used > g.available) {
    record->legendTruncated = true;
    used = 0;
    kept = 0;
    while (kept < rows.size() && used + (rows[kept].gapBefore + g.heights[kept]) * q + moreH <= g.available)
      used += (rows[kept].gapBefore + g.heights[kept]) * q, ++kept;
    while (kept > 0 && (rows[kept - 1].kind == RowKind::Name || rows[kept - 1].kind == RowKind::Heading)) {
      --kept;
      used -= (rows[kept].gapBefore + g.heights[kept]) * q;
    }
    if (kept == 0) return;  // not even one layer fits: no panel
    used += moreH;
  }

  const double x0 = g.x0, x1 = g.x1, top = g.top;
  const double y1 = std::ceil(top + used + 2 * g.pad);
  record->legendPanelPx.add(x0, top);
  record->legendPanelPx.add(x1, y1);
  record->keepClearPx.push_back(record->legendPanelPx);
  shapes.push_back(rectShape(x0, top, x1, y1, Rgba{255, 255, 255, 225}, "legend-panel"));
  shapes.push_back(frameShape(x0, top, x1, y1, Rgba{140, 140, 140, 255}, std::max(1.0, std::round(r)), "legend-panel"));

  double y = top + g.pad;
  const double left = x0 + g.pad, right = x1 - g.pad;
  for (size_t i = 0; i < kept; ++i) {
    const Row& row = rows[i];
    y += row.gapBefore * q;
    const double rowTop = y, cy = y + g.heights[i] * q / 2;
    y += g.heights[i] * q;
    // The row's lines, as a block centred in the row (one line: on the row's middle).
    auto addLines = [&](double x, const TextStyle& style) {
      const std::vector<std::string>& lines = g.lines[i];
      const double step = lineStep(row.kind) * q;
      const double blockTop = rowTop + (g.heights[i] * q - double(lines.size()) * step) / 2;
      for (size_t k = 0; k < lines.size(); ++k) text.addText(lines[k], {x, blockTop + step * (double(k) + 0.5)}, style);
    };
    if (row.kind != RowKind::Entry) {
      addLines(left, g.style(row.kind));
      continue;
    }
    const Layer& l = *row.layer;
    const LegendEntry& e = l.legend[row.entry];
    const GeometryKind kind = e.kind != GeometryKind::None ? e.kind : l.kind;
    const double swatchW = row.swatchW * q;
    const double sx = left + (swatchW - g.swatchW) / 2;  // the usual swatch, centred in the column
    if (e.sizePx > 0) {
      // A size legend's disc, centred in the column: the map's disc for that value.
      shapes.push_back(symbolShape({left + swatchW / 2, cy}, Rgba{e.fill.r, e.fill.g, e.fill.b, 255}, e.sizePx * q,
                                   BCMAP_SYMBOL_CIRCLE, "legend-swatch"));
    } else if (kind == GeometryKind::Polygon) {
      const double sy0 = std::round(cy - 6 * q), sy1 = std::round(cy + 6 * q);
      const double sx0 = std::round(sx), sx1 = std::round(sx + g.swatchW);
      shapes.push_back(rectShape(sx0, sy0, sx1, sy1, Rgba{e.fill.r, e.fill.g, e.fill.b, 255}, "legend-swatch"));
      // A white outline (the county borders) would vanish on the white panel.
      const bool light = e.stroke.r > 220 && e.stroke.g > 220 && e.stroke.b > 220;
      shapes.push_back(frameShape(sx0, sy0, sx1, sy1, light ? Rgba{150, 150, 150, 255} : e.stroke,
                                  std::max(1.0, std::round(r)), "legend-swatch"));
    } else if (kind == GeometryKind::Line) {
      const double w = std::clamp(static_cast<double>(l.style.strokeWidthPx), 1.0, 6.0) * q;
      shapes.push_back(lineShape({{sx + 1 * q, cy}, {sx + g.swatchW - 1 * q, cy}}, e.fill, w, "legend-swatch"));
    } else {
      // A point entry of a line layer is one of its markers: the END marker (the layer's
      // symbol, in its stroke colour) or a START disc (MapRenderer.h).
      const uint8_t symbol = legendPointSymbol(l, e);
      double size = std::clamp(static_cast<double>(l.style.pointSizePx), 6.0, 14.0);
      if (l.kind == GeometryKind::Line) {
        const bool end = (l.style.lineMarkers & BCMAP_LINE_MARKER_END) != 0 && sameRgb(e.fill, l.style.stroke);
        size = end ? std::clamp(l.style.lineEndMarkerPx > 0 ? double(l.style.lineEndMarkerPx) : 8.0, 6.0, 14.0) : 10.0;
      }
      shapes.push_back(symbolShape({left + swatchW / 2, cy}, e.fill, size * q, symbol, "legend-swatch"));
    }
    if (!row.count.empty()) text.addText(row.count, {right, cy}, g.count);
    addLines(left + swatchW + g.swatchGap, g.entry);
  }
  if (record->legendTruncated) text.addText(std::string(kEllipsis), {left, y + moreH / 2}, g.name);
}

uint8_t legendPointSymbol(const Layer& l, const LegendEntry& e) {
  if (l.kind != GeometryKind::Line || l.hexes) return l.style.pointSymbol;
  const bool end = (l.style.lineMarkers & BCMAP_LINE_MARKER_END) != 0 && sameRgb(e.fill, l.style.stroke);
  return end ? l.style.pointSymbol : uint8_t{BCMAP_SYMBOL_CIRCLE};
}

const std::vector<std::optional<size_t>>& LegendCountCache::counts(const Layer& l, const TimeFilter& filter) {
  Counts& c = counts_[&l];
  if (c.key == l.key && c.generation == l.generation && c.perEntry.size() == l.legend.size() &&
      c.filter.day == filter.day && c.filter.mode == filter.mode && c.filter.windowDays == filter.windowDays)
    return c.perEntry;
  c.key = l.key;
  c.generation = l.generation;
  c.filter = filter;
  c.perEntry.assign(l.legend.size(), std::nullopt);
  // What the map shows: the features, or the hexagons of an aggregated point layer.
  const FeatureTable& table = l.shownTable();
  const std::vector<Rgba>& fills = l.hexes ? l.hexes->fill : l.fill;
  const GeometryKind kind = l.shownKind();
  const bool ownKind = std::any_of(l.legend.begin(), l.legend.end(), [&](const LegendEntry& e) { return e.kind == kind; });
  // A point entry of a line layer in the colour its END markers are drawn in (the style's
  // stroke) stands for those markers: every shown feature has one (易地扶贫搬迁's resettlement
  // site, which matched no feature's fill and counted 0).
  const bool endMarkers = !l.hexes && kind == GeometryKind::Line && (l.style.lineMarkers & BCMAP_LINE_MARKER_END);
  std::vector<size_t> counting;  // the entries that count, each the first of its colour
  std::vector<size_t> perFeature;  // the END marker entries: one a feature
  for (size_t e = 0; e < l.legend.size(); ++e) {
    const LegendEntry& le = l.legend[e];
    if (endMarkers && le.kind == GeometryKind::Point && le.sizePx == 0 && sameRgb(le.fill, l.style.stroke)) {
      c.perEntry[e] = 0;
      perFeature.push_back(e);
      continue;
    }
    if ((ownKind && le.kind != kind) || le.sizePx > 0) continue;
    if (std::any_of(counting.begin(), counting.end(), [&](size_t k) { return sameRgb(l.legend[k].fill, le.fill); }))
      continue;
    c.perEntry[e] = 0;
    counting.push_back(e);
  }
  if (counting.empty() && perFeature.empty()) return c.perEntry;
  const size_t n = std::min(table.featureCount(), fills.size());
  // Runs of one colour are common (categories sorted, single styles): remember the last match.
  Rgba last = fills.empty() ? Rgba{} : fills[0];
  size_t* lastCount = nullptr;
  bool lastKnown = false;
  const OffsetColumn& parts = table.geometry.featureParts;
  for (size_t f = 0; f < n; ++f) {
    if (!table.shownOn(f, filter)) continue;
    if (f + 1 < parts.size() && parts[f + 1] == parts[f]) continue;  // no geometry: not on the map (issue 12)
    for (size_t e : perFeature) ++*c.perEntry[e];
    const Rgba fill = fills[f];
    if (!lastKnown || !sameRgb(fill, last)) {
      lastCount = nullptr;
      for (size_t e : counting)
        if (sameRgb(l.legend[e].fill, fill)) {
          lastCount = &*c.perEntry[e];
          break;
        }
      last = fill;
      lastKnown = true;
    }
    if (lastCount) ++*lastCount;
  }
  return c.perEntry;
}

double MapDecorations::northAngleDeg(const std::string& displayCrs, const View& view) {
  if (northCrs_ != displayCrs) {
    toLonLat_ = Transformer::create(displayCrs, kLonLatCrs, nullptr);
    northCrs_ = displayCrs;
  }
  if (!toLonLat_) return NAN;
  // True north at the centre: the display-CRS direction to a point 0.01° further north
  // (south near the pole, and the direction turned round).
  const Vec2 c = view.center;
  const Vec2 lonLat = toLonLat_->forward(c);
  if (!std::isfinite(lonLat.x) || !std::isfinite(lonLat.y)) return NAN;
  // At a pole every way is south (or north): the longitude PROJ gives there is arbitrary, and
  // an arrow from it would point anywhere. A polar view centred on its pole shows none.
  if (std::abs(lonLat.y) > 90 - 1e-9) return NAN;
  const double step = lonLat.y > 89.98 ? -0.01 : 0.01;
  const Vec2 n = toLonLat_->inverse({lonLat.x, lonLat.y + step});
  const double dx = (n.x - c.x) * (step > 0 ? 1 : -1), dy = (n.y - c.y) * (step > 0 ? 1 : -1);
  if (!std::isfinite(dx) || !std::isfinite(dy) || (dx == 0 && dy == 0)) return NAN;
  return std::atan2(dx, dy) * 180 / kPi;  // x east, y north: clockwise from up
}

// ---- 7. drawing the shapes ----------------------------------------------------------------
void MapDecorations::drawShapes(MapRenderer& renderer, const View& view, float pixelRatio,
                                const std::vector<OverlayShape>& shapes) {
  const float r = pixelRatio > 0 ? pixelRatio : 1.0f;
  // Overlay geometry lives in "pixel world": x right, y up from the bottom edge.
  auto world = [&](Vec2 p) { return Vec2{p.x, view.heightPx - p.y}; };
  // Polygons in one layer; lines in one layer per width; symbols in one per symbol.
  std::map<std::string, PreparedLayer> layers;
  std::vector<std::string> order;
  auto layerFor = [&](const std::string& id, GeometryKind kind) -> PreparedLayer& {
    auto [it, added] = layers.try_emplace(id);
    if (added) {
      it->second.layerId = id;
      it->second.kind = kind;
      it->second.geometry.kind = kind;
      order.push_back(id);
    }
    return it->second;
  };
  for (const OverlayShape& s : shapes) {
    if (s.pointsPx.empty()) continue;
    PreparedLayer* p = nullptr;
    if (s.kind == ShapeKind::Polygon) {
      if (s.pointsPx.size() < 3) continue;
      p = &layerFor("__overlay_fill", GeometryKind::Polygon);
      // Decoration polygons are convex: a fan triangulates them.
      const auto first = static_cast<uint32_t>(p->geometry.xy.size());
      for (size_t k = 1; k + 1 < s.pointsPx.size(); ++k)
        p->triangles.insert(p->triangles.end(), {first, first + uint32_t(k), first + uint32_t(k + 1)});
      p->featureTriangles.push_back(static_cast<uint32_t>(p->triangles.size()));
    } else if (s.kind == ShapeKind::Line) {
      char id[48];
      std::snprintf(id, sizeof id, "__overlay_line_%.2f", double(s.widthPx));
      p = &layerFor(id, GeometryKind::Line);
      p->strokeWidthPx = s.widthPx / r;
    } else if (s.kind == ShapeKind::Symbol) {
      p = &layerFor("__overlay_symbol_" + std::to_string(s.symbol), GeometryKind::Point);
      p->pointSymbol = s.symbol;
      p->pointSizePx.push_back(s.widthPx / r);
    } else {
      continue;
    }
    for (const Vec2& v : s.pointsPx) p->geometry.xy.push_back(world(v));
    p->geometry.ringVertices.push_back(static_cast<uint32_t>(p->geometry.xy.size()));
    p->geometry.partRings.push_back(static_cast<uint32_t>(p->geometry.ringCount()));
    p->geometry.featureParts.push_back(static_cast<uint32_t>(p->geometry.partCount()));
    p->fill.push_back(s.color);
  }
  // Polygons under lines under symbols; the ids sort that way.
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& id) { return id.find("_fill") != std::string::npos ? 0 : id.find("_line") != std::string::npos ? 1 : 2; };
    return rank(a) < rank(b);
  });

  View pixelView;
  pixelView.widthPx = view.widthPx;
  pixelView.heightPx = view.heightPx;
  pixelView.unitsPerPixel = 1;
  pixelView.center = {view.widthPx / 2.0, view.heightPx / 2.0};
  std::set<std::string> used;
  for (const std::string& id : order) {
    PreparedLayer& p = layers[id];
    p.bounds = p.geometry.bounds();
    p.generation = ++generation_;
    renderer.upload(p);
    LayerDrawOptions d;
    d.pixelRatio = r;
    d.drawOutline = false;
    renderer.drawLayer(id, pixelView, d);
    used.insert(id);
  }
  for (const std::string& id : uploaded_)
    if (!used.count(id)) renderer.remove(id);
  uploaded_ = std::move(used);
}

}  // namespace bcmap
