// PluginLayerTest: what every layer plugin's own test (plugins/<name>/test/) starts from —
// the real host (PluginHost + LayerStore over the bundled geodata/) with that one plugin
// opened and its layer found, not loaded yet. Tests set the layer's settings (a fixture's
// path, a field mapping) with setSettings() and load it through the store, as the viewer does.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {

class PluginLayerTest : public ::testing::Test {
 protected:
  // `id`: the layer's id, which is also the plugin's file name bcmap_<id>.so.
  explicit PluginLayerTest(std::string id) : id_(std::move(id)) {}

  void SetUp() override {
    initGdal();
    initProj();
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_" + id_ + ".so");
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    layer_ = store_->find(id_);
    ASSERT_NE(layer_, nullptr);
    ASSERT_NE(layer_->status, LayerStatus::Failed) << layer_->error;
  }

  // Sets the named settings' values. A key the layer does not declare fails the test (and is
  // skipped): a mistyped key would otherwise leave the default in place and the test would
  // check the wrong thing.
  void setSettings(std::initializer_list<std::pair<std::string_view, std::string>> values) {
    for (const auto& [key, value] : values) {
      LayerSetting* setting = nullptr;
      for (LayerSetting& s : layer_->settings)
        if (s.key == key) setting = &s;
      if (!setting) {
        std::string keys;
        for (const LayerSetting& s : layer_->settings) keys += (keys.empty() ? "" : ", ") + s.key;
        ADD_FAILURE() << "layer " << id_ << " has no setting '" << key << "'; its settings: " << keys;
        continue;
      }
      setting->value = value;
    }
  }

  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
  Layer* layer_ = nullptr;

 private:
  std::string id_;
};

}  // namespace bcmap
