// LayerStyling on layers made in the test: a user style replaces the plugin's colours and
// going back gives them back exactly; hexagons aggregate points (and only points); a
// refused style leaves the layer as it was; a layer not loaded keeps the style for its load.
#include <gtest/gtest.h>

#include <numeric>

#include "host/LayerPrepare.h"
#include "host/LayerStyling.h"
#include "io/Projection.h"
#include "style/ColorRamps.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

using fixtures::addIntColumn;
using fixtures::addRing;
using fixtures::box;
using fixtures::makeLayer;

// Six villages 100 m apart (all in one 2 km hexagon but the last, 20 km east), with their
// plugin's style: one red, sizes 6 px.
std::unique_ptr<Layer> villages() {
  auto l = makeLayer("villages", GeometryKind::Point);
  l->style.pointSizePx = 6;
  for (int i = 0; i < 5; ++i) addRing(*l, {{122.84 + i * 1.3e-3, 45.62}});
  addRing(*l, {{123.1, 45.62}});
  addIntColumn(*l, "people", {10, 20, 30, 40, 50, 60});
  l->legend.push_back({"村 villages", Rgba{200, 30, 30, 255}, Rgba{}, GeometryKind::Point});
  return l;
}

StyleSpec graduated() {
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "people";
  s.method = ClassifyMethod::EqualInterval;
  s.classes = 3;
  s.ramp = "viridis";
  return s;
}

class LayerStylingTest : public ::testing::Test {
 protected:
  void SetUp() override { initProj(); }
};

TEST_F(LayerStylingTest, UserStyleShowsAndThePluginsComesBackExactly) {
  auto l = villages();
  const std::vector<Rgba> pluginFill = l->fill;
  const std::vector<LegendEntry> pluginLegend = l->legend;
  std::string err;
  ASSERT_NE(prepareLayer(*l, "EPSG:3857", &err), nullptr) << err;
  const uint64_t generation = l->generation;

  ASSERT_TRUE(setLayerUserStyle(*l, graduated(), &err)) << err;
  ASSERT_TRUE(l->userStyle);
  EXPECT_EQ(l->style.classes.size(), 3u);
  EXPECT_NE(l->fill, pluginFill);
  EXPECT_EQ(l->fill.front(), l->fill[1]);  // 10 and 20 share the lowest class
  EXPECT_NE(l->fill.front(), l->fill.back());
  EXPECT_EQ(l->legend.size(), 3u);
  ASSERT_TRUE(l->pluginStyle);
  EXPECT_EQ(l->pluginStyle->fill, pluginFill);
  EXPECT_GT(l->generation, generation);
  // The prepared form was restyled in place: same CRS, the new colours.
  ASSERT_EQ(l->prepared.size(), 1u);
  EXPECT_EQ(l->prepared.begin()->second->fillPerFeature(), l->fill);

  ASSERT_TRUE(setLayerUserStyle(*l, std::nullopt, &err)) << err;
  EXPECT_FALSE(l->userStyle);
  EXPECT_FALSE(l->pluginStyle);
  EXPECT_EQ(l->fill, pluginFill);
  ASSERT_EQ(l->legend.size(), pluginLegend.size());
  EXPECT_EQ(l->legend[0].label, pluginLegend[0].label);
  EXPECT_EQ(l->prepared.begin()->second->fillPerFeature(), pluginFill);
}

TEST_F(LayerStylingTest, HexagonsCountThePointsAndReplaceThemOnTheMap) {
  auto l = villages();
  const std::vector<Rgba> pluginFill = l->fill;
  std::string err;
  ASSERT_NE(prepareLayer(*l, "EPSG:3857", &err), nullptr) << err;
  StyleSpec s;
  s.aggregation = Aggregation::Hex;
  s.hexSizeM = 2000;
  s.ramp = "Set1";  // qualitative: hexagons take a sequential ramp instead
  ASSERT_TRUE(setLayerUserStyle(*l, s, &err)) << err;
  ASSERT_TRUE(l->hexes);
  EXPECT_EQ(l->shownKind(), GeometryKind::Polygon);
  const AttributeColumn* count = l->shownTable().column("count");
  ASSERT_NE(count, nullptr);
  int64_t total = 0;
  for (size_t f = 0; f < count->size(); ++f) total += count->ints[f];
  EXPECT_EQ(total, 6);
  EXPECT_EQ(l->hexes->fill.size(), l->shownTable().featureCount());
  // The points keep the plugin's colours; the legend speaks of points.
  EXPECT_EQ(l->fill, pluginFill);
  ASSERT_FALSE(l->legend.empty());
  EXPECT_NE(l->legend[0].label.find(" 个点 points"), std::string::npos) << l->legend[0].label;
  // Other geometry: the prepared forms are dropped, to be made from the hexagons.
  EXPECT_TRUE(l->prepared.empty());
  auto p = prepareLayer(*l, "EPSG:3857", &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->kind, GeometryKind::Polygon);
  EXPECT_EQ(p->geometry.featureCount(), l->shownTable().featureCount());

  // Only the colours change: the same hexagons, restyled where they are.
  s.classes = 3;
  s.ramp = "Blues";
  ASSERT_TRUE(setLayerUserStyle(*l, s, &err)) << err;
  ASSERT_EQ(l->prepared.size(), 1u);
  EXPECT_EQ(l->prepared.begin()->second->geometry.xy.size(), p->geometry.xy.size());

  // Back to the points.
  ASSERT_TRUE(setLayerUserStyle(*l, std::nullopt, &err)) << err;
  EXPECT_FALSE(l->hexes);
  EXPECT_EQ(l->shownKind(), GeometryKind::Point);
  EXPECT_TRUE(l->prepared.empty());
}

TEST_F(LayerStylingTest, HexCountSpecTakesASequentialRamp) {
  StyleSpec s;
  s.aggregation = Aggregation::Hex;
  s.ramp = "Set1";
  s.sizeField = "people";
  StyleSpec h = hexCountSpec(s);
  EXPECT_EQ(h.kind, StyleKind::Graduated);
  EXPECT_EQ(h.field, "count");
  EXPECT_TRUE(h.sizeField.empty());
  EXPECT_EQ(h.aggregation, Aggregation::None);
  EXPECT_EQ(h.ramp, "YlOrRd");
  s.ramp = "Blues";
  EXPECT_EQ(hexCountSpec(s).ramp, "Blues");
}

TEST_F(LayerStylingTest, RefusedStyleLeavesTheLayerAsItWas) {
  auto poly = makeLayer("poly", GeometryKind::Polygon);
  addRing(*poly, box(122.8, 45.6, 122.9, 45.65));
  const std::vector<Rgba> fill = poly->fill;
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  std::string err;
  EXPECT_FALSE(setLayerUserStyle(*poly, hex, &err));
  EXPECT_NE(err.find("hexagons aggregate points"), std::string::npos) << err;
  EXPECT_FALSE(poly->userStyle);
  EXPECT_EQ(poly->fill, fill);

  auto l = villages();
  StyleSpec bad = graduated();
  bad.classes = 40;
  err.clear();
  EXPECT_FALSE(setLayerUserStyle(*l, bad, &err));
  EXPECT_FALSE(err.empty());
  StyleSpec missing = graduated();
  missing.field = "no_such_field";
  err.clear();
  EXPECT_FALSE(setLayerUserStyle(*l, missing, &err));
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(l->userStyle);
  EXPECT_FALSE(l->pluginStyle);
}

TEST_F(LayerStylingTest, LayerNotLoadedKeepsTheStyleForItsLoad) {
  auto l = villages();
  l->status = LayerStatus::Pending;
  const std::vector<Rgba> fill = l->fill;
  std::string err;
  ASSERT_TRUE(setLayerUserStyle(*l, graduated(), &err)) << err;
  EXPECT_TRUE(l->userStyle);
  EXPECT_EQ(l->fill, fill);  // applied by the load (LayerLoader's applyLoad)
  EXPECT_FALSE(l->pluginStyle);
}

}  // namespace
}  // namespace bcmap
