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
// A database layer's table (Layer::dbFeed) pages through the server's rows instead of the
// rows the view fetched (host/DbAsker.h, io/DbAsk.h: keyset pagination, 200 rows a page, the
// next asked for when the rows on screen near the end): it opens at once on any table, says
// "N / ~total" (the planner's count), sorts by a column on the server (the key as the
// tie-breaker), and its filter becomes an SQL WHERE (FeatureFilter::sqlWhere) or says it is not
// supported for a database layer. Its rows are not the map's features: a click neither
// selects nor frames, and export writes what the view fetched.
//
// Rectangles for the UI tests go to TestRects::named under "table.<layer id>.": "window",
// "filter", "path", "exportSelectionGeoJson", "exportSelectionCsv", "exportFiltered",
// "header.<column name>", and "row.<feature index>" for each row drawn this frame; facts to
// TestRects::facts under the same prefix: "count" ("N / total"), "error", "export"; for a
// database layer also "db.rows" (rows paged in), "db.more", "db.key", "db.firstPageMs" (from the
// window's first question to its first page), "db.first" (the first row's values, tab-separated).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class DbFeeds;
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
  // Closes the layer's table (its layer was removed), with its filter and pages.
  void close(const std::string& layerId);
  // Draws every open table of `store`'s layers ("zoom to" frames in `displayCrs`). Closed
  // windows and those of layers no longer loaded go away. `db`: the viewer's database feeds,
  // whose askers page a database layer's table (null: such a table shows the fetched rows).
  AttributeTableResult draw(LayerStore& store, const std::string& displayCrs, Selection& selection, float uiScale,
                            TestRects& rects, DbFeeds* db = nullptr);

  struct Window;  // one table's state (AttributeTable.cpp)

 private:
  std::vector<std::unique_ptr<Window>> windows_;
};

// The rows of `table` in the order a sort on column `column` puts them (ascending or not):
// integers and reals by value, dates by day, text by UTF-8 code points, nulls last either
// way, equal values in row order. What the table's sortable headers use.
void sortRows(const FeatureTable& table, size_t column, bool ascending, std::vector<uint32_t>& rows);

// The file name (without extension) the table's export suggests for a layer: its id, or for
// a file the user opened its own name and "-export"; characters a file name cannot hold
// become '_'.
std::string exportFileStem(const std::string& layerId);

}  // namespace bcmap
