// ReloadOffer: when a file a layer reads changes on disk, a small bar at the top of the map
// says so and offers to reload the layers that read it (or to ignore it). Nothing reloads
// behind the user's back, and a reload whose read fails keeps the features read before
// (LayerStore::reloadData): a half-written file never costs the user the layer.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "io/FileChangeWatcher.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;

struct ReloadOfferState {
  FileChangeWatcher watcher;
  std::chrono::steady_clock::time_point nextPoll{};
  std::vector<std::string> changed;  // files changed and not yet answered
};

// The data files the loaded layers read, and those of layers that failed reading theirs (a
// file fixed on disk is offered again): each layer's "path" setting, resolved against the
// store's data folder when relative.
std::vector<std::string> layerDataFiles(LayerStore& store);
// Polls (at most twice a second); true when a new change arrived (the window should redraw).
bool pollDataFiles(ReloadOfferState& r, LayerStore& store);
// After a layer was removed: the files no loaded layer reads any more are no longer
// watched, and a change of one of them waiting for an answer is dropped (the bar offered
// to reload nothing).
void forgetUnreadFiles(ReloadOfferState& r, LayerStore& store);
// Draws the bar for the first unanswered change, just under the menu bar (`menuBarHeight`,
// window units); "Reload" queues asynchronous loads of every layer reading that file and
// returns true (the layers changed). Reports "reload.button" and the fact "reload.file".
bool drawReloadOffer(ReloadOfferState& r, LayerStore& store, float menuBarHeight, float uiScale, TestRects& rects);

}  // namespace bcmap
