// plugin.json: read without running the plugin; every refusal names the file and the key.
#include <gtest/gtest.h>

#include <string>

#include <bcmap/bcmap_plugin.h>
#include "host/PluginMetadata.h"

namespace bcmap {
namespace {

const std::string kPath = "/p/bcmap_x/plugin.json";

std::string errorOf(const std::string& text) {
  std::string err;
  EXPECT_FALSE(parsePluginMetadata(text, kPath, &err).has_value()) << text;
  return err;
}

TEST(PluginMetadataTest, ReadsEveryKey) {
  std::string err;
  const auto m = parsePluginMetadata(R"({"id": "poverty_workshops", "name_zh": "扶贫车间", "name_en": "Workshops",
    "version": "1.2.0", "authors": ["王伟", "Li Na"], "description": "d", "homepage": "https://example.org",
    "license": "CC-BY-4.0", "min_abi": "1.3"})", kPath, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->path, kPath);
  EXPECT_EQ(m->id, "poverty_workshops");
  EXPECT_EQ(m->nameZh, "扶贫车间");
  EXPECT_EQ(m->nameEn, "Workshops");
  EXPECT_EQ(m->version, "1.2.0");
  EXPECT_EQ(m->authors, (std::vector<std::string>{"王伟", "Li Na"}));
  EXPECT_EQ(m->description, "d");
  EXPECT_EQ(m->homepage, "https://example.org");
  EXPECT_EQ(m->license, "CC-BY-4.0");
  EXPECT_EQ(m->minAbi, "1.3");
}

TEST(PluginMetadataTest, OnlyTheIdIsRequiredAndUnknownKeysAreIgnored) {
  std::string err;
  const auto m = parsePluginMetadata(R"({"id": "a_1", "future_key": {"x": [1, 2]}, "icon": 7})", kPath, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->id, "a_1");
  EXPECT_TRUE(m->nameZh.empty() && m->authors.empty() && m->minAbi.empty());
  // The object is kept as read (bcmap layers --json repeats it).
  EXPECT_NE(m->json.find("\"future_key\""), std::string::npos) << m->json;
}

TEST(PluginMetadataTest, NotJsonIsRefusedNamingTheFile) {
  const std::string e = errorOf("{\"id\": \"a\",");
  EXPECT_EQ(e.rfind(kPath + ": not JSON: ", 0), 0u) << e;
  EXPECT_EQ(errorOf("[\"id\"]"), kPath + ": not a JSON object");
}

TEST(PluginMetadataTest, BadIdIsRefusedNamingTheKey) {
  EXPECT_EQ(errorOf(R"({"name_en": "x"})"), kPath + ": \"id\" is missing (the layer id, [a-z0-9_]+)");
  EXPECT_EQ(errorOf(R"({"id": "Bad-Id"})"), kPath + ": \"id\" \"Bad-Id\" is not a layer id ([a-z0-9_]+)");
  EXPECT_EQ(errorOf(R"({"id": ""})"), kPath + ": \"id\" \"\" is not a layer id ([a-z0-9_]+)");
  EXPECT_EQ(errorOf(R"({"id": 7})"), kPath + ": \"id\" must be a string");
}

TEST(PluginMetadataTest, WrongTypesAreRefusedNamingTheKey) {
  EXPECT_EQ(errorOf(R"({"id": "a", "version": 2})"), kPath + ": \"version\" must be a string");
  EXPECT_EQ(errorOf(R"({"id": "a", "authors": "me"})"), kPath + ": \"authors\" must be an array of strings");
  EXPECT_EQ(errorOf(R"({"id": "a", "authors": ["me", 1]})"), kPath + ": \"authors\" must be an array of strings");
}

TEST(PluginMetadataTest, MinAbiAboveTheHostsIsRefused) {
  const std::string host = std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR);
  const std::string next = std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR + 1);
  EXPECT_EQ(errorOf(R"({"id": "a", "min_abi": ")" + next + "\"}"),
            kPath + ": \"min_abi\" is " + next + ", above this bcmap's plugin ABI " + host + " (a newer bcmap is needed)");
  EXPECT_EQ(errorOf(R"({"id": "a", "min_abi": "2.0"})"),
            kPath + ": \"min_abi\" is 2.0, above this bcmap's plugin ABI " + host + " (a newer bcmap is needed)");
  EXPECT_EQ(errorOf(R"({"id": "a", "min_abi": "1.x"})"), kPath + ": \"min_abi\" \"1.x\" is not MAJOR.MINOR (e.g. \"1.3\")");
  std::string err;
  EXPECT_TRUE(parsePluginMetadata(R"({"id": "a", "min_abi": "1.0"})", kPath, &err)) << err;
  EXPECT_TRUE(parsePluginMetadata(R"({"id": "a", "min_abi": ")" + host + "\"}", kPath, &err)) << err;
}

TEST(PluginMetadataTest, OnlyAFolderPluginHasOne) {
  EXPECT_EQ(pluginJsonPathOf("/p/bcmap_x/bcmap_x.so"), "/p/bcmap_x/plugin.json");
  EXPECT_EQ(pluginJsonPathOf("/p/plugins/bcmap_x.so"), "");  // a lone .so: plugin.json beside it is nobody's
}

TEST(PluginMetadataTest, MismatchNamesBothValuesAndTheFile) {
  PluginMetadata m;
  m.path = kPath;
  m.id = "a";
  m.nameEn = "A";
  EXPECT_EQ(metadataMismatch(m, "a", "甲", "A"), "");  // name_zh not given: not compared
  EXPECT_EQ(metadataMismatch(m, "b", "甲", "A"), "plugin.json says id \"a\" but describe() says \"b\" (" + kPath + ")");
  EXPECT_EQ(metadataMismatch(m, "a", "甲", "B"),
            "plugin.json says name_en \"A\" but describe() says \"B\" (" + kPath + ")");
}

}  // namespace
}  // namespace bcmap
