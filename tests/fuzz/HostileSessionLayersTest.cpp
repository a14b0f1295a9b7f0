// Hostile layer sources in a session (issue 12): files that are a FIFO, a device or a
// folder, restored through the real vector_file plugin. Each becomes a failed layer whose
// message names the path, at once; before VectorReader refused special files, the FIFO
// blocked the restore forever.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <string>

#include "common/TempDir.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/SessionFile.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

TEST(HostileSessionLayers, SpecialFilesAsLayerSourcesFailAtOnceNamingThePath) {
  initGdal();
  initProj();
  bcmap_test::TempDir dir("bcmap-hostile-layers");
  ASSERT_TRUE(dir.ok());
  const std::string fifo = dir.file("x.geojson");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string folder = dir.file("folder.geojson");
  ASSERT_EQ(mkdir(folder.c_str(), 0700), 0);

  std::string text = "{\"layers\": [";
  int n = 0;
  for (const std::string& path : {fifo, std::string("/dev/zero"), folder}) {
    text += std::string(n ? "," : "") + "{\"id\": \"file" + std::to_string(n) + "\", \"file\": \"" + path + "\"}";
    ++n;
  }
  text += "]}";
  std::string err;
  const std::optional<SessionData> s = sessionFromJson(text, &err);
  ASSERT_TRUE(s) << err;

  PluginHost host;
  host.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_vector_file.so");
  LayerStore store(BCMAP_GEODATA);
  const auto start = std::chrono::steady_clock::now();
  restoreLayers(*s, store, &host, true);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(store.layers().size(), 3u);
  for (const auto& l : store.layers()) {
    EXPECT_EQ(l->status, LayerStatus::Failed) << l->id;
    bool named = false;
    for (const std::string& path : {fifo, std::string("/dev/zero"), folder})
      named = named || l->error.find(path) != std::string::npos;
    EXPECT_TRUE(named) << l->error;
  }
}

}  // namespace
}  // namespace bcmap
