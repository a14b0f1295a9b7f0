// The user's style on real layers (LayerStore::setUserStyle): safe_water's villages (the
// bundled sample data, or the plugin's fixture before it is derived) and the counties.
// Every feature's fill is checked against the class or category its own value falls in,
// computed here; reverting gives back the plugin's fills exactly; hexagons count every
// point.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "style/ColorRamps.h"
#include "style/HexBin.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "host/StyleHistory.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

class UserStyleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_safe_water.so");
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_counties.so");
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    water_ = store_->find("safe_water");
    ASSERT_NE(water_, nullptr);
    if (!fs::exists(std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson"))
      for (LayerSetting& s : water_->settings)
        if (s.key == "path") s.value = std::string(BCMAP_SOURCE_DIR) + "/plugins/safe_water/test/fixture.geojson";
    store_->load(*water_);
    ASSERT_EQ(water_->status, LayerStatus::Loaded) << water_->error;
    ASSERT_GT(water_->table.featureCount(), 4u);
  }

  // The class of `v` by the rule of Classify.h, found here by a plain walk.
  static size_t classOf(const std::vector<StyleClass>& classes, double v) {
    for (size_t k = 0; k < classes.size(); ++k) {
      const bool last = k + 1 == classes.size();
      if (v >= classes[k].lower && (v < classes[k].upper || (last && v <= classes[k].upper))) return k;
    }
    return classes.size();
  }

  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
  Layer* water_ = nullptr;
};

TEST_F(UserStyleTest, GraduatedColoursEveryFeatureByItsClassAndTheLegendFollows) {
  const AttributeColumn* date = water_->table.column("water_date");
  ASSERT_NE(date, nullptr);
  ASSERT_EQ(date->type, FieldType::Date) << "the date the village reached the standard";
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "water_date";
  s.method = ClassifyMethod::Quantile;
  s.classes = 4;
  s.ramp = "viridis";
  std::string err;
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;

  const std::vector<StyleClass>& classes = water_->style.classes;
  ASSERT_GE(classes.size(), 2u);
  ASSERT_LE(classes.size(), 4u);
  // The breaks are the quantiles of the dates.
  std::vector<double> values;
  for (size_t f = 0; f < date->size(); ++f) values.push_back(date->number(f));
  const std::vector<double> breaks = quantileBreaks(values, 4);
  ASSERT_EQ(breaks.size(), classes.size() + 1);
  const std::vector<Rgba> ramp = classColours(*findColorRamp("viridis"), classes.size());
  for (size_t k = 0; k < classes.size(); ++k) {
    EXPECT_EQ(classes[k].lower, breaks[k]);
    EXPECT_EQ(classes[k].upper, breaks[k + 1]);
    EXPECT_EQ(classes[k].fill, ramp[k]);
  }
  std::vector<size_t> perClass(classes.size(), 0);
  for (size_t f = 0; f < water_->table.featureCount(); ++f) {
    const size_t k = classOf(classes, date->number(f));
    ASSERT_LT(k, classes.size()) << "feature " << f << " is in no class";
    EXPECT_EQ(water_->fill[f], classes[k].fill) << "feature " << f;
    ++perClass[k];
  }
  // Quantiles: no class is empty.
  for (size_t k = 0; k < perClass.size(); ++k) EXPECT_GT(perClass[k], 0u) << "class " << k;
  // Legend: one entry per class, its colour and the dates it spans.
  ASSERT_EQ(water_->legend.size(), classes.size());
  for (size_t k = 0; k < classes.size(); ++k) {
    EXPECT_EQ(water_->legend[k].fill, classes[k].fill);
    EXPECT_EQ(water_->legend[k].kind, GeometryKind::Point);
    EXPECT_EQ(water_->legend[k].label, classes[k].label);
    EXPECT_EQ(water_->legend[k].label.substr(0, 10), formatDate(static_cast<int32_t>(std::ceil(classes[k].lower))));
  }
  EXPECT_EQ(water_->userStyle, s);
}

TEST_F(UserStyleTest, CategorizedTakesTheFieldsDistinctValues) {
  StyleSpec s;
  s.kind = StyleKind::Categorized;
  s.field = "county_zh";
  s.ramp = "Okabe-Ito";
  std::string err;
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;
  const AttributeColumn* county = water_->table.column("county_zh");
  ASSERT_NE(county, nullptr);
  std::set<std::string> distinct;
  for (size_t f = 0; f < county->size(); ++f) distinct.insert(county->text(f));
  std::map<std::string, Rgba> colour;
  for (const StyleCategory& c : water_->style.categories) colour[c.value] = c.fill;
  ASSERT_EQ(colour.size(), distinct.size());
  for (const std::string& v : distinct) EXPECT_TRUE(colour.count(v)) << v;
  std::set<uint32_t> colours;
  for (const auto& [v, c] : colour) colours.insert(uint32_t(c.r) << 16 | uint32_t(c.g) << 8 | c.b);
  EXPECT_EQ(colours.size(), distinct.size()) << "each category its own colour";
  for (size_t f = 0; f < water_->table.featureCount(); ++f)
    EXPECT_EQ(water_->fill[f], colour.at(county->text(f))) << "feature " << f;
  ASSERT_EQ(water_->legend.size(), distinct.size());
  for (const LegendEntry& e : water_->legend) EXPECT_EQ(colour.at(e.label), e.fill) << e.label;
}

TEST_F(UserStyleTest, RevertGivesBackThePluginsStyleExactly) {
  const std::vector<Rgba> fill = water_->fill;
  const std::vector<float> size = water_->pointSizePx;
  const std::vector<LegendEntry> legend = water_->legend;
  const LayerStyle style = water_->style;
  std::string err;
  auto before = store_->prepare(*water_, "EPSG:3857", &err);
  ASSERT_TRUE(before) << err;

  StyleSpec s;
  s.kind = StyleKind::Single;
  s.single = Rgba{200, 10, 10, 255};
  s.sizeField = "water_year";
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;
  EXPECT_NE(water_->fill, fill);
  // The prepared form is made again with the new colours and sizes: a new generation,
  // so the renderer uploads it again.
  auto styled = store_->prepare(*water_, "EPSG:3857", &err);
  ASSERT_TRUE(styled) << err;
  EXPECT_NE(styled->generation, before->generation);
  EXPECT_EQ(styled->fillPerFeature(), water_->fill);
  EXPECT_EQ(styled->pointSizePx, water_->pointSizePx);
  EXPECT_EQ(styled->geometry.xy.size(), before->geometry.xy.size());
  // A second style on top: the plugin's is still the one kept.
  s.single = Rgba{10, 200, 10, 255};
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;

  ASSERT_TRUE(store_->setUserStyle(*water_, std::nullopt, &err)) << err;
  EXPECT_EQ(water_->fill, fill);
  EXPECT_EQ(water_->pointSizePx, size);
  ASSERT_EQ(water_->legend.size(), legend.size());
  for (size_t i = 0; i < legend.size(); ++i) {
    EXPECT_EQ(water_->legend[i].label, legend[i].label);
    EXPECT_EQ(water_->legend[i].fill, legend[i].fill);
  }
  EXPECT_EQ(water_->style.kind, style.kind);
  EXPECT_EQ(water_->style.field, style.field);
  EXPECT_FALSE(water_->userStyle);
  EXPECT_FALSE(water_->pluginStyle);
  auto reverted = store_->prepare(*water_, "EPSG:3857", &err);
  ASSERT_TRUE(reverted) << err;
  EXPECT_EQ(reverted->fill, fill);
}

TEST_F(UserStyleTest, AReloadAppliesTheUserStyleAgain) {
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "water_year";
  s.method = ClassifyMethod::EqualInterval;
  s.classes = 2;
  std::string err;
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;
  const std::vector<Rgba> styled = water_->fill;
  store_->load(*water_);
  ASSERT_EQ(water_->status, LayerStatus::Loaded) << water_->error;
  EXPECT_EQ(water_->userStyle, s);
  EXPECT_TRUE(water_->userStyleError.empty()) << water_->userStyleError;
  EXPECT_EQ(water_->fill, styled);
  EXPECT_EQ(water_->style.classes.size(), 2u);
  // A style set before the layer loads is applied by its load.
  Layer* counties = store_->find("counties");
  ASSERT_NE(counties, nullptr);
  StyleSpec c;
  c.kind = StyleKind::Categorized;
  c.field = "name_zh";
  ASSERT_TRUE(store_->setUserStyle(*counties, c, &err)) << err;
  // The boundaries are derived at set-up and never committed (geodata/README.md): a machine
  // without them skips; with them, a failed load is the plugin's fault.
  if (!fs::exists(std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson"))
    GTEST_SKIP() << "geodata/baicheng_counties.geojson not derived on this machine";
  store_->load(*counties);
  ASSERT_EQ(counties->status, LayerStatus::Loaded) << counties->error;
  EXPECT_EQ(counties->style.kind, StyleKind::Categorized);
  EXPECT_EQ(counties->legend.size(), counties->table.featureCount());
}

TEST_F(UserStyleTest, RefusalsLeaveTheLayerAsItWas) {
  const std::vector<Rgba> fill = water_->fill;
  std::string err;
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "name_zh";  // text
  EXPECT_FALSE(store_->setUserStyle(*water_, s, &err));
  EXPECT_NE(err.find("not numeric"), std::string::npos) << err;
  s.field = "no_such_field";
  EXPECT_FALSE(store_->setUserStyle(*water_, s, &err));
  s.field = "water_year";
  s.classes = 1;
  EXPECT_FALSE(store_->setUserStyle(*water_, s, &err));
  EXPECT_EQ(water_->fill, fill);
  EXPECT_FALSE(water_->userStyle);
  // Hexagons are for points.
  Layer* counties = store_->find("counties");
  ASSERT_NE(counties, nullptr);
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  EXPECT_FALSE(store_->setUserStyle(*counties, hex, &err));
  EXPECT_NE(err.find("points"), std::string::npos) << err;
}

TEST_F(UserStyleTest, UndoAndRedoWalkThroughTheChanges) {
  const std::vector<Rgba> plugin = water_->fill;
  StyleHistory history;
  std::string err;
  StyleSpec a;
  a.kind = StyleKind::Graduated;
  a.field = "water_year";
  a.classes = 2;
  ASSERT_TRUE(applyStyleChange(*store_, history, "safe_water", a, false, &err)) << err;
  const std::vector<Rgba> styledA = water_->fill;
  // The classes slider dragged from 2 to 4 and let go: one entry.
  StyleSpec b = a;
  for (int k : {3, 4}) {
    b.classes = k;
    ASSERT_TRUE(applyStyleChange(*store_, history, "safe_water", b, true, &err)) << err;
  }
  ASSERT_TRUE(applyStyleChange(*store_, history, "safe_water", b, false, &err)) << err;
  EXPECT_EQ(history.undoCount(), 2u);
  EXPECT_EQ(water_->style.classes.size(), 4u);

  EXPECT_EQ(undoStyleChange(*store_, history, &err), "safe_water") << err;
  EXPECT_EQ(water_->userStyle, a);
  EXPECT_EQ(water_->fill, styledA);
  EXPECT_EQ(undoStyleChange(*store_, history, &err), "safe_water") << err;
  EXPECT_FALSE(water_->userStyle);
  EXPECT_EQ(water_->fill, plugin);
  EXPECT_EQ(undoStyleChange(*store_, history, &err), "");  // nothing left
  EXPECT_EQ(redoStyleChange(*store_, history, &err), "safe_water") << err;
  EXPECT_EQ(water_->fill, styledA);
  // A refused change is not recorded.
  StyleSpec bad = a;
  bad.field = "name_zh";
  EXPECT_FALSE(applyStyleChange(*store_, history, "safe_water", bad, false, &err));
  EXPECT_EQ(history.undoCount(), 1u);
  EXPECT_FALSE(applyStyleChange(*store_, history, "no_layer", a, false, &err));
}

TEST_F(UserStyleTest, HexagonsCountEveryPoint) {
  const size_t points = water_->table.featureCount();
  StyleSpec s;
  s.aggregation = Aggregation::Hex;
  s.hexSizeM = 5000;
  s.classes = 5;
  s.method = ClassifyMethod::NaturalBreaks;
  s.ramp = "Okabe-Ito";  // qualitative: the hexagons take a sequential ramp instead
  std::string err;
  ASSERT_TRUE(store_->setUserStyle(*water_, s, &err)) << err;
  ASSERT_TRUE(water_->hexes);
  const FeatureTable& hexes = water_->hexes->bins.table;
  const AttributeColumn* count = hexes.column("count");
  ASSERT_NE(count, nullptr);
  int64_t total = 0;
  for (size_t h = 0; h < count->size(); ++h) {
    EXPECT_GT(count->ints[h], 0) << "only hexagons that hold points";
    total += count->ints[h];
  }
  EXPECT_EQ(total, static_cast<int64_t>(points));
  EXPECT_LT(hexes.featureCount(), points);  // 5 km hexagons hold several villages each

  // Each village lies in the hexagon of its id, and that hexagon's count is the number of
  // villages placed there, counted here independently.
  auto toFrame = Transformer::create(water_->sourceCrs, water_->hexes->bins.crs, &err);
  ASSERT_TRUE(toFrame) << err;
  std::map<std::string, int64_t> mine;
  for (Vec2 p : water_->table.geometry.xy) {
    const Vec2 q = toFrame->forward(p);
    const HexCell c = hexCellAt(q, 5000);
    const Vec2 centre = hexCentre(c, 5000);
    EXPECT_LE(std::hypot(q.x - centre.x, q.y - centre.y), 5000 * (1 + 1e-9)) << "outside its hexagon's circle";
    ++mine[std::to_string(c.q) + "," + std::to_string(c.r)];
  }
  ASSERT_EQ(mine.size(), hexes.featureCount());
  for (size_t h = 0; h < hexes.featureCount(); ++h) EXPECT_EQ(mine.at(hexes.ids[h]), count->ints[h]) << hexes.ids[h];

  // Drawn as polygons coloured by count on a sequential ramp; the legend names counts.
  auto p = store_->prepare(*water_, "EPSG:3857", &err);
  ASSERT_TRUE(p) << err;
  EXPECT_EQ(p->kind, GeometryKind::Polygon);
  EXPECT_EQ(p->geometry.featureCount(), hexes.featureCount());
  EXPECT_EQ(p->fill, water_->hexes->fill);
  EXPECT_TRUE(p->startDay.empty()) << "hexagons count every day's points";
  EXPECT_GT(p->triangles.size(), 0u);
  const std::vector<StyleClass>& classes = water_->style.classes;
  ASSERT_GE(classes.size(), 2u);
  const std::vector<Rgba> ramp = classColours(*findColorRamp("YlOrRd"), classes.size());
  for (size_t h = 0; h < hexes.featureCount(); ++h) {
    const size_t k = classOf(classes, double(count->ints[h]));
    ASSERT_LT(k, classes.size());
    EXPECT_EQ(water_->hexes->fill[h], ramp[k]) << hexes.ids[h];
  }
  ASSERT_EQ(water_->legend.size(), classes.size());
  EXPECT_NE(water_->legend[0].label.find("points"), std::string::npos) << water_->legend[0].label;
  EXPECT_EQ(water_->legend[0].kind, GeometryKind::Polygon);
  // What identify and tooltips see: the hexagons.
  EXPECT_EQ(&water_->shownTable(), &hexes);
  EXPECT_EQ(water_->shownKind(), GeometryKind::Polygon);

  // Hexagons of 5 km in Web Mercator at about 45.5° N: a side of 5000 / cos(45.5°) ≈ 7130
  // units (the projection's scale), to within the latitude spread of the villages.
  const Bounds first = p->geometry.featureBounds(0);
  EXPECT_NEAR(first.width() / 2, 5000 / std::cos(45.5 * M_PI / 180), 0.03 * 7130);

  // Back to points.
  ASSERT_TRUE(store_->setUserStyle(*water_, std::nullopt, &err)) << err;
  EXPECT_FALSE(water_->hexes);
  p = store_->prepare(*water_, "EPSG:3857", &err);
  ASSERT_TRUE(p) << err;
  EXPECT_EQ(p->kind, GeometryKind::Point);
  EXPECT_EQ(p->geometry.featureCount(), points);
}

}  // namespace
}  // namespace bcmap
