#include "ui/panels/FeatureTooltip.h"

#include <imgui.h>

#include "host/LayerStore.h"
#include "ui/UiText.h"

namespace bcmap {

void drawFeatureTooltip(const Layer* layer, const std::string& featureId, const std::string& text, TestRects& rects) {
  rects.tooltip = UiRect{};
  if (!layer || ImGui::GetIO().WantCaptureMouse) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextDisabled("%s", layer->displayName().c_str());
  ImGui::Separator();
  const std::string& body = text.empty() ? featureId : text;
  ImGui::TextUnformatted(body.c_str());
  std::string shown = body;
  // A plugin that says "示例数据 sample data" in its own words has said it: once is enough.
  if (layer->isSample && body.find("示例数据") == std::string::npos) {
    ImGui::Separator();
    // The same amber as the notice in the layer panel's legend.
    ImGui::TextColored(ImVec4{0.66f, 0.40f, 0.00f, 1.0f}, "%s", ui_text::kSampleData);
    shown += std::string("\n") + ui_text::kSampleData;
  }
  rects.facts["tooltip.text"] = shown;
  ImGui::PopTextWrapPos();
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.tooltip = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::EndTooltip();
}

}  // namespace bcmap
