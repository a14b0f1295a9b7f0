// UiGlyphsTest: the UI font bakes ui_text::kSourceGlyphs, which tools/collect_ui_glyphs.py
// gathers at build time from app/. Here app/ is walked again, independently of the script
// and of CMake's file list: every non-ASCII character inside a string or character literal
// of any *.cpp/*.h, in any subfolder, must be in the baked set, or a panel's word would show
// as '?'; and the UI's face must have a glyph for each. The literals are found by a small
// C++ lexer (comments, raw strings, prefixes, digit separators), checked against the named
// strings of ui/UiText.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "render/FontAtlas.h"
#include "ui/UiGlyphs.h"
#include "ui/UiText.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The contents of every string and character literal of a C++ source, comments skipped.
std::vector<std::string> literalsOf(const std::string& src) {
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = src.size();
  // An ordinary literal from the opening quote at `i`; escapes are kept as written (an
  // escape spells ASCII, so the non-ASCII characters are the same).
  auto quoted = [&](char quote) {
    std::string s;
    for (++i; i < n && src[i] != quote; ++i) {
      if (src[i] == '\\' && i + 1 < n) s += src[i++];
      s += src[i];
    }
    ++i;
    out.push_back(s);
  };
  while (i < n) {
    const char c = src[i];
    if (c == '/' && i + 1 < n && src[i + 1] == '/') {
      i = src.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < n && src[i + 1] == '*') {
      i = src.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (c == '"' || c == '\'') {
      quoted(c);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      // A number, digit separators (1'000'000) and exponent signs included.
      for (++i; i < n; ++i) {
        const char d = src[i];
        const bool sign = (d == '+' || d == '-') && std::string_view("eEpP").find(src[i - 1]) != std::string_view::npos;
        if (!isIdentChar(d) && d != '.' && d != '\'' && !sign) break;
      }
    } else if (isIdentChar(c)) {
      const size_t start = i;
      while (i < n && isIdentChar(src[i])) ++i;
      const std::string_view word(src.data() + start, i - start);
      if (i < n && src[i] == '"' && !word.empty() && word.back() == 'R' &&
          (word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR")) {
        // R"delim( ... )delim"
        const size_t open = src.find('(', i);
        const std::string close = ")" + src.substr(i + 1, open - i - 1) + "\"";
        const size_t end = src.find(close, open);
        out.push_back(src.substr(open + 1, end - open - 1));
        i = end == std::string::npos ? n : end + close.size();
      }
      // u8"..", L'..' and the like: the quote is taken by the next turn of the loop.
    } else {
      ++i;
    }
  }
  return out;
}

struct Scan {
  std::map<char32_t, std::set<std::string>> literalChars;  // code point -> files (relative)
  std::set<std::string> files;
  std::map<std::string, std::vector<std::string>> literals;  // file -> its literals
};

const Scan& scanApp() {
  static const Scan scan = [] {
    Scan s;
    const fs::path app = fs::path(BCMAP_SOURCE_DIR) / "app";
    for (const auto& e : fs::recursive_directory_iterator(app)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      const std::string rel = fs::relative(e.path(), BCMAP_SOURCE_DIR).generic_string();
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      s.files.insert(rel);
      s.literals[rel] = literalsOf(text.str());
      for (const std::string& lit : s.literals[rel])
        for (char32_t cp : FontAtlas::decodeUtf8(lit))
          if (cp > 0x7F) s.literalChars[cp].insert(rel);
    }
    return s;
  }();
  return scan;
}

std::set<char32_t> bakedGlyphs() {
  const std::string_view baked(reinterpret_cast<const char*>(ui_text::kSourceGlyphs));
  const std::u32string cps = FontAtlas::decodeUtf8(baked);
  return {cps.begin(), cps.end()};
}

std::string describe(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

TEST(UiGlyphsTest, TheLexerFindsTheNamedStringsAndSkipsComments) {
  const std::vector<std::string> lits = literalsOf(
      "// 注释 not a literal\n/* 块注释 */ const char* a = \"白城\"; char32_t b = U'洮';\n"
      "int n = 1'000'000; auto r = R\"x(原\"始)x\"; auto e = \"\\\"转义\\\"\"; const char* d = u8\"县\";\n");
  EXPECT_EQ(lits, (std::vector<std::string>{"白城", "洮", "原\"始", "\\\"转义\\\"", "县"}));

  // Every named UI string is one of UiText.h's literals.
  const auto& found = scanApp().literals.at("app/ui/UiText.h");
  for (const char* s : {ui_text::kWindowTitle, ui_text::kLayersTitle, ui_text::kReloadFailed, ui_text::kTimeSpeed})
    EXPECT_NE(std::find(found.begin(), found.end(), std::string(s)), found.end()) << s;
}

TEST(UiGlyphsTest, EveryNonAsciiCharacterInALiteralIsBaked) {
  const Scan& scan = scanApp();
  const std::set<char32_t> baked = bakedGlyphs();
  ASSERT_GT(scan.files.size(), 50u) << "app/ was not walked";
  size_t cjk = 0;
  for (const auto& [cp, files] : scan.literalChars) {
    cjk += cp >= 0x4E00 && cp <= 0x9FFF;
    // ImGui's ImWchar is 16-bit: the collector keeps the BMP only, so a character beyond it
    // cannot be shown and is reported here too.
    EXPECT_TRUE(baked.count(cp)) << describe(cp) << " in a literal of " << *files.begin() << " (and "
                                 << files.size() - 1 << " other files) is not in ui_text::kSourceGlyphs";
  }
  EXPECT_GT(cjk, 100u) << "too few CJK characters found: is the lexer skipping literals?";
}

TEST(UiGlyphsTest, APanelInASubSubfolderIsCovered) {
  const Scan& scan = scanApp();
  const std::set<char32_t> baked = bakedGlyphs();
  // Characters whose only literal is in app/ui/panels/: baked only if the collector
  // reached that folder.
  size_t panelFiles = 0, panelOnly = 0;
  for (const std::string& f : scan.files) panelFiles += f.starts_with("app/ui/panels/");
  ASSERT_GT(panelFiles, 10u) << "app/ui/panels/ was not walked";
  for (const auto& [cp, files] : scan.literalChars) {
    const bool onlyPanels = std::all_of(files.begin(), files.end(), [](const std::string& f) {
      return f.starts_with("app/ui/panels/");
    });
    if (!onlyPanels) continue;
    ++panelOnly;
    EXPECT_TRUE(baked.count(cp)) << describe(cp) << " of " << *files.begin() << " is not baked";
  }
  EXPECT_GT(panelOnly, 0u) << "no character is written only in a panel: this test proves nothing now";
}

// The face the UI font uses has a real glyph for each of them (GlyphCoverageTest does the
// same for the text of the loaded layers).
TEST(UiGlyphsTest, EveryNonAsciiCharacterInALiteralHasAGlyph) {
  std::string err;
  const std::optional<FontFace> face = FontAtlas::findCjkFont(&err);
  ASSERT_TRUE(face) << err;
  std::vector<char32_t> cps;
  for (const auto& [cp, files] : scanApp().literalChars) cps.push_back(cp);
  FontAtlas atlas;
  ASSERT_TRUE(atlas.build(*face, 16.0f, cps, &err)) << err;
  for (const auto& [cp, files] : scanApp().literalChars)
    EXPECT_TRUE(atlas.hasGlyph(cp)) << "no glyph for " << describe(cp) << " (in a literal of " << *files.begin()
                                    << ") in " << face->family;
}

}  // namespace
}  // namespace bcmap
