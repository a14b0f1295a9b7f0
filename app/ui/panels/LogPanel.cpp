#include "ui/panels/LogPanel.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "model/Log.h"

namespace bcmap {

namespace {

bool containsNoCase(const std::string& text, const std::string& needle) {
  if (needle.empty()) return true;
  auto lower = [](unsigned char c) { return static_cast<char>(std::tolower(c)); };
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(static_cast<unsigned char>(a)) == lower(static_cast<unsigned char>(b)); }) !=
         text.end();
}

ImVec4 colourOf(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return ImVec4{0.75f, 0.12f, 0.10f, 1.0f};
    case LogLevel::Warning: return ImVec4{0.62f, 0.40f, 0.0f, 1.0f};
    case LogLevel::Info: return ImVec4{0.15f, 0.15f, 0.15f, 1.0f};
    case LogLevel::Debug: return ImVec4{0.45f, 0.45f, 0.45f, 1.0f};
  }
  return ImVec4{0, 0, 0, 1};
}

const char* tagOf(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "错误 error";
    case LogLevel::Warning: return "警告 warning";
    case LogLevel::Info: return "信息 info";
    case LogLevel::Debug: return "调试 debug";
  }
  return "";
}

}  // namespace

void drawLogPanel(bool* open, LogPanelState& p, float s) {
  if (!*open) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2{640 * s, 260 * s}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2{vp->Size.x - 660 * s, vp->Size.y - 330 * s}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("日志 Log", open)) {
    ImGui::End();
    return;
  }
  const std::vector<LogEntry> all = logSnapshot();
  ImGui::Checkbox("错误 Errors", &p.showErrors);
  ImGui::SameLine();
  ImGui::Checkbox("警告 Warnings", &p.showWarnings);
  ImGui::SameLine();
  ImGui::Checkbox("信息 Info", &p.showInfo);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160 * s);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s", p.filter.c_str());
  if (ImGui::InputTextWithHint("##logfilter", "过滤 filter", buf, sizeof buf)) p.filter = buf;
  ImGui::SameLine();
  if (ImGui::Button("清除 Clear")) p.clearedBefore = all.size();
  ImGui::SameLine();
  if (ImGui::Button("复制 Copy")) {
    std::string text;
    for (size_t i = p.clearedBefore; i < all.size(); ++i)
      text += std::string(logLevelName(all[i].level)) + ": " + all[i].message + "\n";
    ImGui::SetClipboardText(text.c_str());
  }
  ImGui::Separator();
  ImGui::BeginChild("##logrows", ImVec2{0, 0}, false, ImGuiWindowFlags_HorizontalScrollbar);
  std::vector<size_t> rows;
  for (size_t i = std::min(p.clearedBefore, all.size()); i < all.size(); ++i) {
    const LogEntry& e = all[i];
    const bool levelShown = (e.level == LogLevel::Error && p.showErrors) ||
                            (e.level == LogLevel::Warning && p.showWarnings) ||
                            (e.level <= LogLevel::Info && p.showInfo);
    if (levelShown && containsNoCase(e.message, p.filter)) rows.push_back(i);
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step())
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const LogEntry& e = all[rows[static_cast<size_t>(r)]];
      ImGui::PushStyleColor(ImGuiCol_Text, colourOf(e.level));
      ImGui::Text("[%s] %s", tagOf(e.level), e.message.c_str());
      ImGui::PopStyleColor();
    }
  if (all.size() != p.seenCount) {
    if (p.scrollToBottom || ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1) ImGui::SetScrollHereY(1.0f);
    p.seenCount = all.size();
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace bcmap
