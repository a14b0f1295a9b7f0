#include "ui/panels/LegendPanel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "render/MapDecorations.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

constexpr float kSwatchPx = 14.0f;  // logical pixels; the legend's swatches in exports are 14 too
const ImVec4 kCountInk{0.35f, 0.35f, 0.35f, 1.0f};
const ImVec4 kSampleInk{0.72f, 0.40f, 0.05f, 1.0f};  // the sample notice's orange, as in the layer panel

ImU32 colourOf(const Rgba& c) { return IM_COL32(c.r, c.g, c.b, c.a); }

// A point symbol (bcmap_symbol) of diameter d centred on c, filled and outlined, shaped as
// the map draws it (a size legend's discs are always circles).
void pointSymbol(ImDrawList* dl, ImVec2 c, float d, uint8_t symbol, ImU32 fill, ImU32 outline) {
  const float r = d / 2;
  constexpr float kPi = 3.14159265f;
  switch (symbol) {
    case BCMAP_SYMBOL_SQUARE: {
      const float h = r * 0.8862269f;  // the square of the circle's area (shaders/point.frag)
      dl->AddRectFilled(ImVec2{c.x - h, c.y - h}, ImVec2{c.x + h, c.y + h}, fill);
      dl->AddRect(ImVec2{c.x - h, c.y - h}, ImVec2{c.x + h, c.y + h}, outline);
      return;
    }
    case BCMAP_SYMBOL_DIAMOND: {
      const float h = r * 1.2533141f;  // that square turned 45 degrees
      const ImVec2 p[4] = {{c.x, c.y - h}, {c.x + h, c.y}, {c.x, c.y + h}, {c.x - h, c.y}};
      dl->AddConvexPolyFilled(p, 4, fill);
      dl->AddPolyline(p, 4, outline, ImDrawFlags_Closed, 1.0f);
      return;
    }
    case BCMAP_SYMBOL_TRIANGLE: {
      const float R = std::min(r * 1.5551364f, r * 1.3f);  // kept within the swatch's square
      const ImVec2 p[3] = {{c.x, c.y - R}, {c.x + 0.8660254f * R, c.y + 0.5f * R}, {c.x - 0.8660254f * R, c.y + 0.5f * R}};
      dl->AddConvexPolyFilled(p, 3, fill);
      dl->AddPolyline(p, 3, outline, ImDrawFlags_Closed, 1.0f);
      return;
    }
    case BCMAP_SYMBOL_STAR: {
      ImVec2 p[10];
      for (int i = 0; i < 10; ++i) {
        const float a = -kPi / 2 + float(i) * kPi / 5, rr = (i % 2 ? 0.5f : 1.0f) * r * 1.2f;
        p[i] = ImVec2{c.x + rr * std::cos(a), c.y + rr * std::sin(a)};
      }
      for (int i = 0; i < 10; ++i) dl->AddTriangleFilled(c, p[i], p[(i + 1) % 10], fill);  // not convex: a fan
      dl->AddPolyline(p, 10, outline, ImDrawFlags_Closed, 1.0f);
      return;
    }
    default:
      dl->AddCircleFilled(c, r, fill);
      dl->AddCircle(c, r, outline, 0, 1.0f);
      return;
  }
}

// The entry's symbol, drawn into a square at `at` `side` wide: a filled box for polygons, a
// stroke for lines, for points the symbol the map draws (legendPointSymbol; a size legend's
// discs as large as they say, within the square).
void swatch(ImDrawList* dl, ImVec2 at, float side, const LegendEntry& e, uint8_t symbol, float s) {
  const ImVec2 end{at.x + side, at.y + side};
  switch (e.kind) {
    case GeometryKind::Line:
      dl->AddLine(ImVec2{at.x, at.y + side / 2}, ImVec2{end.x, at.y + side / 2}, colourOf(e.stroke), 3 * s);
      break;
    case GeometryKind::Point: {
      const float d = e.sizePx > 0 ? std::min(side, static_cast<float>(e.sizePx) * s) : side * 0.7f;
      const ImVec2 c{at.x + side / 2, at.y + side / 2};
      pointSymbol(dl, c, d, e.sizePx > 0 ? uint8_t{BCMAP_SYMBOL_CIRCLE} : symbol, colourOf(e.fill), colourOf(e.stroke));
      break;
    }
    default:
      dl->AddRectFilled(at, end, colourOf(e.fill));
      dl->AddRect(at, end, colourOf(e.stroke));
      break;
  }
}

}  // namespace

void drawLegendPanel(LayerStore& store, const UiRect& dock, const TimeFilter& filter, float s, TestRects& rects) {
  // One UI thread draws the legend; the cache keys on each layer's generation and the
  // filter, so an unchanged frame counts nothing.
  static LegendCountCache countCache;
  if (dock.empty()) return;
  ImGui::SetNextWindowPos(ImVec2{dock.x0, dock.y0}, ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2{dock.x1 - dock.x0, dock.y1 - dock.y0}, ImGuiCond_Always);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("图例 Legend##dock", nullptr, flags)) {
    ImGui::TextUnformatted("图例 Legend");
    ImGui::Separator();
    const auto& layers = store.layers();
    countCache.retain([&](const Layer* l) {
      return std::any_of(layers.begin(), layers.end(), [&](const auto& p) { return p.get() == l; });
    });
    int n = 0;
    const float side = kSwatchPx * s;
    for (size_t i = layers.size(); i-- > 0;) {
      const Layer& l = *layers[i];
      if (!l.visible || l.status != LayerStatus::Loaded || (l.legend.empty() && !l.tableOnly())) continue;
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(l.displayName().c_str());
      // What the entries are of (a user style's field): ranges alone do not say.
      if (!l.style.legendHeading.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, kCountInk);
        ImGui::TextUnformatted(l.style.legendHeading.c_str());
        ImGui::PopStyleColor();
        rects.facts["legend.heading." + l.id] = l.style.legendHeading;
      }
      ImGui::PopTextWrapPos();
      // A table layer has no symbol on the map: the legend says so instead of a swatch; a
      // layer with some rows without geometry says how many are not drawn.
      if (l.tableOnly() || l.withoutGeometry > 0) {
        const std::string note = l.tableOnly() ? std::string(ui_text::kNoGeometry) : layerFeatureSummaryZh(l);
        ImGui::PushStyleColor(ImGuiCol_Text, kCountInk);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(note.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered() && l.tableOnly()) ImGui::SetTooltip("%s", ui_text::kNoGeometryHint);
        rects.facts["legend.geometry." + l.id] = note;
        if (l.tableOnly()) {
          ImGui::Spacing();
          continue;
        }
      }
      const std::vector<std::optional<size_t>>& counts = countCache.counts(l, filter);
      const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
      for (size_t k = 0; k < l.legend.size(); ++k) {
        // An entry of no kind of its own is of the layer's (as on the map's legend).
        LegendEntry e = l.legend[k];
        if (e.kind == GeometryKind::None) e.kind = l.kind;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const uint8_t symbol = legendPointSymbol(l, e);
        swatch(ImGui::GetWindowDrawList(), ImVec2{at.x, at.y + 1 * s}, side, e, symbol, s);
        if (e.kind == GeometryKind::Point && e.sizePx == 0) rects.facts["legend.symbol." + std::to_string(n)] = std::to_string(symbol);
        // The count sits at the right edge; the label wraps short of it.
        const std::string count = k < counts.size() && counts[k] ? std::to_string(*counts[k]) : "";
        const float countW = count.empty() ? 0.0f : ImGui::CalcTextSize(count.c_str()).x + 8 * s;
        ImGui::SetCursorScreenPos(ImVec2{at.x + side + 6 * s, at.y});
        ImGui::PushTextWrapPos(right - countW - ImGui::GetWindowPos().x);  // wrap, never cut the label
        ImGui::TextUnformatted(e.label.c_str());
        ImGui::PopTextWrapPos();
        const ImVec2 b = ImGui::GetItemRectMax();
        const std::string key = "legend.entry." + std::to_string(n);
        if (!count.empty()) {
          ImGui::GetWindowDrawList()->AddText(ImVec2{right - ImGui::CalcTextSize(count.c_str()).x, at.y},
                                              ImGui::GetColorU32(kCountInk), count.c_str());
          rects.facts["legend.count." + std::to_string(n)] = count;
        }
        ++n;
        rects.named[key] = UiRect{at.x, at.y, b.x, std::max(b.y, at.y + side)};
        rects.facts[key] = e.label;
      }
      if (l.isSample) {
        ImGui::PushStyleColor(ImGuiCol_Text, kSampleInk);
        ImGui::TextUnformatted(ui_text::kSampleData);
        ImGui::PopStyleColor();
        rects.facts["legend.sample." + l.id] = ui_text::kSampleData;
      }
      ImGui::Spacing();
    }
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.named["legend.window"] = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
}

}  // namespace bcmap
