// Issue 10: a graduated user style on 易地扶贫搬迁 Relocated villages (a line layer whose
// origins are discs sized by the people moved, START markers, and whose sites are squares,
// END markers) keeps every symbol: each feature drawn with a size > 0 in a colour that reads
// on the map's background, the markers, and the legend's discs, size legend and site.
#include <gtest/gtest.h>

#include <filesystem>

#include "host/LayerPrepare.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "style/ColorRamps.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

TEST(RelocatedStyleTest, GraduatedKeepsEveryDiscAndItsLegend) {
  initGdal();
  initProj();
  PluginHost host;
  host.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_relocated_villages.so");
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  Layer* l = store.find("relocated_villages");
  ASSERT_NE(l, nullptr);
  if (!fs::exists(std::string(BCMAP_GEODATA) + "/baicheng_relocation.geojson"))
    for (LayerSetting& s : l->settings)
      if (s.key == "path") s.value = std::string(BCMAP_SOURCE_DIR) + "/plugins/relocated_villages/test/fixture.geojson";
  store.load(*l);
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  const size_t n = l->table.featureCount();
  ASSERT_GT(n, 2u);
  const uint32_t markers = l->style.lineMarkers;
  ASSERT_EQ(markers, uint32_t(BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END));

  for (const char* field : {"households", "people", "year"}) {
    for (const char* ramp : {"YlGnBu", "YlOrRd", "Blues", "RdBu"}) {
      StyleSpec s;
      s.kind = StyleKind::Graduated;
      s.field = field;
      s.ramp = ramp;
      std::string err;
      ASSERT_TRUE(store.setUserStyle(*l, s, &err)) << err;
      const std::string what = std::string(field) + " on " + ramp;
      std::shared_ptr<const PreparedLayer> p = prepareLayer(*l, "EPSG:3857", &err);
      ASSERT_TRUE(p) << err;
      EXPECT_EQ(p->lineMarkers, markers) << what;
      ASSERT_EQ(p->pointSizePx.size(), n) << what;
      ASSERT_EQ(p->fill.size(), n) << what;
      for (size_t f = 0; f < n; ++f) {
        EXPECT_GT(p->pointSizePx[f], 0.0f) << what << ": feature " << f << "'s disc has no size";
        EXPECT_GT(p->fill[f].a, 0) << what << ": feature " << f << " is transparent";
        EXPECT_GE(okLabDistance(p->fill[f], kMapBackground), kMinMapContrast)
            << what << ": feature " << f << "'s disc fades into the background";
      }
      EXPECT_GT(p->stroke.a, 0) << what << ": the sites' squares are transparent";
      size_t discs = 0, sizes = 0;
      bool site = false;
      for (const LegendEntry& e : l->legend) {
        if (e.sizePx > 0) ++sizes;
        else if (e.kind == GeometryKind::Point && e.fill.r == l->style.stroke.r && e.fill.g == l->style.stroke.g &&
                 e.fill.b == l->style.stroke.b) site = true;
        else if (e.kind == GeometryKind::Point) ++discs;
      }
      EXPECT_GE(discs, 2u) << what << ": the legend shows the classes without the origin discs";
      EXPECT_EQ(sizes, 3u) << what << ": the size legend (100, 300, 600 people) is gone";
      EXPECT_TRUE(site) << what << ": the resettlement site's square left the legend";
    }
  }
}

}  // namespace
}  // namespace bcmap
