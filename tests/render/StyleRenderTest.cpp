// The user's style drawn (issue 4): the county safe-water coverage restyled graduated
// (natural breaks, YlGnBu) and the safe_water villages aggregated into 5 km hexagons, each
// frame drawn by MapFrame the way the window draws it. Pixels inside each county and at
// each hexagon's centre must show the colour of the class their value falls in. The frames
// are written to <build>/tests/style_render_*.png for a look.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

#include "style/ColorRamps.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapFrame.h"

namespace bcmap {
namespace {

constexpr int kW = 900, kH = 760;
const std::string kCrs = "EPSG:3857";
// 2019-06-30: two counties have passed 80 % of their villages, three have not, so the
// frame shows two classes side by side.
const int32_t kDay = *parseDate("2019-06-30");

class StyleRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host_.scan({BCMAP_PLUGIN_DIR});
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    coverage_ = store_->find("water_coverage");
    water_ = store_->find("safe_water");
    ASSERT_TRUE(coverage_ && water_);
    for (auto& l : store_->layers()) l->visible = false;
    // Both layers read derived data that is never committed (geodata/README.md): a machine
    // without it skips; with it, a failed load is the plugin's fault.
    for (const char* file : {"baicheng_counties.geojson", "baicheng_villages.geojson"})
      if (!std::filesystem::exists(std::string(BCMAP_GEODATA) + "/" + file))
        GTEST_SKIP() << "geodata/" << file << " not derived on this machine";
    for (Layer* l : {coverage_, water_}) {
      store_->load(*l);
      ASSERT_EQ(l->status, LayerStatus::Loaded) << l->id << ": " << l->error;
      l->visible = true;
      l->opacity = 1;
    }
    std::string err;
    ctx_ = HeadlessContext::create(&err);
    ASSERT_TRUE(ctx_) << err;
    target_ = OffscreenTarget::create(kW, kH, &err);
    ASSERT_TRUE(target_) << err;
    ASSERT_TRUE(frame_.init(&err)) << err;
    auto p = store_->prepare(*coverage_, kCrs, &err);
    ASSERT_TRUE(p) << err;
    view_.widthPx = kW;
    view_.heightPx = kH;
    view_.fit(growBounds(p->bounds));
  }

  std::vector<uint8_t> draw(bool labels, const std::string& png) {
    FrameOptions o;
    o.day = kDay;
    o.labels = labels;
    o.legend = labels;
    o.scaleBar = labels;
    o.attribution = labels;
    target_->bind();
    frame_.draw(*store_, kCrs, view_, o);
    std::vector<uint8_t> px = target_->readPixels();
    std::string err;
    EXPECT_TRUE(writePng(std::string(BCMAP_BINARY_DIR) + "/tests/" + png, kW, kH, px, &err)) << err;
    return px;
  }

  static Rgba pixel(const std::vector<uint8_t>& px, Vec2 at) {
    const size_t i = (static_cast<size_t>(at.y) * kW + static_cast<size_t>(at.x)) * 4;
    return Rgba{px[i], px[i + 1], px[i + 2], px[i + 3]};
  }
  static bool near(Rgba a, Rgba b) {
    return std::abs(a.r - b.r) <= 2 && std::abs(a.g - b.g) <= 2 && std::abs(a.b - b.b) <= 2;
  }
  static size_t classOf(const std::vector<StyleClass>& classes, double v) {
    for (size_t k = 0; k < classes.size(); ++k) {
      const bool last = k + 1 == classes.size();
      if (v >= classes[k].lower && (v < classes[k].upper || (last && v <= classes[k].upper))) return k;
    }
    return classes.size();
  }

  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
  Layer* coverage_ = nullptr;
  Layer* water_ = nullptr;
  std::unique_ptr<HeadlessContext> ctx_;
  std::unique_ptr<OffscreenTarget> target_;
  MapFrame frame_;
  View view_;
};

TEST_F(StyleRenderTest, GraduatedCountiesAndHexagonsShowTheirClassColours) {
  StyleSpec graduated;
  graduated.kind = StyleKind::Graduated;
  graduated.field = "coverage";
  graduated.method = ClassifyMethod::NaturalBreaks;
  graduated.classes = 5;
  graduated.ramp = "YlGnBu";
  std::string err;
  ASSERT_TRUE(store_->setUserStyle(*coverage_, graduated, &err)) << err;
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  hex.hexSizeM = 5000;
  hex.method = ClassifyMethod::NaturalBreaks;
  hex.classes = 5;
  hex.ramp = "YlOrRd";
  ASSERT_TRUE(store_->setUserStyle(*water_, hex, &err)) << err;

  // Counties alone: the pixel at each county's label point (its pole of inaccessibility,
  // far from the border) in the colour of the class of the coverage shown that day.
  water_->visible = false;
  const std::vector<uint8_t> counties = draw(false, "style_render_counties.png");
  const FeatureTable& t = coverage_->table;
  const AttributeColumn* share = t.column("coverage");
  const AttributeColumn* lon = t.column("label_lon");
  const AttributeColumn* lat = t.column("label_lat");
  ASSERT_TRUE(share && lon && lat);
  auto toMap = Transformer::create(kLonLatCrs, kCrs, &err);
  ASSERT_TRUE(toMap) << err;
  const std::vector<StyleClass>& classes = coverage_->style.classes;
  const std::vector<Rgba> ramp = classColours(*findColorRamp("YlGnBu"), classes.size());
  size_t checked = 0;
  std::set<size_t> shownClasses;
  for (size_t f = 0; f < t.featureCount(); ++f) {
    if (!t.shownOn(f, kDay)) continue;
    const size_t k = classOf(classes, share->number(f));
    ASSERT_LT(k, classes.size());
    shownClasses.insert(k);
    const Vec2 at = view_.toPixel(toMap->forward({lon->number(f), lat->number(f)}));
    EXPECT_TRUE(near(pixel(counties, at), ramp[k])) << t.column("name_zh")->text(f) << " coverage " << share->number(f);
    ++checked;
  }
  EXPECT_EQ(checked, 5u) << "one feature a county on the day";
  EXPECT_GE(shownClasses.size(), 2u) << "the day should show more than one class";

  // With the hexagons on top: each hexagon's centre in the colour of its count's class.
  water_->visible = true;
  const std::vector<uint8_t> both = draw(false, "style_render_hexagons.png");
  auto fromFrame = Transformer::create(water_->hexes->bins.crs, kCrs, &err);
  ASSERT_TRUE(fromFrame) << err;
  const FeatureTable& h = water_->hexes->bins.table;
  size_t hexChecked = 0;
  for (size_t f = 0; f < h.featureCount(); ++f) {
    const Bounds b = h.geometry.featureBounds(f);
    const Vec2 at = view_.toPixel(fromFrame->forward({(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2}));
    if (at.x < 0 || at.y < 0 || at.x >= kW || at.y >= kH) continue;
    EXPECT_TRUE(near(pixel(both, at), water_->hexes->fill[f])) << "hexagon " << h.ids[f];
    ++hexChecked;
  }
  EXPECT_EQ(hexChecked, h.featureCount()) << "all hexagons are in view";

  // And once with labels, legend and scale bar, as a user would see it.
  draw(true, "style_render_labelled.png");
}

}  // namespace
}  // namespace bcmap
