// TimeRange: the campaign's years, which the time slider spans and sessions clamp to, and
// the slider's play speeds (days per second of wall time).
#pragma once

#include <cstdint>

namespace bcmap {

// The time slider's range: the campaign's years, 2015-01-01 .. 2020-12-31 (days since
// 1970-01-01; tests/ui/SessionTest.cpp checks them against parseDate).
inline constexpr int32_t kTimeFirstDay = 16436;
inline constexpr int32_t kTimeLastDay = 18627;

// Play speeds of the time slider, in days per second of wall time.
struct TimeSpeed {
  double daysPerSec;
  const char* label;  // in ui_text's words: Chinese, then English
};
inline constexpr TimeSpeed kTimeSpeeds[] = {
    {7.0, "1 周/秒 1 week/s"},
    {365.25 / 12, "1 月/秒 1 month/s"},
    {365.25 / 4, "3 月/秒 3 months/s"},
};
inline constexpr int kTimeSpeedCount = static_cast<int>(sizeof kTimeSpeeds / sizeof kTimeSpeeds[0]);

}  // namespace bcmap
