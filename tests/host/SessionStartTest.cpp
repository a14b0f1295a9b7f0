// SessionStartTest: what a session given at start decides of the display when FILEs are
// opened with it (issue 10, item 1), and the session file's CRS text read as a CRS.
#include <gtest/gtest.h>

#include "host/AppSession.h"
#include "host/SessionFile.h"

namespace bcmap {
namespace {

SessionData laeaSession() {
  SessionData s;
  s.displayCrs = "+proj=laea +lat_0=45 +lon_0=123 +type=crs";
  s.hasView = true;
  s.center = {0, 60000};
  s.unitsPerPixel = 200;
  return s;
}

TEST(SessionStartTest, FilesKeepTheSessionsCrsAndView) {
  AppOptions o;
  o.files = {"mine.gpkg"};
  const SessionStart start = sessionStart(o, laeaSession());
  EXPECT_TRUE(start.crs);
  EXPECT_TRUE(start.view);
}

TEST(SessionStartTest, CrsGivenWinsOverTheSession) {
  AppOptions o;
  o.crsGiven = true;
  o.crs = "EPSG:4326";
  const SessionStart start = sessionStart(o, laeaSession());
  EXPECT_FALSE(start.crs);
  EXPECT_FALSE(start.view);
  SessionData none;  // a session without a CRS or a view decides nothing
  EXPECT_FALSE(sessionStart(AppOptions{}, none).crs);
  EXPECT_FALSE(sessionStart(AppOptions{}, none).view);
}

TEST(SessionStartTest, AFileOutsideTheViewIsShown) {
  Bounds view;
  view.add(0, 0);
  view.add(100, 100);
  Bounds inside, across, outside, nothing;
  inside.add(10, 10);
  inside.add(20, 20);
  across.add(90, 90);
  across.add(200, 200);  // partly in view: the user sees it, the view stands
  outside.add(150, 150);
  outside.add(160, 170);
  EXPECT_FALSE(fileOutsideView(inside, view));
  EXPECT_FALSE(fileOutsideView(across, view));
  EXPECT_TRUE(fileOutsideView(outside, view));
  EXPECT_FALSE(fileOutsideView(nothing, view));  // an empty file moves nothing
}

TEST(SessionStartTest, TheSessionsCrsTextIsReadAsACrs) {
  std::string err;
  const auto s = sessionFromJson(R"({"displayCrs": "  +proj=laea +lat_0=45 +lon_0=123 "})", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->displayCrs, "+proj=laea +lat_0=45 +lon_0=123 +type=crs");
  // Text PROJ cannot read stays as written, so restoring it can say why.
  const auto bad = sessionFromJson(R"({"displayCrs": "EPSG:999999"})", &err);
  ASSERT_TRUE(bad) << err;
  EXPECT_EQ(bad->displayCrs, "EPSG:999999");
}

}  // namespace
}  // namespace bcmap
