// LayerPanel: the "图层 Layers" window on the left — one row per layer (visibility,
// name, opacity, order, failure reason, legend), the display CRS and "fit all". A right
// click on a layer's name (or on a failed layer's reason) opens its menu: 缩放到图层 Zoom
// to layer, 属性表 Attribute table, 移除图层 Remove layer (files the user opened and
// layers a session names that are gone; a plugin's layer is hidden, not removed).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/PluginSearchPath.h"
#include "ui/PanelState.h"
#include "ui/panels/StyleEditor.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;
struct Layer;

// What the panel reads, and the state it edits in place (none may be null).
struct LayerPanelInput {
  LayerStore* store = nullptr;                  // the layers: visibility and opacity change at once
  std::string_view displayCrs;
  std::string* crsInput = nullptr;              // ViewerState::crsInput, the PROJ string field
  std::string_view crsError;                    // why the last CRS switch was refused
  LayerSettingsState* settings = nullptr;       // the "设置 Settings" sections' drafts and requests
  StyleEditorState* styleEditor = nullptr;      // the "样式 Style" sections' drafts
  float top = 0;                                // window units: the menu bar's height
  UiRect dock;                                  // the left dock (ui/Layout.h): the panel fills
                                                // it; empty: below `top`, as tall as its rows
  // The plugin folders scanned (AppSession::searchPath): where each layer came from. May
  // be null (no origin shown).
  const std::vector<PluginSearchDir>* searchPath = nullptr;
  // Seconds each loading layer has been loading, by id (the row shows "读取中 reading… 12 s"
  // and a cancel button). May be null.
  const std::map<std::string, double>* loadingSeconds = nullptr;
};

// Where a plugin layer came from, as the row's tooltip and "详情 Details" show it.
struct LayerOrigin {
  std::string source;  // "命令行 --plugins", "BCMAP_PLUGIN_PATH", "已添加 added folder", ...
  std::string folder;  // the plugin's own folder (its NAME/ for a folder plugin)
  std::string file;    // the library
};
// The origin of `l`; all empty for a layer not made by a plugin (a file the user opened).
LayerOrigin layerOriginOf(const Layer& l, const std::vector<PluginSearchDir>& searchPath);

// What the user asked for this frame, for the main loop to apply between frames.
struct LayerPanelRequests {
  std::optional<LayerMove> move;
  std::vector<std::string> loads;  // layer ids ticked visible before they were loaded
  std::vector<std::string> cancels;  // layer ids whose load the user cancelled
  std::optional<std::string> crs;
  bool fit = false;
  std::string table;               // a layer id: open its attribute table ("" none)
  std::string zoomTo;              // a layer id: fit the view to its extent (its menu)
  std::string remove;              // a layer id: take it out of the list (its menu)
  std::vector<StyleEditRequest> styles;
  bool layersChanged = false;      // visibility or opacity changed
  UiRect window;                   // where the panel is (the layout places others beside it)
};

// Draws the panel for this frame. `uiScale`: window units per logical pixel (HiDPI);
// `maxHeight`: where the panel must end (window units from the top: the top of the status
// bar). Reports its rows, settings, CRS widgets and window in `rects`, and the named
// "table.open.<id>", "style.<id>" and "layer.name.<id>" (where the right click opens the
// menu), and the fact "layer.origin.<id>" (source · folder); while a row's menu is open,
// the fact "layer.menu" (its layer id) and the named "layer.menu.zoom", "layer.menu.table"
// and "layer.menu.remove".
LayerPanelRequests drawLayerPanel(const LayerPanelInput& in, float uiScale, float maxHeight, TestRects& rects);

}  // namespace bcmap
