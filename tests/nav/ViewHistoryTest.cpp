// ViewHistoryTest: back and forward through settled views.
#include <gtest/gtest.h>

#include "nav/ViewHistory.h"

namespace bcmap {
namespace {

ViewRecord at(double x, double y, double upp = 100, const char* crs = "EPSG:3857") { return {{x, y}, upp, crs}; }

TEST(ViewHistoryTest, BackAndForward) {
  ViewHistory h;
  EXPECT_FALSE(h.back());
  EXPECT_EQ(h.current(), nullptr);
  h.record(at(0, 0));
  h.record(at(10000, 0));
  h.record(at(20000, 0));
  EXPECT_EQ(h.size(), 3u);
  EXPECT_TRUE(h.canBack());
  EXPECT_FALSE(h.canForward());
  EXPECT_EQ(h.back()->center.x, 10000);
  EXPECT_EQ(h.back()->center.x, 0);
  EXPECT_FALSE(h.canBack());
  EXPECT_FALSE(h.back());
  EXPECT_EQ(h.currentIndex(), 0u);
  EXPECT_EQ(h.forward()->center.x, 10000);
  EXPECT_EQ(h.forward()->center.x, 20000);
  EXPECT_FALSE(h.forward());
}

TEST(ViewHistoryTest, SettlingOnTheViewBackLeadsToKeepsTheForwardSteps) {
  ViewHistory h;
  h.record(at(0, 0));
  h.record(at(10000, 0));
  ASSERT_TRUE(h.back());
  // The viewer shows the step and records it when it settles (a pixel off, after rounding).
  h.record(at(150, 0));  // 1.5 px at 100 units a pixel
  EXPECT_EQ(h.size(), 2u);
  EXPECT_TRUE(h.canForward());
  EXPECT_EQ(h.current()->center.x, 150);  // merged: the settled view replaces the step
  EXPECT_EQ(h.forward()->center.x, 10000);
}

TEST(ViewHistoryTest, ANewViewAfterBackDropsTheForwardSteps) {
  ViewHistory h;
  h.record(at(0, 0));
  h.record(at(10000, 0));
  h.record(at(20000, 0));
  h.back();
  h.back();
  h.record(at(0, 50000));
  EXPECT_EQ(h.size(), 2u);
  EXPECT_FALSE(h.canForward());
  EXPECT_EQ(h.back()->center.x, 0);
}

TEST(ViewHistoryTest, NearIdenticalViewsMerge) {
  ViewHistory h;
  h.record(at(0, 0, 100));
  h.record(at(300, 200, 100));      // 3.6 px: the same
  h.record(at(300, 200, 100.5));    // 0.5 % zoom: the same
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.current()->unitsPerPixel, 100.5);
  h.record(at(300, 200, 103));      // 2.5 % zoom: a step
  EXPECT_EQ(h.size(), 2u);
  h.record(at(800, 200, 103));      // 4.9 px: a step
  EXPECT_EQ(h.size(), 3u);
  h.record(at(800, 200, 103, "EPSG:32651"));  // another CRS: a step, whatever the numbers
  EXPECT_EQ(h.size(), 4u);
  EXPECT_TRUE(sameView(at(0, 0, 10), at(39, 0, 10)));
  EXPECT_FALSE(sameView(at(0, 0, 10), at(41, 0, 10)));
  EXPECT_FALSE(sameView(at(0, 0, 0), at(0, 0, 0)));  // not a view
}

TEST(ViewHistoryTest, KeepsTheLatestHundred) {
  ViewHistory h;
  for (int i = 0; i < 150; ++i) h.record(at(i * 10000.0, 0));
  EXPECT_EQ(h.size(), kViewHistoryCapacity);
  EXPECT_EQ(h.current()->center.x, 149 * 10000.0);
  int backs = 0;
  std::optional<ViewRecord> v;
  while (auto b = h.back()) {
    v = b;
    ++backs;
  }
  EXPECT_EQ(backs, 99);
  EXPECT_EQ(v->center.x, 50 * 10000.0);  // the 50 oldest went

  ViewHistory small(3);
  for (int i = 0; i < 5; ++i) small.record(at(i * 10000.0, 0));
  EXPECT_EQ(small.size(), 3u);
  EXPECT_EQ(small.back()->center.x, 30000);
  small.clear();
  EXPECT_EQ(small.size(), 0u);
  EXPECT_FALSE(small.canBack());
}

}  // namespace
}  // namespace bcmap
