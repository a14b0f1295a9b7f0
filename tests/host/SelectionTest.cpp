// Selection: click, Shift-click, clear, and what happens to references when layers reload,
// fail or vanish.
#include <gtest/gtest.h>

#include <memory>

#include "host/LayerStore.h"
#include "host/Selection.h"

namespace bcmap {
namespace {

// A loaded point layer of `n` features at (0, 0), with ids when given.
Layer& addLayer(LayerStore& store, const std::string& id, size_t n, std::vector<std::string> ids = {}) {
  auto l = std::make_unique<Layer>();
  l->id = id;
  l->kind = GeometryKind::Point;
  l->sourceCrs = "EPSG:4326";
  l->status = LayerStatus::Loaded;
  GeometryColumn& g = l->table.geometry;
  g.kind = GeometryKind::Point;
  for (size_t i = 0; i < n; ++i) {
    g.xy.push_back({0, 0});
    g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
    g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
    g.featureParts.push_back(static_cast<uint32_t>(g.partCount()));
  }
  l->table.ids = std::move(ids);
  store.layers().push_back(std::move(l));
  return *store.layers().back();
}

using Refs = std::vector<FeatureRef>;

TEST(SelectionTest, ClickReplacesShiftClickToggles) {
  LayerStore store(".");
  Layer& a = addLayer(store, "a", 5);
  Layer& b = addLayer(store, "b", 3);
  Selection s;
  EXPECT_TRUE(s.empty());
  s.select(a, 2, SelectMode::Replace);
  EXPECT_EQ(s.refs(), (Refs{{"a", 2}}));
  s.select(b, 1, SelectMode::Replace);
  EXPECT_EQ(s.refs(), (Refs{{"b", 1}}));
  s.select(a, 4, SelectMode::Toggle);
  s.select(a, 0, SelectMode::Toggle);
  EXPECT_EQ(s.refs(), (Refs{{"b", 1}, {"a", 4}, {"a", 0}}));  // in the order picked
  EXPECT_EQ(s.featuresOf("a"), (std::vector<size_t>{0, 4}));   // ascending
  EXPECT_TRUE(s.contains("a", 4));
  EXPECT_FALSE(s.contains("b", 4));
  s.select(a, 4, SelectMode::Toggle);  // out again
  EXPECT_EQ(s.refs(), (Refs{{"b", 1}, {"a", 0}}));
  s.select(a, 0, SelectMode::Add);  // already in: stays, once
  EXPECT_EQ(s.size(), 2u);
  s.select(a, 5, SelectMode::Add);  // out of range: ignored
  EXPECT_EQ(s.size(), 2u);
  s.selectNothing(SelectMode::Toggle);  // Shift-click on empty map keeps it
  EXPECT_EQ(s.size(), 2u);
  s.selectNothing(SelectMode::Replace);  // a click on empty map clears
  EXPECT_TRUE(s.empty());
}

TEST(SelectionTest, VersionChangesOnlyWithTheSet) {
  LayerStore store(".");
  Layer& a = addLayer(store, "a", 3);
  Selection s;
  const uint64_t v0 = s.version();
  s.select(a, 1, SelectMode::Replace);
  const uint64_t v1 = s.version();
  EXPECT_NE(v1, v0);
  s.select(a, 1, SelectMode::Replace);  // the same: no change
  s.select(a, 1, SelectMode::Add);
  s.clear();
  const uint64_t v2 = s.version();
  EXPECT_NE(v2, v1);
  s.clear();
  EXPECT_EQ(s.version(), v2);
  EXPECT_FALSE(s.validate(store));
  EXPECT_EQ(s.version(), v2);
}

TEST(SelectionTest, ValidateDropsVanishedAndFailedLayers) {
  LayerStore store(".");
  Layer& a = addLayer(store, "a", 3);
  Layer& b = addLayer(store, "b", 3);
  Layer& c = addLayer(store, "c", 3);
  Selection s;
  s.select(a, 0, SelectMode::Add);
  s.select(b, 1, SelectMode::Add);
  s.select(c, 2, SelectMode::Add);
  EXPECT_FALSE(s.validate(store));  // nothing changed
  b.status = LayerStatus::Failed;
  store.layers().erase(store.layers().begin() + 2);  // c is gone
  EXPECT_TRUE(s.validate(store));
  EXPECT_EQ(s.refs(), (Refs{{"a", 0}}));
  EXPECT_FALSE(s.contains("c", 2));
}

TEST(SelectionTest, ReloadFindsFeaturesAgainByTheirIds) {
  LayerStore store(".");
  Layer& withIds = addLayer(store, "v", 3, {"x", "y", "z"});
  Layer& noIds = addLayer(store, "n", 3);
  Selection s;
  s.select(withIds, 1, SelectMode::Add);  // "y"
  s.select(withIds, 2, SelectMode::Add);  // "z"
  s.select(noIds, 0, SelectMode::Add);
  // A reload: "y" moved to index 0, "z" is gone; the layer without ids cannot say.
  withIds.table.ids = {"y", "x", "w"};
  ++withIds.generation;
  ++noIds.generation;
  const uint64_t version = s.version(), userVersion = s.userVersion();
  EXPECT_TRUE(s.validate(store));
  EXPECT_EQ(s.refs(), (Refs{{"v", 0}}));
  // The highlight redraws; the inspector does not take it for a pick of the user's.
  EXPECT_NE(s.version(), version);
  EXPECT_EQ(s.userVersion(), userVersion);
  s.select(withIds, 1, SelectMode::Add);
  EXPECT_NE(s.userVersion(), userVersion);
  s.remove(FeatureRef{"v", 1});
  // Settled: the next validate keeps it.
  EXPECT_FALSE(s.validate(store));
  EXPECT_EQ(s.refs(), (Refs{{"v", 0}}));
}

// A session's selection comes back through restore(): the highlight changes, the user's
// version (what opens the inspector) does not.
TEST(SelectionTest, RestoreIsNoPickOfTheUsers) {
  LayerStore store(".");
  Layer& l = addLayer(store, "counties", 5);
  Selection sel;
  const uint64_t version = sel.version(), user = sel.userVersion();
  sel.restore(l, 1);
  EXPECT_TRUE(sel.contains("counties", 1));
  EXPECT_NE(sel.version(), version);
  EXPECT_EQ(sel.userVersion(), user);
  sel.restore(l, 99);  // out of range: nothing
  EXPECT_EQ(sel.size(), 1u);
  sel.select(l, 2, SelectMode::Add);
  EXPECT_NE(sel.userVersion(), user);
}

}  // namespace
}  // namespace bcmap
