// The style editor (ui/StyleEditor.h) in a headless ImGui context (no window, no GL):
// every branch draws with balanced ImGui stacks, the draft follows a style changed
// elsewhere (undo), and a click on "reset" asks for the plugin's style.
#include <gtest/gtest.h>

#include <imgui.h>

#include "host/LayerStore.h"
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

  // One frame with the editor in a window; the rectangle of the last widget it drew.
  std::optional<StyleEditRequest> frame(const Layer& l, ImVec4* lastItem = nullptr) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2{0, 0});
    ImGui::SetNextWindowSize(ImVec2{420, 880});
    ImGui::Begin("style");
    std::optional<StyleEditRequest> r = drawStyleEditor(state, l, 1.0f);
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

}  // namespace
}  // namespace bcmap
