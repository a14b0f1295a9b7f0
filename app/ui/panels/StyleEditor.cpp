// Sections: 1. the draft  2. widgets  3. the section
#include "ui/panels/StyleEditor.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "style/ColorRamps.h"
#include "host/LayerStore.h"

namespace bcmap {

namespace {

const ImVec4 kReasonRed{0.62f, 0.10f, 0.10f, 1.0f};
const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};

constexpr const char* kKindNames[] = {"单一 Single", "分类 Categorized", "分级 Graduated"};
constexpr const char* kMethodNames[] = {"分位数 Quantile", "等间距 Equal interval", "自然断点 Natural breaks (Jenks)",
                                        "自定义 Custom breaks"};
// What the closed method box shows: short enough for the panel's default width; the list
// and the tooltip give the long form.
constexpr const char* kMethodShort[] = {"分位数 Quantile", "等间距 Equal", "自然断点 Jenks", "自定义 Custom"};
constexpr const char* kSafeMark = "色盲友好 colour-blind safe";
constexpr const char* kOwnColours = "图层自带 layer's own";

bool isNumeric(FieldType t) { return t == FieldType::Integer || t == FieldType::Real || t == FieldType::Date; }

bool fieldFits(const Layer& l, const std::string& name, StyleKind kind) {
  const AttributeColumn* c = l.table.column(name);
  return c && (kind != StyleKind::Graduated || isNumeric(c->type));
}

std::string firstField(const Layer& l, StyleKind kind) {
  for (const AttributeColumn& c : l.table.columns)
    if (kind != StyleKind::Graduated || isNumeric(c.type)) return c.name;
  return {};
}

std::string cutsText(const std::vector<double>& cuts) {
  std::string out;
  for (double c : cuts) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", c);
    out += (out.empty() ? "" : ", ") + std::string(buf);
  }
  return out;
}

ImU32 imColour(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

// ---- 1. the draft ----------------------------------------------------------------------------
// Without a user style the widgets start from what the plugin shows.
StyleSpec seed(const Layer& l) {
  if (l.userStyle) return *l.userStyle;
  StyleSpec s;
  s.kind = l.style.kind;
  s.field = fieldFits(l, l.style.field, l.style.kind) ? l.style.field : firstField(l, l.style.kind);
  s.single = l.style.fill;
  if (l.style.kind == StyleKind::Graduated && !l.style.classes.empty())
    s.classes = std::clamp(static_cast<int>(l.style.classes.size()), kMinClasses, kMaxClasses);
  s.ramp = defaultRampFor(s.kind, l.table.column(s.field));
  return s;
}

// Whether the layer shows the plugin's own categories or classes (no user style yet): the
// editor then shows those colours, not a ramp the map does not use.
bool showsOwnColours(const Layer& l) {
  if (l.userStyle) return false;
  return (l.style.kind == StyleKind::Categorized && !l.style.categories.empty()) ||
         (l.style.kind == StyleKind::Graduated && !l.style.classes.empty());
}

// The layer's draft, following the layer when its style changed elsewhere (undo, session):
// the user style is then neither the one the draft started from nor the draft itself.
StyleEditorState::Draft& draftFor(StyleEditorState& state, const Layer& l) {
  auto it = state.drafts.find(l.id);
  if (it == state.drafts.end() || (l.userStyle != it->second.basis && l.userStyle != it->second.spec)) {
    StyleEditorState::Draft d;
    d.spec = seed(l);
    d.basis = l.userStyle;
    d.breaksText = cutsText(d.spec.customBreaks);
    d.rampChosen = l.userStyle.has_value();
    it = state.drafts.insert_or_assign(l.id, std::move(d)).first;
  } else if (l.userStyle == it->second.spec) {
    it->second.basis = l.userStyle;  // the last request was applied
  }
  return it->second;
}

// How many colours the ramp will hand out, for its colour-blind-safe mark.
size_t coloursWanted(const Layer& l, StyleEditorState::Draft& d) {
  const StyleSpec& s = d.spec;
  if (s.kind != StyleKind::Categorized || s.aggregation == Aggregation::Hex) return static_cast<size_t>(s.classes);
  if (d.countedField != s.field || d.countedGeneration != l.generation) {
    std::unordered_set<std::string> distinct;
    if (const AttributeColumn* c = l.table.column(s.field))
      for (size_t i = 0; i < c->size() && distinct.size() <= kMaxCategories; ++i)
        if (!c->isNull[i]) distinct.insert(c->text(i));
    d.countedField = s.field;
    d.countedGeneration = l.generation;
    d.distinctValues = std::min(distinct.size(), kMaxCategories);
  }
  return d.distinctValues;
}

// ---- 2. widgets ------------------------------------------------------------------------------
// A row of `n` swatches of the ramp, `size` wide, at the cursor: the colours the classes get
// on the map (classColours: a pale end left out).
void rampStrip(ImDrawList* dl, ImVec2 at, ImVec2 size, const ColorRamp& r, size_t n, bool reversed,
               std::vector<Rgba>* shown = nullptr) {
  const std::vector<Rgba> c = classColours(r, std::max<size_t>(n, 2), reversed);
  if (shown) *shown = c;
  const float w = size.x / static_cast<float>(c.size());
  for (size_t i = 0; i < c.size(); ++i)
    dl->AddRectFilled(ImVec2{at.x + w * static_cast<float>(i), at.y}, ImVec2{at.x + w * static_cast<float>(i + 1), at.y + size.y},
                      imColour(c[i]));
}

struct Editor {
  StyleEditorState& state;
  StyleEditorState::Draft& d;
  const Layer& l;
  float s;
  std::optional<StyleEditRequest> out;

  void request(bool ongoing) { out = StyleEditRequest{l.id, d.spec, ongoing}; }
  // For widgets held while editing (sliders, the colour picker): each change while held is
  // `ongoing`; letting go closes the step.
  void held(bool changed) {
    if (changed) request(ImGui::IsItemActive());
    else if (ImGui::IsItemDeactivatedAfterEdit()) request(false);
  }

  // The right edge of the section's room (window units).
  static float contentRight() { return ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x; }

  // Records the last item as showing `text` whole within [x0, contentRight()] (ShownText).
  void shown(const char* text) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    state.shownTexts.push_back({text, UiRect{a.x, a.y, b.x, b.y}, UiRect{a.x, a.y, contentRight(), b.y}});
  }

  void label(const char* text) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    shown(text);
  }

  // A label, then the widget after it on the same line while `widestValue` (what the widget
  // shows, with a combo's arrow) still fits beside it; else the widget gets a line of its
  // own. Either way the widget takes the rest of the width.
  void labelled(const char* text, const char* widestValue) {
    label(text);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float need = ImGui::CalcTextSize(widestValue).x + 2 * st.FramePadding.x + ImGui::GetFrameHeight();
    if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + need <= contentRight()) ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
  }

  // Records the closed combo just drawn as showing `preview` in its box less its arrow.
  void shownPreview(const char* preview) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float pad = ImGui::GetStyle().FramePadding.x;
    const float textW = ImGui::CalcTextSize(preview).x;
    state.shownTexts.push_back(
        {preview, UiRect{a.x + pad, a.y, a.x + pad + textW, b.y}, UiRect{a.x + pad, a.y, b.x - ImGui::GetFrameHeight(), b.y}});
  }

  // The widest of the fields a combo may show.
  std::string widestField(bool numericOnly) const {
    std::string widest;
    for (const AttributeColumn& c : l.table.columns)
      if ((!numericOnly || isNumeric(c.type)) && ImGui::CalcTextSize(c.name.c_str()).x > ImGui::CalcTextSize(widest.c_str()).x)
        widest = c.name;
    return widest;
  }

  // After a change of kind or field: a ramp the user did not pick follows what the classes
  // are of (names and codes: qualitative; amounts: sequential), and graduated classes never
  // keep a qualitative ramp (it would suggest categories).
  void suitRamp() {
    if (d.spec.kind == StyleKind::Single) return;
    const ColorRamp* r = findColorRamp(d.spec.ramp);
    const bool qualitative = r && r->kind == RampKind::Qualitative;
    if (!d.rampChosen || (d.spec.kind == StyleKind::Graduated && qualitative))
      d.spec.ramp = defaultRampFor(d.spec.kind, l.table.column(d.spec.field));
  }

  // The plugin's categories or classes as the map shows them: a swatch and the legend's
  // text for each (the legend entry of the same colour, e.g. "洮北区 Taobei District" for the
  // counties' adcode 220802, else the category's own label).
  void ownColours() {
    struct Row {
      Rgba fill;
      std::string text;
    };
    std::vector<Row> rows;
    auto legendText = [&](Rgba fill, const std::string& fallback) {
      for (const LegendEntry& e : l.legend)
        if (e.sizePx == 0 && e.fill == fill) return e.label;
      return fallback;
    };
    if (l.style.kind == StyleKind::Categorized)
      for (const StyleCategory& c : l.style.categories) rows.push_back({c.fill, legendText(c.fill, c.label.empty() ? c.value : c.label)});
    else
      for (const StyleClass& c : l.style.classes) rows.push_back({c.fill, legendText(c.fill, c.label)});
    const float h = ImGui::GetTextLineHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (const Row& r : rows) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      dl->AddRectFilled(ImVec2{at.x, at.y + h * 0.1f}, ImVec2{at.x + h * 1.4f, at.y + h * 0.9f}, imColour(r.fill));
      ImGui::Dummy(ImVec2{h * 1.4f, h});
      ImGui::SameLine();
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(r.text.c_str());
      ImGui::PopTextWrapPos();
      state.swatches.push_back(r.fill);
    }
  }

  void kindRadio() {
    int kind = static_cast<int>(d.spec.kind);
    bool changed = false;
    // Side by side while the whole label fits beside the one before; else on a line of its
    // own (the default panel width puts 分级 Graduated on the second line). The room left is
    // measured from the previous button's right edge: GetContentRegionAvail() after an item
    // measures from the start of the next line, which always looked wide enough.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (int k = 0; k < 3; ++k) {
      const float width = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(kKindNames[k]).x;
      if (k && ImGui::GetItemRectMax().x + style.ItemSpacing.x + width <= right) ImGui::SameLine();
      changed |= ImGui::RadioButton(kKindNames[k], &kind, k);
      shown(kKindNames[k]);
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      state.kindRadios[static_cast<size_t>(k)] = UiRect{a.x, a.y, b.x, b.y};
    }
    if (!changed) return;
    d.spec.kind = static_cast<StyleKind>(kind);
    if (d.spec.kind != StyleKind::Single && !fieldFits(l, d.spec.field, d.spec.kind))
      d.spec.field = firstField(l, d.spec.kind);
    suitRamp();
    if (d.spec.kind != StyleKind::Single && d.spec.field.empty()) return;  // nothing to class by: said below
    request(false);
  }

  void fieldCombo() {
    labelled("字段 Field", widestField(d.spec.kind == StyleKind::Graduated).c_str());
    const bool open = ImGui::BeginCombo("##field", d.spec.field.c_str());
    shownPreview(d.spec.field.c_str());
    if (!open) return;
    for (const AttributeColumn& c : l.table.columns) {
      if (d.spec.kind == StyleKind::Graduated && !isNumeric(c.type)) continue;
      const bool selected = c.name == d.spec.field;
      if (ImGui::Selectable(c.name.c_str(), selected) && !selected) {
        d.spec.field = c.name;
        suitRamp();
        request(false);
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }

  void classification() {
    const char* widest = kMethodShort[0];
    for (const char* m : kMethodShort)
      if (ImGui::CalcTextSize(m).x > ImGui::CalcTextSize(widest).x) widest = m;
    labelled("方法 Method", widest);
    const int current = std::clamp(static_cast<int>(d.spec.method), 0, int(IM_ARRAYSIZE(kMethodNames)) - 1);
    const bool open = ImGui::BeginCombo("##method", kMethodShort[current]);
    shownPreview(kMethodShort[current]);
    if (!open && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kMethodNames[current]);
    if (open) {
      for (int m = 0; m < IM_ARRAYSIZE(kMethodNames); ++m) {
        const bool selected = m == current;
        if (ImGui::Selectable(kMethodNames[m], selected) && !selected) {
          d.spec.method = static_cast<ClassifyMethod>(m);
          // Custom classes need cut points: until some are typed, the change waits.
          if (d.spec.method != ClassifyMethod::Custom || !d.spec.customBreaks.empty()) request(false);
        }
        if (selected) ImGui::SetItemDefaultFocus();
      }
      ImGui::EndCombo();
    }
    if (d.spec.method == ClassifyMethod::Custom) {
      ImGui::SetNextItemWidth(-FLT_MIN);
      const bool enter = ImGui::InputTextWithHint("##breaks", "断点 breaks: 20, 40, 60", &d.breaksText,
                                                  ImGuiInputTextFlags_EnterReturnsTrue);
      if (enter || ImGui::IsItemDeactivatedAfterEdit()) {
        std::vector<double> cuts;
        if (!parseCuts(d.breaksText, cuts, &d.breaksError)) return;
        d.breaksError.clear();
        if (cuts.empty()) {
          d.breaksError = "至少一个断点 at least one break";
          return;
        }
        if (cuts != d.spec.customBreaks || enter) {
          d.spec.customBreaks = cuts;
          request(false);
        }
      }
      if (!d.breaksError.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
        ImGui::TextUnformatted(d.breaksError.c_str());
        ImGui::PopStyleColor();
      }
    } else {
      labelled("类数 Classes", "9");
      held(ImGui::SliderInt("##classes", &d.spec.classes, kMinClasses, kMaxClasses, "%d", ImGuiSliderFlags_AlwaysClamp));
    }
  }

  void rampCombo() {
    const size_t n = coloursWanted(l, d);
    const bool own = showsOwnColours(l);
    const ColorRamp* current = own ? nullptr : findColorRamp(d.spec.ramp);
    const char* preview = own ? kOwnColours : d.spec.ramp.c_str();
    labelled("色带 Ramp", own ? kOwnColours : "Okabe-Ito");
    // The list is wider than the field: each row has a preview strip and the ramp's name.
    ImGui::SetNextWindowSizeConstraints(ImVec2{260 * s, 0}, ImVec2{FLT_MAX, FLT_MAX});
    const bool open = ImGui::BeginCombo("##ramp", preview);
    shownPreview(preview);
    if (!open && own && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", "图层自带的颜色；选一个色带即可换色 the layer's own colours; pick a ramp to recolour");
    if (open) {
      const float stripW = 90 * s, h = ImGui::GetTextLineHeight();
      bool safeHeader = false, otherHeader = false;
      for (const ColorRamp& r : colorRamps()) {
        // Hexagons are coloured on a sequential ramp only (a count is an amount).
        if (d.spec.aggregation == Aggregation::Hex && r.kind != RampKind::Sequential) continue;
        const bool safe = colourBlindSafe(r, n);
        if (safe && !safeHeader) {
          ImGui::TextDisabled("%s", kSafeMark);
          safeHeader = true;
        } else if (!safe && !otherHeader) {
          ImGui::Separator();
          ImGui::TextDisabled("%s", "其他 others");
          otherHeader = true;
        }
        ImGui::PushID(r.name.data(), r.name.data() + r.name.size());
        const bool selected = current == &r;
        if (ImGui::Selectable("##r", selected, 0, ImVec2{0, h}) && !selected) {
          d.spec.ramp = std::string(r.name);
          d.rampChosen = true;
          request(false);
        }
        const ImVec2 a = ImGui::GetItemRectMin();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        rampStrip(dl, a, ImVec2{stripW, h}, r, n, d.spec.reversed);
        const std::string name = std::string(r.name) + (safe ? "  ✓" : "");
        dl->AddText(ImVec2{a.x + stripW + 6 * s, a.y}, ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
        if (ImGui::IsItemHovered() && safe) ImGui::SetTooltip("%s", kSafeMark);
        if (selected) ImGui::SetItemDefaultFocus();
        ImGui::PopID();
      }
      ImGui::EndCombo();
    }
    if (own) {
      ownColours();
      return;  // nothing to reverse: the plugin chose each colour
    }
    // The chosen ramp as the classes will get it.
    if (current) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const ImVec2 size{ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight() * 0.8f};
      rampStrip(ImGui::GetWindowDrawList(), at, size, *current, n, d.spec.reversed, &state.swatches);
      ImGui::Dummy(size);
      if (!colourBlindSafe(*current, n)) {
        ImGui::PushStyleColor(ImGuiCol_Text, kDim);
        ImGui::TextUnformatted("此色带对色盲读者不友好 not colour-blind safe");
        ImGui::PopStyleColor();
      }
    }
    if (ImGui::Checkbox("反转 Reverse", &d.spec.reversed)) request(false);
    shown("反转 Reverse");
  }

  void singleColour() {
    float c[4] = {d.spec.single.r / 255.0f, d.spec.single.g / 255.0f, d.spec.single.b / 255.0f,
                  d.spec.single.a / 255.0f};
    // The label first: ColorEdit4 puts its own after the inputs, where the panel's default
    // width cut it to "颜色 C…". Too narrow for the R G B A fields, the swatch alone (a
    // click opens the picker with them).
    // The R G B A fields need about 200 px: beside the label where they fit, else on a line
    // of their own, else (a very narrow panel) the swatch alone (a click opens the picker).
    const float inputsW = 200 * s;
    label("颜色 Colour");
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + inputsW <= contentRight()) ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool roomForInputs = ImGui::GetContentRegionAvail().x >= inputsW;
    const bool changed = ImGui::ColorEdit4("##colour", c,
                                           ImGuiColorEditFlags_AlphaBar | (roomForInputs ? 0 : ImGuiColorEditFlags_NoInputs));
    if (changed) {
      auto u8 = [](float v) { return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
      d.spec.single = Rgba{u8(c[0]), u8(c[1]), u8(c[2]), u8(c[3])};
    }
    held(changed);
  }

  void pointSize() {
    const char* none = "固定 fixed";
    const std::string widest = widestField(true);
    labelled("大小 Size", ImGui::CalcTextSize(widest.c_str()).x > ImGui::CalcTextSize(none).x ? widest.c_str() : none);
    const char* preview = d.spec.sizeField.empty() ? none : d.spec.sizeField.c_str();
    const bool open = ImGui::BeginCombo("##sizefield", preview);
    shownPreview(preview);
    if (open) {
      if (ImGui::Selectable(none, d.spec.sizeField.empty()) && !d.spec.sizeField.empty()) {
        d.spec.sizeField.clear();
        request(false);
      }
      for (const AttributeColumn& c : l.table.columns) {
        if (!isNumeric(c.type)) continue;
        if (ImGui::Selectable(c.name.c_str(), c.name == d.spec.sizeField) && c.name != d.spec.sizeField) {
          d.spec.sizeField = c.name;
          request(false);
        }
      }
      ImGui::EndCombo();
    }
    if (d.spec.sizeField.empty()) return;
    ImGui::SetNextItemWidth(-FLT_MIN);
    held(ImGui::DragFloatRange2("##sizes", &d.spec.sizeMinPx, &d.spec.sizeMaxPx, 0.2f, 1.0f, 60.0f, "最小 min %.0f px",
                                "最大 max %.0f px", ImGuiSliderFlags_AlwaysClamp));
  }

  void hexagons() {
    bool hex = d.spec.aggregation == Aggregation::Hex;
    const bool clicked = ImGui::Checkbox("六边形聚合 Hexagon bins", &hex);
    shown("六边形聚合 Hexagon bins");
    if (clicked) {
      d.spec.aggregation = hex ? Aggregation::Hex : Aggregation::None;
      if (hex && (!findColorRamp(d.spec.ramp) || findColorRamp(d.spec.ramp)->kind != RampKind::Sequential))
        d.spec.ramp = "YlOrRd";
      request(false);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", "按六边形统计点数，按数量分级 · count the points in each hexagon, graduated by count");
    if (!hex) return;
    labelled("边长 Side", "50000 m");
    float m = static_cast<float>(d.spec.hexSizeM);
    const bool changed = ImGui::SliderFloat("##hexsize", &m, 200.0f, 50000.0f, "%.0f m",
                                            ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    if (changed) d.spec.hexSizeM = std::round(m / 50.0f) * 50.0;  // 50 m steps: the grid does not jitter
    held(changed);
  }
};

}  // namespace

// ---- 3. the section --------------------------------------------------------------------------
std::optional<StyleEditRequest> drawStyleEditor(StyleEditorState& state, const Layer& l, float uiScale) {
  if (l.status != LayerStatus::Loaded) return std::nullopt;
  state.kindRadios = {};
  state.shownTexts.clear();
  state.swatches.clear();
  Editor e{state, draftFor(state, l), l, uiScale, std::nullopt};
  StyleSpec& s = e.d.spec;
  ImGui::PushID("style");
  const bool points = l.kind == GeometryKind::Point;
  if (points) e.hexagons();
  if (s.aggregation == Aggregation::Hex) {
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::TextUnformatted("按点数分级 graduated by point count");
    ImGui::PopStyleColor();
    e.classification();
    e.rampCombo();
  } else {
    e.kindRadio();
    if (s.kind != StyleKind::Single && s.field.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
      ImGui::TextUnformatted(s.kind == StyleKind::Graduated ? "没有数值字段 no numeric field" : "没有字段 no field");
      ImGui::PopStyleColor();
    } else if (s.kind == StyleKind::Single) {
      e.singleColour();
    } else {
      e.fieldCombo();
      if (s.kind == StyleKind::Graduated) e.classification();
      e.rampCombo();
    }
    if (points) e.pointSize();
  }
  ImGui::BeginDisabled(!l.userStyle);
  // Short enough for a narrow panel; the tooltip says whose style comes back.
  if (ImGui::Button("恢复图层样式 Reset")) e.out = StyleEditRequest{l.id, std::nullopt, false};
  e.shown("恢复图层样式 Reset");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", "恢复图层自己的样式 Reset to the layer's own style");
  ImGui::EndDisabled();
  const auto refused = state.errors.find(l.id);
  const std::string* refusal = refused == state.errors.end() ? nullptr : &refused->second;
  for (const std::string* why : {refusal, &l.userStyleError}) {
    if (!why || why->empty()) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, kReasonRed);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(why->c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
  return e.out;
}

}  // namespace bcmap
