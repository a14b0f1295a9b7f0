// geodata/baicheng_pinyin.json (tools/gen_pinyin.py): known readings, every name of the
// data has an entry, and the three forms of every entry agree with each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json readJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// Code points of a UTF-8 string; all names here are CJK (3 bytes each) plus ASCII.
size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class PinyinDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::path(BCMAP_GEODATA) / "baicheng_pinyin.json";
    if (!fs::exists(path_)) GTEST_SKIP() << "pinyin not derived yet (tools/gen_pinyin.py)";
    doc_ = readJson(path_);
    ASSERT_TRUE(doc_.contains("names"));
    names_ = doc_["names"];
  }
  // Every value of `field` in a geodata file (when the file is there) must have an entry.
  void expectEntries(const char* file, const char* field, size_t expectedCount) {
    const fs::path p = fs::path(BCMAP_GEODATA) / file;
    ASSERT_TRUE(fs::exists(p)) << p;
    size_t seen = 0;
    const json doc = readJson(p);  // named: a temporary would die before the loop runs
    for (const json& f : doc["features"]) {
      const json& v = f["properties"][field];
      if (!v.is_string()) continue;
      ++seen;
      EXPECT_TRUE(names_.contains(v.get<std::string>())) << file << " " << field << " " << v;
    }
    EXPECT_EQ(seen, expectedCount) << file << " " << field;
  }
  fs::path path_;
  json doc_, names_;
};

TEST_F(PinyinDataTest, KnownReadings) {
  EXPECT_EQ(doc_["version"], 1);
  EXPECT_EQ(doc_["source"].get<std::string>().rfind("pinyin-pro@", 0), 0u) << doc_["source"];
  struct Known {
    const char* name;
    const char* full;
    const char* spaced;
    const char* initials;
  };
  // The counties, and names whose first character has another reading elsewhere
  // (长 chang/zhang, 朝 chao/zhao, 乐 le/yue): pinyin-pro reads them in their word.
  const Known known[] = {
      {"通榆县", "tongyuxian", "tong yu xian", "tyx"},   {"洮南市", "taonanshi", "tao nan shi", "tns"},
      {"大安市", "daanshi", "da an shi", "das"},         {"镇赉县", "zhenlaixian", "zhen lai xian", "zlx"},
      {"洮北区", "taobeiqu", "tao bei qu", "tbq"},       {"长春市", "changchunshi", "chang chun shi", "ccs"},
      {"延边朝鲜族自治州", "yanbianchaoxianzuzizhizhou", "yan bian chao xian zu zi zhi zhou", "ybcxzzzz"},
  };
  for (const Known& k : known) {
    ASSERT_TRUE(names_.contains(k.name)) << k.name;
    const json& e = names_[k.name];
    EXPECT_EQ(e["full"], k.full) << k.name;
    EXPECT_EQ(e["spaced"], k.spaced) << k.name;
    EXPECT_EQ(e["initials"], k.initials) << k.name;
  }
}

TEST_F(PinyinDataTest, EveryNameHasAnEntry) {
  expectEntries("baicheng_villages.geojson", "name_zh", 905);
  expectEntries("baicheng_villages.geojson", "township_zh", 905);
  expectEntries("baicheng_townships.geojson", "name_zh", 123);
  expectEntries("baicheng_counties.geojson", "name_zh", 5);
  expectEntries("baicheng_relocation.geojson", "village_zh", 31);
  expectEntries("baicheng_relocation.geojson", "site_zh", 31);
  expectEntries("jilin_context.geojson", "name_zh", 8);
}

TEST_F(PinyinDataTest, FormsAgree) {
  ASSERT_GT(names_.size(), 1000u);
  for (const auto& [name, e] : names_.items()) {
    const std::string full = e["full"], spaced = e["spaced"], initials = e["initials"];
    std::istringstream words(spaced);
    std::string word, joined, firsts;
    size_t count = 0;
    while (words >> word) {
      // (No <regex>: GCC 12 warns inside it under the sanitizers.)
      EXPECT_TRUE(std::all_of(word.begin(), word.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }))
          << name << ": " << spaced;
      joined += word;
      firsts += word[0];
      ++count;
    }
    EXPECT_EQ(full, joined) << name;
    EXPECT_EQ(initials, firsts) << name;
    // One syllable a character, but for the （） of the site names, which are dropped.
    const size_t brackets = name.find("（") != std::string::npos ? 2 : 0;
    EXPECT_EQ(count, codePoints(name) - brackets) << name << ": " << spaced;
  }
}

}  // namespace
