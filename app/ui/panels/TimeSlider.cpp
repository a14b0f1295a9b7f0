// Sections: 1. playing  2. the window
#include "ui/panels/TimeSlider.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "host/LayerStore.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

// Geometry in logical pixels (multiplied by the UI scale).
constexpr float kWidth = 720.0f;       // the window, when the map is wide enough
constexpr float kMinWidth = 420.0f;    // below this the controls would overlap
constexpr float kSpeedWidth = 150.0f;  // the speed combo: fits "3 月/秒 3 months/s"
// ImGui's sliders keep their grab this far from the frame's ends (SliderBehaviorT's
// grab_padding in imgui_widgets.cpp, 1.86); the year ticks line up with the grab's centre.
constexpr float kGrabPadding = 2.0f;
constexpr float kTickTextScale = 0.8f;  // year labels, relative to the panel font

// While playing the map is redrawn at most this often: every day at 3 months a second
// would be 91 full frames a second, which buys nothing on screen.
constexpr double kPlayFps = 30.0;

const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

double rateOf(const TimeState& t) { return kTimeSpeeds[std::clamp(t.speed, 0, kTimeSpeedCount - 1)].daysPerSec; }

// Where the grab's centre is for `day` on a slider spanning [x0, x1] (window units).
float dayToX(int32_t day, float x0, float x1, float grabSize) {
  const float usable = (x1 - x0) - 2 * kGrabPadding - grabSize;
  const float t = static_cast<float>(day - kTimeFirstDay) / static_cast<float>(kTimeLastDay - kTimeFirstDay);
  return x0 + kGrabPadding + grabSize / 2 + t * usable;
}

void playIcon(bool playing, UiRect r) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImVec2 c{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2};
  const float h = (r.y1 - r.y0) * 0.28f;  // half the icon's height
  if (playing) {
    dl->AddRectFilled({c.x - h * 0.8f, c.y - h}, {c.x - h * 0.25f, c.y + h}, col);
    dl->AddRectFilled({c.x + h * 0.25f, c.y - h}, {c.x + h * 0.8f, c.y + h}, col);
  } else {
    dl->AddTriangleFilled({c.x - h * 0.7f, c.y - h}, {c.x - h * 0.7f, c.y + h}, {c.x + h, c.y}, col);
  }
}

// The hovered item's tooltip, placed above the time bar at the item's left edge. ImGui puts
// a tooltip under the pointer, and in this one row that covered the date being watched
// (the play button's Pause, the speed's and All's explanations).
void tooltipAboveBar(const char* text) {
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  ImGui::SetNextWindowPos(ImVec2{ImGui::GetItemRectMin().x, ImGui::GetWindowPos().y - gap}, ImGuiCond_Always,
                          ImVec2{0.0f, 1.0f});
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Year ticks under the slider: a mark at each 1 January, the year centred on its span.
void yearTicks(UiRect slider, float grabSize) {
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize() * kTickTextScale;
  const float top = ImGui::GetCursorScreenPos().y;
  ImGui::Dummy(ImVec2{0, size});
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 mark = ImGui::GetColorU32(ImGuiCol_Border);
  const ImU32 text = ImGui::GetColorU32(kDim);
  for (int year = 2015; year <= 2020; ++year) {
    const int32_t jan1 = *parseDate(std::to_string(year) + "-01-01");
    const int32_t next = std::min(*parseDate(std::to_string(year + 1) + "-01-01"), kTimeLastDay);
    const float x0 = dayToX(jan1, slider.x0, slider.x1, grabSize);
    const float x1 = dayToX(next, slider.x0, slider.x1, grabSize);
    if (year > 2015) dl->AddLine({x0, top - 1}, {x0, top + size * 0.35f}, mark);
    const std::string label = std::to_string(year);
    const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0, label.c_str());
    dl->AddText(font, size, {(x0 + x1 - extent.x) / 2, top}, text, label.c_str());
  }
}

}  // namespace

bool anyLayerHasTime(LayerStore& store) {
  // A table layer's dates filter nothing on the map (issue 12): it brings no time bar.
  for (auto& l : store.layers())
    if (l->status == LayerStatus::Loaded && !l->tableOnly() && (l->hasTime || l->table.hasTime())) return true;
  return false;
}

// ---- 1. playing ----------------------------------------------------------------------------
void togglePlay(TimeState& t, double nowSec) {
  if (t.playing) {
    t.playing = false;
    return;
  }
  if (t.day >= kTimeLastDay) t.day = kTimeFirstDay;
  t.all = false;
  t.playing = true;
  t.playDay = t.day;
  t.lastTickSec = nowSec;
  t.nextStepSec = nowSec + std::max(1.0 / rateOf(t), 1.0 / kPlayFps);
}

bool advanceTime(TimeState& t, double nowSec) {
  if (!t.playing) return false;
  const double rate = rateOf(t);
  t.playDay += std::max(0.0, nowSec - t.lastTickSec) * rate;
  t.lastTickSec = nowSec;
  int32_t day = static_cast<int32_t>(std::floor(t.playDay));
  if (day >= kTimeLastDay) {
    day = kTimeLastDay;
    t.playing = false;
  }
  const double toNextDay = (std::floor(t.playDay) + 1 - t.playDay) / rate;
  t.nextStepSec = nowSec + std::max(toNextDay, 1.0 / kPlayFps);
  const bool changed = day != t.day;
  t.day = day;
  return changed;
}

// ---- 2. the window -------------------------------------------------------------------------
TimeSliderResult drawTimeSlider(TimeState& t, bool& chartShown, float s, float left, float right, float bottom,
                                double nowSec, TestRects& rects) {
  rects.timeWindow = rects.timeSlider = rects.timePlay = rects.timeAll = rects.timeSpeed = rects.timeMode = UiRect{};
  rects.timeSliderHeld = false;
  TimeSliderResult result;
  if (!t.shown) return result;
  const float width = std::max(kMinWidth * s, std::min(kWidth * s, right - left));
  ImGui::SetNextWindowPos(ImVec2{(left + right) / 2, bottom}, ImGuiCond_Always, ImVec2{0.5f, 1.0f});
  ImGui::SetNextWindowSizeConstraints(ImVec2{width, 0}, ImVec2{width, FLT_MAX});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing;
  if (ImGui::Begin("##time", nullptr, flags)) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float h = ImGui::GetFrameHeight();

    // Play / pause: an icon drawn over a blank button, so no glyph is needed for it.
    const bool wasAll = t.all;
    const int32_t wasDay = t.day;
    if (ImGui::Button("##play", ImVec2{h * 1.3f, h})) togglePlay(t, nowSec);
    rects.timePlay = lastItemRect();
    playIcon(t.playing, rects.timePlay);
    if (ImGui::IsItemHovered()) tooltipAboveBar(t.playing ? ui_text::kPause : ui_text::kPlay);

    // The day, as a date beside the slider (inside it the grab would cover it); "All" dims
    // both, and moving the slider turns "All" off.
    ImGui::SameLine();
    const std::string date = formatDate(t.day);
    const float dateW = ImGui::CalcTextSize("0000-00-00").x;
    if (t.dateEditing) {
      // Typed: Enter takes a date in the campaign's years (YYYY-MM-DD), Esc or a click
      // elsewhere leaves it; a date outside them stays in the field, marked.
      if (t.dateRefused) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4{0.95f, 0.75f, 0.75f, 1.0f});
      ImGui::SetNextItemWidth(dateW + 2 * style.FramePadding.x);
      // ImGui answers a focus request in the next frame: asked every other frame until the
      // field has the keyboard (as the search box does).
      const bool ask = !t.dateFocused && !t.dateAskedLast;
      if (ask) ImGui::SetKeyboardFocusHere();
      t.dateAskedLast = ask;
      const bool entered = ImGui::InputText("##date", t.dateText.data(), t.dateText.size(),
                                            ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
      if (t.dateRefused) ImGui::PopStyleColor();
      t.dateFocused = t.dateFocused || ImGui::IsItemActive();
      rects.named["time.dateInput"] = lastItemRect();
      if (entered) {
        const std::optional<int32_t> typed = parseDate(t.dateText.data());
        t.dateRefused = !typed || *typed < kTimeFirstDay || *typed > kTimeLastDay;
        if (!t.dateRefused) {
          t.day = *typed;
          t.playDay = *typed;
          t.all = false;
          t.dateEditing = false;
        }
      } else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) ||
                 (!ImGui::IsItemActive() && !ImGui::IsItemHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left))) {
        t.dateEditing = false;
        t.dateRefused = false;
      }
      if (ImGui::IsItemHovered()) tooltipAboveBar("YYYY-MM-DD, 2015-01-01 … 2020-12-31, Enter");
    } else {
      // A flat button: it reads as the date, and shows it can be clicked when hovered.
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4{0, 0, 0, 0});
      if (wasAll) ImGui::PushStyleColor(ImGuiCol_Text, style.Colors[ImGuiCol_TextDisabled]);
      const bool clicked = ImGui::Button(date.c_str());
      ImGui::PopStyleColor(wasAll ? 2 : 1);
      if (clicked) {
        t.dateEditing = true;
        t.dateFocused = t.dateAskedLast = false;
        t.dateRefused = false;
        std::snprintf(t.dateText.data(), t.dateText.size(), "%s", date.c_str());
      }
      if (ImGui::IsItemHovered()) tooltipAboveBar(ui_text::kTimeHint);
    }
    rects.named["time.date"] = lastItemRect();
    ImGui::SameLine(0, style.ItemSpacing.x + std::max(0.0f, dateW - ImGui::GetItemRectSize().x));
    const float allW = h + style.ItemInnerSpacing.x + ImGui::CalcTextSize(ui_text::kTimeAll).x;
    const float sliderW = ImGui::GetContentRegionAvail().x - kSpeedWidth * s - allW - 2 * style.ItemSpacing.x;
    ImGui::SetNextItemWidth(std::max(h * 4, sliderW));
    int day = t.day;
    if (wasAll) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, style.Alpha * 0.55f);
    // An empty format: the slider shows no text of its own.
    if (ImGui::SliderInt("##day", &day, kTimeFirstDay, kTimeLastDay, "",
                         ImGuiSliderFlags_NoInput | ImGuiSliderFlags_AlwaysClamp)) {
      t.day = day;
      t.all = false;
      t.playDay = day;
    }
    if (wasAll) ImGui::PopStyleVar();
    rects.timeSlider = lastItemRect();
    rects.timeSliderHeld = ImGui::IsItemActive();

    ImGui::SameLine();
    ImGui::SetNextItemWidth(kSpeedWidth * s);
    const bool comboOpen = ImGui::BeginCombo("##speed", kTimeSpeeds[std::clamp(t.speed, 0, kTimeSpeedCount - 1)].label);
    rects.timeSpeed = lastItemRect();
    if (comboOpen) {
      for (int i = 0; i < kTimeSpeedCount; ++i) {
        if (ImGui::Selectable(kTimeSpeeds[i].label, i == t.speed)) t.speed = i;
        if (i == t.speed) ImGui::SetItemDefaultFocus();
      }
      ImGui::EndCombo();
    } else if (ImGui::IsItemHovered()) {
      tooltipAboveBar(ui_text::kTimeSpeed);
    }

    ImGui::SameLine();
    bool all = t.all;
    if (ImGui::Checkbox(ui_text::kTimeAll, &all)) {
      t.all = all;
      if (all) t.playing = false;
    }
    rects.timeAll = lastItemRect();
    if (ImGui::IsItemHovered()) tooltipAboveBar(ui_text::kTimeAllHint);

    const float grab = std::min(style.GrabMinSize, rects.timeSlider.x1 - rects.timeSlider.x0);
    rects.timeFirstX = dayToX(kTimeFirstDay, rects.timeSlider.x0, rects.timeSlider.x1, grab);
    rects.timeLastX = dayToX(kTimeLastDay, rects.timeSlider.x0, rects.timeSlider.x1, grab);
    yearTicks(rects.timeSlider, grab);

    // How the day selects: while its span covers the day, everything up to the day, or what
    // started in the last N days.
    const TimeMode wasMode = t.mode;
    const int32_t wasWindow = t.windowDays;
    static constexpr const char* kModes[] = {"区间 In effect on the day", "累计 Cumulative (up to the day)",
                                             "窗口 Window (last N days)"};
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", "显示 Show");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(230 * s);
    int mode = static_cast<int>(t.mode);
    if (ImGui::Combo("##mode", &mode, kModes, 3)) t.mode = static_cast<TimeMode>(mode);
    rects.timeMode = lastItemRect();
    if (t.mode == TimeMode::Window) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(110 * s);
      int window = t.windowDays;
      if (ImGui::InputInt("天 days", &window, 30, 365)) t.windowDays = std::clamp(window, 1, kTimeLastDay - kTimeFirstDay + 1);
    }
    // The row wraps where the window is too narrow for it (a large UI scale).
    auto sameLineIfFits = [&](const char* checkboxLabel) {
      const float w = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(checkboxLabel).x;
      const float contentRight = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + w <= contentRight) ImGui::SameLine();
    };
    sameLineIfFits("日期 Date on map");
    ImGui::Checkbox("日期 Date on map", &t.counter);
    if (ImGui::IsItemHovered()) tooltipAboveBar("播放时在地图上显示日期 · the date in large type on the map while playing");
    sameLineIfFits("图表 Chart");
    ImGui::Checkbox("图表 Chart", &chartShown);
    if (t.all != wasAll || t.day != wasDay || t.mode != wasMode || t.windowDays != wasWindow) result.changed = true;
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  result.window = rects.timeWindow = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  return result;
}

}  // namespace bcmap
