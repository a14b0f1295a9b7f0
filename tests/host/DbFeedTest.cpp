// DbFeedTest: a database layer's fetched rows installed in the layer (host/DbFeed.h) keep
// what the user set — visibility, opacity, a user style, the colour setting — and a
// database layer is never handed to its plugin's loader (which would read the table whole).
#include "host/DbFeed.h"

#include <gtest/gtest.h>

#include "host/LayerLoader.h"
#include "host/LayerStore.h"

namespace bcmap {
namespace {

FeatureTable pointsTable(size_t n) {
  FeatureTable t;
  t.geometry.kind = GeometryKind::Point;
  AttributeColumn c;
  c.name = "n";
  c.type = FieldType::Integer;
  for (size_t i = 0; i < n; ++i) {
    t.geometry.xy.push_back({122.0 + 0.01 * static_cast<double>(i), 45.0});
    t.geometry.ringVertices.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.partRings.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.featureParts.push_back(static_cast<uint32_t>(i + 1));
    c.ints.push_back(static_cast<int64_t>(i));
    c.isNull.push_back(0);
  }
  t.columns.push_back(std::move(c));
  return t;
}

Layer dbLayer() {
  Layer l;
  l.id = "file:public.pts";
  l.nameZh = l.nameEn = "public.pts";
  l.isFileLayer = true;
  l.dbFeed = true;
  l.settings.push_back(LayerSetting{"path", "File", BCMAP_SETTING_TEXT, "postgresql://h/db?table=public.pts", "", 0, 0, {}, false});
  l.settings.push_back(LayerSetting{"color", "Colour", BCMAP_SETTING_COLOR, "#08519c", "", 0, 0, {}, false});
  l.settings.push_back(LayerSetting{"point_size", "Size", BCMAP_SETTING_FLOAT, "5", "", 0, 0, {}, false});
  return l;
}

TEST(DbFeedTest, FetchedRowsKeepWhatTheUserSet) {
  Layer l = dbLayer();
  installDbTable(l, pointsTable(3), GeometryKind::Point, "EPSG:4326");
  ASSERT_EQ(l.status, LayerStatus::Loaded);
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.fill.size(), 3u);
  EXPECT_EQ(l.sourceCrs, "EPSG:4326");
  // The colour setting is the layer's colour (as the vector_file plugin gives it).
  EXPECT_EQ(l.fill[0].r, 0x08);
  EXPECT_EQ(l.fill[0].b, 0x9c);
  EXPECT_FLOAT_EQ(l.pointSizePx[0], 5.0f);

  // The user hides it, sets its opacity, styles it by a field; the next view's rows arrive.
  l.visible = false;
  l.opacity = 0.4f;
  l.opacitySet = true;
  StyleSpec spec;
  spec.kind = StyleKind::Graduated;
  spec.field = "n";
  spec.classes = 3;
  l.userStyle = spec;
  const uint64_t generation = l.generation;
  installDbTable(l, pointsTable(7), GeometryKind::Point, "EPSG:4326");
  EXPECT_EQ(l.table.featureCount(), 7u);
  EXPECT_GT(l.generation, generation);  // prepared again
  EXPECT_FALSE(l.visible);
  EXPECT_FLOAT_EQ(l.opacity, 0.4f);
  ASSERT_TRUE(l.userStyle.has_value());
  EXPECT_EQ(l.userStyleError, "");
  EXPECT_EQ(l.style.kind, StyleKind::Graduated);  // the user's style applied to the new rows
  EXPECT_EQ(l.fill.size(), 7u);
}

TEST(DbFeedTest, ADatabaseLayerIsNeverHandedToItsPluginsLoader) {
  LayerStore store(".");
  // addFileLayer needs the vector_file plugin; a layer marked as the store marks a
  // database source's stands in for it.
  Layer& l = *store.layers().emplace_back(std::make_unique<Layer>(dbLayer()));
  // A vtable and an instance that must not be called: loadAsync returns before any thread
  // could use them.
  static const bcmap_plugin_v1 untouchable{};
  l.vtable = &untouchable;
  l.instance = &l;
  store.loadAsync(l);
  EXPECT_FALSE(l.busy());
  EXPECT_EQ(l.status, LayerStatus::Loading);
  EXPECT_TRUE(l.dbRestyle);  // the feed styles its rows again instead
  EXPECT_FALSE(store.loading());
  l.vtable = nullptr;
  l.instance = nullptr;
}

}  // namespace
}  // namespace bcmap
