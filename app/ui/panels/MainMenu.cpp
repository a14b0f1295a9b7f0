#include "ui/panels/MainMenu.h"

#include <imgui.h>

#include <string>

namespace bcmap {

namespace {

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

// BeginMenu, reporting where the title is (closed) or the open menu is, as `name`.
bool beginMenu(const char* label, const std::string& name, MainMenuRequests& r) {
  if (!ImGui::BeginMenu(label)) {
    r.rects[name] = lastItemRect();
    return false;
  }
  const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  r.rects[name + ".popup"] = UiRect{at.x, at.y, at.x + size.x, at.y + size.y};
  return true;
}

}  // namespace

MainMenuRequests drawMainMenu(PanelToggles& p, float& userUiScale, const MainMenuInput& in) {
  MainMenuRequests r;
  if (!ImGui::BeginMainMenuBar()) return r;
  auto record = [&](const std::string& name) {
    if (!in.rects) return;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    in.rects->named[name] = UiRect{a.x, a.y, b.x, b.y};
  };
  // A menu's own place is known only while it is closed (once open, the last item is its
  // popup's): the tests click it closed.
  const bool fileMenu = ImGui::BeginMenu("文件 File");
  if (!fileMenu) record("menu.file");
  if (fileMenu) {
    if (ImGui::MenuItem("打开… Open…", "Ctrl+O")) p.openFile = true;
    record("menu.file.open");
    const bool hasRecent = in.recentFiles && !in.recentFiles->empty();
    const bool recentMenu = ImGui::BeginMenu("最近打开 Open Recent", hasRecent);
    if (!recentMenu) record("menu.file.recent");
    if (recentMenu) {
      for (size_t i = 0; i < in.recentFiles->size(); ++i) {
        const RecentFile& f = (*in.recentFiles)[i];
        // The full path: two files of one name in different folders stay apart.
        if (ImGui::MenuItem((f.path + "##recent" + std::to_string(i)).c_str(), nullptr, false, f.exists))
          r.openRecent = f.path;
        record("menu.recent." + std::to_string(i));
      }
      ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("导出地图… Export map…", "Ctrl+E")) p.exportDialog = true;
    if (ImGui::MenuItem("保存会话 Save session", "Ctrl+S")) r.save = true;
    record("menu.file.save");
    ImGui::Separator();
    if (ImGui::MenuItem("退出 Quit", "Ctrl+Q")) r.quit = true;
    ImGui::EndMenu();
  }
  if (beginMenu("编辑 Edit", "menu.edit", r)) {
    // The label names the layer ("Undo style change: 县界 Counties"); the ### id keeps the
    // item the same whatever it names.
    auto named = [](const char* what, const std::string& layer, const char* id) {
      return std::string(what) + (layer.empty() ? "" : ": " + layer) + id;
    };
    if (ImGui::MenuItem(named("撤销样式 Undo style change", in.canUndo ? in.undoLayer : "", "###undo").c_str(), "Ctrl+Z",
                        false, in.canUndo))
      r.undo = true;
    r.rects["menu.edit.undo"] = lastItemRect();
    if (ImGui::MenuItem(named("重做样式 Redo style change", in.canRedo ? in.redoLayer : "", "###redo").c_str(),
                        "Ctrl+Shift+Z", false, in.canRedo))
      r.redo = true;
    r.rects["menu.edit.redo"] = lastItemRect();
    // As Ctrl+F: shows the search box and gives it the keyboard.
    if (ImGui::MenuItem("搜索 Search", "Ctrl+F")) p.search = r.searchFocus = true;
    r.rects["menu.edit.search"] = lastItemRect();
    ImGui::EndMenu();
  }
  const bool viewOpen = ImGui::BeginMenu("视图 View");
  r.viewMenu = lastItemRect();
  if (viewOpen) {
    ImGui::MenuItem("图例 Legend", nullptr, &p.legend);
    ImGui::MenuItem("图例在地图上 Legend on the map", nullptr, &p.legendOnCanvas, p.legend);
    ImGui::MenuItem("鹰眼 Overview map", nullptr, &p.inset);
    ImGui::MenuItem("导航 Go to / coordinates", nullptr, &p.navigation);
    ImGui::MenuItem("时间图表 Counts over time", nullptr, &p.chart);
    ImGui::MenuItem("日志 Log", "Ctrl+L", &p.log);
    // Also behind the status bar's CRS label.
    ImGui::MenuItem("显示坐标系… Display CRS…", nullptr, &p.crs);
    r.crsItem = lastItemRect();
    ImGui::Separator();
    if (ImGui::MenuItem("全图 Fit all", "Home")) r.fit = true;
    if (ImGui::MenuItem("上一视图 Back", "Alt+Left", false, in.canGoBack)) r.back = true;
    if (ImGui::MenuItem("下一视图 Forward", "Alt+Right", false, in.canGoForward)) r.forward = true;
    ImGui::Separator();
    float scale = userUiScale;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat("界面缩放 UI scale", &scale, 0.75f, 2.0f, "%.2f×", ImGuiSliderFlags_AlwaysClamp))
      userUiScale = scale;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("工具 Tools")) {
    if (ImGui::MenuItem("测距 Measure distance", "M")) r.measure = MeasureRequest::Distance;
    if (ImGui::MenuItem("测面积 Measure area")) r.measure = MeasureRequest::Area;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("插件 Plugins")) {
    // The window lists the search path too, so one item does both.
    if (ImGui::MenuItem("添加插件文件夹… Add plugin folder…")) p.pluginFolders = true;
    ImGui::MenuItem("插件文件夹 Plugin folders", nullptr, &p.pluginFolders);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("帮助 Help")) {
    ImGui::MenuItem("快捷键 Shortcuts", "F1", &p.help);
    ImGui::EndMenu();
  }
  r.height = ImGui::GetWindowSize().y;
  ImGui::EndMainMenuBar();
  return r;
}

}  // namespace bcmap
