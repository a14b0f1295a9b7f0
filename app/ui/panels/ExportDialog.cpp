// Sections: 1. the window  2. running a request
#include "ui/panels/ExportDialog.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "host/LayerStore.h"
#include "model/TimeRange.h"
#include "render/FontAtlas.h"
#include "render/FontAtlas.h"

namespace bcmap {

namespace {

const ImVec4 kErrorColour{0.75f, 0.12f, 0.10f, 1.0f};
const ImVec4 kDoneColour{0.10f, 0.45f, 0.15f, 1.0f};

// Replaces the extension of the path in `buf` by `ext` (".png", ".svg").
void setExtension(char* buf, size_t size, const char* ext) {
  std::filesystem::path p(buf);
  p.replace_extension(ext);
  std::snprintf(buf, size, "%s", p.string().c_str());
}

bool validDate(const char* text, int32_t* day) {
  if (std::strlen(text) != 10) return false;
  const std::optional<int32_t> d = parseDate(text);
  if (d) *day = *d;
  return d.has_value();
}

// `path` made absolute (the notice names where the file went, not where it went relative to
// a folder the user never sees); as given when that fails.
std::string absolutePath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

UiRect itemRect() {
  return UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
}

// Code points of `utf8` that the UI font cannot draw (shown as '?'): for tests.
size_t missingGlyphs(const std::string& utf8) {
  size_t n = 0;
  for (char32_t cp : FontAtlas::decodeUtf8(utf8))
    if (cp > 0xFFFF || !ImGui::GetFont()->FindGlyphNoFallback(static_cast<ImWchar>(cp))) ++n;
  return n;
}

// The notice of the last export that succeeded: the full path, copy buttons, and OK.
void drawExportNotice(ExportDialogState& d, float s, TestRects& rects) {
  if (!d.noticeOpen) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2{vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + 40 * s}, ImGuiCond_Appearing,
                          ImVec2{0.5f, 0});
  ImGui::SetNextWindowSize(ImVec2{std::min(620 * s, vp->WorkSize.x - 20 * s), 0}, ImGuiCond_Appearing);
  ImGui::SetNextWindowBgAlpha(1.0f);
  bool keep = true;
  if (ImGui::Begin("已导出 Exported###exportNotice", &keep, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    rects.named["export.notice"] = UiRect{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y,
                                          ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                          ImGui::GetWindowPos().y + ImGui::GetWindowSize().y};
    rects.facts["export.written"] = d.writtenPath;
    ImGui::PushStyleColor(ImGuiCol_Text, kDoneColour);
    ImGui::TextUnformatted("已写入 Written to:");
    ImGui::PopStyleColor();
    // Read-only but selectable: the path can be marked and copied by hand too.
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##written", d.writtenPath.data(), d.writtenPath.size() + 1, ImGuiInputTextFlags_ReadOnly);
    if (ImGui::Button("复制路径 Copy path")) ImGui::SetClipboardText(d.writtenPath.c_str());
    rects.named["export.copy"] = itemRect();
    ImGui::SameLine();
    if (ImGui::Button("复制文件夹 Copy folder"))
      ImGui::SetClipboardText(
          (d.writtenIsFolder ? d.writtenPath : std::filesystem::path(d.writtenPath).parent_path().string()).c_str());
    rects.named["export.copyFolder"] = itemRect();
    ImGui::SameLine();
    if (ImGui::Button("知道了 OK")) keep = false;
    rects.named["export.dismiss"] = itemRect();
  }
  ImGui::End();
  if (!keep) d.noticeOpen = false;
}

}  // namespace

// ---- 1. the window ----------------------------------------------------------------------------
ExportRequest drawExportDialog(bool* open, const View& view, ExportDialogState& d, float s, TestRects& rects) {
  ExportRequest r;
  drawExportNotice(d, s, rects);
  if (!*open) return r;
  if (!d.firstDay[0]) std::snprintf(d.firstDay, sizeof d.firstDay, "%s", formatDate(kTimeFirstDay).c_str());
  if (!d.lastDay[0]) std::snprintf(d.lastDay, sizeof d.lastDay, "%s", formatDate(kTimeLastDay).c_str());
  ImGui::SetNextWindowSize(ImVec2{460 * s, 0}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("导出 Export", open)) {
    ImGui::End();
    return r;
  }
  const float fieldWidth = 300 * s;

  ImGui::SetNextItemWidth(fieldWidth);
  ImGui::InputText("文件 File", d.path, sizeof d.path);
  if (!d.result.empty()) rects.facts["export.result"] = (d.resultIsError ? "error: " : "") + d.result;
  rects.facts["export.path"] = d.path;
  rects.named["export.path"] = UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
  const char* formats[] = {"PNG", "SVG"};
  ImGui::SetNextItemWidth(fieldWidth);
  if (ImGui::Combo("格式 Format", &d.format, formats, 2))
    setExtension(d.path, sizeof d.path, d.format == 1 ? ".svg" : ".png");

  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputInt("宽 Width (px)", &d.widthPx, 100, 1000);
  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputInt("高 Height (px)", &d.heightPx, 100, 1000);
  d.widthPx = std::clamp(d.widthPx, 16, 16384);
  d.heightPx = std::clamp(d.heightPx, 16, 16384);
  if (ImGui::Button("同地图窗口 Same as the map")) {
    d.widthPx = view.widthPx;
    d.heightPx = view.heightPx;
  }
  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputInt("DPI", &d.dpi, 24, 96);
  d.dpi = std::clamp(d.dpi, int(kMinDpi), int(kMaxDpi));
  ImGui::TextDisabled("DPI 放大文字和符号，不改变范围 · DPI scales text and symbols, not the extent");

  ImGui::Separator();
  ImGui::Checkbox("图例 Legend", &d.legend);
  ImGui::SameLine();
  ImGui::Checkbox("比例尺 Scale bar", &d.scaleBar);
  ImGui::SameLine();
  ImGui::Checkbox("指北针 North arrow", &d.northArrow);
  ImGui::Checkbox("标题 Title", &d.withTitle);
  rects.named["export.withTitle"] = itemRect();
  if (d.withTitle) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fieldWidth - 80 * s);
    ImGui::InputText("##title", d.title, sizeof d.title);
    rects.named["export.title"] = itemRect();
    rects.facts["export.title"] = d.title;
    rects.facts["export.titleMissingGlyphs"] = std::to_string(missingGlyphs(d.title));
    ImGui::TextDisabled("{date} = 当日 the day; 标题含日期时不再另印日期 · a title with the date prints it once");
  }
  ImGui::TextDisabled("署名与示例数据说明总会导出 · attribution and the sample notice are always included");

  auto fill = [&](ExportRequest& out) {
    out.format = d.format == 1 ? ImageFormat::Svg : ImageFormat::Png;
    out.widthPx = d.widthPx;
    out.heightPx = d.heightPx;
    out.dpi = d.dpi;
    out.legend = d.legend;
    out.scaleBar = d.scaleBar;
    out.northArrow = d.northArrow;
    out.title = d.withTitle ? d.title : "";
  };
  const bool pathOk = d.path[0] != 0;
  ImGui::BeginDisabled(!pathOk);
  const bool exportPressed = ImGui::Button("导出 Export");
  rects.named["export.button"] = UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
  if (exportPressed) {
    fill(r);
    r.kind = ExportRequest::Kind::Image;
    r.path = d.path;
    d.pendingPath = absolutePath(d.path);
    d.pendingIsFolder = false;
  }
  ImGui::EndDisabled();

  ImGui::Separator();
  ImGui::TextUnformatted("导出序列 Export sequence (PNG, 日期计数器 with the date counter)");
  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputText("起 First day", d.firstDay, sizeof d.firstDay);
  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputText("止 Last day", d.lastDay, sizeof d.lastDay);
  ImGui::SetNextItemWidth(fieldWidth / 2);
  ImGui::InputInt("步长 Step (days)", &d.stepDays, 1, 30);
  d.stepDays = std::clamp(d.stepDays, 1, 3660);
  ImGui::SetNextItemWidth(fieldWidth);
  ImGui::InputText("文件夹 Folder", d.folder, sizeof d.folder);
  int32_t first = kNoDay, last = kNoDay;
  const bool datesOk = validDate(d.firstDay, &first) && validDate(d.lastDay, &last) && first <= last;
  const int frames = datesOk ? sequenceFrameCount(first, last, d.stepDays) : 0;
  if (!datesOk) {
    ImGui::TextColored(kErrorColour, "%s", "日期应为 YYYY-MM-DD，起不晚于止 · dates YYYY-MM-DD, first not after last");
  } else {
    ImGui::Text("%d 帧 frames: %s/bcmap-0001.png ...", frames, d.folder);
  }
  ImGui::BeginDisabled(!datesOk || frames == 0 || !d.folder[0]);
  const bool sequencePressed = ImGui::Button("导出序列 Export sequence");
  rects.named["export.sequence"] = UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
  if (sequencePressed) {
    fill(r);
    r.kind = ExportRequest::Kind::Sequence;
    r.format = ImageFormat::Png;
    r.firstDay = first;
    r.lastDay = last;
    r.stepDays = d.stepDays;
    r.folder = d.folder;
    d.pendingPath = absolutePath(d.folder);
    d.pendingIsFolder = true;
  }
  ImGui::EndDisabled();

  if (!d.result.empty()) {
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, d.resultIsError ? kErrorColour : kDoneColour);
    ImGui::TextWrapped("%s", d.result.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::End();
  return r;
}

void setExportResult(ExportDialogState& d, bool ok, const std::string& message) {
  d.result = message;
  d.resultIsError = !ok;
  if (ok) {
    d.writtenPath = d.pendingPath;
    d.writtenIsFolder = d.pendingIsFolder;
    d.noticeOpen = !d.writtenPath.empty();
  }
}

// ---- 2. running a request -----------------------------------------------------------------------
namespace {

// What an export left out for want of room, said with its confirmation: the image is
// written, but the user should know to make it larger.
std::string cutShort(const FrameRecord& rec) {
  std::string out;
  if (rec.legendTruncated) out += "\n图例被截断 the legend was cut short (\u2026): choose a larger size or a lower DPI";
  if (rec.titleTruncated) out += "\n标题被截断 the title was cut short: choose a larger size or a shorter title";
  return out;
}

}  // namespace

bool runExportRequest(const ExportRequest& r, const View& shownView, LayerStore& store, const std::string& displayCrs,
                      MapFrame& frame, const FrameOptions& shown, std::string* message) {
  if (r.kind == ExportRequest::Kind::None) return false;
  const View view = exportView(shownView, r.widthPx, r.heightPx, r.legend, r.dpi);
  FrameOptions o = shown;
  o.legend = r.legend;
  o.scaleBar = r.scaleBar;
  o.northArrow = r.northArrow;
  o.title = r.title;
  o.labels = true;
  std::string err;
  if (r.kind == ExportRequest::Kind::Image) {
    if (!exportImage(frame, store, displayCrs, view, o, r.format, r.dpi, r.path, &err)) {
      if (message) *message = err;
      return false;
    }
    if (message) *message = "已导出 written: " + absolutePath(r.path) + cutShort(frame.lastRecord());
    return true;
  }
  std::vector<std::string> written;
  if (!exportSequence(frame, store, displayCrs, view, o, r.dpi, r.firstDay, r.lastDay, r.stepDays,
                      r.folder, "bcmap", &err, &written)) {
    if (message) *message = err;
    return false;
  }
  if (message)
    *message = "已导出 written: " + std::to_string(written.size()) + " 帧 frames in " + absolutePath(r.folder);
  return true;
}

}  // namespace bcmap
