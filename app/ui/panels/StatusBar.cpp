#include "ui/panels/StatusBar.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "io/Projection.h"
#include "ui/PanelState.h"  // kUiFontPx
#include "ui/UiText.h"

namespace bcmap {

namespace {

// Logical pixels: the text line plus 5 px padding above and below.
constexpr float kBarPadY = 5.0f;
constexpr float kBarPadX = 10.0f;

void separator() {
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
}

}  // namespace

std::string formatScale(double denominator) {
  if (!std::isfinite(denominator) || !(denominator > 0)) return "1:?";
  double rounded = std::round(denominator);
  if (rounded >= 1000) {
    const double unit = std::pow(10.0, std::floor(std::log10(rounded)) - 2);
    rounded = std::round(rounded / unit) * unit;
  }
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.0f", std::max(rounded, 1.0));
  std::string out = "1:";
  const size_t n = std::strlen(digits);
  for (size_t i = 0; i < n; ++i) {
    out += digits[i];
    if ((n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

float statusBarHeight(float s) { return (kUiFontPx + 2 * kBarPadY) * s; }

bool drawStatusBar(const StatusBarInput& in, float s, float windowW, float windowH, TestRects& rects) {
  const float h = statusBarHeight(s);
  ImGui::SetNextWindowPos(ImVec2{0, windowH - h});
  ImGui::SetNextWindowSize(ImVec2{windowW, h});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2{kBarPadX * s, kBarPadY * s});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2{1, 1});  // the default 32 px is taller
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::Begin("##statusbar", nullptr, flags);
  char buf[160];
  // The CRS comes first: the text after it changes width as the cursor leaves the map, and
  // the label is the way to the CRS control (it said so, then moved away from the pointer).
  // WKT or PROJJSON is cut short here; the tooltip has the whole text.
  constexpr size_t kCrsLabelMax = 48;  // a PROJ string of a few parameters fits
  const std::string crsLabel = in.displayCrs.size() <= kCrsLabelMax
                                   ? std::string(in.displayCrs)
                                   : std::string(in.displayCrs.substr(0, kCrsLabelMax - 3)) + "...";
  ImGui::TextUnformatted(crsLabel.c_str());
  const ImVec2 crsMin = ImGui::GetItemRectMin(), crsMax = ImGui::GetItemRectMax();
  rects.named["status.crs"] = UiRect{crsMin.x, crsMin.y, crsMax.x, crsMax.y};
  bool crsClicked = false;
  if (ImGui::IsItemHovered()) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (in.displayCrs.size() > kCrsLabelMax)
      ImGui::SetTooltip("%s\n%.*s", ui_text::kCrsChange, static_cast<int>(in.displayCrs.size()), in.displayCrs.data());
    else
      ImGui::SetTooltip("%s", ui_text::kCrsChange);
    crsClicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
  }
  separator();
  if (in.cursorInMap && std::isfinite(in.cursorLonLat.x) && std::isfinite(in.cursorLonLat.y)) {
    std::snprintf(buf, sizeof buf, "%.6f°%c  %.6f°%c", std::abs(in.cursorLonLat.x), in.cursorLonLat.x < 0 ? 'W' : 'E',
                  std::abs(in.cursorLonLat.y), in.cursorLonLat.y < 0 ? 'S' : 'N');
    ImGui::TextUnformatted(buf);
    separator();
    if (in.displayIsGeographic)
      std::snprintf(buf, sizeof buf, "x %.6f  y %.6f", in.cursorWorld.x, in.cursorWorld.y);
    else
      std::snprintf(buf, sizeof buf, "x %.1f  y %.1f", in.cursorWorld.x, in.cursorWorld.y);
    ImGui::TextUnformatted(buf);
  } else {
    ImGui::TextDisabled("%s", ui_text::kOutside);
  }
  separator();
  // A logical pixel is the 0.28 mm "standardized rendering pixel": a framebuffer pixel
  // is 1/contentScale of it on a HiDPI screen.
  const std::string scale =
      std::string(ui_text::kScale) + " " + formatScale(scaleDenominator(in.metresPerPixel * in.contentScale));
  ImGui::TextUnformatted(scale.c_str());
  separator();
  // The time the last frame took: named, so it reads as what it is.
  std::snprintf(buf, sizeof buf, "帧 frame %.1f ms", in.frameMs);
  ImGui::TextUnformatted(buf);
  if (!in.notice.empty()) {
    separator();
    const ImVec4 ink = in.noticeIsError ? ImVec4{0.75f, 0.10f, 0.10f, 1.0f} : ImVec4{0.10f, 0.45f, 0.15f, 1.0f};
    ImGui::TextColored(ink, "%.*s", static_cast<int>(in.notice.size()), in.notice.data());
    // A long notice runs past the window's edge: the whole of it on hover.
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", static_cast<int>(in.notice.size()), in.notice.data());
    rects.facts["status.notice"] = std::string(in.notice);
  }
  if (!in.hoverLayer.empty()) {
    separator();
    // The first line of the description names the feature; the tooltip has the rest.
    const size_t eol = in.hoverText.find('\n');
    const std::string first(in.hoverText.substr(0, eol));
    const std::string what = std::string(in.hoverLayer) + " #" + std::string(in.hoverFeatureId) + (first.empty() ? "" : "  " + first);
    ImGui::TextUnformatted(what.c_str());
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.statusBar = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  ImGui::PopStyleVar(4);
  return crsClicked;
}

}  // namespace bcmap
