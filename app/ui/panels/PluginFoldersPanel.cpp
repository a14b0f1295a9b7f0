#include "ui/panels/PluginFoldersPanel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>

namespace bcmap {

namespace {

constexpr float kWindowWidth = 560.0f;  // logical pixels: a home-folder path fits on one line
const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};
const ImVec4 kError{0.70f, 0.12f, 0.12f, 1.0f};

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

}  // namespace

PluginFoldersRequests drawPluginFoldersPanel(bool* open, const std::vector<PluginSearchDir>& searchPath,
                                             PluginFoldersPanelState& s, float uiScale, TestRects& rects) {
  PluginFoldersRequests r;
  if (!*open) return r;
  ImGui::SetNextWindowSize(ImVec2{kWindowWidth * uiScale, 0}, ImGuiCond_Appearing);
  if (!ImGui::Begin("插件文件夹 Plugin folders###pluginfolders", open)) {
    ImGui::End();
    return r;
  }
  ImGui::TextUnformatted("插件按此顺序查找，先找到的优先 · searched in this order, the first wins:");
  int remembered = 0;
  for (size_t i = 0; i < searchPath.size(); ++i) {
    const PluginSearchDir& d = searchPath[i];
    ImGui::PushID(static_cast<int>(i));
    std::error_code ec;
    const bool exists = std::filesystem::is_directory(d.path, ec);
    rects.facts["plugins.folder." + std::to_string(i)] = d.source + " " + d.path;
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::Text("%zu. %s", i + 1, d.source.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextUnformatted(d.path.c_str());
    if (!exists) {
      ImGui::SameLine();
      ImGui::PushStyleColor(ImGuiCol_Text, kDim);
      ImGui::TextUnformatted("(尚不存在 not there yet; watched)");
      ImGui::PopStyleColor();
    }
    if (d.source == kSourceConfig) {
      ImGui::SameLine();
      if (ImGui::SmallButton("移除 Remove")) r.remove = d.path;
      rects.named["plugins.remove." + std::to_string(remembered++)] = lastItemRect();
    }
    ImGui::PopID();
  }
  ImGui::Separator();
  ImGui::TextUnformatted("添加插件文件夹 Add a plugin folder (记在 remembered in ~/.config/bcmap):");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("添加 Add").x -
                          ImGui::GetStyle().FramePadding.x * 2 - ImGui::GetStyle().ItemSpacing.x);
  const bool entered = ImGui::InputTextWithHint("##pluginpath", "/path/to/plugins", &s.path,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  rects.named["plugins.path"] = lastItemRect();
  ImGui::SameLine();
  if (ImGui::Button("添加 Add") || entered) r.add = s.path;
  rects.named["plugins.add"] = lastItemRect();
  if (!s.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, s.messageIsError ? kError : kDim);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    rects.facts["plugins.message"] = s.message;
  }
  ImGui::End();
  return r;
}

}  // namespace bcmap
