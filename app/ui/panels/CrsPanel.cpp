// Sections: 1. the control  2. the window
#include "ui/panels/CrsPanel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cfloat>

#include "io/Projection.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

const ImVec4 kReasonRed{0.62f, 0.10f, 0.10f, 1.0f};

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

std::optional<std::string> controls(const CrsControlInput& in, bool* focusField, UiRect& combo, UiRect& field) {
  std::optional<std::string> out;
  const std::string displayCrs(in.displayCrs);
  const char* preview = displayCrs.c_str();
  for (const DisplayCrs& c : kDisplayCrsChoices)
    if (displayCrs == c.code) preview = c.label;
  ImGui::SetNextItemWidth(-FLT_MIN);  // the full width of the window
  const bool comboOpen = ImGui::BeginCombo("##crs", preview);
  combo = lastItemRect();
  if (comboOpen) {
    for (const DisplayCrs& c : kDisplayCrsChoices) {
      const bool selected = displayCrs == c.code;
      if (ImGui::Selectable(c.label, selected)) out = std::string(c.code);
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(ui_text::kCrsApply).x -
                          ImGui::GetStyle().FramePadding.x * 2 - ImGui::GetStyle().ItemSpacing.x);
  // Opened from the menu or the status bar to type a CRS: the field has the keyboard.
  // Asked until it takes: a window's first frames (auto-sizing) may not hand focus over.
  if (focusField && *focusField) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputTextWithHint("##proj", ui_text::kCrsCustom, in.crsInput,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  field = lastItemRect();
  if (focusField && ImGui::IsItemActive()) *focusField = false;
  ImGui::SameLine();
  if ((ImGui::Button(ui_text::kCrsApply) || entered) && !in.crsInput->empty()) out = *in.crsInput;
  if (!in.crsError.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(in.crsError.data(), in.crsError.data() + in.crsError.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  return out;
}

}  // namespace

// ---- 1. the control -------------------------------------------------------------------------
std::optional<std::string> drawCrsControls(const CrsControlInput& in, UiRect& combo, UiRect& field) {
  return controls(in, nullptr, combo, field);
}

// ---- 2. the window --------------------------------------------------------------------------
std::optional<std::string> drawCrsWindow(const CrsControlInput& in, bool* open, float s, TestRects& rects) {
  // The field takes the keyboard each time the window opens (one window, the UI thread).
  static bool wasOpen = false, focusField = false;
  if (*open && !wasOpen) focusField = true;
  wasOpen = *open;
  if (!*open) return std::nullopt;
  // PROJ's name of the CRS, asked once per CRS rather than every frame.
  static std::string namedCrs, name;
  if (namedCrs != in.displayCrs) {
    namedCrs = std::string(in.displayCrs);
    name = crsName(namedCrs);
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2{vp->Size.x / 2, vp->Size.y / 2}, ImGuiCond_Appearing, ImVec2{0.5f, 0.5f});
  // A fixed width, and as tall as its lines: a refusal's reason appears below the field.
  ImGui::SetNextWindowSizeConstraints(ImVec2{440 * s, 0}, ImVec2{440 * s, FLT_MAX});
  std::optional<std::string> out;
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
  if (ImGui::Begin(ui_text::kCrsHeader, open, flags)) {
    ImGui::TextDisabled("%s", ui_text::kCrsCurrent);
    ImGui::SameLine();
    ImGui::TextUnformatted(name.empty() ? namedCrs.c_str() : name.c_str());
    UiRect combo, field;
    out = controls(in, &focusField, combo, field);
    rects.named["crs.combo"] = combo;
    rects.named["crs.field"] = field;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", ui_text::kCrsForms);
    ImGui::PopTextWrapPos();
    const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    rects.named["crs.window"] = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
    rects.facts["crs.name"] = name;
  }
  ImGui::End();
  return out;
}

}  // namespace bcmap
