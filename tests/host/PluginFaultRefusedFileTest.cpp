// PluginFolderTest: plugin files the host refuses before any of their code runs (not even
// in the probe): symlinks leading out of the folder, files or folders others can write.
#include <gtest/gtest.h>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

TEST(PluginFolderTest, SymlinkLeadingOutOfTheFolderIsRefused) {
  TempDir tmp;
  const fs::path elsewhere = tmp.sub("elsewhere"), dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", elsewhere / "bcmap_good.so");
  fs::create_symlink("../elsewhere/bcmap_good.so", dir / "bcmap_link.so");
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  const PluginModule& m = *host.modules()[0];
  EXPECT_FALSE(m.ok());
  EXPECT_CONTAINS(m.error, "refused: a symlink leading out of the plugin folder " + dir.string());
  EXPECT_EQ(host.prober()->probesRun(), 0u);  // not even the probe runs its code
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  EXPECT_CONTAINS(store.layers()[0]->error, "bcmap_link.so: refused: a symlink");
}

TEST(PluginFolderTest, SymlinkWithinTheFolderIsFine) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so.1");
  fs::create_symlink("bcmap_good.so.1", dir / "bcmap_good.so");
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_TRUE(host.modules()[0]->ok()) << host.modules()[0]->error;
}

TEST(PluginFolderTest, PluginWritableByOthersIsRefused) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so");
  fs::permissions(dir / "bcmap_good.so", fs::perms::others_write, fs::perm_options::add);
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_CONTAINS(host.modules()[0]->error, "refused: writable by other users (mode 07");
  EXPECT_EQ(host.prober()->probesRun(), 0u);
  // Mode bits decide, whoever runs the test (root included).
  fs::permissions(dir / "bcmap_good.so", fs::perms::others_write, fs::perm_options::remove);
  PluginHost again;
  again.setProber(testProber(tmp));
  again.scan({dir.string()});
  EXPECT_TRUE(again.modules()[0]->ok()) << again.modules()[0]->error;
}

TEST(PluginFolderTest, PluginInAFolderWritableByOthersIsRefused) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so");
  fs::permissions(dir, fs::perms::others_write, fs::perm_options::add);
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_CONTAINS(host.modules()[0]->error, "refused: its folder " + dir.string() + " is writable by other users");
  EXPECT_EQ(host.prober()->probesRun(), 0u);
}

}  // namespace
}  // namespace bcmap
