// CliFaultTest: `bcmap layers` over the fault folder reports the crashes and the failures
// and still lists the good layer.
#include <gtest/gtest.h>

#include <cstdio>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

TEST(CliFaultTest, BcmapLayersReportsTheCrashes) {
  TempDir tmp;
  const std::string cmd = "BCMAP_CACHE_DIR=" + tmp.path.string() + " " + BCMAP_EXE + " layers --plugins " +
                          kFaultDir + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_CONTAINS(out, "bcmap_fault_crash_entry_segv.so: crashed in its entry function bcmap_plugin_entry_v1 "
                       "(signal 11: SIGSEGV); not loaded");
  EXPECT_CONTAINS(out, "bcmap_fault_crash_entry_abort.so: crashed in its entry function bcmap_plugin_entry_v1 "
                       "(signal 6: SIGABRT); not loaded");
  EXPECT_CONTAINS(out, "planted failure in load()");
  EXPECT_NE(out.find("test_points"), std::string::npos);
}

}  // namespace
}  // namespace bcmap
