// AttributeTable: a window per layer listing its features' attributes — sortable columns
// (numbers by value, text by code point, nulls last), a filter line (FeatureFilter.h: plain
// text or `people > 300 and name ~ 村`, its error shown under it), "N / total" rows, the
// selected features' rows highlighted. A click on a row selects that feature alone and asks
// the map to frame it (in the part of the map the table leaves free); Shift-click adds it to (or takes it out of) the selection. Export
// buttons write the layer's selected features, or the rows the filter keeps, as GeoJSON or
// CSV (FeatureExport.h) to the path in the path field.
//
// Only the rows on screen are drawn (ImGuiListClipper), so a 100k-row table costs what a
// 30-row one does per frame; filtering and sorting run when the filter text, the sort or the
// layer's load changes, not per frame.
//
// Rectangles for the UI tests go to TestRects::named under "table.<layer id>.": "window",
// "filter", "path", "exportSelectionGeoJson", "exportSelectionCsv", "exportFiltered",
// "header.<column name>", and "row.<feature index>" for each row drawn this frame; facts to
// TestRects::facts under the same prefix: "count" ("N / total"), "error", "export".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;
class Selection;

struct AttributeTableResult {
  std::optional<Bounds> zoomTo;  // a row was clicked: frame this (display CRS)...
  double pointScale = 0;         // ...a point at 1:pointScale (pointScaleOf, Inspector.h)...
  UiRect window;                 // ...in the map this table's window leaves free
};

class AttributeTables {
 public:
  AttributeTables();
  ~AttributeTables();
  AttributeTables(const AttributeTables&) = delete;
  AttributeTables& operator=(const AttributeTables&) = delete;

  // Shows the layer's table (a new window, or the open one brought to the front).
  void open(const std::string& layerId);
  bool isOpen(const std::string& layerId) const;
  // Draws every open table of `store`'s layers ("zoom to" frames in `displayCrs`). Closed
  // windows and those of layers no longer loaded go away.
  AttributeTableResult draw(LayerStore& store, const std::string& displayCrs, Selection& selection, float uiScale,
                            TestRects& rects);

  struct Window;  // one table's state (AttributeTable.cpp)

 private:
  std::vector<std::unique_ptr<Window>> windows_;
};

// The rows of `table` in the order a sort on column `column` puts them (ascending or not):
// integers and reals by value, dates by day, text by UTF-8 code points, nulls last either
// way, equal values in row order. What the table's sortable headers use.
void sortRows(const FeatureTable& table, size_t column, bool ascending, std::vector<uint32_t>& rows);

// The file name (without extension) the table's export suggests for a layer: its id, or for
// a file the user opened its own name; characters a file name cannot hold become '_'.
std::string exportFileStem(const std::string& layerId);

}  // namespace bcmap
