// Sections: 1. one layer's row  2. display CRS  3. the window
#include "ui/panels/LayerPanel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>
#include <cmath>

#include "host/LayerStore.h"
#include "io/Projection.h"
#include "ui/panels/CrsPanel.h"
#include "ui/panels/LayerSettings.h"
#include "ui/NavText.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

// Panel geometry in logical pixels (multiplied by the UI scale).
constexpr float kPanelMargin = 10.0f;
constexpr float kPanelWidth = 300.0f;
constexpr float kSliderWidth = 150.0f;
constexpr float kSwatchSize = 12.0f;

const ImVec4 kFailedRed{0.80f, 0.16f, 0.16f, 1.0f};
// A layer loading on a loader thread: the phase and the seconds so far; its cancel button.
constexpr const char* kReadingFor = "读取中 reading… %d s";
constexpr const char* kCancelLoad = "取消 cancel";
const ImVec4 kReasonRed{0.62f, 0.10f, 0.10f, 1.0f};
const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};
const ImVec4 kSampleAmber{0.66f, 0.40f, 0.00f, 1.0f};  // the sample-data notice: noticed, not alarming

ImVec4 toImVec4(Rgba c) { return {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f}; }

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

// A small red label that cannot be clicked: the "failed" badge.
void failedBadge(const std::string& reason) {
  ImGui::PushStyleColor(ImGuiCol_Button, kFailedRed);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kFailedRed);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, kFailedRed);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4{1, 1, 1, 1});
  ImGui::SmallButton(ui_text::kFailed);
  ImGui::PopStyleColor(4);
  if (ImGui::IsItemHovered() && !reason.empty()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(reason.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// Where the layer came from, in the tooltip and the details: the search path's entry by
// name (PluginSearchPath.h), the folder, the library.
void originLines(const LayerOrigin& o) {
  if (o.file.empty()) return;
  ImGui::Text("来源 Source: %s", o.source.c_str());
  ImGui::Text("文件夹 Folder: %s", o.folder.c_str());
  ImGui::Text("插件 Plugin: %s", o.file.c_str());
}

// "示例数据 / sample data", with what that means on hover.
void sampleNotice() {
  ImGui::PushStyleColor(ImGuiCol_Text, kSampleAmber);
  ImGui::TextUnformatted(ui_text::kSampleData);
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui_text::kSampleHint);
}

// Up = towards the top of the list = drawn later, above the others.
void orderButtons(LayerPanelRequests& out, TestRects& rects, size_t storeIndex, size_t layerCount) {
  ImGui::SameLine();
  if (storeIndex + 1 >= layerCount) ImGui::BeginDisabled();
  if (ImGui::ArrowButton("##up", ImGuiDir_Up)) out.move = LayerMove{storeIndex, storeIndex + 1};
  rects.layerRows.back().up = lastItemRect();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", ui_text::kMoveUp);
  if (storeIndex + 1 >= layerCount) ImGui::EndDisabled();
  ImGui::SameLine();
  if (storeIndex == 0) ImGui::BeginDisabled();
  if (ImGui::ArrowButton("##down", ImGuiDir_Down)) out.move = LayerMove{storeIndex, storeIndex - 1};
  rects.layerRows.back().down = lastItemRect();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", ui_text::kMoveDown);
  if (storeIndex == 0) ImGui::EndDisabled();
}

// The row's menu, opened by a right click on the layer's name (or a failed layer's reason).
// Its popup id is the row's (under PushID(l.id)).
constexpr const char* kRowMenu = "##layerMenu";

void rowMenu(LayerPanelRequests& out, TestRects& rects, const Layer& l) {
  if (!ImGui::BeginPopup(kRowMenu)) return;
  rects.facts["layer.menu"] = l.id;
  ImGui::PushStyleColor(ImGuiCol_Text, kDim);
  ImGui::TextUnformatted(l.displayName().c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
  // A table layer (no geometry) zooms as the Navigation panel's combo does: the status bar
  // says it has no place. A layer not loaded (failed, pending, loading) has nothing to show.
  const bool loaded = l.status == LayerStatus::Loaded;
  auto whyNot = [&] {
    if (!loaded && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", l.status == LayerStatus::Failed ? ui_text::kFailedNothing : ui_text::kNotLoadedYet);
  };
  if (ImGui::MenuItem(ui_text::kZoomToLayer, nullptr, false, loaded)) out.zoomTo = l.id;
  rects.named["layer.menu.zoom"] = lastItemRect();
  whyNot();
  if (ImGui::MenuItem(ui_text::kAttributeTable, nullptr, false, loaded)) out.table = l.id;
  rects.named["layer.menu.table"] = lastItemRect();
  whyNot();
  ImGui::Separator();
  const bool removable = userCanRemove(l);
  if (ImGui::MenuItem(ui_text::kRemoveLayer, nullptr, false, removable)) out.remove = l.id;
  rects.named["layer.menu.remove"] = lastItemRect();
  if (!removable && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24.0f);
    ImGui::TextUnformatted(ui_text::kPluginNotRemoved);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::EndPopup();
}

// ---- 1. one layer's row -------------------------------------------------------------------
// `storeIndex`: the layer's place in LayerStore::layers() (0 draws first, at the bottom).
void layerRow(const LayerPanelInput& in, LayerPanelRequests& out, TestRects& rects, Layer& l, size_t storeIndex,
              size_t layerCount, float s) {
  ImGui::PushID(l.id.c_str());
  const bool failed = l.status == LayerStatus::Failed;

  bool visible = l.visible && !failed;
  if (failed) ImGui::BeginDisabled();
  if (ImGui::Checkbox("##visible", &visible)) {
    l.visible = visible;
    out.layersChanged = true;
    if (visible && l.status == LayerStatus::Pending) out.loads.push_back(l.id);
  }
  if (failed) ImGui::EndDisabled();
  rects.layerRows.push_back(LayerRowRects{l.id, lastItemRect(), {}, {}, {}, {}});

  ImGui::SameLine();
  if (failed) {
    failedBadge(l.error);
    rects.facts["layer.error." + l.id] = l.error;
    ImGui::SameLine();
  }
  // One group, so hovering either name shows the tooltip.
  ImGui::BeginGroup();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(l.nameZh.empty() ? l.id.c_str() : l.nameZh.c_str());
  if (!l.nameEn.empty() && l.nameEn != l.nameZh) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::TextUnformatted(l.nameEn.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndGroup();
  rects.named["layer.name." + l.id] = lastItemRect();
  ImGui::OpenPopupOnItemClick(kRowMenu, ImGuiPopupFlags_MouseButtonRight);
  const LayerOrigin origin = in.searchPath ? layerOriginOf(l, *in.searchPath) : LayerOrigin{};
  if (!origin.file.empty()) rects.facts["layer.origin." + l.id] = origin.source + " · " + origin.folder;
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(l.id.c_str());
    if (origin.file.empty() && !l.pluginPath.empty()) ImGui::TextUnformatted(l.pluginPath.c_str());
    originLines(origin);
    if (!l.dbState.empty()) ImGui::TextUnformatted(l.dbState.c_str());  // a database layer's fetch
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::TextUnformatted(ui_text::kRowMenuHint);  // the menu is found by hovering the name
    ImGui::PopStyleColor();
    ImGui::EndTooltip();
  }

  const float indent = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.x;
  ImGui::Indent(indent);
  // A database layer's fetch state (host/DbFeed.h); a layer that never had rows is failed
  // with the same text, shown as any failed layer's reason.
  if (!l.dbState.empty()) rects.facts["layer.dbState." + l.id] = l.dbState;
  if (failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
    ImGui::PushTextWrapPos(0.0f);  // the panel's right edge (less a scrollbar, if any)
    ImGui::TextUnformatted(l.error.c_str());
    // The reason is what a failed row mostly is: its menu (to remove it) opens there too.
    ImGui::OpenPopupOnItemClick(kRowMenu, ImGuiPopupFlags_MouseButtonRight);
    ImGui::PopStyleColor();
    if (!origin.file.empty()) {
      // A refused or shadowed copy: which file it is, and from which folder of the path.
      ImGui::PushStyleColor(ImGuiCol_Text, kDim);
      ImGui::Text("%s · %s", origin.source.c_str(), origin.file.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::PopTextWrapPos();
  } else {
    if (l.status == LayerStatus::Pending) {
      ImGui::PushStyleColor(ImGuiCol_Text, kDim);
      ImGui::TextUnformatted(ui_text::kPending);
      ImGui::PopStyleColor();
    } else if ((l.status == LayerStatus::Loading || l.busy()) && l.dbState.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kDim);
      // The read cannot say how far it got (GDAL's readers and a plugin's load() report
      // nothing), so the row says the phase and how long it has taken (issue 11).
      const double* seconds = nullptr;
      if (in.loadingSeconds)
        if (auto it = in.loadingSeconds->find(l.id); it != in.loadingSeconds->end()) seconds = &it->second;
      if (seconds) {
        ImGui::Text(kReadingFor, static_cast<int>(*seconds));
        rects.facts["layer.loading." + l.id] = std::to_string(static_cast<int>(*seconds));
      }
      else
        ImGui::TextUnformatted(ui_text::kLoading);
      ImGui::PopStyleColor();
      if (l.status == LayerStatus::Loading && l.work == LayerWork::Loading) {
        ImGui::SameLine();
        if (ImGui::SmallButton(kCancelLoad)) out.cancels.push_back(l.id);
        rects.named["layer.cancel." + l.id] = lastItemRect();
      }
    }
    if (l.status == LayerStatus::Loaded && (l.tableOnly() || l.withoutGeometry > 0)) {
      // A table layer, or rows that are not drawn (issue 12): said where the layer is.
      const std::string note = layerFeatureSummaryZh(l);
      ImGui::PushStyleColor(ImGuiCol_Text, kDim);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(note.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered() && l.tableOnly()) ImGui::SetTooltip("%s", ui_text::kNoGeometryHint);
      rects.facts["layer.geometry." + l.id] = note;
    }
    if (!l.dbState.empty()) {
      // A database layer's fetch (host/DbFeed.h): connecting, fetching, or the server's
      // fault while the last rows stay drawn. The whole reason is in the tooltip too.
      const bool fault = l.dbState != "connecting" && l.dbState != "fetching";
      ImGui::PushStyleColor(ImGuiCol_Text, fault ? kReasonRed : kDim);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(l.dbState.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", l.dbState.c_str());
    }
    if (!l.reloadError.empty()) {
      // A rebuilt plugin that failed to load: the old version keeps running.
      ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(ui_text::kReloadFailed);
      ImGui::TextUnformatted(l.reloadError.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
    }
    // The slider gives way to the two order buttons in a narrow dock (900×600, UI scale 1.5):
    // they must stay whole, or the layer cannot be moved.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttons = 2 * (ImGui::GetFrameHeight() + style.ItemSpacing.x);
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - buttons, 48.0f * s, kSliderWidth * s));
    float percent = l.opacity * 100.0f;
    if (ImGui::SliderFloat("##opacity", &percent, 0.0f, 100.0f, "%.0f%%", ImGuiSliderFlags_AlwaysClamp)) {
      l.opacity = std::clamp(percent / 100.0f, 0.0f, 1.0f);
      l.opacitySet = true;
      out.layersChanged = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui_text::kOpacity);
    orderButtons(out, rects, storeIndex, layerCount);
  }
  // A refused layer never loads, so its settings could change nothing; a failed one may
  // have failed for a setting (a path), which is where the user mends it.
  // Where the plugin came from closes the settings node; only a layer without settings gets
  // a node of its own for it (a row more for every layer would push the list off a small
  // window).
  const bool hasSettingsNode = !l.refused && !l.settings.empty();
  if (hasSettingsNode) {
    const bool open = ImGui::TreeNode(ui_text::kSettings);
    rects.layerRows.back().settingsNode = lastItemRect();
    if (open) {
      drawLayerSettings(*in.settings, l, s, rects);
      if (!origin.file.empty()) {
        ImGui::Separator();
        ImGui::PushStyleColor(ImGuiCol_Text, kDim);
        ImGui::PushTextWrapPos(0.0f);
        originLines(origin);
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
      }
      ImGui::TreePop();
    }
  }
  if (!origin.file.empty() && !hasSettingsNode) {
    const bool open = ImGui::TreeNode("详情 Details");
    rects.named["details." + l.id] = lastItemRect();
    if (open) {
      ImGui::PushTextWrapPos(0.0f);
      originLines(origin);
      ImGui::PopTextWrapPos();
      ImGui::TreePop();
    }
  }
  if (l.status == LayerStatus::Loaded) {
    if (ImGui::SmallButton("属性表 Table")) out.table = l.id;
    rects.named["table.open." + l.id] = lastItemRect();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", "打开属性表：排序、筛选、导出 · open the attribute table: sort, filter, export");
    // A table layer draws nothing: no style to edit.
    const bool open = !l.tableOnly() && ImGui::TreeNode("样式 Style");
    if (!l.tableOnly()) rects.named["style." + l.id] = lastItemRect();
    if (open) {
      if (auto r = drawStyleEditor(*in.styleEditor, l, s)) out.styles.push_back(std::move(*r));
      ImGui::TreePop();
    }
  }
  // A table layer's legend entries stand for no symbol on the map (its row says 无几何).
  const size_t legendShown = l.tableOnly() ? 0 : l.legend.size();
  if ((legendShown > 0 || l.isSample) && !failed) {
    const bool open = ImGui::TreeNode(ui_text::kLegend);
    rects.layerRows.back().legendNode = lastItemRect();
    if (open) {
      // A size legend's entries (sizePx) are discs that many pixels across (times the UI
      // scale), centred in a column as wide as the largest; the usual swatches are centred in
      // the same column, so every label starts at one edge.
      float columnW = kSwatchSize;
      for (const LegendEntry& e : l.legend) columnW = std::max(columnW, static_cast<float>(std::ceil(e.sizePx)));
      columnW *= s;
      for (size_t i = 0; i < legendShown; ++i) {
        const LegendEntry& e = l.legend[i];
        ImGui::PushID(static_cast<int>(i));
        const float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
        float rowH = ImGui::GetTextLineHeight();
        if (e.sizePx > 0) {
          const float d = static_cast<float>(e.sizePx) * s;
          rowH = std::max(rowH, d);
          const ImVec2 at = ImGui::GetCursorScreenPos();
          ImGui::Dummy(ImVec2{columnW, rowH});
          ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2{at.x + columnW / 2, at.y + rowH / 2}, d / 2,
                                                      ImGui::GetColorU32(toImVec4(Rgba{e.fill.r, e.fill.g, e.fill.b, 255})));
        } else {
          ImGui::SetCursorPosX(x0 + (columnW - kSwatchSize * s) / 2);
          ImGui::ColorButton("##swatch", toImVec4(e.fill),
                             ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoPicker |
                                 ImGuiColorEditFlags_NoDragDrop | ImGuiColorEditFlags_AlphaPreview,
                             ImVec2{kSwatchSize * s, kSwatchSize * s});
          rowH = std::max(rowH, kSwatchSize * s);
        }
        rects.named["legend." + l.id + "." + std::to_string(i)] = lastItemRect();
        ImGui::SameLine(x0 + columnW + ImGui::GetStyle().ItemSpacing.x);
        const float textY = y0 + (rowH - ImGui::GetTextLineHeight()) / 2;  // beside the disc's middle
        ImGui::SetCursorPosY(textY);
        // A label wider than the panel wraps at its edge (never cut off); the row grows.
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(e.label.c_str());
        ImGui::PopTextWrapPos();
        rects.named["legendText." + l.id + "." + std::to_string(i)] = lastItemRect();
        const float textH = ImGui::GetItemRectSize().y;
        ImGui::SetCursorPosY(std::max(y0 + rowH, textY + textH) + ImGui::GetStyle().ItemSpacing.y);  // not rowH below the text
        ImGui::PopID();
      }
      if (l.isSample) sampleNotice();
      ImGui::TreePop();
    }
  }
  ImGui::Unindent(indent);
  rowMenu(out, rects, l);
  ImGui::PopID();
}

// ---- 2. display CRS -------------------------------------------------------------------------
void crsSection(const LayerPanelInput& in, LayerPanelRequests& out, TestRects& rects) {
  rects.crsCombo = rects.crsField = UiRect{};
  if (!ImGui::CollapsingHeader(ui_text::kCrsHeader, ImGuiTreeNodeFlags_DefaultOpen)) return;
  // The same control as the View menu's window (panels/CrsPanel.h).
  if (auto crs = drawCrsControls(CrsControlInput{in.displayCrs, in.crsInput, in.crsError}, rects.crsCombo,
                                 rects.crsField))
    out.crs = std::move(*crs);
}

}  // namespace

// ---- 3. the window ------------------------------------------------------------------------
LayerOrigin layerOriginOf(const Layer& l, const std::vector<PluginSearchDir>& searchPath) {
  if (l.isFileLayer || l.pluginPath.empty()) return {};
  LayerOrigin o;
  o.file = l.pluginPath;
  o.folder = std::filesystem::path(l.pluginPath).parent_path().string();
  std::string source = pluginSourceOf(l.pluginPath, searchPath);
  // A folder plugin, NAME/NAME.so: NAME/ sits in the search path's folder.
  if (source.empty()) source = pluginSourceOf(o.folder, searchPath);
  if (source == kSourceCommandLine) o.source = "命令行 command line (--plugins)";
  else if (source == kSourcePluginPath) o.source = "环境变量 BCMAP_PLUGIN_PATH";
  else if (source == kSourceConfig) o.source = "已添加 added folder (插件 Plugins menu)";
  else if (source == kSourceUser) o.source = "用户文件夹 user folder";
  else if (source == kSourceInstalled) o.source = "已安装 installed";
  else o.source = "其他 elsewhere";  // a folder no longer in the path (removed from the list)
  return o;
}

LayerPanelRequests drawLayerPanel(const LayerPanelInput& in, float s, float maxHeight, TestRects& rects) {
  LayerPanelRequests out;
  rects.layerRows.clear();
  rects.settingRects.clear();
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
  if (!in.dock.empty()) {
    // Docked: the dock's rectangle exactly; a long list scrolls inside it.
    ImGui::SetNextWindowPos(ImVec2{in.dock.x0, in.dock.y0}, ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2{in.dock.x1 - in.dock.x0, in.dock.y1 - in.dock.y0}, ImGuiCond_Always);
    flags |= ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus;
  } else {
    const float top = in.top + kPanelMargin * s;
    ImGui::SetNextWindowPos(ImVec2{kPanelMargin * s, top}, ImGuiCond_Always);
    // As tall as its rows, but never past the status bar: a long list scrolls.
    const float maxH = std::max(100.0f * s, maxHeight - top);
    ImGui::SetNextWindowSizeConstraints(ImVec2{kPanelWidth * s, 0}, ImVec2{kPanelWidth * s, maxH});
    flags |= ImGuiWindowFlags_AlwaysAutoResize;
  }
  if (ImGui::Begin(ui_text::kLayersTitle, nullptr, flags)) {
    auto& layers = in.store->layers();
    if (layers.empty()) ImGui::TextUnformatted(ui_text::kNoLayers);
    // The list's top is the layer drawn last, on top of the others.
    for (size_t i = layers.size(); i-- > 0;) {
      layerRow(in, out, rects, *layers[i], i, layers.size(), s);
      if (i > 0) ImGui::Separator();
    }
    ImGui::Spacing();
    crsSection(in, out, rects);
    ImGui::Spacing();
    if (ImGui::Button(ui_text::kFitAll)) out.fit = true;
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(ui_text::kDropHint);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  out.window = rects.layerPanel = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  return out;
}

}  // namespace bcmap
