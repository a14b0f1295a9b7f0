// The attribute table and the inspector driven through Dear ImGui without a window or GL
// (ImGui lays out and takes input without a renderer): clicks on rows and headers, typing in
// the filter, exports, the inspector's zoom; and the table's frame cost at 1k and 100k rows.
#include <gtest/gtest.h>
#include <imgui.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/Projection.h"
#include "nav/FeatureFilter.h"
#include "nav/ViewFraming.h"
#include "host/AppSession.h"
#include "host/LayerStore.h"
#include "host/Selection.h"
#include "ui/panels/AttributeTable.h"
#include "ui/panels/Inspector.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

// people of feature f: 37 f mod 100 (37 is invertible mod 100, so every value 0..99 comes
// up once in each hundred features).
int64_t peopleOf(size_t f) { return static_cast<int64_t>((37 * f) % 100); }

// prefix + number (appended: GCC 12 warns falsely, -Wrestrict, on "literal" + std::string&&).
std::string numbered(const char* prefix, size_t n) { return std::string(prefix).append(std::to_string(n)); }

Layer& addPoints(LayerStore& store, const std::string& id, size_t n) {
  auto l = std::make_unique<Layer>();
  l->id = id;
  l->nameZh = "测试";
  l->nameEn = "test";
  l->kind = GeometryKind::Point;
  l->sourceCrs = kLonLatCrs;
  l->status = LayerStatus::Loaded;
  l->isSample = true;
  FeatureTable& t = l->table;
  t.geometry.kind = GeometryKind::Point;
  AttributeColumn name, people;
  name.name = "name";
  name.type = FieldType::String;
  people.name = "people";
  people.type = FieldType::Integer;
  for (size_t f = 0; f < n; ++f) {
    t.geometry.xy.push_back({122.8 + 1e-4 * static_cast<double>(f % 1000), 45.6 + 1e-4 * static_cast<double>(f / 1000)});
    t.geometry.ringVertices.push_back(static_cast<uint32_t>(f + 1));
    t.geometry.partRings.push_back(static_cast<uint32_t>(f + 1));
    t.geometry.featureParts.push_back(static_cast<uint32_t>(f + 1));
    t.ids.push_back(numbered("id", f));
    name.strings.push_back(numbered("v", f));
    people.ints.push_back(peopleOf(f));
  }
  name.isNull.assign(n, 0);
  people.isNull.assign(n, 0);
  t.columns = {name, people};
  store.layers().push_back(std::move(l));
  return *store.layers().back();
}

class SelectionUiTest : public ::testing::Test {
 protected:
  AppSession session;
  TestRects rects;                            // where the panels drew what
  const std::string displayCrs = "EPSG:3857";
  Selection selection;
  fs::path dir, oldCwd;

  void SetUp() override {
    session.store = std::make_unique<LayerStore>(".");
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2{1280, 800};
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->AddFontDefault();
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    // Exports go to the current directory by default: a folder of the test's own.
    dir = fs::temp_directory_path() / ("bcmap-selection-ui-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    oldCwd = fs::current_path();
    fs::current_path(dir);
  }
  void TearDown() override {
    ImGui::DestroyContext();
    fs::current_path(oldCwd);
    fs::remove_all(dir);
  }

  // One frame with the panels under test; returns what they asked for.
  AttributeTableResult tableResult;
  InspectorResult inspectorResult;
  InspectorState inspector;
  void frame(AttributeTables* tables, bool withInspector) {
    rects.named.clear();
    rects.facts.clear();
    ImGui::NewFrame();
    if (tables) tableResult = tables->draw(*session.store, displayCrs, selection, 1.0f, rects);
    if (withInspector) inspectorResult = drawInspector(InspectorInput{session.store.get(), displayCrs, 0, {}, {}, {}}, inspector, selection, 1.0f, rects);
    ImGui::Render();
  }
  // A click in the middle of a named rectangle: move, press, release.
  void click(AttributeTables* tables, bool withInspector, const std::string& name, bool shift = false) {
    ASSERT_TRUE(rects.named.count(name)) << name << " was not drawn";
    const UiRect r = rects.named.at(name);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2};
    io.KeyShift = shift;
    frame(tables, withInspector);
    io.MouseDown[0] = true;
    frame(tables, withInspector);
    io.MouseDown[0] = false;
    frame(tables, withInspector);
    io.KeyShift = false;
  }
  void type(AttributeTables* tables, const char* text) {
    ImGui::GetIO().AddInputCharactersUTF8(text);
    frame(tables, false);
    frame(tables, false);
  }
  // The feature of the topmost row drawn in `layer`'s table.
  long long topRow(const std::string& layer) {
    const std::string prefix = "table." + layer + ".row.";
    long long best = -1;
    float y = INFINITY;
    for (const auto& [name, r] : rects.named)
      if (name.rfind(prefix, 0) == 0 && r.y0 < y) {
        y = r.y0;
        best = std::stoll(name.substr(prefix.size()));
      }
    return best;
  }
};

TEST_F(SelectionUiTest, AttributeTableSelectsSortsFiltersAndExports) {
  Layer& l = addPoints(*session.store, "pts", 1000);
  AttributeTables tables;
  tables.open("pts");
  EXPECT_TRUE(tables.isOpen("pts"));
  frame(&tables, false);
  frame(&tables, false);
  EXPECT_EQ(rects.facts["table.pts.count"], "1000 / 1000");
  EXPECT_EQ(topRow("pts"), 0);

  // A click selects the row alone and asks to frame it; Shift-click adds.
  click(&tables, false, "table.pts.row.3");
  EXPECT_EQ(selection.refs(), (std::vector<FeatureRef>{{"pts", 3}}));
  click(&tables, false, "table.pts.row.5", /*shift=*/true);
  EXPECT_EQ(selection.featuresOf("pts"), (std::vector<size_t>{3, 5}));
  click(&tables, false, "table.pts.row.3", /*shift=*/true);  // out again
  EXPECT_EQ(selection.featuresOf("pts"), (std::vector<size_t>{5}));
  click(&tables, false, "table.pts.row.3", /*shift=*/true);

  // people: first click ascending, second descending. The largest, 99, first comes at
  // f = 27 (37 x 27 = 999); ties keep feature order.
  click(&tables, false, "table.pts.header.people");
  EXPECT_EQ(peopleOf(static_cast<size_t>(topRow("pts"))), 0);
  EXPECT_EQ(topRow("pts"), 0);
  click(&tables, false, "table.pts.header.people");
  EXPECT_EQ(topRow("pts"), 27);

  // Typing a filter: 94 of each 100 have people > 5.
  click(&tables, false, "table.pts.filter");
  type(&tables, "people > 5");
  EXPECT_EQ(rects.facts["table.pts.count"], "940 / 1000");
  EXPECT_EQ(rects.facts.count("table.pts.error"), 0u);
  // Half typed: the error shows, the rows stay.
  type(&tables, " and");
  EXPECT_EQ(rects.facts["table.pts.error"], "column 15: expected a field name, found the end");
  EXPECT_EQ(rects.facts["table.pts.count"], "940 / 1000");
  type(&tables, " name ~ 1");
  size_t expected = 0;
  long long top = -1;  // still sorted by people, descending: the first of the largest kept
  for (size_t f = 0; f < 1000; ++f)
    if (peopleOf(f) > 5 && numbered("v", f).find('1') != std::string::npos) {
      ++expected;
      if (top < 0 || peopleOf(f) > peopleOf(static_cast<size_t>(top))) top = static_cast<long long>(f);
    }
  EXPECT_EQ(rects.facts["table.pts.count"], std::to_string(expected) + " / 1000");
  EXPECT_EQ(topRow("pts"), top);

  // Export the filtered rows (GeoJSON: the path's extension) and the selection as CSV.
  click(&tables, false, "table.pts.exportFiltered");
  const fs::path geojson = dir / "pts.geojson";
  ASSERT_TRUE(fs::exists(geojson)) << rects.facts["table.pts.export"];
  std::ifstream in(geojson);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["features"].size(), expected);
  EXPECT_GT(j["features"][0]["properties"]["people"].get<int>(), 5);
  click(&tables, false, "table.pts.exportSelectionCsv");
  std::ifstream csv(dir / "pts.csv");
  std::stringstream read;
  read << csv.rdbuf();
  const std::string text = read.str();
  EXPECT_EQ(text.substr(0, 22), "name,people,lon,lat\r\nv");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);  // header + features 3 and 5
  EXPECT_NE(rects.facts["table.pts.export"].find("wrote 2 features"), std::string::npos);

  // The layer goes: so does its table.
  l.status = LayerStatus::Failed;
  frame(&tables, false);
  EXPECT_FALSE(tables.isOpen("pts"));
}

TEST_F(SelectionUiTest, RowClickAsksToFrameTheFeature) {
  addPoints(*session.store, "pts", 10);
  AttributeTables tables;
  tables.open("pts");
  frame(&tables, false);
  frame(&tables, false);
  const UiRect r = rects.named.at("table.pts.row.4");
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2};
  frame(&tables, false);
  io.MouseDown[0] = true;
  frame(&tables, false);
  io.MouseDown[0] = false;
  frame(&tables, false);
  ASSERT_TRUE(tableResult.zoomTo);
  // A point: the point itself, shown at the point scale (no label scale here: 1:50,000),
  // in the map the table's window leaves free.
  EXPECT_EQ(tableResult.zoomTo->width(), 0.0);
  EXPECT_EQ(tableResult.zoomTo->height(), 0.0);
  const double x = (122.8 + 4e-4) * M_PI / 180.0 * 6378137.0;
  EXPECT_NEAR(tableResult.zoomTo->minX, x, 0.01);
  EXPECT_EQ(tableResult.pointScale, kDefaultPointScale);
  const UiRect w = rects.named.at("table.pts.window");
  EXPECT_EQ(tableResult.window.x0, w.x0);
  EXPECT_EQ(tableResult.window.y1, w.y1);
  // A label scale finer than that wins, so the point's label shows.
  session.store->find("pts")->style.labelMaxScale = 20000;
  EXPECT_EQ(pointScaleOf(*session.store->find("pts")), 20000);
  session.store->find("pts")->style.labelMaxScale = 400000;
  EXPECT_EQ(pointScaleOf(*session.store->find("pts")), kDefaultPointScale);
}

// At 900x600 the table opened wider than the window (760 px at a quarter of the width):
// its right edge and close box were off screen. Every cascaded window stays inside.
TEST_F(SelectionUiTest, ATableOpensInsideASmallWindow) {
  ImGui::GetIO().DisplaySize = ImVec2{900, 600};
  AttributeTables tables;
  for (int i = 0; i < 3; ++i) {
    const std::string id = "pts" + std::to_string(i);
    addPoints(*session.store, id, 10);
    tables.open(id);
  }
  frame(&tables, false);
  frame(&tables, false);
  for (int i = 0; i < 3; ++i) {
    const std::string key = "table.pts" + std::to_string(i) + ".window";
    ASSERT_TRUE(rects.named.count(key)) << key;
    const UiRect w = rects.named.at(key);
    EXPECT_GE(w.x0, 0) << key;
    EXPECT_GE(w.y0, 0) << key;
    EXPECT_LE(w.x1, 900) << key;
    EXPECT_LE(w.y1, 600) << key;
  }
}

TEST_F(SelectionUiTest, InspectorListsTheSelection) {
  Layer& l = addPoints(*session.store, "pts", 10);
  selection.select(l, 7, SelectMode::Add);
  selection.select(l, 2, SelectMode::Add);
  frame(nullptr, true);
  frame(nullptr, true);
  EXPECT_FALSE(inspectorResult.window.empty());
  EXPECT_EQ(rects.facts["inspector.count"], "2");
  EXPECT_EQ(rects.facts["inspector.title.0"], "pts #id7");
  EXPECT_EQ(rects.facts["inspector.title.1"], "pts #id2");
  const Vec2 ll = featureLonLat(*session.store, l, 7);
  EXPECT_DOUBLE_EQ(ll.x, 122.8 + 7e-4);
  EXPECT_DOUBLE_EQ(ll.y, 45.6);

  click(nullptr, true, "inspector.zoom.1");
  ASSERT_TRUE(inspectorResult.zoomTo);
  // Feature 2 is at lon 122.8002: its Web Mercator x is the centre of the box.
  const double x = (122.8 + 2e-4) * M_PI / 180.0 * 6378137.0;
  EXPECT_NEAR((inspectorResult.zoomTo->minX + inspectorResult.zoomTo->maxX) / 2, x, 0.01);

  // The close box hides it; a new selection brings it back.
  inspector.open = false;
  frame(nullptr, true);
  EXPECT_TRUE(inspectorResult.window.empty());
  selection.select(l, 1, SelectMode::Add);
  frame(nullptr, true);
  EXPECT_EQ(rects.facts["inspector.count"], "3");
}

// The inspector opens on the user's picks only: a feature selected from the table, the
// inspector closed, then the layer reloads (a style change, Ctrl+Z, a setting: the
// selection finds its features again by id) — it stays closed. A pick opens it again.
TEST_F(SelectionUiTest, InspectorStaysClosedWhenTheLayerReloads) {
  Layer& l = addPoints(*session.store, "pts", 10);
  AttributeTables tables;
  tables.open("pts");
  frame(&tables, true);
  frame(&tables, true);
  click(&tables, true, "table.pts.row.4");
  ASSERT_EQ(selection.refs(), (std::vector<FeatureRef>{{"pts", 4}}));
  EXPECT_FALSE(inspectorResult.window.empty()) << "a row click opens the inspector";
  inspector.open = false;  // its close box
  frame(&tables, true);
  EXPECT_TRUE(inspectorResult.window.empty());
  for (int reload = 0; reload < 2; ++reload) {
    ++l.generation;  // what LayerStore does when the style or a setting reloads the layer
    EXPECT_TRUE(selection.validate(*session.store));
    frame(&tables, true);
    EXPECT_EQ(selection.refs(), (std::vector<FeatureRef>{{"pts", 4}}));
    EXPECT_TRUE(inspectorResult.window.empty()) << "the inspector reopened by itself after reload " << reload;
  }
  click(&tables, true, "table.pts.row.6");
  EXPECT_FALSE(inspectorResult.window.empty()) << "a new pick opens it again";
}

// The table draws only the rows on screen: a frame at 100k rows costs about what one at 1k
// rows does. Minimum over frames, so that other work on the machine does not decide it.
TEST_F(SelectionUiTest, FrameCostDoesNotGrowWithRows) {
  auto cost = [&](size_t n) {
    addPoints(*session.store, numbered("n", n), n);
    AttributeTables tables;
    tables.open(numbered("n", n));
    frame(&tables, false);  // the first frame sorts and filters
    double best = INFINITY;
    for (int i = 0; i < 30; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      frame(&tables, false);
      best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    // Every row that fits in the window is drawn (about 20 of 420 px), whatever the total.
    size_t rowsDrawn = 0;
    for (const auto& [name, r] : rects.named) rowsDrawn += name.find(".row.") != std::string::npos;
    EXPECT_GE(rowsDrawn, 10u);
    EXPECT_LE(rowsDrawn, 40u);
    return best;
  };
  const double small = cost(1000), large = cost(100000);
  // What a keystroke in the filter and a click on a header cost at 100k rows (not per frame).
  const FeatureTable& t = session.store->find("n100000")->table;
  auto msOf = [](auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  std::vector<uint32_t> rows;
  const double plainMs = msOf([&] { rows = FeatureFilter::parse("v9", t, nullptr)->rows(t); });
  EXPECT_EQ(rows.size(), 11111u);  // v9, v90..v99, v900..v999, v9000..v9999, v90000..v99999
  const double exprMs = msOf([&] { rows = FeatureFilter::parse("people > 50 and name ~ 9", t, nullptr)->rows(t); });
  const double sortMs = msOf([&] { sortRows(t, 0, false, rows); });
  std::printf("100k rows: plain filter %.1f ms, expression %.1f ms, sort by name %.1f ms\n", plainMs, exprMs, sortMs);
  RecordProperty("frame_ms_1k_rows", std::to_string(small));
  RecordProperty("frame_ms_100k_rows", std::to_string(large));
  std::printf("attribute table frame (min of 30): 1k rows %.3f ms, 100k rows %.3f ms\n", small, large);
  EXPECT_LT(large, 3 * small + 0.5);
}

}  // namespace
}  // namespace bcmap
