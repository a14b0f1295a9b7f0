// Every code point bcmap can put on screen — every string the loaded layers can show
// (names, attribute values, legends, tooltips, settings) here, the UI's own words (every
// literal in app/) in UiGlyphsTest — has a real glyph in the CJK face fontconfig picks, so
// nothing renders as "?" or a box.
#include <gtest/gtest.h>

#include <set>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "render/FontAtlas.h"

namespace bcmap {
namespace {

TEST(GlyphCoverageTest, EverythingShownHasAGlyph) {
  std::string err;
  std::optional<FontFace> face = FontAtlas::findCjkFont(&err);
  ASSERT_TRUE(face) << err;

  std::vector<std::string> texts{"示例数据 / sample data"};
  initGdal();
  initProj();
  PluginHost host;
  host.scan({BCMAP_PLUGIN_DIR});
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  store.loadAll();
  size_t loaded = 0;
  for (auto& l : store.layers()) {
    texts.push_back(l->nameZh);
    texts.push_back(l->nameEn);
    texts.push_back(l->attribution);
    for (const LegendEntry& e : l->legend) texts.push_back(e.label);
    for (const LayerSetting& s : l->settings) texts.push_back(s.label);
    if (l->status != LayerStatus::Loaded) continue;
    ++loaded;
    for (const AttributeColumn& c : l->table.columns) {
      texts.push_back(c.name);
      for (size_t r = 0; r < c.size(); ++r) texts.push_back(c.text(r));
    }
    for (size_t f = 0; f < l->table.featureCount(); ++f) texts.push_back(store.describeFeature(*l, f));
  }
  ASSERT_GT(loaded, 0u) << "no layer loaded: the data folder is missing?";

  std::vector<char32_t> cps;
  for (const std::string& t : texts) FontAtlas::appendCodepoints(t, &cps);
  std::set<char32_t> unique(cps.begin(), cps.end());
  FontAtlas atlas;
  ASSERT_TRUE(atlas.build(*face, 16.0f, std::vector<char32_t>(unique.begin(), unique.end()), &err)) << err;
  size_t cjk = 0;
  for (char32_t cp : unique) {
    if (cp < 0x20 || cp == U'\n') continue;
    EXPECT_TRUE(atlas.hasGlyph(cp)) << "no glyph for U+" << std::hex << static_cast<uint32_t>(cp);
    cjk += cp >= 0x4E00 && cp <= 0x9FFF;
  }
  std::printf("%zu strings, %zu distinct code points (%zu CJK), all covered by %s face %d\n", texts.size(),
              unique.size(), cjk, face->family.c_str(), face->faceIndex);
  EXPECT_GT(cjk, 30u);
}

}  // namespace
}  // namespace bcmap
