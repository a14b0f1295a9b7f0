// FontAtlas without GL: font discovery, glyph coverage of Baicheng's names, UTF-8 decoding,
// measuring, growing the atlas, packing.
#include "render/FontAtlas.h"

#include <gtest/gtest.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace bcmap {
namespace {

// Strings the map shows: the city, its five county-level divisions, English forms and
// map furniture.
const std::vector<std::string> kMapStrings = {
    "洮北区", "洮南市", "大安市", "镇赉县", "通榆县", "白城市", "吉林省",
    "Taobei District", "Da'an City", "Taonan City", "Zhenlai County", "Tongyu County",
    "示例数据 / sample data", "1:250,000", "°", "45.62°N 122.84°E", "2016–2020", "5 km²"};

// Township-level names of Baicheng (towns, townships, ethnic townships and urban
// subdistricts), standing in for "every name the data can show" when sizing the atlas.
const std::vector<std::string> kTownshipNames = {
    "平台镇", "到保镇", "东风乡", "三合乡", "东胜乡", "金祥乡", "德顺蒙古族乡", "岭下镇",
    "青山镇", "林海镇", "洮河镇", "平安镇", "海明街道", "长庆街道", "明仁街道", "铁东街道",
    "瑞光街道", "新华街道", "城南街道", "新立街道", "幸福街道", "团结街道", "兴隆街道",
    "光明街道", "富文街道", "永康街道", "车力蒙古族乡", "蛟流河乡", "二龙乡",
    "呼和车力蒙古族乡", "万宝镇", "那金镇", "黑水镇", "福顺镇", "瓦房镇", "聚宝乡",
    "东升乡", "安定镇", "大通乡", "野马乡", "胡力吐蒙古族乡", "慧阳街道", "临江街道",
    "锦华街道", "长虹街道", "安广镇", "月亮泡镇", "两家子镇", "丰收镇", "新平安镇",
    "四棵树乡", "大岗子镇", "太山镇", "叉干镇", "舍力镇", "龙沼镇", "红岗子乡", "来福乡",
    "海坨乡", "烧锅镇乡", "新艾里蒙古族乡", "联合乡", "镇赉镇", "坦途镇", "东屏镇",
    "大屯镇", "沿江镇", "五棵树镇", "黑鱼泡镇", "嘎什根乡", "哈吐气蒙古族乡",
    "莫莫格蒙古族乡", "建平乡", "开通镇", "瞻榆镇", "双岗镇", "兴隆山镇", "边昭镇",
    "鸿兴镇", "新华镇", "乌兰花镇", "陆家乡", "新兴乡", "向海蒙古族乡",
    "包拉温都蒙古族乡", "团结乡", "什花道乡", "八面乡", "苏公坨乡", "查干浩特旅游经济开发区",
    "镇赉经济开发区", "白城经济开发区", "洮儿河", "嫩江", "霍林河", "向海国家级自然保护区",
    "莫莫格国家级自然保护区", "查干湖"};

const FontFace& regularFace() {
  static const FontFace face = [] {
    std::string err;
    auto f = FontAtlas::findCjkFont(&err);
    if (!f) ADD_FAILURE() << "no CJK font (fonts-noto-cjk is a build dependency): " << err;
    return f.value_or(FontFace{});
  }();
  return face;
}

std::vector<char32_t> codepointsOf(const std::vector<std::string>& strings) {
  std::vector<char32_t> cps = FontAtlas::baseCodepoints();
  for (const std::string& s : strings) FontAtlas::appendCodepoints(s, &cps);
  return cps;
}

int faceCountOf(const std::string& path) {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return 0;
  FT_Face face = nullptr;
  int n = 0;
  if (FT_New_Face(lib, path.c_str(), -1, &face) == 0) {  // index -1: just count faces
    n = static_cast<int>(face->num_faces);
    FT_Done_Face(face);
  }
  FT_Done_FreeType(lib);
  return n;
}

// Sum of coverage in the glyph's atlas rectangle, and the bitmap's bytes.
std::vector<uint8_t> bitmapOf(const FontAtlas& atlas, const Glyph& g) {
  std::vector<uint8_t> out;
  for (int y = 0; y < g.heightPx; ++y)
    for (int x = 0; x < g.widthPx; ++x)
      out.push_back(atlas.pixels()[static_cast<size_t>(g.atlasY + y) * atlas.width() + g.atlasX + x]);
  return out;
}

int inkedPixels(const std::vector<uint8_t>& bitmap) {
  return static_cast<int>(std::count_if(bitmap.begin(), bitmap.end(), [](uint8_t v) { return v >= 128; }));
}

TEST(FontAtlasTest, FindsSimplifiedChineseFace) {
  const FontFace& face = regularFace();
  ASSERT_FALSE(face.path.empty());
  EXPECT_FALSE(face.family.empty());
  std::printf("regular: %s index %d  family '%s' style '%s'\n", face.path.c_str(), face.faceIndex,
              face.family.c_str(), face.style.c_str());
  // In a pan-CJK collection the JP, KR, TC and HK faces share the code points but draw
  // some characters differently; only the SC face has mainland forms.
  if (faceCountOf(face.path) > 1) {
    EXPECT_NE(face.family.find(" SC"), std::string::npos) << face.family;
  }
  EXPECT_EQ(face.family.find("Mono"), std::string::npos) << "a proportional face is expected";

  std::string err;
  auto bold = FontAtlas::findCjkFont(&err, FontWeight::Bold);
  if (face.family.rfind("Noto Sans CJK", 0) == 0) {
    // fonts-noto-cjk ships NotoSansCJK-Bold.ttc beside the regular collection.
    ASSERT_TRUE(bold.has_value()) << err;
    EXPECT_NE(bold->family.find(" SC"), std::string::npos) << bold->family;
    EXPECT_EQ(bold->style, "Bold");
    EXPECT_NE(bold->path, face.path);
    std::printf("bold:    %s index %d  family '%s' style '%s'\n", bold->path.c_str(),
                bold->faceIndex, bold->family.c_str(), bold->style.c_str());
  }
}

TEST(FontAtlasTest, EveryMapCharacterHasARealGlyph) {
  FontAtlas atlas;
  std::string err;
  const std::vector<char32_t> cps = codepointsOf(kMapStrings);
  ASSERT_TRUE(atlas.build(regularFace(), 20.0f, cps, &err)) << err;
  ASSERT_FALSE(atlas.empty());
  const Glyph* replacement = atlas.replacementGlyph();
  ASSERT_NE(replacement, nullptr);
  const std::vector<uint8_t> replacementBitmap = bitmapOf(atlas, *replacement);

  for (const std::string& s : kMapStrings) {
    const std::u32string text = FontAtlas::decodeUtf8(s);
    EXPECT_TRUE(atlas.missing(text).empty()) << s;
    for (char32_t cp : text) {
      SCOPED_TRACE(s + " U+" + std::to_string(static_cast<unsigned>(cp)));
      EXPECT_TRUE(atlas.hasGlyph(cp));
      const Glyph* g = atlas.glyph(cp);
      ASSERT_NE(g, nullptr);
      EXPECT_GT(g->advancePx, 0.0f);
      if (cp == U' ') continue;
      ASSERT_GT(g->widthPx, 0);
      ASSERT_GT(g->heightPx, 0);
      const std::vector<uint8_t> bitmap = bitmapOf(atlas, *g);
      EXPECT_GT(inkedPixels(bitmap), 0);
      EXPECT_NE(bitmap, replacementBitmap);
    }
  }
}

TEST(FontAtlasTest, RareBaichengCharactersAreDistinctRealGlyphs) {
  FontAtlas atlas;
  std::string err;
  // 洮 (Taobei, Taonan), 赉 (Zhenlai), 榆 (Tongyu), 镇 (towns).
  const std::u32string tricky = U"洮赉榆镇";
  ASSERT_TRUE(atlas.build(regularFace(), 24.0f, {tricky.begin(), tricky.end()}, &err)) << err;
  std::vector<std::vector<uint8_t>> bitmaps;
  for (char32_t cp : tricky) {
    ASSERT_TRUE(atlas.hasGlyph(cp));
    const Glyph* g = atlas.glyph(cp);
    ASSERT_NE(g, nullptr);
    // A CJK ideograph at 24 px fills most of a ~20 x 20 box; a tofu box or a "?" would be
    // far emptier or the same for all four. 60 solid pixels is well under any of them.
    EXPECT_GE(g->widthPx, 16);
    EXPECT_GE(g->heightPx, 16);
    const std::vector<uint8_t> b = bitmapOf(atlas, *g);
    EXPECT_GE(inkedPixels(b), 60);
    for (const auto& other : bitmaps) EXPECT_NE(b, other);
    bitmaps.push_back(b);
  }
  EXPECT_NE(bitmaps[0], bitmapOf(atlas, *atlas.replacementGlyph()));
}

TEST(FontAtlasTest, UnavailableCodepointsAreReportedNotFaked) {
  FontAtlas atlas;
  std::string err;
  ASSERT_TRUE(atlas.build(regularFace(), 16.0f, FontAtlas::baseCodepoints(), &err)) << err;
  const char32_t privateUse = 0xE000;  // no CJK font maps the Private Use Area
  EXPECT_FALSE(atlas.hasGlyph(privateUse));
  const uint64_t gen = atlas.generation();
  ASSERT_TRUE(atlas.addCodepoints({privateUse}, &err)) << err;
  EXPECT_EQ(atlas.glyph(privateUse), nullptr);
  EXPECT_EQ(atlas.generation(), gen) << "nothing new to draw: no rebuild";
  EXPECT_EQ(atlas.missing(U"a\uE000b"), std::vector<char32_t>{privateUse});
  // It measures like the replacement (.notdef box), so layout leaves a visible mark.
  EXPECT_FLOAT_EQ(atlas.measure(std::u32string_view(U"\uE000")).widthPx,
                  atlas.replacementGlyph()->advancePx);
}

TEST(FontAtlasTest, DecodeUtf8) {
  EXPECT_EQ(FontAtlas::decodeUtf8("白城 Baicheng"), U"白城 Baicheng");
  EXPECT_EQ(FontAtlas::decodeUtf8(""), U"");
  EXPECT_EQ(FontAtlas::decodeUtf8("\xF0\x9F\x97\xBA"), U"\U0001F5FA");  // 4-byte
  const char32_t r = 0xFFFD;
  // Truncated at the end: one replacement for the incomplete sequence.
  EXPECT_EQ(FontAtlas::decodeUtf8("洮\xE5\x8C"), (std::u32string{U'洮', r}));
  // Truncated in the middle: the next character survives.
  EXPECT_EQ(FontAtlas::decodeUtf8("\xE5\x8C" "a"), (std::u32string{r, U'a'}));
  // Lone continuation and bytes that never appear in UTF-8.
  EXPECT_EQ(FontAtlas::decodeUtf8("a\x80" "b\xFF" "c\xC0"), (std::u32string{U'a', r, U'b', r, U'c', r}));
  // Overlong "/" and an encoded surrogate: one replacement per byte (Unicode 3.9, U+FFFD
  // substitution of maximal subparts).
  EXPECT_EQ(FontAtlas::decodeUtf8("\xC0\xAF"), (std::u32string{r, r}));
  EXPECT_EQ(FontAtlas::decodeUtf8("\xED\xA0\x80"), (std::u32string{r, r, r}));
  // Above U+10FFFF.
  EXPECT_EQ(FontAtlas::decodeUtf8("\xF4\x90\x80\x80"), (std::u32string{r, r, r, r}));
  // A valid prefix cut by a bad byte: one replacement for the prefix, then the byte again.
  EXPECT_EQ(FontAtlas::decodeUtf8("\xE6\xB4" "\xE6\xB4\xAE"), (std::u32string{r, U'洮'}));
  // Every byte value alone and in pairs: no crash, every output a valid scalar value.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; b += 17) {
      const char bytes[2] = {static_cast<char>(a), static_cast<char>(b)};
      for (char32_t cp : FontAtlas::decodeUtf8(std::string_view(bytes, 2))) {
        EXPECT_LE(cp, 0x10FFFFu);
        EXPECT_FALSE(cp >= 0xD800 && cp <= 0xDFFF);
      }
    }
  const std::u32string text = U"镇赉县 Zhenlai °²—\U0001F5FA";
  EXPECT_EQ(FontAtlas::decodeUtf8(FontAtlas::encodeUtf8(text)), text);
}

TEST(FontAtlasTest, MeasureGrowsWithText) {
  FontAtlas atlas;
  std::string err;
  ASSERT_TRUE(atlas.build(regularFace(), 20.0f, codepointsOf(kMapStrings), &err)) << err;
  const TextMetrics one = atlas.measure("洮");
  const TextMetrics two = atlas.measure("洮北");
  const TextMetrics three = atlas.measure("洮北区");
  EXPECT_GT(one.widthPx, 0.0f);
  EXPECT_GT(two.widthPx, one.widthPx);
  EXPECT_GT(three.widthPx, two.widthPx);
  // CJK ideographs are one em wide (Noto Sans CJK: 1000 of 1000 units).
  EXPECT_NEAR(three.widthPx, 3 * 20.0f, 1.5f);
  EXPECT_LT(atlas.measure("Taobei").widthPx, atlas.measure("Taobei District").widthPx);
  EXPECT_GT(three.ascentPx, 10.0f);
  EXPECT_GT(three.descentPx, 0.0f);
  EXPECT_EQ(three.ascentPx, atlas.measure("a").ascentPx) << "line metrics do not depend on text";
  // Ink lies inside the advance box and above/below the baseline as expected.
  ASSERT_FALSE(three.ink.empty());
  EXPECT_GE(three.ink.minX, 0.0);
  EXPECT_LE(three.ink.maxX, three.widthPx + 1);
  EXPECT_LT(three.ink.minY, -10.0) << "ideographs rise well above the baseline";
  EXPECT_TRUE(atlas.measure("   ").ink.empty());
  EXPECT_GT(atlas.measure("   ").widthPx, 0.0f);
  // Not in the atlas yet: measured from the outline, same advance as once it is built.
  const TextMetrics before = atlas.measure("查干湖");
  ASSERT_TRUE(atlas.addText("查干湖", &err)) << err;
  const TextMetrics after = atlas.measure("查干湖");
  EXPECT_FLOAT_EQ(before.widthPx, after.widthPx);
  EXPECT_NEAR(before.ink.minY, after.ink.minY, 1.0);
  EXPECT_NEAR(before.ink.maxX, after.ink.maxX, 1.0);
}

TEST(FontAtlasTest, GrowsWhenNewTextAppears) {
  FontAtlas atlas;
  std::string err;
  ASSERT_TRUE(atlas.build(regularFace(), 16.0f, codepointsOf(kMapStrings), &err)) << err;
  const uint64_t gen = atlas.generation();
  const size_t count = atlas.glyphCount();
  const std::u32string village = U"鸿兴镇";
  EXPECT_EQ(atlas.missing(village).size(), 2u);  // 鸿 兴 are new, 镇 is in 镇赉县
  ASSERT_TRUE(atlas.addText("鸿兴镇", &err)) << err;
  EXPECT_GT(atlas.generation(), gen);
  EXPECT_EQ(atlas.glyphCount(), count + 2);
  EXPECT_TRUE(atlas.missing(village).empty());
  const uint64_t gen2 = atlas.generation();
  ASSERT_TRUE(atlas.addText("洮北区 鸿兴镇", &err)) << err;
  EXPECT_EQ(atlas.generation(), gen2) << "nothing new: no rebuild";
}

// A frame's labels come as one text: new code points among known ones, repeated, with
// line breaks between them, are added once each in one rebuild.
TEST(FontAtlasTest, OneTextOfManyLabelsAddsEachNewCharacterOnce) {
  FontAtlas atlas;
  std::string err;
  ASSERT_TRUE(atlas.build(regularFace(), 16.0f, codepointsOf(kMapStrings), &err)) << err;
  const uint64_t gen = atlas.generation();
  const size_t count = atlas.glyphCount();
  ASSERT_TRUE(atlas.addText("鸿兴镇\n洮北区\n鸿兴村\t兴隆\n鸿", &err)) << err;  // 鸿 兴 村 隆 new
  EXPECT_EQ(atlas.generation(), gen + 1) << "one rebuild for the whole text";
  EXPECT_EQ(atlas.glyphCount(), count + 4);
  EXPECT_TRUE(atlas.missing(U"鸿兴村隆").empty());
  ASSERT_TRUE(atlas.addText("兴隆村\n鸿兴镇", &err)) << err;
  EXPECT_EQ(atlas.generation(), gen + 1) << "nothing new: no rebuild";
}

TEST(FontAtlasTest, PackedGlyphsDoNotOverlap) {
  FontAtlas atlas;
  std::string err;
  ASSERT_TRUE(atlas.build(regularFace(), 20.0f, codepointsOf(kTownshipNames), &err)) << err;
  std::vector<const Glyph*> glyphs;
  for (char32_t cp : codepointsOf(kTownshipNames))
    if (const Glyph* g = atlas.glyph(cp); g && g->widthPx > 0) glyphs.push_back(g);
  ASSERT_GT(glyphs.size(), 200u);
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const Glyph& a = *glyphs[i];
    ASSERT_GE(a.atlasX, 1);
    ASSERT_GE(a.atlasY, 1);
    ASSERT_LE(a.atlasX + a.widthPx, atlas.width() - 1);
    ASSERT_LE(a.atlasY + a.heightPx, atlas.height() - 1);
    EXPECT_FLOAT_EQ(a.u0 * atlas.width(), static_cast<float>(a.atlasX));
    EXPECT_FLOAT_EQ(a.v1 * atlas.height(), static_cast<float>(a.atlasY + a.heightPx));
    for (size_t j = i + 1; j < glyphs.size(); ++j) {
      const Glyph& b = *glyphs[j];
      // One empty texel between bitmaps at least: bilinear filtering reads one beyond.
      const bool apart = a.atlasX + a.widthPx + 1 <= b.atlasX || b.atlasX + b.widthPx + 1 <= a.atlasX ||
                         a.atlasY + a.heightPx + 1 <= b.atlasY || b.atlasY + b.heightPx + 1 <= a.atlasY;
      ASSERT_TRUE(apart) << "U+" << std::hex << static_cast<unsigned>(a.codepoint) << " and U+"
                         << static_cast<unsigned>(b.codepoint);
    }
  }
}

TEST(FontAtlasTest, AtlasForAllNamesStaysSmall) {
  std::vector<std::string> all = kMapStrings;
  all.insert(all.end(), kTownshipNames.begin(), kTownshipNames.end());
  const std::vector<char32_t> cps = codepointsOf(all);
  size_t cjk = 0;
  for (char32_t cp : cps) cjk += cp >= 0x3400 ? 1 : 0;
  for (float size : {14.0f, 20.0f}) {
    FontAtlas atlas;
    std::string err;
    ASSERT_TRUE(atlas.build(regularFace(), size, cps, &err)) << err;
    std::printf("atlas %.0f px: %zu code points (%zu CJK), %zu glyphs, %d x %d = %d KiB\n", size,
                cps.size(), cjk, atlas.glyphCount(), atlas.width(), atlas.height(),
                atlas.width() * atlas.height() / 1024);
    // A few hundred glyphs at label sizes: 512 x 512 is plenty; 1024 would mean packing
    // went wrong or the glyph set is not the data's.
    EXPECT_LE(atlas.width(), 512);
    EXPECT_LE(atlas.height(), 512);
  }
}

TEST(FontAtlasTest, BuildFailsWithAMessage) {
  FontAtlas atlas;
  std::string err;
  EXPECT_FALSE(atlas.build(FontFace{"/nonexistent/font.ttc", 0, "", ""}, 16.0f, {U'a'}, &err));
  EXPECT_NE(err.find("/nonexistent/font.ttc"), std::string::npos) << err;
  EXPECT_TRUE(atlas.empty());
  EXPECT_EQ(atlas.glyph(U'a'), nullptr);
  EXPECT_FALSE(atlas.addText("a", &err));
  EXPECT_FALSE(atlas.build(regularFace(), 0.0f, {U'a'}, &err));
  EXPECT_FALSE(atlas.hasGlyph(U'a'));
  EXPECT_EQ(atlas.measure("abc").widthPx, 0.0f);
}

}  // namespace
}  // namespace bcmap
