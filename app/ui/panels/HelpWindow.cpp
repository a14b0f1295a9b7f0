#include "ui/panels/HelpWindow.h"

#include <imgui.h>

#include <cstddef>
#include <string>

namespace bcmap {

namespace {

struct Shortcut {
  const char* keys;
  const char* what;
};

// Kept in step with Viewer.cpp's applyInput (tests/ui checks a few of them by pressing them).
constexpr Shortcut kMouse[] = {
    {"拖动 Drag", "平移 Pan the map"},
    {"滚轮 Wheel", "以光标为中心缩放 Zoom about the cursor"},
    {"双击 Double-click", "放大 Zoom in"},
    {"单击 Click", "选择要素并打开属性 Select a feature, open the inspector"},
    {"Shift+单击 Shift+click", "加入选择 Add to the selection"},
    {"悬停 Hover", "高亮并显示提示 Highlight and describe"},
    {"鼠标侧键 Mouse back/forward", "上一视图 / 下一视图 Previous / next view"},
    {"单击状态栏的坐标系 Click the status bar's CRS",
     "更改显示坐标系 Change the display CRS (also 视图 View → 显示坐标系 Display CRS…)"},
};

constexpr Shortcut kKeys[] = {
    {"F1", "帮助 This help"},
    {"Ctrl+F", "搜索 Search places"},
    {"Ctrl+S", "保存会话 Save the session"},
    {"Ctrl+Z", "撤销样式更改 Undo a style change"},
    {"Ctrl+Shift+Z / Ctrl+Y", "重做样式更改 Redo the style change undone last"},
    {"Ctrl+O", "打开文件 Open a file as a layer"},
    {"Ctrl+E", "导出地图 Export the map"},
    {"Ctrl+L", "日志 Log"},
    {"Ctrl+C", "复制光标坐标 Copy the coordinate under the cursor"},
    {"Esc", "清除选择 / 取消测量 Clear the selection / cancel measuring"},
    {"Alt+← / Alt+→", "上一视图 / 下一视图 Previous / next view"},
    {"Home", "全图 Fit all"},
    {"+ / −", "放大 / 缩小 Zoom in / out"},
    {"← ↑ → ↓", "平移 Pan"},
    {"空格 Space", "播放 / 暂停 Play / pause the time slider"},
    {"M", "测距 Measure distance"},
    {"Ctrl+Q", "退出 Quit"},
};

void table(const char* id, const Shortcut* rows, size_t n, TestRects* rects, int& rowNumber) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  ImGui::TableSetupColumn("键 Keys", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("作用 Does", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < n; ++i) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(rows[i].keys);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextWrapped("%s", rows[i].what);  // a long one wraps in its column, never cut
    if (rects)
      rects->named["help.row." + std::to_string(rowNumber++)] =
          UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
  }
  ImGui::EndTable();
}

}  // namespace

void drawHelpWindow(bool* open, float s, TestRects* rects) {
  if (!*open) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2{vp->Size.x / 2, vp->Size.y / 2}, ImGuiCond_Appearing, ImVec2{0.5f, 0.5f});
  ImGui::SetNextWindowSize(ImVec2{560 * s, 0}, ImGuiCond_Appearing);
  if (ImGui::Begin("帮助 Help — 快捷键 Shortcuts (F1)", open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::TextDisabled("鼠标 Mouse");
    int row = 0;
    if (rects) {
      const ImVec2 p = ImGui::GetWindowPos(), z = ImGui::GetWindowSize();
      rects->named["help.window"] = UiRect{p.x, p.y, p.x + z.x, p.y + z.y};
    }
    table("##mouse", kMouse, sizeof kMouse / sizeof kMouse[0], rects, row);
    ImGui::Spacing();
    ImGui::TextDisabled("键盘 Keyboard");
    table("##keys", kKeys, sizeof kKeys / sizeof kKeys[0], rects, row);
    ImGui::Spacing();
    ImGui::TextWrapped("%s", "示例数据 / sample data: 标注为示例的图层由生成的数据绘制，不是实测值 (geodata/README.md)。"
                             " Layers marked sample are drawn from generated data, not measurements.");
  }
  ImGui::End();
}

}  // namespace bcmap
