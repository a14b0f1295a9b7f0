// FaultFolderTest: the fault folder (tests/host/fixtures, built into fault_plugins/) opened
// and loaded the way `bcmap layers` does it. A callback that throws or returns an error, NaN
// coordinates, a bad style, a duplicate id and a crash in the entry function each fail their
// own layer with a message that names it and the reason; the other layers keep working.
#include <gtest/gtest.h>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

// ---- callbacks that throw or fail ----------------------------------------------------------------
TEST_F(FaultFolderTest, ThrowFromCreateAttachDescribeOrSettingsRefusesTheLayer) {
  // Before describe() the layer has no id yet: the file names it.
  const std::pair<std::string, std::string> cases[] = {
      {"create", "bcmap_fault_throws_in_create.so: create failed: no instance (create() returned NULL; a C++ "
                 "layer's constructor threw)"},
      {"attach", "bcmap_fault_throws_in_attach.so: attach failed: planted failure in attach()"},
      {"describe", "bcmap_fault_throws_in_describe.so: describe failed: planted failure in describe()"},
      {"settings", "throws_in_settings: settings failed: planted failure in settings()"}};
  for (const auto& [cb, message] : cases) {
    const std::string file = "bcmap_fault_throws_in_" + cb + ".so";
    Layer* l = byPlugin(*store, file);
    ASSERT_NE(l, nullptr) << file;
    EXPECT_EQ(l->status, LayerStatus::Failed);
    EXPECT_TRUE(l->refused);
    EXPECT_EQ(l->error, message);
  }
  expectOthersWork();
}

TEST_F(FaultFolderTest, ThrowFromALoadCallbackFailsTheLayerWithItsMessage) {
  const std::pair<std::string, std::string> cases[] = {
      {"update", "throws_in_update: update failed: planted failure in update() (setting count)"},
      {"load", "throws_in_load: load failed: planted failure in load()"},
      {"style", "throws_in_style: style failed: planted failure in style()"},
      {"style_feature", "throws_in_style_feature: style_feature failed: planted failure in style_feature() (feature 0)"}};
  for (const auto& [cb, message] : cases) {
    const std::string id = "throws_in_" + cb;
    Layer* l = store->find(id);
    ASSERT_NE(l, nullptr) << id;
    EXPECT_EQ(l->status, LayerStatus::Failed) << id;
    EXPECT_EQ(l->error, message);
    EXPECT_EQ(l->table.featureCount(), 0u);
    EXPECT_TRUE(logHas(id + ": ", message)) << id;
  }
  expectOthersWork();
}

TEST_F(FaultFolderTest, ThrowFromLegendOrTooltipKeepsTheLayerAndSaysWhy) {
  Layer* legend = store->find("throws_in_legend");
  ASSERT_NE(legend, nullptr);
  EXPECT_EQ(legend->status, LayerStatus::Loaded) << legend->error;
  EXPECT_TRUE(legend->legend.empty());
  EXPECT_TRUE(logHas("throws_in_legend: ", "throws_in_legend: legend failed: planted failure in legend()"));

  Layer* tip = store->find("throws_in_describe_feature");
  ASSERT_NE(tip, nullptr);
  ASSERT_EQ(tip->status, LayerStatus::Loaded) << tip->error;
  EXPECT_EQ(store->describeFeature(*tip, 1), "name: 乙");  // the host's own tooltip
  EXPECT_TRUE(logHas("throws_in_describe_feature: ",
                     "throws_in_describe_feature: describe_feature failed: planted failure in describe_feature() "
                     "(feature 1)"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, ErrorStatusFromACPluginIsShown) {
  Layer* l = store->find("error_status");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_EQ(l->error, "error_status: load failed: the survey server answered 503: planted error status");
  EXPECT_TRUE(logHas("error_status: ", "planted error status"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, NanCoordinatesAreDroppedAndAnInvalidStyleFails) {
  Layer* nan = store->find("nan_coords");
  ASSERT_NE(nan, nullptr);
  ASSERT_EQ(nan->status, LayerStatus::Loaded) << nan->error;
  EXPECT_EQ(nan->table.featureCount(), 1u);
  EXPECT_TRUE(logHas("layer nan_coords: ", "NaN or infinite coordinates"));
  Layer* style = store->find("bad_style");
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(style->status, LayerStatus::Failed);
  EXPECT_CONTAINS(style->error, "stroke width");
  EXPECT_TRUE(logHas("layer bad_style: ", "stroke width"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, DuplicateIdIsRefusedNamingBothFiles) {
  Layer* dup = byPlugin(*store, "bcmap_fault_zz_duplicate_id.so");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->status, LayerStatus::Failed);
  EXPECT_CONTAINS(dup->error, "bcmap_fault_zz_duplicate_id.so: layer id 'test_points' is already used by "
                              "bcmap_fault_good_points.so");
  expectOthersWork();
}

// ---- crashes in the entry function (caught by the probe) -----------------------------------------
TEST_F(FaultFolderTest, CrashInTheEntryFunctionIsCaughtByTheProbe) {
  // Had either been loaded into this process, the test would have died in SetUp.
  Layer* segv = byPlugin(*store, "bcmap_fault_crash_entry_segv.so");
  ASSERT_NE(segv, nullptr);
  EXPECT_EQ(segv->status, LayerStatus::Failed);
  EXPECT_CONTAINS(segv->error, "bcmap_fault_crash_entry_segv.so: crashed in its entry function");
  EXPECT_CONTAINS(segv->error, "(signal 11: SIGSEGV)");
  Layer* abrt = byPlugin(*store, "bcmap_fault_crash_entry_abort.so");
  ASSERT_NE(abrt, nullptr);
  EXPECT_EQ(abrt->status, LayerStatus::Failed);
  EXPECT_CONTAINS(abrt->error, "(signal 6: SIGABRT)");
  expectOthersWork();
}

}  // namespace
}  // namespace bcmap
