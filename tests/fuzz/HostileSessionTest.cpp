// Hostile session files (issue 12, "nothing lost"): a session that is huge, deeply nested,
// of the wrong types, full of unknown layers, or not a file at all is refused (or its
// layers skipped) at once, with the reason, in bounded memory; the caller then sets it aside
// and starts with defaults. Each case would hang, exhaust memory or crash without its limit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <string>

#include "common/TempDir.h"
#include "host/LayerStore.h"
#include "host/SessionFile.h"
#include "host/TestLayers.h"

namespace bcmap {
namespace {

using Clock = std::chrono::steady_clock;

std::string write(const bcmap_test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The reason loadSession gives for `text` as a session file ("" when it reads).
std::string refusal(const std::string& text) {
  bcmap_test::TempDir dir("bcmap-hostile-session");
  std::string err;
  const std::optional<SessionData> s = loadSession(write(dir, "session.json", text), &err);
  return s ? std::string() : err;
}

TEST(HostileSession, AFileOverTheSizeLimitIsRefusedWithoutParsing) {
  std::string text = "{\"layers\": [";
  text.append(kMaxSessionBytes, ' ');
  text += "]}";
  const auto start = Clock::now();
  const std::string err = refusal(text);
  EXPECT_NE(err.find("more than the 16 MiB a session may be"), std::string::npos) << err;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  std::string why;
  EXPECT_FALSE(sessionFromJson(text, &why));
  EXPECT_NE(why.find("16 MiB"), std::string::npos) << why;
}

TEST(HostileSession, TenMillionElementArrayIsRefusedBySize) {
  // 10M elements take at least 20 MB of text: the size limit refuses it before any parse.
  std::string text = "{\"layers\": [{\"id\": \"a\", \"selected\": [";
  text.reserve(20'000'100);
  for (int i = 0; i < 10'000'000; ++i) text += "0,";
  text += "0]}]}";
  EXPECT_NE(refusal(text).find("MiB a session may be"), std::string::npos);
}

TEST(HostileSession, HundredThousandLayersAreRefusedWithTheLimit) {
  std::string text = "{\"layers\": [";
  for (int i = 0; i < 100'000; ++i) text += std::string(i ? "," : "") + "{\"id\":\"x" + std::to_string(i) + "\"}";
  text += "]}";
  const std::string err = refusal(text);
  EXPECT_NE(err.find("layers: 100000 layers, more than the 1000 a session may hold"), std::string::npos) << err;
}

TEST(HostileSession, NestingHundredThousandDeepIsRefusedWithoutRecursion) {
  for (const char* open : {"[", "{\"a\":"}) {
    std::string text = "{\"layers\": [{\"id\": \"a\", \"style\": ";
    for (int i = 0; i < 100'000; ++i) text += open;
    text += "1";
    for (int i = 0; i < 100'000; ++i) text += open[0] == '[' ? "]" : "}";
    text += "}]}";
    const std::string err = refusal(text);
    EXPECT_NE(err.find("nested deeper than 64 levels"), std::string::npos) << err;
  }
  // Brackets inside strings are text, not nesting.
  std::string deepText(10'000, '[');
  EXPECT_EQ(refusal("{\"displayCrs\": \"" + deepText + "\"}"), "");
}

TEST(HostileSession, AStyleAsDeepAsTheLimitAllowsStillReads) {
  std::string style;
  for (size_t i = 0; i + 3 < kMaxSessionDepth; ++i) style += "{\"a\":";
  style += "1";
  for (size_t i = 0; i + 3 < kMaxSessionDepth; ++i) style += "}";
  EXPECT_EQ(refusal("{\"layers\": [{\"id\": \"a\", \"style\": " + style + "}]}"), "");
}

TEST(HostileSession, WrongTypesAnywhereAreRefusedNamingTheMember) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "the file: expected a JSON object"},
      {"\"session\"", "the file: expected a JSON object"},
      {"{\"displayCrs\": 3857}", "displayCrs: expected a string"},
      {"{\"view\": []}", "view: expected an object"},
      {"{\"view\": {\"centerX\": \"0\", \"centerY\": 0, \"unitsPerPixel\": 1}}", "view.centerX"},
      {"{\"view\": {\"centerX\": 0, \"centerY\": 0, \"unitsPerPixel\": 1, \"widthPx\": 1.5}}", "view.widthPx"},
      {"{\"time\": {\"day\": 20200101}}", "time.day"},
      {"{\"time\": {\"mode\": null}}", "time.mode"},
      {"{\"time\": {\"windowDays\": 1e400}}", ""},  // out of a double's range: a JSON parse error
      {"{\"panels\": {\"legend\": 1}}", "panels.legend"},
      {"{\"panels\": {\"dock\": {\"leftWidth\": true}}}", "panels.dock.leftWidth"},
      {"{\"layers\": {}}", "layers: expected an array"},
      {"{\"layers\": [7]}", "layers[0]: expected an object"},
      {"{\"layers\": [{\"id\": \"\"}]}", "layers[0].id"},
      {"{\"layers\": [{\"id\": \"a\", \"order\": 1.5}]}", "layers[0].order"},
      {"{\"layers\": [{\"id\": \"a\", \"settings\": {\"k\": 1}}]}", "layers[0].settings.k"},
      {"{\"layers\": [{\"id\": \"a\", \"file\": [\"/etc/passwd\"]}]}", "layers[0].file"},
      {"{\"layers\": [{\"id\": \"a\", \"selected\": [{}]}]}", "layers[0].selected[]"},
      {"{\"layers\": [{\"id\": \"a\", \"style\": \"red\"}]}", "layers[0].style"},
  };
  for (const auto& [text, where] : cases) {
    const std::string err = refusal(text);
    EXPECT_FALSE(err.empty()) << text;
    EXPECT_NE(err.find(where), std::string::npos) << text << " -> " << err;
  }
}

TEST(HostileSession, NumbersOutOfRangeAreClampedOrRefusedNeverUndefined) {
  // Integers past int and int64 in int members, floats past float: clamped or refused.
  for (const char* text : {"{\"layers\": [{\"id\": \"a\", \"order\": 18446744073709551615}]}",
                           "{\"layers\": [{\"id\": \"a\", \"order\": -9223372036854775808}]}",
                           "{\"layers\": [{\"id\": \"a\", \"opacity\": 1e300}]}",
                           "{\"time\": {\"windowDays\": 99999999999}}",
                           "{\"panels\": {\"uiScale\": -1e300, \"dock\": {\"leftWidth\": 1e300}}}",
                           "{\"view\": {\"centerX\": 1e308, \"centerY\": 0, \"unitsPerPixel\": 0, \"widthPx\": -5}}"}) {
    std::string err;
    const std::optional<SessionData> s = sessionFromJson(text, &err);
    if (!s) continue;  // refused with a message is fine too
    for (const LayerSession& l : s->layers) EXPECT_TRUE(l.opacity >= 0 && l.opacity <= 1) << text;
    EXPECT_TRUE(s->panels.uiScale >= 0.75f && s->panels.uiScale <= 2.0f) << text;
    EXPECT_GE(s->viewWidthPx, 0) << text;
    EXPECT_FALSE(s->hasView && s->unitsPerPixel <= 0) << text;
  }
}

TEST(HostileSession, AFifoAsTheSessionIsRefusedAtOnceAndLeftWhereItIs) {
  bcmap_test::TempDir dir("bcmap-hostile-session");
  const std::string path = dir.file("session.json");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  const auto start = Clock::now();
  std::string err;
  EXPECT_FALSE(loadSession(path, &err));  // before the fix: blocked for a writer forever
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(err.find("session " + path + ": not a regular file (a FIFO)"), std::string::npos) << err;
  std::string why;
  EXPECT_EQ(setAsideBadSession(path, &why), "");
  EXPECT_NE(why.find("not a regular file"), std::string::npos) << why;
  struct stat st{};
  EXPECT_EQ(lstat(path.c_str(), &st), 0);  // still there: only a regular file is moved
}

TEST(HostileSession, DevZeroAndAFolderAsTheSessionAreRefused) {
  std::string err;
  EXPECT_FALSE(loadSession("/dev/zero", &err));  // before the fix: read until memory ran out
  EXPECT_NE(err.find("not a regular file (a device or socket)"), std::string::npos) << err;
  std::string why;
  EXPECT_EQ(setAsideBadSession("/dev/zero", &why), "");  // never linked away, even as root
  bcmap_test::TempDir dir("bcmap-hostile-session");
  EXPECT_FALSE(loadSession(dir.path(), &err));
  EXPECT_NE(err.find("not a regular file (a folder)"), std::string::npos) << err;
}

TEST(HostileSession, ABadRegularSessionIsSetAside) {
  bcmap_test::TempDir dir("bcmap-hostile-session");
  const std::string path = write(dir, "session.json", "{\"layers\": [[[[");
  std::string err;
  EXPECT_FALSE(loadSession(path, &err));
  EXPECT_FALSE(err.empty());
  std::string why;
  const std::string kept = setAsideBadSession(path, &why);
  ASSERT_NE(kept, "") << why;
  EXPECT_NE(kept.find("session.json.bad-"), std::string::npos);
  struct stat st{};
  EXPECT_NE(lstat(path.c_str(), &st), 0);
  EXPECT_EQ(lstat(kept.c_str(), &st), 0);
}

TEST(HostileSession, UnknownLayerIdsBecomeMissingLayersAndNothingElse) {
  std::string text = "{\"layers\": [";
  for (int i = 0; i < 1000; ++i)
    text += std::string(i ? "," : "") + "{\"id\": \"no such plugin " + std::to_string(i % 10) + "\", \"order\": " +
            std::to_string(-i) + "}";
  text += "]}";
  std::string err;
  const std::optional<SessionData> s = sessionFromJson(text, &err);
  ASSERT_TRUE(s) << err;
  LayerStore store(BCMAP_GEODATA);
  store.layers().push_back(fixtures::makeLayer("mine", GeometryKind::Point));
  restoreLayers(*s, store, nullptr, true);
  ASSERT_GE(store.layers().size(), 2u);
  for (const auto& l : store.layers()) {
    if (l->id == "mine") continue;
    EXPECT_EQ(l->status, LayerStatus::Failed) << l->id;
    EXPECT_NE(l->error.find("plugin missing"), std::string::npos) << l->error;
  }
  EXPECT_NE(store.find("mine"), nullptr);
}

TEST(HostileSession, ASelectionOfManyIdsOverABigLayerRestoresInLinearTime) {
  constexpr int kFeatures = 200'000;
  SessionData s;
  LayerSession saved;
  saved.id = "big";
  for (int i = 0; i < kFeatures; ++i) saved.selected.push_back(std::to_string(kFeatures - 1 - i));
  saved.selected.push_back("no such feature");
  s.layers.push_back(saved);
  LayerStore store(BCMAP_GEODATA);
  auto l = fixtures::makeLayer("big", GeometryKind::Point);
  for (int i = 0; i < kFeatures; ++i) fixtures::addRing(*l, {{double(i % 360) - 180, 0}});
  store.layers().push_back(std::move(l));
  const auto start = Clock::now();
  const std::vector<std::pair<std::string, size_t>> sel = restoreSelection(s, store);
  // Before: one scan of the layer per saved id, 4e10 comparisons.
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(sel.size(), size_t{kFeatures});
  EXPECT_EQ(sel.front().second, size_t{kFeatures - 1});
  EXPECT_EQ(sel.back().second, 0u);
}

}  // namespace
}  // namespace bcmap
