// Sections: 1. values as text  2. one widget per type  3. the section
#include "ui/panels/LayerSettings.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "host/LayerStore.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

const ImVec4 kReasonRed{0.62f, 0.10f, 0.10f, 1.0f};
const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

void wrappedText(const std::string& text, const ImVec4& colour) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// ---- 1. values as text ---------------------------------------------------------------------
bool isTrueValue(const std::string& v) { return v == "true" || v == "1"; }

// Decimals shown and stored for a float setting: enough for a hundredth of its range, so
// a slider's value is stored as the user saw it ("12.5", not "12.4999713").
int decimalsFor(const LayerSetting& s) {
  const double span = s.maxValue - s.minValue;
  if (!(span > 0)) return 3;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(span / 100.0))), 0, 6);
}

std::string formatNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

// ---- 2. one widget per type ----------------------------------------------------------------
// What one widget works on: the committed value, or the draft being edited.
struct Field {
  LayerSettingsState& st;
  TestRects& rects;
  const Layer& layer;
  const LayerSetting& setting;
  std::string key;  // settingKey(layer, setting)

  const std::string* draft() const {
    auto it = st.drafts.find(key);
    return it == st.drafts.end() ? nullptr : &it->second;
  }
  const std::string& shown() const { return draft() ? *draft() : setting.value; }
  void edit(const std::string& v) { st.drafts[key] = v; }
  // Asks the main loop to apply `v`. The draft stays until it has, so the widget does not
  // show the old value for a frame.
  void apply(const std::string& v) {
    if (v == setting.value) {
      st.drafts.erase(key);
      return;
    }
    st.drafts[key] = v;
    for (const SettingEdit& e : st.requested)
      if (e.layerId == layer.id && e.key == setting.key && e.value == v) return;
    st.requested.push_back(SettingEdit{layer.id, setting.key, v});
  }
  // For widgets held while editing (sliders, number fields, the colour picker): the draft
  // is applied once the user lets go.
  void applyWhenReleased() {
    if (!ImGui::IsItemActive() && draft() && !isRequested()) apply(*draft());
  }
  bool isRequested() const {
    for (const SettingEdit& e : st.requested)
      if (e.layerId == layer.id && e.key == setting.key) return true;
    return false;
  }
  void record() { rects.settingRects.push_back(SettingRect{layer.id, setting.key, lastItemRect()}); }
};

void boolWidget(Field& f) {
  bool v = isTrueValue(f.shown());
  if (ImGui::Checkbox("##v", &v)) f.apply(v ? "true" : "false");
  f.record();
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(f.setting.label.c_str());
}

void intWidget(Field& f) {
  const LayerSetting& s = f.setting;
  int v = static_cast<int>(std::strtol(f.shown().c_str(), nullptr, 10));
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool changed = false;
  if (s.maxValue > s.minValue)
    changed = ImGui::SliderInt("##v", &v, static_cast<int>(s.minValue), static_cast<int>(s.maxValue), "%d",
                               ImGuiSliderFlags_AlwaysClamp);
  else
    changed = ImGui::InputInt("##v", &v);
  f.record();
  if (changed) f.edit(std::to_string(v));
  f.applyWhenReleased();
}

void floatWidget(Field& f) {
  const LayerSetting& s = f.setting;
  const int decimals = decimalsFor(s);
  float v = std::strtof(f.shown().c_str(), nullptr);
  if (!std::isfinite(v)) v = 0;
  char format[16];
  std::snprintf(format, sizeof format, "%%.%df", decimals);
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool changed = false;
  if (s.maxValue > s.minValue)
    changed = ImGui::SliderFloat("##v", &v, static_cast<float>(s.minValue), static_cast<float>(s.maxValue), format,
                                 ImGuiSliderFlags_AlwaysClamp);
  else
    changed = ImGui::InputFloat("##v", &v, 0, 0, format);
  f.record();
  if (changed) f.edit(formatNumber(v, decimals));
  f.applyWhenReleased();
}

void enumWidget(Field& f) {
  const std::string current = f.shown();
  ImGui::SetNextItemWidth(-FLT_MIN);
  const bool open = ImGui::BeginCombo("##v", current.c_str());
  f.record();
  if (!open) return;
  for (size_t i = 0; i < f.setting.options.size(); ++i) {
    const std::string& o = f.setting.options[i];
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::Selectable(o.c_str(), o == current)) f.apply(o);
    if (o == current) ImGui::SetItemDefaultFocus();
    ImGui::PopID();
  }
  ImGui::EndCombo();
}

void colourWidget(Field& f) {
  const std::string current = f.shown();
  const std::optional<std::array<float, 4>> parsed = parseColourSetting(current);
  std::array<float, 4> c = parsed.value_or(std::array<float, 4>{0, 0, 0, 1});
  const ImGuiColorEditFlags flags = ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar |
                                    ImGuiColorEditFlags_AlphaPreviewHalf | ImGuiColorEditFlags_NoLabel;
  const bool changed = ImGui::ColorEdit4("##v", c.data(), flags);
  f.record();
  // Keep the alpha digits only when the value had them or the user made it translucent.
  if (changed) f.edit(formatColourSetting(c, current.size() == 9 || c[3] < 1.0f));
  f.applyWhenReleased();
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(current.c_str());
  if (!parsed) wrappedText(current + ": #rrggbb / #rrggbbaa", kReasonRed);
}

// Text-like fields: `buf` follows the typing; Enter returns true.
bool textField(Field& f, std::string& buf, const char* hint, float width) {
  ImGui::SetNextItemWidth(width);
  const bool enter = ImGui::InputTextWithHint("##v", hint, &buf, ImGuiInputTextFlags_EnterReturnsTrue);
  f.record();
  if (buf != f.shown()) f.edit(buf);
  return enter;
}

void dateWidget(Field& f) {
  std::string buf = f.shown();
  const bool enter = textField(f, buf, "YYYY-MM-DD", -FLT_MIN);
  const bool valid = buf.size() == 10 && parseDate(buf).has_value();
  if (enter || (ImGui::IsItemDeactivated() && f.draft())) {
    if (valid) f.apply(buf);
  }
  if (!valid) wrappedText(ui_text::kBadDate, kReasonRed);
}

void pathWidget(Field& f) {
  std::string buf = f.shown();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float buttonW = ImGui::CalcTextSize(ui_text::kCrsApply).x + style.FramePadding.x * 2;
  const bool enter = textField(f, buf, "", ImGui::GetContentRegionAvail().x - buttonW - style.ItemSpacing.x);
  if (ImGui::IsItemHovered() && !buf.empty()) ImGui::SetTooltip("%s", buf.c_str());
  ImGui::SameLine();
  const bool pending = f.draft() && !f.isRequested();
  if (!pending) ImGui::BeginDisabled();
  const bool clicked = ImGui::Button(ui_text::kCrsApply);
  if (!pending) ImGui::EndDisabled();
  if ((enter || clicked) && f.draft()) f.apply(*f.draft());
  else if (pending) wrappedText(ui_text::kNotApplied, kDim);
}

void textWidget(Field& f) {
  std::string buf = f.shown();
  const bool enter = textField(f, buf, "", -FLT_MIN);
  if (enter || (ImGui::IsItemDeactivated() && f.draft())) f.apply(buf);
}

}  // namespace

// ---- 1. values as text (public) ------------------------------------------------------------
std::optional<std::array<float, 4>> parseColourSetting(const std::string& text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return std::nullopt;
  std::array<float, 4> c{0, 0, 0, 1};
  for (size_t i = 0; i * 2 + 1 < text.size(); ++i) {
    unsigned v = 0;
    for (size_t k = 1 + i * 2; k < 3 + i * 2; ++k) {
      const char ch = text[k];
      int d = -1;
      if (ch >= '0' && ch <= '9') d = ch - '0';
      if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
      if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    c[i] = static_cast<float>(v) / 255.0f;
  }
  return c;
}

std::string formatColourSetting(const std::array<float, 4>& rgba, bool withAlpha) {
  char buf[16];
  auto byte = [](float v) { return static_cast<unsigned>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  if (withAlpha)
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", byte(rgba[0]), byte(rgba[1]), byte(rgba[2]), byte(rgba[3]));
  else
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", byte(rgba[0]), byte(rgba[1]), byte(rgba[2]));
  return buf;
}

std::string settingErrorText(const LayerSettingsState& st, const Layer& layer, const std::string& key) {
  if (auto e = st.errors.find(settingKey(layer.id, key)); e != st.errors.end()) return e->second;
  const auto last = st.lastEdited.find(layer.id);
  if (layer.status == LayerStatus::Failed && last != st.lastEdited.end() && last->second == key) return layer.error;
  return {};
}

// ---- 3. the section ------------------------------------------------------------------------
void drawLayerSettings(LayerSettingsState& st, Layer& layer, float uiScale, TestRects& rects) {
  for (const LayerSetting& s : layer.settings) {
    ImGui::PushID(s.key.c_str());
    Field f{st, rects, layer, s, settingKey(layer.id, s.key)};
    if (s.type != BCMAP_SETTING_BOOL) ImGui::TextUnformatted(s.label.empty() ? s.key.c_str() : s.label.c_str());
    switch (s.type) {
      case BCMAP_SETTING_BOOL: boolWidget(f); break;
      case BCMAP_SETTING_INT: intWidget(f); break;
      case BCMAP_SETTING_FLOAT: floatWidget(f); break;
      case BCMAP_SETTING_ENUM:
        if (s.options.empty())
          textWidget(f);
        else
          enumWidget(f);
        break;
      case BCMAP_SETTING_COLOR: colourWidget(f); break;
      case BCMAP_SETTING_DATE: dateWidget(f); break;
      case BCMAP_SETTING_PATH: pathWidget(f); break;
      case BCMAP_SETTING_TEXT:
      default: textWidget(f); break;
    }
    if (const std::string e = settingErrorText(st, layer, s.key); !e.empty()) wrappedText(e, kReasonRed);
    ImGui::Dummy(ImVec2{0, 2.0f * uiScale});  // a little air between settings
    ImGui::PopID();
  }
}

}  // namespace bcmap
