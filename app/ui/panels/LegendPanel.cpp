#include "ui/panels/LegendPanel.h"

#include <imgui.h>

#include <algorithm>
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

// The entry's symbol, drawn into a square at `at` `side` wide: a filled box for polygons, a
// stroke for lines, a disc for points (as large as a size legend says, within the square).
void swatch(ImDrawList* dl, ImVec2 at, float side, const LegendEntry& e, float s) {
  const ImVec2 end{at.x + side, at.y + side};
  switch (e.kind) {
    case GeometryKind::Line:
      dl->AddLine(ImVec2{at.x, at.y + side / 2}, ImVec2{end.x, at.y + side / 2}, colourOf(e.stroke), 3 * s);
      break;
    case GeometryKind::Point: {
      const float d = e.sizePx > 0 ? std::min(side, static_cast<float>(e.sizePx) * s) : side * 0.7f;
      const ImVec2 c{at.x + side / 2, at.y + side / 2};
      dl->AddCircleFilled(c, d / 2, colourOf(e.fill));
      dl->AddCircle(c, d / 2, colourOf(e.stroke), 0, 1.0f);
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
      if (!l.visible || l.status != LayerStatus::Loaded || l.legend.empty()) continue;
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
      const std::vector<std::optional<size_t>>& counts = countCache.counts(l, filter);
      const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
      for (size_t k = 0; k < l.legend.size(); ++k) {
        const LegendEntry& e = l.legend[k];
        const ImVec2 at = ImGui::GetCursorScreenPos();
        swatch(ImGui::GetWindowDrawList(), ImVec2{at.x, at.y + 1 * s}, side, e, s);
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
