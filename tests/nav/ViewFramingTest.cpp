// ViewFramingTest: a feature framed in the part of the map a floating window leaves free, a
// point at a readable scale.
#include <gtest/gtest.h>

#include <cmath>

#include "nav/ViewFraming.h"

namespace bcmap {
namespace {

// Web Mercator, near 通榆县 (122.8 E, 44.8 N).
const Vec2 kTongyuLonLat{122.8, 44.8};

View mapView() {
  View v;
  v.widthPx = 1280;
  v.heightPx = 775;
  v.unitsPerPixel = 200;
  return v;
}

double scaleOf(const View& v, const Transformer& toLonLat, double contentScale) {
  return scaleDenominator(groundMetresPerPixel(v, toLonLat) * contentScale);
}

TEST(ViewFramingTest, FreePartIsTheLargestStripBesideTheWindow) {
  const PxRect canvas{0, 20, 1280, 775};
  // A table in the middle-right: the strip left of it is the largest.
  const PxRect left = freePartOf(canvas, PxRect{700, 200, 1100, 600});
  EXPECT_DOUBLE_EQ(left.x0, 0);
  EXPECT_DOUBLE_EQ(left.x1, 700);
  EXPECT_DOUBLE_EQ(left.y0, 20);
  EXPECT_DOUBLE_EQ(left.y1, 775);
  // A wide table along the bottom: above it.
  const PxRect above = freePartOf(canvas, PxRect{100, 450, 1200, 760});
  EXPECT_DOUBLE_EQ(above.y1, 450);
  EXPECT_DOUBLE_EQ(above.x0, 0);
  EXPECT_DOUBLE_EQ(above.x1, 1280);
  // Off the canvas, or over all of it: the canvas.
  const PxRect off = freePartOf(canvas, PxRect{1300, 0, 1500, 100});
  EXPECT_DOUBLE_EQ(off.x1, 1280);
  EXPECT_DOUBLE_EQ(off.y0, 20);
  const PxRect all = freePartOf(canvas, PxRect{-10, 0, 1290, 790});
  EXPECT_DOUBLE_EQ(all.x1, 1280);
  EXPECT_DOUBLE_EQ(all.x0, 0);
}

TEST(ViewFramingTest, APointIsCentredInTheFreePartAtTheGivenScale) {
  std::string err;
  auto toMerc = Transformer::create(kLonLatCrs, "EPSG:3857", &err);
  auto toLonLat = Transformer::create("EPSG:3857", kLonLatCrs, &err);
  ASSERT_TRUE(toMerc && toLonLat) << err;
  const Vec2 p = toMerc->forward(kTongyuLonLat);
  const PxRect free{0, 20, 700, 775};
  for (double contentScale : {1.0, 2.0}) {
    const View v = frameInRect(mapView(), Bounds{p.x, p.y, p.x, p.y}, free, *toLonLat, kDefaultPointScale, contentScale);
    const Vec2 px = v.toPixel(p);
    EXPECT_NEAR(px.x, 350, 1e-6);
    EXPECT_NEAR(px.y, (20 + 775) / 2.0, 1e-6);
    // The scale measured at the view's centre, a few hundred pixels from the point: Web
    // Mercator's scale changes by well under 1 % over that.
    EXPECT_NEAR(scaleOf(v, *toLonLat, contentScale), kDefaultPointScale, kDefaultPointScale * 0.01);
  }
}

TEST(ViewFramingTest, ABoxFitsInsideTheFreePart) {
  std::string err;
  auto toMerc = Transformer::create(kLonLatCrs, "EPSG:3857", &err);
  auto toLonLat = Transformer::create("EPSG:3857", kLonLatCrs, &err);
  ASSERT_TRUE(toMerc && toLonLat) << err;
  // About 通榆县's extent.
  const Vec2 a = toMerc->forward({121.7, 44.2}), b = toMerc->forward({123.5, 45.3});
  const Bounds box{a.x, a.y, b.x, b.y};
  const PxRect free{0, 20, 700, 775};
  const View v = frameInRect(mapView(), box, free, *toLonLat, kDefaultPointScale, 1.0);
  const Vec2 lo = v.toPixel({box.minX, box.minY}), hi = v.toPixel({box.maxX, box.maxY});
  EXPECT_GE(lo.x, free.x0);
  EXPECT_LE(hi.x, free.x1);
  EXPECT_GE(hi.y, free.y0);  // y grows downward: the box's top is maxY
  EXPECT_LE(lo.y, free.y1);
  // Fitted, not shrunk to a stamp: it fills one of the free part's sides within the margin.
  EXPECT_NEAR(std::max((hi.x - lo.x) / free.width(), (lo.y - hi.y) / free.height()), 1 / 1.1, 1e-6);
  // A tiny box (a building) is not zoomed in beyond the point scale.
  const Bounds tiny{a.x, a.y, a.x + 10, a.y + 10};
  const View t = frameInRect(mapView(), tiny, free, *toLonLat, kDefaultPointScale, 1.0);
  EXPECT_NEAR(scaleOf(t, *toLonLat, 1.0), kDefaultPointScale, kDefaultPointScale * 0.01);
}

TEST(ViewFramingTest, NothingToFrameLeavesTheView) {
  std::string err;
  auto toLonLat = Transformer::create("EPSG:3857", kLonLatCrs, &err);
  ASSERT_TRUE(toLonLat) << err;
  const View v = frameInRect(mapView(), Bounds{}, PxRect{0, 0, 100, 100}, *toLonLat, kDefaultPointScale, 1.0);
  EXPECT_EQ(v.unitsPerPixel, 200);
  const View w = frameInRect(mapView(), Bounds{0, 0, 1, 1}, PxRect{}, *toLonLat, kDefaultPointScale, 1.0);
  EXPECT_EQ(w.unitsPerPixel, 200);
}

// Home at 900×600 put the south of 通榆县 under five lines of attribution: the fit now keeps
// the box above the band, centred there; with no band it is View::fit.
TEST(ViewFramingTest, FitBetweenBandsKeepsTheBoxClearOfTheSearchBoxAndTheAttribution) {
  View v;
  v.widthPx = 800;
  v.heightPx = 600;
  Bounds tall;  // taller than wide: its height decides the scale
  tall.add(0, 0);
  tall.add(100, 300);
  View plain = v;
  plain.fit(tall);
  const View none = fitBetweenBands(v, tall, 0, 0);
  EXPECT_DOUBLE_EQ(none.unitsPerPixel, plain.unitsPerPixel);
  EXPECT_DOUBLE_EQ(none.center.y, plain.center.y);

  const View banded = fitBetweenBands(v, tall, 0, 80);
  const Vec2 top = banded.toPixel({50, 300}), bottom = banded.toPixel({50, 0});
  EXPECT_GE(top.y, -0.5);
  EXPECT_LE(bottom.y, 600 - 80 + 0.5) << "the box's bottom lies above the band";
  EXPECT_NEAR((top.y + bottom.y) / 2, (600 - 80) / 2.0, 1.0) << "centred in the part above the band";
  EXPECT_GT(banded.unitsPerPixel, plain.unitsPerPixel);

  // A band of most of the view counts for a quarter of it at most.
  const View huge = fitBetweenBands(v, tall, 0, 500);
  EXPECT_NEAR(huge.toPixel({50, 0}).y, 450, 1.0);

  // A band at the top too (the search box): the box lies between both, centred there.
  const View both = fitBetweenBands(v, tall, 50, 80);
  const Vec2 t2 = both.toPixel({50, 300}), b2 = both.toPixel({50, 0});
  EXPECT_GE(t2.y, 50 - 0.5);
  EXPECT_LE(b2.y, 600 - 80 + 0.5);
  EXPECT_NEAR((t2.y + b2.y) / 2, 50 + (600 - 50 - 80) / 2.0, 1.0);
}

}  // namespace
}  // namespace bcmap
