// DataFaultTest: wrong data through a plugin that reads a file with the host's reader
// (fault_data_reader): a missing file, the wrong geometry type, a missing mapped field,
// dates that do not parse. Each fails that layer with the file and the reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

class DataFaultTest : public FaultFolderTest {
 protected:
  Layer& reader() { return *store->find("data_reader"); }
  // Sets the settings (no load in between) and loads once. A key the plugin does not
  // declare fails the test: a mistyped one would leave the default and test nothing.
  void loadWith(const std::vector<std::pair<std::string, std::string>>& values) {
    Layer& l = reader();
    for (const auto& [k, v] : values) {
      const auto it =
          std::find_if(l.settings.begin(), l.settings.end(), [&](const LayerSetting& s) { return s.key == k; });
      if (it == l.settings.end()) {
        ADD_FAILURE() << "data_reader has no setting '" << k << "'";
        continue;
      }
      it->value = v;
    }
    store->load(l);
  }
};

TEST_F(DataFaultTest, GoodFileLoads) {
  loadWith({{"path", kData + "/points.geojson"}, {"start_field", "opened"}});
  ASSERT_EQ(reader().status, LayerStatus::Loaded) << reader().error;
  EXPECT_EQ(reader().table.featureCount(), 2u);
  EXPECT_EQ(formatDate(reader().table.startDay[1]), "2018-06-01");
}

TEST_F(DataFaultTest, MissingFile) {
  loadWith({{"path", kData + "/no_such_file.geojson"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, kData + "/no_such_file.geojson");
  EXPECT_TRUE(logHas("data_reader: load failed: ", "no_such_file.geojson"));
  expectOthersWork();
}

TEST_F(DataFaultTest, WrongGeometryTypeForTheLayer) {
  loadWith({{"path", kData + "/polygon.geojson"}, {"kind", "point"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "polygon.geojson");
  EXPECT_CONTAINS(reader().error, "point");
  EXPECT_TRUE(logHas("data_reader: load failed: ", "polygon.geojson"));
  // The same file is fine for a polygon layer.
  loadWith({{"kind", "polygon"}});
  EXPECT_EQ(reader().status, LayerStatus::Loaded) << reader().error;
  expectOthersWork();
}

TEST_F(DataFaultTest, MappedFieldThatIsMissing) {
  loadWith({{"path", kData + "/points.geojson"}, {"name_field", "village_name"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "points.geojson");
  EXPECT_CONTAINS(reader().error, "village_name");
  EXPECT_TRUE(logHas("data_reader: load failed: ", "village_name"));
  expectOthersWork();
}

TEST_F(DataFaultTest, DatesThatDoNotParse) {
  loadWith({{"path", kData + "/bad_dates.geojson"}, {"start_field", "opened"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "bad_dates.geojson");
  EXPECT_CONTAINS(reader().error, "unparseable date in field 'opened'");
  EXPECT_CONTAINS(reader().error, "sometime in 2018");
  EXPECT_TRUE(logHas("data_reader: load failed: ", "unparseable date"));
  expectOthersWork();
}

}  // namespace
}  // namespace bcmap
