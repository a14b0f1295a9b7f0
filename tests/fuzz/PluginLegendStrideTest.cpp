// The legend entries a plugin hands over, read by their stride (fuzz/plugin_style findings,
// kept as fuzz/corpus/plugin_style/regression-legend-*): an entry that claims a larger
// struct_size than the first entry's is read no further than the stride (the last one read
// past the plugin's array before), and a first struct_size no compiler lays out (not a
// multiple of the alignment) is refused rather than read misaligned.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "host/PluginServices.h"

namespace bcmap {
namespace {

// The legend the fake plugin returns: `sizes` entries laid out `stride` bytes apart in an
// allocation of exactly that many bytes.
struct FakeLegend {
  std::vector<uint32_t> sizes;
  size_t stride = sizeof(bcmap_legend_entry_v1);
  std::unique_ptr<char[]> bytes;
};

bcmap_status describe(void*, bcmap_layer_info_v1* info, char*, size_t) {
  info->geometry_kind = BCMAP_GEOM_POINT;
  return BCMAP_OK;
}
bcmap_status load(void*, const bcmap_loader_v1*, char*, size_t) { return BCMAP_OK; }
bcmap_status style(void*, bcmap_style_v1* s, char*, size_t) {
  s->fill = {200, 0, 0, 255};
  s->point_size_px = 4;
  s->opacity = 1;
  return BCMAP_OK;
}
bcmap_status legend(void* instance, const bcmap_legend_entry_v1** entries, uint32_t* count, char*, size_t) {
  FakeLegend& f = *static_cast<FakeLegend*>(instance);
  f.bytes.reset(new char[f.sizes.size() * f.stride]);
  for (size_t i = 0; i < f.sizes.size(); ++i) {
    bcmap_legend_entry_v1 e{};
    e.struct_size = f.sizes[i];
    e.label = "entry";
    e.geometry_kind = BCMAP_GEOM_POINT;
    e.size_px = 12;
    std::memcpy(f.bytes.get() + i * f.stride, &e, f.stride);
  }
  *entries = reinterpret_cast<const bcmap_legend_entry_v1*>(f.bytes.get());
  *count = static_cast<uint32_t>(f.sizes.size());
  return BCMAP_OK;
}

LoadOutput loadWith(FakeLegend& fake) {
  static bcmap_plugin_v1 vt = [] {
    bcmap_plugin_v1 v{};
    v.struct_size = sizeof v;
    v.abi_major = BCMAP_ABI_MAJOR;
    v.abi_minor = BCMAP_ABI_MINOR;
    v.describe = &describe;
    v.load = &load;
    v.style = &style;
    v.legend = &legend;
    return v;
  }();
  LoadInput in;
  in.layerId = "legend";
  in.vtable = &vt;
  in.instance = &fake;
  in.kind = GeometryKind::Point;
  in.pluginFile = "bcmap_legend.so";
  return runLoad(in, {});
}

TEST(PluginLegendStride, AnEntryClaimingMoreThanTheStrideIsReadOnlyToTheStride) {
  FakeLegend fake;
  fake.stride = abi10::kLegendEntry;  // a 1.0 plugin's 32-byte entries
  fake.sizes = {abi10::kLegendEntry, sizeof(bcmap_legend_entry_v1), sizeof(bcmap_legend_entry_v1)};
  const LoadOutput out = loadWith(fake);
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.legend.size(), 3u);
  for (const LegendEntry& e : out.legend) {
    EXPECT_EQ(e.label, "entry");
    EXPECT_EQ(e.sizePx, 0);  // size_px lies past a 1.0 stride: not read
  }
}

TEST(PluginLegendStride, EntriesOfTheCurrentSizeKeepTheirSizes) {
  FakeLegend fake;
  fake.sizes.assign(13, sizeof(bcmap_legend_entry_v1));
  const LoadOutput out = loadWith(fake);
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.legend.size(), 13u);
  EXPECT_EQ(out.legend.back().sizePx, 12);
}

TEST(PluginLegendStride, AStrideThatIsNoMultipleOfTheAlignmentIsRefused) {
  FakeLegend fake;
  fake.stride = 36;
  fake.sizes = {36, 36};
  const LoadOutput out = loadWith(fake);
  EXPECT_NE(out.error.find("plugin bcmap_legend.so: bcmap_legend_entry_v1.struct_size is 36, not a multiple of its alignment 8"),
            std::string::npos)
      << out.error;
}

}  // namespace
}  // namespace bcmap
