// NavPanelsTest: the search, navigation, measure and overview-map panels driven through
// Dear ImGui without a window — frames with simulated keys, typed text and clicks — to
// check what each returns to the main loop. ImGui needs no renderer for this: the font
// atlas is built in memory and the draw data is never drawn.
#include <gtest/gtest.h>

#include <imgui.h>

#include <functional>
#include <string>

#include "nav/CoordinateInput.h"
#include "io/Projection.h"
#include "ui/panels/InsetMap.h"
#include "ui/panels/MeasureTool.h"
#include "ui/panels/NavigationPanel.h"
#include "ui/panels/SearchPanel.h"

namespace bcmap {
namespace {

constexpr float kDisplayW = 1280, kDisplayH = 800;

class ImGuiFrames : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2{kDisplayW, kDisplayH};
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // key index = ImGuiKey_ value
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  void TearDown() override { ImGui::DestroyContext(ctx_); }

  // One frame: input as set, then `draw` between NewFrame and Render.
  void frame(const std::function<void()>& draw) {
    ImGui::NewFrame();
    draw();
    ImGui::Render();
  }
  // A key pressed for one frame, then released for one.
  void key(ImGuiKey k, const std::function<void()>& draw) {
    ImGui::GetIO().KeysDown[k] = true;
    frame(draw);
    ImGui::GetIO().KeysDown[k] = false;
    frame(draw);
  }
  // A left click at `at`: a frame to hover (half a second long, so it never makes a
  // double-click with the click before), one down, one up.
  void click(ImVec2 at, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    io.DeltaTime = 0.5f;
    frame(draw);
    io.DeltaTime = 1.0f / 60;
    io.MouseDown[0] = true;
    frame(draw);
    io.MouseDown[0] = false;
    frame(draw);
  }
  static ImVec2 centre(const UiRect& r) { return {(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2}; }

  ImGuiContext* ctx_ = nullptr;
};

// ---- search ---------------------------------------------------------------------------------
struct Places {
  FeatureTable table;
  SearchIndex index;
  Places() {
    // Three villages at known places, with pinyin.
    const std::vector<std::string> codes = {"220822100201", "220822100202", "220882101203"};
    const std::vector<std::string> names = {"通榆村", "通达村", "大安村"};
    const std::vector<Vec2> at = {{123.1, 44.7}, {123.2, 44.8}, {124.0, 45.1}};
    GeometryColumn& g = table.geometry;
    g.kind = GeometryKind::Point;
    for (const Vec2& p : at) {
      g.xy.push_back(p);
      g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
      g.partRings.push_back(static_cast<uint32_t>(g.ringVertices.size() - 1));
      g.featureParts.push_back(static_cast<uint32_t>(g.partRings.size() - 1));
    }
    for (const auto& [name, values] : {std::pair{"code", codes}, std::pair{"name_zh", names}}) {
      AttributeColumn c;
      c.name = name;
      c.type = FieldType::String;
      c.strings = values;
      c.isNull.assign(values.size(), 0);
      table.columns.push_back(c);
    }
    PinyinTable pinyin;
    pinyin.names["通榆村"] = {"tongyucun", "tyc"};
    pinyin.names["通达村"] = {"tongdacun", "tdc"};
    pinyin.names["大安村"] = {"daancun", "dac"};
    index.build({SearchSource{"villages", GeometryKind::Point, &table, &table.geometry, nullptr, "name_zh", ""}}, pinyin);
  }
};

TEST_F(ImGuiFrames, SearchTypingArrowsAndEnterFlyToTheHighlightedPlace) {
  Places places;
  SearchPanel panel;
  std::optional<FlyToRequest> fly;
  const auto draw = [&] {
    if (auto r = panel.draw(places.index, 1.0f, kDisplayW - 10, 30)) fly = r;
  };
  panel.focusRequested = true;
  frame(draw);
  frame(draw);
  frame(draw);
  EXPECT_FALSE(panel.focusRequested);
  EXPECT_TRUE(ImGui::GetIO().WantTextInput) << "Ctrl+F focus did not reach the box";
  ImGui::GetIO().AddInputCharactersUTF8("TONG");
  frame(draw);
  EXPECT_TRUE(panel.textChanged());
  frame(draw);
  EXPECT_EQ(panel.text(), "TONG");
  ASSERT_EQ(panel.hits().size(), 2u);  // tongyucun, tongdacun; not daancun
  EXPECT_EQ(panel.rects().results.size(), 2u);
  EXPECT_GT(panel.rects().window.x1, panel.rects().window.x0);
  EXPECT_NEAR(panel.rects().window.x1, kDisplayW - 10, 0.5);  // top-right corner where asked
  EXPECT_EQ(panel.highlighted(), 0u);
  key(ImGuiKey_DownArrow, draw);
  EXPECT_EQ(panel.highlighted(), 1u);
  key(ImGuiKey_DownArrow, draw);
  EXPECT_EQ(panel.highlighted(), 1u);  // stays on the last
  const SearchEntry* second = panel.hits()[1].entry;
  EXPECT_FALSE(fly);
  key(ImGuiKey_Enter, draw);
  ASSERT_TRUE(fly);
  EXPECT_EQ(fly->label, second->displayText());
  EXPECT_EQ(fly->layerId, "villages");
  EXPECT_EQ(fly->feature, second->refs[0].feature);
  EXPECT_DOUBLE_EQ(fly->lonLat.x, second->lonLat.x);
  EXPECT_DOUBLE_EQ(fly->lonLatBounds.minY, flyToBounds(*second).minY);
  EXPECT_EQ(fly->kind, PlaceKind::Village);
  // The list closes after a pick; the text stays.
  frame(draw);
  EXPECT_TRUE(panel.rects().results.empty());
  EXPECT_EQ(panel.text(), "TONG");
}

// The names in the result list begin inside the list: no glyph of theirs lies left of the
// clip rectangle it is drawn with (a selectable's box starts half an item spacing left of
// the list, and text drawn from there lost its first character's left side).
TEST_F(ImGuiFrames, SearchResultTextIsInsideTheList) {
  Places places;
  SearchPanel panel;
  const auto draw = [&] { panel.draw(places.index, 1.0f, kDisplayW - 10, 30); };
  panel.focusRequested = true;
  frame(draw);
  frame(draw);
  ImGui::GetIO().AddInputCharactersUTF8("TONG");
  frame(draw);
  frame(draw);
  ASSERT_EQ(panel.rects().results.size(), 2u);
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  const ImDrawData* data = ImGui::GetDrawData();
  size_t glyphVertices = 0;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* dl = data->CmdLists[n];
    if (!dl->_OwnerName || std::string(dl->_OwnerName).find("##results") == std::string::npos) continue;
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      for (unsigned i = 0; i < cmd.ElemCount; ++i) {
        const ImDrawVert& v = dl->VtxBuffer[static_cast<int>(cmd.VtxOffset + dl->IdxBuffer[static_cast<int>(cmd.IdxOffset + i)])];
        if (v.uv.x == white.x && v.uv.y == white.y) continue;  // a filled shape, not a glyph
        ++glyphVertices;
        EXPECT_GE(v.pos.x, cmd.ClipRect.x) << "a glyph starts left of the list, clipped";
      }
    }
  }
  EXPECT_GT(glyphVertices, 0u) << "no text drawn in the result list";
}

TEST_F(ImGuiFrames, TheSearchBoxStaysInsideANarrowCanvas) {
  // At 900x600 and UI scale 1.5 the box (320 px x 1.5) ran left of the canvas over the
  // layer dock's edge and its fold button.
  Places places;
  SearchPanel panel;
  const float right = kDisplayW - 10, room = 300;
  const auto draw = [&] { panel.draw(places.index, 1.5f, right, 30, room); };
  frame(draw);
  frame(draw);
  const UiRect& w = panel.rects().window;
  ASSERT_FALSE(w.empty());
  EXPECT_LE(w.x1 - w.x0, room + 0.5f);
  EXPECT_GE(w.x0, right - room - 0.5f);
  // With room, the usual width.
  SearchPanel wide;
  const auto drawWide = [&] { wide.draw(places.index, 1.0f, right, 30); };
  frame(drawWide);
  frame(drawWide);
  EXPECT_NEAR(wide.rects().window.x1 - wide.rects().window.x0, 320.0f, 1.0f);
}

TEST_F(ImGuiFrames, SearchClickOnAResult) {
  Places places;
  SearchPanel panel;
  std::optional<FlyToRequest> fly;
  const auto draw = [&] {
    if (auto r = panel.draw(places.index, 1.0f, kDisplayW - 10, 30)) fly = r;
  };
  panel.focusRequested = true;
  frame(draw);
  frame(draw);
  frame(draw);
  ImGui::GetIO().AddInputCharactersUTF8("220882");
  frame(draw);
  frame(draw);
  ASSERT_EQ(panel.rects().results.size(), 1u);
  click(centre(panel.rects().results[0]), draw);
  ASSERT_TRUE(fly);
  EXPECT_EQ(fly->label, "大安村");
  EXPECT_DOUBLE_EQ(fly->lonLat.y, 45.1);
}

// ---- navigation -----------------------------------------------------------------------------
TEST_F(ImGuiFrames, NavigationGoToBackForward) {
  std::string err;
  auto toLonLat = Transformer::create("EPSG:3857", kLonLatCrs, &err);
  ASSERT_TRUE(toLonLat) << err;
  NavigationPanel panel;
  NavigationInput in;
  in.displayToLonLat = &*toLonLat;
  in.displayCrs = "EPSG:3857";
  in.centreWorld = toLonLat->inverse({123, 45});
  bool open = true;
  NavigationRequests got;
  const auto draw = [&] {
    NavigationRequests r = panel.draw(in, 1.0f, kDisplayW - 10, 30, &open);
    if (r.goToWorld || r.back || r.forward || !r.zoomToLayer.empty()) got = r;
  };
  frame(draw);
  // Back is disabled while there is nothing to go back to.
  click(centre(panel.rects().backButton), draw);
  EXPECT_FALSE(got.back);
  in.canBack = true;
  frame(draw);
  click(centre(panel.rects().backButton), draw);
  EXPECT_TRUE(got.back);
  got = {};
  in.canForward = true;
  click(centre(panel.rects().forwardButton), draw);
  EXPECT_TRUE(got.forward);

  // Go to: a typo first, then a coordinate.
  got = {};
  click(centre(panel.rects().goToField), draw);
  ImGui::GetIO().AddInputCharactersUTF8("45.6N");
  frame(draw);
  key(ImGuiKey_Enter, draw);
  EXPECT_FALSE(got.goToWorld);
  EXPECT_EQ(panel.goToError(), coordinate_error::kCount);
  click(centre(panel.rects().goToField), draw);
  ImGui::GetIO().AddInputCharactersUTF8(" 123.5E");
  frame(draw);
  EXPECT_EQ(panel.goToError(), "");  // editing clears it
  key(ImGuiKey_Enter, draw);
  ASSERT_TRUE(got.goToWorld);
  const Vec2 expected = toLonLat->inverse({123.5, 45.6});
  EXPECT_NEAR(got.goToWorld->x, expected.x, 1e-6);
  EXPECT_NEAR(got.goToWorld->y, expected.y, 1e-6);
  EXPECT_NEAR(got.goToLonLat->x, 123.5, 1e-12);
  EXPECT_EQ(panel.goToNote(), "") << "no data extent given: nothing to be far from";

  // Numbers out of lon/lat range are metres in the display CRS: carried out, but noted
  // when they land far from the data (here near 0°, 0°, thousands of km from Baicheng).
  in.dataLonLat = Bounds{121.6, 44.2, 124.4, 46.3};
  NavigationPanel far;  // a fresh field
  std::optional<Vec2> farWorld;
  const auto drawFar = [&] {
    NavigationRequests r = far.draw(in, 1.0f, kDisplayW - 10, 30, &open);
    if (r.goToWorld) farWorld = r.goToWorld;
  };
  frame(drawFar);
  click(centre(far.rects().goToField), drawFar);
  ImGui::GetIO().AddInputCharactersUTF8("200, 95");
  frame(drawFar);
  key(ImGuiKey_Enter, drawFar);
  ASSERT_TRUE(farWorld);
  EXPECT_NEAR(farWorld->x, 200, 1e-9);
  EXPECT_NE(far.goToNote().find("far from the data"), std::string::npos) << far.goToNote();

  // Closed: nothing drawn, nothing asked.
  open = false;
  frame(draw);
  EXPECT_TRUE(panel.rects().window.empty());
}

TEST_F(ImGuiFrames, CopyCoordinatePutsTheFormattedTextOnTheClipboard) {
  // ImGui's own clipboard (no platform backend here) keeps what was set.
  frame([] {
    EXPECT_EQ(copyCoordinate({123.5, 45.6}, {13747236.123, 5717264.349}, "EPSG:3857", false),
              "123.500000, 45.600000 (EPSG:3857 13747236.12, 5717264.35)");
    EXPECT_STREQ(ImGui::GetClipboardText(), "123.500000, 45.600000 (EPSG:3857 13747236.12, 5717264.35)");
    EXPECT_EQ(copyCoordinate({NAN, NAN}, {0, 0}, "EPSG:3857", false), "");
    EXPECT_STREQ(ImGui::GetClipboardText(), "123.500000, 45.600000 (EPSG:3857 13747236.12, 5717264.35)");
  });
}

// ---- measure --------------------------------------------------------------------------------
TEST_F(ImGuiFrames, MeasureClicksKeysAndTheOverlay) {
  MeasureTool tool;
  bool open = true;
  const auto toWindow = [](Vec2 ll) { return ImVec2{static_cast<float>((ll.x - 122) * 200), static_cast<float>((46 - ll.y) * 200)}; };
  tool.click({123, 45}, false);  // inactive: ignored
  EXPECT_TRUE(tool.measurement().points().empty());
  tool.setMode(MeasureMode::Area);
  tool.click({123, 45}, false);
  tool.click({123.5, 45}, false);
  tool.click({123.5, 45.5}, false);
  tool.click({123.5, 45.5}, true);  // the double-click's second press finishes
  EXPECT_TRUE(tool.measurement().finished());
  EXPECT_EQ(tool.measurement().points().size(), 3u);
  size_t vertices = 0;
  frame([&] {
    tool.drawPanel(1.0f, kDisplayW - 10, 30, &open, Vec2{NAN, NAN});
    tool.drawOverlay(toWindow, Vec2{NAN, NAN}, 1.0f);
    vertices = static_cast<size_t>(ImGui::GetBackgroundDrawList()->VtxBuffer.Size);
  });
  EXPECT_GT(vertices, 0u);
  EXPECT_FALSE(tool.rects().window.empty());
  // Esc drops the points, a second Esc turns the tool off.
  EXPECT_TRUE(tool.escape());
  EXPECT_TRUE(tool.active());
  EXPECT_TRUE(tool.escape());
  EXPECT_FALSE(tool.active());
  EXPECT_FALSE(tool.escape());
  // The panel's radio buttons choose the mode.
  const auto panel = [&] { tool.drawPanel(1.0f, kDisplayW - 10, 30, &open, Vec2{NAN, NAN}); };
  frame(panel);
  click(centre(tool.rects().distanceButton), panel);
  EXPECT_EQ(tool.measurement().mode(), MeasureMode::Distance);
  tool.click({123, 45}, false);
  tool.click({124, 45}, false);
  EXPECT_TRUE(tool.enter());
  // Nothing to draw while inactive: closing the panel turns the tool off.
  open = false;
  frame([&] { tool.drawPanel(1.0f, kDisplayW - 10, 30, &open, Vec2{NAN, NAN}); });
  EXPECT_FALSE(tool.active());
}

// ---- overview map ---------------------------------------------------------------------------
TEST_F(ImGuiFrames, InsetClickCentresTheMapThere) {
  // A 2° square around (123, 45): at 45° its width is 2 cos 45° = 1.414 "degrees of
  // latitude", so a 200 px wide box is 282.8 px tall and the square fills it.
  GeometryColumn g;
  g.kind = GeometryKind::Polygon;
  g.xy = {{122, 44}, {124, 44}, {124, 46}, {122, 46}, {122, 44}};
  g.ringVertices = {0, 5};
  g.partRings = {0, 1};
  g.featureParts = {0, 1};
  InsetMap inset;
  inset.prepare(g);
  const std::vector<Vec2> view = {{122.9, 44.9}, {123.1, 44.9}, {123.1, 45.1}, {122.9, 45.1}};
  std::optional<Vec2> request;
  const auto draw = [&] {
    if (auto r = inset.draw(1.0f, 10, kDisplayH - 10, 200, view)) request = r;
  };
  frame(draw);
  const UiRect r = inset.rect();
  const float pad = 4;  // InsetMap's kPad
  // (ImGui rounds window sizes down to whole units.)
  EXPECT_NEAR(r.x1 - r.x0, 200 + 2 * pad, 1.0);
  EXPECT_NEAR(r.y1 - r.y0, 282.84 + 2 * pad, 1.0);
  EXPECT_NEAR(r.y1, kDisplayH - 10, 0.5);
  // A quarter of the way across and of the way down: (122.5, 45.5).
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2{r.x0 + pad + 50, r.y0 + pad + 70.71f};
  frame(draw);
  io.MouseDown[0] = true;
  frame(draw);
  ASSERT_TRUE(request);
  EXPECT_NEAR(request->x, 122.5, 0.01);
  EXPECT_NEAR(request->y, 45.5, 0.01);
  EXPECT_TRUE(inset.interacting());
  // Held still: no new request; dragged: one for the new place.
  request.reset();
  frame(draw);
  EXPECT_FALSE(request);
  io.MousePos = ImVec2{r.x0 + pad + 100, r.y0 + pad + 141.42f};
  frame(draw);
  ASSERT_TRUE(request);
  EXPECT_NEAR(request->x, 123.0, 0.01);
  EXPECT_NEAR(request->y, 45.0, 0.01);
  io.MouseDown[0] = false;
  frame(draw);
  EXPECT_FALSE(inset.interacting());

  // Nothing prepared: nothing drawn.
  InsetMap empty;
  frame([&] { EXPECT_FALSE(empty.draw(1.0f, 10, kDisplayH - 10, 200, view)); });
  EXPECT_TRUE(empty.rect().empty());
}

}  // namespace
}  // namespace bcmap
