// PanelsTest: the panels that take narrow inputs (the status bar, the time slider, the
// layer panel, the log, the help window, the reload offer, the menu bar, the hover tooltip)
// driven through Dear ImGui frames without a window — a fake display size, the default
// font built in memory, clicks by moving io.MousePos — to check what each reports
// (TestRects) and returns to the main loop. No backend: the draw data is never drawn.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName: whether a window was drawn

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "io/NetworkGuard.h"
#include "model/Log.h"
#include "ui/panels/AttributeTable.h"
#include "ui/panels/ExportDialog.h"
#include "ui/panels/FeatureTooltip.h"
#include "ui/panels/FileDialog.h"
#include "ui/panels/HelpWindow.h"
#include "ui/panels/LayerPanel.h"
#include "ui/panels/LegendPanel.h"
#include "ui/panels/LogPanel.h"
#include "ui/panels/MainMenu.h"
#include "ui/panels/PluginFoldersPanel.h"
#include "ui/panels/ReloadOffer.h"
#include "ui/panels/StatusBar.h"
#include "ui/panels/TimeSlider.h"
#include "ui/UiText.h"

namespace bcmap {
namespace {

constexpr float kDisplayW = 1280, kDisplayH = 800;

class PanelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2{kDisplayW, kDisplayH};
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->AddFontDefault();
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
  }
  void TearDown() override { ImGui::DestroyContext(ctx_); }

  // One frame: `draw` between NewFrame and Render.
  void frame(const std::function<void()>& draw) {
    ImGui::NewFrame();
    draw();
    ImGui::Render();
  }
  // A left click at the centre of `r`: a frame to hover (half a second long, so it never
  // makes a double-click with the click before), one down, one up.
  void click(const UiRect& r, const std::function<void()>& draw, int button = 0) {
    ASSERT_FALSE(r.empty()) << "nothing drawn where the click should go";
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2};
    io.DeltaTime = 0.5f;
    frame(draw);
    io.DeltaTime = 1.0f / 60;
    io.MouseDown[button] = true;
    frame(draw);
    io.MouseDown[button] = false;
    frame(draw);
  }
  // The same with the right button (a context menu), and a frame more for the menu to show.
  void rightClick(const UiRect& r, const std::function<void()>& draw) {
    click(r, draw, 1);
    frame(draw);
  }
  // Whether a window of this name was drawn in the last frame.
  static bool drawn(const char* name) {
    const ImGuiWindow* w = ImGui::FindWindowByName(name);
    return w && w->Active;
  }

  ImGuiContext* ctx_ = nullptr;
  TestRects rects;
};

// ---- the status bar -----------------------------------------------------------------------
TEST_F(PanelsTest, StatusBarSpansTheBottomOfTheWindow) {
  StatusBarInput in;
  in.cursorInMap = true;
  in.cursorLonLat = {122.84, 45.62};
  in.cursorWorld = {13674000.0, 5718000.0};
  in.displayCrs = "EPSG:3857";
  in.metresPerPixel = 100;
  in.frameMs = 4.2;
  in.hoverLayer = "counties";
  in.hoverFeatureId = "220802";
  in.hoverText = "洮北区 Taobei\nmore";
  const float s = 1.0f;
  frame([&] { drawStatusBar(in, s, kDisplayW, kDisplayH, rects); });
  EXPECT_FLOAT_EQ(rects.statusBar.x0, 0);
  EXPECT_FLOAT_EQ(rects.statusBar.x1, kDisplayW);
  EXPECT_FLOAT_EQ(rects.statusBar.y1, kDisplayH);
  EXPECT_NEAR(rects.statusBar.y1 - rects.statusBar.y0, statusBarHeight(s), 0.5f);
  // Off the map, nothing hovered: the same strip.
  rects.statusBar = {};
  frame([&] { drawStatusBar(StatusBarInput{}, s, kDisplayW, kDisplayH, rects); });
  EXPECT_FLOAT_EQ(rects.statusBar.y1, kDisplayH);
  EXPECT_EQ(formatScale(1234567), "1:1,230,000");
}

// ---- the time slider ----------------------------------------------------------------------
TEST_F(PanelsTest, TimeSliderIsAbsentWhileNoLayerHasTime) {
  TimeState t;
  bool chart = false;
  rects.timeWindow = UiRect{1, 1, 2, 2};  // last frame's
  TimeSliderResult r;
  frame([&] { r = drawTimeSlider(t, chart, 1.0f, 300, 1270, 760, 0.0, rects); });
  EXPECT_FALSE(r.changed);
  EXPECT_TRUE(r.window.empty());
  EXPECT_TRUE(rects.timeWindow.empty());
  EXPECT_TRUE(rects.timeSlider.empty());
}

TEST_F(PanelsTest, TimeSliderPlaysPicksADayAndTurnsAllOff) {
  TimeState t;
  t.shown = true;
  bool chart = false;
  TimeSliderResult r;
  double now = 10.0;
  auto draw = [&] {
    const TimeSliderResult last = drawTimeSlider(t, chart, 1.0f, 300, 1270, 760, now, rects);
    r.changed = r.changed || last.changed;
    r.window = last.window;
  };
  // An auto-sized window takes its size in its second frame; its place follows.
  frame(draw);
  frame(draw);
  EXPECT_FALSE(r.changed);
  EXPECT_FALSE(r.window.empty());
  EXPECT_FLOAT_EQ(r.window.y1, 760);
  EXPECT_EQ(rects.timeWindow.x0, r.window.x0);
  EXPECT_LT(rects.timeFirstX, rects.timeLastX);
  ASSERT_TRUE(t.all);

  // "全部 All" off: the filter now is the slider's day.
  click(rects.timeAll, draw);
  EXPECT_FALSE(t.all);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(t.filterDay(), kTimeLastDay);

  // A click at the slider's first-day position picks the first day.
  r.changed = false;
  UiRect first = rects.timeSlider;
  first.x0 = rects.timeFirstX - 1;
  first.x1 = rects.timeFirstX + 1;
  click(first, draw);
  EXPECT_EQ(t.day, kTimeFirstDay);
  EXPECT_TRUE(r.changed);

  // Play starts from the slider's day.
  click(rects.timePlay, draw);
  EXPECT_TRUE(t.playing);
  EXPECT_EQ(t.playDay, kTimeFirstDay);
  EXPECT_FALSE(chart);  // untouched
}

// The play button's tooltip sits above the time bar: under the pointer it covered the date
// the user was watching (issue 10's second trial). Also while playing (it says Pause then).
TEST_F(PanelsTest, ThePlayTooltipLeavesTheDateVisible) {
  TimeState t;
  t.shown = true;
  t.all = false;
  bool chart = false;
  auto draw = [&] { drawTimeSlider(t, chart, 1.0f, 300, 1270, 760, 10.0, rects); };
  frame(draw);
  frame(draw);
  for (bool playing : {false, true}) {
    t.playing = playing;
    const UiRect play = rects.timePlay, date = rects.named["time.date"];
    ASSERT_FALSE(play.empty());
    ASSERT_FALSE(date.empty()) << "the date's rectangle is not reported";
    ImGui::GetIO().MousePos = ImVec2{(play.x0 + play.x1) / 2, (play.y0 + play.y1) / 2};
    for (int i = 0; i < 3; ++i) frame(draw);  // hovered; the tooltip takes its size, then its place
    const ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
    ASSERT_TRUE(tip && tip->Active) << "no tooltip over the play button";
    const UiRect r{tip->Pos.x, tip->Pos.y, tip->Pos.x + tip->Size.x, tip->Pos.y + tip->Size.y};
    const bool overlap = r.x0 < date.x1 && date.x0 < r.x1 && r.y0 < date.y1 && date.y0 < r.y1;
    EXPECT_FALSE(overlap) << "the tooltip (" << r.x0 << ", " << r.y0 << ")-(" << r.x1 << ", " << r.y1
                          << ") covers the date (" << date.x0 << ", " << date.y0 << ")-(" << date.x1 << ", "
                          << date.y1 << "), playing " << playing;
    EXPECT_LE(r.y1, rects.timeWindow.y0 + 0.5f) << "the tooltip is not above the time bar";
  }
}

// ---- the layer panel ----------------------------------------------------------------------
class LayerPanelTest : public PanelsTest {
 protected:
  LayerStore store{"."};
  std::string crsInput, displayCrs = "EPSG:3857";
  LayerSettingsState settings;
  StyleEditorState styles;
  std::vector<PluginSearchDir> searchPath{{"/home/u/dev", kSourceCommandLine},
                                          {"/home/u/.local/share/bcmap/plugins", kSourceUser},
                                          {"/usr/lib/bcmap/plugins", kSourceInstalled}};

  Layer& add(const std::string& id, LayerStatus status) {
    auto l = std::make_unique<Layer>();
    l->id = id;
    l->nameZh = id;
    l->status = status;
    l->visible = false;
    store.layers().push_back(std::move(l));
    return *store.layers().back();
  }
  LayerPanelInput input() {
    LayerPanelInput in;
    in.store = &store;
    in.displayCrs = displayCrs;
    in.crsInput = &crsInput;
    in.settings = &settings;
    in.styleEditor = &styles;
    in.top = 20;
    in.searchPath = &searchPath;
    return in;
  }
  // Draws the panel; what it asked for in any of the frames is merged into `asked`.
  LayerPanelRequests asked;
  std::function<void()> draw() {
    return [this] {
      LayerPanelRequests r = drawLayerPanel(input(), 1.0f, kDisplayH - 30, rects);
      if (r.move) asked.move = r.move;
      asked.loads.insert(asked.loads.end(), r.loads.begin(), r.loads.end());
      if (r.crs) asked.crs = r.crs;
      if (!r.table.empty()) asked.table = r.table;
      if (!r.zoomTo.empty()) asked.zoomTo = r.zoomTo;
      if (!r.remove.empty()) asked.remove = r.remove;
      asked.fit = asked.fit || r.fit;
      asked.layersChanged = asked.layersChanged || r.layersChanged;
      asked.window = r.window;
    };
  }
};

TEST_F(LayerPanelTest, ReportsItsRowsTopFirstAndItsWindow) {
  add("bottom", LayerStatus::Loaded);
  add("top", LayerStatus::Loaded);
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 2u);
  EXPECT_EQ(rects.layerRows[0].id, "top");  // the list's top is the layer drawn last
  EXPECT_EQ(rects.layerRows[1].id, "bottom");
  EXPECT_LT(rects.layerRows[0].checkbox.y0, rects.layerRows[1].checkbox.y0);
  EXPECT_FALSE(asked.window.empty());
  EXPECT_FLOAT_EQ(asked.window.x0, 10);   // kPanelMargin
  EXPECT_FLOAT_EQ(asked.window.y0, 30);   // below the menu bar, plus the margin
  EXPECT_EQ(rects.layerPanel.x1, asked.window.x1);
  EXPECT_FALSE(rects.crsCombo.empty());
  EXPECT_FALSE(asked.move);
  EXPECT_FALSE(asked.layersChanged);
}

// In a narrow dock (900×600, or UI scale 1.5) the opacity slider gives way: the order
// buttons stay whole inside the panel, or the layer could not be moved.
TEST_F(LayerPanelTest, OrderButtonsStayInsideANarrowDock) {
  add("bottom", LayerStatus::Loaded);
  add("top", LayerStatus::Loaded);
  for (float width : {180.0f, 220.0f, 300.0f}) {
    LayerPanelInput in = input();
    in.dock = UiRect{0, 20, width, kDisplayH - 30};
    frame([&] { drawLayerPanel(in, 1.0f, kDisplayH - 30, rects); });
    ASSERT_EQ(rects.layerRows.size(), 2u);
    for (const LayerRowRects& row : rects.layerRows) {
      EXPECT_GT(row.down.x1, row.up.x1) << width;
      EXPECT_LE(row.down.x1, std::min(width, rects.layerPanel.x1) - ImGui::GetStyle().WindowPadding.x + 0.5f)
          << "dock " << width << ": " << row.id;
    }
  }
}

// ---- a layer row's menu (a right click on its name) -------------------------------------------
TEST_F(LayerPanelTest, ARightClickOnTheNameOpensTheRowsMenuAndEachItemAsksForItsAction) {
  const std::string id = "file:wells.geojson";
  Layer& l = add(id, LayerStatus::Loaded);
  l.isFileLayer = true;
  add("counties", LayerStatus::Loaded);
  frame(draw());
  const UiRect name = rects.named["layer.name." + id];
  EXPECT_FALSE(rects.facts.count("layer.menu")) << "no menu before the click";
  for (const char* item : {"zoom", "table", "remove"}) {
    rects.facts.erase("layer.menu");
    rightClick(name, draw());
    ASSERT_EQ(rects.facts["layer.menu"], id) << item;
    click(rects.named[std::string("layer.menu.") + item], draw());
    rects.facts.erase("layer.menu");
    frame(draw());
    EXPECT_FALSE(rects.facts.count("layer.menu")) << "a choice closes the menu: " << item;
  }
  EXPECT_EQ(asked.zoomTo, id);
  EXPECT_EQ(asked.table, id);
  EXPECT_EQ(asked.remove, id);
  EXPECT_FALSE(asked.move);
}

// A plugin's layer is hidden, not removed (the plugin makes it again at the next start): its
// menu's Remove is there, disabled.
TEST_F(LayerPanelTest, APluginLayersMenuDoesNotRemoveIt) {
  add("counties", LayerStatus::Loaded);
  frame(draw());
  rightClick(rects.named["layer.name.counties"], draw());
  ASSERT_EQ(rects.facts["layer.menu"], "counties");
  click(rects.named["layer.menu.remove"], draw());
  EXPECT_TRUE(asked.remove.empty());
  rightClick(rects.named["layer.name.counties"], draw());
  click(rects.named["layer.menu.zoom"], draw());
  EXPECT_EQ(asked.zoomTo, "counties") << "zoom works for every loaded layer";
}

// A failed file (a folder, a FIFO, a broken file) has nothing to zoom to or list, but can be
// removed (its menu opens on its name, and on its reason, most of a failed row).
TEST_F(LayerPanelTest, AFailedFilesMenuOnlyRemovesIt) {
  const std::string id = "file:broken.geojson";
  Layer& l = add(id, LayerStatus::Failed);
  l.isFileLayer = true;
  l.error = "broken.geojson: not a vector source";
  frame(draw());
  rightClick(rects.named["layer.name." + id], draw());
  ASSERT_EQ(rects.facts["layer.menu"], id);
  click(rects.named["layer.menu.zoom"], draw());
  rightClick(rects.named["layer.name." + id], draw());
  click(rects.named["layer.menu.table"], draw());
  EXPECT_TRUE(asked.zoomTo.empty());
  EXPECT_TRUE(asked.table.empty());
  rightClick(rects.named["layer.name." + id], draw());
  click(rects.named["layer.menu.remove"], draw());
  EXPECT_EQ(asked.remove, id);
}

TEST_F(LayerPanelTest, TickingAPendingLayerShowsItAndAsksForItsLoad) {
  Layer& l = add("roads", LayerStatus::Pending);
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  click(rects.layerRows[0].checkbox, draw());
  EXPECT_TRUE(l.visible);
  EXPECT_TRUE(asked.layersChanged);
  ASSERT_EQ(asked.loads.size(), 1u);
  EXPECT_EQ(asked.loads[0], "roads");
}

// A database layer's fetch (host/DbFeed.h) says where it is in its row: the server's fault
// while the last rows stay drawn, or nothing once it is idle again.
TEST_F(LayerPanelTest, ADatabaseLayersRowSaysTheServerIsUnreachable) {
  Layer& l = add("file:public.pts", LayerStatus::Loaded);
  l.visible = true;
  l.dbFeed = true;
  l.dbState = "server unreachable: connection to server at \"127.0.0.1\", port 5 failed: Connection refused";
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  EXPECT_EQ(rects.facts["layer.dbState.file:public.pts"], l.dbState);
  EXPECT_TRUE(rects.layerRows[0].checkbox.x1 > 0);
  EXPECT_FALSE(asked.layersChanged) << "showing the state changes nothing the user set";
  l.dbState.clear();
  rects.facts.clear();
  frame(draw());
  EXPECT_EQ(rects.facts.count("layer.dbState.file:public.pts"), 0u);
}

TEST_F(LayerPanelTest, OrderButtonsAskForAMoveInStoreIndices) {
  add("bottom", LayerStatus::Loaded);
  add("top", LayerStatus::Loaded);
  frame(draw());
  click(rects.layerRows[0].down, draw());  // "top" (store index 1) one down
  ASSERT_TRUE(asked.move);
  EXPECT_EQ(asked.move->from, 1u);
  EXPECT_EQ(asked.move->to, 0u);
  EXPECT_EQ(store.layers()[1]->id, "top");  // the panel only asks
}

TEST_F(LayerPanelTest, TypedCrsIsAskedForOnApply) {
  add("a", LayerStatus::Loaded);
  frame(draw());
  crsInput = "EPSG:32651";
  frame(draw());
  // "应用 Apply" sits right of the field.
  UiRect apply = rects.crsField;
  apply.x0 = rects.crsField.x1 + 8;
  apply.x1 = apply.x0 + 4;
  click(apply, draw());
  ASSERT_TRUE(asked.crs);
  EXPECT_EQ(*asked.crs, "EPSG:32651");
}

TEST_F(LayerPanelTest, ASettingTickedIsLeftAsARequest) {
  Layer& l = add("grid", LayerStatus::Loaded);
  LayerSetting labels;
  labels.key = "labels";
  labels.label = "labels";
  labels.type = BCMAP_SETTING_BOOL;
  labels.value = "false";
  l.settings.push_back(labels);
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  EXPECT_TRUE(rects.settingRects.empty());  // the section is closed
  click(rects.layerRows[0].settingsNode, draw());
  ASSERT_EQ(rects.settingRects.size(), 1u);
  EXPECT_EQ(rects.settingRects[0].key, "labels");
  click(rects.settingRects[0].widget, draw());
  ASSERT_EQ(settings.requested.size(), 1u);
  EXPECT_EQ(settings.requested[0].layerId, "grid");
  EXPECT_EQ(settings.requested[0].value, "true");
  EXPECT_EQ(settings.drafts.at(settingKey("grid", "labels")), "true");
}

TEST_F(LayerPanelTest, EachRowSaysWhereItsPluginCameFrom) {
  Layer& shadowed = add("roads~2", LayerStatus::Failed);
  shadowed.refused = true;
  shadowed.pluginPath = "/usr/lib/bcmap/plugins/bcmap_roads.so";
  shadowed.error = "bcmap_roads.so: layer id 'roads' is already used by bcmap_roads.so; shadowed by /home/u/dev/bcmap_roads.so";
  Layer& file = add("file:a.geojson", LayerStatus::Loaded);
  file.isFileLayer = true;
  file.pluginPath = "/usr/lib/bcmap/plugins/bcmap_vector_file.so";
  Layer& user = add("workshops", LayerStatus::Loaded);
  user.pluginPath = "/home/u/.local/share/bcmap/plugins/bcmap_workshops/bcmap_workshops.so";
  frame(draw());  // top first: workshops, the file, roads~2
  EXPECT_EQ(rects.facts["layer.origin.workshops"],
            "用户文件夹 user folder · /home/u/.local/share/bcmap/plugins/bcmap_workshops");
  EXPECT_EQ(rects.facts["layer.origin.roads~2"], "已安装 installed · /usr/lib/bcmap/plugins");
  EXPECT_EQ(rects.facts.count("layer.origin.file:a.geojson"), 0u) << "a file the user opened has no plugin origin";

  // The details section opens on a click; the tooltip shows on hovering the name.
  ASSERT_FALSE(rects.named["details.workshops"].empty());
  ASSERT_EQ(rects.layerRows[0].id, "workshops");
  const float rowsBefore = rects.layerRows[1].checkbox.y0;
  click(rects.named["details.workshops"], draw());
  EXPECT_GT(rects.layerRows[1].checkbox.y0, rowsBefore + 2 * ImGui::GetFontSize())
      << "the open details (source, folder, plugin) push the next row down";
  for (const LayerRowRects& row : rects.layerRows) {
    if (row.id != "workshops") continue;
    ImGui::GetIO().MousePos = ImVec2{row.checkbox.x1 + 30, (row.checkbox.y0 + row.checkbox.y1) / 2};
  }
  ImGui::GetIO().DeltaTime = 1.0f;  // past the tooltip delay
  frame(draw());
  frame(draw());
  ImGui::GetIO().DeltaTime = 1.0f / 60;
  EXPECT_TRUE(drawn("##Tooltip_00")) << "hovering the name shows where the layer came from";
  // Without a search path (nothing scanned) there is nothing to say, and nothing breaks.
  rects.facts.clear();
  LayerPanelInput in = input();
  in.searchPath = nullptr;
  frame([&] { drawLayerPanel(in, 1.0f, kDisplayH - 30, rects); });
  EXPECT_EQ(rects.facts.count("layer.origin.workshops"), 0u);
}

TEST_F(LayerPanelTest, ALayerWithSettingsSaysWhereItCameFromInsideThemNotInARowOfItsOwn) {
  Layer& l = add("grid", LayerStatus::Loaded);
  l.pluginPath = "/usr/lib/bcmap/plugins/bcmap_grid.so";
  LayerSetting labels;
  labels.key = "labels";
  labels.label = "labels";
  labels.type = BCMAP_SETTING_BOOL;
  labels.value = "false";
  l.settings.push_back(labels);
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  EXPECT_EQ(rects.named.count("details.grid"), 0u) << "no extra row: the origin is inside the settings node";
  EXPECT_EQ(rects.facts["layer.origin.grid"], "已安装 installed · /usr/lib/bcmap/plugins");
  click(rects.layerRows[0].settingsNode, draw());
  EXPECT_FALSE(rects.settingRects.empty());
}

// The docked legend counts as the map's legend does (render/MapDecorations.h): the features
// of each entry's colour shown under the time filter; a size entry has no number; a sample
// layer says so under its entries (the layout's first dock lost both).
TEST_F(LayerPanelTest, TheDockedLegendCountsEachEntryAndMarksSampleData) {
  Layer& l = add("wells", LayerStatus::Loaded);
  l.visible = true;
  l.isSample = true;
  l.kind = GeometryKind::Point;
  FeatureTable& t = l.table;
  t.geometry.kind = GeometryKind::Point;
  const Rgba red{200, 30, 30, 255}, blue{30, 30, 200, 255};
  const int32_t days[] = {17000, 17500, 18000};  // 2016-07-18, 2017-11-30, 2019-04-14
  for (uint32_t f = 0; f < 3; ++f) {
    t.geometry.xy.push_back({122.8 + 0.1 * f, 45.6});
    t.geometry.ringVertices.push_back(f + 1);
    t.geometry.partRings.push_back(f + 1);
    t.geometry.featureParts.push_back(f + 1);
    t.startDay.push_back(days[f]);
    t.endDay.push_back(kNoDay);
  }
  l.fill = {red, red, blue};
  l.legend = {{"red wells", red, red, GeometryKind::Point},
              {"blue wells", blue, blue, GeometryKind::Point},
              {"100 m deep", red, red, GeometryKind::Point, 12.0}};
  const UiRect dock{900, 40, 1180, 700};
  frame([&] { drawLegendPanel(store, dock, TimeFilter{}, 1.0f, rects); });
  EXPECT_EQ(rects.facts["legend.entry.0"], "red wells");
  EXPECT_EQ(rects.facts["legend.count.0"], "2");
  EXPECT_EQ(rects.facts["legend.count.1"], "1");
  EXPECT_EQ(rects.facts.count("legend.count.2"), 0u) << "a size entry says how large, not how many";
  EXPECT_EQ(rects.facts["legend.sample.wells"], "示例数据 / sample data");
  // On 2017-12-31 only the first two wells exist: both red.
  rects.facts.clear();
  frame([&] { drawLegendPanel(store, dock, TimeFilter{17531}, 1.0f, rects); });
  EXPECT_EQ(rects.facts["legend.count.0"], "2");
  EXPECT_EQ(rects.facts["legend.count.1"], "0");
}

// A graduated legend showed number ranges without the field they are of: the field is a
// heading line under the layer's name, above the first entry (issue 10).
TEST_F(LayerPanelTest, TheDockedLegendNamesTheFieldOfAUserStyle) {
  Layer& l = add("wells", LayerStatus::Loaded);
  l.visible = true;
  l.kind = GeometryKind::Point;
  const Rgba red{200, 30, 30, 255};
  l.legend = {{"0 – 25", red, red, GeometryKind::Point}};
  const UiRect dock{900, 40, 1180, 700};
  frame([&] { drawLegendPanel(store, dock, TimeFilter{}, 1.0f, rects); });
  EXPECT_EQ(rects.facts.count("legend.heading.wells"), 0u) << "a plugin's legend has none";
  const float plainTop = rects.named.at("legend.entry.0").y0;
  l.style.legendHeading = "depth_m";
  rects.facts.clear();
  frame([&] { drawLegendPanel(store, dock, TimeFilter{}, 1.0f, rects); });
  EXPECT_EQ(rects.facts["legend.heading.wells"], "depth_m");
  EXPECT_GE(rects.named.at("legend.entry.0").y0, plainTop + ImGui::GetTextLineHeight())
      << "the name, then the heading, then the entries";
}

// The docked legend draws a point entry with the symbol the map draws: a line layer's END
// marker entry (易地扶贫搬迁's resettlement site, a square) as that square, its START disc as
// a disc; a point layer's entry of no kind of its own with the layer's symbol (an opened
// file's swatch was a square box while its points were circles).
TEST_F(LayerPanelTest, TheDockedLegendDrawsEachPointEntryWithTheMapsSymbol) {
  const Rgba purple{118, 42, 131, 255}, white{255, 255, 255, 255};
  Layer& lines = add("flows", LayerStatus::Loaded);
  lines.visible = true;
  lines.kind = GeometryKind::Line;
  lines.style.stroke = white;
  lines.style.pointSymbol = BCMAP_SYMBOL_SQUARE;
  lines.style.lineMarkers = BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END;
  lines.legend = {{"origin", purple, purple, GeometryKind::Point},
                  {"site", white, purple, GeometryKind::Point},
                  {"flow", purple, purple, GeometryKind::Line}};
  Layer& points = add("wells", LayerStatus::Loaded);
  points.visible = true;
  points.kind = GeometryKind::Point;
  points.style.pointSymbol = BCMAP_SYMBOL_DIAMOND;
  points.legend = {{"wells.geojson", purple, purple, GeometryKind::None}};
  const UiRect dock{900, 40, 1180, 700};
  frame([&] { drawLegendPanel(store, dock, TimeFilter{}, 1.0f, rects); });
  std::map<std::string, std::string> symbolOf;
  for (int n = 0; n < 4; ++n)
    if (rects.facts.count("legend.symbol." + std::to_string(n)))
      symbolOf[rects.facts["legend.entry." + std::to_string(n)]] = rects.facts["legend.symbol." + std::to_string(n)];
  EXPECT_EQ(symbolOf["origin"], std::to_string(BCMAP_SYMBOL_CIRCLE));
  EXPECT_EQ(symbolOf["site"], std::to_string(BCMAP_SYMBOL_SQUARE));
  EXPECT_EQ(symbolOf["wells.geojson"], std::to_string(BCMAP_SYMBOL_DIAMOND));
  EXPECT_EQ(symbolOf.count("flow"), 0u) << "a line's swatch is a stroke";
}

// The new user's table export of an opened file suggested file_two_points.geojson.geojson.
TEST(AttributeTableTest, TheExportOfAnOpenedFileSuggestsItsOwnName) {
  EXPECT_EQ(exportFileStem("file:two_points.geojson"), "two_points-export");
  EXPECT_EQ(exportFileStem("file:wells"), "wells-export");
  EXPECT_EQ(exportFileStem("relocated_villages"), "relocated_villages");
  EXPECT_EQ(exportFileStem("roads~2"), "roads~2");
  EXPECT_EQ(exportFileStem("a:b/c"), "a_b_c");
}

// The second new-user trial: Ctrl+S gave no sign of having saved. The status bar says so.
TEST_F(PanelsTest, StatusBarShowsANoticeAndNoneWithout) {
  StatusBarInput in;
  in.displayCrs = "EPSG:3857";
  frame([&] { drawStatusBar(in, 1.0f, 1280, 800, rects); });
  EXPECT_EQ(rects.facts.count("status.notice"), 0u);
  in.notice = "会话已保存 Session saved 18:50:12 → /tmp/s.json";
  frame([&] { drawStatusBar(in, 1.0f, 1280, 800, rects); });
  EXPECT_EQ(rects.facts["status.notice"], "会话已保存 Session saved 18:50:12 → /tmp/s.json");
}

TEST(LayerOriginTest, NamesEachEntryOfTheSearchPathAndTheFolderOfAFolderPlugin) {
  const std::vector<PluginSearchDir> path{{"/c", kSourceCommandLine}, {"/e", kSourcePluginPath},
                                          {"/r", kSourceConfig},      {"/u", kSourceUser},
                                          {"/i", kSourceInstalled}};
  Layer l;
  l.pluginPath = "/r/bcmap_a.so";
  EXPECT_EQ(layerOriginOf(l, path).source, "已添加 added folder (插件 Plugins menu)");
  EXPECT_EQ(layerOriginOf(l, path).folder, "/r");
  EXPECT_EQ(layerOriginOf(l, path).file, "/r/bcmap_a.so");
  l.pluginPath = "/c/bcmap_a.so";
  EXPECT_EQ(layerOriginOf(l, path).source, "命令行 command line (--plugins)");
  l.pluginPath = "/e/bcmap_a.so";
  EXPECT_EQ(layerOriginOf(l, path).source, "环境变量 BCMAP_PLUGIN_PATH");
  l.pluginPath = "/gone/bcmap_a.so";
  EXPECT_EQ(layerOriginOf(l, path).source, "其他 elsewhere");
  l.pluginPath = "";
  EXPECT_EQ(layerOriginOf(l, path).file, "");
}

// ---- the plugin folders window ----------------------------------------------------------------
TEST_F(PanelsTest, PluginFoldersListsTheSearchPathAndAsksToAddAndRemove) {
  const std::vector<PluginSearchDir> path{{"/home/u/dev", kSourceCommandLine},
                                          {"/mnt/usb/plugins", kSourceConfig},
                                          {"/home/u/.local/share/bcmap/plugins", kSourceUser},
                                          {"/usr/lib/bcmap/plugins", kSourceInstalled}};
  bool open = false;
  PluginFoldersPanelState state;
  PluginFoldersRequests asked;
  auto draw = [&] {
    const PluginFoldersRequests r = drawPluginFoldersPanel(&open, path, state, 1.0f, rects);
    if (r.add) asked.add = r.add;
    if (r.remove) asked.remove = r.remove;
  };
  frame(draw);
  EXPECT_FALSE(drawn("插件文件夹 Plugin folders###pluginfolders"));  // closed: nothing
  open = true;
  frame(draw);
  frame(draw);
  EXPECT_EQ(rects.facts["plugins.folder.0"], "--plugins /home/u/dev");
  EXPECT_EQ(rects.facts["plugins.folder.1"], "config /mnt/usb/plugins");
  EXPECT_EQ(rects.facts["plugins.folder.3"], "installed /usr/lib/bcmap/plugins");
  EXPECT_EQ(rects.named.count("plugins.remove.1"), 0u) << "only remembered folders can be removed";
  click(rects.named["plugins.remove.0"], draw);
  ASSERT_TRUE(asked.remove);
  EXPECT_EQ(*asked.remove, "/mnt/usb/plugins");
  state.path = "~/more plugins";
  click(rects.named["plugins.add"], draw);
  ASSERT_TRUE(asked.add);
  EXPECT_EQ(*asked.add, "~/more plugins");
  state.message = "/nowhere: no such folder";
  state.messageIsError = true;
  frame(draw);
  EXPECT_EQ(rects.facts["plugins.message"], "/nowhere: no such folder");
}

TEST_F(LayerPanelTest, ALongLegendLabelWrapsInsideThePanel) {
  // Issue 10, item 9: a legend line wider than the layer panel ran off its edge; it wraps.
  Layer& l = add("villages", LayerStatus::Loaded);
  const Rgba green{60, 160, 60, 255};
  const std::string longLabel =
      "Relocated from the flood plain of the Nen River to the new town centre, 2016 to 2020, in three phases";
  l.legend = {{longLabel, green, green, GeometryKind::Point}, {"short", green, green, GeometryKind::Point}};
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  click(rects.layerRows[0].legendNode, draw());
  frame(draw());
  const ImGuiWindow* window = ImGui::FindWindowByName(ui_text::kLayersTitle);
  ASSERT_NE(window, nullptr);
  const UiRect text = rects.named["legendText.villages.0"], swatch = rects.named.at("legend.villages.0"),
               next = rects.named.at("legend.villages.1");
  EXPECT_LE(window->ContentSize.x, window->Size.x) << "the label runs off the panel";
  EXPECT_LE(text.x1, window->Pos.x + window->Size.x) << "the label runs off the panel";
  EXPECT_GE(next.y0 - swatch.y0, 2 * ImGui::GetTextLineHeight()) << "the row did not grow";
  EXPECT_GE(text.y1 - text.y0, 2 * ImGui::GetTextLineHeight()) << "the label is not wrapped onto 2+ lines";
  EXPECT_GT(next.y0, text.y1) << "the next entry overlaps the wrapped label";
}

TEST_F(LayerPanelTest, ASizeLegendDrawsDiscsOfTheirSizeInOneColumn) {
  Layer& l = add("workshops", LayerStatus::Loaded);
  const Rgba red{200, 60, 30, 255};
  l.legend = {{"车间 workshop", red, red, GeometryKind::Point},
              {"100 jobs", red, red, GeometryKind::Point, 10.0},
              {"400 jobs", red, red, GeometryKind::Point, 20.0}};
  frame(draw());
  ASSERT_EQ(rects.layerRows.size(), 1u);
  click(rects.layerRows[0].legendNode, draw());
  const UiRect plain = rects.named.at("legend.workshops.0"), small = rects.named.at("legend.workshops.1"),
               large = rects.named.at("legend.workshops.2");
  // Each disc's row is as tall as the disc (the column as wide as the largest, 20 px); the
  // usual swatch keeps its 12 px, centred in that column.
  EXPECT_FLOAT_EQ(large.x1 - large.x0, 20.0f);
  EXPECT_FLOAT_EQ(large.y1 - large.y0, 20.0f);
  EXPECT_FLOAT_EQ(small.y1 - small.y0, std::max(10.0f, ImGui::GetTextLineHeight()));
  EXPECT_FLOAT_EQ(plain.x1 - plain.x0, 12.0f);
  EXPECT_FLOAT_EQ((plain.x0 + plain.x1) / 2, (large.x0 + large.x1) / 2);
  EXPECT_FLOAT_EQ(small.x0, large.x0);
  EXPECT_LT(plain.y1, small.y0);
  EXPECT_LT(small.y1, large.y0);
  // The discs themselves: filled circles in the draw list, 20 px across.
  const ImGuiWindow* window = ImGui::FindWindowByName(ui_text::kLayersTitle);
  ASSERT_NE(window, nullptr);
  const ImDrawList* list = window->DrawList;
  float widest = 0;
  for (int i = 0; i < list->VtxBuffer.Size; ++i) {
    const ImDrawVert& v = list->VtxBuffer[i];
    if (v.col == ImGui::GetColorU32(ImVec4{200 / 255.0f, 60 / 255.0f, 30 / 255.0f, 1}) && v.pos.y >= large.y0 - 1 &&
        v.pos.y <= large.y1 + 1)
      widest = std::max(widest, v.pos.x - large.x0);
  }
  EXPECT_NEAR(widest, 20.0f, 1.0f);
}

// ---- the log, the help window --------------------------------------------------------------
TEST_F(PanelsTest, LogPanelIsDrawnWhileOpenAndHasSeenEveryEntry) {
  logInfo("PanelsTest: a line for the log panel");
  LogPanelState log;
  bool open = false;
  frame([&] { drawLogPanel(&open, log, 1.0f); });
  EXPECT_FALSE(drawn("日志 Log"));
  EXPECT_EQ(log.seenCount, 0u);
  open = true;
  frame([&] { drawLogPanel(&open, log, 1.0f); });
  EXPECT_TRUE(drawn("日志 Log"));
  EXPECT_EQ(log.seenCount, logSnapshot().size());
  EXPECT_TRUE(open);
}

TEST_F(PanelsTest, HelpWindowIsDrawnWhileOpen) {
  bool open = false;
  const char* title = "帮助 Help — 快捷键 Shortcuts (F1)";
  frame([&] { drawHelpWindow(&open, 1.0f); });
  EXPECT_FALSE(drawn(title));
  open = true;
  frame([&] { drawHelpWindow(&open, 1.0f); });
  EXPECT_TRUE(drawn(title));
  EXPECT_TRUE(open);
  open = false;
  frame([&] { drawHelpWindow(&open, 1.0f); });
  EXPECT_FALSE(drawn(title));
}

TEST_F(PanelsTest, EveryHelpRowIsWhole) {
  // The trial's F1 window cut "Change the display CRS (also 视图 View → 显示坐标系…" at its
  // right edge: a description longer than its column wraps instead.
  bool open = true;
  frame([&] { drawHelpWindow(&open, 1.0f, &rects); });
  frame([&] { drawHelpWindow(&open, 1.0f, &rects); });
  ASSERT_TRUE(rects.named.count("help.window"));
  const UiRect w = rects.named["help.window"];
  size_t rows = 0;
  for (const auto& [name, r] : rects.named) {
    if (name.rfind("help.row.", 0) != 0) continue;
    ++rows;
    EXPECT_LE(r.x1, w.x1 + 0.5f) << name << " runs past the window's edge";
  }
  EXPECT_GT(rows, 20u);
}

// ---- the reload offer ---------------------------------------------------------------------
TEST_F(PanelsTest, ReloadOfferNamesTheFileAndReloadAnswersIt) {
  LayerStore store(".");
  ReloadOfferState r;
  bool reloaded = false;
  auto draw = [&] { reloaded = drawReloadOffer(r, store, 20, 1.0f, rects) || reloaded; };
  frame(draw);  // nothing changed: no bar
  EXPECT_TRUE(rects.named.empty());
  r.changed = {"/data/a.geojson", "/data/b.geojson"};
  frame(draw);
  frame(draw);  // an auto-sized window takes its size (and the button its place) in its second frame
  EXPECT_EQ(rects.facts["reload.file"], "/data/a.geojson");
  ASSERT_TRUE(rects.named.count("reload.button"));
  EXPECT_GT(rects.named["reload.button"].y0, 20);  // under the menu bar
  const UiRect button = rects.named["reload.button"];
  click(button, draw);
  EXPECT_TRUE(reloaded);
  ASSERT_EQ(r.changed.size(), 1u);
  EXPECT_EQ(r.changed[0], "/data/b.geojson");
}

// ---- the menu bar -------------------------------------------------------------------------
TEST_F(PanelsTest, MainMenuReportsItsHeightAndAsksNothingUntouched) {
  PanelToggles panels;
  float uiScale = 1.0f;
  MainMenuRequests r;
  frame([&] { r = drawMainMenu(panels, uiScale, MainMenuInput{}); });
  EXPECT_GT(r.height, 0);
  EXPECT_FALSE(r.save || r.quit || r.undo || r.fit || r.back || r.forward);
  EXPECT_EQ(r.measure, MeasureRequest::None);
  EXPECT_EQ(uiScale, 1.0f);
  EXPECT_TRUE(panels.legend);
}

TEST_F(PanelsTest, MainMenuFileSaveAsksForASave) {
  PanelToggles panels;
  float uiScale = 1.0f;
  bool save = false;
  float height = 0;
  MainMenuInput in;
  in.rects = &rects;
  auto draw = [&] {
    const MainMenuRequests r = drawMainMenu(panels, uiScale, in);
    save = save || r.save;
    height = r.height;
  };
  frame(draw);
  click(rects.named["menu.file"], draw);  // "文件 File", the first menu
  const ImGuiWindow* menu = ImGui::FindWindowByName("##Menu_00");
  ASSERT_TRUE(menu && menu->WasActive) << "the File menu did not open";
  click(rects.named["menu.file.save"], draw);
  EXPECT_TRUE(save);
}

// File ▸ Open… shows the dialog; Open Recent lists the recent files, greys out a missing
// one and asks to open the one chosen.
TEST_F(PanelsTest, MainMenuFileOpenAndOpenRecent) {
  PanelToggles panels;
  float uiScale = 1.0f;
  const std::vector<RecentFile> recent = {{"/data/b.geojson", true}, {"/gone/a.gpkg", false}};
  MainMenuInput in;
  in.rects = &rects;
  in.recentFiles = &recent;
  std::optional<std::string> chosen;
  auto draw = [&] {
    rects.named.clear();
    const MainMenuRequests r = drawMainMenu(panels, uiScale, in);
    if (r.openRecent) chosen = r.openRecent;
  };
  frame(draw);
  click(rects.named["menu.file"], draw);
  click(rects.named["menu.file.open"], draw);
  EXPECT_TRUE(panels.openFile);
  frame(draw);  // the menu closed: the bar's item is reported again
  click(rects.named["menu.file"], draw);
  click(rects.named["menu.file.recent"], draw);
  frame(draw);
  ASSERT_FALSE(rects.named["menu.recent.1"].empty()) << "Open Recent did not open";
  click(rects.named["menu.recent.1"], draw);  // missing: greyed out, nothing asked
  EXPECT_FALSE(chosen);
  frame(draw);
  click(rects.named["menu.recent.0"], draw);
  EXPECT_EQ(chosen.value_or(""), "/data/b.geojson");
}

// ---- the file dialog ------------------------------------------------------------------------
class FileDialogPanelTest : public PanelsTest {
 protected:
  void SetUp() override {
    PanelsTest::SetUp();
    dir = std::filesystem::temp_directory_path() / ("bcmap-filedialog-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "sub");
    for (const char* f : {"b.geojson", "A.gpkg", "notes.txt", ".hidden.geojson"}) std::ofstream(dir / f) << "{}";
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Enter] = kEnterKey;
  }
  void TearDown() override {
    std::filesystem::remove_all(dir);
    PanelsTest::TearDown();
  }
  void pressEnter(const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[kEnterKey] = true;
    frame(draw);
    io.KeysDown[kEnterKey] = false;
    frame(draw);
  }
  static constexpr int kEnterKey = 257;  // any free index of io.KeysDown
  std::filesystem::path dir;
};

TEST_F(FileDialogPanelTest, ListsFoldersFirstOpensADoubleClickedFileAndATypedPath) {
  bool open = true;
  FileDialogState s;
  s.folder = dir.string();
  s.field = s.folder;
  std::optional<std::string> opened;
  auto draw = [&] {
    rects.named.clear();  // as the viewer does before each frame's panels
    rects.facts.clear();
    const FileDialogResult r = drawFileDialog(&open, s, 1.0f, rects);
    if (r.open) opened = r.open;
  };
  frame(draw);
  EXPECT_TRUE(drawn("打开文件 Open file###openfile"));
  EXPECT_EQ(rects.facts["files.folder"], dir.string());
  EXPECT_EQ(rects.facts["files.entry.0"], "dir sub");
  EXPECT_EQ(rects.facts["files.entry.1"], "file A.gpkg");
  EXPECT_EQ(rects.facts["files.entry.2"], "file b.geojson");
  EXPECT_EQ(rects.facts.count("files.entry.3"), 0u) << "notes.txt is not a readable format; .hidden is hidden";

  // "All files" shows notes.txt too.
  click(rects.named["files.all"], draw);
  frame(draw);
  EXPECT_EQ(rects.facts["files.entry.3"], "file notes.txt");

  // A double-click on the folder enters it (empty), the up button comes back.
  const UiRect sub = rects.named["files.entry.0"];
  click(sub, draw);
  ImGuiIO& io = ImGui::GetIO();
  io.MouseDown[0] = true;  // the second press, at once: a double-click
  frame(draw);
  io.MouseDown[0] = false;
  frame(draw);
  EXPECT_EQ(rects.facts["files.folder"], (dir / "sub").string());
  EXPECT_EQ(rects.facts.count("files.entry.0"), 0u);
  click(rects.named["files.up"], draw);
  frame(draw);
  EXPECT_EQ(rects.facts["files.folder"], dir.string());
  EXPECT_FALSE(opened);

  // A typed path that is not there: the dialog stays open and says so.
  s.field = "nothere.geojson";
  s.focusField = true;
  // The focus request, then the field takes the keyboard (ImGui says so a frame later).
  for (int i = 0; i < 3; ++i) frame(draw);
  ASSERT_TRUE(ImGui::GetIO().WantTextInput) << "the path field did not take the keyboard";
  pressEnter(draw);
  EXPECT_TRUE(open);
  EXPECT_NE(rects.facts["files.message"].find("nothere.geojson"), std::string::npos) << rects.facts["files.message"];
  EXPECT_FALSE(opened);

  // A typed relative path opens the file and closes the dialog.
  s.field = "b.geojson";
  s.focusField = true;
  // The focus request, then the field takes the keyboard (ImGui says so a frame later).
  for (int i = 0; i < 3; ++i) frame(draw);
  ASSERT_TRUE(ImGui::GetIO().WantTextInput) << "the path field did not take the keyboard";
  pressEnter(draw);
  EXPECT_EQ(opened.value_or(""), (dir / "b.geojson").string());
  EXPECT_FALSE(open);
}

// The buttons a new user looks for (issue 10's second trial): Open, greyed out until a file
// is picked or a path typed, and Cancel; both inside the window at 900x600, also with
// recent files and an error line taking rows.
TEST_F(FileDialogPanelTest, OpenAndCancelButtonsSitInsideTheWindowAt900x600) {
  ImGui::GetIO().DisplaySize = ImVec2{900, 600};
  bool open = true;
  FileDialogState s;
  s.folder = dir.string();
  s.field = s.folder;
  for (int i = 0; i < 5; ++i) s.recent.push_back({"/data/recent" + std::to_string(i) + ".geojson", true});
  s.message = "an earlier error";
  std::optional<std::string> opened;
  auto draw = [&] {
    rects.named.clear();
    rects.facts.clear();
    const FileDialogResult r = drawFileDialog(&open, s, 1.0f, rects);
    if (r.open) opened = r.open;
  };
  frame(draw);
  frame(draw);
  ASSERT_FALSE(rects.named["files.open"].empty()) << "no Open button";
  ASSERT_FALSE(rects.named["files.cancel"].empty()) << "no Cancel button";
  const UiRect win = rects.named["files.window"];
  for (const char* b : {"files.open", "files.cancel"}) {
    const UiRect r = rects.named[b];
    EXPECT_GE(r.y0, win.y0) << b;
    EXPECT_LE(r.y1, win.y1) << b << " is below the window's bottom edge";
    EXPECT_LE(r.y1, 600.0f) << b << " is off the screen";
    EXPECT_LE(r.x1, win.x1) << b;
  }
  EXPECT_EQ(rects.facts["files.open"], "disabled") << "nothing picked: Open is greyed out";
  click(rects.named["files.open"], draw);
  EXPECT_FALSE(opened);
  EXPECT_TRUE(open);
  // A file picked with one click: Open opens it and closes the dialog.
  click(rects.named["files.entry.2"], draw);  // b.geojson
  frame(draw);
  EXPECT_EQ(rects.facts["files.open"], "enabled");
  click(rects.named["files.open"], draw);
  EXPECT_EQ(opened.value_or(""), (dir / "b.geojson").string());
  EXPECT_FALSE(open);
  // Again, a path typed (nothing selected): Open takes it. Then Cancel closes, opening nothing.
  open = true;
  opened.reset();
  s.selected = -1;
  s.field = "A.gpkg";
  frame(draw);
  frame(draw);
  EXPECT_EQ(rects.facts["files.open"], "enabled");
  click(rects.named["files.open"], draw);
  EXPECT_EQ(opened.value_or(""), (dir / "A.gpkg").string());
  open = true;
  opened.reset();
  frame(draw);
  frame(draw);
  click(rects.named["files.cancel"], draw);
  EXPECT_FALSE(open);
  EXPECT_FALSE(opened);
}

TEST_F(FileDialogPanelTest, AnUnreadableFolderIsSaidInTheDialog) {
  bool open = true;
  FileDialogState s;
  s.folder = (dir / "no-such-folder").string();
  frame([&] { drawFileDialog(&open, s, 1.0f, rects); });
  EXPECT_TRUE(open);
  EXPECT_NE(rects.facts["files.message"].find("no-such-folder"), std::string::npos);
}

// The database tab (issue 11): a table opened by its parts; what leaves the dialog, and every
// fact it reports, holds the password as *** only.
TEST_F(FileDialogPanelTest, TheDatabaseTabOpensATableWithThePasswordAsStars) {
  bool open = true;
  FileDialogState s;
  s.folder = dir.string();
  std::optional<std::string> opened;
  auto draw = [&] {
    rects.named.clear();
    rects.facts.clear();
    const FileDialogResult r = drawFileDialog(&open, s, 1.0f, rects);
    if (r.open) opened = r.open;
  };
  frame(draw);
  frame(draw);  // a tab bar places its tabs on its second frame
  EXPECT_FALSE(rects.named["files.path"].empty()) << "the files tab is the first one shown";
  click(rects.named["files.tab.database"], draw);
  frame(draw);
  ASSERT_FALSE(rects.named["files.db.host"].empty()) << "no database tab";
  EXPECT_TRUE(rects.named["files.path"].empty()) << "the files tab is still drawn";
  for (const char* field : {"files.db.connection", "files.db.port", "files.db.database", "files.db.user",
                            "files.db.password", "files.db.table", "files.db.tables", "files.db.open"})
    EXPECT_FALSE(rects.named[field].empty()) << field;
  // Nothing named yet: Open opens nothing.
  EXPECT_EQ(rects.facts.count("files.db.source"), 0u);
  click(rects.named["files.db.open"], draw);
  EXPECT_FALSE(opened);
  EXPECT_TRUE(open);
  s.db.host = "127.0.0.1";
  s.db.port = "5433";
  s.db.database = "county";
  s.db.user = "ana";
  s.db.password = "Sekr3t-Pw";
  s.db.table = "gis.villages";
  frame(draw);
  frame(draw);
  EXPECT_EQ(rects.facts["files.db.source"], "postgresql://ana:***@127.0.0.1:5433/county?table=gis.villages");
  for (const auto& [key, value] : rects.facts) EXPECT_EQ(value.find("Sekr3t-Pw"), std::string::npos) << key;
  click(rects.named["files.db.open"], draw);
  EXPECT_EQ(opened.value_or(""), "postgresql://ana:***@127.0.0.1:5433/county?table=gis.villages");
  EXPECT_FALSE(open);
}

// A database source chosen in File ▸ Open Recent (the recent list holds it with its password
// as ***): the user named its server, so the network guard lets it connect.
TEST_F(FileDialogPanelTest, ARecentDatabaseSourceChosenFromTheMenuMayConnect) {
  const std::string recent = "postgresql://ana:***@10.9.8.7:5999/county?table=gis.villages";
  std::optional<DbSource> source = parseDbSource(recent, nullptr);
  ASSERT_TRUE(source);
  std::string why;
  EXPECT_FALSE(checkDbSource(*source, &why)) << "allowed before anyone named it";
  bool open = false;
  FileDialogState s;
  s.fromMenu = recent;
  frame([&] { drawFileDialog(&open, s, 1.0f, rects); });
  EXPECT_TRUE(checkDbSource(*source, &why)) << why;
}

// Tables asks the server on a thread of its own: a server that accepts and never answers
// holds no frame; the connect timeout ends the wait and the dialog says why.
TEST_F(FileDialogPanelTest, TablesWaitsForTheServerOffTheUiThread) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 8), 0);  // the kernel completes the handshake; nobody answers
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const DbTimeouts before = dbTimeouts();
  setDbTimeouts({2, before.statementS});
  bool open = true;
  FileDialogState s;
  s.folder = dir.string();
  s.db.host = "127.0.0.1";
  s.db.port = std::to_string(ntohs(addr.sin_port));
  s.db.database = "county";
  s.db.user = "ana";
  bool settling = false;
  auto draw = [&] {
    rects.named.clear();
    rects.facts.clear();
    settling = drawFileDialog(&open, s, 1.0f, rects).settling;
  };
  frame(draw);
  frame(draw);  // a tab bar places its tabs on its second frame
  click(rects.named["files.tab.database"], draw);
  frame(draw);
  click(rects.named["files.db.tables"], draw);
  frame(draw);
  EXPECT_EQ(rects.facts["files.db.listing"], "running");
  EXPECT_TRUE(settling) << "frames must keep coming while Tables waits";
  const auto start = std::chrono::steady_clock::now();
  double slowestFrameS = 0;
  while (rects.facts.count("files.db.listing") != 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(15)) {
    const auto t = std::chrono::steady_clock::now();
    frame(draw);
    slowestFrameS = std::max(slowestFrameS, std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
    usleep(20000);
  }
  const double waitedS = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  setDbTimeouts(before);
  ::close(listener);
  EXPECT_EQ(rects.facts.count("files.db.listing"), 0u) << "Tables never ended";
  EXPECT_GE(waitedS, 1.0) << "the silent server answered?";
  EXPECT_LT(slowestFrameS, 0.2) << "a frame waited for the server";
  EXPECT_NE(rects.facts["files.db.message"].find("timeout expired"), std::string::npos) << rects.facts["files.db.message"];
  EXPECT_TRUE(open);
}

// ---- the hover tooltip --------------------------------------------------------------------
TEST_F(PanelsTest, FeatureTooltipFollowsTheHoveredLayer) {
  Layer layer;
  layer.id = "villages";
  layer.nameZh = "村";
  ImGui::GetIO().MousePos = ImVec2{600, 400};
  rects.tooltip = UiRect{1, 1, 2, 2};
  frame([&] { drawFeatureTooltip(nullptr, "v1", "", rects); });
  EXPECT_TRUE(rects.tooltip.empty());
  frame([&] { drawFeatureTooltip(&layer, "v1", "平安村 Ping'an", rects); });
  EXPECT_FALSE(rects.tooltip.empty());
  EXPECT_GE(rects.tooltip.x0, 600);
  EXPECT_GE(rects.tooltip.y0, 400);
}

TEST_F(PanelsTest, ASampleLayersTooltipSaysSampleOnce) {
  // The trial's tooltip said "示例数据 sample data" twice: the plugin's text ends with it, and
  // the tooltip added its own line for every sample layer.
  Layer layer;
  layer.id = "poor_villages";
  layer.isSample = true;
  ImGui::GetIO().MousePos = ImVec2{600, 400};
  auto notices = [&](const std::string& text) {
    frame([&] { drawFeatureTooltip(&layer, "v1", text, rects); });
    const std::string shown = rects.facts["tooltip.text"];
    size_t n = 0;
    for (size_t at = shown.find("示例数据"); at != std::string::npos; at = shown.find("示例数据", at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(notices("平安村 · 红岗子乡\n示例数据 sample data"), 1u);
  EXPECT_EQ(notices("平安村 · 红岗子乡"), 1u) << "a plugin that does not say it gets the line";
  layer.isSample = false;
  EXPECT_EQ(notices("平安村"), 0u);
}

// ---- the export dialog ----------------------------------------------------------------------
TEST_F(PanelsTest, ExportNoticeNamesTheFullPathUntilDismissed) {
  // Issue 10, item 9: after an export the user could not tell where the file went. A notice
  // names the absolute path, copies it (or its folder), and stays, the dialog closed or
  // not, until dismissed.
  bool open = true;
  ExportDialogState d;
  std::snprintf(d.path, sizeof d.path, "%s", "maps/baicheng.png");
  View view;
  view.widthPx = 1000;
  view.heightPx = 700;
  ExportRequest req;
  auto draw = [&] {
    rects = TestRects{};
    const ExportRequest r = drawExportDialog(&open, view, d, 1.0f, rects);
    if (r.kind != ExportRequest::Kind::None) req = r;
  };
  frame(draw);
  frame(draw);
  EXPECT_EQ(rects.named.count("export.notice"), 0u) << "no notice before an export";
  click(rects.named["export.button"], draw);
  ASSERT_EQ(req.kind, ExportRequest::Kind::Image);
  EXPECT_EQ(req.path, "maps/baicheng.png");
  // The main loop runs it and reports back; the user closes the dialog.
  setExportResult(d, true, "已导出 written: maps/baicheng.png");
  open = false;
  const std::string full = (std::filesystem::current_path() / "maps" / "baicheng.png").string();
  for (int i = 0; i < 3; ++i) {
    frame(draw);
    ASSERT_TRUE(drawn("已导出 Exported###exportNotice")) << "frame " << i;
    EXPECT_EQ(rects.facts["export.written"], full);
  }
  // Its window is opaque, and lies inside the display.
  const UiRect notice = rects.named["export.notice"];
  EXPECT_GE(notice.x0, 0);
  EXPECT_LE(notice.x1, kDisplayW);
  click(rects.named["export.copy"], draw);
  ASSERT_NE(ImGui::GetClipboardText(), nullptr);
  EXPECT_EQ(std::string(ImGui::GetClipboardText()), full);
  click(rects.named["export.copyFolder"], draw);
  EXPECT_EQ(std::string(ImGui::GetClipboardText()), std::filesystem::path(full).parent_path().string());
  EXPECT_TRUE(drawn("已导出 Exported###exportNotice")) << "copying does not dismiss it";
  click(rects.named["export.dismiss"], draw);
  frame(draw);
  EXPECT_FALSE(drawn("已导出 Exported###exportNotice"));
  EXPECT_EQ(rects.facts.count("export.written"), 0u);
  // A failed export opens no notice; its message shows in the dialog.
  setExportResult(d, false, "maps/baicheng.png: cannot write");
  frame(draw);
  EXPECT_FALSE(drawn("已导出 Exported###exportNotice"));
}

}  // namespace
}  // namespace bcmap
