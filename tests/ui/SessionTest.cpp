// The viewer's session file (app/ui/Session.h) and the pure parts of the settings and time
// widgets: no window, no GL, no plugins.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "ui/panels/LayerSettings.h"
#include "ui/Session.h"
#include "ui/ViewerState.h"
#include "ui/panels/TimeSlider.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// A session where no field has its default, so a field the writer or reader forgets shows.
SessionData everyFieldSet() {
  SessionData s;
  s.displayCrs = "EPSG:32651";
  s.hasView = true;
  s.center = {512345.125, 5049876.0625};
  s.unitsPerPixel = 123.456789012345;
  s.viewWidthPx = 680;
  s.viewHeightPx = 754;
  s.timeAll = false;
  s.day = *parseDate("2017-09-30");
  s.timeSpeed = 2;
  s.timeMode = TimeMode::Window;
  s.windowDays = 90;
  s.dateCounter = false;
  s.hasPanels = true;
  s.panels = PanelSession{false, false, false, true, true, true, 1.25f};
  LayerSession a;
  a.id = "counties";
  a.visible = false;
  a.opacity = 0.37f;
  a.order = 3;
  a.settings = {{"gcj02", "true"}, {"path", "/data/县界 \"quoted\" \\ back.geojson"}};
  LayerSession b;
  b.id = "test_points";
  b.visible = true;
  b.opacity = 1.0f / 3.0f;  // not a short decimal: the file must keep every bit
  b.order = 0;
  b.settings = {{"size", "12.5"}, {"colour", "#3a6fb080"}, {"empty", ""}};
  b.style = R"({"field":"people","kind":"graduated"})";
  b.selected = {"17", "v-3"};
  LayerSession c;
  c.id = "file:villages.gpkg";
  c.order = 1;
  c.file = "/data/villages.gpkg";
  c.gcj02 = true;
  s.layers = {a, b, c};
  return s;
}

void expectSame(const SessionData& x, const SessionData& y) {
  EXPECT_EQ(x.displayCrs, y.displayCrs);
  EXPECT_EQ(x.hasView, y.hasView);
  EXPECT_EQ(x.center.x, y.center.x);
  EXPECT_EQ(x.center.y, y.center.y);
  EXPECT_EQ(x.unitsPerPixel, y.unitsPerPixel);
  EXPECT_EQ(x.viewWidthPx, y.viewWidthPx);
  EXPECT_EQ(x.viewHeightPx, y.viewHeightPx);
  EXPECT_EQ(x.timeAll, y.timeAll);
  EXPECT_EQ(x.day, y.day);
  EXPECT_EQ(x.timeSpeed, y.timeSpeed);
  EXPECT_EQ(x.timeMode, y.timeMode);
  EXPECT_EQ(x.windowDays, y.windowDays);
  EXPECT_EQ(x.dateCounter, y.dateCounter);
  EXPECT_EQ(x.hasPanels, y.hasPanels);
  EXPECT_EQ(x.panels.legend, y.panels.legend);
  EXPECT_EQ(x.panels.inset, y.panels.inset);
  EXPECT_EQ(x.panels.search, y.panels.search);
  EXPECT_EQ(x.panels.navigation, y.panels.navigation);
  EXPECT_EQ(x.panels.chart, y.panels.chart);
  EXPECT_EQ(x.panels.log, y.panels.log);
  EXPECT_EQ(x.panels.uiScale, y.panels.uiScale);
  ASSERT_EQ(x.layers.size(), y.layers.size());
  for (size_t i = 0; i < x.layers.size(); ++i) {
    SCOPED_TRACE(x.layers[i].id);
    EXPECT_EQ(x.layers[i].id, y.layers[i].id);
    EXPECT_EQ(x.layers[i].visible, y.layers[i].visible);
    EXPECT_EQ(x.layers[i].opacity, y.layers[i].opacity);
    EXPECT_EQ(x.layers[i].order, y.layers[i].order);
    EXPECT_EQ(x.layers[i].file, y.layers[i].file);
    EXPECT_EQ(x.layers[i].gcj02, y.layers[i].gcj02);
    EXPECT_EQ(x.layers[i].selected, y.layers[i].selected);
    // The style is kept as JSON: compared as JSON (the writer may reorder its members).
    EXPECT_EQ(x.layers[i].style.empty(), y.layers[i].style.empty());
    if (!x.layers[i].style.empty()) {
      EXPECT_NE(y.layers[i].style.find("\"people\""), std::string::npos) << y.layers[i].style;
      EXPECT_NE(y.layers[i].style.find("\"graduated\""), std::string::npos) << y.layers[i].style;
    }
    // Settings are a JSON object: compared as sets, the file may sort them.
    auto sorted = [](auto v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    EXPECT_EQ(sorted(x.layers[i].settings), sorted(y.layers[i].settings));
  }
}

class SessionFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bcmap-session-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(SessionTest, ASmallerWindowStillShowsWhatWasSeen) {
  // The trial saved at 1280x800 and restarted at 900x600: the same scale in a smaller
  // canvas cut the map off at the top and bottom. The saved canvas's extent now fits.
  SessionData s;
  s.displayCrs = "EPSG:3857";
  s.hasView = true;
  s.center = {13700000, 5600000};
  s.unitsPerPixel = 500;
  s.viewWidthPx = 680;
  s.viewHeightPx = 754;
  ViewerState st;
  st.displayCrs = "EPSG:3857";
  st.view.widthPx = 454;
  st.view.heightPx = 466;
  ASSERT_TRUE(restoreView(s, st));
  EXPECT_DOUBLE_EQ(st.view.unitsPerPixel, 500.0 * 754 / 466);
  EXPECT_GE(st.view.widthPx * st.view.unitsPerPixel, 680 * 500.0 - 1e-6);
  EXPECT_GE(st.view.heightPx * st.view.unitsPerPixel, 754 * 500.0 - 1e-6);
  // A larger window keeps the scale; an older session without the size too.
  st.view.widthPx = 1600;
  st.view.heightPx = 1000;
  ASSERT_TRUE(restoreView(s, st));
  EXPECT_DOUBLE_EQ(st.view.unitsPerPixel, 500.0);
  s.viewWidthPx = s.viewHeightPx = 0;
  st.view.widthPx = 454;
  st.view.heightPx = 466;
  ASSERT_TRUE(restoreView(s, st));
  EXPECT_DOUBLE_EQ(st.view.unitsPerPixel, 500.0);
}

TEST(SessionTest, TimeRangeIsTheCampaignYears) {
  EXPECT_EQ(kTimeFirstDay, *parseDate("2015-01-01"));
  EXPECT_EQ(kTimeLastDay, *parseDate("2020-12-31"));
}

TEST(SessionTest, JsonRoundTripsEveryField) {
  const SessionData s = everyFieldSet();
  const std::string text = sessionToJson(s);
  std::string err;
  const std::optional<SessionData> back = sessionFromJson(text, &err);
  ASSERT_TRUE(back) << err << "\n" << text;
  expectSame(s, *back);
  // Human-readable: the date as a date, the CRS and the settings as they are.
  EXPECT_NE(text.find("\"day\": \"2017-09-30\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"displayCrs\": \"EPSG:32651\""), std::string::npos) << text;
  EXPECT_NE(text.find("县界"), std::string::npos) << "UTF-8 is written as it is:\n" << text;
}

TEST_F(SessionFileTest, SaveThenLoadRoundTripsEveryFieldAndMakesTheFolder) {
  const std::string path = (dir_ / "nested" / "bcmap" / "session.json").string();
  const SessionData s = everyFieldSet();
  std::string err;
  ASSERT_TRUE(saveSession(path, s, &err)) << err;
  EXPECT_FALSE(fs::exists(path + ".tmp")) << "the temporary file is renamed over the session";
  const std::optional<SessionData> back = loadSession(path, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_TRUE(err.empty());
  expectSame(s, *back);
  // Saving again replaces the file.
  SessionData t = s;
  t.layers.pop_back();
  ASSERT_TRUE(saveSession(path, t, &err)) << err;
  ASSERT_TRUE(loadSession(path, &err));
  EXPECT_EQ(loadSession(path, &err)->layers.size(), 2u);
}

TEST_F(SessionFileTest, NoFileIsNoSessionAndNoError) {
  std::string err = "stale";
  EXPECT_FALSE(loadSession((dir_ / "none.json").string(), &err));
  EXPECT_TRUE(err.empty()) << err;
  EXPECT_FALSE(loadSession("", &err));
  EXPECT_TRUE(err.empty()) << err;
}

TEST_F(SessionFileTest, BrokenFileSaysWhereAndWhy) {
  fs::create_directories(dir_);
  const std::string path = (dir_ / "session.json").string();
  std::ofstream(path) << "{\"layers\": [";
  std::string err;
  EXPECT_FALSE(loadSession(path, &err));
  EXPECT_EQ(err.rfind("session " + path + ": ", 0), 0u) << err;
  std::ofstream(path, std::ios::trunc) << R"({"layers": [{"id": "counties", "opacity": "half"}]})";
  EXPECT_FALSE(loadSession(path, &err));
  EXPECT_NE(err.find("layers[0].opacity"), std::string::npos) << err;
  std::ofstream(path, std::ios::trunc) << R"({"time": {"day": "2017-13-01"}})";
  EXPECT_FALSE(loadSession(path, &err));
  EXPECT_NE(err.find("time.day"), std::string::npos) << err;
  std::ofstream(path, std::ios::trunc) << R"(["not", "an", "object"])";
  EXPECT_FALSE(loadSession(path, &err));
}

// Issue 12: a session that could not be read is kept beside, under a name of its own each
// time, never overwritten by the next save.
TEST_F(SessionFileTest, BadSessionIsKeptBesideUnderANameOfItsOwn) {
  fs::create_directories(dir_);
  const std::string path = (dir_ / "session.json").string();
  std::vector<std::string> kept;
  for (const char* text : {"{\"layers\": [", "not json", "[]"}) {
    std::ofstream(path, std::ios::trunc) << text;
    std::string err;
    ASSERT_FALSE(loadSession(path, &err));
    const std::string to = setAsideBadSession(path, &err);
    ASSERT_FALSE(to.empty()) << err;
    EXPECT_EQ(to.rfind(path + ".bad-", 0), 0u) << to;
    EXPECT_FALSE(fs::exists(path)) << "the bad file is still under the session's name";
    std::ostringstream copy;
    copy << std::ifstream(to).rdbuf();
    EXPECT_EQ(copy.str(), text);
    EXPECT_EQ(std::find(kept.begin(), kept.end(), to), kept.end()) << "a kept copy was overwritten: " << to;
    kept.push_back(to);
  }
  // The next save is a good session; the kept copies stay.
  std::string err;
  ASSERT_TRUE(saveSession(path, SessionData{}, &err)) << err;
  ASSERT_TRUE(loadSession(path, &err)) << err;
  for (const std::string& k : kept) EXPECT_TRUE(fs::exists(k)) << k;
  // Nothing to keep: an error, not a crash.
  fs::remove(path);
  EXPECT_TRUE(setAsideBadSession(path, &err).empty());
  EXPECT_FALSE(err.empty());
}

TEST(SessionTest, MissingMembersKeepDefaultsAndUnknownOnesAreIgnored) {
  std::string err;
  const auto s = sessionFromJson(R"({"future": 1, "layers": [{"id": "counties", "shiny": true}]})", &err);
  ASSERT_TRUE(s) << err;
  const SessionData d;
  EXPECT_EQ(s->displayCrs, d.displayCrs);
  EXPECT_FALSE(s->hasView);
  EXPECT_EQ(s->timeAll, d.timeAll);
  EXPECT_EQ(s->day, d.day);
  ASSERT_EQ(s->layers.size(), 1u);
  EXPECT_TRUE(s->layers[0].visible);
  EXPECT_EQ(s->layers[0].opacity, 1.0f);
  EXPECT_EQ(s->layers[0].order, 0);
}

TEST(SessionTest, OutOfRangeValuesAreClamped) {
  std::string err;
  const auto s = sessionFromJson(
      R"({"time": {"day": "1999-01-01", "speedDaysPerSec": 1000}, "view": {"centerX": 1, "centerY": 2, "unitsPerPixel": -5},
          "layers": [{"id": "a", "opacity": 7}]})",
      &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->day, kTimeFirstDay);
  EXPECT_EQ(s->timeSpeed, kTimeSpeedCount - 1) << "the nearest speed the slider offers";
  EXPECT_FALSE(s->hasView) << "a resolution of -5 cannot be a view";
  EXPECT_EQ(s->layers[0].opacity, 1.0f);
}

TEST(SessionTest, FileLocationFollowsTheEnvironment) {
  auto set = [](const char* k, const char* v) {
    if (v)
      ::setenv(k, v, 1);
    else
      ::unsetenv(k);
  };
  const char* keep[] = {std::getenv("BCMAP_SESSION"), std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME")};
  const std::string saved[] = {keep[0] ? keep[0] : "", keep[1] ? keep[1] : "", keep[2] ? keep[2] : ""};
  set("BCMAP_SESSION", "/tmp/x/my-session.json");
  set("XDG_CONFIG_HOME", "/cfg");
  set("HOME", "/home/someone");
  EXPECT_EQ(sessionFilePath(), "/tmp/x/my-session.json");
  set("BCMAP_SESSION", nullptr);
  EXPECT_EQ(sessionFilePath(), "/cfg/bcmap/session.json");
  set("XDG_CONFIG_HOME", "relative/ignored");  // the XDG spec: relative paths are invalid
  EXPECT_EQ(sessionFilePath(), "/home/someone/.config/bcmap/session.json");
  set("XDG_CONFIG_HOME", nullptr);
  EXPECT_EQ(sessionFilePath(), "/home/someone/.config/bcmap/session.json");
  set("HOME", nullptr);
  EXPECT_EQ(sessionFilePath(), "");
  set("BCMAP_SESSION", keep[0] ? saved[0].c_str() : nullptr);
  set("XDG_CONFIG_HOME", keep[1] ? saved[1].c_str() : nullptr);
  set("HOME", keep[2] ? saved[2].c_str() : nullptr);
}

TEST(SessionTest, SaveWithoutAPlaceFails) {
  std::string err;
  EXPECT_FALSE(saveSession("", SessionData{}, &err));
  EXPECT_NE(err.find("BCMAP_SESSION"), std::string::npos) << err;
}

TEST(SettingValuesTest, ColoursParseAndFormat) {
  const auto c = parseColourSetting("#3A6fb0");
  ASSERT_TRUE(c);
  EXPECT_FLOAT_EQ((*c)[0], 0x3a / 255.0f);
  EXPECT_FLOAT_EQ((*c)[1], 0x6f / 255.0f);
  EXPECT_FLOAT_EQ((*c)[2], 0xb0 / 255.0f);
  EXPECT_FLOAT_EQ((*c)[3], 1.0f);
  EXPECT_EQ(formatColourSetting(*c, false), "#3a6fb0");
  EXPECT_EQ(formatColourSetting(*c, true), "#3a6fb0ff");
  const auto d = parseColourSetting("#3a6fb080");
  ASSERT_TRUE(d);
  EXPECT_FLOAT_EQ((*d)[3], 0x80 / 255.0f);
  EXPECT_EQ(formatColourSetting(*d, true), "#3a6fb080");
  for (const char* bad : {"", "#", "3a6fb0", "#3a6fb", "#3a6fb0f", "#3a6fbg", "#3a6fb0801"})
    EXPECT_FALSE(parseColourSetting(bad)) << bad;
}

TEST(TimeSliderTest, PlayingAdvancesByTheSpeedAndStopsAtTheEnd) {
  TimeState t;
  t.all = true;
  t.day = *parseDate("2016-01-07");
  t.speed = 0;  // 7 days a second
  togglePlay(t, 100.0);
  EXPECT_TRUE(t.playing);
  EXPECT_FALSE(t.all) << "playing shows one day at a time";
  EXPECT_FALSE(advanceTime(t, 100.1)) << "0.7 days: still the same day";
  EXPECT_TRUE(advanceTime(t, 102.0));
  EXPECT_EQ(t.day, *parseDate("2016-01-21"));
  EXPECT_GT(t.nextStepSec, 102.0);
  togglePlay(t, 103.0);
  EXPECT_FALSE(t.playing);
  EXPECT_FALSE(advanceTime(t, 200.0)) << "paused: no change";
  EXPECT_EQ(t.day, *parseDate("2016-01-21"));

  t.speed = 2;  // 3 months a second
  togglePlay(t, 300.0);
  EXPECT_TRUE(advanceTime(t, 400.0));
  EXPECT_EQ(t.day, kTimeLastDay);
  EXPECT_FALSE(t.playing) << "the slider stops at its last day";
  togglePlay(t, 500.0);
  EXPECT_EQ(t.day, kTimeFirstDay) << "play at the end starts again from the beginning";
}

}  // namespace
}  // namespace bcmap
