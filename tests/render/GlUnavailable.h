// When a GL test cannot get an EGL context: skipped on a machine without one, failed with CI
// set (CI systems set CI=true), so a CI machine that lost its Mesa EGL cannot pass by
// skipping. The same decision as tests/ui/viewer_harness.py's for Xvfb and xdotool.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace bcmap {

inline bool runningInCi() {
  const char* ci = std::getenv("CI");
  std::string v = ci ? ci : "";
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return !v.empty() && v != "0" && v != "false" && v != "no";
}

}  // namespace bcmap

// In a test body, SetUp or SetUpTestSuite: returns from it, skipping or (under CI) failing.
#define BCMAP_GL_UNAVAILABLE(why)                                                       \
  do {                                                                                  \
    if (::bcmap::runningInCi()) GTEST_FAIL() << "CI is set, so this does not skip: " << (why); \
    else GTEST_SKIP() << (why);                                                         \
  } while (0)
