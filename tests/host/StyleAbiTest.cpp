// The style struct across ABI minors: the 1.2 label fields lie past a 1.1 struct_size, a
// 1.1 plugin's style reads them as 0, a 1.2 plugin's reach LayerStyle through the wrapper,
// and the wrapper writes no byte past an older host's struct.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>

#include <bcmap/bcmap_plugin.hpp>
#include "style/Style.h"

namespace bcmap {
namespace {

// sizeof(bcmap_style_v1) as ABI 1.1 compiled it: its last field, rounded up to the
// struct's alignment (its pointers').
constexpr size_t kStyleSize11 =
    (offsetof(bcmap_style_v1, line_end_marker_px) + sizeof(float) + alignof(bcmap_style_v1) - 1) /
    alignof(bcmap_style_v1) * alignof(bcmap_style_v1);

TEST(StyleAbiTest, LabelFieldsLiePastTheOlderStruct) {
  // A field inside the 1.1 tail padding would be "covered" by a 1.1 plugin's struct_size
  // and read as whatever that padding held.
  EXPECT_GE(offsetof(bcmap_style_v1, label_max_scale), kStyleSize11);
  EXPECT_GE(offsetof(bcmap_style_v1, label_priority), kStyleSize11);
  EXPECT_EQ(BCMAP_ABI_MAJOR, 1u);
  EXPECT_GE(BCMAP_ABI_MINOR, 2u);
}

bcmap_style_v1 labelledStyle() {
  bcmap_style_v1 s = sdk::singleStyle(sdk::rgba(1, 2, 3), sdk::rgba(4, 5, 6));
  sdk::setLabels(s, "name_zh", "name_en", 50, 700000);
  return s;
}

TEST(StyleAbiTest, OlderPluginReadsAsZero) {
  // What a 1.1 plugin leaves: its struct_size, and bytes beyond it the host must ignore.
  bcmap_style_v1 s = labelledStyle();
  s.struct_size = uint32_t(kStyleSize11);
  LayerStyle out;
  std::string err;
  ASSERT_TRUE(copyStyle(s, out, &err)) << err;
  EXPECT_EQ(out.labelField, "name_zh");
  EXPECT_EQ(out.labelPriority, 0);
  EXPECT_EQ(out.labelMaxScale, 0.0);
}

TEST(StyleAbiTest, CurrentPluginCarriesPriorityAndScale) {
  LayerStyle out;
  std::string err;
  ASSERT_TRUE(copyStyle(labelledStyle(), out, &err)) << err;
  EXPECT_EQ(out.labelField, "name_zh");
  EXPECT_EQ(out.labelSecondaryField, "name_en");
  EXPECT_EQ(out.labelPriority, 50);
  EXPECT_EQ(out.labelMaxScale, 700000.0);
}

TEST(StyleAbiTest, BadMaxScaleIsRefused) {
  for (double bad : {-1.0, std::nan(""), HUGE_VAL}) {
    bcmap_style_v1 s = labelledStyle();
    s.label_max_scale = bad;
    LayerStyle out;
    std::string err;
    EXPECT_FALSE(copyStyle(s, out, &err)) << bad;
    EXPECT_NE(err.find("label max scale"), std::string::npos) << err;
  }
}

class LabelledLayer : public sdk::Layer {
 public:
  sdk::Info info() override { return {}; }
  void load(const sdk::Loader&) override {}
  bcmap_style_v1 style() override { return labelledStyle(); }
};

TEST(StyleAbiTest, WrapperFillsAsMuchAsTheHostHasRoomFor) {
  LabelledLayer layer;
  char err[64] = {0};
  // A 1.2 host, as LayerStore asks: the whole struct comes back.
  bcmap_style_v1 full{};
  full.struct_size = sizeof full;
  ASSERT_EQ(sdk::Glue<LabelledLayer>::style(&layer, &full, err, sizeof err), BCMAP_OK) << err;
  EXPECT_EQ(full.struct_size, sizeof full);
  EXPECT_EQ(full.label_priority, 50);
  EXPECT_EQ(full.label_max_scale, 700000.0);
  // A 1.1 host: a buffer exactly its size (ASan reports a write past it), filled to the end.
  auto old = std::make_unique<unsigned char[]>(kStyleSize11);
  std::memset(old.get(), 0, kStyleSize11);
  const uint32_t size11 = uint32_t(kStyleSize11);
  std::memcpy(old.get(), &size11, sizeof size11);
  ASSERT_EQ(sdk::Glue<LabelledLayer>::style(&layer, reinterpret_cast<bcmap_style_v1*>(old.get()), err, sizeof err),
            BCMAP_OK)
      << err;
  float endMarker = -1;
  std::memcpy(&endMarker, old.get() + offsetof(bcmap_style_v1, line_end_marker_px), sizeof endMarker);
  EXPECT_EQ(endMarker, 0.0f);
  const char* field = nullptr;
  std::memcpy(&field, old.get() + offsetof(bcmap_style_v1, label_field), sizeof field);
  EXPECT_STREQ(field, "name_zh");
}

}  // namespace
}  // namespace bcmap
