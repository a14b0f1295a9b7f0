// The time filter's modes (FeatureTable.h filterShows) on hand-chosen spans, and the bounds
// the shaders test (MapRenderer.h gpuTimeBounds) against it. No GL.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "render/MapRenderer.h"

namespace bcmap {
namespace {

constexpr int32_t kDay = 1000;
constexpr int32_t kWindow = 10;  // Window mode shows starts in (990, 1000]

struct Span {
  const char* name;
  int32_t start, end;
  bool span, cumulative, window;  // expected under each mode on kDay
};

// Worked out from the rules: Span start <= day <= end; Cumulative start <= day; Window
// day - window < start <= day; an open start (kNoDay) passes Span's and Cumulative's start
// test, and never Window's (it did not start in any window).
const std::vector<Span> kSpans = {
    {"starts on the day", kDay, kDay, true, true, true},
    {"starts exactly a window before, still running", kDay - kWindow, kNoDay, true, true, false},
    {"starts one day inside the window, ended before the day", kDay - kWindow + 1, kDay - 5, false, true, true},
    {"ends the day before", 900, kDay - 1, false, true, false},
    {"ends on the day", 900, kDay, true, true, false},
    {"starts the day after", kDay + 1, kNoDay, false, false, false},
    {"open start, ended before", kNoDay, kDay - 1, false, true, false},
    {"open both ends", kNoDay, kNoDay, true, true, false},
    {"long span over the day", 500, 2000, true, true, false},
};

TEST(TimeFilterTest, FilterShowsEachModeOnHandChosenSpans) {
  for (const Span& s : kSpans) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(filterShows(s.start, s.end, TimeFilter(kDay, TimeMode::Span, kWindow)), s.span);
    EXPECT_EQ(filterShows(s.start, s.end, TimeFilter(kDay, TimeMode::Cumulative, kWindow)), s.cumulative);
    EXPECT_EQ(filterShows(s.start, s.end, TimeFilter(kDay, TimeMode::Window, kWindow)), s.window);
    // A plain day is the Span rule; no day shows everything in every mode.
    EXPECT_EQ(filterShows(s.start, s.end, kDay), s.span);
    for (TimeMode m : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window})
      EXPECT_TRUE(filterShows(s.start, s.end, TimeFilter(kNoDay, m, kWindow)));
  }
}

TEST(TimeFilterTest, WindowOfOneDayIsTheDayItself) {
  const TimeFilter f(kDay, TimeMode::Window, 1);
  EXPECT_TRUE(filterShows(kDay, kNoDay, f));
  EXPECT_FALSE(filterShows(kDay - 1, kNoDay, f));
  EXPECT_FALSE(filterShows(kDay + 1, kNoDay, f));
}

// The shaders' test, through the bounds, must agree with filterShows for every mode on
// every span built from days around the edges (and open ends), for several windows,
// including empty ones (0, negative) that only open starts pass.
TEST(TimeFilterTest, GpuBoundsAgreeWithFilterShows) {
  std::vector<int32_t> days = {kNoDay};
  for (int32_t d : {-400, -11, -10, -9, -1, 0, 1, 2, 400}) days.push_back(kDay + d);
  size_t checked = 0;
  for (int32_t window : {1, 2, 10, 365, 0, -3})
    for (TimeMode mode : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window})
      for (int32_t day : {kDay, kNoDay, int32_t(0)}) {
        const TimeFilter f(day, mode, window);
        const GpuTimeBounds b = gpuTimeBounds(f);
        for (int32_t start : days)
          for (int32_t end : days) {
            ASSERT_EQ(gpuTimeShows(b, start, end), filterShows(start, end, f))
                << "mode " << int(mode) << " window " << window << " day " << day << " span [" << start << ", "
                << end << "]";
            ++checked;
          }
      }
  EXPECT_EQ(checked, 6u * 3u * 3u * 10u * 10u);
}

}  // namespace
}  // namespace bcmap
