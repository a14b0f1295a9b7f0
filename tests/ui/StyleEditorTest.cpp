// The style editor (ui/StyleEditor.h) in a headless ImGui context (no window, no GL):
// every branch draws with balanced ImGui stacks, the draft follows a style changed
// elsewhere (undo), and a click on "reset" asks for the plugin's style.
#include <gtest/gtest.h>

#include <imgui.h>

#include "host/LayerStore.h"
#include "style/ColorRamps.h"
#include "ui/panels/StyleEditor.h"

namespace bcmap {
namespace {

// A loaded point layer of three features: a text field and a numeric one.
std::unique_ptr<Layer> pointLayer() {
  auto l = std::make_unique<Layer>();
  l->id = "pts";
  l->kind = GeometryKind::Point;
  l->status = LayerStatus::Loaded;
  FeatureTable& t = l->table;
  t.geometry.kind = GeometryKind::Point;
  for (uint32_t i = 0; i < 3; ++i) {
    t.geometry.xy.push_back({122.0 + i * 0.1, 45.0});
    t.geometry.ringVertices.push_back(i + 1);
    t.geometry.partRings.push_back(i + 1);
    t.geometry.featureParts.push_back(i + 1);
  }
  AttributeColumn name;
  name.name = "name";
  name.type = FieldType::String;
  name.strings = {"a", "b", "c"};
  name.isNull = {0, 0, 0};
  AttributeColumn pop;
  pop.name = "pop";
  pop.type = FieldType::Real;
  pop.reals = {1, 5, 9};
  pop.isNull = {0, 0, 0};
  t.columns = {name, pop};
  l->style.kind = StyleKind::Categorized;
  l->style.field = "name";
  return l;
}

class StyleEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2{800, 900};
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // the atlas must exist; nothing draws it
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame with the editor in a window `width` wide, `indents` levels in (as under the
  // layer panel's row and its "样式 Style" node); the rectangle of the last widget it drew,
  // and the right edge of the window's content.
  std::optional<StyleEditRequest> frame(const Layer& l, ImVec4* lastItem = nullptr, float width = 420,
                                        int indents = 0, float* contentRight = nullptr) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2{0, 0});
    ImGui::SetNextWindowSize(ImVec2{width, 880});
    ImGui::Begin("style");
    if (contentRight) *contentRight = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (int i = 0; i < indents; ++i) ImGui::Indent();
    std::optional<StyleEditRequest> r = drawStyleEditor(state, l, 1.0f);
    for (int i = 0; i < indents; ++i) ImGui::Unindent();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    if (lastItem) *lastItem = ImVec4{a.x, a.y, b.x, b.y};
    ImGui::End();
    ImGui::Render();  // asserts on unbalanced Push/Pop, Begin/End, BeginDisabled/EndDisabled
    return r;
  }

  StyleEditorState state;
};

TEST_F(StyleEditorTest, EveryBranchDrawsAndAsksNothingUnprompted) {
  auto l = pointLayer();
  EXPECT_FALSE(frame(*l));  // seeded from the plugin's categorized style
  EXPECT_EQ(state.drafts.at("pts").spec.kind, StyleKind::Categorized);
  EXPECT_EQ(state.drafts.at("pts").spec.field, "name");
  for (StyleKind k : {StyleKind::Single, StyleKind::Categorized, StyleKind::Graduated}) {
    StyleSpec s;
    s.kind = k;
    s.field = k == StyleKind::Graduated ? "pop" : "name";
    s.sizeField = "pop";
    l->userStyle = s;
    EXPECT_FALSE(frame(*l));
    EXPECT_EQ(state.drafts.at("pts").spec, s) << "the draft follows the layer's style";
  }
  StyleSpec custom;
  custom.kind = StyleKind::Graduated;
  custom.field = "pop";
  custom.method = ClassifyMethod::Custom;
  custom.customBreaks = {3, 6};
  l->userStyle = custom;
  EXPECT_FALSE(frame(*l));
  EXPECT_EQ(state.drafts.at("pts").breaksText, "3, 6");
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  l->userStyle = hex;
  EXPECT_FALSE(frame(*l));
  // A layer with no field for a graduated style says so instead of drawing a combo.
  l->table.columns.pop_back();
  l->userStyle = std::nullopt;
  state.drafts.clear();
  l->style.kind = StyleKind::Graduated;
  l->style.field = "";
  EXPECT_FALSE(frame(*l));
  EXPECT_TRUE(state.drafts.at("pts").spec.field.empty());
  // Not loaded: nothing drawn.
  l->status = LayerStatus::Pending;
  EXPECT_FALSE(frame(*l));
}

TEST_F(StyleEditorTest, ResetAsksForThePluginsStyle) {
  auto l = pointLayer();
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "pop";
  l->userStyle = s;
  ImVec4 reset;
  ASSERT_FALSE(frame(*l, &reset));  // "reset" is the last widget while no error shows
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2{(reset.x + reset.z) / 2, (reset.y + reset.w) / 2};
  EXPECT_FALSE(frame(*l));
  io.MouseDown[0] = true;
  EXPECT_FALSE(frame(*l));
  io.MouseDown[0] = false;
  const std::optional<StyleEditRequest> r = frame(*l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->layerId, "pts");
  EXPECT_FALSE(r->spec.has_value());
  EXPECT_FALSE(r->ongoing);
  // Refused: the reason shows under the section and the draft keeps the user's choice.
  state.errors["pts"] = "style: something was wrong";
  EXPECT_FALSE(frame(*l));
  EXPECT_EQ(state.drafts.at("pts").spec, s);
}

// Issue 10: at the layer panel's width the third button, 分级 Graduated, was drawn beside the
// others with its label past the panel's edge. Every label lies within the panel, at the
// default width and narrower or wider ones.
TEST_F(StyleEditorTest, EveryKindLabelLiesWithinThePanel) {
  auto l = pointLayer();
  for (float width : {180.0f, 240.0f, 300.0f, 360.0f, 520.0f}) {
    float right = 0;
    frame(*l, nullptr, width, 2);
    frame(*l, nullptr, width, 2, &right);  // the second frame: sizes settled
    for (size_t k = 0; k < state.kindRadios.size(); ++k) {
      const UiRect& r = state.kindRadios[k];
      ASSERT_FALSE(r.empty()) << "radio " << k << " not drawn at width " << width;
      EXPECT_LE(r.x1, right) << "radio " << k << "'s label runs past the panel's edge at width " << width;
      EXPECT_GE(r.x0, 0.0f);
    }
  }
  // Wide enough, they share one line.
  frame(*l, nullptr, 800, 2);
  EXPECT_EQ(state.kindRadios[0].y0, state.kindRadios[2].y0);
}

// Issue 10: at the layer panel's default width the style section showed "颜色 C…" (the
// colour picker's label after its inputs) and "Natural breaks (Jen" (the method box). Every
// text the section draws — labels, buttons, check boxes, what each closed box shows — lies
// whole within the panel and within its box, for each kind of style, at the default width
// (310 less the layer row's indents) and narrower or wider ones.
TEST_F(StyleEditorTest, EveryTextOfTheSectionIsWhole) {
  auto l = pointLayer();
  StyleSpec single;
  StyleSpec categorized;
  categorized.kind = StyleKind::Categorized;
  categorized.field = "name";
  StyleSpec graduated;
  graduated.kind = StyleKind::Graduated;
  graduated.field = "pop";
  graduated.method = ClassifyMethod::NaturalBreaks;
  graduated.sizeField = "pop";
  StyleSpec hex = graduated;
  hex.aggregation = Aggregation::Hex;
  for (const StyleSpec* spec : {&single, &categorized, &graduated, &hex}) {
    l->userStyle = *spec;
    state.drafts.clear();
    for (float width : {240.0f, 310.0f, 360.0f, 520.0f}) {
      float right = 0;
      frame(*l, nullptr, width, 2);
      frame(*l, nullptr, width, 2, &right);  // the second frame: sizes settled
      ASSERT_FALSE(state.shownTexts.empty());
      bool sawColour = false, sawMethod = false;
      for (const StyleEditorState::ShownText& t : state.shownTexts) {
        SCOPED_TRACE("'" + t.text + "' at width " + std::to_string(int(width)) + ", kind " + std::to_string(int(spec->kind)));
        EXPECT_LE(t.room.x1, right + 0.5f) << "its room reaches past the panel";
        EXPECT_LE(t.drawn.x1, t.room.x1 + 0.5f) << "cut: " << t.drawn.x1 - t.room.x1 << " px too wide";
        EXPECT_GE(t.drawn.x0, 0.0f);
        sawColour = sawColour || t.text == "颜色 Colour";
        sawMethod = sawMethod || t.text.find("Jenks") != std::string::npos;
      }
      if (spec == &single) {
        EXPECT_TRUE(sawColour) << "the colour's label is drawn where it can be checked";
      }
      if (spec == &graduated) {
        EXPECT_TRUE(sawMethod) << "the method box shows natural breaks";
      }
    }
  }
}

// Issue 10 (trial shot 21): the counties, categorised by adcode in the plugin's own colours,
// showed "色带 Ramp YlGnBu" and a blue strip. Until the user changes something the section
// shows what the map shows: the kind, the field, and the plugin's colours, each with the
// legend's text for it; the ramp box says the colours are the layer's own.
TEST_F(StyleEditorTest, WithoutAUserStyleTheSectionShowsTheLayersOwnColours) {
  auto l = pointLayer();
  const Rgba green{102, 194, 165, 255}, orange{252, 141, 98, 255}, blue{141, 160, 203, 255};
  l->style.categories = {{"a", green, "a"}, {"b", orange, "b"}, {"c", blue, "c"}};
  l->legend = {{"甲 Alpha", green, {}, GeometryKind::Point}, {"乙 Beta", orange, {}, GeometryKind::Point},
               {"丙 Gamma", blue, {}, GeometryKind::Point}};
  frame(*l, nullptr, 310, 2);
  frame(*l, nullptr, 310, 2);
  bool own = false;
  for (const StyleEditorState::ShownText& t : state.shownTexts) {
    EXPECT_EQ(t.text.find("YlGnBu"), std::string::npos) << "a ramp the map does not use";
    own = own || t.text.find("图层自带") != std::string::npos;
  }
  EXPECT_TRUE(own) << "the ramp box says the colours are the layer's own";
  EXPECT_EQ(state.swatches, (std::vector<Rgba>{green, orange, blue}));
  EXPECT_EQ(state.drafts.at("pts").spec.kind, StyleKind::Categorized);
  EXPECT_EQ(state.drafts.at("pts").spec.field, "name");
  // Once the user has a style, its ramp shows.
  StyleSpec mine;
  mine.kind = StyleKind::Categorized;
  mine.field = "name";
  mine.ramp = "Okabe-Ito";
  l->userStyle = mine;
  frame(*l, nullptr, 310, 2);
  bool okabe = false;
  for (const StyleEditorState::ShownText& t : state.shownTexts) okabe = okabe || t.text == "Okabe-Ito";
  EXPECT_TRUE(okabe);
  EXPECT_EQ(state.swatches, classColours(*findColorRamp("Okabe-Ito"), 3));
}

// Issue 10 (trial shot 26): choosing 分类 Categorized on a name field gave the sequential
// YlGnBu, as if the names had an order. A ramp the user has not picked follows the field:
// names and codes qualitative, and 分级 Graduated back on a sequential one.
TEST_F(StyleEditorTest, CategoriesOfNamesStartOnAQualitativeRamp) {
  auto l = pointLayer();
  l->style.kind = StyleKind::Single;
  l->style.field.clear();
  auto click = [&](size_t radio) {
    frame(*l, nullptr, 520);
    const UiRect& r = state.kindRadios[radio];
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2{r.x0 + 6, (r.y0 + r.y1) / 2};
    std::optional<StyleEditRequest> got;
    for (bool down : {false, true, false}) {
      io.MouseDown[0] = down;
      if (auto req = frame(*l, nullptr, 520)) got = req;
    }
    return got;
  };
  const std::optional<StyleEditRequest> categorized = click(1);
  ASSERT_TRUE(categorized && categorized->spec);
  EXPECT_EQ(categorized->spec->kind, StyleKind::Categorized);
  EXPECT_EQ(categorized->spec->field, "name");
  const ColorRamp* ramp = findColorRamp(categorized->spec->ramp);
  ASSERT_TRUE(ramp);
  EXPECT_EQ(ramp->kind, RampKind::Qualitative) << categorized->spec->ramp << " for names";
  l->userStyle = categorized->spec;
  const std::optional<StyleEditRequest> graduated = click(2);
  ASSERT_TRUE(graduated && graduated->spec);
  EXPECT_EQ(graduated->spec->kind, StyleKind::Graduated);
  EXPECT_EQ(findColorRamp(graduated->spec->ramp)->kind, RampKind::Sequential) << graduated->spec->ramp;
}

}  // namespace
}  // namespace bcmap
